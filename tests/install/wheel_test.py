#!/usr/bin/env python3
"""The Python package as pip users get it (pyproject.toml, meson-python),
from a clean clone of the source tree, with no libchunkbuf installed
anywhere the package could find it. Prints TAP.

    wheel_test.py [--python PY]

- `pip wheel .`: one wheel holding the cffi module, the _accel extension
  and libchunkbuf.so.1,
  linked by soname and found through RUNPATH $ORIGIN;
- `python -m build --sdist`, and `pip wheel` of that sdist gives the same
  wheel;
- `auditwheel show` names the manylinux tag, `auditwheel repair` makes the
  manylinux wheel (libcrypto vendored, libchunkbuf.so.1 kept by soname);
- the repaired wheel in a fresh venv runs the pytest suite, and
  importlib.metadata knows its version;
- one engine per process: a host that loaded libchunkbuf first (ctypes)
  creates and fills a Stream, and the package reads that handle;
- mypy --strict accepts io.TextIOWrapper(chunkbuf.Stream()) and the Python
  examples against the installed stubs.

Builds happen in pip's temporary directories, never in the source tree;
the meson inside pip's build environment uses ccache when it is on PATH.
The clean copy lives at the same path on every run (--workdir, emptied
first), so the builds, which name sources by relative path, hit ccache
for every file that did not change.
"""
import argparse
import glob
import os
import re
import subprocess
import sys
import tempfile
import zipfile

from installtest import Skip, clean_copy, clean_env, diag, finish, fresh_dir, run, step

ONE_ENGINE = r'''
import ctypes, os, sys
# The "host": it loads libchunkbuf first, the way a C program would have it
# loaded, and makes a Stream through the C API.
site = sys.argv[1]
host = ctypes.CDLL(os.path.join(site, "chunkbuf", "libchunkbuf.so.1"), mode=ctypes.RTLD_GLOBAL)
host.chunkbuf_stream_new.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_void_p)]
host.chunkbuf_stream_write.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_int64]
host.chunkbuf_stream_close.argtypes = [ctypes.c_void_p]
host.chunkbuf_stream_free.argtypes = [ctypes.c_void_p]
host.chunkbuf_pool_default.restype = ctypes.c_void_p
handle = ctypes.c_void_p()
assert host.chunkbuf_stream_new(None, ctypes.byref(handle)) == 0
assert host.chunkbuf_stream_write(handle, b"from the host\n", 14, -1) == 0
assert host.chunkbuf_stream_close(handle) == 0

import chunkbuf  # its _native module needs libchunkbuf.so.1: the one loaded
from chunkbuf import ffi, lib

mapped = {line.split()[-1] for line in open("/proc/self/maps") if "libchunkbuf" in line}
assert len(mapped) == 1, mapped
# The same default pool, and the host's handle is valid on the package's side
# (a second engine would reject it: handles are checked against the registry).
assert int(ffi.cast("uintptr_t", lib.chunkbuf_pool_default())) == host.chunkbuf_pool_default()
s = ffi.cast("chunkbuf_stream *", handle.value)
out = ffi.new("char[]", 64)
nread = ffi.new("size_t *")
assert lib.chunkbuf_stream_read(s, out, 64, -1, nread) == 0
assert ffi.unpack(out, nread[0]) == b"from the host\n", ffi.unpack(out, nread[0])
host.chunkbuf_stream_free(handle)
print("one engine:", mapped.pop())
'''

TEXT_WRAPPER = '''import io

import chunkbuf

stream = chunkbuf.Stream()
stream.write(b"line\\n")
stream.write_eof()
text = io.TextIOWrapper(stream, encoding="utf-8")
first: str = text.readline()
print(first)
'''


def venv(path, python):
    run([python, "-m", "venv", path], env=clean_env())
    return os.path.join(path, "bin", "python")


def wheel_files(path):
    with zipfile.ZipFile(path) as z:
        return {i.filename: i.file_size for i in z.infolist() if not i.filename.endswith("/")}


