"""setuptools build of the chunkbuf package (see pyproject.toml).

Generates the cffi declarations and the API-mode C source from chunkbuf.h
with gen_ffi.py (as the meson build does) and compiles chunkbuf._native
against libchunkbuf and chunkbuf._bufexport.
"""
import os
import pathlib
import subprocess
import sys

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext
from setuptools.command.build_py import build_py

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import gen_ffi  # noqa: E402


def pkg_config(flag):
    try:
        out = subprocess.run(["pkg-config", flag, "chunkbuf"], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return []
    return [word[2:] for word in out.split()]


def locations():
    """(include dirs, library dirs) of libchunkbuf."""
    if os.environ.get("CHUNKBUF_INCLUDE_DIR"):
        libdir = os.environ.get("CHUNKBUF_LIB_DIR")
        return [os.environ["CHUNKBUF_INCLUDE_DIR"]], [libdir] if libdir else []
    return pkg_config("--cflags-only-I") or ["/usr/local/include", "/usr/include"], pkg_config("--libs-only-L")


INCLUDE_DIRS, LIBRARY_DIRS = locations()


def header():
    for directory in INCLUDE_DIRS:
        path = pathlib.Path(directory) / "chunkbuf.h"
        if path.exists():
            return str(path)
    raise SystemExit("chunkbuf.h not found in %s: install libchunkbuf (meson install) or set "
                     "CHUNKBUF_INCLUDE_DIR and CHUNKBUF_LIB_DIR" % INCLUDE_DIRS)


class BuildPy(build_py):
    def run(self):
        super().run()
        gen_ffi.main([header(), "--cdef-out", os.path.join(self.build_lib, "chunkbuf", "_cdef.py")])


class BuildExt(build_ext):
    def run(self):
        source = os.path.join(self.build_temp, "_native.c")
        os.makedirs(self.build_temp, exist_ok=True)
        gen_ffi.main([header(), "--c-out", source])
        self.extensions[0].sources = [source]
        super().run()


_, VALUES = gen_ffi.header_to_cdef(pathlib.Path(header()).read_text())

setup(
    version="%d.%d.%d" % (VALUES["CHUNKBUF_VERSION_MAJOR"], VALUES["CHUNKBUF_VERSION_MINOR"],
                          VALUES["CHUNKBUF_VERSION_PATCH"]),
    ext_modules=[
        Extension("chunkbuf._native", sources=[], include_dirs=INCLUDE_DIRS, library_dirs=LIBRARY_DIRS,
                  runtime_library_dirs=LIBRARY_DIRS, libraries=["chunkbuf"]),
        Extension("chunkbuf._bufexport", sources=["chunkbuf/_bufexport.c"]),
    ],
    cmdclass={"build_py": BuildPy, "build_ext": BuildExt},
)
