"""C status codes map to exceptions; misuse raises and never crashes."""
import gc

import pytest

import chunkbuf
from chunkbuf import compat, ffi, lib


@pytest.mark.parametrize("cls, bases", [
    (chunkbuf.LimitError, (ValueError,)),
    (chunkbuf.StateError, (RuntimeError,)),
    (chunkbuf.ClosedError, (ValueError,)),
    (chunkbuf.HandleError, (ValueError,)),
    (chunkbuf.RangeError, (ValueError,)),
    (chunkbuf.InvalidArgumentError, (ValueError,)),
    (chunkbuf.TimeoutError, (TimeoutError,)),
    (chunkbuf.WouldBlockError, (BlockingIOError,)),
    (chunkbuf.OutOfMemoryError, (MemoryError,)),
    (chunkbuf.AbortedError, (OSError,)),
    (chunkbuf.NotSupportedError, (NotImplementedError,)),
])
def test_hierarchy(cls, bases):
    assert issubclass(cls, chunkbuf.Error)
    for base in bases:
        assert issubclass(cls, base)


def test_need_more_data_is_its_own_class():
    assert not issubclass(chunkbuf.NeedMoreData, (ValueError, RuntimeError, OSError))


def test_message_is_the_c_detail():
    b = chunkbuf.Buffer(b"abc")
    with pytest.raises(chunkbuf.RangeError) as info:
        b.advance(10)
    assert info.value.code == lib.CHUNKBUF_ERANGE
    message = str(info.value)
    assert message and message != ffi.string(lib.chunkbuf_strerror(lib.CHUNKBUF_ERANGE)).decode()
    assert b == b"abc"


def test_released_view():
    v = chunkbuf.View(b"abc")
    v.release()
    for use in (len, bytes, lambda v: v.find(b"a"), lambda v: v.slice(1), lambda v: chunkbuf.Buffer().append_view(v)):
        with pytest.raises(chunkbuf.HandleError):
            use(v)


def test_freed_buffer():
    b = chunkbuf.Buffer(b"abc")
    b.close()
    for use in (len, lambda b: b.append(b"x"), lambda b: b.read(1), lambda b: b.take_line(),
                lambda b: b.split_to(0), lambda b: b.append_ref(b"x")):
        with pytest.raises(chunkbuf.HandleError):
            use(b)
    b.close()
    from chunkbuf import _ffi
    assert _ffi.pinned_count() == 0


def test_stale_and_wrong_kind_handles_in_c():
    b = chunkbuf.Buffer(b"abc")
    raw = ffi.cast("chunkbuf_view *", b.handle)  # a buffer passed as a view
    n = ffi.new("size_t *")
    assert lib.chunkbuf_view_len(raw, n) == lib.CHUNKBUF_EHANDLE
    v = chunkbuf.View(b"x")
    stale = ffi.cast("chunkbuf_view *", v.handle)
    v.release()
    gc.collect()
    assert lib.chunkbuf_view_len(stale, n) == lib.CHUNKBUF_EHANDLE
    lib.chunkbuf_view_release(ffi.NULL)
    lib.chunkbuf_buffer_free(ffi.NULL)


def test_wrong_types():
    b = chunkbuf.Buffer()
    with pytest.raises(TypeError):
        b.append("text is not bytes")
    with pytest.raises(TypeError):
        b.append(12)
    with pytest.raises(TypeError):
        b.append_view(b"not a view")
    with pytest.raises(TypeError):
        chunkbuf.View.concat([chunkbuf.View(b"a"), b"b"])
    with pytest.raises(BufferError):
        b.readinto(b"read-only")
    with pytest.raises(TypeError):
        b.advance(1.5)
    with pytest.raises(ValueError):
        b.take_line("cr")
    assert b == b""


def test_negative_sizes():
    b = chunkbuf.Buffer(b"abc")
    for use in (lambda: b.advance(-1), lambda: b.split_to(-1),
                lambda: b.take_lines(max_records=-1), lambda: chunkbuf.Buffer(max_bytes=-5),
                lambda: b.peek(1, offset=-1), lambda: chunkbuf.View(b"x").slice(-1),
                lambda: chunkbuf.Stream(high_water=-1), lambda: compat.Buffer().find(b"a", -1)):
        with pytest.raises(ValueError):
            use()
    assert b == b"abc"


def test_state_error_during_a_reservation():
    c = compat.Buffer()
    mem = c.get_chunk(16)
    mem[:2] = b"hi"
    with pytest.raises(chunkbuf.StateError) as info:
        c.extend(b"x")
    assert isinstance(info.value, RuntimeError)
    c.chunk_written(2)
    assert c == b"hi"
    with pytest.raises(chunkbuf.StateError):
        c.chunk_written(1)


def test_a_closed_stream_is_at_the_end_of_its_file():
    s = chunkbuf.Stream()
    s.close()
    assert s.closed
    with pytest.raises(ValueError):  # a ClosedError
        s.write(b"x")
    assert s.read(1) == s.readline() == s.read_nonblock() == b"" and list(s) == []
    assert s.readinto(bytearray(1)) == 0


def test_writing_after_eof():
    s = chunkbuf.Stream()
    s.write_eof()
    with pytest.raises(chunkbuf.ClosedError):
        s.write(b"late")
