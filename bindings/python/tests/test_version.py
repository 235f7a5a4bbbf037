"""Version check at import, and the ABI-mode fallback."""
import os
import subprocess
import sys
import textwrap

import pytest

import chunkbuf
from chunkbuf import _ffi


def test_header_and_library_versions_agree():
    assert chunkbuf.HEADER_VERSION == chunkbuf.LIBRARY_VERSION == chunkbuf.lib.chunkbuf_version()
    assert chunkbuf.__version__ == "%d.%d.%d" % (chunkbuf.lib.CHUNKBUF_VERSION_MAJOR,
                                                 chunkbuf.lib.CHUNKBUF_VERSION_MINOR,
                                                 chunkbuf.lib.CHUNKBUF_VERSION_PATCH)
    assert chunkbuf.MODE == "api"


def test_an_older_library_or_another_major_is_a_clear_import_error():
    with pytest.raises(ImportError, match=r"built against chunkbuf.h 0.2.0 .* libchunkbuf is 0.1.0 .* 0.2.0 or newer"):
        _ffi.check_version(200, 100)
    with pytest.raises(ImportError, match=r"built against chunkbuf.h 0.2.0 .* libchunkbuf is 1.2.0"):
        _ffi.check_version(200, 10200)
    _ffi.check_version(200, 200)
    _ffi.check_version(200, 201)  # a patch release
    _ffi.check_version(100, 200)  # a newer minor only adds functions


def test_a_missing_function_is_a_clear_import_error():
    class Library:
        def chunkbuf_version(self):
            return 200
    with pytest.raises(ImportError, match=r"lacks chunkbuf_not_there, declared by chunkbuf.h"):
        _ffi.check_symbols("unsigned chunkbuf_version(void);\nint chunkbuf_not_there(int x);", Library())
    _ffi.check_symbols(_ffi._cdef.CDEF, _ffi.lib)  # the real library has every function


def library_path():
    with open("/proc/self/maps") as f:
        for line in f:
            if "libchunkbuf.so" in line:
                return line.split()[-1]
    raise AssertionError("libchunkbuf is not mapped")


# Run in a fresh interpreter in which chunkbuf._native cannot be imported.
NO_NATIVE = textwrap.dedent("""
    import importlib.abc, importlib.util, sys
    class Hide(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path, target=None):
            if name == "chunkbuf._native":
                raise ModuleNotFoundError("hidden", name=name)
    sys.meta_path.insert(0, Hide())
""")


def run(code):
    env = dict(os.environ, CHUNKBUF_LIBRARY=library_path())
    return subprocess.run([sys.executable, "-c", NO_NATIVE + textwrap.dedent(code)],
                          env=env, capture_output=True, text=True, timeout=60)


def test_abi_mode_fallback_when_the_compiled_module_is_missing():
    result = run("""
        import chunkbuf
        assert chunkbuf.MODE == "abi"
        b = chunkbuf.Buffer()
        b.append_ref(b"abc")
        b.append(b"def\\n")
        assert b.take_lines() == [b"abcdef"]
        v = chunkbuf.View(b"xyz")
        assert v.memoryview().tobytes() == b"xyz"
        print("ok")
    """)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_abi_mode_refuses_a_missing_function():
    result = run("""
        import importlib.util, pathlib, sys
        spec = importlib.util.find_spec("chunkbuf")
        path = pathlib.Path(spec.origin).parent / "_cdef.py"
        cdef_spec = importlib.util.spec_from_file_location("chunkbuf._cdef", path)
        cdef = importlib.util.module_from_spec(cdef_spec)
        cdef_spec.loader.exec_module(cdef)
        cdef.CDEF += "int chunkbuf_from_the_future(int x);\\n"
        sys.modules["chunkbuf._cdef"] = cdef
        import chunkbuf
    """)
    assert result.returncode != 0
    assert "ImportError: chunkbuf: the loaded libchunkbuf lacks chunkbuf_from_the_future" in result.stderr


def test_abi_mode_refuses_a_version_mismatch():
    result = run("""
        import importlib.util, pathlib, sys
        spec = importlib.util.find_spec("chunkbuf")
        path = pathlib.Path(spec.origin).parent / "_cdef.py"
        cdef_spec = importlib.util.spec_from_file_location("chunkbuf._cdef", path)
        cdef = importlib.util.module_from_spec(cdef_spec)
        cdef_spec.loader.exec_module(cdef)
        cdef.HEADER_VERSION = 9999
        sys.modules["chunkbuf._cdef"] = cdef
        import chunkbuf
    """)
    assert result.returncode != 0
    assert "ImportError: chunkbuf: the Python binding was built against chunkbuf.h 0.99.99" in result.stderr
