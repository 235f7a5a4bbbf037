"""Loads the C library: the compiled cffi module (API mode), or, when that
module was not built, libchunkbuf.so.1 through ffi.dlopen (ABI mode).

Either way the library must be at least as new as the header the binding
was built with, within the same major version (a newer minor only adds
functions), and must have every function the binding declares, or the
import fails with an ImportError that says which.
"""
import itertools
import math
import operator
import os
import re

from . import _accel, _cdef
from ._errors import BY_CODE, Error


def _format(number):
    return "%d.%d.%d" % (number // 10000, number // 100 % 100, number % 100)


try:
    from ._native import ffi, lib
    MODE = "api"
except ModuleNotFoundError as exc:
    if exc.name != __package__ + "._native":
        raise
    import cffi
    ffi = cffi.FFI()
    ffi.cdef(_cdef.CDEF)
    lib = ffi.dlopen(os.environ.get("CHUNKBUF_LIBRARY", "libchunkbuf.so.1"))
    MODE = "abi"
except ImportError as exc:
    # The dynamic linker refuses the compiled module when the library lacks
    # a version node (e.g. CHUNKBUF_1.2) or a function the module uses.
    raise ImportError(
        "chunkbuf: the loaded libchunkbuf is older than chunkbuf.h %s the Python binding was built "
        "against (%s); install libchunkbuf %s or newer" % (_format(_cdef.HEADER_VERSION), exc,
                                                           _format(_cdef.HEADER_VERSION))) from exc


def check_version(header, library):
    """Raises ImportError unless library (a CHUNKBUF_VERSION_NUMBER) can
    serve a binding built against header: the same major, and not older."""
    if library // 10000 != header // 10000 or library < header:
        raise ImportError(
            "chunkbuf: the Python binding was built against chunkbuf.h %s "
            "(CHUNKBUF_VERSION_NUMBER %d) but the loaded libchunkbuf is %s (%d); it needs "
            "libchunkbuf %d.x at %s or newer"
            % (_format(header), header, _format(library), library, header // 10000, _format(header)))


def check_symbols(declarations, library):
    """Raises ImportError naming every function the declarations name that
    library lacks (ABI mode resolves names only when they are first used)."""
    names = sorted(set(re.findall(r"\b(chunkbuf_\w+)\s*\(", declarations)))
    missing = [name for name in names if not hasattr(library, name)]
    if missing:
        raise ImportError("chunkbuf: the loaded libchunkbuf lacks %s, declared by chunkbuf.h %s; install "
                          "a newer libchunkbuf" % (", ".join(missing), _format(_cdef.HEADER_VERSION)))


check_version(_cdef.HEADER_VERSION, lib.chunkbuf_version())
if MODE == "abi":
    check_symbols(_cdef.CDEF, lib)

NPOS = lib.CHUNKBUF_NPOS
NULL = ffi.NULL


def error(rc):
    """The exception for status rc, with chunkbuf_last_error()'s detail.

    Call it right after the failing call, on the same thread."""
    detail = ffi.string(lib.chunkbuf_last_error()).decode("utf-8", "replace")
    name = ffi.string(lib.chunkbuf_strerror(rc)).decode("utf-8", "replace")
    return BY_CODE.get(rc, Error)(detail or name, rc)


_accel.set_error(error)  # the exceptions _accel raises


def check(rc):
    if rc:
        raise error(rc)


# Zero-copy appends: chunkbuf calls the free callback with user_data once it
# no longer needs the memory. user_data is a key into _pinned, which holds
# the Python object (through an ffi.from_buffer cdata) until then.
_pinned = {}
_keys = itertools.count(1)


def _release(user_data):
    _pinned.pop(int(ffi.cast("uintptr_t", user_data)), None)


# Debug reports: chunkbuf calls the sink once per line, during the call;
# user_data is a key into _reports.
_reports = {}


def _report(line, user_data):
    _reports[int(ffi.cast("uintptr_t", user_data))].append(ffi.string(line).decode("utf-8", "replace"))


if MODE == "api":
    ffi.def_extern(name="_chunkbuf_py_release")(_release)
    ffi.def_extern(name="_chunkbuf_py_report")(_report)
    RELEASE_FN = lib._chunkbuf_py_release
    REPORT_FN = lib._chunkbuf_py_report
else:
    RELEASE_FN = ffi.callback("chunkbuf_free_fn", _release)
    REPORT_FN = ffi.callback("chunkbuf_report_fn", _report)


def collect_report(call):
    """Runs call(report_fn, user_data) and returns the lines reported."""
    key = next(_keys)
    _reports[key] = []
    try:
        call(REPORT_FN, ffi.cast("void *", key))
        return _reports[key]
    finally:
        del _reports[key]


def pin(data):
    """Returns (pointer, length, key) for a bytes-like object, which stays
    alive (and cannot be resized) until chunkbuf calls RELEASE_FN with
    user_data ffi.cast("void *", key) (see unpin_unless_adopted for calls
    that fail without adopting it)."""
    ptr = ffi.from_buffer(data)
    key = next(_keys)
    _pinned[key] = ptr
    return ptr, len(ptr), key


def pin_all(ptrs):
    """Like pin, for a list of ffi.from_buffer pointers kept under one key."""
    key = next(_keys)
    _pinned[key] = ptrs
    return key


def unpin_unless_adopted(rc, key):
    """After a failed append_ref/write_ref: chunkbuf calls the free callback
    on failure too, except for EHANDLE and EINVAL; unpin in those cases."""
    if rc in (lib.CHUNKBUF_EHANDLE, lib.CHUNKBUF_EINVAL):
        _pinned.pop(key, None)


def pinned_count():
    """How many objects chunkbuf still holds by reference (for tests)."""
    return len(_pinned)


# The longest finite wait passed to C (milliseconds); longer ones, and
# float("inf"), wait without a timeout.
MAX_TIMEOUT_MS = 2**62


def timeout_ms(timeout):
    """A timeout in seconds as C milliseconds: None for "wait forever"
    (None, inf, or beyond MAX_TIMEOUT_MS), else an int >= 0. ValueError for
    a negative or NaN timeout."""
    if timeout is None:
        return None
    if timeout != timeout:
        raise ValueError("timeout must not be NaN")
    if timeout < 0:
        raise ValueError("timeout must not be negative")
    if timeout == math.inf or timeout * 1000 >= MAX_TIMEOUT_MS:
        return None
    return math.ceil(timeout * 1000)


def size_arg(n, name="n"):
    """n as a size_t argument: an int >= 0 (ValueError / TypeError otherwise)."""
    n = operator.index(n)
    if n < 0:
        raise ValueError("%s must not be negative, got %d" % (name, n))
    return n


def address(ptr):
    """A cffi pointer as the integer address _accel's functions take."""
    return int(ffi.cast("uintptr_t", ptr))


def handle_arg(handle, ctype):
    """A handle made outside this binding as a ctype pointer: a cffi pointer
    (from any FFI instance), an integer address, or an object with an
    integer .value (ctypes.c_void_p). ValueError for NULL."""
    if isinstance(handle, ffi.CData):
        ptr = ffi.cast(ctype, handle)
    else:
        address = getattr(handle, "value", handle)
        if address is None:
            address = 0
        address = operator.index(address)
        if address < 0:
            raise ValueError("a handle address must not be negative, got %d" % address)
        ptr = ffi.cast(ctype, address)
    if ptr == ffi.NULL:
        raise ValueError("a NULL %s cannot be wrapped" % ctype)
    return ptr
