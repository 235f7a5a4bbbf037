#!/usr/bin/env python3
"""Python harness of the benchmark suite: chunkbuf's Buffer and Stream
beside what a Python programmer would otherwise use, in one run.

Prints one JSON object on stdout:
  {"harness": "python", "results": [{"name", "ns_per_op", "runs", "op"}]}
with the median of the runs (progress goes to stderr). CPU time
(time.process_time) per run; the cases are interleaved, run by run, so a
noisy moment hits all of them alike. --quick: 1 MiB, one run (a smoke
test). CHUNKBUF_BENCH_LINES_MIB sets the data size (default 16).
"""
import io
import json
import os
import statistics
import sys
import time

import chunkbuf

LINE = 80     # bytes per line, "\n" included
CHUNK = 4096  # bytes per arriving chunk
READ = 64 << 10


def make_data(mib):
    lines = []
    for i in range((mib << 20) // LINE):
        body = (b"%d:" % i) + b"abcdefghijklmnopqrstuvwxyz"[i % 26:] * 4
        lines.append(body[:LINE - 1] + b"\n")
    return b"".join(lines)


def cases(data):
    chunks = [data[i:i + CHUNK] for i in range(0, len(data), CHUNK)]
    nlines = data.count(b"\n")

    def lines_chunkbuf_chunked():
        buf, n = chunkbuf.Buffer(), 0
        for c in chunks:
            buf.append(c)
            for line in buf:
                n += 1
        return n

    def lines_split_idiom():
        acc, n = b"", 0
        for c in chunks:
            acc += c
            *lines, acc = acc.split(b"\n")
            for line in lines:
                n += 1
        return n

    def lines_bytearray_find_del():
        acc, n = bytearray(), 0
        for c in chunks:
            acc += c
            start = 0
            while (i := acc.find(b"\n", start)) >= 0:
                line = bytes(acc[start:i + 1])
                n += 1
                start = i + 1
            del acc[:start]
        return n

    def iter_chunkbuf_whole():
        n = 0
        for line in chunkbuf.Buffer(data):
            n += 1
        return n

    def iter_bytesio_whole():
        n = 0
        for line in io.BytesIO(data):
            n += 1
        return n

    def closed_stream():
        s = chunkbuf.Stream()
        s.write(data)
        s.write_eof()
        return s

    def readline_stream():
        s, n = closed_stream(), 0
        while s.readline():
            n += 1
        s.close()
        return n

    def readline_bytesio():
        f, n = io.BytesIO(data), 0
        while f.readline():
            n += 1
        return n

    def readinto_stream():
        s, dst, n = closed_stream(), bytearray(READ), 0
        while s.readinto(dst):
            n += 1
        s.close()
        return n

    def readinto_bytesio():
        f, dst, n = io.BytesIO(data), bytearray(READ), 0
        while f.readinto(dst):
            n += 1
        return n

    nreads = -(-len(data) // READ)
    return [
        ("lines_chunkbuf_chunked", lines_chunkbuf_chunked, nlines, "line"),
        ("lines_split_idiom", lines_split_idiom, nlines, "line"),
        ("lines_bytearray_find_del", lines_bytearray_find_del, nlines, "line"),
        ("iter_chunkbuf_whole", iter_chunkbuf_whole, nlines, "line"),
        ("iter_bytesio_whole", iter_bytesio_whole, nlines, "line"),
        ("readline_stream", readline_stream, nlines, "line"),
        ("readline_bytesio", readline_bytesio, nlines, "line"),
        ("readinto_stream", readinto_stream, nreads, "64 KiB read"),
        ("readinto_bytesio", readinto_bytesio, nreads, "64 KiB read"),
    ]


def main():
    quick = "--quick" in sys.argv[1:]
    mib = 1 if quick else int(os.environ.get("CHUNKBUF_BENCH_LINES_MIB", "16"))
    runs = 1 if quick else 5
    data = make_data(mib)
    table = cases(data)
    samples = {name: [] for name, *_ in table}
    for r in range(runs):
        order = table if r % 2 == 0 else table[::-1]
        for name, fn, expect, _ in order:
            t0 = time.process_time()
            got = fn()
            dt = time.process_time() - t0
            if got != expect:
                sys.exit("%s: counted %d, expected %d" % (name, got, expect))
            samples[name].append(dt * 1e9 / expect)
        print("python run %d/%d done" % (r + 1, runs), file=sys.stderr, flush=True)
    results = [{"name": name, "ns_per_op": statistics.median(samples[name]), "runs": samples[name], "op": op}
               for name, _, _, op in table]
    json.dump({"harness": "python", "results": results}, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
