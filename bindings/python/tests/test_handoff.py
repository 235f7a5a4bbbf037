"""A host hands a chunkbuf_stream * / chunkbuf_view * to Python, which
shares ownership: whoever lets go last frees it. Every order is run with a
reader blocked (the suite also runs under ASan)."""
import ctypes
import gc
import threading

import pytest

import chunkbuf
from chunkbuf import ffi, lib
from chunkbuf.pybuffer import PyBuffer

from handoff_util import address, host_stream, wait_waiting


@pytest.mark.parametrize("form", ["int", "cdata", "void*", "ctypes"])
def test_stream_from_handle_accepts_pointer_forms(form):
    h = host_stream()
    arg = {"int": address(h), "cdata": h, "void*": ffi.cast("void *", h),
           "ctypes": ctypes.c_void_p(address(h))}[form]
    s = chunkbuf.Stream.from_handle(arg)
    assert int(ffi.cast("uintptr_t", s.handle)) == address(h)
    assert lib.chunkbuf_stream_write(h, b"from C", 6, 0) == 0
    assert s.read(6) == b"from C"
    lib.chunkbuf_stream_release(h)


def test_from_handle_rejects_null_and_freed_handles():
    for bad in (0, None, ffi.NULL):
        with pytest.raises(ValueError):
            chunkbuf.Stream.from_handle(bad)
    with pytest.raises(ValueError):
        chunkbuf.View.from_handle(0)
    with pytest.raises(TypeError):
        chunkbuf.Stream.from_handle("0x1234")
    h = host_stream()
    lib.chunkbuf_stream_release(h)
    with pytest.raises(chunkbuf.HandleError):
        chunkbuf.Stream.from_handle(address(h))  # quarantined: reported, not followed


def blocked_python_reader(stream, n):
    """A thread blocked in stream.read(n); its result goes to .result."""
    result = []

    def run():
        try:
            result.append(stream.read(n))
        except chunkbuf.Error as exc:
            result.append(exc)
    t = threading.Thread(target=run)
    t.result = result
    t.start()
    return t


def test_host_lets_go_first_while_python_reads():
    h = host_stream()
    s = chunkbuf.Stream.from_handle(address(h))
    writer = chunkbuf.Stream.from_handle(address(h))  # a third holder
    reader = blocked_python_reader(s, 5)
    wait_waiting(h, readers=1)
    lib.chunkbuf_stream_release(h)  # the host's reference: not the last
    wait_waiting(s.handle, readers=1)  # the reader still waits, unharmed
    writer.write(b"hello")
    reader.join()
    assert reader.result == [b"hello"]
    del writer, s
    gc.collect()  # the last Python reference frees the stream


def test_python_lets_go_first_while_a_c_reader_waits():
    h = host_stream()
    s = chunkbuf.Stream.from_handle(address(h))
    out = ffi.new("char[4]")
    nread = ffi.new("size_t *")
    rcs = []
    # A host thread blocked in C on its own reference (cffi drops the GIL).
    t = threading.Thread(target=lambda: rcs.append(lib.chunkbuf_stream_read(h, out, 4, -1, nread)))
    t.start()
    wait_waiting(h, readers=1)
    s.write(b"ab")
    del s
    gc.collect()  # Python's reference goes; the host's keeps the stream
    wait_waiting(h, readers=1)
    assert lib.chunkbuf_stream_write(h, b"cd", 2, 0) == 0
    t.join()
    assert rcs == [0] and ffi.unpack(out, nread[0]) == b"abcd"
    lib.chunkbuf_stream_release(h)


def test_last_release_wakes_a_blocked_reader():
    h = host_stream()
    s = chunkbuf.Stream.from_handle(address(h))
    out = ffi.new("char[4]")
    nread = ffi.new("size_t *")
    rcs = []
    t = threading.Thread(target=lambda: rcs.append(lib.chunkbuf_stream_read(h, out, 4, -1, nread)))
    t.start()
    wait_waiting(h, readers=1)
    # Python lets go, then the host: the last release wakes the reader
    # (EHANDLE) and waits for it to leave before freeing.
    del s
    gc.collect()
    lib.chunkbuf_stream_release(h)
    t.join()
    assert rcs == [lib.CHUNKBUF_EHANDLE]


def test_pybuffer_shares_a_host_stream():
    h = host_stream(retain=True)
    buf = PyBuffer.from_handle(address(h))
    reader = threading.Thread(target=lambda: reader.result.append(buf.read(100)))
    reader.result = []
    reader.start()
    wait_waiting(h, readers=1)
    assert lib.chunkbuf_stream_write(h, b"body", 4, 0) == 0
    reader.join()
    assert reader.result == [b"body"]
    assert lib.chunkbuf_stream_close(h) == 0
    lib.chunkbuf_stream_release(h)  # the host is done; the reader keeps it
    buf.seek(0)
    assert buf.read() == b"body" and buf.seekable()


def host_view(data):
    out = ffi.new("chunkbuf_view **")
    assert lib.chunkbuf_view_from_bytes(ffi.NULL, data, len(data), out) == 0
    return out[0]


@pytest.mark.parametrize("host_first", [True, False])
def test_view_from_handle_in_either_order(host_first):
    h = host_view(b"a view from the host")
    v = chunkbuf.View.from_handle(address(h))
    mv = memoryview(v)  # zero copy: the same bytes the host sees
    base = ffi.new("const void **")
    n = ffi.new("size_t *")
    assert lib.chunkbuf_view_data(h, base, n) == 0
    assert int(ffi.cast("uintptr_t", ffi.from_buffer(mv))) == int(ffi.cast("uintptr_t", base[0]))
    if host_first:
        lib.chunkbuf_view_release(h)
        assert v == b"a view from the host"
        del v
    else:
        del v
        gc.collect()
        assert ffi.unpack(ffi.cast("char *", base[0]), n[0]) == b"a view from the host"
        lib.chunkbuf_view_release(h)
    assert bytes(mv) == b"a view from the host"  # the memoryview holds its own reference
    mv.release()
