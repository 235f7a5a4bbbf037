import os
import weakref

import pytest

import chunkbuf
from chunkbuf import _ffi, buffer as buffer_module, view as view_module


def test_pythonic_behaviour():
    with chunkbuf.Buffer(b"hello ") as b:
        b.append(bytearray(b"wor"))
        b.append(memoryview(b"ld\n"))
        assert len(b) == 12
        assert b == b"hello world\n" and b == bytearray(b"hello world\n") and b != b"hello"
        assert b"o w" in b and ord("w") in b and b"xyz" not in b
        assert bytes(b) == b"hello world\n" and len(b) == 12  # bytes() does not consume
        assert repr(b) == "<chunkbuf.Buffer len=12 segments=1 b'hello world\\n'>"
        assert (b == 3) is False
    assert b.closed
    assert repr(b) == "<chunkbuf.Buffer closed>"


def test_iteration_consumes_complete_lines():
    b = chunkbuf.Buffer(b"a\nbb\r\nccc")
    assert list(b) == [b"a\n", b"bb\r\n"]
    assert b == b"ccc"


def test_leaving_line_iteration_early_keeps_every_line_not_handed_out():
    b = chunkbuf.Buffer(b"".join(b"line %d\n" % i for i in range(3000)) + b"tail")
    seen = []
    for line in b:
        seen.append(line)
        if len(seen) == 1500:  # in the middle of the second batch
            break
    assert seen[-1] == b"line 1499\n"
    assert b.take_line() == b"line 1500"
    assert len(list(b)) == 3000 - 1501
    assert b == b"tail"


def test_line_iteration_over_many_segments():
    text = b"".join(b"line %d\n" % i for i in range(300))
    b = chunkbuf.Buffer()
    for i in range(0, len(text), 7):  # lines straddle the 7-byte segments
        b.append_ref(text[i:i + 7])
    assert b.segment_count > 1
    assert list(b) == text.splitlines(keepends=True)
    assert len(b) == 0


def test_interleaved_iterations_never_hand_out_a_line_twice():
    expected = [b"line %d\n" % i for i in range(5000)]
    b = chunkbuf.Buffer(b"".join(expected))
    first, second = iter(b), iter(b)
    got = []
    for i in range(len(expected)):  # alternate between the two, and a third now and then
        it = first if i % 2 else second
        got.append(next(it))
        if i % 997 == 0:
            got.append(next(iter(b)))
        if len(got) == len(expected):
            break
    assert sorted(got, key=lambda line: int(line.split()[1])) == expected
    assert len(b) == 0 and list(first) == [] and list(second) == []


def test_iterating_inside_fill_raises_and_redelivers_nothing():
    b = chunkbuf.Buffer(b"one\ntwo\nthree\n")
    outer = iter(b)
    assert next(outer) == b"one\n"

    def fn(mv):
        with pytest.raises(chunkbuf.StateError):
            next(iter(b))
        with pytest.raises(chunkbuf.StateError):
            next(outer)  # an iteration begun before fill cannot go on inside it
        mv[:5] = b"four\n"
        return 5

    assert b.fill(fn, 16) == 5
    assert list(b) == [b"two\n", b"three\n", b"four\n"]


def test_methods_called_inside_line_iteration_see_the_consumed_state():
    b = chunkbuf.Buffer(b"HEAD 4\nbody1\nnext\n")
    got = []
    for line in b:
        got.append(line)
        if line.startswith(b"HEAD"):
            assert len(b) == len(b"body1\nnext\n")
            got.append(b.read(int(line.split()[1])))  # a body read in the middle of the loop
    assert got == [b"HEAD 4\n", b"body", b"1\n", b"next\n"]
    assert len(b) == 0


def test_peek_lines_and_records_consume_nothing():
    b = chunkbuf.Buffer(b"a\r\nbb\ncc")
    assert b.peek_lines() == [b"a", b"bb"]  # "crlf", the default
    assert b.peek_lines("lf", max_records=1) == [b"a\r"]
    assert b.peek_records(b"b") == [b"a\r\n", b""]
    with pytest.raises(chunkbuf.LimitError):
        b.peek_lines("lf", max_len=1)
    assert b == b"a\r\nbb\ncc"


def test_default_end_of_line_is_lf_with_optional_cr():
    """The same default in every binding: "a\r\n" and "a\n" both give a."""
    b = chunkbuf.Buffer(b"a\r\nb\nc\r\nd\n")
    assert bytes(b.take_line()) == b"a"
    assert b.peek_lines() == [b"b", b"c", b"d"]
    assert b.take_lines() == [b"b", b"c", b"d"]


def test_find_rfind_across_segments():
    b = chunkbuf.Buffer()
    for part in (b"xxab", b"c", b"dexx"):
        b.append_ref(part)
    assert b.segment_count == 3 and b.segment_lengths() == [4, 1, 4]
    assert b.find(b"abcde") == 2 and b.find(b"abc", 0, 4) == -1
    assert b.rfind(b"x") == 8 and b.find(ord("c")) == 4
    assert b.find(b"") == 0 and b.find(b"", 9) == 9 and b.find(b"", 10) == -1
    assert b.coalesce(5) == b"xxabc" and b.segment_count < 3


def test_typed_peeks():
    b = chunkbuf.Buffer(bytes(range(1, 9)))
    assert b.peek_u8(0) == 1
    assert b.peek_u16(0) == 0x0102 and b.peek_u16(0, "le") == 0x0201
    assert b.peek_u32(0, "big") == 0x01020304
    assert b.peek_u64(0, "little") == 0x0807060504030201
    with pytest.raises(chunkbuf.NeedMoreData):
        b.peek_u64(1)
    with pytest.raises(ValueError):
        b.peek_u16(0, "middle")


