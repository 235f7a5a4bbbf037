"""The `chunkedbuffer` API (tzickel/chunkedbuffer) on top of chunkbuf.

    from chunkbuf.compat import Buffer
    b = Buffer(minimum_chunk_size=4096)
    b.extend(b"GET / HTTP/1.1\\r\\nHost: x\\r\\n")
    line = b.takeline()          # a Buffer, or None when no line is complete
    assert line == b"GET / HTTP/1.1"

take/takeuntil/takeline hand out new Buffers that share the pooled memory
(no copy); peek returns bytes. A Buffer supports the buffer protocol
(memoryview(b) makes its bytes contiguous first, copying only if needed).
"""
from . import buffer as _core
from ._errors import NeedMoreData
from ._ffi import check, ffi, lib, size_arg
from .view import Exporter

_DEFAULT_CHUNK_SIZE = 2048


def _index(value, name):
    if value is not None and value < 0:
        raise ValueError("%s: negative indexes are not supported" % name)
    return value


class Buffer(Exporter):
    """chunkedbuffer.Buffer over a chunkbuf Buffer."""

    __slots__ = ("_b", "_min_chunk", "__weakref__")

    def __init__(self, minimum_chunk_size=_DEFAULT_CHUNK_SIZE, pool=None):
        self._b = _core.Buffer(pool=pool, min_chunk=minimum_chunk_size)
        self._min_chunk = minimum_chunk_size

    def _new(self):
        return Buffer(self._min_chunk, self._b._pool)

    def _snapshot(self):
        """A View of all bytes, leaving them in place (zero copy)."""
        view = self._b.split_to(len(self._b))
        self._b.append_view(view)
        return view

    def close(self):
        self._b.close()

    # -- write

    def extend(self, data):
        """Append a bytes-like object (copied)."""
        self._b.append(data)

    append = extend

    def get_chunk(self, sizehint=-1):
        """Writable memory (a memoryview) at the end; call chunk_written(n)
        after writing n bytes to it. Valid only until chunk_written."""
        size = self._min_chunk if sizehint is None or sizehint <= 0 else sizehint
        return self._b._lend(size)

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

    def find(self, s, start=0, end=None):
        """Position of s within [start, end), or -1 (ValueError on negative
        start or end)."""
        start = _index(start, "start")
        end = _index(end, "end")
        if end is not None and end < start:
            return -1
        return self._b.find(s, start, end)

    def peek(self, nbytes=-1):
        """Up to nbytes (all when negative) as bytes, not consumed."""
        return self._b.peek(nbytes)

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

    def takeline(self):
        """One line without its b"\\n" / b"\\r\\n" as a Buffer, or None."""
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
        out = Buffer(buffers[0]._min_chunk if buffers else _DEFAULT_CHUNK_SIZE)
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
