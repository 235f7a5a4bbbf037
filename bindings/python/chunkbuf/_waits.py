"""How a Stream call waits: timeouts, error detail, and signals.

Every blocking stream call takes a chunkbuf_wait: its timeout, an optional
cancel token, and a chunkbuf_error the failing call fills with its detail.

Python runs signal handlers (KeyboardInterrupt for Ctrl-C) in the main
thread, between bytecodes, so a main thread blocked inside a C call would
not notice Ctrl-C until the call returned. While the main thread waits in
chunkbuf, the process's wakeup fd (signal.set_wakeup_fd) is the write end
of a pipe that a helper thread reads: a signal writes its number there, the
helper fires the wait's cancel token, the C call returns ECANCELED having
consumed nothing, and Python runs the handler (which raises
KeyboardInterrupt) before the call would wait again. Bytes for a wakeup fd
someone else had set (asyncio's) are passed on to it. Nothing polls: the
wait is one C call woken by a condition variable.
"""
import math
import os
import signal
import threading
import time

from ._errors import AbortedError, BY_CODE, Error
from ._ffi import ffi, lib

ECANCELED = lib.CHUNKBUF_ECANCELED
EAGAIN = lib.CHUNKBUF_EAGAIN
_MAIN = threading.main_thread().ident


def timeout_ms(timeout):
    """Seconds (None or inf: forever) as the C API's milliseconds (-1:
    forever, 0: do not wait)."""
    if timeout is None:
        return -1
    if not timeout >= 0:  # also NaN
        raise ValueError("timeout must be None or >= 0 seconds, got %r" % (timeout,))
    if timeout * 1000 >= 2**62:  # inf, or longer than C's int64 counts
        return -1
    return math.ceil(timeout * 1000)


class Call:
    """One thread's chunkbuf_wait and chunkbuf_error, and the out-parameters
    the stream calls fill (made once per thread, see call())."""

    __slots__ = ("wait", "error", "nread", "eol_len", "view", "handout")

    def __init__(self):
        self.error = ffi.new("chunkbuf_error *")
        self.error.struct_size = ffi.sizeof("chunkbuf_error")
        self.wait = ffi.new("chunkbuf_wait *")
        self.wait.struct_size = ffi.sizeof("chunkbuf_wait")
        self.wait.timeout_ms = -1
        self.wait.error = self.error
        self.nread = ffi.new("size_t *")
        self.eol_len = ffi.new("size_t *")
        self.view = ffi.new("chunkbuf_view **")
        self.handout = ffi.new("chunkbuf_handout *")

    def exception(self, rc, stream=None):
        """The exception for status rc, with the detail the call reported."""
        message = ffi.string(self.error.message).decode("utf-8", "replace")
        if not message or self.error.code != rc:
            message = ffi.string(lib.chunkbuf_strerror(rc)).decode("utf-8", "replace")
        exc = BY_CODE.get(rc, Error)(message, rc)
        if isinstance(exc, AbortedError) and stream:
            code = ffi.new("int *")
            if lib.chunkbuf_stream_abort_code(stream, code) == 0:
                exc.abort_code = code[0]
        return exc


_local = threading.local()


def call():
    """This thread's Call."""
    try:
        return _local.call
    except AttributeError:
        c = _local.call = Call()
        return c


def _run_pending_handlers():
    """Entering a Python function runs the signal handlers that are due."""


class _SignalWaker:
    """The pipe, the helper thread and the main thread's cancel token."""

    def __init__(self):
        out = ffi.new("chunkbuf_cancel **")
        rc = lib.chunkbuf_cancel_new(out)
        if rc:
            raise call().exception(rc)
        self.token = ffi.gc(out[0], lib.chunkbuf_cancel_free)
        self.r, self.w = os.pipe()
        os.set_blocking(self.w, False)
        self.forward = -1
        threading.Thread(target=self._watch, name="chunkbuf-signals", daemon=True).start()

    def _watch(self):
        while True:
            data = os.read(self.r, 512)
            forward = self.forward
            if forward >= 0:
                try:
                    os.write(forward, data)
                except OSError:
                    pass
            lib.chunkbuf_cancel_fire(self.token)


_waker = None
_waker_lock = threading.Lock()


def _get_waker():
    global _waker
    with _waker_lock:
        if _waker is None:
            _waker = _SignalWaker()
        return _waker


def _forget_waker():
    global _waker, _waker_lock, _MAIN
    _waker, _waker_lock = None, threading.Lock()  # the helper thread is gone in a forked child
    _MAIN = threading.get_ident()  # the forking thread is the child's main thread (signals run there)


os.register_at_fork(after_in_child=_forget_waker)


def blocking(fn, before, after, ms, c):
    """Runs fn(*before, c.wait, *after) -> status with a wait of ms milliseconds. On
    the main thread a wait ends when a signal arrives; its handler runs and,
    unless it raised, the call waits again for the rest of its time."""
    w = c.wait
    w.timeout_ms = ms
    if ms == 0 or threading.get_ident() != _MAIN:
        return fn(*before, w, *after)
    w.timeout_ms = 0  # what is there already needs no signal set-up
    rc = fn(*before, w, *after)
    if rc != EAGAIN:
        return rc
    waker = _get_waker()
    deadline = None if ms < 0 else time.monotonic() + ms / 1000
    while True:
        lib.chunkbuf_cancel_reset(waker.token)
        previous = signal.set_wakeup_fd(waker.w, warn_on_full_buffer=False)
        waker.forward = previous
        try:
            _run_pending_handlers()  # a signal that came before the wakeup fd was set
            w.timeout_ms = -1 if deadline is None else max(0, math.ceil((deadline - time.monotonic()) * 1000))
            w.cancel = waker.token
            rc = fn(*before, w, *after)
        finally:
            w.cancel = ffi.NULL
            waker.forward = -1
            signal.set_wakeup_fd(previous)
        if rc != ECANCELED:
            return rc
        _run_pending_handlers()  # KeyboardInterrupt is raised here, nothing consumed
