"""Arena: scratch memory reclaimed all at once (the FASTQ module's Arena)."""
from ._ffi import check, ffi, lib, size_arg


class Arena:
    """allocate(n) hands out n writable bytes of one pool block as a
    memoryview; reset() reclaims all of them at once and releases every
    memoryview handed out, so writing through one afterwards raises
    ValueError instead of scribbling over newer allocations. Bounded:
    allocating past capacity raises LimitError."""

    __slots__ = ("_h", "_pool", "_lent", "__weakref__")

    def __init__(self, capacity, *, pool=None):
        out = ffi.new("chunkbuf_arena **")
        check(lib.chunkbuf_arena_new(pool.handle if pool is not None else ffi.NULL,
                                     size_arg(capacity, "capacity"), out))
        self._h = ffi.gc(out[0], lib.chunkbuf_arena_free)
        self._pool = pool
        self._lent = []

    def allocate(self, n, align=1):
        """n (>= 1) writable bytes aligned to align (a power of two up to
        4096), valid until reset() or close()."""
        out = ffi.new("void **")
        check(lib.chunkbuf_arena_alloc(self._h, size_arg(n), size_arg(align, "align"), out))
        mv = memoryview(ffi.buffer(out[0], n))
        self._lent.append(mv)
        return mv

    def _release_lent(self):
        for mv in self._lent:
            mv.release()
        self._lent = []

    def reset(self):
        """Reclaim every allocation (their memoryviews are released)."""
        self._release_lent()
        check(lib.chunkbuf_arena_reset(self._h))

    @property
    def used(self):
        """Bytes handed out since the last reset (alignment included)."""
        out = ffi.new("size_t *")
        check(lib.chunkbuf_arena_usage(self._h, out, ffi.NULL))
        return out[0]

    @property
    def capacity(self):
        out = ffi.new("size_t *")
        check(lib.chunkbuf_arena_usage(self._h, ffi.NULL, out))
        return out[0]

    def close(self):
        """Give the block back to the pool now."""
        self._release_lent()
        if self._h:
            ffi.release(self._h)
        self._h = ffi.NULL

    @property
    def closed(self):
        return not self._h

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
