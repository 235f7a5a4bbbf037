"""Hostile use from Python: huge sizes, lent memory that outlives its
lending, a garbage collection during a leak report, fork from a busy
process, infinite timeouts, find with bytes.find's bounds, adopted memory
under limits."""
import gc
import multiprocessing
import os
import subprocess
import sys
import textwrap
import threading

import pytest

import chunkbuf
from chunkbuf import compat

HUGE = 2**64 - 1


def test_fill_with_a_huge_size_raises():
    b = chunkbuf.Buffer(b"abc")
    for n in (HUGE, HUGE - 32, HUGE - 63, 2**63):
        with pytest.raises(chunkbuf.LimitError):
            b.fill(lambda mv: 0, n)
    assert bytes(b) == b"abc"
    assert b.fill(lambda mv: mv.__setitem__(slice(0, 1), b"d") or 1, 1) == 1  # no reservation was left open
    assert bytes(b) == b"abcd"


def test_max_len_of_size_max_is_no_limit():
    """max_len = SIZE_MAX must not wrap round when an end of line's slack or
    a delimiter's length is added: an unfinished line is NeedMoreData, not
    LimitError, and nothing is consumed."""
    size_max = 2 ** (8 * chunkbuf.ffi.sizeof("size_t")) - 1
    buf = chunkbuf.Buffer()
    buf.append(b"partial\r")
    with pytest.raises(chunkbuf.NeedMoreData):
        buf.take_line("crlf", max_len=size_max)
    with pytest.raises(chunkbuf.NeedMoreData):
        buf.take_until(b"\r\n!", max_len=size_max)
    assert len(buf) == 8
    buf.append(b"\n")
    assert bytes(buf.take_line("crlf", max_len=size_max)) == b"partial"


def test_read_from_fd_with_a_huge_max_raises():
    r, w = os.pipe()
    try:
        os.write(w, b"hello")
        b = chunkbuf.Buffer()
        with pytest.raises(chunkbuf.LimitError):
            b.read_from_fd(r, max=HUGE)
        assert b.read_from_fd(r) == 5  # the bytes stayed in the pipe
        assert bytes(b) == b"hello"
    finally:
        os.close(r)
        os.close(w)


def test_fill_memoryview_is_released_after_fill():
    kept = []
    b = chunkbuf.Buffer()
    b.fill(lambda mv: kept.append(mv) or 0, 16)
    with pytest.raises(ValueError):
        kept[0][0] = 1


def test_close_inside_fill_ends_the_lending():
    b = chunkbuf.Buffer(b"before")
    seen = []

    def fn(mv):
        piece = mv[8:16]
        b.close()  # ends the lending: the memoryview is released
        with pytest.raises(ValueError):
            mv[:5] = b"AAAAA"
        piece[:] = b"BBBBBBBB"  # a slice taken before keeps its memory alive (ASan checks it)
        seen.append(piece)
        return 5

    with pytest.raises(chunkbuf.StateError):
        b.fill(fn, 64)
    assert b.closed
    seen[0][:] = b"CCCCCCCC"
    del seen[:]
    gc.collect()


def test_slice_kept_from_fill_never_rewrites_a_view():
    kept = []
    b = chunkbuf.Buffer(b"head:")

    def fn(mv):
        mv[:4] = b"AAAA"
        kept.append(mv[0:4])  # a slice outlives the callback
        return 4

    assert b.fill(fn, 4) == 4
    assert bytes(b) == b"head:AAAA"
    view = b.split_to(len(b))
    kept[0][:] = b"ZZZZ"  # writes to memory nobody reads any more
    assert bytes(view) == b"head:AAAA"
    b.append(b"tail")  # later writes do not land in the slice's memory either
    kept[0][:] = b"YYYY"
    assert bytes(b) == b"tail"
    chunkbuf.Pool.default().trim()
    kept[0][:] = b"XXXX"  # still its own memory after a trim (ASan checks it)
    del kept[:]
    gc.collect()
    b.append(b"!")
    assert bytes(b) == b"tail!"


def test_compat_get_chunk_then_close():
    c = compat.Buffer()
    mv = c.get_chunk(16)
    mv[:3] = b"abc"
    c.close()
    with pytest.raises(ValueError):
        mv[0] = 1


def test_compat_get_chunk_slice_survives_close():
    c = compat.Buffer()
    piece = c.get_chunk(16)[2:6]
    c.close()
    piece[:] = b"wxyz"  # the memory stays valid while the slice lives
    assert bytes(piece) == b"wxyz"
    del piece
    gc.collect()


def test_compat_chunk_written_releases_the_chunk():
    c = compat.Buffer()
    mv = c.get_chunk(8)
    mv[:2] = b"hi"
    c.chunk_written(2)
    with pytest.raises(ValueError):
        mv[0] = 1
    assert bytes(c) == b"hi"
    with pytest.raises(chunkbuf.StateError):
        c.chunk_written(1)


def test_dropping_a_buffer_with_a_lent_chunk_frees_it_later():
    c = compat.Buffer()
    mv = c.get_chunk(8)
    del c
    gc.collect()
    mv[:8] = b"12345678"  # still valid
    del mv
    gc.collect()