def only(pattern):
    hits = glob.glob(pattern)
    if len(hits) != 1:
        raise RuntimeError("expected one file matching %s, found %s" % (pattern, hits))
    return hits[0]


def dynamic(path, tag):
    out = subprocess.run(["readelf", "-d", path], capture_output=True, text=True, check=True).stdout
    return re.findall(r"\(%s\)\s+.*\[(.*)\]" % tag, out)


def site_packages(py, env):
    return subprocess.run([py, "-c", "import sysconfig; print(sysconfig.get_paths()['platlib'])"],
                          env=env, capture_output=True, text=True, check=True).stdout.strip()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--python", default=sys.executable)
    ap.add_argument("--skip", metavar="REASON", help="report the whole test as skipped")
    ap.add_argument("--workdir", help="a directory of its own, emptied first (default: a new temporary one)")
    args = ap.parse_args()
    if args.skip:
        print("1..0 # SKIP " + args.skip)
        return 0
    work = fresh_dir(args.workdir) if args.workdir else tempfile.mkdtemp(prefix="chunkbuf-wheel-")
    env = clean_env()
    src = os.path.join(work, "chunkbuf")
    # A clean clone: meson dist (under python -m build --sdist) needs git.
    clean_copy(src)
    run(["git", "init", "-q", src], env=env)
    run(["git", "-C", src, "add", "-A"], env=env)
    run(["git", "-C", src, "-c", "user.name=t", "-c", "user.email=t@localhost", "commit", "-q", "-m", "clean"],
        env=env)
    state = {}

    def pip_wheel():
        out_dir = os.path.join(work, "wheel-tree")
        run([args.python, "-m", "pip", "wheel", "-q", "--no-deps", "-w", out_dir, src], env=env, cwd=work)
        whl = only(os.path.join(out_dir, "*.whl"))
        files = wheel_files(whl)
        diag("\n".join(sorted(files)))
        for name in ("chunkbuf/libchunkbuf.so.1", "chunkbuf/_cdef.py", "chunkbuf/__init__.pyi",
                     "chunkbuf/py.typed"):
            assert name in files, name
        unpacked = os.path.join(work, "unpacked")
        zipfile.ZipFile(whl).extractall(unpacked)
        for module in ("_native", "_accel"):  # the cffi module and the accelerator
            found = [n for n in files if n.startswith("chunkbuf/%s." % module)]
            assert len(found) == 1, found
            assert dynamic(os.path.join(unpacked, found[0]), "NEEDED").count("libchunkbuf.so.1") == 1
            assert dynamic(os.path.join(unpacked, found[0]), "RUNPATH") == ["$ORIGIN"]
        assert dynamic(os.path.join(unpacked, "chunkbuf/libchunkbuf.so.1"), "SONAME") == ["libchunkbuf.so.1"]
        state["wheel"] = whl
    step("pip wheel .: one wheel with libchunkbuf.so.1, the cffi module and _accel, RUNPATH $ORIGIN", pip_wheel)

    def sdist():
        out_dir = os.path.join(work, "sdist")
        run([args.python, "-m", "build", "--sdist", "-o", out_dir, src], env=env, cwd=work)
        tarball = only(os.path.join(out_dir, "chunkbuf-*.tar.gz"))
        wheel_dir = os.path.join(work, "wheel-sdist")
        run([args.python, "-m", "pip", "wheel", "-q", "--no-deps", "-w", wheel_dir, tarball], env=env, cwd=work)
        from_sdist = wheel_files(only(os.path.join(wheel_dir, "*.whl")))
        from_tree = wheel_files(state["wheel"])
        # the same files; the same sizes for all but the compiled ones
        assert sorted(from_sdist) == sorted(from_tree), (sorted(from_sdist), sorted(from_tree))
        differ = [n for n in from_tree if not n.endswith(".so") and not n.endswith(".so.1")
                  and not n.endswith("RECORD") and from_tree[n] != from_sdist[n]]
        assert not differ, differ
    step("python -m build --sdist; pip wheel of the sdist gives the same wheel", sdist)

    def tree_untouched():
        # pip install, pip wheel and python -m build all built elsewhere
        left = run(["git", "-C", src, "status", "--porcelain", "--ignored"], env=env)
        if left.strip():
            raise RuntimeError("the builds left files in the source tree:\n" + left)
    step("the builds left the source tree as it was", tree_untouched)

    def auditwheel():
        if not state.get("wheel"):
            raise Skip("no wheel was built")
        out = run([args.python, "-m", "auditwheel", "show", state["wheel"]], env=env)
        tag = re.search(r'platform tag to "(manylinux_\d+_\d+_\w+)"', out.replace("\n", " "))
        assert tag, "auditwheel show named no manylinux tag"
        out_dir = os.path.join(work, "wheelhouse")
        run([args.python, "-m", "auditwheel", "repair", "--plat", tag.group(1), "-w", out_dir, state["wheel"]],
            env=env)
        repaired = only(os.path.join(out_dir, "*%s*.whl" % tag.group(1)))
        unpacked = os.path.join(work, "repaired")
        zipfile.ZipFile(repaired).extractall(unpacked)
        assert dynamic(os.path.join(unpacked, "chunkbuf/libchunkbuf.so.1"), "SONAME") == ["libchunkbuf.so.1"]
        state["repaired"] = repaired
        return tag.group(1)
    tag = step("auditwheel show names the manylinux tag; auditwheel repair makes that wheel", auditwheel)
    if tag:
        diag("manylinux tag: " + tag)

    def wheel_tests():
        whl = state.get("repaired") or state.get("wheel")
        if not whl:
            raise Skip("no wheel was built")
        py = venv(os.path.join(work, "venv"), args.python)
        state["py2"] = py
        run([py, "-m", "pip", "install", "-q", whl, "pytest"], env=env, cwd=work)
        site = site_packages(py, env)
        state["site"] = site
        out = run([py, "-c", "import chunkbuf, importlib.metadata as m; "
                   "print(chunkbuf.__file__, m.version('chunkbuf'), chunkbuf.__version__)"], env=env, cwd=work)
        where, dist_version, version = out.split()
        assert where.startswith(site) and dist_version == version, out
        tests_env = clean_env(
            CHUNKBUF_CONFORMANCE_DIR=os.path.join(src, "tests", "conformance"),
            CHUNKBUF_EXAMPLES_DIR=os.path.join(src, "examples", "python"),
            CHUNKBUF_HEADER=os.path.join(src, "capi", "include", "chunkbuf.h"),
            PYTHONDONTWRITEBYTECODE="1")
        run([py, "-m", "pytest", "-q", "-p", "no:cacheprovider", os.path.join(src, "bindings", "python", "tests")],
            env=tests_env, cwd=work)
    step("the wheel in another fresh venv runs the pytest suite", wheel_tests)

    def one_engine():
        if not state.get("site"):
            raise Skip("no wheel was installed")
        script = os.path.join(work, "one_engine.py")
        with open(script, "w") as f:
            f.write(ONE_ENGINE)
        out = run([state["py2"], script, state["site"]], env=env, cwd=work)
        assert state["site"] in out, out
    step("one engine per process: a Stream made by the host is read by the package", one_engine)

    def mypy():
        if not state.get("site"):
            raise Skip("no wheel was installed")
        probe = os.path.join(work, "text_wrapper.py")
        with open(probe, "w") as f:
            f.write(TEXT_WRAPPER)
        examples = sorted(glob.glob(os.path.join(src, "examples", "python", "*.py")))
        run([args.python, "-m", "mypy", "--strict", "--no-incremental", "--python-executable", state["py2"],
             probe] + examples, env=env, cwd=work)
        run([state["py2"], probe], env=env, cwd=work)
    step("mypy --strict: io.TextIOWrapper(chunkbuf.Stream()) and the examples", mypy)
    return finish()


if __name__ == "__main__":
    sys.exit(main())
