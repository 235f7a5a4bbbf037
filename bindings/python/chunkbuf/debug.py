"""Leak tracking (like Netty's leak detector): while on, chunkbuf records
the creating call stack of every block and view, and report() lists the
live ones. Also switched on by CHUNKBUF_TRACK_LEAKS=1 in the environment."""
from ._ffi import NULL, check, collect_report, ffi, lib


def track(on=True):
    """Track (or stop tracking) blocks and views created from now on."""
    check(lib.chunkbuf_debug_track(1 if on else 0))


def report(pool=None):
    """One line per live tracked block or view of pool (None: every pool)."""
    count = ffi.new("size_t *")
    handle = pool.handle if pool is not None else NULL
    return collect_report(lambda fn, key: check(lib.chunkbuf_debug_report(handle, fn, key, count)))
