"""erlang-python's `py_buffer` reader (its Python class `PyBuffer`) on top
of chunkbuf.

A host writes a request body into a Stream; the handler reads it as
py_buffer documents it, which differs from `chunkbuf.Stream`'s
io.BufferedIOBase contract in a few places: `read(size)` returns what is
there at once and blocks only while nothing is, `read_nonblock` answers
b"" rather than raising when nothing is there, `find` follows bytes.find
for an empty needle, and `memoryview(buf)` shows the unread bytes.

    from chunkbuf.pybuffer import PyBuffer
    buf = PyBuffer.from_handle(address)   # the host's chunkbuf_stream *
    for line in buf: ...
    buf.seek(0); body = buf.read()

Every call is one call into the C stream (through chunkbuf.Stream, which
releases the GIL while it waits); PyBuffer keeps no bytes and no state of
its own.
"""
import os

from ._errors import ClosedError, RangeError, WouldBlockError
from ._ffi import NPOS, check, error, ffi, lib, size_arg
from .stream import Stream
from .view import Exporter, _readonly_memory, data_arg


class PyBuffer(Exporter):
    """A py_buffer reader over a retained chunkbuf Stream (read bytes are
    kept, so seek/tell work over everything written so far).

    PyBuffer(content_length) makes a new stream (its writer is any other
    holder of `handle`, e.g. ``chunkbuf.Stream.from_handle(buf.handle)``);
    PyBuffer.from_handle(ptr) shares one a host made. content_length
    preallocates the body in one block and closes the stream after that many
    bytes. Not writable from Python."""

    __slots__ = ("_s", "_closed", "content_length", "__weakref__")

    def __init__(self, content_length=None, *, high_water=0, max_bytes=0, pool=None, timeout=None):
        self._s = Stream(content_length, retain=True, high_water=high_water, max_bytes=max_bytes,
                         pool=pool, timeout=timeout)
        self._closed = False
        self.content_length = content_length

    @classmethod
    def from_handle(cls, handle, *, timeout=None):
        """Share a chunkbuf_stream * made elsewhere (a cffi pointer or its
        integer address) without copying; takes its own reference, so the
        stream lives until this reader and every other holder let go. seek
        needs a stream created with retain."""
        buf = cls.__new__(cls)
        buf._s = Stream.from_handle(handle, timeout=timeout)
        buf._closed = False
        buf.content_length = None
        return buf

    @classmethod
    def from_stream(cls, stream):
        """A reader sharing a chunkbuf.Stream's C stream (its own reference)."""
        if not isinstance(stream, Stream):
            raise TypeError("from_stream takes a chunkbuf.Stream, not %s" % type(stream).__name__)
        return cls.from_handle(stream.handle, timeout=stream.timeout)

    @property
    def handle(self):
        """The chunkbuf_stream * (valid while this reader is)."""
        return self._s.handle

    @property
    def timeout(self):
        """Seconds a blocking read waits at most (None: until data or EOF)."""
        return self._s.timeout

    @timeout.setter
    def timeout(self, value):
        self._s.timeout = value

    # -- reading

    def read(self, size=-1):
        """Up to size bytes: what is there now, waiting (without the GIL)
        only while nothing is; size < 0 reads until EOF. b"" at EOF."""
        self._check_open()
        if size is None or size < 0:
            return self._s.read(-1)
        if size == 0:
            return b""
        return self._s.read1(size)

    def read_nonblock(self, size=-1):
        """What is there now, up to size bytes (size < 0: all of it), never
        waiting; b"" when nothing is there (and at EOF)."""
        self._check_open()
        try:
            return self._s.read_nonblock(size)
        except WouldBlockError:
            return b""

    def readable_amount(self):
        """Bytes that can be read now without blocking."""
        return self._s.readable_amount()

    def at_eof(self):
        """True once EOF was signalled and every byte was read."""
        return self._s.at_eof()

    def readline(self, size=-1):
        """One line including b"\\n" (at most size bytes), waiting for it;
        the rest before EOF may lack b"\\n"; b"" at EOF."""
        self._check_open()
        return self._s.readline(-1 if size is None else size)

    def readlines(self, hint=-1):
        """Lines until EOF, or until their total length reaches hint bytes
        (hint <= 0: no limit); what follows stays unread."""
        self._check_open()
        lines, total = [], 0
        while hint is None or hint <= 0 or total < hint:  # one line per pass, bounded by EOF
            line = self._s.readline()
            if not line:
                break
            lines.append(line)
            total += len(line)
        return lines

    def __iter__(self):
        return self

    def __next__(self):
        line = self.readline()
        if not line:
            raise StopIteration
        return line

    # -- positions and search

    def seek(self, offset, whence=os.SEEK_SET):
        """Move within the bytes written so far (SEEK_END only after EOF);
        returns the new position."""
        self._check_open()
        return self._s.seek(offset, whence)

    def tell(self):
        """The read position (bytes read so far, or where seek put it)."""
        return self._s.tell()

    def find(self, sub, start=0, end=None):
        """Lowest index (relative to the read position) of sub among the
        unread bytes within [start, end), or -1. An empty sub is found at
        start; a start past the unread bytes gives -1. Never waits."""
        needle = data_arg(sub)
        start = size_arg(start, "start")
        if end is not None:
            end = size_arg(end, "end")
        try:
            return self._s.find(sub, start, end)
        except RangeError:
            return -1

    # -- the buffer protocol: memoryview(buf)

    def _export_buffer(self):
        """A read-only memoryview of the unread bytes in pool memory (no
        copy when they lie in one block, as a body preallocated with
        content_length does; one copy into pool memory otherwise). It stays
        valid until released, whatever is read or written meanwhile."""
        self._check_open()
        out = ffi.new("chunkbuf_view **")
        handout = ffi.new("chunkbuf_handout *")
        check(lib.chunkbuf_stream_peek(self._s.handle, 0, NPOS, ffi.NULL, out, handout))
        view = out[0]
        try:
            flat = ffi.new("chunkbuf_view **")
            check(lib.chunkbuf_view_contiguous(view, flat))
        finally:
            lib.chunkbuf_view_release(view)
        try:
            data = ffi.new("const void **")
            length = ffi.new("size_t *")
            rc = lib.chunkbuf_view_data(flat[0], data, length)
            if rc:
                raise error(rc)
            return _readonly_memory(flat[0], data[0], length[0])
        finally:
            lib.chunkbuf_view_release(flat[0])

    def __buffer__(self, flags):  # Python 3.12+ without the C exporter
        return self._export_buffer()

    # -- file object

    def readable(self):
        return True

    def writable(self):
        return False

    def seekable(self):
        return self._s.seekable()

    @property
    def closed(self):
        return self._closed

    def close(self):
        """Close this reader: later reads raise ValueError, and the writer's
        next write fails as closed (py_buffer's close). Idempotent."""
        if not self._closed:
            self._closed = True
            lib.chunkbuf_stream_close(self._s.handle)

    def _check_open(self):
        if self._closed:
            raise ClosedError("I/O operation on a closed PyBuffer")

    def __len__(self):
        return self._s.readable_amount()

    def __bool__(self):
        return True

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __repr__(self):
        state = "closed" if self.closed else "unread=%d" % self.readable_amount()
        return "<chunkbuf.pybuffer.PyBuffer %s>" % state
