"""View: an immutable, refcounted, zero-copy list of segments."""
import operator

from ._ffi import NPOS, check, error, ffi, handle_arg, lib, size_arg

try:
    from ._bufexport import Exporter
except ModuleNotFoundError:  # ABI mode without a compiler: __buffer__ (3.12+)
    Exporter = object

_MAX_IOV = 64


def data_arg(data):
    """A cdata char[] over a bytes-like object (no copy)."""
    return ffi.from_buffer(data)


def view_bytes(h):
    """All bytes of the chunkbuf_view *h, copied once."""
    ptr = ffi.new("const void **")
    length = ffi.new("size_t *")
    rc = lib.chunkbuf_view_data(h, ptr, length)
    if rc == 0:
        return ffi.unpack(ffi.cast("const char *", ptr[0]), length[0]) if length[0] else b""
    if rc != lib.CHUNKBUF_ESTATE:
        raise error(rc)
    return b"".join(ffi.buffer(base, length) for base, length in view_iovecs(h))


def view_iovecs(h):
    """(pointer, length) of every segment of view h (valid while h is)."""
    count = ffi.new("size_t *")
    check(lib.chunkbuf_view_segment_count(h, count))
    iov = ffi.new("struct iovec[]", max(count[0], 1))
    check(lib.chunkbuf_view_segments(h, 0, iov, count[0], count))
    return [(iov[i].iov_base, iov[i].iov_len) for i in range(count[0])]


def _readonly_memory(h, base, length):
    """A read-only memoryview of [base, base+length) that keeps a retain on
    view h until the memoryview (and everything made from it) is released."""
    if not length:
        return memoryview(b"")
    raw = ffi.cast("chunkbuf_view *", h)
    check(lib.chunkbuf_view_retain(raw))
    owner = ffi.gc(ffi.cast("char *", base), lambda _p: lib.chunkbuf_view_release(raw))
    return memoryview(ffi.buffer(owner, length)).toreadonly()


def _end(end):
    return NPOS if end is None else size_arg(end, "end")


