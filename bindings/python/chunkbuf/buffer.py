"""Buffer: a growable chain of pooled segments, parsed and built in place."""
import operator

from ._accel import BufferBase, BufferLines
from ._errors import StateError
from ._ffi import NPOS, RELEASE_FN, address, check, error, ffi, lib, pin, pin_all, size_arg, unpin_unless_adopted
from .pool import kind_arg, tenant_arg
from .view import View, data_arg, view_bytes

try:
    from ._bufexport import Lease
except ModuleNotFoundError:  # ABI mode without a compiler: lent memory is not tracked
    Lease = None

EOL = {"any": lib.CHUNKBUF_EOL_ANY, "crlf": lib.CHUNKBUF_EOL_CRLF,
       "crlf_strict": lib.CHUNKBUF_EOL_CRLF_STRICT, "lf": lib.CHUNKBUF_EOL_LF,
       "nul": lib.CHUNKBUF_EOL_NUL}
ORDER = {"be": lib.CHUNKBUF_BE, "big": lib.CHUNKBUF_BE,
         "le": lib.CHUNKBUF_LE, "little": lib.CHUNKBUF_LE}
BATCH = 1024  # records per batch call
# The default end of line of take_line/take_lines/peek_lines in every
# binding: LF with an optional CR before it, so "a\r\n" and "a\n" both give "a".
DEFAULT_EOL = "crlf"
# Buffer(data) adopts a bytes object of at least this size without copying;
# a smaller one is copied into the write block, where later appends go on.
# A buffer with its own pool, tenant or linear layout always copies, so its
# bytes are in the memory it was configured for.
_ADOPT_MIN = 4096
_RECORD_SIZE = ffi.sizeof("chunkbuf_record")
_SIZE_T_CODE = {4: "I", 8: "Q"}[ffi.sizeof("size_t")]
assert _RECORD_SIZE == 3 * ffi.sizeof("size_t")


def eol_arg(eol):
    if eol in EOL:
        return EOL[eol]
    if isinstance(eol, int) and eol in EOL.values():
        return eol
    raise ValueError("eol must be one of %s, got %r" % (", ".join(EOL), eol))


def order_arg(order):
    try:
        return ORDER[order]
    except KeyError:
        raise ValueError("order must be 'be' or 'le', got %r" % (order,)) from None


def _taken(h):
    """The bytes of a batch's view h (one copy), releasing h."""
    try:
        return view_bytes(h)
    finally:
        lib.chunkbuf_view_release(h)


def split_records(h, records, n):
    """The records of a batch take, without delimiters, as bytes: one copy
    of the block, then one slice per record. h is released here."""
    data = _taken(h)
    # read the (offset, length, delim_length) triples as one array of size_t
    fields = memoryview(ffi.buffer(records, n * _RECORD_SIZE)).cast(_SIZE_T_CODE).tolist()
    return [data[start:start + length] for start, length in zip(fields[0::3], fields[1::3])]


def _bounds(start, end, size):
    """start and end of a find as bytes.find reads them: None is the bound
    itself, a negative value counts from the end, end is clipped to size."""
    start = 0 if start is None else operator.index(start)
    end = size if end is None else min(operator.index(end), size)
    if start < 0:
        start = max(0, start + size)
    if end < 0:
        end = max(0, end + size)
    return start, end


class _Guard:
    """Keeps the buffer handle whose reservation is lent out alive as long
    as the lent memory is (the Lease holds it, and every memoryview or
    slice of the memory holds the Lease). If the reservation is still open
    when the last of them goes (the buffer was closed or dropped meanwhile,
    or a slice outlived the lending), it is abandoned, so the handle can be
    freed: chunkbuf refuses to free a buffer under an open reservation."""

    __slots__ = ("h", "open")

    def __init__(self, h):
        self.h = h
        self.open = True

    def __del__(self):
        if self.open and self.h:
            lib.chunkbuf_buffer_commit(self.h, 0)
        # the ffi.gc handle is freed once this reference to it goes


