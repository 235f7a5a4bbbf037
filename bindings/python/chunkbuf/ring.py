"""Ring: a fixed-capacity byte ring for bounded streaming."""
import warnings

from ._ffi import check, ffi, lib, size_arg
from .view import data_arg


class Ring:
    """A byte ring of fixed capacity (one owner at a time). write() takes
    what fits and says how much; read()/peek() copy out."""

    __slots__ = ("_h", "__weakref__")

    def __init__(self, capacity):
        out = ffi.new("chunkbuf_ring **")
        check(lib.chunkbuf_ring_new(size_arg(capacity, "capacity"), out))
        self._h = ffi.gc(out[0], lib.chunkbuf_ring_free)

    @property
    def handle(self):
        return self._h

    def close(self):
        if self._h:
            ffi.release(self._h)
        self._h = ffi.NULL

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _size(self, fn):
        out = ffi.new("size_t *")
        check(fn(self._h, out))
        return out[0]

    def readable_amount(self):
        """Bytes waiting to be read (also len(ring))."""
        return self._size(lib.chunkbuf_ring_readable_amount)

    __len__ = readable_amount

    def writable_amount(self):
        """Bytes a write would take now."""
        return self._size(lib.chunkbuf_ring_writable_amount)

    @property
    def available(self):
        """Deprecated 0.1 name of readable_amount()."""
        warnings.warn("Ring.available is deprecated; use readable_amount()", DeprecationWarning, stacklevel=2)
        return self.readable_amount()

    @property
    def remaining(self):
        """Deprecated 0.1 name of writable_amount()."""
        warnings.warn("Ring.remaining is deprecated; use writable_amount()", DeprecationWarning, stacklevel=2)
        return self.writable_amount()

    @property
    def capacity(self):
        return self._size(lib.chunkbuf_ring_capacity)

    def write(self, data):
        """Copy in as much of data as fits; returns the count."""
        buf = data_arg(data)
        written = ffi.new("size_t *")
        check(lib.chunkbuf_ring_write(self._h, buf, len(buf), written))
        return written[0]

    def _copy(self, fn, n):
        n = len(self) if n is None or n < 0 else n
        out = ffi.new("char[]", max(n, 1))
        copied = ffi.new("size_t *")
        check(fn(self._h, out, n, copied))
        return ffi.unpack(out, copied[0])

    def read(self, n=-1):
        """Consume and return up to n bytes (n < 0: all)."""
        return self._copy(lib.chunkbuf_ring_read, n)

    def peek(self, n=-1):
        """Up to n bytes (n < 0: all) without consuming them."""
        return self._copy(lib.chunkbuf_ring_peek, n)

    def readinto(self, dst):
        """Consume bytes into the writable buffer dst; returns the count."""
        target = ffi.from_buffer(dst, require_writable=True)
        nread = ffi.new("size_t *")
        check(lib.chunkbuf_ring_read(self._h, target, len(target), nread))
        return nread[0]

    def __repr__(self):
        if not self._h:
            return "<chunkbuf.Ring closed>"
        return "<chunkbuf.Ring %d/%d bytes>" % (len(self), self.capacity)
