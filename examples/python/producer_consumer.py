#!/usr/bin/env python3
"""Threaded producer/consumer over a chunkbuf Stream.

Producer threads write CSV-like records; the high-water mark makes them wait
when the consumer falls behind. The consumer iterates lines (taken in
batches, the GIL released while it waits) and sums the values.

    python3 producer_consumer.py [records-per-producer]
"""
import sys
import threading

import chunkbuf


def produce(stream: chunkbuf.Stream, name: bytes, count: int) -> None:
    for i in range(count):
        stream.write(b"%s,%d\n" % (name, i))


def main(count: int = 20000, producers: int = 3) -> int:
    stream = chunkbuf.Stream(high_water=64 * 1024)
    threads = [threading.Thread(target=produce, args=(stream, b"p%d" % n, count))
               for n in range(producers)]
    for t in threads:
        t.start()

    def finish() -> None:
        for t in threads:
            t.join()
        stream.write_eof()
    threading.Thread(target=finish).start()

    lines = total = 0
    for line in stream:
        name, value = line.rstrip(b"\n").split(b",")
        lines += 1
        total += int(value)
    expected = producers * count * (count - 1) // 2
    print("consumed %d lines, sum %d (%s)" % (lines, total, "ok" if total == expected else "WRONG"))
    return 0 if lines == producers * count and total == expected else 1


if __name__ == "__main__":
    sys.exit(main(*(int(a) for a in sys.argv[1:2])))
