"""The cffi declarations come from chunkbuf.h, never from a hand-kept copy."""
import os
import pathlib
import re
import sys

import pytest

import chunkbuf
from chunkbuf import _cdef, ffi, lib

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
import gen_ffi  # noqa: E402

HEADER = pathlib.Path(os.environ.get("CHUNKBUF_HEADER") or
                      pathlib.Path(__file__).resolve().parents[3] / "capi" / "include" / "chunkbuf.h")


ACCEL = pathlib.Path(__file__).resolve().parents[1] / "chunkbuf" / "_accel.c"


def header_functions():
    text = HEADER.read_text()
    return set(re.findall(r"CHUNKBUF_API\s+[^;(]*?\b(chunkbuf_\w+)\s*\(", text))


def test_every_header_function_is_callable():
    names = header_functions()
    assert len(names) > 80
    missing = [n for n in sorted(names) if not callable(getattr(lib, n, None))]
    assert missing == []


def deprecated_functions():
    return set(re.findall(r"CHUNKBUF_API\s+CHUNKBUF_DEPRECATED\s+[^;(]*?\b(chunkbuf_\w+)\s*\(", HEADER.read_text()))


# Header functions the package does not call, and why.
NOT_WRAPPED = {
    # chunkbuf_stream_read_into (min = n, 1 or 0) and peek + consume do these
    # reads with a wait that a signal can end and an error struct
    "chunkbuf_stream_read": "read_into with min = n",
    "chunkbuf_stream_read1": "read_into with min = 1",
    "chunkbuf_stream_read_nonblock": "read_into with min = 0",
    "chunkbuf_stream_read_view": "peek + consume",
    "chunkbuf_stream_readlines": "peek + consume",
    "chunkbuf_stream_free": "the same as chunkbuf_stream_release, which the Stream calls",
    "chunkbuf_cancel_fired": "the binding's tokens are fired and reset by the binding itself",
    "chunkbuf_stream_read_lines": "readline and iteration look with peek_lines and consume each line as it is handed out",
    "chunkbuf_buffer_read_line": "line iteration hands out a batch per C call (peek_lines), not one copy per call",
    "chunkbuf_buffer_read_lines": "take_lines and line iteration hand out views and memoryviews, not raw line pointers",
    "chunkbuf_stream_write_view": "write_view waits through chunkbuf_stream_write_view_wait (a signal can end it)",
    "chunkbuf_stream_write_ref": "write_ref waits through chunkbuf_stream_write_ref_wait (a signal can end it)",
    "chunkbuf_stream_read_start": "threads are OS threads: a blocked read waits in C with the GIL released",
    "chunkbuf_stream_wait_start": "threads are OS threads: a line read that waits blocks in C with the GIL released",
    "chunkbuf_stream_space_start": "threads are OS threads: a write held at the high-water mark blocks in C with the GIL released",
    "chunkbuf_read_op_finish": "threads are OS threads: a blocked read waits in C with the GIL released",
}


def test_every_header_function_is_wrapped():
    """... except the deprecated 0.1 names, which the binding never calls."""
    package = pathlib.Path(chunkbuf.__file__).parent
    source = "".join(p.read_text() for p in package.glob("*.py"))
    accel = ACCEL.read_text()  # the C hot paths call chunkbuf.h directly
    deprecated = deprecated_functions()
    assert "chunkbuf_ring_available" in deprecated
    unused = sorted(n for n in header_functions() - deprecated
                    if not re.search(r"\blib\.%s\b" % n, source) and not re.search(r"\b%s\(" % n, accel))
    assert unused == sorted(n for n in NOT_WRAPPED if n in header_functions())
    assert sorted(n for n in deprecated if re.search(r"\blib\.%s\b" % n, source) or n + "(" in accel) == []


def test_built_cdef_is_what_the_header_generates_now():
    cdef, version = gen_ffi.build_cdef(str(HEADER))
    assert cdef == _cdef.CDEF
    assert version == _cdef.HEADER_VERSION == chunkbuf.HEADER_VERSION


def test_constants_agree_with_the_compiled_header():
    _, values = gen_ffi.header_to_cdef(HEADER.read_text())
    assert values["CHUNKBUF_NPOS"] == 2 ** (8 * ffi.sizeof("size_t")) - 1
    for name, value in values.items():
        assert getattr(lib, name) == value, name


def test_structs_match_the_header_layout():
    assert ffi.sizeof("chunkbuf_pool_stats") == ffi.offsetof("chunkbuf_pool_stats", "external_blocks") + 8
    assert dict(ffi.typeof("chunkbuf_pool_stats").fields)["hits"].type.length == lib.CHUNKBUF_POOL_CLASSES


def test_generator_fails_loudly_on_what_it_cannot_translate():
    with pytest.raises(ValueError):
        gen_ffi.header_to_cdef("#define CHUNKBUF_MAX(a, b) ((a) > (b) ? (a) : (b))\n")
    with pytest.raises(ValueError):
        gen_ffi.header_to_cdef("#pragma once\n")


def test_generator_handles_conditionals_and_empty_macros():
    body, values = gen_ffi.header_to_cdef(
        "#ifdef __cplusplus\nextern \"C\" {\n#endif\n#if defined(X) && defined(Y)\n#define API vis\n"
        "#else\n#define API\n#endif\n#define N (2u * 3)\nAPI int f(int a[N]);\n")
    assert body == "int f(int a[6]);"
    assert values == {"N": 6}
