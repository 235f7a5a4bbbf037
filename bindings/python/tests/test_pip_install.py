"""`pip install` of bindings/python (setuptools) builds a working package."""
import os
import pathlib
import shutil
import subprocess
import sys

import pytest

import chunkbuf  # maps libchunkbuf, whose directory the build links against

SOURCE = pathlib.Path(__file__).resolve().parents[1]


def mapped_library():
    with open("/proc/self/maps") as f:
        for line in f:
            if "libchunkbuf.so" in line:
                return pathlib.Path(line.split()[-1])
    raise AssertionError("libchunkbuf is not mapped")


def test_pip_install_builds_and_imports(tmp_path):
    pytest.importorskip("wheel", reason="pip's setuptools build needs the wheel package")
    header = pathlib.Path(os.environ.get("CHUNKBUF_HEADER") or
                          SOURCE.parents[1] / "capi" / "include" / "chunkbuf.h").resolve()
    src = tmp_path / "src"
    shutil.copytree(SOURCE, src, ignore=shutil.ignore_patterns("tests", "meson.build", "__pycache__"))
    env = dict(os.environ, CHUNKBUF_INCLUDE_DIR=str(header.parent),
               CHUNKBUF_LIB_DIR=str(mapped_library().parent), PYTHONPATH="")
    result = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-build-isolation", "--no-deps",
                             "--target", str(tmp_path / "site"), str(src)],
                            env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    installed = sorted(p.name for p in (tmp_path / "site" / "chunkbuf").iterdir())
    assert "_cdef.py" in installed and "__init__.pyi" in installed and "py.typed" in installed
    assert any(name.startswith("_native.") for name in installed)
    check = subprocess.run([sys.executable, "-c", "import chunkbuf; print(chunkbuf.MODE, chunkbuf.__file__, "
                            "chunkbuf.__version__, bytes(chunkbuf.Buffer(b'pip')))"],
                           env=dict(env, PYTHONPATH=str(tmp_path / "site")), capture_output=True, text=True,
                           cwd=tmp_path, timeout=60)
    assert check.returncode == 0, check.stderr
    mode, path, version, data = check.stdout.split()
    assert mode == "api" and path.startswith(str(tmp_path / "site")) and data == "b'pip'"
    assert version == chunkbuf.__version__
