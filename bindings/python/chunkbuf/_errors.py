"""Exceptions: one class per chunkbuf status code, under chunkbuf.Error."""


class Error(Exception):
    """Base class of every error chunkbuf reports. `code` is the C status."""

    code = None

    def __init__(self, message="", code=None):
        super().__init__(message)
        if code is not None:
            self.code = code


class InvalidArgumentError(Error, ValueError):
    """CHUNKBUF_EINVAL: an argument is out of range or malformed."""


class HandleError(Error, ValueError):
    """CHUNKBUF_EHANDLE: the object was freed/released (or is not a handle)."""


class OutOfMemoryError(Error, MemoryError):
    """CHUNKBUF_ENOMEM: out of memory; nothing changed."""


class LimitError(Error, ValueError):
    """CHUNKBUF_ELIMIT: a limit (max_bytes, quota, max length) would be passed."""


class StateError(Error, RuntimeError):
    """CHUNKBUF_ESTATE: not allowed now (on a Buffer: a reservation is open)."""


class FrameTooLargeError(LimitError):
    """CHUNKBUF_EFRAMELIMIT: a frame is longer than the framer's max_frame
    (a LimitError raised by a Buffer is the buffer growing past max_bytes)."""


class NoReservationError(StateError):
    """CHUNKBUF_ENORESERVE: commit without an open reservation (a StateError
    raised by a Buffer is the opposite: a reservation is still open)."""


class NeedMoreData(Error):
    """CHUNKBUF_ENEEDMORE: more bytes are needed; nothing was consumed."""


class ClosedError(Error, ValueError):
    """The stream is closed (CHUNKBUF_ECLOSED for writers; reading a closed
    Stream object raises it too, like I/O on a closed Python file)."""


class WouldBlockError(Error, BlockingIOError):
    """CHUNKBUF_EAGAIN: the call would block."""


class TimeoutError(Error, TimeoutError):  # noqa: A001 - also the builtin
    """CHUNKBUF_ETIMEDOUT: a blocking call's timeout passed."""


class AbortedError(Error, OSError):
    """CHUNKBUF_EABORTED: the writer aborted the stream (see abort_code)."""

    abort_code = None


class RangeError(Error, ValueError):
    """CHUNKBUF_ERANGE: an offset or count lies beyond the data."""


class FileDescriptorError(Error, OSError):
    """CHUNKBUF_EIO: a read or write on a file descriptor failed."""


class NotSupportedError(Error, NotImplementedError):
    """CHUNKBUF_ENOTSUP: the feature is not compiled into libchunkbuf."""


class VersionError(Error, RuntimeError):
    """CHUNKBUF_EVERSION: libchunkbuf does not know an options struct size."""


class CanceledError(Error):
    """CHUNKBUF_ECANCELED: a blocking call's cancel token fired; nothing
    was consumed."""


BY_CODE = {
    -1: InvalidArgumentError, -2: HandleError, -3: OutOfMemoryError,
    -4: LimitError, -5: StateError, -6: NeedMoreData, -7: ClosedError,
    -8: WouldBlockError, -9: TimeoutError, -10: AbortedError, -11: RangeError,
    -12: FileDescriptorError, -13: NotSupportedError, -14: VersionError,
    -15: CanceledError, -16: FrameTooLargeError, -17: NoReservationError,
}