class View(Exporter):
    """Immutable bytes held in pool memory; never sees later writes.

    View(data) copies data into the pool once; views cut from a Buffer
    (split_to, take_*) share its blocks. memoryview(view) exposes the bytes
    without copying (one copy only for a view of several segments); the
    memory stays valid until the memoryview is released, even after the
    View itself is gone. A View behaves like bytes: len, ==, in, slicing,
    iteration (ints), bytes(view), hash."""

    __slots__ = ("_h", "__weakref__")

    def __init__(self, data=b"", pool=None):
        out = ffi.new("chunkbuf_view **")
        buf = data_arg(data)
        check(lib.chunkbuf_view_from_bytes(pool._live() if pool is not None else ffi.NULL,
                                           buf, len(buf), out))
        self._h = ffi.gc(out[0], lib.chunkbuf_view_release)

    @classmethod
    def from_bytes(cls, data, kind="raw", pool=None):
        """A View of a copy of data with content kind `kind`: a registered
        name ("raw", "pcm16", "mulaw8", "jpeg", or one from register_kind)
        or an id. An unknown name raises InvalidArgumentError."""
        from .pool import kind_arg
        out = ffi.new("chunkbuf_view **")
        buf = data_arg(data)
        check(lib.chunkbuf_view_from_bytes_kind(pool._live() if pool is not None else ffi.NULL,
                                                buf, len(buf), kind_arg(kind), out))
        return cls._adopt(out[0])

    @classmethod
    def from_handle(cls, handle):
        """Wrap a chunkbuf_view * made elsewhere (a cffi pointer or its
        integer address) without copying: takes its own reference
        (chunkbuf_view_retain), released when this object is."""
        ptr = handle_arg(handle, "chunkbuf_view *")
        check(lib.chunkbuf_view_retain(ptr))
        return cls._adopt(ptr)

    @classmethod
    def _adopt(cls, ptr):
        """Wrap a chunkbuf_view * whose reference the caller hands over."""
        view = cls.__new__(cls)
        view._h = ffi.gc(ptr, lib.chunkbuf_view_release)
        return view

    @property
    def handle(self):
        """The chunkbuf_view * (NULL once released)."""
        return self._h

    def release(self):
        """Drop this reference now (memoryviews already made stay valid)."""
        if self._h:
            ffi.release(self._h)
        self._h = ffi.NULL

    close = release

    @property
    def released(self):
        return not self._h

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.release()

    def __len__(self):
        out = ffi.new("size_t *")
        check(lib.chunkbuf_view_len(self._h, out))
        return out[0]

    def __bytes__(self):
        return view_bytes(self._h)

    tobytes = __bytes__

    def __eq__(self, other):
        out = ffi.new("int *")
        if isinstance(other, View):
            check(lib.chunkbuf_view_equals_view(self._h, other._h, out))
            return bool(out[0])
        try:
            data = data_arg(other)
        except TypeError:
            return NotImplemented
        check(lib.chunkbuf_view_equals(self._h, data, len(data), out))
        return bool(out[0])

    def __hash__(self):
        return hash(bytes(self))

    def find(self, needle, start=0, end=None):
        """Position of the first needle within [start, end), or -1."""
        if isinstance(needle, int):
            needle = bytes((needle,))
        data = data_arg(needle)
        pos = ffi.new("size_t *")
        check(lib.chunkbuf_view_find(self._h, data, len(data), size_arg(start, "start"), _end(end), pos))
        return -1 if pos[0] == NPOS else pos[0]

    def index(self, needle, start=0, end=None):
        pos = self.find(needle, start, end)
        if pos < 0:
            raise ValueError("subsection not found")
        return pos

    def __contains__(self, needle):
        return self.find(needle) >= 0

    def slice(self, start=0, end=None):
        """A zero-copy View of bytes [start, end)."""
        out = ffi.new("chunkbuf_view **")
        check(lib.chunkbuf_view_slice(self._h, size_arg(start, "start"), _end(end), out))
        return View._adopt(out[0])

    def __getitem__(self, key):
        if isinstance(key, slice):
            start, stop, step = key.indices(len(self))
            if step != 1:
                return bytes(self)[key]
            return self.slice(start, max(start, stop))
        n = len(self)
        i = operator.index(key)
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError("view index out of range")
        out = ffi.new("unsigned char[1]")
        copied = ffi.new("size_t *")
        check(lib.chunkbuf_view_copy_out(self._h, i, out, 1, copied))
        return out[0]

    def __iter__(self):
        return iter(memoryview(self))

    def copy_into(self, dst, offset=0):
        """Copy bytes from offset into the writable buffer dst; returns the
        number copied (min(len(dst), len(self) - offset))."""
        target = ffi.from_buffer(dst, require_writable=True)
        copied = ffi.new("size_t *")
        check(lib.chunkbuf_view_copy_out(self._h, size_arg(offset, "offset"), target, len(target), copied))
        return copied[0]

    def segments(self):
        """Each segment as a read-only memoryview (zero copy; each keeps
        the bytes alive until released)."""
        return [_readonly_memory(self._h, base, length) for base, length in view_iovecs(self._h)]

    @property
    def segment_count(self):
        out = ffi.new("size_t *")
        check(lib.chunkbuf_view_segment_count(self._h, out))
        return out[0]

    def contiguous(self):
        """A single-segment View of the same bytes (copies at most once)."""
        out = ffi.new("chunkbuf_view **")
        check(lib.chunkbuf_view_contiguous(self._h, out))
        return View._adopt(out[0])

    def _export_buffer(self):
        out = ffi.new("chunkbuf_view **")
        check(lib.chunkbuf_view_contiguous(self._h, out))
        c = out[0]
        try:
            ptr = ffi.new("const void **")
            length = ffi.new("size_t *")
            check(lib.chunkbuf_view_data(c, ptr, length))
            return _readonly_memory(c, ptr[0], length[0])
        finally:
            lib.chunkbuf_view_release(c)

    def __buffer__(self, flags):
        return memoryview(self._export_buffer())

    def memoryview(self):
        """memoryview(self): the bytes without copying (see the class doc)."""
        return self._export_buffer()

    @staticmethod
    def concat(views):
        """One zero-copy View of the given views' bytes in order."""
        views = list(views)
        for v in views:
            if not isinstance(v, View):
                raise TypeError("View.concat takes View objects, not %s" % type(v).__name__)
        handles = ffi.new("chunkbuf_view *[]", [v._h for v in views] or 1)
        out = ffi.new("chunkbuf_view **")
        check(lib.chunkbuf_view_concat(handles, len(views), out))
        return View._adopt(out[0])

    def __add__(self, other):
        if not isinstance(other, View):
            return NotImplemented
        return View.concat((self, other))

    @property
    def kind(self):
        """The content-kind id (0: raw); see chunkbuf.kind_name."""
        out = ffi.new("uint32_t *")
        check(lib.chunkbuf_view_kind(self._h, out))
        return out[0]

    def retag(self, kind):
        """A new View of the same bytes with another kind (id or name)."""
        if isinstance(kind, str):
            from .pool import register_kind
            kind = register_kind(kind)
        out = ffi.new("chunkbuf_view **")
        check(lib.chunkbuf_view_retag(self._h, size_arg(kind, "kind"), out))
        return View._adopt(out[0])

    @property
    def tenant(self):
        """The tenant id the view is tagged with (0: none)."""
        out = ffi.new("uint32_t *")
        check(lib.chunkbuf_view_tenant(self._h, out))
        return out[0]

    @property
    def tenant_name(self):
        """The name of the view's tenant, or None (no tenant, or a number
        with no name)."""
        from .pool import tenant_name
        return tenant_name(self.tenant)

    def with_tenant(self, tenant):
        """A new View of the same bytes (no copy) tagged with tenant: a name
        (registered on first use) or an id; slices inherit it. The original
        keeps its tag."""
        from .pool import tenant_arg
        out = ffi.new("chunkbuf_view **")
        check(lib.chunkbuf_view_with_tenant(self._h, tenant_arg(tenant), out))
        return View._adopt(out[0])

    def clone(self):
        """Another View object holding its own reference to the same bytes
        (no copy); releasing one leaves the other valid. Counted by
        sharers, as each live holder is."""
        check(lib.chunkbuf_view_retain(self._h))
        return View._adopt(self._h)

    @property
    def sharers(self):
        """Live holders of the first block: views (each clone counted),
        buffers and streams."""
        out = ffi.new("size_t *")
        check(lib.chunkbuf_view_sharers(self._h, out))
        return out[0]

    def sha256(self):
        """The SHA-256 digest (32 bytes) of the bytes, without coalescing."""
        out = ffi.new("uint8_t[32]")
        check(lib.chunkbuf_view_sha256(self._h, out))
        return ffi.unpack(ffi.cast("char *", out), 32)

    def __repr__(self):
        if not self._h:
            return "<chunkbuf.View released>"
        n = len(self)
        head = view_bytes(self.slice(0, min(n, 32))._h)
        return "<chunkbuf.View len=%d segments=%d %r%s>" % (
            n, self.segment_count, head, "..." if n > 32 else "")
