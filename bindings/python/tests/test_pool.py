import dataclasses

import pytest

import chunkbuf


def test_stats_is_a_dataclass_that_tracks_blocks(pool):
    before = pool.stats()
    assert dataclasses.is_dataclass(before)
    assert len(before.hits) == len(before.misses) == len(before.cached_blocks) == chunkbuf.Pool.CLASSES
    b = chunkbuf.Buffer(b"x" * 10000, pool=pool)
    during = pool.stats()
    assert during.acquisitions > before.acquisitions
    assert during.bytes_in_use >= 10000
    b.close()
    after = pool.stats()
    assert after.releases == after.acquisitions
    assert after.bytes_in_use == 0
    assert after.peak_bytes_in_use >= during.bytes_in_use


def test_trim_drops_cached_blocks(pool):
    chunkbuf.Buffer(b"x" * 5000, pool=pool).close()
    assert pool.stats().bytes_cached > 0
    pool.trim()
    assert pool.stats().bytes_cached == 0
    assert sum(pool.stats().cached_blocks) == 0


def test_cache_hits_after_reuse(pool):
    chunkbuf.Buffer(b"x" * 100, pool=pool).close()
    chunkbuf.Buffer(b"y" * 100, pool=pool).close()
    assert sum(pool.stats().hits) >= 1


def test_tenant_quota_and_usage(pool):
    pool.set_tenant_quota(7, 8192)
    b = chunkbuf.Buffer(pool=pool, tenant=7)
    b.append(b"a" * 4096)
    assert pool.tenant_usage(7) >= 4096
    with pytest.raises(chunkbuf.LimitError) as info:
        b.append(b"b" * 20000)
    assert isinstance(info.value, ValueError)
    assert info.value.code == chunkbuf.lib.CHUNKBUF_ELIMIT
    assert str(info.value)
    assert b == b"a" * 4096
    assert b.split_to(10).tenant == 7
    b.close()
    assert pool.tenant_usage(7) == 0


def test_external_blocks_are_counted(pool):
    b = chunkbuf.Buffer(pool=pool)
    b.append_ref(b"zero copy")
    assert pool.stats().external_blocks == 1
    b.close()
    assert pool.stats().external_blocks == 0


def test_default_pool_and_closing():
    default = chunkbuf.Pool.default()
    default.close()  # a no-op for the process-wide pool
    assert chunkbuf.Pool.default().stats().acquisitions >= 0
    with chunkbuf.Pool(max_cached_bytes_per_class=1 << 16) as p:
        b = chunkbuf.Buffer(b"outlives the pool handle", pool=p)
    assert p.closed
    assert repr(p) == "<chunkbuf.Pool closed>"
    assert b == b"outlives the pool handle"
    with pytest.raises(chunkbuf.HandleError):
        p.stats()
    # a closed pool is refused, not silently replaced by the default one
    for make in (lambda: chunkbuf.View(b"x", pool=p), lambda: chunkbuf.Buffer(pool=p),
                 lambda: chunkbuf.Buffer(b"x", pool=p), lambda: chunkbuf.Stream(pool=p)):
        with pytest.raises(chunkbuf.HandleError):
            make()


def test_kinds():
    jpeg = chunkbuf.register_kind("jpeg")
    assert chunkbuf.register_kind("jpeg") == jpeg != chunkbuf.KIND_RAW
    assert chunkbuf.kind_name(jpeg) == "jpeg"
    assert chunkbuf.kind_name(chunkbuf.KIND_RAW) == "raw"
    with pytest.raises(chunkbuf.InvalidArgumentError):
        chunkbuf.kind_name(123456)
