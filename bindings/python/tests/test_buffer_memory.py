"""Buffer lends its own memory: peek, coalesce and segments() as read-only
memoryviews valid until the buffer changes, and the buffer protocol
(memoryview(buf), hashlib, socket.send), which pins the bytes."""
import gc
import hashlib
import socket
import weakref

import pytest

import chunkbuf
from chunkbuf import ffi


def address(mem):
    return int(ffi.cast("uintptr_t", ffi.from_buffer(mem)))


def segments_of(b):
    """The addresses and lengths of b's segments (from the C API)."""
    count = b.segment_count
    iov = ffi.new("struct iovec[]", count)
    n = ffi.new("size_t *")
    # b._h, not b.handle: whoever takes the handle may change the bytes, so
    # b.handle ends what the buffer lent
    assert chunkbuf.lib.chunkbuf_buffer_peek(b._h, chunkbuf.lib.CHUNKBUF_NPOS, iov, count, n) == 0
    return [(int(ffi.cast("uintptr_t", iov[i].iov_base)), iov[i].iov_len) for i in range(n[0])]


def two_segments():
    b = chunkbuf.Buffer()
    b.append_ref(b"hello ")
    b.append_ref(b"world")
    assert b.segment_count == 2
    return b


def test_peek_lends_the_segment_itself():
    b = two_segments()
    (first, _), (second, _) = segments_of(b)
    mem = b.peek(5)
    assert isinstance(mem, memoryview) and mem.readonly
    assert mem == b"hello" and address(mem) == first
    tail = b.peek(3, offset=7)
    assert tail == b"orl" and address(tail) == second + 1
    assert len(b) == 11  # nothing consumed
    with pytest.raises(TypeError):
        mem[0] = 0


def test_peek_across_segments_makes_them_contiguous_once():
    b = two_segments()
    mem = b.peek()
    assert mem == b"hello world" and b.segment_count == 1
    assert address(mem) == segments_of(b)[0][0]
    again = b.peek(5)  # already contiguous: the same memory, and mem stays valid
    assert address(again) == address(mem) and mem == b"hello world"


def test_coalesce_returns_a_memoryview_of_the_front():
    b = two_segments()
    front = b.coalesce(8)
    assert front == b"hello wo" and address(front) == segments_of(b)[0][0]
    assert b.coalesce(0) == b""
    with pytest.raises(chunkbuf.RangeError):
        b.coalesce(12)


def test_segments_are_memoryviews_of_each_segment():
    b = two_segments()
    parts = b.segments()
    assert [bytes(p) for p in parts] == [b"hello ", b"world"]
    assert [(address(p), len(p)) for p in parts] == segments_of(b)
    assert chunkbuf.Buffer().segments() == []


@pytest.mark.parametrize("change", [
    lambda b: b.advance(1), lambda b: b.append(b"!"), lambda b: b.read(2), lambda b: b.take_line(),
    lambda b: b.split_to(1), lambda b: list(b), lambda b: b.close(),
])
def test_a_change_releases_what_was_lent(change):
    b = chunkbuf.Buffer(b"line one\nline two\n")
    mem, parts = b.peek(4), b.segments()
    assert mem == b"line"
    change(b)
    for m in [mem] + parts:
        with pytest.raises(ValueError, match="released"):
            m.tobytes()


def test_reading_methods_keep_what_was_lent():
    b = chunkbuf.Buffer(b"abc\ndef\n")
    mem = b.peek(3)
    assert len(b) == 8 and b.find(b"d") == 4 and b == b"abc\ndef\n" and bytes(b) == b"abc\ndef\n"
    assert b.peek_lines() == [b"abc", b"def"] and b.peek_u8() == ord("a") and b.peek(2, offset=4) == b"de"
    assert mem == b"abc"


def test_a_held_slice_of_lent_memory_blocks_changes():
    b = chunkbuf.Buffer(b"abcdef")
    part = b.peek(4)[1:3]  # the slice outlives the memoryview it came from
    with pytest.raises(BufferError):
        b.advance(4)
    assert len(b) == 6 and part == b"bc"
    del part
    b.advance(4)
    assert bytes(b) == b"ef"


def test_repeated_peeks_do_not_pile_up():
    b = chunkbuf.Buffer(b"x" * 100)
    first = weakref.ref(b.peek(1))
    for i in range(20):
        assert b.peek(1, offset=i) == b"x"
    assert first() is None  # dropped by the caller, so the buffer let it go too


def test_memoryview_of_a_buffer_pins_it():
    b = two_segments()
    with memoryview(b) as mem:
        assert mem.readonly and mem == b"hello world" and b.segment_count == 1
        assert address(mem) == segments_of(b)[0][0]
        with pytest.raises(BufferError, match="exports"):
            b.append(b"!")
        with pytest.raises(BufferError):
            b.advance(1)
        with pytest.raises(BufferError):
            b.close()
        assert len(b) == 11 and b.find(b"w") == 6  # reading is fine
    b.append(b"!")
    assert bytes(b) == b"hello world!"


def test_writable_export_is_refused():
    with pytest.raises(BufferError):
        ffi.from_buffer(chunkbuf.Buffer(b"abc"), require_writable=True)


def test_bytes_like_consumers_take_a_buffer():
    b = two_segments()
    assert hashlib.sha256(b).hexdigest() == hashlib.sha256(b"hello world").hexdigest()
    left, right = socket.socketpair()
    with left, right:
        assert left.send(b) == 11
        assert right.recv(64) == b"hello world"
    assert len(b) == 11  # a send does not consume
    b.advance(11)  # and nothing stays pinned
    assert bytes(memoryview(b)) == b""


def test_a_closed_buffer_has_no_memory_to_lend():
    b = chunkbuf.Buffer(b"abc")
    b.close()
    with pytest.raises(chunkbuf.HandleError):
        memoryview(b)


def test_lent_memory_keeps_the_buffer_handle_alive(pool):
    b = chunkbuf.Buffer(b"abc" * 100, pool=pool)
    mem = b.peek(3)
    del b
    gc.collect()
    assert mem == b"abc"
    del mem
    gc.collect()
    assert pool.stats().bytes_in_use == 0
