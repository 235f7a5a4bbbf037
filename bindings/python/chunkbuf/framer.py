"""Framers: cut delimited or length-prefixed messages out of a Buffer."""
from ._ffi import check, ffi, lib, size_arg
from .buffer import BATCH, Buffer, order_arg, split_records
from .view import View, data_arg


def _buffer_handle(buf):
    if not isinstance(buf, Buffer):
        raise TypeError("framers work on a chunkbuf.Buffer, not %s" % type(buf).__name__)
    return buf.handle


class Framer:
    """Base class; make a DelimiterFramer or a LengthFramer.

    A framer holds only its configuration and may serve many buffers. When
    no complete frame is buffered, next() raises NeedMoreData and frames()
    stops; nothing is consumed then. final=True means the input has ended
    (EOF): trailing bytes become the last delimited frame, and a truncated
    length-prefixed frame is an InvalidArgumentError."""

    __slots__ = ("_h", "__weakref__")

    def _adopt(self, rc, out):
        check(rc)
        self._h = ffi.gc(out[0], lib.chunkbuf_framer_free)

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

    def next(self, buf, final=False):
        """Take the next frame from buf as a View (zero copy)."""
        out = ffi.new("chunkbuf_view **")
        check(lib.chunkbuf_framer_next(self._h, _buffer_handle(buf), 1 if final else 0, out))
        return View._adopt(out[0])

    def next_batch(self, buf, final=False, max_records=BATCH):
        """Up to max_records payloads as bytes, in one C call ([] if none)."""
        max_records = size_arg(max_records, "max_records")
        records = ffi.new("chunkbuf_record[]", max(max_records, 1))
        n = ffi.new("size_t *")
        out = ffi.new("chunkbuf_view **")
        check(lib.chunkbuf_framer_next_batch(self._h, _buffer_handle(buf), 1 if final else 0,
                                             records, max_records, n, out))
        return split_records(out[0], records, n[0]) if n[0] else []

    def frames(self, buf, final=False):
        """Iterate over the complete frames' payloads (bytes), in batches."""
        while True:
            batch = self.next_batch(buf, final)
            if not batch:
                return
            yield from batch

    def encode(self, out, payload):
        """Append payload (a View, zero copy, or bytes-like) to the Buffer
        out, framed: length prefix + payload, or payload + delimiter."""
        if not isinstance(payload, View):
            payload = View(payload)
        check(lib.chunkbuf_framer_encode(self._h, _buffer_handle(out), payload.handle))


class DelimiterFramer(Framer):
    """Frames end at the earliest delimiter (the longest where several
    match there, e.g. b"\\r\\n" over b"\\n"); 1..16 delimiters of 1..64
    bytes. include_delimiter keeps it in the View of next()."""

    __slots__ = ()

    def __init__(self, delimiters, max_frame=0, include_delimiter=False):
        if isinstance(delimiters, (bytes, bytearray, memoryview)):
            delimiters = [delimiters]
        keep = [data_arg(d) for d in delimiters]
        iov = ffi.new("struct iovec[]", max(len(keep), 1))
        for i, d in enumerate(keep):
            iov[i].iov_base = d
            iov[i].iov_len = len(d)
        opts = ffi.new("chunkbuf_delimiter_framer_options *")
        opts.struct_size = ffi.sizeof("chunkbuf_delimiter_framer_options")
        opts.delimiters = iov
        opts.n_delimiters = len(keep)
        opts.max_frame = size_arg(max_frame, "max_frame")
        opts.include_delimiter = 1 if include_delimiter else 0
        out = ffi.new("chunkbuf_framer **")
        self._adopt(lib.chunkbuf_framer_new_delimiter(opts, out), out)


class LengthFramer(Framer):
    """Length-prefixed frames (like Netty's LengthFieldBasedFrameDecoder):
    length_offset header bytes, a length_width (1, 2, 4, 8) field in order
    ('be'/'le'), payload = value + length_adjust bytes; strip leading bytes
    are left out of the View (default: header and field)."""

    __slots__ = ()

    def __init__(self, length_width=4, order="be", length_offset=0, length_adjust=0, strip=None,
                 max_frame=0):
        opts = ffi.new("chunkbuf_length_framer_options *")
        opts.struct_size = ffi.sizeof("chunkbuf_length_framer_options")
        opts.length_offset = size_arg(length_offset, "length_offset")
        opts.length_width = size_arg(length_width, "length_width")
        opts.order = order_arg(order)
        opts.length_adjust = length_adjust
        opts.strip = opts.length_offset + opts.length_width if strip is None else size_arg(strip, "strip")
        opts.max_frame = size_arg(max_frame, "max_frame")
        out = ffi.new("chunkbuf_framer **")
        self._adopt(lib.chunkbuf_framer_new_length(opts, out), out)