def test_consuming_calls():
    b = chunkbuf.Buffer(b"key=value;rest\nline2\r\nx")
    assert b.take_until(b"=") == b"key"
    assert b.take_until(b";", include=True) == b"value;"
    assert b.take_line() == b"rest"
    assert b.take_line() == b"line2"  # "crlf" is the default: the CR goes too
    with pytest.raises(chunkbuf.NeedMoreData):
        b.take_line()
    b.append(b"yz")
    assert b.peek(2, offset=1) == b"yz"
    assert b.read(2) == b"xy" and b.read() == b"z" and b.read() == b""
    b.append(b"0123456789")
    b.advance(2)
    target = bytearray(5)
    assert b.readinto(target) == 5 and target == b"23456"
    assert b.copy_into(target) == 3 and target[:3] == b"789" and len(b) == 3


def test_take_lines_and_records():
    b = chunkbuf.Buffer(b"a\nbb\nccc\ndddd")
    assert b.take_lines(max_records=2) == [b"a", b"bb"]
    assert b.take_lines() == [b"ccc"]
    assert b.take_lines() == []
    b.append(b"||e||||f")
    assert b.take_records(b"||") == [b"dddd", b"e", b""]
    assert b == b"f"


def test_line_iteration_makes_no_cffi_call(count_calls):
    b = chunkbuf.Buffer(b"".join(b"line %d\n" % i for i in range(5000)))
    counter = count_calls(buffer_module)
    lines = [line for line in b]  # (list(b) would ask len(b) first)
    assert len(lines) == 5000 and lines[4999] == b"line 4999\n"
    assert sum(counter.calls.values()) == 0  # _accel.BufferLines, with the GIL held


def test_take_lines_is_one_call_and_one_copy(count_calls):
    calls = count_calls(buffer_module)
    copies = count_calls(view_module)
    b = chunkbuf.Buffer()
    for i in range(100):
        b.append_ref(b"record %d\n" % i)
    assert len(b.take_lines()) == 100
    assert calls.calls["chunkbuf_buffer_take_lines"] == 1
    assert copies.calls.get("chunkbuf_view_segments", 0) + copies.calls.get("chunkbuf_view_data", 0) <= 2


def test_limits_keep_every_byte():
    b = chunkbuf.Buffer(max_bytes=8)
    b.append(b"12345")
    with pytest.raises(chunkbuf.LimitError):
        b.append(b"6789")
    with pytest.raises(chunkbuf.LimitError):
        b.append_ref(b"6789")
    assert b == b"12345" and _ffi.pinned_count() == 0


class Blob(bytearray):
    """A bytes-like object that can be weakly referenced."""


def test_append_ref_keeps_the_object_alive_until_chunkbuf_releases_it():
    data = Blob(b"adopted")
    alive = weakref.ref(data)
    b = chunkbuf.Buffer()
    b.append_ref(data)
    with pytest.raises(BufferError):
        data.extend(b"!")  # pinned: cannot move while chunkbuf points at it
    del data
    assert alive() is not None
    view = b.split_to(3)
    b.close()
    assert alive() is not None and view == b"ado"
    view.release()
    assert alive() is None


def test_append_refs_adopts_several_objects_under_one_callback():
    parts = [Blob(b"ab"), Blob(b"cd"), Blob(b"ef")]
    alive = [weakref.ref(p) for p in parts]
    b = chunkbuf.Buffer()
    b.append_refs(parts)
    del parts
    assert b == b"abcdef" and b.segment_count == 3 and _ffi.pinned_count() == 1
    last = b.split_to(6).slice(5)
    b.close()
    assert all(ref() is not None for ref in alive)  # one callback, after the last region
    last.release()
    assert all(ref() is None for ref in alive) and _ffi.pinned_count() == 0
    with pytest.raises(TypeError):
        chunkbuf.Buffer().append_refs([b"ok", "text"])


def test_append_ref_does_not_copy():
    data = b"x" * 100
    b = chunkbuf.Buffer()
    b.append_ref(data)
    view = b.split_to(100)
    base = view_module.view_iovecs(view.handle)[0][0]
    assert int(_ffi.ffi.cast("uintptr_t", base)) == int(_ffi.ffi.cast("uintptr_t", _ffi.ffi.from_buffer(data)))


def test_append_view_and_fill():
    v = chunkbuf.View(b"shared")
    b = chunkbuf.Buffer()
    b.append_view(v)
    n = b.fill(lambda mem: mem.__setitem__(slice(0, 3), b"abc") or 3, 16)
    assert n == 3 and b == b"sharedabc"
    with pytest.raises(ZeroDivisionError):
        b.fill(lambda mem: 1 // 0, 8)
    assert b == b"sharedabc"
    b.append(b"!")  # the failed fill closed its reservation


def test_fd_round_trip():
    r, w = os.pipe()
    try:
        b = chunkbuf.Buffer(b"through a pipe")
        assert b.write_to_fd(w) == 14 and len(b) == 0
        assert b.read_from_fd(r) == 14
        assert b == b"through a pipe"
        os.close(w)
        w = -1
        assert b.read_from_fd(r) == 0
        with pytest.raises(chunkbuf.FileDescriptorError) as info:
            b.write_to_fd(r)
        assert isinstance(info.value, OSError)
    finally:
        os.close(r)
        if w >= 0:
            os.close(w)