def test_gc_finalizer_during_leak_report_does_not_hang():
    # Views freed by the garbage collector while report() runs its sink.
    code = textwrap.dedent("""
        import gc
        import chunkbuf
        from chunkbuf import debug
        debug.track(True)
        class Cycle:
            pass
        gc.disable()
        for i in range(300):
            c = Cycle()
            c.me = c
            c.view = chunkbuf.View(b"x" * 10)
        del c
        gc.set_threshold(1, 1, 1)
        gc.enable()
        lines = debug.report()
        gc.collect()
        debug.track(False)
        print("reported", len(lines) > 0)
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "reported" in out.stdout


def _child_work(q):
    pool = chunkbuf.Pool()
    for p in (pool, None):
        b = chunkbuf.Buffer(pool=p)
        for _ in range(100):
            b.append(b"line\n")
        assert b.take_line() is not None
        s = chunkbuf.Stream(pool=p)
        s.write(b"ping\n")
        s.write_eof()
        assert s.read() == b"ping\n"
    pool.trim()
    chunkbuf.Pool.default().trim()
    pool.close()
    q.put("ok")


def test_huge_read_sizes_return_what_is_there():
    # read1/read_nonblock return up to size bytes: a size far beyond what is
    # buffered must not allocate that much first (a MemoryError with bytes
    # waiting), as read(size) already does not.
    s = chunkbuf.Stream()
    for size in (2**40, sys.maxsize):
        s.write(b"hello")
        assert s.read1(size) == b"hello"
        s.write(b"hello")
        assert s.read_nonblock(size) == b"hello"
        with pytest.raises(chunkbuf.WouldBlockError):
            s.read_nonblock(size)
    s.write(b"bye")
    s.write_eof()
    assert s.read1(2**40) == b"bye" and s.read1(2**40) == b"" and s.read_nonblock(2**40) == b""


def _sanitizer_runtime_loaded():
    with open("/proc/self/maps") as maps:
        return any("libasan" in line or "libtsan" in line for line in maps)


def test_multiprocessing_fork_from_a_busy_process():
    if _sanitizer_runtime_loaded():
        # GCC 12's sanitizer allocator takes its own locks without fork
        # handlers: a child can hang inside malloc whatever chunkbuf does.
        pytest.skip("sanitizer allocators are not fork-safe; runs in the plain build")
    ctx = multiprocessing.get_context("fork")
    pool = chunkbuf.Pool()
    stop = threading.Event()

    def hammer():
        while not stop.is_set():
            b = chunkbuf.Buffer(pool=pool)
            b.append(b"x" * 5000)
            b.split_to(2500)
            pool.stats()
            pool.trim()

    threads = [threading.Thread(target=hammer) for _ in range(3)]
    for t in threads:
        t.start()
    try:
        for _ in range(40):
            q = ctx.Queue()
            p = ctx.Process(target=_child_work, args=(q,))
            p.start()
            p.join(60)
            if p.is_alive():
                p.kill()
                p.join()
                pytest.fail("a forked child hung")
            assert p.exitcode == 0
            assert q.get(timeout=5) == "ok"
    finally:
        stop.set()
        for t in threads:
            t.join()
        pool.close()


def test_infinite_timeout_waits_without_overflow():
    s = chunkbuf.Stream(timeout=float("inf"))
    s.write(b"a\nb\n")
    got = []
    reader = threading.Thread(target=lambda: got.append(s.read(timeout=float("inf"))))
    reader.start()
    s.write_eof()
    reader.join(60)
    assert got == [b"a\nb\n"]
    s2 = chunkbuf.Stream()
    s2.write(b"x\ny")
    assert s2.readline(timeout=float("inf")) == b"x\n"
    assert s2.read(1, timeout=1e300) == b"y"  # beyond any millisecond count: no timeout
    with pytest.raises(ValueError):
        s2.read(1, timeout=float("nan"))


@pytest.mark.parametrize("data", [b"", b"abcab", b"a\nb\nc"])
def test_find_reads_bounds_like_bytes_find(data):
    b = chunkbuf.Buffer(data)
    for needle in (b"", b"a", b"ab", b"b\n", b"zz"):
        for start in (None, -100, -3, -1, 0, 1, 2, 5, 9):
            for end in (None, -100, -2, -1, 0, 1, 3, 5, 9):
                args = (start,) if end is None else (start if start is not None else 0, end)
                if needle and start is not None and start > len(data):
                    with pytest.raises(chunkbuf.RangeError):  # the C contract: a start past the end
                        b.find(needle, *args)
                    continue
                assert b.find(needle, *args) == data.find(needle, *args), (needle, start, end)
                assert b.rfind(needle, *args) == data.rfind(needle, *args), (needle, start, end)


def test_max_bytes_bounds_adopted_pieces():
    b = chunkbuf.Buffer(max_bytes=1 << 16)
    one = b"z"
    for _ in range(1 << 16):
        b.append_ref(one)
    with pytest.raises(chunkbuf.LimitError):
        b.append_ref(one)
    assert len(b) == 1 << 16
    assert b.segment_count <= 4096


def test_tenant_quota_counts_adopted_memory():
    pool = chunkbuf.Pool()
    pool.set_tenant_quota(4, 4096)
    b = chunkbuf.Buffer(pool=pool, tenant=4)
    with pytest.raises(chunkbuf.LimitError):
        b.append_ref(bytes(1 << 20))
    assert pool.tenant_usage(4) == 0
    b.append_ref(bytes(100))
    assert pool.tenant_usage(4) >= 100
    b.close()
    assert pool.tenant_usage(4) == 0
