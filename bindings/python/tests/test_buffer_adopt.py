"""Buffer(data) refers to a large bytes object instead of copying it, and
line iteration hands lines out of it with each line consumed as far as
anyone using the buffer can see."""
import sys
import threading

import pytest

import chunkbuf
from chunkbuf import _ffi
from chunkbuf._ffi import ffi, lib

LINES = [b"line %05d %s\n" % (i, b"x" * (i % 50)) for i in range(20000)]
DATA = b"".join(LINES)


def test_a_large_bytes_object_is_referred_to_until_its_bytes_are_unused():
    data = bytes(DATA)  # a fresh object nobody else refers to
    before = sys.getrefcount(data)
    b = chunkbuf.Buffer(data)
    assert sys.getrefcount(data) == before + 1
    view = b.split_to(10)
    b.close()
    assert sys.getrefcount(data) == before + 1  # the view still uses its bytes
    assert bytes(view) == DATA[:10]
    view.release()
    assert sys.getrefcount(data) == before


def test_the_reference_goes_when_iteration_consumed_every_byte():
    data = bytes(DATA)
    before = sys.getrefcount(data)
    b = chunkbuf.Buffer(data)
    assert list(b) == LINES
    assert len(b) == 0 and sys.getrefcount(data) == before


def test_a_view_released_on_another_thread_drops_the_reference():
    data = bytes(DATA)
    before = sys.getrefcount(data)
    b = chunkbuf.Buffer(data)
    view = b.split_to(len(data))
    b.close()
    t = threading.Thread(target=view.release)
    t.start()
    t.join()
    assert sys.getrefcount(data) == before


@pytest.mark.parametrize("kwargs", [{"pool": "pool"}, {"linear": True}, {"tenant": 1}])
def test_a_configured_buffer_copies(kwargs):
    if kwargs.get("pool") == "pool":
        kwargs = {"pool": chunkbuf.Pool()}
    data = bytes(DATA)
    before = sys.getrefcount(data)
    b = chunkbuf.Buffer(data, **kwargs)
    assert sys.getrefcount(data) == before
    assert list(b) == LINES


def test_small_and_mutable_data_is_copied():
    for data in (b"a\nb\n", bytearray(DATA)):
        before = sys.getrefcount(data)
        b = chunkbuf.Buffer(data)
        assert sys.getrefcount(data) == before
        if isinstance(data, bytearray):
            data[:4] = b"XXXX"
        assert bytes(b)[:4] != b"XXXX"


def test_max_bytes_refuses_an_adopted_object_and_lets_it_go():
    data = bytes(DATA)
    before = sys.getrefcount(data)
    with pytest.raises(chunkbuf.LimitError):
        chunkbuf.Buffer(data, max_bytes=100)
    assert sys.getrefcount(data) == before


def test_the_handle_sees_lines_handed_out_as_consumed():
    b = chunkbuf.Buffer(DATA)
    it = iter(b)
    assert [next(it) for _ in range(3)] == LINES[:3]
    n = ffi.new("size_t *")
    assert lib.chunkbuf_buffer_len(b.handle, n) == 0
    assert n[0] == len(DATA) - sum(map(len, LINES[:3]))
    assert next(it) == LINES[3]  # the iteration goes on after the buffer was reached


def test_a_loop_that_inspects_the_buffer_at_every_line_loses_nothing():
    b = chunkbuf.Buffer(DATA)
    left = len(DATA)
    got = []
    for line in b:
        got.append(line)
        left -= len(line)
        assert len(b) == left
        if len(got) % 1000 == 0:
            assert b.peek(10) == DATA[len(DATA) - left:][:10]
    assert got == LINES


def test_a_pinned_export_stops_iteration_and_keeps_the_line():
    b = chunkbuf.Buffer(DATA)
    it = iter(b)
    assert next(it) == LINES[0]
    with memoryview(b) as mv:
        assert bytes(mv[:len(LINES[1])]) == LINES[1]
        with pytest.raises(BufferError):
            next(it)
    assert next(it) == LINES[1]
    assert b.take_line() == LINES[2][:-1]


def test_lines_straddling_appended_chunks():
    b = chunkbuf.Buffer()
    got = []
    for i in range(0, len(DATA), 4096):
        b.append(DATA[i:i + 4096])
        got.extend(b)
    assert got == LINES and len(b) == 0


def test_lines_across_more_segments_than_one_look_covers():
    b = chunkbuf.Buffer()
    for i in range(0, 30000, 3):  # 3-byte segments: a batch spans thousands
        b.append_ref(DATA[i:i + 3])
    got = list(b)
    joined = b"".join(got)
    assert joined == DATA[:len(joined)] and got == LINES[:len(got)]
    assert bytes(b) == DATA[len(joined):30000]
    del b
    assert _ffi.pinned_count() == 0


def test_the_reference_is_dropped_by_a_call_that_released_the_gil():
    data = bytes(DATA)
    before = sys.getrefcount(data)
    b = chunkbuf.Buffer(data)
    view = b.split_to(len(data))
    b.close()
    s = chunkbuf.Stream()
    s.write_view(view)
    view.release()
    s.write_eof()
    assert sys.getrefcount(data) == before + 1  # the stream holds the bytes now
    assert s.read() == DATA  # the last reference goes inside a C call made without the GIL
    assert sys.getrefcount(data) == before
