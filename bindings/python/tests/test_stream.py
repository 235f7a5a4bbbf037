import io
import os
import signal
import threading
import time

import pytest

import chunkbuf
from chunkbuf import _ffi, stream as stream_module

from conftest import feed


def test_file_protocol_flags():
    with chunkbuf.Stream() as s:
        assert s.readable() and s.writable() and not s.seekable() and not s.closed
        assert s and len(s) == 0
    assert s.closed
    assert chunkbuf.Stream(retain=True).seekable()


def test_read_variants():
    s = chunkbuf.Stream()
    s.write(b"hello\nworld\nlast")
    s.write_eof()
    assert s.read(3) == b"hel"
    assert s.read1(100) == b"lo\nworld\nlast"
    assert s.read() == b"" and s.read(5) == b"" and s.at_eof()


def test_readinto_fills_caller_memory():
    s = chunkbuf.Stream()
    feed(s, [b"abc", b"defg", b"h"])
    buf = bytearray(6)
    assert s.readinto(buf) == 6 and buf == b"abcdef"
    assert s.readinto(memoryview(buf)[:4]) == 2 and buf[:2] == b"gh"
    assert s.readinto(buf) == 0


def test_readinto1_and_read_view():
    s = chunkbuf.Stream()
    s.write(b"0123456789")
    buf = bytearray(4)
    assert s.readinto1(buf) == 4
    v = s.read_view(3)
    assert isinstance(v, chunkbuf.View) and v == b"456"
    s.write_eof()
    assert s.read_view() == b"789"


def test_readline_readlines_and_iteration():
    s = chunkbuf.Stream()
    feed(s, [b"one\ntw", b"o\nthree\n", b"four"])
    assert s.readline() == b"one\n"
    assert s.readline(2) == b"tw"
    assert s.readlines() == [b"o\n", b"three\n", b"four"]
    s = chunkbuf.Stream()
    feed(s, [b"a\nb\n", b"c"])
    assert list(s) == [b"a\n", b"b\n", b"c"]


def test_readline_and_readlines_with_sizes_wait_as_a_pipe_does():
    # The same pieces through a Stream and through os.pipe() +
    # io.BufferedReader, each written by a thread: every call waits for
    # what it needs (readlines(hint) for lines reaching hint bytes,
    # readline(size) for a line or size bytes), so both give the same.
    pieces = [b"a\n", b"bb\nccc", b"c\n", b"dd", b"dddddddd", b"ee\nf\n", b"tail"]
    calls = [lambda f: f.readlines(6), lambda f: f.readline(4), lambda f: f.readline(1),
             lambda f: f.readline(5), lambda f: f.readline(3), lambda f: f.readline(1),
             lambda f: f.readlines(100), lambda f: f.readline(), lambda f: f.readlines(1)]
    r, w = os.pipe()
    pipe = io.BufferedReader(io.FileIO(r, "rb"))

    def write_pipe():
        for piece in pieces:
            time.sleep(0.005)
            os.write(w, piece)
        os.close(w)

    threading.Thread(target=write_pipe, daemon=True).start()
    want = [call(pipe) for call in calls]
    pipe.close()
    assert want[0] == [b"a\n", b"bb\n", b"cccc\n"]  # the pipe's own answer
    s = chunkbuf.Stream()
    feed(s, pieces, delay=0.005)
    assert [call(s) for call in calls] == want


def test_readlines_with_a_hint_takes_up_to_it_and_leaves_the_rest():
    lines = [b"%d\n" % i for i in range(1000)]
    s = chunkbuf.Stream()
    s.write(b"".join(lines))
    hint = len(b"".join(lines[:300]))
    assert s.readlines(hint) == lines[:300]  # more than one look's worth of lines
    assert s.readlines(1) == lines[300:301]
    assert s.readable_amount() == len(b"".join(lines[301:]))
    with pytest.raises(chunkbuf.TimeoutError):
        s.readlines(10**9, timeout=0.05)  # not there yet: nothing taken
    assert s.readable_amount() == len(b"".join(lines[301:]))
    s.write_eof()  # a stream that ends with b"\n": all that is left
    assert s.readlines(10**9) == lines[301:]
    assert s.readlines(5) == [] and s.readline(5) == b""