class _Loan:
    """Writable pool memory lent as a memoryview until end() (a buffer's
    reservation: fill, compat get_chunk)."""

    __slots__ = ("lease", "view", "address", "length", "guard")

    def __init__(self, h, address, length):
        self.address = address
        self.length = length
        self.guard = _Guard(h)
        if Lease is not None:
            self.lease = Lease(int(ffi.cast("uintptr_t", address)), length)
            self.lease.owner = self.guard
            self.view = memoryview(self.lease)
        else:
            self.lease = None
            self.view = memoryview(ffi.buffer(address, length))

    def end(self):
        """Releases the memoryview (a write through it then raises
        ValueError); True when nothing else holds the memory any longer."""
        try:
            self.view.release()
        except BufferError:  # the memoryview was itself exported again
            return False
        return self.lease is None or self.lease.exports == 0


class Buffer(BufferBase):
    """A growable byte buffer made of pooled segments (one owner at a time).

    Appending copies (append) or adopts memory without copying (append_ref,
    append_view); consuming hands out zero-copy Views (split_to, take_until,
    take_line) or bytes (read, take_lines). len(), ==, in, bytes() (a
    non-consuming copy) and iteration (consumes complete LF lines) work as
    expected. A failed call leaves every byte where it was.

    peek, coalesce and segments lend the buffer's own memory as read-only
    memoryviews, valid until the buffer next changes: the change releases
    them (using one then raises ValueError), and raises BufferError while a
    slice of one is still held. memoryview(buffer) (and anything taking a
    bytes-like object: socket.send, hashlib, ...) makes the bytes
    contiguous and pins them: changing the buffer raises BufferError until
    that memoryview is released, as for a bytearray.

    The C base (chunkbuf._accel.BufferBase) holds the handle: `_h` for calls
    that leave the bytes as they are, `_hm` for calls that may change them."""

    __slots__ = ("_pool", "_opts", "_loan", "__weakref__")

    def __init__(self, data=None, *, pool=None, max_bytes=0, min_chunk=0, tenant=0, linear=False):
        opts = ffi.new("chunkbuf_buffer_options *")
        opts.struct_size = ffi.sizeof("chunkbuf_buffer_options")
        opts.pool = pool._live() if pool is not None else ffi.NULL
        opts.max_bytes = size_arg(max_bytes, "max_bytes")
        opts.min_chunk = size_arg(min_chunk, "min_chunk")
        opts.tenant = tenant_arg(tenant)
        opts.linear = 1 if linear else 0
        self._opts = opts
        self._new_handle()
        self._pool = pool
        self._loan = None  # the reservation lent out (fill, compat get_chunk)
        if data is None:
            return
        if type(data) is bytes and len(data) >= _ADOPT_MIN and pool is None and not tenant and not linear:
            self._adopt(data)  # immutable: the buffer refers to it, as io.BytesIO(data) does
        else:
            self.append(data)

    @classmethod
    def _pooled(cls, h, pool):
        """Wrap the buffer handle h that chunkbuf_pool_get made (its
        options: pool, and one block of fixed capacity)."""
        buf = cls.__new__(cls)
        cap = ffi.new("size_t *")
        check(lib.chunkbuf_buffer_capacity(h, cap))
        buf._opts = ffi.new("chunkbuf_buffer_options *")
        buf._opts.struct_size = ffi.sizeof("chunkbuf_buffer_options")
        buf._opts.pool = pool.handle
        buf._opts.max_bytes = buf._opts.min_chunk = cap[0]
        buf._set_handle(ffi.gc(h, lib.chunkbuf_buffer_free), address(h))
        buf._pool = pool
        buf._loan = None
        return buf

    def _new_handle(self):
        """Makes a new C buffer this object's handle."""
        out = ffi.new("chunkbuf_buffer **")
        check(lib.chunkbuf_buffer_new(self._opts, out))
        self._set_handle(ffi.gc(out[0], lib.chunkbuf_buffer_free), address(out[0]))

    @property
    def handle(self):
        """The chunkbuf_buffer * (NULL once closed). Whoever takes it may
        change the bytes: what peek, coalesce and segments lent ends."""
        return self._hm

    def close(self):
        """Free the buffer now (views cut from it stay valid). Memory lent
        by fill or get_chunk stays valid until the lent memoryview and
        every slice of it are released, and no longer belongs to anyone.
        BufferError while memoryview(buffer) is held."""
        h = self._hm
        if self._loan is not None:
            loan, self._loan = self._loan, None
            if not loan.end():  # a slice is still held: its guard frees the buffer later
                self._set_handle(ffi.NULL, 0)
                return
            loan.guard.open = False
            lib.chunkbuf_buffer_commit(h, 0)
        self._set_handle(ffi.NULL, 0)
        if h:
            ffi.release(h)

    @property
    def closed(self):
        return not self._h

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # -- write side

    # append(data) and write(data), which copy a bytes-like object in, are
    # C methods of BufferBase

    def append_ref(self, data):
        """Adopt a bytes-like object without copying. The object is kept
        alive (a bytearray cannot be resized) until chunkbuf drops the
        last reference to its bytes; do not modify it meanwhile."""
        ptr, length, key = pin(data)
        rc = lib.chunkbuf_buffer_append_ref(self._hm, ptr, length, RELEASE_FN, ffi.cast("void *", key))
        if rc:
            unpin_unless_adopted(rc, key)
            raise error(rc)

    def append_refs(self, parts):
        """Adopt several bytes-like objects at once, without copying; all of
        them stay alive until chunkbuf drops the last of their bytes."""
        ptrs = [ffi.from_buffer(p) for p in parts]
        iov = ffi.new("struct iovec[]", max(len(ptrs), 1))
        for i, ptr in enumerate(ptrs):
            iov[i].iov_base = ptr
            iov[i].iov_len = len(ptr)
        key = pin_all(ptrs)
        rc = lib.chunkbuf_buffer_append_refv(self._hm, iov, len(ptrs), RELEASE_FN, ffi.cast("void *", key))
        if rc:
            unpin_unless_adopted(rc, key)
            raise error(rc)

    def append_view(self, view):
        """Append a View's bytes without copying."""
        if not isinstance(view, View):
            raise TypeError("append_view takes a View, not %s" % type(view).__name__)
        check(lib.chunkbuf_buffer_append_view(self._hm, view.handle))

    def prepend(self, data):
        """Put bytes before the first byte: a View without copying (its
        segments go in front), any other bytes-like object copied. Refused
        with StateError while a reservation is open and LimitError past
        max_bytes (nothing moves then)."""
        if isinstance(data, View):
            check(lib.chunkbuf_buffer_prepend_view(self._hm, data.handle))
            return
        buf = data_arg(data)
        check(lib.chunkbuf_buffer_prepend(self._hm, buf, len(buf)))

    def fill(self, fn, n):
        """Zero-copy write: reserve n contiguous bytes of pool memory, call
        fn(memoryview) to fill them (e.g. sock.recv_into) and commit the
        count it returns. The memoryview is released afterwards (a write
        through it raises ValueError). A slice of it that fn keeps never
        sees the buffer's bytes: the filled bytes are then copied instead.
        Closing the buffer inside fn raises StateError after fn returns."""
        mv = self._lend(n)
        try:
            written = fn(mv)
            written = 0 if written is None else size_arg(written, "fn's result")
        except BaseException:
            if self._loan is not None:  # else close() inside fn ended the lending
                self._end_loan(0)
            raise
        return self._end_loan(written)

    def _lend(self, n, most=None):
        """Opens a reservation of n bytes and lends it as a memoryview (of
        at most `most` bytes when given; the reservation may hold more)."""
        if self._loan is not None:
            raise StateError("a reservation is already lent out")
        iov = ffi.new("struct iovec[1]")
        n_iov = ffi.new("size_t *")
        h = self._hm
        check(lib.chunkbuf_buffer_reserve(h, size_arg(n), iov, 1, n_iov))
        length = iov[0].iov_len if most is None else min(iov[0].iov_len, most)
        self._loan = _Loan(h, iov[0].iov_base, length)
        return self._loan.view

    def _end_loan(self, written):
        """Ends the lending: commits `written` lent bytes (0: abandons)."""
        loan, self._loan = self._loan, None
        if loan is None:
            if not self._h:  # closed during the lending: close() ended it
                raise StateError("the buffer was closed while its memory was lent out")
            raise StateError("no reservation is lent out")
        too_many = written > loan.length
        if too_many:
            written = 0  # abandon the reservation, then report it
        if loan.end():
            loan.guard.open = False
            h = self._hm
            rc = lib.chunkbuf_buffer_commit(h, written)
            if rc:
                lib.chunkbuf_buffer_commit(h, 0)
                raise error(rc)
        else:
            self._carry_over(loan, written)
        if too_many:
            raise ValueError("more bytes reported written than the %d lent" % loan.length)
        return written

    def _carry_over(self, loan, written):
        """A slice of the lent memory is still held, so that memory must
        never hold bytes a View may share: the buffer's bytes and the filled
        ones move to a new handle (one copy); the old one, reservation
        still open, lives until the last slice goes (see _Guard)."""
        filled = ffi.buffer(loan.address, written)[:]
        old = self._hm
        size = ffi.new("size_t *")
        check(lib.chunkbuf_buffer_len(old, size))
        kept = bytearray(size[0])
        copied = ffi.new("size_t *")
        check(lib.chunkbuf_buffer_copy_out(old, 0, ffi.from_buffer(kept), size[0], copied))
        self._new_handle()
        h = self._h
        check(lib.chunkbuf_buffer_append(h, ffi.from_buffer(kept), len(kept)))
        check(lib.chunkbuf_buffer_append(h, filled, len(filled)))

    def reserve(self, n, *, replace=False):
        """Two-phase zero-copy write, the shape asyncio's BufferedProtocol
        needs (get_buffer / buffer_updated): a writable memoryview of at
        least n contiguous bytes of pool memory at the end of the buffer.
        Fill it, then commit(count). Only one reservation may be open
        (StateError), and anything that changes the buffer meanwhile raises
        StateError. replace=True first cancels a reservation this method
        left open (asyncio calls get_buffer again, without buffer_updated,
        after a read that would block). commit() releases the memoryview,
        so a late write raises ValueError instead of changing the buffer;
        a slice of it kept past commit never sees the buffer's bytes (they
        are copied instead, see fill)."""
        if replace and self._loan is not None:
            self.commit(0)
        return self._lend(n)

    def commit(self, n):
        """Make the first n reserved bytes part of the buffer and close the
        reservation (0 cancels it). NoReservationError without one,
        RangeError past what was reserved (the reservation stays open)."""
        n = size_arg(n)
        if self._loan is None or n > self._loan.length:
            check(lib.chunkbuf_buffer_commit(self._hm, n))  # the C call names the error
        self._end_loan(n)

    def read_from_fd(self, fd, max=0):  # noqa: A002 - the C name
        """readv up to max bytes (0: up to 64 KiB) from fd straight into pool
        memory. Returns the count; 0 at end of file."""
        out = ffi.new("size_t *")
        check(lib.chunkbuf_buffer_read_from_fd(self._hm, fd, size_arg(max, "max"), out))
        return out[0]

    # -- inspect

    def __len__(self):
        out = ffi.new("size_t *")
        rc = lib.chunkbuf_buffer_len(self._h, out)
        if rc:
            raise error(rc)
        return out[0]

    def find(self, needle, start=0, end=None):
        """Position of the first needle lying within [start, end), or -1.
        start and end are read as in bytes.find (negative: from the end);
        RangeError for a start past the end, unless the needle is empty."""
        return self._find(lib.chunkbuf_buffer_find, needle, start, end)

    def rfind(self, needle, start=0, end=None):
        """Position of the last needle lying within [start, end), or -1.
        start and end are read as in bytes.rfind (negative: from the end);
        RangeError for a start past the end, unless the needle is empty."""
        return self._find(lib.chunkbuf_buffer_rfind, needle, start, end)

    def _find(self, fn, needle, start, end):
        if isinstance(needle, int):
            needle = bytes((needle,))
        data = data_arg(needle)
        size = len(self)
        start, end = _bounds(start, end, size)
        if start > end and start <= size:
            return -1  # (a start past the end is the C call's RangeError)
        pos = ffi.new("size_t *")
        check(fn(self._h, data, len(data), start, end, pos))
        return -1 if pos[0] == NPOS else pos[0]

    def __contains__(self, needle):
        return self.find(needle) >= 0

    def __eq__(self, other):
        if isinstance(other, (Buffer, View)):
            other = bytes(other)
        try:
            data = data_arg(other)
        except TypeError:
            return NotImplemented
        out = ffi.new("int *")
        check(lib.chunkbuf_buffer_equals(self._h, data, len(data), out))
        return bool(out[0])

    __hash__ = None

    def peek(self, n=-1, offset=0):
        """Up to n bytes from offset (n < 0: all), not consumed, as a
        read-only memoryview of the buffer's memory, valid until the buffer
        changes. Bytes that span segments are made contiguous first (one
        copy, and a change: what was lent before ends)."""
        size = len(self)
        offset = size_arg(offset, "offset")
        if offset > size:
            raise IndexError("offset %d beyond the %d buffered bytes" % (offset, size))
        n = size - offset if n < 0 else min(n, size - offset)
        return self._contiguous(offset, n)

    def _contiguous(self, offset, n):
        """A lent memoryview of bytes [offset, offset + n)."""
        if not n:
            return self._lend_view(0, 0)
        end = offset + n
        count = max(self.segment_count, 1)
        iov = ffi.new("struct iovec[]", count)
        n_iov = ffi.new("size_t *")
        check(lib.chunkbuf_buffer_peek(self._h, end, iov, count, n_iov))
        start = 0
        for i in range(n_iov[0]):  # the segment that holds offset
            length = iov[i].iov_len
            if offset < start + length:
                if end <= start + length:  # ... holds all n bytes: lend them where they are
                    return self._lend_view(address(iov[i].iov_base) + offset - start, n)
                break
            start += length
        ptr = ffi.new("const void **")
        check(lib.chunkbuf_buffer_coalesce(self._hm, end, ptr))
        return self._lend_view(address(ptr[0]) + offset, n)

    def _copy(self, n=-1, offset=0):
        """peek's bytes as bytes (a copy)."""
        size = len(self)
        n = size - offset if n < 0 else min(n, size - offset)
        out = bytearray(n)
        copied = ffi.new("size_t *")
        check(lib.chunkbuf_buffer_copy_out(self._h, offset, ffi.from_buffer(out), n, copied))
        return bytes(out)

    def __bytes__(self):
        return self._copy()

    def copy_into(self, dst, offset=0):
        """Copy bytes from offset into the writable buffer dst without
        consuming; returns the count."""
        target = ffi.from_buffer(dst, require_writable=True)
        copied = ffi.new("size_t *")
        check(lib.chunkbuf_buffer_copy_out(self._h, size_arg(offset, "offset"), target, len(target), copied))
        return copied[0]

    @property
    def segment_count(self):
        out = ffi.new("size_t *")
        check(lib.chunkbuf_buffer_segment_count(self._h, out))
        return out[0]

    def segment_lengths(self, n=-1):
        """Lengths of the segments holding the first n bytes (n < 0: all)."""
        count = max(self.segment_count, 1)
        iov = ffi.new("struct iovec[]", count)
        n_iov = ffi.new("size_t *")
        n = NPOS if n < 0 else n
        check(lib.chunkbuf_buffer_peek(self._h, n, iov, count, n_iov))
        return [iov[i].iov_len for i in range(n_iov[0])]

    def coalesce(self, n):
        """The first n bytes, made contiguous (copying only if they span
        segments), as a read-only memoryview of the buffer's memory, valid
        until the buffer changes (see peek). RangeError past the end."""
        n = size_arg(n)
        if n > len(self):
            check(lib.chunkbuf_buffer_coalesce(self._h, n, ffi.new("const void **")))  # names the error
        return self._contiguous(0, n)

    def segments(self):
        """The segments as read-only memoryviews of the buffer's memory (no
        copy), valid until the buffer changes (see peek)."""
        count = self.segment_count
        iov = ffi.new("struct iovec[]", max(count, 1))
        n_iov = ffi.new("size_t *")
        check(lib.chunkbuf_buffer_peek(self._h, NPOS, iov, count, n_iov))
        return [self._lend_view(address(iov[i].iov_base), iov[i].iov_len) for i in range(n_iov[0])]

    def _peek_int(self, fn, ctype, offset, order):
        out = ffi.new(ctype)
        if order is None:
            check(fn(self._h, size_arg(offset, "offset"), out))
        else:
            check(fn(self._h, size_arg(offset, "offset"), order_arg(order), out))
        return out[0]

    def peek_u8(self, offset=0):
        """The byte at offset (NeedMoreData if the buffer is shorter)."""
        return self._peek_int(lib.chunkbuf_buffer_peek_u8, "uint8_t *", offset, None)

    def peek_u16(self, offset=0, order="be"):
        return self._peek_int(lib.chunkbuf_buffer_peek_u16, "uint16_t *", offset, order)

    def peek_u32(self, offset=0, order="be"):
        return self._peek_int(lib.chunkbuf_buffer_peek_u32, "uint32_t *", offset, order)

    def peek_u64(self, offset=0, order="be"):
        return self._peek_int(lib.chunkbuf_buffer_peek_u64, "uint64_t *", offset, order)

    # -- consume

    # consuming binary readers: each takes exactly what it reads, or raises
    # NeedMoreData and takes nothing

    def read_uint(self, width, order="be"):
        """A width-byte (1, 2, 4, 8) unsigned integer from the front, consumed."""
        out = ffi.new("uint64_t *")
        check(lib.chunkbuf_buffer_read_uint(self._hm, size_arg(width, "width"), order_arg(order), out))
        return out[0]

    def read_u8(self):
        return self.read_uint(1)

    def read_u16_be(self):
        return self.read_uint(2, "be")

    def read_u16_le(self):
        return self.read_uint(2, "le")

    def read_u32_be(self):
        return self.read_uint(4, "be")

    def read_u32_le(self):
        return self.read_uint(4, "le")

    def read_u64_be(self):
        return self.read_uint(8, "be")

    def read_u64_le(self):
        return self.read_uint(8, "le")

    def read_bytes(self, n):
        """Exactly n bytes from the front, consumed (NeedMoreData when fewer
        are buffered; nothing consumed then)."""
        return self._exact(lib.chunkbuf_buffer_read_exact, n)

    def peek_exact(self, n):
        """Exactly n bytes from the front, not consumed (NeedMoreData when
        fewer are buffered)."""
        return self._exact(lib.chunkbuf_buffer_peek_exact, n)

    def _exact(self, fn, n):
        n = size_arg(n)
        out = ffi.new("char[]", max(n, 1))
        check(fn(self._hm if fn is lib.chunkbuf_buffer_read_exact else self._h, out, n))
        return ffi.unpack(out, n)

    def advance(self, n):
        """Drop the first n bytes (RangeError if fewer are buffered)."""
        check(lib.chunkbuf_buffer_advance(self._hm, size_arg(n)))

    def read(self, n=-1):
        """Consume and return up to n bytes (n < 0: all)."""
        n = len(self) if n is None or n < 0 else n
        if not n:
            return b""
        out = ffi.new("char[]", n)
        nread = ffi.new("size_t *")
        check(lib.chunkbuf_buffer_read(self._hm, out, n, nread))
        return ffi.unpack(out, nread[0])

    def readinto(self, dst):
        """Consume bytes into the writable buffer dst; returns the count."""
        target = ffi.from_buffer(dst, require_writable=True)
        nread = ffi.new("size_t *")
        check(lib.chunkbuf_buffer_read(self._hm, target, len(target), nread))
        return nread[0]

    def _read_policy(self, target, policy):
        """readinto target with a file-like adapter's CHUNKBUF_SHORT_* policy
        (chunkbuf.FileReader); returns the count."""
        nread = ffi.new("size_t *")
        check(lib.chunkbuf_buffer_read_policy(self._hm, target, len(target), policy, nread))
        return nread[0]

    def capacity(self):
        """The bytes held plus those that fit in the current block without
        taking another (a pooled buffer's fixed size)."""
        out = ffi.new("size_t *")
        check(lib.chunkbuf_buffer_capacity(self._h, out))
        return out[0]

    def ensure_capacity(self, additional):
        """Take a block now so that additional more bytes fit in one block
        (LimitError past max_bytes)."""
        check(lib.chunkbuf_buffer_ensure_capacity(self._hm, size_arg(additional, "additional")))

    def freeze(self, kind="raw"):
        """Every byte as one View of content kind `kind` (name or id),
        without copying; the buffer is left empty."""
        out = ffi.new("chunkbuf_view **")
        check(lib.chunkbuf_buffer_freeze(self._hm, kind_arg(kind), out))
        return View._adopt(out[0])

    def take_batch(self, max_records, delim=None, eol=DEFAULT_EOL, max_len=0):
        """Up to max_records complete records (lines in `eol` style, or
        records ending in delim) as one RecordBatch: one C call, one view
        holding them all, released together."""
        from .batch import RecordBatch
        max_records = size_arg(max_records, "max_records")
        records = ffi.new("chunkbuf_record[]", max(max_records, 1))
        n = ffi.new("size_t *")
        out = ffi.new("chunkbuf_view **")
        if delim is None:
            check(lib.chunkbuf_buffer_take_lines(self._hm, eol_arg(eol), size_arg(max_len, "max_len"), records,
                                                 max_records, n, out))
        else:
            data = data_arg(delim)
            check(lib.chunkbuf_buffer_take_records(self._hm, data, len(data), size_arg(max_len, "max_len"),
                                                   records, max_records, n, out))
        return RecordBatch._adopt(out[0], records, n[0], max_records)

    def split_to(self, n):
        """Move the first n bytes into a new View (zero copy)."""
        out = ffi.new("chunkbuf_view **")
        check(lib.chunkbuf_buffer_split_to(self._hm, size_arg(n), out))
        return View._adopt(out[0])

    def take_until(self, delim, include=False, max_len=0):
        """The bytes before delim as a View, consuming them and delim
        (include=True keeps delim in the View). NeedMoreData when delim is
        absent, LimitError when it does not start within max_len bytes."""
        data = data_arg(delim)
        out = ffi.new("chunkbuf_view **")
        check(lib.chunkbuf_buffer_take_until(self._hm, data, len(data), 1 if include else 0,
                                             size_arg(max_len, "max_len"), out))
        return View._adopt(out[0])

    def take_line(self, eol=DEFAULT_EOL, max_len=0):
        """One line without its end-of-line bytes, as a View (NeedMoreData
        when no complete line is buffered). eol: "crlf" (the default: LF
        with an optional CR before it), "lf", "crlf_strict", "any", "nul"."""
        out = ffi.new("chunkbuf_view **")
        check(lib.chunkbuf_buffer_take_line(self._hm, eol_arg(eol), size_arg(max_len, "max_len"), out))
        return View._adopt(out[0])

    def take_lines(self, eol=DEFAULT_EOL, max_records=BATCH, max_len=0):
        """Up to max_records complete lines (without end-of-line bytes) as
        a list of bytes, in one C call; [] when none is complete."""
        return self._take(lib.chunkbuf_buffer_take_lines, (eol_arg(eol), size_arg(max_len, "max_len")),
                          max_records)

    def take_records(self, delim, max_records=BATCH, max_len=0):
        """Like take_lines, with records separated by delim."""
        data = data_arg(delim)
        return self._take(lib.chunkbuf_buffer_take_records, (data, len(data), size_arg(max_len, "max_len")),
                          max_records)

    def peek_lines(self, eol=DEFAULT_EOL, max_records=BATCH, max_len=0):
        """The lines take_lines would return, consuming nothing."""
        return self._peek_batch(lib.chunkbuf_buffer_peek_lines, (eol_arg(eol), size_arg(max_len, "max_len")),
                                max_records)

    def peek_records(self, delim, max_records=BATCH, max_len=0):
        """The records take_records would return, consuming nothing."""
        data = data_arg(delim)
        return self._peek_batch(lib.chunkbuf_buffer_peek_records, (data, len(data), size_arg(max_len, "max_len")),
                                max_records)

    def _peek_batch(self, fn, args, max_records):
        max_records = size_arg(max_records, "max_records")
        records = ffi.new("chunkbuf_record[]", max(max_records, 1))
        n = ffi.new("size_t *")
        check(fn(self._h, *args, records, max_records, n))
        if not n[0]:
            return []
        last = records[n[0] - 1]
        data = self._copy(last.offset + last.length + last.delim_length)
        return [data[r.offset:r.offset + r.length] for r in records[0:n[0]]]

    def _take(self, fn, args, max_records):
        max_records = size_arg(max_records, "max_records")
        records = ffi.new("chunkbuf_record[]", max(max_records, 1))
        n = ffi.new("size_t *")
        out = ffi.new("chunkbuf_view **")
        check(fn(self._hm, *args, records, max_records, n, out))
        return split_records(out[0], records, n[0]) if n[0] else []

    def __iter__(self):
        """Consume complete LF-terminated lines, each with its b"\\n".

        Each line is consumed as it is handed out (see _accel.BufferLines):
        leaving the loop early, calling another method of this buffer inside
        it, or interleaving two iterations leaves every line not handed out
        yet in the buffer, and hands out no line twice. Iterating while a
        reservation is open (inside fill) raises StateError before any line
        is handed out. The lines handed out are dropped from the C buffer
        in one step, before the next batch or anything else that reaches
        the buffer (through this object, `handle` included): until then
        their pool blocks are not back in the pool."""
        return BufferLines(self)

    def write_to_fd(self, fd, max=0):  # noqa: A002 - the C name
        """writev up to max bytes (0: all) to fd, consuming what was written."""
        out = ffi.new("size_t *")
        check(lib.chunkbuf_buffer_write_to_fd(self._hm, fd, size_arg(max, "max"), out))
        return out[0]

    def __repr__(self):
        if not self._h:
            return "<chunkbuf.Buffer closed>"
        n = len(self)
        return "<chunkbuf.Buffer len=%d segments=%d %r%s>" % (
            n, self.segment_count, self._copy(32), "..." if n > 32 else "")

