"""Stream: a thread-safe byte stream that reads like a binary file.

The binding keeps no stream bytes of its own: every read is one C call that
waits and consumes what it returns (read_into), or a non-consuming look at
the unread bytes (peek) followed by a consume of exactly what is handed
out, which fails, consuming nothing, when another reader got there first.
"""
import io
import os
import sys

from ._accel import StreamBase, stream_read, stream_readinto, stream_readline, stream_write_ref
from ._errors import ClosedError, WouldBlockError
from ._ffi import NPOS, address, error, ffi, handle_arg, lib, size_arg
from ._waits import blocking, call, timeout_ms
from .buffer import DEFAULT_EOL, eol_arg
from .aio import AsyncReaderMixin
from .view import View, data_arg, view_bytes

_DEFAULT = object()
_CHUNK = 64 * 1024       # read1() / read_nonblock() without a size
_LINES = 64             # lines readlines(hint) looks at first (doubled while they fall short)
_LF = lib.CHUNKBUF_EOL_LF
_ESTATE = lib.CHUNKBUF_ESTATE
_ELIMIT = lib.CHUNKBUF_ELIMIT
_ERANGE = lib.CHUNKBUF_ERANGE
_LINE_ROOM = 512         # read_line's first room for a line it waited for
_FULL = sys.maxsize  # readinto's least: fill the target


