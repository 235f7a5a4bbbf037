package chunkbuf

// #include "cwrap.h"
import "C"

import (
	"runtime"
	"sync"
)

// PoolClasses is the number of block size classes: 4 KiB << i for i in
// [0, PoolClasses), i.e. 4 KiB .. 1 MiB. Larger blocks are allocated
// directly.
const PoolClasses = C.CHUNKBUF_POOL_CLASSES

// PoolMinBlock is the smallest size class (4 KiB).
const PoolMinBlock = C.CHUNKBUF_POOL_MIN_BLOCK

// PoolOptions configures [NewPool]. The zero value gives the defaults.
type PoolOptions struct {
	// MaxCachedBytesPerClass bounds the free blocks each class keeps;
	// 0 means the library default (4 MiB).
	MaxCachedBytesPerClass int
	// Prealloc free blocks of PreallocSize bytes' size class are put in
	// the cache when the pool is created (see [Pool.Prewarm]).
	Prealloc     int
	PreallocSize int // 0: PoolMinBlock
}

// PoolStats is a snapshot of a pool's counters.
type PoolStats struct {
	Acquisitions      uint64              // blocks handed out (all kinds)
	Releases          uint64              // blocks given back (all kinds)
	Hits              [PoolClasses]uint64 // acquisitions served by the cache
	Misses            [PoolClasses]uint64 // acquisitions that allocated
	CachedBlocks      [PoolClasses]uint64 // free blocks in the cache now
	DirectAllocations uint64              // oversize blocks allocated directly
	BytesInUse        uint64              // capacity of blocks handed out, not released
	PeakBytesInUse    uint64              // high-water mark of BytesInUse
	BytesCached       uint64              // capacity of blocks held in the caches
	ExternalBlocks    uint64              // live blocks adopted by reference
}

// Pool is a thread-safe, size-classed allocator of refcounted memory
// blocks. Buffers, views and streams created with a pool keep its memory
// alive after [Pool.Close]; Close only drops the handle.
type Pool struct {
	h       *C.chunkbuf_pool
	cleanup runtime.Cleanup
	shared  bool // the default pool: Close is a no-op
}

// NewPool creates a pool.
func NewPool(opts PoolOptions) (*Pool, error) {
	const op = "NewPool"
	maxCached, err := size(op, "MaxCachedBytesPerClass", opts.MaxCachedBytesPerClass)
	if err != nil {
		return nil, err
	}
	o := C.chunkbuf_pool_options{struct_size: C.sizeof_chunkbuf_pool_options, max_cached_bytes_per_class: maxCached}
	var h *C.chunkbuf_pool
	var msg *C.char
	if err := check(op, C.cbw_pool_new(&o, &h, &msg), msg); err != nil {
		return nil, err
	}
	p := &Pool{h: h}
	p.cleanup = runtime.AddCleanup(p, func(h *C.chunkbuf_pool) { C.chunkbuf_pool_free(h) }, h)
	if opts.Prealloc != 0 {
		sz := opts.PreallocSize
		if sz == 0 {
			sz = PoolMinBlock
		}
		if err := p.Prewarm(opts.Prealloc, sz); err != nil {
			p.Close()
			return nil, err
		}
	}
	return p, nil
}

var defaultPool = sync.OnceValue(func() *Pool { return &Pool{h: C.chunkbuf_pool_default(), shared: true} })

// DefaultPool returns the process-wide pool used when no pool is given.
// Closing it has no effect.
func DefaultPool() *Pool { return defaultPool() }

// Close drops the pool handle. Idempotent; a no-op on [DefaultPool].
func (p *Pool) Close() error {
	if p == nil || p.shared || p.h == nil {
		return nil
	}
	p.cleanup.Stop()
	C.chunkbuf_pool_free(p.h)
	p.h = nil
	return nil
}

// handle returns the C pool for options structs: NULL for a nil *Pool (the
// default pool), an error for a closed one.
func (p *Pool) handle(op string) (*C.chunkbuf_pool, error) {
	if p == nil {
		return nil, nil
	}
	if p.h == nil {
		return nil, released(op)
	}
	return p.h, nil
}

// live is p, or the default pool for a nil p (as in options), while it is
// open.
func (p *Pool) live(op string) (*Pool, error) {
	if p == nil {
		p = DefaultPool()
	}
	if p.h == nil {
		return nil, released(op)
	}
	return p, nil
}

