"""The `chunkedbuffer` API (tzickel/chunkedbuffer) on top of chunkbuf.

    from chunkbuf.compat import Buffer
    b = Buffer(minimum_chunk_size=4096)
    b.extend(b"GET / HTTP/1.1\\r\\nHost: x\\r\\n")
    line = b.takeline()          # a Buffer, or None when no line is complete
    assert line == b"GET / HTTP/1.1"

take/takeuntil/takeline/peek hand out new Buffers that share the pooled
memory (no copy). A Buffer supports the buffer protocol (memoryview(b)
makes its bytes contiguous first, copying only if needed). `global_pool`
is the pool Buffers use by default; `global_pool.reset()` gives its cached
memory back.
"""
from . import buffer as _core
from .pool import Pool as _Pool
from ._errors import NeedMoreData
from ._ffi import check, ffi, lib, size_arg
from .view import Exporter

_DEFAULT_CHUNK_SIZE = 2048


class UnboundedPool:
    """chunkedbuffer's pool: where Buffers take their memory from and give
    it back to. Over a chunkbuf Pool (the process-wide default one unless
    given), whose caches are bounded per size class."""

    __slots__ = ("pool",)

    def __init__(self, pool=None):
        self.pool = pool if pool is not None else _Pool.default()

    def reset(self):
        """Give every cached free block back to the system."""
        self.pool.trim()

    def __repr__(self):
        return "<chunkbuf.compat.UnboundedPool %r>" % (self.pool,)


global_pool = UnboundedPool()


def _pool_arg(pool):
    if isinstance(pool, UnboundedPool):
        return pool.pool
    if pool is None or isinstance(pool, _Pool):
        return pool
    raise TypeError("pool must be a chunkbuf.compat.UnboundedPool or a chunkbuf.Pool, not %s"
                    % type(pool).__name__)


def _index(value, name):
    if value is not None and value < 0:
        raise ValueError("%s: negative indexes are not supported" % name)
    return value


