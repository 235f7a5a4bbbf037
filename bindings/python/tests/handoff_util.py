"""Helpers for the hand-off tests: a "host" that makes streams and views
through the C API alone, and a wait on the engine's count of blocked calls
(never a sleep that hopes the other thread got there)."""
import time

from chunkbuf import ffi, lib


def wait_waiting(handle, readers=0, writers=0, timeout=10.0):
    """Returns once exactly that many calls are blocked on the stream (as
    chunkbuf_stream_waiting counts them); fails after timeout seconds."""
    r = ffi.new("size_t *")
    w = ffi.new("size_t *")
    deadline = time.monotonic() + timeout
    while True:  # bounded by the deadline
        assert lib.chunkbuf_stream_waiting(handle, r, w) == 0
        if (r[0], w[0]) == (readers, writers):
            return
        assert time.monotonic() < deadline, "waiting: readers=%d writers=%d" % (r[0], w[0])
        time.sleep(0.001)


def host_stream(retain=False, high_water=0):
    """A chunkbuf_stream * made the way a C host makes it (one reference)."""
    opts = ffi.new("chunkbuf_stream_options *")
    opts.struct_size = ffi.sizeof("chunkbuf_stream_options")
    opts.content_length = lib.CHUNKBUF_UNKNOWN_LENGTH
    opts.retain = 1 if retain else 0
    opts.high_water = high_water
    out = ffi.new("chunkbuf_stream **")
    assert lib.chunkbuf_stream_new(opts, out) == 0
    return out[0]


def address(ptr):
    return int(ffi.cast("uintptr_t", ptr))
