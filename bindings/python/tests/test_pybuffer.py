"""chunkbuf.pybuffer.PyBuffer keeps erlang-python py_buffer's documented
reader behaviour; a writer shares the same C stream."""
import os
import threading

import pytest

import chunkbuf
from chunkbuf import ffi, lib
from chunkbuf.pybuffer import PyBuffer

from handoff_util import wait_waiting


def pair(content_length=None, **kw):
    """(reader, writer) over one retained stream."""
    buf = PyBuffer(content_length, **kw)
    return buf, chunkbuf.Stream.from_handle(buf.handle)


def test_read_returns_what_is_there_and_blocks_only_while_empty():
    buf, w = pair()
    w.write(b"abc")
    assert buf.read(100) == b"abc"  # does not wait for 100 bytes
    got = []
    reader = threading.Thread(target=lambda: got.append(buf.read(100)))
    reader.start()
    wait_waiting(buf.handle, readers=1)  # blocked: nothing is there
    w.write(b"de")
    reader.join()
    assert got == [b"de"]
    w.write(b"fgh")
    w.write_eof()
    assert buf.read(2) == b"fg" and buf.read(10) == b"h"
    assert buf.read(10) == b"" and buf.read() == b""  # b"" at EOF


def test_read_all_waits_for_eof():
    buf, w = pair()
    w.write(b"head ")
    got = []
    reader = threading.Thread(target=lambda: got.append(buf.read()))
    reader.start()
    wait_waiting(buf.handle, readers=1)
    w.write(b"body")
    wait_waiting(buf.handle, readers=1)  # still waiting: no EOF yet
    w.write_eof()
    reader.join()
    assert got == [b"head body"]


def test_content_length_preallocates_and_read_waits_for_eof():
    body = bytes(range(256)) * 40
    buf, w = pair(len(body))
    assert buf.content_length == len(body)
    got = []
    reader = threading.Thread(target=lambda: got.append(buf.read()))
    reader.start()
    wait_waiting(buf.handle, readers=1)
    for i in range(0, len(body), 1000):
        w.write(body[i:i + 1000])  # the stream closes itself at content_length
    reader.join()
    assert got == [body] and buf.at_eof()
    with pytest.raises(chunkbuf.LimitError):
        w.write(b"x")


def test_read_nonblock_readable_amount_and_at_eof():
    buf, w = pair()
    assert buf.read_nonblock(10) == b"" and buf.read_nonblock() == b""  # never raises
    assert buf.readable_amount() == 0 and len(buf) == 0 and not buf.at_eof()
    w.write(b"0123456789")
    assert buf.readable_amount() == 10 and len(buf) == 10
    assert buf.read_nonblock(4) == b"0123"
    assert buf.read_nonblock() == b"456789"
    w.write_eof()
    assert buf.at_eof() and buf.read_nonblock() == b""


def test_readline_readlines_with_byte_hint_and_iteration():
    buf, w = pair()
    w.write(b"one\ntwo\nthree\nfour\nfive")
    assert buf.readline() == b"one\n"
    assert buf.readline(2) == b"tw"
    assert buf.readline() == b"o\n"
    assert buf.readlines(3) == [b"three\n"]  # stops once the hint is reached
    w.write_eof()
    assert buf.readlines() == [b"four\n", b"five"]
    assert buf.readline() == b"" and buf.readlines() == []
    buf.seek(0)
    assert list(buf) == [b"one\n", b"two\n", b"three\n", b"four\n", b"five"]
    assert iter(buf) is buf


def test_seek_and_tell_over_retained_bytes():
    buf, w = pair()
    w.write(b"0123456789")
    assert buf.read(4) == b"0123" and buf.tell() == 4
    assert buf.seek(0) == 0 and buf.read(2) == b"01"
    assert buf.seek(3, os.SEEK_CUR) == 5 and buf.read(1) == b"5"
    with pytest.raises(chunkbuf.StateError):
        buf.seek(-2, os.SEEK_END)  # only after EOF
    with pytest.raises(chunkbuf.RangeError):
        buf.seek(11)  # past the bytes written
    assert buf.tell() == 6
    w.write_eof()
    assert buf.seek(-2, os.SEEK_END) == 8 and buf.read() == b"89"
    assert buf.seek(0) == 0 and buf.read() == b"0123456789"


