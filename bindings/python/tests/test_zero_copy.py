"""memoryview(view) exposes pool memory itself, for as long as it is held."""
import gc

import pytest

import chunkbuf
from chunkbuf import ffi
from chunkbuf.view import view_iovecs


def address(obj):
    return int(ffi.cast("uintptr_t", ffi.from_buffer(obj)))


def test_memoryview_points_into_pool_memory_and_outlives_its_view(pool):
    b = chunkbuf.Buffer(b"0123456789" * 100, pool=pool)
    view = b.split_to(1000)
    segment = int(ffi.cast("uintptr_t", view_iovecs(view.handle)[0][0]))
    mem = memoryview(view)
    assert mem.readonly and mem.nbytes == 1000
    assert address(mem) == segment  # the pool block, not a copy
    del view, b
    gc.collect()
    assert pool.stats().bytes_in_use > 0  # the memoryview holds the block
    assert mem[:10].tobytes() == b"0123456789" and mem.tobytes() == b"0123456789" * 100
    mem.release()
    gc.collect()
    assert pool.stats().bytes_in_use == 0


def test_slices_of_the_memoryview_keep_the_memory_too(pool):
    view = chunkbuf.View(b"abcdef", pool=pool)
    part = memoryview(view)[2:4]
    view.release()
    gc.collect()
    assert bytes(part) == b"cd"
    del part
    gc.collect()
    assert pool.stats().bytes_in_use == 0


def test_memoryview_is_read_only():
    mem = memoryview(chunkbuf.View(b"immutable"))
    with pytest.raises(TypeError):
        mem[0] = 0


def test_a_segmented_view_is_made_contiguous_once():
    b = chunkbuf.Buffer()
    b.append_ref(b"ab")
    b.append_ref(b"cd")
    view = b.split_to(4)
    mem = memoryview(view)
    assert mem.tobytes() == b"abcd"
    assert address(mem) not in [int(ffi.cast("uintptr_t", base)) for base, _ in view_iovecs(view.handle)]


def test_segments_are_zero_copy():
    b = chunkbuf.Buffer()
    b.append_ref(b"ab")
    b.append_ref(b"cd")
    view = b.split_to(4)
    bases = [int(ffi.cast("uintptr_t", base)) for base, _ in view_iovecs(view.handle)]
    segs = view.segments()
    del view, b
    assert [address(s) for s in segs] == bases and [bytes(s) for s in segs] == [b"ab", b"cd"]


def test_empty_and_released_views():
    assert memoryview(chunkbuf.View(b"")).tobytes() == b""
    v = chunkbuf.View(b"x")
    v.release()
    with pytest.raises(chunkbuf.HandleError):
        memoryview(v)


def test_memoryview_method_matches_the_protocol():
    v = chunkbuf.View(b"same")
    assert address(v.memoryview()) == address(memoryview(v))
