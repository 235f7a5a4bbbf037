#!/usr/bin/env python3
"""Python harness of the benchmark suite: chunkbuf's Buffer and Stream
beside what a Python programmer would otherwise use, in one run.

Prints one JSON object on stdout:
  {"harness": "python", "results": [{"name", "ns_per_op", "runs", "op"}]}
with the median of the runs (progress goes to stderr). CPU time of the
whole process (time.process_time: every thread, user and system) per run,
except the writer cases, which time the writing thread alone
(time.thread_time) per call; the cases are interleaved, run by run, so a
noisy moment hits all of them alike. --quick: 1 MiB, one run (a smoke
test). CHUNKBUF_BENCH_LINES_MIB sets the data size (default 16).

The stream cases put a writer thread in front of the reader: it delivers
the data in 4 KiB chunks to a chunkbuf.Stream (write, then write_eof), or
to os.pipe() with os.write (then closes its end), and the reader takes it
with `for line in f`, a readline() loop, read(65536) or readinto of a
64 KiB bytearray, where f is the Stream or io.BufferedReader(64 KiB) over
the pipe's read end; the Stream also with a read_line("lf") loop. The writer cases time Stream.write / os.write of each
4 KiB chunk while another thread drains the other end.
"""
import io
import json
import os
import statistics
import sys
import threading
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


def chunked(data):
    return [data[i:i + CHUNK] for i in range(0, len(data), CHUNK)]


def touch(data, chunks):
    """Reads every input byte once, so each case starts with its input as
    warm as every other case's. Without it, whichever case ran right after
    the chunked ones (which read only `chunks`) read `data` cold and took
    up to twice as long, whether chunkbuf's or the alternative."""
    for c in chunks:
        c.count(b"\n")
    data.count(b"\n")


def cases(data, chunks):
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
    stream_cases = []
    for how, reader, expect, op in (("iter", _iter_lines, nlines, "line"),
                                    ("readline", _readline_loop, nlines, "line"),
                                    ("read", _read_loop, nreads, "64 KiB"),
                                    ("readinto", _readinto_loop, nreads, "64 KiB")):
        stream_cases += [
            ("stream_%s" % how, _through_stream(chunks, reader), expect, op),
            ("pipe_%s" % how, _through_pipe(chunks, reader), expect, op),
        ]
    stream_cases += [
        ("stream_read_line", _through_stream(chunks, _read_line_loop), nlines, "line"),
        ("write_stream", _write_stream(chunks), len(chunks), "4 KiB write"),
        ("write_pipe", _write_pipe(chunks), len(chunks), "4 KiB write"),
    ]
    return stream_cases + [
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


# -- a writer thread in front of a reader

def _iter_lines(f):
    n = 0
    for line in f:
        n += 1
    return n


def _readline_loop(f):
    n, readline = 0, f.readline
    while readline():
        n += 1
    return n


def _read_line_loop(f):
    """Stream.read_line (one C call and one copy a line, any eol style)."""
    n, read_line = 0, f.read_line
    while read_line("lf") is not None:
        n += 1
    return n


def _read_loop(f):
    total, read = 0, f.read
    while chunk := read(READ):
        total += len(chunk)
    return -(-total // READ)  # in 64 KiB units: the bytes must all arrive


def _readinto_loop(f):
    total, dst = 0, bytearray(READ)
    readinto = f.readinto
    while got := readinto(dst):
        total += got
    return -(-total // READ)


def _run_writer(write, chunks, done):
    def run():
        for c in chunks:
            write(c)
        done()
    t = threading.Thread(target=run)
    t.start()
    return t


def _through_stream(chunks, reader):
    def case():
        s = chunkbuf.Stream()
        t = _run_writer(s.write, chunks, s.write_eof)
        got = reader(s)
        t.join()
        s.close()
        return got
    return case


def _through_pipe(chunks, reader):
    def case():
        r, w = os.pipe()
        t = _run_writer(lambda c: os.write(w, c), chunks, lambda: os.close(w))
        with open(r, "rb", buffering=READ) as f:  # io.BufferedReader(FileIO, 64 KiB)
            got = reader(f)
        t.join()
        return got
    return case


def _drained(start_drain, stop_drain, write, chunks):
    """Writes every chunk with write() while a drain thread empties the
    other end; returns (chunks written, this thread's CPU seconds)."""
    drain = threading.Thread(target=start_drain)
    drain.start()
    t0 = time.thread_time()
    for c in chunks:
        write(c)
    dt = time.thread_time() - t0
    stop_drain()
    drain.join()
    return len(chunks), dt


def _write_stream(chunks):
    def case():
        s = chunkbuf.Stream()
        out = _drained(lambda: _readinto_loop(s), s.write_eof, s.write, chunks)
        s.close()
        return out
    return case


def _write_pipe(chunks):
    def case():
        r, w = os.pipe()

        def drain():
            while os.read(r, READ):
                pass
            os.close(r)
        return _drained(drain, lambda: os.close(w), lambda c: os.write(w, c), chunks)
    return case


def main():
    quick = "--quick" in sys.argv[1:]
    mib = 1 if quick else int(os.environ.get("CHUNKBUF_BENCH_LINES_MIB", "16"))
    runs = 1 if quick else 5
    data = make_data(mib)
    chunks = chunked(data)
    table = cases(data, chunks)
    samples = {name: [] for name, *_ in table}
    for r in range(runs):
        order = table if r % 2 == 0 else table[::-1]
        for name, fn, expect, _ in order:
            touch(data, chunks)
            t0 = time.process_time()
            got = fn()
            dt = time.process_time() - t0
            if isinstance(got, tuple):  # (count, seconds it measured itself)
                got, dt = got
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
