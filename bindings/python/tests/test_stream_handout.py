"""No byte lost, doubled or hidden: a Stream hands out only what it
consumed, and consumes only what it hands out."""
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time

import pytest

import chunkbuf

from conftest import feed


def lines(first, last):
    return [b"line%d\n" % i for i in range(first, last)]


@pytest.mark.parametrize("call", [
    lambda s: s.read(100, timeout=0.05),
    lambda s: s.readinto(bytearray(100), timeout=0.05),
    lambda s: s.read_view(100, timeout=0.05),
    lambda s: s.readlines(timeout=0.05),
    lambda s: s.read(timeout=0.05),
])
def test_a_read_that_times_out_consumes_nothing(call):
    s = chunkbuf.Stream()
    s.write(b"".join(lines(1, 4)) + b"partial")
    for line in s:  # leave an iteration early
        break
    with pytest.raises(chunkbuf.TimeoutError):
        call(s)
    assert s.readable_amount() == len(b"".join(lines(2, 4)) + b"partial")
    s.write_eof()
    assert s.read() == b"".join(lines(2, 4)) + b"partial"


def test_a_readline_that_times_out_consumes_nothing():
    s = chunkbuf.Stream()
    s.write(b"a partial line")
    with pytest.raises(chunkbuf.TimeoutError):
        s.readline(timeout=0.05)
    with pytest.raises(chunkbuf.TimeoutError):
        next(iter(chunkbuf.Stream(timeout=0.05)))
    s.write(b"\n")
    assert s.readline() == b"a partial line\n"


def test_a_suspended_iterator_hides_nothing():
    s = chunkbuf.Stream()
    data = b"".join(lines(1, 7))
    s.write(data)
    it = iter(s)
    assert next(it) == b"line1\n"
    assert s.readable_amount() == len(data) - len(b"line1\n")
    assert s.readline() == b"line2\n"  # not line 6: nothing was taken out of the stream
    assert next(it) == b"line3\n"  # the iterator looked again: line 2 is not handed out twice
    s.write_eof()
    assert list(it) == lines(4, 7)


def test_timeout_inf_waits_like_none():
    s = chunkbuf.Stream()
    feed(s, [b"x"], delay=0.05)
    assert s.read(1, timeout=float("inf")) == b"x"
    with pytest.raises(ValueError):
        s.read(1, timeout=-1)


def test_eight_readers_never_get_interleaved_pieces():
    record = 64
    count = 4000
    records = [(b"%06d" % i).ljust(record - 1, b".") + b"\n" for i in range(count)]
    s = chunkbuf.Stream(high_water=16 * record)
    feed(s, [b"".join(records[i:i + 37]) for i in range(0, count, 37)], delay=0)
    got = [[] for _ in range(8)]

    def reader(i, out):
        while True:
            if i % 4 == 0:
                piece = s.read(record)
            elif i % 4 == 1:
                piece = s.readline()
            elif i % 4 == 3:
                piece = s.read_line("lf", keepends=True) or b""
            else:
                buf = bytearray(record)
                piece = bytes(buf[:s.readinto(buf)])
            if not piece:
                return
            out.append(piece)

    threads = [threading.Thread(target=reader, args=(i, out)) for i, out in enumerate(got)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not any(t.is_alive() for t in threads)
    assert sorted(sum(got, [])) == records  # whole records only, each exactly once


def test_close_from_the_writer_keeps_unread_bytes_readable():
    s = chunkbuf.Stream()

    def writer():
        s.write(b"first\nsecond\n")
        s.close()  # the writer's end of the file

    t = threading.Thread(target=writer)
    t.start()
    t.join()
    assert not s.closed  # closed for writing, not yet read
    with pytest.raises(chunkbuf.ClosedError):
        s.write(b"more")
    assert list(s) == [b"first\n", b"second\n"]
    assert s.closed and s.read() == b""


SIGINT_CHILD = textwrap.dedent("""
    import sys
    import threading
    import chunkbuf
    s = chunkbuf.Stream()
    s.write(b"01234\\n56789")
    assert s.readline() == b"01234\\n"

    def report_blocked():
        while s.waiting()[0] == 0:  # the engine's count of blocked readers
            pass
        print("blocked", flush=True)

    threading.Thread(target=report_blocked, daemon=True).start()
    try:
        # 5 bytes of a line are there, its end never comes: blocks until Ctrl-C
        {"read": lambda: s.read(100), "readline": s.readline, "iteration": lambda: next(iter(s)),
         "read_line": lambda: s.read_line("lf")}[sys.argv[1]]()
    except KeyboardInterrupt:
        print("interrupted", flush=True)
    assert s.read(5, timeout=0) == b"56789", "bytes lost"
    print("kept", flush=True)
""")


@pytest.mark.parametrize("how", ["read", "readline", "iteration", "read_line"])
def test_ctrl_c_stops_a_blocked_read_at_once_and_loses_nothing(how):
    child = subprocess.Popen([sys.executable, "-c", SIGINT_CHILD, how], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline() == "blocked\n"
        start = time.monotonic()
        child.send_signal(signal.SIGINT)
        assert child.stdout.readline() == "interrupted\n"
        assert time.monotonic() - start < 2
        assert child.stdout.readline() == "kept\n"
        assert child.wait(10) == 0
    finally:
        child.kill()
        child.wait(10)
