"""File-like adapters over a Buffer or a Stream (the streambufs design).

FileReader is an io.RawIOBase reader whose `policy` says what a read of n
bytes does when fewer are there:

    "raise"           NeedMoreData, nothing consumed (a Stream at EOF gives
                      what is left, then b"")
    "return_partial"  what is there; a Stream with nothing yet gives None
                      (RawIOBase's "would block"), b"" at EOF
    "block"           a Stream waits for the n bytes or EOF, with the
                      reader's timeout (TimeoutError) and Ctrl-C; a Buffer
                      has no writer to wait for (InvalidArgumentError)

The policy is applied by libchunkbuf (chunkbuf_buffer_read_policy /
chunkbuf_stream_read_policy); wrap a FileReader in io.BufferedReader or
io.TextIOWrapper for buffered or text reading. FileWriter is the writing
side: an io.RawIOBase whose write() copies into the Buffer or Stream.
"""
import io

from ._ffi import ffi, lib
from ._errors import WouldBlockError
from .buffer import Buffer
from .stream import Stream

POLICIES = {"raise": lib.CHUNKBUF_SHORT_RAISE, "return_partial": lib.CHUNKBUF_SHORT_PARTIAL,
            "block": lib.CHUNKBUF_SHORT_BLOCK}


def _source(obj, what):
    if not isinstance(obj, (Buffer, Stream)):
        raise TypeError("%s takes a chunkbuf.Buffer or chunkbuf.Stream, not %s" % (what, type(obj).__name__))
    return obj


class FileReader(io.RawIOBase):
    """A readable binary file over a Buffer or a Stream (see the module)."""

    def __init__(self, source, policy="return_partial", *, timeout=None):
        super().__init__()
        if policy not in POLICIES:
            raise ValueError("policy must be one of %s, not %r" % (", ".join(POLICIES), policy))
        self._src = _source(source, "FileReader")
        self.policy = policy
        self.timeout = timeout

    def readable(self):
        return True

    def readinto(self, b):
        self._checkClosed()
        target = ffi.from_buffer(b, require_writable=True)
        if not len(target):
            return 0
        src = self._src
        if isinstance(src, Buffer):
            return Buffer._read_policy(src, target, POLICIES[self.policy])
        try:
            return Stream._read_policy(src, target, POLICIES[self.policy], self.timeout)
        except WouldBlockError:
            if self.policy == "return_partial":
                return None  # RawIOBase: nothing there yet, not EOF
            raise

    def readall(self):
        """Everything this policy can get now: a Buffer's bytes, a Stream's
        bytes until EOF (block) or until none are there (the others)."""
        self._checkClosed()
        if isinstance(self._src, Buffer):
            return self._src.read()
        parts = []
        while True:
            chunk = self.read(io.DEFAULT_BUFFER_SIZE if self.policy == "block" else
                              max(self._src.readable_amount(), 1))
            if not chunk:
                if chunk is None and not parts:
                    return None
                return b"".join(parts)
            parts.append(chunk)


class FileWriter(io.RawIOBase):
    """A writable binary file over a Buffer (appends) or a Stream (writes,
    waiting under back-pressure); close() of a Stream's writer signals EOF
    when eof_on_close is true."""

    def __init__(self, target, *, eof_on_close=False):
        super().__init__()
        self._dst = _source(target, "FileWriter")
        self._eof = eof_on_close

    def writable(self):
        return True

    def write(self, b):
        self._checkClosed()
        data = memoryview(b).cast("B")
        self._dst.write(data)
        return len(data)

    def close(self):
        if not self.closed and self._eof and isinstance(self._dst, Stream):
            self._dst.write_eof()
        super().close()
