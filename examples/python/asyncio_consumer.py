#!/usr/bin/env python3
"""An asyncio consumer of a chunkbuf Stream fed by a thread.

The event loop waits on the stream's readiness descriptor (no polling), so
other tasks keep running; `async for` yields lines as they complete.

    python3 asyncio_consumer.py
"""
import asyncio
import sys
import threading
import time
from typing import List, Tuple

import chunkbuf


def writer(stream: chunkbuf.Stream, messages: List[str]) -> None:
    for text in messages:
        for piece in (text[:3], text[3:]):  # lines arrive in pieces
            stream.write(piece.encode())
            time.sleep(0.01)
    stream.write_eof()


async def heartbeat(beats: List[float]) -> None:
    while True:
        beats.append(time.monotonic())
        await asyncio.sleep(0.005)


async def consume(stream: chunkbuf.Stream) -> Tuple[str, List[str], int]:
    beats: List[float] = []
    task = asyncio.ensure_future(heartbeat(beats))
    header = await stream.areadline()
    lines = [line.decode().rstrip("\n") async for line in stream]
    task.cancel()
    return header.decode().rstrip("\n"), lines, len(beats)


def main() -> int:
    messages = ["header\n"] + ["event %d\n" % i for i in range(10)]
    stream = chunkbuf.Stream()
    threading.Thread(target=writer, args=(stream, messages), daemon=True).start()
    header, lines, beats = asyncio.run(consume(stream))
    print("%s: %d events, last %r, heartbeat ran %s" % (header, len(lines), lines[-1],
                                                         "yes" if beats > 5 else "no"))
    return 0 if header == "header" and len(lines) == 10 and beats > 5 else 1


if __name__ == "__main__":
    sys.exit(main())
