"""Pool: the size-classed, refcounted block allocator."""
import dataclasses

from ._ffi import check, ffi, lib, size_arg


@dataclasses.dataclass(frozen=True)
class PoolStats:
    """A snapshot of chunkbuf_pool_stats. The per-class tuples have one entry
    per size class (4 KiB << i)."""

    acquisitions: int
    releases: int
    hits: tuple
    misses: tuple
    cached_blocks: tuple
    direct_allocations: int
    bytes_in_use: int
    peak_bytes_in_use: int
    bytes_cached: int
    external_blocks: int


_STATS_FIELDS = [f.name for f in dataclasses.fields(PoolStats)]


class Pool:
    """A thread-safe pool of memory blocks.

    Pool() creates a private pool; Pool.default() is the process-wide pool
    used wherever no pool is given. Buffers, views and streams keep their
    pool's memory alive, so they may outlive the Pool object. close() (or
    the end of a with block) drops the handle early."""

    __slots__ = ("_h", "_buffer_size", "__weakref__")
    CLASSES = lib.CHUNKBUF_POOL_CLASSES
    MIN_BLOCK = lib.CHUNKBUF_POOL_MIN_BLOCK

    def __init__(self, *, max_cached_bytes_per_class=0, buffer_size=MIN_BLOCK, prealloc=0):
        """Options are keyword-only, so Pool(4096) is a TypeError instead
        of a cache size taken for a buffer size. buffer_size is the size
        get() hands out by default; prealloc puts that many free blocks of
        it in the cache now (see prewarm)."""
        opts = ffi.new("chunkbuf_pool_options *")
        opts.struct_size = ffi.sizeof("chunkbuf_pool_options")
        opts.max_cached_bytes_per_class = size_arg(max_cached_bytes_per_class,
                                                   "max_cached_bytes_per_class")
        out = ffi.new("chunkbuf_pool **")
        check(lib.chunkbuf_pool_new(opts, out))
        self._h = ffi.gc(out[0], lib.chunkbuf_pool_free)
        self._buffer_size = size_arg(buffer_size, "buffer_size")
        if prealloc:
            self.prewarm(prealloc)

    @classmethod
    def default(cls):
        """The process-wide default pool (closing it is a no-op)."""
        pool = cls.__new__(cls)
        pool._h = lib.chunkbuf_pool_default()
        pool._buffer_size = cls.MIN_BLOCK
        return pool

    @property
    def buffer_size(self):
        """The size get() hands out when given none."""
        return self._buffer_size

    def get(self, size=None):
        """A pooled writable Buffer holding one block of the size class for
        size bytes (default: buffer_size), its capacity fixed to that block.
        Its block goes back to this pool when the Buffer is closed (use it
        as a context manager) or collected, unless Views still share it."""
        from .buffer import Buffer
        out = ffi.new("chunkbuf_buffer **")
        check(lib.chunkbuf_pool_get(self._h, size_arg(self._buffer_size if size is None else size, "size"), out))
        return Buffer._pooled(out[0], self)

    def prewarm(self, count, size=None):
        """Allocate count free blocks of the size class for size bytes
        (default: buffer_size) into the cache now, so the next get()s hit
        it. LimitError when the class's cache has no room for them all."""
        check(lib.chunkbuf_pool_prewarm(self._h, size_arg(self._buffer_size if size is None else size, "size"),
                                        size_arg(count, "count")))

    @property
    def handle(self):
        """The chunkbuf_pool * (NULL once closed)."""
        return self._h

    def stats(self):
        """A PoolStats snapshot."""
        st = ffi.new("chunkbuf_pool_stats *")
        st.struct_size = ffi.sizeof("chunkbuf_pool_stats")
        check(lib.chunkbuf_pool_stats_get(self._h, st))
        return PoolStats(**{name: tuple(getattr(st, name)) if name in ("hits", "misses", "cached_blocks")
                            else getattr(st, name) for name in _STATS_FIELDS})

    def trim(self):
        """Give every cached free block back to the system."""
        check(lib.chunkbuf_pool_trim(self._h))

    def set_tenant_quota(self, tenant, quota):
        """Limit tenant (an id 1..2**32-1 or a name) to quota bytes of
        blocks (0: unlimited)."""
        check(lib.chunkbuf_pool_set_tenant_quota(self._h, tenant_arg(tenant), size_arg(quota, "quota")))

    def tenant_usage(self, tenant):
        """Bytes of blocks currently held on behalf of tenant (id or name)."""
        out = ffi.new("size_t *")
        check(lib.chunkbuf_pool_tenant_usage(self._h, tenant_arg(tenant), out))
        return out[0]

    def close(self):
        """Drop the handle; memory still in use stays valid."""
        if self._h and self._h != lib.chunkbuf_pool_default():
            ffi.release(self._h)
        self._h = ffi.NULL

    @property
    def closed(self):
        return not self._h

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __repr__(self):
        if not self._h:
            return "<chunkbuf.Pool closed>"
        st = self.stats()
        return "<chunkbuf.Pool in_use=%d cached=%d>" % (st.bytes_in_use, st.bytes_cached)


def register_kind(name):
    """The id of the content kind called name (registering it if new)."""
    out = ffi.new("uint32_t *")
    check(lib.chunkbuf_kind_register(name.encode("utf-8"), out))
    return out[0]


def lookup_kind(name):
    """The id of the already registered content kind called name
    (InvalidArgumentError when there is none)."""
    out = ffi.new("uint32_t *")
    check(lib.chunkbuf_kind_lookup(name.encode("utf-8"), out))
    return out[0]


def kind_arg(kind):
    """A kind id from an id or the name of a registered kind."""
    return lookup_kind(kind) if isinstance(kind, str) else size_arg(kind, "kind")


def register_tenant(name):
    """The tenant id of name (registering it if new: 1, 2, ... in order).
    The id works wherever a tenant number does (Buffer(tenant=),
    Pool.set_tenant_quota, tenant_usage)."""
    out = ffi.new("uint32_t *")
    check(lib.chunkbuf_tenant_register(name.encode("utf-8"), out))
    return out[0]


def tenant_name(tenant):
    """The name registered for a tenant id, or None when it has none."""
    out = ffi.new("const char **")
    if lib.chunkbuf_tenant_name(size_arg(tenant, "tenant"), out) != 0:
        return None
    return ffi.string(out[0]).decode("utf-8")


def tenant_arg(tenant):
    """A tenant id from an id or a name (registered on first use)."""
    return register_tenant(tenant) if isinstance(tenant, str) else size_arg(tenant, "tenant")


def optimal_buffer_size(expected_total, min=0, max=0):
    """The FASTQ module's buffer-size heuristic: expected_total / 100
    clamped to [min, max] (0: 8 KiB and 64 KiB) and rounded up to a whole
    4 KiB page."""
    out = ffi.new("size_t *")
    check(lib.chunkbuf_optimal_buffer_size(size_arg(expected_total, "expected_total"), size_arg(min, "min"),
                                           size_arg(max, "max"), out))
    return out[0]


def kind_name(kind):
    """The name of a registered content kind."""
    out = ffi.new("const char **")
    check(lib.chunkbuf_kind_name(size_arg(kind, "kind"), out))
    return ffi.string(out[0]).decode("utf-8")