// Stats returns the pool's counters.
func (p *Pool) Stats() (PoolStats, error) {
	const op = "Pool.Stats"
	p, err := p.live(op)
	if err != nil {
		return PoolStats{}, err
	}
	defer runtime.KeepAlive(p)
	c := C.chunkbuf_pool_stats{struct_size: C.sizeof_chunkbuf_pool_stats}
	var msg *C.char
	if err := check(op, C.cbw_pool_stats_get(p.h, &c, &msg), msg); err != nil {
		return PoolStats{}, err
	}
	s := PoolStats{
		Acquisitions:      uint64(c.acquisitions),
		Releases:          uint64(c.releases),
		DirectAllocations: uint64(c.direct_allocations),
		BytesInUse:        uint64(c.bytes_in_use),
		PeakBytesInUse:    uint64(c.peak_bytes_in_use),
		BytesCached:       uint64(c.bytes_cached),
		ExternalBlocks:    uint64(c.external_blocks),
	}
	for i := range PoolClasses {
		s.Hits[i] = uint64(c.hits[i])
		s.Misses[i] = uint64(c.misses[i])
		s.CachedBlocks[i] = uint64(c.cached_blocks[i])
	}
	return s, nil
}

// Trim gives every cached free block back to the system.
func (p *Pool) Trim() error {
	const op = "Pool.Trim"
	p, err := p.live(op)
	if err != nil {
		return err
	}
	defer runtime.KeepAlive(p)
	var msg *C.char
	return check(op, C.cbw_pool_trim(p.h, &msg), msg)
}

// SetTenantQuota limits the pool bytes held on behalf of tenant (ids from
// 1; 0 means "no tenant"). quota 0 removes the limit. An acquisition that
// would pass the quota fails with [ErrLimit].
func (p *Pool) SetTenantQuota(tenant uint32, quota int) error {
	const op = "Pool.SetTenantQuota"
	p, err := p.live(op)
	if err != nil {
		return err
	}
	q, err := size(op, "quota", quota)
	if err != nil {
		return err
	}
	defer runtime.KeepAlive(p)
	var msg *C.char
	return check(op, C.cbw_pool_set_tenant_quota(p.h, C.uint32_t(tenant), q, &msg), msg)
}

// TenantUsage returns the pool bytes currently held on behalf of tenant.
func (p *Pool) TenantUsage(tenant uint32) (int, error) {
	const op = "Pool.TenantUsage"
	p, err := p.live(op)
	if err != nil {
		return 0, err
	}
	defer runtime.KeepAlive(p)
	var live C.size_t
	var msg *C.char
	if err := check(op, C.cbw_pool_tenant_usage(p.h, C.uint32_t(tenant), &live, &msg), msg); err != nil {
		return 0, err
	}
	return int(live), nil
}

// Prewarm allocates count free blocks of the size class holding size bytes
// into the pool's cache now, so the next acquisitions of that class (Get,
// buffer writes) hit it. ErrLimit when the class's cache has no room for
// them all (nothing is allocated then).
func (p *Pool) Prewarm(count, sz int) error {
	const op = "Pool.Prewarm"
	h, err := p.handle(op)
	if err != nil {
		return err
	}
	defer runtime.KeepAlive(p)
	c, err := size(op, "count", count)
	if err != nil {
		return err
	}
	s, err := size(op, "size", sz)
	if err != nil {
		return err
	}
	var msg *C.char
	return check(op, C.cbw_pool_prewarm(h, s, c, &msg), msg)
}

// Get hands out a pooled writable Buffer holding one block of the size
// class for sz bytes, its capacity fixed to that block ([Buffer.Capacity]).
// Close gives the block back to the pool (unless Views still share it); a
// Buffer dropped without Close gives it back when collected.
func (p *Pool) Get(sz int) (*Buffer, error) {
	const op = "Pool.Get"
	h, err := p.handle(op)
	if err != nil {
		return nil, err
	}
	defer runtime.KeepAlive(p)
	s, err := size(op, "size", sz)
	if err != nil {
		return nil, err
	}
	var bh *C.chunkbuf_buffer
	var msg *C.char
	if err := check(op, C.cbw_pool_get(h, s, &bh, &msg), msg); err != nil {
		return nil, err
	}
	b := wrapBuffer(bh)
	b.maxBytes = b.Capacity()
	return b, nil
}
