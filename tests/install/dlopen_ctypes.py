#!/usr/bin/env python3
"""chunkbuf from Python with no binding at all: ctypes loads
libchunkbuf.so.1 by name (the dynamic loader finds it: ldconfig's cache for
an installed library, LD_LIBRARY_PATH for a build or a staged install),
declares the few C functions it uses, and runs a small scenario through the
C API: a writer thread feeds a Stream while the main thread blocks in
readline (ctypes releases the GIL during each call), then a Buffer hands
out CRLF lines as zero-copy views.

    LD_LIBRARY_PATH=build/capi python3 tests/install/dlopen_ctypes.py
"""
import ctypes
import sys
import threading
from ctypes import POINTER, byref, c_char_p, c_int, c_int64, c_size_t, c_uint, c_uint32, c_uint64, c_void_p

SONAME = "libchunkbuf.so.1"
OK, ENEEDMORE = 0, -6
EOL_CRLF = 1
UNKNOWN_LENGTH = 2**64 - 1


class StreamOptions(ctypes.Structure):  # chunkbuf_stream_options
    _fields_ = [("struct_size", c_size_t), ("pool", c_void_p), ("content_length", c_uint64),
                ("retain", c_int), ("high_water", c_size_t), ("max_bytes", c_size_t),
                ("tenant", c_uint32)]


def load():
    lib = ctypes.CDLL(SONAME)
    sig = {
        "chunkbuf_version": (c_uint, []),
        "chunkbuf_version_string": (c_char_p, []),
        "chunkbuf_strerror": (c_char_p, [c_int]),
        "chunkbuf_last_error": (c_char_p, []),
        "chunkbuf_stream_new": (c_int, [POINTER(StreamOptions), POINTER(c_void_p)]),
        "chunkbuf_stream_free": (None, [c_void_p]),
        "chunkbuf_stream_write": (c_int, [c_void_p, c_char_p, c_size_t, c_int64]),
        "chunkbuf_stream_close": (c_int, [c_void_p]),
        "chunkbuf_stream_abort": (c_int, [c_void_p, c_int]),
        "chunkbuf_stream_readline": (c_int, [c_void_p, c_size_t, c_int64, POINTER(c_void_p)]),
        "chunkbuf_buffer_new": (c_int, [c_void_p, POINTER(c_void_p)]),
        "chunkbuf_buffer_free": (None, [c_void_p]),
        "chunkbuf_buffer_append": (c_int, [c_void_p, c_char_p, c_size_t]),
        "chunkbuf_buffer_len": (c_int, [c_void_p, POINTER(c_size_t)]),
        "chunkbuf_buffer_take_line": (c_int, [c_void_p, c_int, c_size_t, POINTER(c_void_p)]),
        "chunkbuf_view_len": (c_int, [c_void_p, POINTER(c_size_t)]),
        "chunkbuf_view_copy_out": (c_int, [c_void_p, c_size_t, c_void_p, c_size_t, POINTER(c_size_t)]),
        "chunkbuf_view_release": (None, [c_void_p]),
    }
    for name, (res, args) in sig.items():
        fn = getattr(lib, name)
        fn.restype, fn.argtypes = res, args
    return lib


def main():
    lib = load()

    def check(rc, what):
        if rc != OK:
            raise RuntimeError("%s: %s (%s)" % (what, lib.chunkbuf_strerror(rc).decode(),
                                                (lib.chunkbuf_last_error() or b"").decode()))

    def view_bytes(view):
        n = c_size_t()
        check(lib.chunkbuf_view_len(view, byref(n)), "view_len")
        out = ctypes.create_string_buffer(n.value)
        copied = c_size_t()
        check(lib.chunkbuf_view_copy_out(view, 0, out, n.value, byref(copied)), "view_copy_out")
        lib.chunkbuf_view_release(view)
        return out.raw[:copied.value]

    if lib.chunkbuf_version() < 100:  # 0.1.0 and later
        raise RuntimeError("unexpected chunkbuf_version %d" % lib.chunkbuf_version())

    # A writer thread, a blocking reader.
    opts = StreamOptions(ctypes.sizeof(StreamOptions), None, UNKNOWN_LENGTH, 0, 256, 0, 0)
    stream = c_void_p()
    check(lib.chunkbuf_stream_new(byref(opts), byref(stream)), "stream_new")
    count = 500

    def writer():
        for i in range(count):
            line = b"record %d\n" % i
            for part in (line[:4], line[4:]):
                if lib.chunkbuf_stream_write(stream, part, len(part), -1) != OK:
                    lib.chunkbuf_stream_abort(stream, 1)
                    return
        lib.chunkbuf_stream_close(stream)

    t = threading.Thread(target=writer)
    t.start()
    got = []
    while True:
        view = c_void_p()
        check(lib.chunkbuf_stream_readline(stream, 0, 10000, byref(view)), "stream_readline")
        line = view_bytes(view)
        if not line:
            break
        got.append(line)
    t.join()
    lib.chunkbuf_stream_free(stream)
    assert got == [b"record %d\n" % i for i in range(count)], got[:5]

    # A buffer handing out lines.
    buf = c_void_p()
    check(lib.chunkbuf_buffer_new(None, byref(buf)), "buffer_new")
    for piece in (b"GET / HTTP/1.1\r\nHo", b"st: x\r\n\r\npartial"):
        check(lib.chunkbuf_buffer_append(buf, piece, len(piece)), "buffer_append")
    lines = []
    while True:
        view = c_void_p()
        rc = lib.chunkbuf_buffer_take_line(buf, EOL_CRLF, 8192, byref(view))
        if rc == ENEEDMORE:
            break
        check(rc, "buffer_take_line")
        lines.append(view_bytes(view))
    left = c_size_t()
    check(lib.chunkbuf_buffer_len(buf, byref(left)), "buffer_len")
    lib.chunkbuf_buffer_free(buf)
    assert lines == [b"GET / HTTP/1.1", b"Host: x", b""], lines
    assert left.value == len(b"partial"), left.value

    print("ctypes: %s loaded by name, chunkbuf %s: %d stream lines from a writer thread, %d buffer lines"
          % (SONAME, lib.chunkbuf_version_string().decode(), len(got), len(lines)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
