"""Stream: a thread-safe byte stream that reads like a binary file."""
import io
import math
import os
import threading

from ._errors import AbortedError, ClosedError
from ._ffi import (NPOS, RELEASE_FN, _pinned, check, error, ffi, handle_arg, lib, pin, size_arg,
                   unpin_unless_adopted)
from .aio import AsyncReaderMixin
from .buffer import BATCH, split_lf_lines
from .view import View, data_arg, view_bytes

_DEFAULT = object()
# A wait without a timeout is cut into slices this long, so that signal
# handlers (KeyboardInterrupt) run between them; no work happens per slice.
_SLICE_MS = 200
_CHUNK = 64 * 1024


class Stream(AsyncReaderMixin, io.BufferedIOBase):
    """A thread-safe stream: writer threads call write()/write_eof()/abort(),
    readers use it as a binary file (read, read1, readinto, readline,
    readlines, iteration, seek/tell in retained mode), so io.TextIOWrapper,
    json.load, gzip, tarfile ('r|'), csv and email read from it directly.

    Blocking calls release the GIL and take timeout= seconds (None: wait
    forever, still interruptible by signals; 0: do not wait). The default
    comes from Stream(timeout=...). A timeout raises chunkbuf.TimeoutError
    (a builtin TimeoutError) with nothing consumed.

    retain=True keeps read bytes so seek(0) works (request bodies);
    content_length preallocates and closes the stream after that many bytes;
    high_water makes writers wait for readers; max_bytes bounds the stream.
    close() ends this object's use (later reads raise ValueError like a
    closed file) and signals EOF to the other side.
    """

    def __init__(self, content_length=None, *, retain=False, high_water=0, max_bytes=0,
                 tenant=0, pool=None, timeout=None):
        self._h = ffi.NULL  # until created: close() from __del__ is then harmless
        opts = ffi.new("chunkbuf_stream_options *")
        opts.struct_size = ffi.sizeof("chunkbuf_stream_options")
        opts.pool = pool.handle if pool is not None else ffi.NULL
        opts.content_length = (lib.CHUNKBUF_UNKNOWN_LENGTH if content_length is None
                               else size_arg(content_length, "content_length"))
        opts.retain = 1 if retain else 0
        opts.high_water = size_arg(high_water, "high_water")
        opts.max_bytes = size_arg(max_bytes, "max_bytes")
        opts.tenant = size_arg(tenant, "tenant")
        out = ffi.new("chunkbuf_stream **")
        self._raise_if(lib.chunkbuf_stream_new(opts, out))
        self._h = ffi.gc(out[0], lib.chunkbuf_stream_free)
        self._pool = pool
        self._retain = bool(retain)
        # Bytes taken from the C stream but not handed out yet (the rest of a
        # line batch when an iteration stops early, partial lines of the
        # async readers). Every read serves them first, under _head_lock.
        self._head = b""
        self._head_lock = threading.RLock()
        self.timeout = timeout

    @classmethod
    def from_handle(cls, handle, *, timeout=None):
        """Wrap a chunkbuf_stream * that a host (C, Go, Lua, ...) made: a
        cffi pointer or its integer address. No copy: this object takes its
        own reference (chunkbuf_stream_retain) and releases it when
        collected, so the stream lives until every holder has let go."""
        ptr = handle_arg(handle, "chunkbuf_stream *")
        check(lib.chunkbuf_stream_retain(ptr))
        self = cls.__new__(cls)
        self._h = ffi.gc(ptr, lib.chunkbuf_stream_release)
        self._pool = None
        # Retained streams accept a seek to where they are; streaming ones
        # refuse any seek (StateError).
        self._retain = lib.chunkbuf_stream_seek(ptr, 0, os.SEEK_CUR, ffi.NULL) == 0
        self._head = b""
        self._head_lock = threading.RLock()
        self.timeout = timeout
        return self

    @property
    def handle(self):
        """The chunkbuf_stream * (valid until the object is collected)."""
        return self._h

    @property
    def name(self):
        """What io.TextIOWrapper shows as the file name (a Stream has no path)."""
        return "<chunkbuf.Stream>"

    # -- errors and timeouts

    def _raise_if(self, rc):
        if not rc:
            return
        exc = error(rc)
        if isinstance(exc, AbortedError):
            code = ffi.new("int *")
            if lib.chunkbuf_stream_abort_code(self._h, code) == 0:
                exc.abort_code = code[0]
        raise exc

    def _check_open(self):
        if self.closed:
            raise ClosedError("I/O operation on closed stream")

    def _wait(self, call, timeout):
        """Run call(timeout_ms) -> status, cutting an unbounded wait into
        slices so signals are handled; returns when it did not time out."""
        if timeout is _DEFAULT:
            timeout = self.timeout
        if timeout is not None:
            if timeout < 0:
                raise ValueError("timeout must not be negative")
            self._raise_if(call(math.ceil(timeout * 1000)))
            return
        while True:
            rc = call(_SLICE_MS)
            if rc != lib.CHUNKBUF_ETIMEDOUT:
                self._raise_if(rc)
                return

    def _take_head(self, n):
        with self._head_lock:
            head = self._head
            if n < 0 or n >= len(head):
                self._head = b""
                return head
            self._head = head[n:]
            return head[:n]

    def _push_head(self, data, front=True):
        """Put bytes back in front of (or behind) the kept head."""
        with self._head_lock:
            self._head = data + self._head if front else self._head + data

    # -- writer side

    def writable(self):
        return True

    def write(self, data, timeout=_DEFAULT):
        """Copy data in (all or nothing); returns len(data)."""
        self._check_open()
        buf = data_arg(data)
        self._wait(lambda ms: lib.chunkbuf_stream_write(self._h, buf, len(buf), ms), timeout)
        return len(buf)

    def write_ref(self, data, timeout=_DEFAULT):
        """Write a bytes-like object without copying; it is kept alive until
        the stream no longer refers to its bytes. Do not modify it meanwhile."""
        self._check_open()
        ptr, length, key = pin(data)
        user_data = ffi.cast("void *", key)

        def call(ms):
            _pinned.setdefault(key, ptr)  # a timed-out slice released it
            rc = lib.chunkbuf_stream_write_ref(self._h, ptr, length, RELEASE_FN, user_data, ms)
            unpin_unless_adopted(rc, key)
            return rc
        self._wait(call, timeout)
        return length

    def write_view(self, view, timeout=_DEFAULT):
        """Write a View's bytes without copying."""
        self._check_open()
        if not isinstance(view, View):
            raise TypeError("write_view takes a View, not %s" % type(view).__name__)
        self._wait(lambda ms: lib.chunkbuf_stream_write_view(self._h, view.handle, ms), timeout)
        return len(view)

    def write_eof(self):
        """Signal end of file to the readers (idempotent)."""
        self._raise_if(lib.chunkbuf_stream_close(self._h))

    def abort(self, code=-1):
        """Fail the stream: blocked and later reads raise AbortedError."""
        self._raise_if(lib.chunkbuf_stream_abort(self._h, code))

    @property
    def abort_code(self):
        """The code given to abort(), or None if the stream was not aborted."""
        out = ffi.new("int *")
        return out[0] if lib.chunkbuf_stream_abort_code(self._h, out) == 0 else None

    # -- reader side

    def readable(self):
        return True

    def seekable(self):
        return self._retain

    def read(self, size=-1, timeout=_DEFAULT):
        """Read size bytes, fewer only at EOF (size < 0: until EOF)."""
        self._check_open()
        size = -1 if size is None else size
        head = self._take_head(size)
        if size >= 0:
            size -= len(head)
            if not size:
                return head
            out = ffi.new("char[]", size)
            nread = ffi.new("size_t *")
            self._wait(lambda ms: lib.chunkbuf_stream_read(self._h, out, size, ms, nread), timeout)
            return head + ffi.unpack(out, nread[0]) if head else ffi.unpack(out, nread[0])
        out = ffi.new("chunkbuf_view **")
        self._wait(lambda ms: lib.chunkbuf_stream_read_view(self._h, NPOS, ms, out), timeout)
        try:
            return head + view_bytes(out[0])
        finally:
            lib.chunkbuf_view_release(out[0])

    def read1(self, size=-1, timeout=_DEFAULT):
        """Read what is there (waiting for at least one byte or EOF)."""
        self._check_open()
        size = _CHUNK if size is None or size < 0 else size
        if self._head or not size:
            return self._take_head(size)
        out = ffi.new("char[]", size)
        nread = ffi.new("size_t *")
        self._wait(lambda ms: lib.chunkbuf_stream_read1(self._h, out, size, ms, nread), timeout)
        return ffi.unpack(out, nread[0])

    def readinto(self, b, timeout=_DEFAULT):
        """Fill b (fewer bytes only at EOF); returns the count. No copy
        beyond the one into b."""
        return self._readinto(b, lib.chunkbuf_stream_read, timeout)

    def readinto1(self, b, timeout=_DEFAULT):
        return self._readinto(b, lib.chunkbuf_stream_read1, timeout)

    def _readinto(self, b, fn, timeout):
        self._check_open()
        target = ffi.from_buffer(b, require_writable=True)
        n = len(target)
        done = 0
        if self._head:
            head = self._take_head(n)
            done = len(head)
            ffi.memmove(target, head, done)
            if done == n or fn is lib.chunkbuf_stream_read1:
                return done
        nread = ffi.new("size_t *")
        self._wait(lambda ms: fn(self._h, target + done, n - done, ms, nread), timeout)
        return done + nread[0]

    def read_view(self, size=-1, timeout=_DEFAULT):
        """Like read(), handing the bytes out as a zero-copy View."""
        self._check_open()
        size = -1 if size is None else size
        if self._head:
            head = View(self._take_head(size))
            if size < 0 or len(head) == size:
                return head if size >= 0 else head + self.read_view(-1, timeout)
            size -= len(head)
            return head + self.read_view(size, timeout)
        out = ffi.new("chunkbuf_view **")
        n = NPOS if size < 0 else size
        self._wait(lambda ms: lib.chunkbuf_stream_read_view(self._h, n, ms, out), timeout)
        return View._adopt(out[0])

    def _read_available(self, size):
        """Up to size bytes from the C stream, not waiting (WouldBlockError
        when nothing is buffered before EOF); ignores the kept head."""
        out = ffi.new("char[]", max(size, 1))
        nread = ffi.new("size_t *")
        self._raise_if(lib.chunkbuf_stream_read_nonblock(self._h, out, size, nread))
        return ffi.unpack(out, nread[0])

    def read_nonblock(self, size=-1):
        """What is buffered now, up to size bytes; b"" at EOF. Raises
        WouldBlockError (a BlockingIOError) when nothing is there yet."""
        self._check_open()
        if size is None or size < 0:
            size = max(self.readable_amount(), 1)
        if self._head:
            return self._take_head(size)
        return self._read_available(size)

    def readline(self, size=-1, timeout=_DEFAULT):
        """One line including b"\\n" (at most size bytes); b"" at EOF."""
        self._check_open()
        size = -1 if size is None else size
        if self._head:
            with self._head_lock:
                end = self._head.find(b"\n", 0, size if size >= 0 else len(self._head)) + 1
                head = self._take_head(end if end else size)
            if end or (size >= 0 and len(head) == size):
                return head
            return head + self._readline_c(size - len(head) if size >= 0 else -1, timeout)
        return self._readline_c(size, timeout)

    def _readline_c(self, size, timeout):
        """readline from the C stream alone (not the kept head)."""
        if not size:
            return b""
        out = ffi.new("chunkbuf_view **")
        limit = 0 if size < 0 else size
        self._wait(lambda ms: lib.chunkbuf_stream_readline(self._h, limit, ms, out), timeout)
        try:
            return view_bytes(out[0])
        finally:
            lib.chunkbuf_view_release(out[0])

    def _batch(self, records, n, out, timeout):
        """One readlines batch as bytes lines (with b"\\n"); [] at EOF."""
        self._wait(lambda ms: lib.chunkbuf_stream_readlines(self._h, records, BATCH, ms, n, out), timeout)
        return split_lf_lines(out[0]) if n[0] else []

    def _head_lines(self, timeout):
        """The kept head as lines; a trailing partial line is completed
        from the C stream."""
        head = self._take_head(-1)
        if not head:
            return []
        lines = io.BytesIO(head).readlines()
        if not lines[-1].endswith(b"\n"):
            lines[-1] += self._readline_c(-1, timeout)
        return lines

    def readlines(self, hint=-1, timeout=_DEFAULT):
        """All lines until EOF (or until their total passes hint bytes),
        taken in batches of up to 1024 lines per C call."""
        self._check_open()
        lines = self._head_lines(timeout)
        total = sum(map(len, lines))
        records = ffi.new("chunkbuf_record[]", BATCH)
        n = ffi.new("size_t *")
        out = ffi.new("chunkbuf_view **")
        while hint is None or hint <= 0 or total < hint:
            batch = self._batch(records, n, out, timeout)
            if not batch:
                break
            lines += batch
            total += sum(map(len, batch))
        return lines

    def __iter__(self):
        self._check_open()
        return self._lines()

    def _lines(self):
        records = ffi.new("chunkbuf_record[]", BATCH)
        n = ffi.new("size_t *")
        out = ffi.new("chunkbuf_view **")
        while True:
            batch = self._head_lines(_DEFAULT) or self._batch(records, n, out, _DEFAULT)
            if not batch:
                return
            i = 0
            try:
                for i, line in enumerate(batch, 1):
                    yield line
            finally:
                if i < len(batch):  # the loop was left early: keep the rest
                    self._push_head(b"".join(batch[i:]))

    # -- inspection

    def readable_amount(self):
        """Unread bytes buffered now."""
        out = ffi.new("size_t *")
        self._raise_if(lib.chunkbuf_stream_readable_amount(self._h, out))
        return out[0] + len(self._head)

    def __len__(self):
        return self.readable_amount()

    def __bool__(self):
        return True

    def at_eof(self):
        """True once EOF was signalled and everything was read."""
        out = ffi.new("int *")
        self._raise_if(lib.chunkbuf_stream_at_eof(self._h, out))
        return bool(out[0]) and not self._head

    def find(self, needle, start=0, end=None):
        """Position of needle among the unread bytes (relative to the read
        position), or -1. Does not wait."""
        data = data_arg(needle)
        if self._head:  # search the kept bytes and what is buffered after them
            with self._head_lock:
                self._push_head(self._drain(), front=False)
                return self._head.find(needle, start, end)
        pos = ffi.new("size_t *")
        end = NPOS if end is None else size_arg(end, "end")
        self._raise_if(lib.chunkbuf_stream_find(self._h, data, len(data), size_arg(start, "start"), end, pos))
        return -1 if pos[0] == NPOS else pos[0]

    def _drain(self):
        """Everything buffered in the C stream now (b"" if nothing)."""
        n = ffi.new("size_t *")
        self._raise_if(lib.chunkbuf_stream_readable_amount(self._h, n))
        if not n[0]:
            return b""
        out = ffi.new("char[]", n[0])
        self._raise_if(lib.chunkbuf_stream_read_nonblock(self._h, out, n[0], n))
        return ffi.unpack(out, n[0])

    def tell(self):
        out = ffi.new("uint64_t *")
        self._raise_if(lib.chunkbuf_stream_tell(self._h, out))
        return out[0] - len(self._head)

    def seek(self, offset, whence=os.SEEK_SET):
        """Move the read position (retained streams only; SEEK_END only
        after EOF). Returns the new position."""
        self._check_open()
        if whence == os.SEEK_CUR:
            offset -= len(self._head)
        elif whence not in (os.SEEK_SET, os.SEEK_END):
            raise ValueError("invalid whence (%r)" % (whence,))
        pos = ffi.new("uint64_t *")
        with self._head_lock:
            self._raise_if(lib.chunkbuf_stream_seek(self._h, offset, whence, pos))
            self._head = b""
        return pos[0]

    def fileno(self):
        raise io.UnsupportedOperation("a chunkbuf Stream has no file descriptor; see readiness_fd")

    @property
    def readiness_fd(self):
        """A descriptor readable while data, EOF or an abort is pending
        (for event loops; do not read or close it)."""
        out = ffi.new("int *")
        self._raise_if(lib.chunkbuf_stream_readiness_fd(self._h, out))
        return out[0]

    def close(self):
        """Close this object and signal EOF; the C stream is freed when the
        object is collected, so other threads never race with the free."""
        if not self.closed and not self._collected:
            lib.chunkbuf_stream_close(self._h)
        super().close()

    # A Stream may share its C stream with a host or other wrappers: being
    # collected drops this object's reference but is no EOF for the others
    # (io.IOBase.__del__ calls close()). Only an explicit close() signals it.
    _collected = False

    def __del__(self):
        self._collected = True
        super().__del__()

    def __repr__(self):
        state = "closed" if self.closed else "unread=%d" % self.readable_amount()
        return "<chunkbuf.Stream %s%s>" % (state, " retained" if self._retain else "")