def test_leaving_an_iteration_early_loses_nothing():
    s = chunkbuf.Stream()
    s.write(b"".join(b"%d\n" % i for i in range(10)))
    s.write_eof()
    for line in s:
        if line == b"2\n":
            break
    assert s.readable_amount() == len(b"".join(b"%d\n" % i for i in range(3, 10)))
    assert s.find(b"5\n") == 4
    assert s.readline() == b"3\n"
    assert s.read(2) == b"4\n"
    assert list(s) == [b"%d\n" % i for i in range(5, 10)]


def test_threads_iterating_one_stream_share_its_lines():
    s = chunkbuf.Stream()
    expected = [b"%d\n" % i for i in range(20000)]
    feed(s, [b"".join(expected[i:i + 700]) for i in range(0, len(expected), 700)], delay=0.001)
    got = [[] for _ in range(4)]

    def reader(out):
        while True:
            for n, line in enumerate(s, 1):
                out.append(line)
                if n == 37:  # leave the loop early now and then
                    break
            else:
                return

    threads = [threading.Thread(target=reader, args=(out,)) for out in got]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(sum(got, []), key=lambda line: int(line)) == expected


def test_find_sees_every_unread_byte_and_consumes_nothing():
    s = chunkbuf.Stream()
    s.write(b"a\nb\nc")
    for line in s:
        break
    assert s.find(b"c") == 2 and s.readable_amount() == 3
    feed(s, [b"d\ne\n"])
    assert list(s) == [b"b\n", b"cd\n", b"e\n"]


def test_lines_that_are_there_take_no_cffi_call(count_calls):
    # iteration and readline hand out what is there from _accel, with the
    # GIL held; cffi (which drops the GIL) is only for waiting
    s = chunkbuf.Stream()
    s.write(b"".join(b"line %d\n" % i for i in range(3000)))
    s.write_eof()
    counter = count_calls(stream_module)
    assert s.readline() == b"line 0\n"
    lines = [line for line in s]  # (list(s) would ask len(s) first)
    assert len(lines) == 2999 and lines[-1] == b"line 2999\n"
    assert sum(counter.calls.values()) == 0


def test_nonblocking_inspection():
    s = chunkbuf.Stream()
    with pytest.raises(chunkbuf.WouldBlockError):
        s.read_nonblock()
    s.write(b"abc\r\ndef")
    assert s.readable_amount() == len(s) == 8
    assert s.find(b"\r\n") == 3 and s.find(b"zz") == -1
    assert s.read_nonblock(2) == b"ab"
    assert s.tell() == 2
    assert not s.at_eof()
    s.write_eof()
    assert s.read_nonblock() == b"c\r\ndef"
    assert s.read_nonblock() == b"" and s.at_eof()


def test_timeouts():
    s = chunkbuf.Stream(timeout=0.05)
    start = time.monotonic()
    with pytest.raises(chunkbuf.TimeoutError) as info:
        s.read(1)
    assert isinstance(info.value, TimeoutError)
    assert time.monotonic() - start >= 0.04
    s.write(b"partial")
    with pytest.raises(TimeoutError):
        s.read(100, timeout=0.02)
    with pytest.raises(chunkbuf.WouldBlockError):
        s.readline(timeout=0)
    assert s.read(7, timeout=0) == b"partial"


def test_a_waiting_read_releases_the_gil():
    s = chunkbuf.Stream()
    progress = 0
    stop = threading.Event()

    def spin():
        nonlocal progress
        while not stop.is_set():
            progress += 1

    spinner = threading.Thread(target=spin)
    spinner.start()
    try:
        with pytest.raises(chunkbuf.TimeoutError):
            s.read(1, timeout=0.3)
        reader = threading.Thread(target=lambda: s.read(1, timeout=5))
        reader.start()
        give_up = time.monotonic() + 10
        while s.waiting()[0] < 1 and time.monotonic() < give_up:
            time.sleep(0.001)
        assert s.waiting()[0] == 1, "the reader never blocked"
        blocked_at = progress
        # The spinner keeps running while the read waits in C without the GIL.
        while progress - blocked_at <= 10000 and time.monotonic() < give_up:
            time.sleep(0.001)
        assert s.waiting()[0] == 1 and progress - blocked_at > 10000
        s.write(b"x")
        reader.join(5)
        assert not reader.is_alive()
    finally:
        stop.set()
        spinner.join()