class Stream(AsyncReaderMixin, StreamBase, io.BufferedIOBase):
    """A thread-safe stream: writer threads call write()/write_eof()/abort(),
    readers use it as a binary file (read, read1, readinto, readline,
    readlines, iteration, seek/tell in retained mode), so io.TextIOWrapper,
    json.load, gzip, tarfile ('r|'), csv and email read from it directly.

    Blocking calls release the GIL and take timeout= seconds (None or inf:
    wait forever; 0: do not wait). The default comes from
    Stream(timeout=...). A timeout raises chunkbuf.TimeoutError (a builtin
    TimeoutError) with nothing consumed. On the main thread a wait ends at
    once when a signal arrives: Ctrl-C raises KeyboardInterrupt, again with
    nothing consumed.

    retain=True keeps read bytes so seek(0) works (request bodies);
    content_length preallocates and closes the stream after that many bytes;
    high_water makes writers wait for readers, and writes held by it resume
    once reads bring the unread bytes down to low_water (default: half of
    high_water); max_bytes bounds the stream.

    close() is the writer's end of the file: it signals EOF (like
    write_eof) and refuses later writes, while the bytes already written
    stay readable, through this object too, until they are all read; only
    then does `closed` turn True. Several threads may read one Stream: each
    call hands out whole reads and lines, never interleaved pieces.

    readline(), iteration, read_line() and write(data) are C methods of the
    base chunkbuf._accel.StreamBase: they run without Python code unless
    they have to wait, and then call _readline, _read_line and _write.
    """

    def __init__(self, content_length=None, *, retain=False, high_water=0, low_water=0, max_bytes=0,
                 tenant=0, pool=None, timeout=None):
        opts = ffi.new("chunkbuf_stream_options *")
        opts.struct_size = ffi.sizeof("chunkbuf_stream_options")
        opts.pool = pool._live() if pool is not None else ffi.NULL
        opts.content_length = (lib.CHUNKBUF_UNKNOWN_LENGTH if content_length is None
                               else size_arg(content_length, "content_length"))
        opts.retain = 1 if retain else 0
        opts.high_water = size_arg(high_water, "high_water")
        opts.low_water = size_arg(low_water, "low_water")
        opts.max_bytes = size_arg(max_bytes, "max_bytes")
        opts.tenant = size_arg(tenant, "tenant")
        out = ffi.new("chunkbuf_stream **")
        rc = lib.chunkbuf_stream_new(opts, out)
        if rc:
            raise error(rc)
        self._set_handle(ffi.gc(out[0], lib.chunkbuf_stream_release), address(out[0]))
        self._addr = address(out[0])
        self._pool = pool
        self._retain = bool(retain)
        self._closing = False
        timeout_ms(timeout)  # checks it
        self.timeout = timeout

    @classmethod
    def from_handle(cls, handle, *, retain=None, timeout=None):
        """A Stream object for a chunkbuf_stream * made elsewhere (a host,
        another binding): a cffi pointer, its integer address or a
        ctypes.c_void_p. No copy: the object takes a reference of its own
        (chunkbuf_stream_retain), released when it is collected, so the
        stream lives until every holder has let go. retain tells whether the
        stream was made in retained mode (for seekable()); None asks the
        stream (a retained one accepts a seek to where it is)."""
        stream = cls.__new__(cls)
        ptr = handle_arg(handle, "chunkbuf_stream *")
        rc = lib.chunkbuf_stream_retain(ptr)
        if rc:
            raise error(rc)
        stream._set_handle(ffi.gc(ptr, lib.chunkbuf_stream_release), address(ptr))
        stream._addr = address(ptr)
        stream._pool = None
        if retain is None:
            retain = lib.chunkbuf_stream_seek(ptr, 0, os.SEEK_CUR, ffi.NULL) == 0
        stream._retain = bool(retain)
        stream._closing = False
        timeout_ms(timeout)
        stream.timeout = timeout
        return stream

    @property
    def handle(self):
        """The chunkbuf_stream * (valid while this object is)."""
        return self._h

    @property
    def name(self):
        """What io.TextIOWrapper shows as the file name (a Stream has no path)."""
        return "<chunkbuf.Stream>"

    # -- waits and errors

    def _ms(self, timeout):
        return timeout_ms(self.timeout if timeout is _DEFAULT else timeout)

    def _fail(self, rc, c):
        raise c.exception(rc, self._h)

    # -- writer side

    def writable(self):
        return True

    def _write(self, data, timeout=_DEFAULT):
        """write(data, timeout) (StreamBase.write) when it waits or has a
        timeout: copy data in (all or nothing); returns len(data). A write
        held back by the high-water mark waits with the GIL released and,
        on the main thread, ends when a signal arrives (Ctrl-C raises
        KeyboardInterrupt), writing nothing."""
        buf = data if type(data) is bytes else ffi.from_buffer(data)  # cffi passes bytes as they are
        c = call()
        rc = blocking(lib.chunkbuf_stream_write_wait, (self._h, buf, len(buf)), (), self._ms(timeout), c)
        if rc:
            self._fail(rc, c)
        return len(buf)

    def write_ref(self, data, timeout=_DEFAULT):
        """Write a bytes-like object without copying; it stays exported (a
        bytearray cannot be resized) until the stream no longer refers to
        its bytes. Do not modify it meanwhile. A write held back by the
        high-water mark waits as write() does (Ctrl-C ends it, writing
        nothing, and the object is let go at once)."""
        addr = self._addr

        def once(data, w):
            # one chunkbuf_stream_write_ref_wait: len(data) or the status.
            # Each attempt exports data anew and the engine lets go of that
            # export exactly once, through a C free callback (one that ran
            # Python code could take a signal's exception inside the wait)
            return stream_write_ref(addr, data, address(w))

        c = call()
        got = blocking(once, (data,), (), self._ms(timeout), c)
        if got < 0:
            self._fail(got, c)
        return got

    def write_view(self, view, timeout=_DEFAULT):
        """Write a View's bytes without copying. A write held back by the
        high-water mark waits as write() does (Ctrl-C ends it, writing
        nothing)."""
        if not isinstance(view, View):
            raise TypeError("write_view takes a View, not %s" % type(view).__name__)
        c = call()
        rc = blocking(lib.chunkbuf_stream_write_view_wait, (self._h, view.handle), (), self._ms(timeout), c)
        if rc:
            self._fail(rc, c)
        return len(view)

    def write_eof(self):
        """Signal end of file to the readers (idempotent)."""
        rc = lib.chunkbuf_stream_close(self._h)
        if rc:
            raise error(rc)

    def abort(self, code=-1):
        """Fail the stream: blocked and later reads raise AbortedError."""
        rc = lib.chunkbuf_stream_abort(self._h, code)
        if rc:
            raise error(rc)

    @property
    def abort_code(self):
        """The code given to abort(), or None if the stream was not aborted."""
        out = ffi.new("int *")
        return out[0] if lib.chunkbuf_stream_abort_code(self._h, out) == 0 else None

    # -- reader side: bulk

    def readable(self):
        return True

    def seekable(self):
        return self._retain

    @staticmethod
    def _fast(result):
        """The result of an _accel read, or None when it failed: it would
        wait, or an error that the waiting path reports (with its detail
        and an abort's code), nothing consumed either way."""
        return None if type(result) is int and result < 0 else result

    def _read_into(self, target, n, least, timeout):
        """Copy up to n bytes into target once least of them (or EOF) are
        there, consuming them; returns the count."""
        c = call()
        rc = blocking(lib.chunkbuf_stream_read_into, (self._h, target, n, least), (c.nread,),
                      self._ms(timeout), c)
        if rc:
            self._fail(rc, c)
        return c.nread[0]

    def read(self, size=-1, timeout=_DEFAULT):
        """Read size bytes, fewer only at EOF (size < 0: until EOF)."""
        if size is None or size < 0:
            return self._take_all(timeout)
        if not size:
            return b""
        if timeout is not _DEFAULT:
            timeout_ms(timeout)  # a bad timeout fails even when no wait is needed
        if size > _CHUNK:
            # A large size (a WSGI app's read(1 MiB) of a short body) would
            # allocate and zero all of it: hand out what comes instead, as
            # bytes of the exact length.
            return self._hand_out(size, size, timeout, view_bytes)
        got = self._fast(stream_read(self._addr, size, size))
        if got is not None:
            return got
        out = ffi.new("char[]", size)
        return ffi.unpack(out, self._read_into(out, size, size, timeout))

    def read1(self, size=-1, timeout=_DEFAULT):
        """Read what is there (waiting for at least one byte or EOF)."""
        size = _CHUNK if size is None or size < 0 else size
        if not size:
            return b""
        if timeout is not _DEFAULT:
            timeout_ms(timeout)  # a bad timeout fails even when no wait is needed
        if size > _CHUNK:
            return self._hand_out(1, size, timeout, view_bytes)  # no room of size bytes (see read)
        got = self._fast(stream_read(self._addr, size, 1))
        if got is not None:
            return got
        out = ffi.new("char[]", size)
        return ffi.unpack(out, self._read_into(out, size, 1, timeout))

    def readinto(self, b, timeout=_DEFAULT):
        """Fill b (fewer bytes only at EOF); returns the count. The bytes are
        copied once, into b."""
        if timeout is not _DEFAULT:
            timeout_ms(timeout)  # a bad timeout fails even when no wait is needed
        got = self._fast(stream_readinto(self._addr, b, _FULL))
        if got is not None:
            return got
        target = ffi.from_buffer(b, require_writable=True)
        return self._read_into(target, len(target), len(target), timeout)

    def readinto1(self, b, timeout=_DEFAULT):
        if timeout is not _DEFAULT:
            timeout_ms(timeout)  # a bad timeout fails even when no wait is needed
        got = self._fast(stream_readinto(self._addr, b, 1))
        if got is not None:
            return got
        target = ffi.from_buffer(b, require_writable=True)
        return self._read_into(target, len(target), 1 if len(target) else 0, timeout)

    def _read_policy(self, target, policy, timeout):
        """readinto target with a file-like adapter's CHUNKBUF_SHORT_* policy
        (chunkbuf.FileReader): only the block policy waits (timeout, Ctrl-C);
        WouldBlockError when the partial policy finds nothing yet."""
        c = call()
        ms = self._ms(timeout) if policy == lib.CHUNKBUF_SHORT_BLOCK else 0
        rc = blocking(lib.chunkbuf_stream_read_policy, (self._h, target, len(target), policy), (c.nread,), ms, c)
        if rc:
            self._fail(rc, c)
        return c.nread[0]

    def read_nonblock(self, size=-1):
        """What is buffered now, up to size bytes; b"" at EOF. Raises
        WouldBlockError (a BlockingIOError) when nothing is there yet."""
        if size is None or size < 0:
            size = max(self.readable_amount(), 1)
        if not size:
            return b""
        if size > _CHUNK:
            return self._hand_out(1, size, 0, view_bytes)  # no room of size bytes (see read)
        out = ffi.new("char[]", size)
        return ffi.unpack(out, self._read_into(out, size, 0, 0))

    def _peek(self, least, most, timeout, c):
        """A look at up to most unread bytes once least of them (or EOF) are
        there: the view (the caller releases it); c.handout records it."""
        rc = blocking(lib.chunkbuf_stream_peek, (self._h, least, most), (c.view, c.handout),
                      self._ms(timeout), c)
        if rc:
            self._fail(rc, c)
        return c.view[0]

    def _hand_out(self, least, most, timeout, convert):
        """convert(view) of up to most unread bytes once least (or EOF) are
        there, consuming exactly those bytes; a reader that consumed first
        makes it look again."""
        c = call()
        while True:
            v = self._peek(least, most, timeout, c)
            try:
                n = ffi.new("size_t *")
                lib.chunkbuf_view_len(v, n)
                result = convert(v)
            finally:
                lib.chunkbuf_view_release(v)
            rc = lib.chunkbuf_stream_consume(self._h, c.handout, n[0], c.error)
            if rc == 0:
                return result
            if rc != _ESTATE:
                self._fail(rc, c)

    def _take_all(self, timeout):
        """Everything until EOF, consumed only once EOF is there."""
        return self._hand_out(NPOS, NPOS, timeout, view_bytes)

    def read_view(self, size=-1, timeout=_DEFAULT):
        """Like read(), handing the bytes out as a zero-copy View."""
        size = NPOS if size is None or size < 0 else size

        def adopt(v):
            lib.chunkbuf_view_retain(v)
            return View._adopt(v)
        return self._hand_out(size, size, timeout, adopt)

    # -- reader side: lines

    def _peek_lines(self, max_len, room, ms, c):
        """A look, waiting for it, at up to room complete b"\\n" lines, or the
        rest before EOF (chunkbuf_stream_peek_lines): (status, their bytes
        each with its b"\\n"); c.handout covers them. ELIMIT (the first line
        is longer than max_len > 0) is returned; other failures raise."""
        lines = ffi.new("chunkbuf_line[]", room)
        rc = blocking(lib.chunkbuf_stream_peek_lines, (self._h, _LF, max_len, lines, room),
                      (c.nread, c.view, c.handout), ms, c)
        if rc == _ELIMIT:
            return rc, []
        if rc:
            self._fail(rc, c)
        try:
            return 0, [ffi.unpack(ffi.cast("const char *", ln.data), ln.length + ln.eol_length)
                       for ln in lines[0:c.nread[0]]]
        finally:
            lib.chunkbuf_view_release(c.view[0])

    def _readline(self, size=-1, timeout=_DEFAULT):
        """readline(size, timeout) (StreamBase.readline), and the next line
        of an iteration, when it waits or has a size or timeout: one line
        including b"\\n" (at most size bytes); b"" at EOF. The engine finds
        the line; a line of size bytes or more is cut after size bytes."""
        size = -1 if size is None else size
        if not size:
            return b""
        ms = self._ms(timeout)  # a bad timeout fails even when no wait is needed
        line = stream_readline(self._addr, max(size, 0))  # a whole line that is there already
        if type(line) is bytes:
            return line
        if size == 1:
            return self._hand_out(1, 1, timeout, view_bytes)  # whatever the first byte is
        c = call()
        while True:  # wait for one, interruptibly, then take what was looked at
            rc, lines = self._peek_lines(size - 1 if size > 0 else 0, 1, ms, c)
            if rc == _ELIMIT:  # size bytes or more before any b"\\n": the first size bytes
                v = self._peek(size, size, timeout, c)
                try:
                    data = view_bytes(v)
                finally:
                    lib.chunkbuf_view_release(v)
                if len(data) < size or b"\n" in data[:-1]:
                    continue  # another reader moved the stream meanwhile: look again
                lines = [data]
            if not lines:
                return b""
            rc = lib.chunkbuf_stream_consume(self._h, c.handout, len(lines[0]), c.error)
            if rc == 0:
                return lines[0]
            if rc != _ESTATE:
                self._fail(rc, c)

    def _read_line(self, eol=DEFAULT_EOL, max_len=0, keepends=False, timeout=_DEFAULT):
        """read_line(eol, max_len, keepends, timeout) (StreamBase.read_line)
        when no line is there yet, or an argument needs checking: one line
        ending in eol, consumed: bytes without its end of line (with it when
        keepends), or None at EOF. eol is one of the Buffer's styles
        ("crlf", the default, "lf", "crlf_strict", "any", "nul"); the last
        line before EOF may lack one. A line longer than max_len > 0 raises
        LimitError with nothing consumed. Waits as read() does. One C call
        and one copy a line, with no view: each line goes whole to one
        reader, whatever other threads read."""
        eol, max_len = eol_arg(eol), size_arg(max_len, "max_len")
        ms = self._ms(timeout)
        c = call()
        buf = ffi.new("char[]", _LINE_ROOM)
        while True:
            rc = blocking(lib.chunkbuf_stream_read_line, (self._h, eol, max_len, buf, len(buf)),
                          (c.nread, c.eol_len), ms, c)
            n, eol_n = c.nread[0], c.eol_len[0]
            if rc != _ERANGE:
                break
            buf = ffi.new("char[]", n + eol_n)  # nothing consumed: read it again with room for it
        if rc:
            self._fail(rc, c)
        if not n and not eol_n:
            return None
        return ffi.unpack(buf, n + eol_n if keepends else n)

    def readlines(self, hint=-1, timeout=_DEFAULT):
        """All lines until EOF, or until their total reaches hint > 0 bytes
        (the line that reaches it included). Nothing is consumed until the
        lines are there, so a wait that ends early (a timeout, Ctrl-C, an
        abort) loses none of them. While another reader takes lines from
        the same stream, the wait may last until more bytes than it needed
        (or EOF) are there."""
        if hint is None or hint <= 0:
            return io.BytesIO(self._take_all(timeout)).readlines()
        ms = self._ms(timeout)
        c = call()
        room, least = _LINES, 0
        while True:
            at_eof = False
            if least:  # wait for more bytes than were unread at the last look, or for EOF
                v = self._peek(least, least, timeout, c)
                try:
                    at_eof = lib.chunkbuf_view_len(v, c.nread) == 0 and c.nread[0] < least
                finally:
                    lib.chunkbuf_view_release(v)
            unread = self.readable_amount()  # before the look: more may come, never less unseen
            _, lines = self._peek_lines(0, room, ms, c)
            taken, total = 0, 0
            while taken < len(lines) and total < hint:
                total += len(lines[taken])
                taken += 1
            ended = not lines or not lines[-1].endswith(b"\n")  # the last line before EOF
            if total < hint and not ended and not at_eof:
                if len(lines) == room:
                    room, least = room * 2, 0  # more lines are there: look at more of them
                else:
                    least = unread + 1
                continue
            rc = lib.chunkbuf_stream_consume(self._h, c.handout, total, c.error)
            if rc == 0:
                return lines[:taken]
            if rc != _ESTATE:
                self._fail(rc, c)
            room, least = _LINES, 0  # another reader took some: look again

    def __iter__(self):
        """The stream itself: its lines with their b"\\n", each consumed as
        it is handed out (StreamBase's __next__). A closed Stream still
        hands out what was written before close() (io's check would not)."""
        return self

    # -- inspection

    def readable_amount(self):
        """Unread bytes buffered now."""
        out = ffi.new("size_t *")
        rc = lib.chunkbuf_stream_readable_amount(self._h, out)
        if rc:
            raise error(rc)
        return out[0]

    def __len__(self):
        return self.readable_amount()

    def __bool__(self):
        return True

    def at_eof(self):
        """True once EOF was signalled and everything was read."""
        out = ffi.new("int *")
        rc = lib.chunkbuf_stream_at_eof(self._h, out)
        if rc:
            raise error(rc)
        return bool(out[0])

    def waiting(self):
        """(readers, writers) blocked on the stream right now."""
        readers, writers = ffi.new("size_t *"), ffi.new("size_t *")
        rc = lib.chunkbuf_stream_waiting(self._h, readers, writers)
        if rc:
            raise error(rc)
        return readers[0], writers[0]

    def find(self, needle, start=0, end=None):
        """Position of needle among the unread bytes (relative to the read
        position), or -1. Does not wait and consumes nothing."""
        data = data_arg(needle)
        pos = ffi.new("size_t *")
        end = NPOS if end is None else size_arg(end, "end")
        rc = lib.chunkbuf_stream_find(self._h, data, len(data), size_arg(start, "start"), end, pos)
        if rc:
            raise error(rc)
        return -1 if pos[0] == NPOS else pos[0]

    def tell(self):
        out = ffi.new("uint64_t *")
        rc = lib.chunkbuf_stream_tell(self._h, out)
        if rc:
            raise error(rc)
        return out[0]

    def seek(self, offset, whence=os.SEEK_SET):
        """Move the read position (retained streams only; SEEK_END only
        after EOF). Returns the new position."""
        if whence not in (os.SEEK_SET, os.SEEK_CUR, os.SEEK_END):
            raise ValueError("invalid whence (%r)" % (whence,))
        pos = ffi.new("uint64_t *")
        rc = lib.chunkbuf_stream_seek(self._h, offset, whence, pos)
        if rc:
            raise error(rc)
        return pos[0]

    def fileno(self):
        raise io.UnsupportedOperation("a chunkbuf Stream has no file descriptor; see readiness_fd")

    @property
    def readiness_fd(self):
        """A descriptor readable while data, EOF or an abort is pending
        (for event loops; do not read or close it)."""
        out = ffi.new("int *")
        rc = lib.chunkbuf_stream_readiness_fd(self._h, out)
        if rc:
            raise error(rc)
        return out[0]

    # -- the writer's end

    def close(self):
        """Signal EOF and refuse later writes; what was written stays
        readable until it is read. The C stream is released when the object
        is collected, so other threads never race with the free."""
        if self._h and not self._closing and not self._collected:
            self._closing = True
            lib.chunkbuf_stream_close(self._h)

    @property
    def closed(self):
        """True once close() was called and every byte was read."""
        if not self._closing:
            return False
        out = ffi.new("int *")
        return lib.chunkbuf_stream_at_eof(self._h, out) != 0 or bool(out[0])

    def _check_open(self):
        if self.closed:
            raise ClosedError("I/O operation on closed stream")

    # A Stream may share its C stream with a host or other wrappers: being
    # collected drops this object's reference but is no EOF for the others
    # (io.IOBase.__del__ calls close()). Only an explicit close() signals it.
    _collected = False

    def __del__(self):
        self._collected = True
        super().__del__()

    def __repr__(self):
        if not self._h:
            return "<chunkbuf.Stream>"
        state = "closed" if self.closed else "unread=%d" % self.readable_amount()
        return "<chunkbuf.Stream %s%s>" % (state, " retained" if self._retain else "")
