"""chunkbuf.compat offers the chunkedbuffer API over a chunkbuf Buffer."""
import pytest

import chunkbuf
from chunkbuf import compat, ffi


def test_take_peek_skip():
    b = compat.Buffer()
    assert bytes(b) == b"" and len(b) == 0
    b.append(b"test")
    assert b.take() == b"test" and b.take() == b""
    b.extend(b"test")
    b.extend(bytearray(b"ing"))
    assert b.peek() == b"testing" and b.peek(3) == b"tes" and b.peek(300) == b"testing"
    assert isinstance(b.peek(), compat.Buffer)
    assert b.skip(1) == 1 and b.skip(100) == 6 and b.skip() == 0
    assert repr(b) == "<chunkbuf.compat.Buffer len=0>"


def test_minimum_chunk_size_and_equality():
    b = compat.Buffer(minimum_chunk_size=4)
    b.append(b"test")
    assert b == b"test"
    b.append(b"ing")
    assert b == b"testing" and b == compat.Buffer.merge([b]) and b != b"test"


def test_takeuntil_and_takeline():
    b = compat.Buffer()
    b.extend(b"test\r\nmore")
    assert b.takeuntil(b"\r\n") == b"test"
    assert b.takeuntil(b"\r\n") is None and b == b"more"
    b.extend(b"\r\nx;")
    assert b.takeuntil(b"\r\n", include_s=True) == b"more\r\n"
    assert b.takeline() is None
    b.extend(b"\nline two\r\n")
    assert b.takeline() == b"x;" and b.takeline() == b"line two"


def test_find_rejects_negative_indexes():
    b = compat.Buffer()
    b.extend(b"abcabc")
    assert b.find(b"c") == 2 and b.find(b"c", 3) == 5 and b.find(b"c", 3, 5) == -1
    assert b.find(b"bc", 4, 2) == -1
    with pytest.raises(ValueError):
        b.find(b"a", -1)
    with pytest.raises(ValueError):
        b.find(b"a", 0, -2)


def test_find_follows_the_documented_signature():
    """find(s, start=0, end=-1): end -1 means to the end; a start past the
    data finds nothing."""
    b = compat.Buffer()
    b.extend(b"abcabc")
    assert b.find(b"c", 0, -1) == 2 and b.find(b"bc", 3, -1) == 4
    assert b.find(b"a", 6) == -1 and b.find(b"a", 100) == -1 and b.find(b"a", 100, -1) == -1
    assert b.find(b"", 6) == 6


def test_peek_returns_a_buffer_sharing_the_bytes():
    b = compat.Buffer()
    b.extend(b"0123456789")
    p = b.peek(4)
    assert isinstance(p, compat.Buffer) and p == b"0123" and len(b) == 10
    assert address(memoryview(p)) == address(memoryview(b))
    assert b.peek() == b"0123456789" and b.peek(100) == b"0123456789" and b.peek(0) == b""


def test_takeline_with_a_delimiter():
    b = compat.Buffer()
    b.extend(b"a;b\r\nc")
    assert b.takeline(b";") == b"a"
    assert b.takeline() == b"b"
    assert b.takeline(b";") is None and b == b"c"


def test_global_pool_and_reset():
    b = compat.Buffer()
    assert b._pool is compat.global_pool
    b.extend(b"x" * 10000)
    b.skip()
    compat.global_pool.reset()  # the cached blocks go back to the system
    assert compat.global_pool.pool.stats().bytes_cached == 0
    own = compat.UnboundedPool(chunkbuf.Pool())
    c = compat.Buffer(pool=own)
    c.extend(b"abc")
    assert own.pool.stats().bytes_in_use > 0
    with pytest.raises(TypeError):
        compat.Buffer(pool=object())


def test_chunk_size_options():
    b = compat.Buffer(minimum_chunk_size=16, maximum_chunk_size=64)
    mv = b.get_chunk(10000)
    assert 1 <= len(mv) <= 64
    mv[:3] = b"abc"
    b.chunk_written(3)
    assert b == b"abc"
    with pytest.raises(ValueError):
        mv[0] = 0  # released by chunk_written, as without a maximum
    for _ in range(3):  # each chunk commits into the buffer, not a copy of it
        mv = b.get_chunk(64)
        mv[:2] = b"de"
        b.chunk_written(2)
    assert b == b"abcdedede"
    data = bytearray(b"adopted by reference")
    c = compat.Buffer(cutoff_size=8)
    c.extend(data)  # at least cutoff_size bytes: not copied
    c.extend(b"tiny")  # copied
    assert address(memoryview(c.take(len(data)))) == address(data)
    assert c == b"tiny"
    with pytest.raises(ValueError):
        compat.Buffer(release_fast_to_pool=False)
    with pytest.raises(ValueError):
        compat.Buffer(maximum_chunk_size=0)


def address(obj):
    return int(ffi.cast("uintptr_t", ffi.from_buffer(obj)))


def test_take_is_zero_copy():
    b = compat.Buffer()
    b.extend(b"0123456789")
    start = address(memoryview(b))
    part = b.take(4)
    assert part == b"0123" and b == b"456789"
    assert address(memoryview(part)) == start and address(memoryview(b)) == start + 4


def test_merge_chunks_split_strip():
    a, c = compat.Buffer(), compat.Buffer()
    a.extend(b"  one two")
    c.extend(b" three  ")
    merged = compat.Buffer.merge([a, c])
    assert merged == b"  one two three  " and a == b"  one two"
    assert [bytes(x) for x in merged.chunks()] == [b"  one two", b" three  "]
    assert merged.split() == [b"one", b"two", b"three"]
    assert merged.strip() == b"one two three" and merged.strip(b" e") == b"one two thr"
    assert merged.lstrip() == b"one two three  " and merged.rstrip() == b"  one two three"
    with pytest.raises(TypeError):
        compat.Buffer.merge([a, b"x"])


def test_get_chunk_and_chunk_written():
    b = compat.Buffer(minimum_chunk_size=16)
    mem = b.get_chunk()
    assert len(mem) >= 16
    mem[:5] = b"hello"
    b.chunk_written(5)
    mem = b.get_chunk(100)
    assert len(mem) >= 100
    mem[:6] = b" world"
    b.chunk_written(6)
    assert b == b"hello world"


def test_buffer_protocol():
    b = compat.Buffer()
    b.extend(b"ab")
    b.extend(b"cd")
    assert bytes(memoryview(b)) == b"abcd" and bytearray(b) == b"abcd"
    assert b == b"abcd"