def test_blocked_reader_wakes_on_eof_and_abort():
    s = chunkbuf.Stream()
    feed(s, [b"tail"], delay=0.05)
    assert s.read(100) == b"tail"
    s = chunkbuf.Stream()
    threading.Timer(0.05, lambda: s.abort(42)).start()
    with pytest.raises(chunkbuf.AbortedError) as info:
        s.read(1, timeout=5)
    assert info.value.abort_code == 42 == s.abort_code
    assert chunkbuf.Stream().abort_code is None


@pytest.mark.parametrize("call", [
    lambda s: s.read(1), lambda s: s.read1(), lambda s: s.readinto(bytearray(4)), lambda s: s.readline(),
    lambda s: next(s), lambda s: s.write(b"x"),
])
def test_an_abort_met_without_waiting_carries_its_code(call):
    # the non-blocking attempts in C report errors through the waiting path
    s = chunkbuf.Stream()
    s.write(b"line\n")
    s.abort(7)
    with pytest.raises(chunkbuf.AbortedError) as info:
        call(s)
    assert info.value.abort_code == 7


def test_close_wakes_a_reader_in_another_thread():
    s = chunkbuf.Stream()
    got = []
    reader = threading.Thread(target=lambda: got.append(s.read(10, timeout=5)))
    reader.start()
    # Close only once the engine reports the reader blocked in its wait.
    give_up = time.monotonic() + 10
    while s.waiting()[0] < 1 and time.monotonic() < give_up:
        time.sleep(0.001)
    blocked = s.waiting()[0]
    s.write_eof()
    reader.join(5)
    assert blocked == 1, "the reader was not blocked when the stream closed"
    assert not reader.is_alive() and got == [b""]


def test_retained_seek_and_tell():
    s = chunkbuf.Stream(retain=True)
    s.write(b"request body")
    assert s.read(7) == b"request" and s.tell() == 7
    with pytest.raises(chunkbuf.StateError):
        s.seek(-4, os.SEEK_END)  # only after EOF
    s.write_eof()
    assert s.seek(0) == 0 and s.read() == b"request body"
    assert s.seek(-4, os.SEEK_END) == 8 and s.read() == b"body"
    assert s.seek(-4, os.SEEK_CUR) == 8
    with pytest.raises(chunkbuf.RangeError):
        s.seek(100)
    with pytest.raises(ValueError):
        s.seek(0, 7)
    with pytest.raises(chunkbuf.StateError):
        chunkbuf.Stream().seek(0)


def test_content_length_and_limits():
    s = chunkbuf.Stream(4)
    s.write(b"abcd")
    assert s.read() == b"abcd"  # closed itself after 4 bytes
    s = chunkbuf.Stream(max_bytes=4)
    with pytest.raises(chunkbuf.LimitError):
        s.write(b"abcde")
    assert len(s) == 0


def test_high_water_makes_writers_wait():
    s = chunkbuf.Stream(high_water=4)
    s.write(b"abcd")
    with pytest.raises(chunkbuf.WouldBlockError):
        s.write(b"e", timeout=0)
    threading.Timer(0.05, lambda: s.read(4)).start()
    s.write(b"e", timeout=5)
    assert s.read(1) == b"e"


def test_zero_copy_writes():
    s = chunkbuf.Stream()
    data = bytearray(b"by reference")
    assert s.write_ref(data) == 12
    assert s.write_view(chunkbuf.View(b"!")) == 1
    s.write_eof()
    assert s.read() == b"by reference!"
    del s
    assert _ffi.pinned_count() == 0


def test_repr():
    s = chunkbuf.Stream(retain=True)
    s.write(b"ab")
    assert repr(s) == "<chunkbuf.Stream unread=2 retained>"
    s.close()
    assert repr(s) == "<chunkbuf.Stream unread=2 retained>"  # closed for writing, 2 bytes still to read
    assert s.read() == b"ab"
    assert repr(s) == "<chunkbuf.Stream closed retained>"


def test_an_unbounded_wait_can_be_interrupted_by_a_signal():
    def interrupt(signum, frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGALRM, interrupt)
    try:
        signal.setitimer(signal.ITIMER_REAL, 0.1)
        start = time.monotonic()
        with pytest.raises(KeyboardInterrupt):
            chunkbuf.Stream().read(1)  # no timeout: waits until the signal
        assert time.monotonic() - start < 2
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
