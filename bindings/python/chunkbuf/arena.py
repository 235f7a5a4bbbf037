"""Arena: scratch memory reclaimed all at once (the FASTQ module's Arena)."""
from ._ffi import check, ffi, lib, size_arg

try:
    from ._bufexport import Lease
except ModuleNotFoundError:  # ABI mode without a compiler: lent memory is not tracked
    Lease = None


class Arena:
    """allocate(n) hands out n writable bytes of one pool block as a
    memoryview; reset() reclaims all of them at once and releases every
    memoryview handed out, so writing through one afterwards raises
    ValueError instead of scribbling over newer allocations. A slice (or
    memoryview) taken of one keeps the block alive: reset() raises
    BufferError while one is held, and close() or dropping the Arena leave
    the block to the last of them. Bounded: allocating past capacity raises
    LimitError."""

    __slots__ = ("_h", "_pool", "_lent", "__weakref__")

    def __init__(self, capacity, *, pool=None):
        out = ffi.new("chunkbuf_arena **")
        check(lib.chunkbuf_arena_new(pool._live() if pool is not None else ffi.NULL,
                                     size_arg(capacity, "capacity"), out))
        self._h = ffi.gc(out[0], lib.chunkbuf_arena_free)
        self._pool = pool
        self._lent = []

    def allocate(self, n, align=1):
        """n (>= 1) writable bytes aligned to align (a power of two up to
        4096), valid until reset() or close()."""
        out = ffi.new("void **")
        check(lib.chunkbuf_arena_alloc(self._h, size_arg(n), size_arg(align, "align"), out))
        if Lease is None:
            mv = memoryview(ffi.buffer(out[0], n))
            self._lent.append((None, mv))
            return mv
        lease = Lease(int(ffi.cast("uintptr_t", out[0])), n)
        lease.owner = self._h  # every memoryview and slice of it keeps the block
        mv = memoryview(lease)
        self._lent.append((lease, mv))
        return mv

    def _release_lent(self):
        """Releases the memoryviews handed out; True when no slice or other
        memoryview of one is still held."""
        held = False
        for lease, mv in self._lent:
            try:
                mv.release()
            except BufferError:  # memoryview(mv) is still held
                held = True
            held = held or (lease is not None and lease.exports > 0)
        self._lent = []
        return not held

    def reset(self):
        """Reclaim every allocation (their memoryviews are released).
        BufferError, and nothing reclaimed, while a slice or memoryview of
        one is still held."""
        if not self._h:
            check(lib.chunkbuf_arena_reset(ffi.NULL))  # closed: the usual error
        if not self._release_lent():
            raise BufferError("an allocation of the Arena is still held (a slice or memoryview of it)")
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
        """Give the block back to the pool now, or, while a slice or
        memoryview of an allocation is held, when the last of them goes."""
        if self._release_lent() and self._h:
            ffi.release(self._h)
        self._h = ffi.NULL

    @property
    def closed(self):
        return not self._h

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