def test_find():
    buf, w = pair()
    w.write(b"GET / HTTP/1.1\r\nHost: x\r\n\r\nbody")
    assert buf.find(b"\r\n") == 14
    assert buf.find(b"\r\n\r\n") == 23
    assert buf.find(b"Host", 5, 20) == 16
    assert buf.find(b"Host", 5, 18) == -1  # must lie wholly inside [start, end)
    assert buf.find(b"absent") == -1
    assert buf.find(b"") == 0 and buf.find(b"", 7) == 7
    assert buf.find(b"", 31) == 31  # the end of the data
    assert buf.find(b"", 32) == -1 and buf.find(b"G", 100) == -1  # start past the data
    buf.read(4)
    assert buf.find(b"/") == 0  # relative to the read position
    with pytest.raises(ValueError):
        buf.find(b"x", -1)


def segment_address(handle):
    """The address of the stream's first unread byte, from the C side."""
    out = ffi.new("chunkbuf_view **")
    h = ffi.new("chunkbuf_handout *")
    assert lib.chunkbuf_stream_peek(handle, 0, lib.CHUNKBUF_NPOS, ffi.NULL, out, h) == 0
    try:
        iov = ffi.new("struct iovec[1]")
        n = ffi.new("size_t *")
        assert lib.chunkbuf_view_segments(out[0], 0, iov, 1, n) == 0 and n[0] == 1
        return int(ffi.cast("uintptr_t", iov[0].iov_base))
    finally:
        lib.chunkbuf_view_release(out[0])


def test_memoryview_is_zero_copy_readonly_pool_memory():
    body = b"x" * 1000 + b"BOUNDARY" + b"y" * 1000
    buf, w = pair(len(body))
    w.write(body[:1500])
    buf.read(10)
    mv = memoryview(buf)
    assert mv.readonly and mv.ndim == 1 and mv.format == "B" and mv.itemsize == 1
    assert mv.nbytes == 1490 and bytes(mv) == body[10:1500]
    # The memoryview's first byte is the stream's own unread byte in pool memory.
    assert int(ffi.cast("uintptr_t", ffi.from_buffer(mv))) == segment_address(buf.handle)
    pos = buf.find(b"BOUNDARY")
    assert bytes(mv[pos:pos + 8]) == b"BOUNDARY"
    with pytest.raises(TypeError):
        mv[0] = 1
    # Valid until released, whatever the reader and writer do meanwhile.
    w.write(body[1500:])
    assert buf.read() == body[10:]
    buf.close()
    del buf, w
    assert bytes(mv[:5]) == b"xxxxx" and len(mv) == 1490
    mv.release()


def test_memoryview_of_several_segments_and_of_nothing():
    buf, w = pair()
    chunks = [bytes([65 + i]) * 70000 for i in range(3)]  # more than one block
    for c in chunks:
        w.write(c)
    with memoryview(buf) as mv:
        assert mv.nbytes == 210000 and bytes(mv) == b"".join(chunks)
    w.write_eof()
    assert buf.read() == b"".join(chunks)
    with memoryview(buf) as mv:
        assert mv.nbytes == 0


def test_file_object_flags_len_close():
    buf, w = pair()
    assert buf.readable() and not buf.writable() and buf.seekable() and not buf.closed
    w.write(b"abc")
    assert len(buf) == 3
    with buf:
        pass
    assert buf.closed
    with pytest.raises(ValueError):
        buf.read(1)
    with pytest.raises(chunkbuf.ClosedError):
        w.write(b"more")  # py_buffer: a write after close reports closed


def test_abort_makes_a_blocked_read_raise():
    buf, w = pair()
    errors = []

    def read():
        try:
            buf.read(10)
        except chunkbuf.AbortedError as exc:
            errors.append(exc.abort_code)
    reader = threading.Thread(target=read)
    reader.start()
    wait_waiting(buf.handle, readers=1)
    w.abort(104)
    reader.join()
    assert errors == [104]


def test_from_handle_of_a_streaming_stream_reads_but_does_not_seek():
    s = chunkbuf.Stream()
    buf = PyBuffer.from_stream(s)
    s.write(b"line\nrest")
    s.write_eof()
    assert not buf.seekable()
    assert list(buf) == [b"line\n", b"rest"]
    with pytest.raises(chunkbuf.StateError):
        buf.seek(0)
    with pytest.raises(TypeError):
        PyBuffer.from_stream(b"no")
