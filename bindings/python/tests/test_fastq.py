"""FASTQ buffer-module behaviours: pool get() of a pooled buffer returned on
drop, pre-allocation, the scratch arena, the size heuristic, record batches,
keyword-only pool options."""
import gc

import pytest

import chunkbuf
from chunkbuf import Arena, Buffer, Pool


def test_pool_options_are_keyword_only():
    with pytest.raises(TypeError):
        Pool(4096)


def test_get_hands_out_a_pooled_buffer_that_goes_back():
    with Pool(buffer_size=5000) as pool:
        s0 = pool.stats()
        with pool.get() as buf:
            s1 = pool.stats()
            assert s1.acquisitions - s0.acquisitions == 1
            assert buf.capacity() == 8192  # the size class of 5000 bytes
            buf.append(b"@seq\nACGT\n+\nIIII\n")
            assert buf.take_line() == b"@seq"
            with pytest.raises(chunkbuf.LimitError):
                buf.append(b"x" * 8192)  # fixed capacity
        s2 = pool.stats()
        assert s2.releases - s1.releases == 1
        assert s2.bytes_in_use == s0.bytes_in_use
        # dropped without close: the collector gives it back too
        buf = pool.get(100)
        assert buf.capacity() == 4096
        s3 = pool.stats()
        del buf
        gc.collect()
        assert pool.stats().releases - s3.releases == 1


def test_a_closed_pool_is_never_taken_for_the_default_pool():
    pool = Pool()
    pool.close()
    for call in (pool.get, lambda: pool.prewarm(1), lambda: Arena(16, pool=pool),
                 lambda: chunkbuf.View.from_bytes(b"x", pool=pool)):
        with pytest.raises(chunkbuf.HandleError):
            call()


def test_prealloc_fills_the_cache_and_get_hits_it():
    with Pool(buffer_size=16384, prealloc=4) as pool:
        st = pool.stats()
        assert st.cached_blocks[2] == 4 and st.bytes_cached == 4 * 16384
        assert st.acquisitions == 0
        with pool.get():
            assert pool.stats().hits[2] == 1
        pool.prewarm(2, size=4096)
        assert pool.stats().cached_blocks[0] == 2
    with pytest.raises(chunkbuf.LimitError):
        Pool(max_cached_bytes_per_class=8 * 4096, prealloc=9)
    with pytest.raises(chunkbuf.InvalidArgumentError):
        Pool.default().prewarm(1, size=(1 << 20) + 1)


def test_arena_allocates_resets_and_is_bounded():
    with Pool() as pool:
        with Arena(100, pool=pool) as arena:
            assert pool.stats().bytes_in_use == 4096
            a = arena.allocate(10)
            a[:] = b"0123456789"
            b = arena.allocate(8, align=8)
            assert arena.used >= 18 and arena.capacity == 100
            with pytest.raises(chunkbuf.LimitError):
                arena.allocate(100)
            with pytest.raises(chunkbuf.InvalidArgumentError):
                arena.allocate(0)
            with pytest.raises(chunkbuf.InvalidArgumentError):
                arena.allocate(1, align=3)
            arena.reset()
            assert arena.used == 0
            with pytest.raises(ValueError):
                a[0] = 1  # released by reset
            with pytest.raises(ValueError):
                b[0]
            c = arena.allocate(100)
            assert len(c) == 100
        assert pool.stats().bytes_in_use == 0
    with pytest.raises(chunkbuf.InvalidArgumentError):
        Arena(0)


def test_arena_memory_outlives_no_view_of_it():
    # A slice or memoryview of an allocation keeps the block: reset()
    # refuses while one is held, and close() or a collected Arena hand the
    # block back only when the last one goes.
    with Pool() as pool:
        arena = Arena(100, pool=pool)
        a = arena.allocate(8)
        a[:] = b"kept...."
        s = a[:4]
        with pytest.raises(BufferError):
            arena.reset()
        with pytest.raises(ValueError):
            a[0]  # the allocation itself was released
        assert bytes(s) == b"kept"
        b = arena.allocate(8)  # nothing was reclaimed: no overlap with the slice
        b[:] = b"ZZZZZZZZ"
        assert bytes(s) == b"kept"
        del s
        arena.reset()
        assert arena.used == 0
        c = arena.allocate(4)[:]
        arena.close()  # the allocation is released; the block waits for the slice
        c[:] = b"live"
        assert bytes(c) == b"live" and pool.stats().bytes_in_use == 4096
        del c
        gc.collect()
        assert pool.stats().bytes_in_use == 0
        d = Arena(100, pool=pool).allocate(4)  # the Arena itself is collected at once
        gc.collect()
        d[:] = b"also"
        assert bytes(d) == b"also" and pool.stats().bytes_in_use == 4096
        del d
        gc.collect()
        assert pool.stats().bytes_in_use == 0


def test_optimal_buffer_size():
    assert chunkbuf.optimal_buffer_size(0) == 8192
    assert chunkbuf.optimal_buffer_size(2_000_000) == 20480
    assert chunkbuf.optimal_buffer_size(1 << 40) == 65536
    assert chunkbuf.optimal_buffer_size(5_000_000, min=4096, max=30000) == 32768
    with pytest.raises(chunkbuf.InvalidArgumentError):
        chunkbuf.optimal_buffer_size(1, min=9000, max=8192)


def test_record_batch_holds_up_to_n_records_released_together():
    with Pool() as pool:
        buf = Buffer(b"r1\nr2\nr3\nr4\npartial", pool=pool)
        with buf.take_batch(3) as batch:
            assert len(batch) == 3 and batch.capacity == 3 and batch.is_full
            assert [bytes(v) for v in batch] == [b"r1", b"r2", b"r3"]
            assert bytes(batch[1]) == b"r2"
            assert [bytes(v) for v in batch[1:]] == [b"r2", b"r3"]
            assert bytes(batch.view) == b"r1\nr2\nr3\n"
        for use in (list, len, lambda b: b.is_full, lambda b: b[0]):
            with pytest.raises(chunkbuf.StateError):
                use(batch)
        rest = buf.take_batch(10)
        assert [bytes(v) for v in rest] == [b"r4"] and not rest.is_full
        assert bytes(buf) == b"partial"
        empty = buf.take_batch(10)
        assert len(empty) == 0 and empty.view is None
        buf.append(b"|a|b")
        recs = buf.take_batch(5, delim=b"|")
        assert [bytes(v) for v in recs] == [b"partial", b"a"]
        recs.release()
        buf.close()
        rest.release()
        gc.collect()
        assert pool.stats().bytes_in_use == 0