class Buffer(Exporter):
    """chunkedbuffer.Buffer over a chunkbuf Buffer."""

    __slots__ = ("_b", "_min_chunk", "_max_chunk", "_cutoff", "_pool", "__weakref__")

    def __init__(self, minimum_chunk_size=_DEFAULT_CHUNK_SIZE, pool=global_pool, *, maximum_chunk_size=None,
                 cutoff_size=None, release_fast_to_pool=True):
        """minimum_chunk_size: the smallest block taken from the pool (and
        get_chunk's default size); maximum_chunk_size: the most bytes one
        get_chunk hands out (None: what the reservation gives); cutoff_size: extend() adopts a
        bytes-like object of at least this many bytes by reference instead
        of copying it (None: always copy); release_fast_to_pool: consumed
        memory goes back to the pool as soon as nothing refers to it, which
        chunkbuf always does (False is refused rather than ignored)."""
        size_arg(minimum_chunk_size, "minimum_chunk_size")
        if maximum_chunk_size is not None and size_arg(maximum_chunk_size, "maximum_chunk_size") < 1:
            raise ValueError("maximum_chunk_size must be at least 1")
        if cutoff_size is not None:
            size_arg(cutoff_size, "cutoff_size")
        if not release_fast_to_pool:
            raise ValueError("release_fast_to_pool=False is not supported: chunkbuf returns consumed memory "
                             "to the pool as soon as nothing refers to it")
        self._pool = pool
        self._b = _core.Buffer(pool=_pool_arg(pool), min_chunk=minimum_chunk_size)
        self._min_chunk = minimum_chunk_size
        self._max_chunk = maximum_chunk_size
        self._cutoff = cutoff_size

    def _new(self):
        return Buffer(self._min_chunk, self._pool, maximum_chunk_size=self._max_chunk, cutoff_size=self._cutoff)

    def _snapshot(self):
        """A View of all bytes, leaving them in place (zero copy)."""
        view = self._b.split_to(len(self._b))
        self._b.append_view(view)
        return view

    def close(self):
        self._b.close()

    # -- write

    def extend(self, data):
        """Append a bytes-like object: copied, or adopted without a copy
        when it has at least cutoff_size bytes (then do not modify it while
        the buffer or a Buffer taken from it may hold its bytes)."""
        if self._cutoff is not None and len(memoryview(data)) >= self._cutoff:
            self._b.append_ref(data)
        else:
            self._b.append(data)

    append = extend

    def get_chunk(self, sizehint=-1):
        """Writable memory (a memoryview) at the end; call chunk_written(n)
        after writing n bytes to it. Valid only until chunk_written."""
        size = self._min_chunk if sizehint is None or sizehint <= 0 else sizehint
        if self._max_chunk is None:
            return self._b._lend(size)
        return self._b._lend(min(size, self._max_chunk), self._max_chunk)

    def chunk_written(self, nbytes):
        """Commit nbytes written into the memory get_chunk returned; the
        memoryview is released (a write through it raises ValueError)."""
        self._b._end_loan(size_arg(nbytes, "nbytes"))

    # -- read

    def __len__(self):
        return len(self._b)

    def __bytes__(self):
        return bytes(self._b)

    def __eq__(self, other):
        if isinstance(other, Buffer):
            other = bytes(other)
        return self._b == other

    __hash__ = None

    def __repr__(self):
        return "<chunkbuf.compat.Buffer len=%d>" % len(self)

    def find(self, s, start=0, end=-1):
        """Position of s within [start, end) (end -1 or None: to the end),
        or -1, also when start is past the data. Negative start, or a
        negative end other than -1, is a ValueError."""
        if end == -1:
            end = None
        start = _index(start, "start")
        end = _index(end, "end")
        if start > len(self._b) or (end is not None and end < start):
            return -1
        return self._b.find(s, start, end)

    def peek(self, nbytes=-1):
        """Up to nbytes (all when negative) as a new Buffer sharing the
        bytes (zero copy), not consumed."""
        size = len(self._b)
        nbytes = size if nbytes is None or nbytes < 0 else min(nbytes, size)
        out = self._new()
        out._b.append_view(self._snapshot().slice(0, nbytes))
        return out

    def take(self, nbytes=-1):
        """Up to nbytes (all when negative) as a new Buffer (zero copy)."""
        size = len(self._b)
        nbytes = size if nbytes is None or nbytes < 0 else min(nbytes, size)
        out = self._new()
        out._b.append_view(self._b.split_to(nbytes))
        return out

    def skip(self, nbytes=-1):
        """Drop up to nbytes (all when negative); returns how many."""
        size = len(self._b)
        nbytes = size if nbytes is None or nbytes < 0 else min(nbytes, size)
        self._b.advance(nbytes)
        return nbytes

    def takeuntil(self, s, include_s=False):
        """The bytes before s (with s if include_s) as a Buffer, consuming
        them and s; None when s is not there yet."""
        try:
            view = self._b.take_until(s, include=include_s)
        except NeedMoreData:
            return None
        out = self._new()
        out._b.append_view(view)
        return out

    def takeline(self, s=None):
        """One line as a Buffer without its end, or None when no complete
        line is buffered: by default a line ends at b"\n" (a b"\r" before
        it is dropped too); with s, it ends at the delimiter s."""
        if s is not None:
            return self.takeuntil(s)
        try:
            view = self._b.take_line("crlf")
        except NeedMoreData:
            return None
        out = self._new()
        out._b.append_view(view)
        return out

    def chunks(self):
        """The segments as read-only memoryviews (zero copy)."""
        return self._snapshot().segments()

    @staticmethod
    def merge(buffers):
        """A new Buffer holding the bytes of all the given Buffers in order
        (zero copy; the sources keep their bytes)."""
        buffers = list(buffers)
        out = buffers[0]._new() if buffers else Buffer()
        for b in buffers:
            if not isinstance(b, Buffer):
                raise TypeError("merge takes compat Buffers, not %s" % type(b).__name__)
            out._b.append_view(b._snapshot())
        return out

    def split(self, sep=None, maxsplit=-1):
        return bytes(self).split(sep, maxsplit)

    def strip(self, chars=None):
        return bytes(self).strip(chars)

    def lstrip(self, chars=None):
        return bytes(self).lstrip(chars)

    def rstrip(self, chars=None):
        return bytes(self).rstrip(chars)

    def _export_buffer(self):
        return self._snapshot()._export_buffer()

    def __buffer__(self, flags):
        return memoryview(self._export_buffer())
