"""No byte lost, doubled or hidden: a Stream hands out only what it
consumed, and consumes only what it hands out."""
import asyncio
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


async def _aread_line(s):
    return await s.aread_line("lf", keepends=True)


@pytest.mark.parametrize("how", [
    lambda s: s.readline(),
    lambda s: next(s),
    lambda s: s.readline(50),
    lambda s: s.readlines(2),
    lambda s: s.read_line("lf", keepends=True),
    lambda s: asyncio.run(s.areadline()),
    lambda s: asyncio.run(_aread_line(s)),
])
def test_a_line_reader_sees_a_line_after_another_reader_took_the_partial_one(how):
    # A reader waits for the end of b"abc"; another takes those bytes, then
    # a shorter complete line comes: the waiting reader must get it, though
    # fewer bytes are unread than it saw before.
    s = chunkbuf.Stream()
    s.write(b"abc")
    got = []
    reader = threading.Thread(target=lambda: got.append(how(s)), daemon=True)
    reader.start()
    while s.waiting()[0] == 0:  # the engine's count of blocked readers
        time.sleep(0.001)
    assert s.read(3) == b"abc"
    s.write(b"d\n")
    reader.join(10)
    alive = reader.is_alive()
    s.close()  # ends a reader that missed the line
    reader.join(10)
    assert not alive and got in ([b"d\n"], [[b"d\n"]])


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
         "read_line": lambda: s.read_line("lf"), "readline_size": lambda: s.readline(100),
         "readlines_hint": lambda: s.readlines(100)}[sys.argv[1]]()
    except KeyboardInterrupt:
        print("interrupted", flush=True)
    assert s.read(5, timeout=0) == b"56789", "bytes lost"
    print("kept", flush=True)
""")


@pytest.mark.parametrize("how", ["read", "readline", "iteration", "read_line", "readline_size", "readlines_hint"])
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


FORK_FROM_A_THREAD = textwrap.dedent("""
    import os
    import signal
    import threading
    import time
    import chunkbuf

    def child():
        def interrupt(signum, frame):
            raise KeyboardInterrupt
        signal.signal(signal.SIGALRM, interrupt)
        signal.setitimer(signal.ITIMER_REAL, 0.2)
        s = chunkbuf.Stream()
        s.write(b"kept")
        start = time.monotonic()
        try:
            s.read_line("lf", timeout=30)
        except KeyboardInterrupt:
            os._exit(0 if time.monotonic() - start < 10 and s.read(4, timeout=0) == b"kept" else 3)
        os._exit(2)

    def forker():
        pid = os.fork()
        if pid == 0:
            child()
        _, status = os.waitpid(pid, 0)
        print(os.waitstatus_to_exitcode(status), flush=True)

    t = threading.Thread(target=forker)
    t.start()
    t.join()
""")


def test_a_child_forked_from_a_thread_stops_a_wait_on_a_signal():
    # In the child the forking thread is the main thread, where Python runs
    # signal handlers: its waits must end on a signal as the main thread's do.
    out = subprocess.run([sys.executable, "-W", "ignore", "-c", FORK_FROM_A_THREAD], capture_output=True,
                         text=True, timeout=60)
    assert out.stdout == "0\n", out.stderr
