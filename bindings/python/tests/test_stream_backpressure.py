"""A write held back by the high-water mark waits interruptibly: a signal
ends it at once, and it writes nothing."""
import signal
import subprocess
import sys
import textwrap
import threading
import time

import pytest

import chunkbuf

SIGINT_CHILD = textwrap.dedent("""
    import sys
    import threading
    import chunkbuf
    s = chunkbuf.Stream(high_water=8)
    s.write(b"01234567")
    data = bytearray(b"89")
    refs = sys.getrefcount(data)

    def report_blocked():
        while s.waiting()[1] == 0:  # the engine's count of writers held back
            pass
        print("blocked", flush=True)

    threading.Thread(target=report_blocked, daemon=True).start()
    try:
        {write}  # no reader comes: waits until Ctrl-C
    except KeyboardInterrupt:
        print("interrupted", flush=True)
    s.write_eof()
    assert s.read() == b"01234567", "the interrupted write wrote something"
    assert sys.getrefcount(data) == refs, "the object was not let go exactly once"
    data.append(0)  # raises BufferError while something still exports it
    print("nothing written", flush=True)
""")


@pytest.mark.parametrize("write", ["s.write(data)", "s.write_ref(data)"])
def test_ctrl_c_stops_a_write_held_by_the_high_water_mark(write):
    child = subprocess.Popen([sys.executable, "-c", SIGINT_CHILD.replace("{write}", write)],
                             stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline() == "blocked\n"
        start = time.monotonic()
        child.send_signal(signal.SIGINT)
        out, _ = child.communicate(timeout=10)  # a write the signal does not end fails here
        assert time.monotonic() - start < 2
        assert out == "interrupted\nnothing written\n"
        assert child.returncode == 0
    finally:
        child.kill()
        child.wait(10)


def test_a_signal_handler_that_raises_ends_a_held_write():
    class Stop(Exception):
        pass

    def stop(signum, frame):
        raise Stop

    s = chunkbuf.Stream(high_water=4)
    s.write(b"abcd")
    blocked = threading.Event()

    def signal_once_held():
        while s.waiting()[1] == 0:
            pass
        blocked.set()
        signal.pthread_kill(threading.main_thread().ident, signal.SIGUSR1)

    previous = signal.signal(signal.SIGUSR1, stop)
    try:
        t = threading.Thread(target=signal_once_held)
        t.start()
        with pytest.raises(Stop):
            s.write(b"ef")
        t.join()
    finally:
        signal.signal(signal.SIGUSR1, previous)
    assert blocked.is_set()
    assert s.waiting() == (0, 0)
    s.write_eof()
    assert s.read() == b"abcd"


def test_a_held_write_resumes_when_a_reader_catches_up():
    s = chunkbuf.Stream(high_water=4)
    s.write(b"abcd")
    got = []

    def read_once_held():
        while s.waiting()[1] == 0:
            pass
        got.append(s.read(4))

    t = threading.Thread(target=read_once_held)
    t.start()
    assert s.write(b"ef") == 2
    t.join()
    s.write_eof()
    assert got == [b"abcd"]
    assert s.read() == b"ef"


def test_a_held_write_that_times_out_writes_nothing():
    s = chunkbuf.Stream(high_water=4)
    s.write(b"abcd")
    with pytest.raises(chunkbuf.TimeoutError):
        s.write(b"ef", timeout=0.01)
    assert s.waiting() == (0, 0)
    s.write_eof()
    assert s.read() == b"abcd"


def test_an_abort_ends_a_held_write_with_its_code():
    s = chunkbuf.Stream(high_water=4)
    s.write(b"abcd")

    def abort_once_held():
        while s.waiting()[1] == 0:
            pass
        s.abort(7)

    t = threading.Thread(target=abort_once_held)
    t.start()
    with pytest.raises(chunkbuf.AbortedError) as info:
        s.write(b"ef")
    t.join()
    assert info.value.abort_code == 7


def test_a_signal_ends_a_held_write_view():
    class Stop(Exception):
        pass

    def stop(signum, frame):
        raise Stop

    s = chunkbuf.Stream(high_water=4)
    s.write(b"abcd")

    def signal_once_held():
        while s.waiting()[1] == 0:
            pass
        signal.pthread_kill(threading.main_thread().ident, signal.SIGUSR1)

    previous = signal.signal(signal.SIGUSR1, stop)
    try:
        t = threading.Thread(target=signal_once_held)
        t.start()
        with pytest.raises(Stop):
            s.write_view(chunkbuf.View(b"ef"))
        t.join()
    finally:
        signal.signal(signal.SIGUSR1, previous)
    s.write_eof()
    assert s.read() == b"abcd"


def test_a_signal_ends_a_held_write_ref_and_lets_the_object_go_once():
    class Stop(Exception):
        pass

    def stop(signum, frame):
        raise Stop

    s = chunkbuf.Stream(high_water=4)
    s.write(b"abcd")
    data = bytearray(b"ef")
    refs = sys.getrefcount(data)

    def signal_once_held():
        while s.waiting()[1] == 0:
            pass
        signal.pthread_kill(threading.main_thread().ident, signal.SIGUSR1)

    previous = signal.signal(signal.SIGUSR1, stop)
    try:
        t = threading.Thread(target=signal_once_held)
        t.start()
        with pytest.raises(Stop):
            s.write_ref(data, timeout=30)  # a wait the signal does not end fails with TimeoutError
        t.join()
    finally:
        signal.signal(signal.SIGUSR1, previous)
    assert s.waiting() == (0, 0)
    assert sys.getrefcount(data) == refs
    data.append(0)  # not exported any more
    s.write_eof()
    assert s.read() == b"abcd"


def test_a_write_ref_keeps_the_object_exported_until_its_bytes_are_read():
    s = chunkbuf.Stream()
    data = bytearray(b"0123456789")
    refs = sys.getrefcount(data)
    assert s.write_ref(data) == 10
    assert sys.getrefcount(data) == refs + 1
    with pytest.raises(BufferError):
        data.append(0)  # the stream refers to its bytes
    assert s.read(4) == b"0123"
    assert sys.getrefcount(data) == refs + 1
    assert s.read(6) == b"456789"
    assert sys.getrefcount(data) == refs
    data.append(0)


def test_a_write_ref_the_stream_refuses_lets_the_object_go():
    s = chunkbuf.Stream(max_bytes=4)
    data = bytearray(b"0123456789")
    refs = sys.getrefcount(data)
    with pytest.raises(chunkbuf.LimitError):
        s.write_ref(data)
    assert sys.getrefcount(data) == refs
    data.append(0)
    with pytest.raises(TypeError):
        s.write_ref("text")  # not bytes-like: refused before the engine is reached


@pytest.mark.parametrize("how", ["write_view", "write_ref"])
def test_a_held_zero_copy_write_times_out_and_then_goes_in(how):
    s = chunkbuf.Stream(high_water=4)
    s.write(b"abcd")
    data = bytearray(b"ef")
    write = (lambda **kw: s.write_view(chunkbuf.View(bytes(data)), **kw)) if how == "write_view" \
        else (lambda **kw: s.write_ref(data, **kw))
    pinned, refs = chunkbuf._ffi.pinned_count(), sys.getrefcount(data)
    with pytest.raises(TimeoutError):
        write(timeout=0.05)
    assert chunkbuf._ffi.pinned_count() == pinned and sys.getrefcount(data) == refs
    data.append(0)  # nothing exports it any more: it can be resized
    del data[-1]
    assert s.read(4) == b"abcd"
    assert write() == 2
    s.write_eof()
    assert s.read() == b"ef"
    # read and dropped: let go exactly once
    assert chunkbuf._ffi.pinned_count() == pinned and sys.getrefcount(data) == refs
    data.append(0)


def test_a_write_ref_held_on_another_thread_goes_in_when_a_reader_catches_up():
    s = chunkbuf.Stream(high_water=4)
    s.write(b"abcd")
    data = bytearray(b"ef")
    refs = sys.getrefcount(data)
    got = []
    t = threading.Thread(target=lambda: got.append(s.write_ref(data)))  # no signal set-up off the main thread
    t.start()
    while s.waiting()[1] == 0:
        pass
    assert s.read(4) == b"abcd"
    t.join()
    assert got == [2]
    s.write_eof()
    assert s.read() == b"ef"
    assert sys.getrefcount(data) == refs  # every attempt's export let go
    data.append(0)


def test_an_abort_ends_a_held_write_ref_and_lets_the_object_go():
    s = chunkbuf.Stream(high_water=4)
    s.write(b"abcd")
    data = bytearray(b"ef")
    refs = sys.getrefcount(data)

    def abort_once_held():
        while s.waiting()[1] == 0:
            pass
        s.abort(9)

    t = threading.Thread(target=abort_once_held)
    t.start()
    with pytest.raises(chunkbuf.AbortedError) as info:
        s.write_ref(data, timeout=30)
    t.join()
    assert info.value.abort_code == 9
    del info  # its traceback's frames refer to data
    assert sys.getrefcount(data) == refs
    data.append(0)


def test_a_write_held_at_high_water_resumes_at_low_water():
    with pytest.raises(chunkbuf.Error, match="low_water 4 must be below high_water 4"):
        chunkbuf.Stream(high_water=4, low_water=4)
    s = chunkbuf.Stream(high_water=8, low_water=2)
    s.write(b"abcdefgh")
    writer = threading.Thread(target=s.write, args=(b"X",))
    writer.start()
    deadline = time.monotonic() + 10
    while s.waiting()[1] == 0 and time.monotonic() < deadline:
        time.sleep(0.001)
    assert s.waiting()[1] == 1, "the write was not held at the mark"
    assert s.read(5) == b"abcde"
    assert s.waiting()[1] == 1, "woken above low_water (3 unread, low_water 2)"
    assert s.read(1) == b"f"
    writer.join(10)
    assert not writer.is_alive(), "not woken at low_water"
    assert s.read(3) == b"ghX"
