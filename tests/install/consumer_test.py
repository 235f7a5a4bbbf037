#!/usr/bin/env python3
"""Install consumer test: does an installed chunkbuf work for its
users, in every way they consume it? Prints TAP, one line per way.

Staged (the meson test, suite 'install'):
    consumer_test.py --builddir BUILD [--python PY] [--lua LUA] [--go GO] [--luajit LUAJIT]
  runs `meson install -C BUILD --no-rebuild --destdir TMP`, then uses only
  what landed in TMP: pkg-config through PKG_CONFIG_PATH and
  PKG_CONFIG_SYSROOT_DIR, the library through LD_LIBRARY_PATH, the Python
  package through PYTHONPATH, the Lua module through LUA_CPATH and the Go
  module through a go.mod replace directive.

System (tests/install/check_debs.sh, after installing the Debian packages):
    consumer_test.py --system [--python /usr/bin/python3] [--lua ...] ...
  the same scenarios against what is installed in /usr, found the default
  way (no environment overrides).

Scenarios: an out-of-tree C program built with `pkg-config --cflags --libs
chunkbuf`; a C++ program on chunkbuf.hpp built with CMake
(find_package(chunkbuf), shared and static) and with meson
(dependency('chunkbuf')); `import chunkbuf` (with its dist-info) from
outside the source tree; `require "chunkbuf"` in Lua 5.4; the Go example
(examples/go) built against the installed module and library (-tags
chunkbuf_system); the library loaded by name with no binding code from
Python ctypes and LuaJIT's ffi; and, staged, `ninja uninstall` removing
every installed file again. Each runs a small
streaming scenario. A way whose binding or tool is not there is a TAP skip
with the reason; --python/--lua/--go/--luajit name the programs to use and
--skip-python/--skip-lua/--skip-go/--skip-luajit REASON say why one is not.
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SRCDIR = os.path.dirname(os.path.dirname(HERE))
GO_MODULE = "github.com/chunkbuf/chunkbuf/bindings/go"
GO_MODULE_SYSTEM_DIR = "/usr/share/gocode/src/" + GO_MODULE

results = []  # (ok, name, directive)


class Skip(Exception):
    pass


def diag(text):
    for line in str(text).rstrip("\n").splitlines():
        print("# " + line)
    sys.stdout.flush()


def run(cmd, env=None, cwd=None, input=None, timeout=600):
    """Runs cmd, echoes it and its output as TAP comments, returns stdout."""
    diag("$ " + " ".join(cmd))
    p = subprocess.run(cmd, env=env, cwd=cwd, input=input, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True, timeout=timeout)
    diag(p.stdout)
    if p.returncode != 0:
        raise RuntimeError("%s exited with %d" % (cmd[0], p.returncode))
    return p.stdout


def step(name, fn):
    n = len(results) + 1
    try:
        note = fn()
        results.append(True)
        print("ok %d - %s%s" % (n, name, (" (%s)" % note) if note else ""))
    except Skip as e:
        results.append(True)
        print("ok %d - %s # SKIP %s" % (n, name, e))
    except Exception as e:  # noqa: BLE001 - every failure is a TAP 'not ok'
        results.append(False)
        diag("%s: %s" % (type(e).__name__, e))
        print("not ok %d - %s" % (n, name))
    sys.stdout.flush()


def find_one(root, pred, what):
    hits = []
    for dirpath, dirnames, filenames in os.walk(root):
        for name in filenames + dirnames:
            if pred(dirpath, name):
                hits.append(os.path.join(dirpath, name))
    if not hits:
        raise LookupError("no %s under %s" % (what, root))
    if len(hits) > 1:
        raise RuntimeError("expected one %s under %s, found %s" % (what, root, hits))
    return hits[0]


class Layout:
    """Where the installed pieces are, and the environment that finds them."""

    def __init__(self, args, work):
        self.args = args
        self.work = work
        self.env = dict(os.environ)
        self.env["PYTHONNOUSERSITE"] = "1"
        # nothing from the build or source tree may leak in
        for var in ("PYTHONPATH", "LUA_CPATH", "LUA_CPATH_5_4", "LUA_PATH", "LUA_PATH_5_4",
                    "PKG_CONFIG_PATH", "PKG_CONFIG_SYSROOT_DIR", "LD_LIBRARY_PATH", "CGO_CFLAGS",
                    "CGO_LDFLAGS", "GOFLAGS"):
            self.env.pop(var, None)
        self.root = self.prefix = None
        self.libdir = self.pcdir = self.pydir = self.luadir = self.godir = None

    def stage(self):
        self.root = os.path.join(self.work, "stage")
        run(["meson", "install", "-C", self.args.builddir, "--no-rebuild", "--quiet",
             "--destdir", self.root], env=self.env)
        root = self.root
        lib = find_one(root, lambda d, n: n == "libchunkbuf.so.1", "libchunkbuf.so.1")
        self.libdir = os.path.dirname(lib)
        for name in ("libchunkbuf.so", "libchunkbuf.so.1"):
            if not os.path.islink(os.path.join(self.libdir, name)):
                raise RuntimeError("%s is not a symbolic link beside the library" % name)
        find_one(root, lambda d, n: n == "chunkbuf.h" and d.endswith("/include") and "/gocode/" not in d, "include/chunkbuf.h")
        self.pcdir = os.path.dirname(find_one(root, lambda d, n: n == "chunkbuf.pc", "chunkbuf.pc"))
        # <root><prefix>: the directory above include/
        self.prefix = os.path.dirname(os.path.dirname(
            find_one(root, lambda d, n: n == "chunkbuf.hpp" and d.endswith("/include") and "/gocode/" not in d, "include/chunkbuf.hpp")))
        self.env["LD_LIBRARY_PATH"] = self.libdir
        self.env["PKG_CONFIG_PATH"] = self.pcdir
        self.env["PKG_CONFIG_SYSROOT_DIR"] = root
        # keep -I/-L even where they would name a system directory
        self.env["PKG_CONFIG_ALLOW_SYSTEM_CFLAGS"] = "1"
        self.env["PKG_CONFIG_ALLOW_SYSTEM_LIBS"] = "1"

        def one(pred, what):  # None when a binding was not installed
            try:
                return find_one(root, pred, what)
            except LookupError:
                return None

        py = one(lambda d, n: n == "__init__.py" and os.path.basename(d) == "chunkbuf", "chunkbuf/__init__.py")
        self.pydir = os.path.dirname(os.path.dirname(py)) if py else None
        lua = one(lambda d, n: n == "chunkbuf.so", "Lua module chunkbuf.so")
        self.luadir = os.path.dirname(lua) if lua else None
        gomod = one(lambda d, n: n == "go.mod" and d.endswith("/" + GO_MODULE), "go.mod of " + GO_MODULE)
        self.godir = os.path.dirname(gomod) if gomod else None
        files = sorted(os.path.relpath(os.path.join(d, n), root)
                       for d, _, ns in os.walk(root) for n in ns)
        diag("staged %d files, e.g.\n  " % len(files) + "\n  ".join(
            f for f in files if not f.endswith((".py", ".pyi", ".go", ".c", ".h")) or f.endswith("chunkbuf.h")))
        return "meson install --destdir %s" % root

    def system(self):
        out = subprocess.run(["ldconfig", "-p"], stdout=subprocess.PIPE, text=True, check=True).stdout
        hits = [line.strip() for line in out.splitlines() if "libchunkbuf.so" in line]
        diag("ldconfig -p:\n" + "\n".join(hits))
        if not any(h.startswith("libchunkbuf.so.1 ") for h in hits):
            raise RuntimeError("libchunkbuf.so.1 is not in the dynamic loader's cache")
        self.godir = self.args.go_module_dir or GO_MODULE_SYSTEM_DIR
        return "installed in /usr, found by ldconfig"


def c_consumer(lay):
    pc = shutil.which("pkg-config")
    cc = os.environ.get("CC", "cc")
    if not pc:
        raise RuntimeError("pkg-config not found")
    flags = run([pc, "--cflags", "--libs", "chunkbuf"], env=lay.env).split()
    if lay.root and not any(f.startswith(("-I" + lay.root, "-L" + lay.root)) for f in flags):
        raise RuntimeError("pkg-config flags do not name the staged prefix: %s" % flags)
    d = os.path.join(lay.work, "c")
    os.makedirs(d)
    shutil.copy(os.path.join(HERE, "consumer.c"), d)
    run([cc, "-std=c99", "-Wall", "-Wextra", "-Werror", "-pthread", "consumer.c", "-o", "consumer"]
        + flags, env=lay.env, cwd=d)
    ldd = run(["ldd", "./consumer"], env=lay.env, cwd=d)
    want = os.path.join(lay.libdir, "libchunkbuf.so.1") if lay.root else "libchunkbuf.so.1 => /usr/lib/"
    if want not in ldd and not (not lay.root and "libchunkbuf.so.1 => /lib/" in ldd):
        raise RuntimeError("the program does not load %s" % ("the staged library" if lay.root else "/usr's library"))
    run(["./consumer"], env=lay.env, cwd=d)
    return "pkg-config --cflags --libs chunkbuf"


def cxx_cmake(lay):
    if not lay.args.cmake:
        raise Skip(lay.args.skip_cmake or "no cmake given")
    build = os.path.join(lay.work, "cmake")
    cmd = [lay.args.cmake, "-S", os.path.join(HERE, "cxx_consumer"), "-B", build, "-DCMAKE_BUILD_TYPE=Release"]
    if lay.root:
        cmd.append("-DCMAKE_PREFIX_PATH=" + lay.prefix)
    run(cmd, env=lay.env)
    run([lay.args.cmake, "--build", build], env=lay.env)
    ldd = run(["ldd", os.path.join(build, "consumer")], env=lay.env)
    want = os.path.join(lay.libdir, "libchunkbuf.so.1") if lay.root else "libchunkbuf.so.1 => /"
    if want not in ldd:
        raise RuntimeError("the CMake-built program does not load %s" % want)
    run([os.path.join(build, "consumer")], env=lay.env)
    static = os.path.join(build, "consumer_static")
    if not os.path.exists(static):
        raise RuntimeError("no chunkbuf::static target: libchunkbuf.a was not installed")
    if "libchunkbuf" in run(["ldd", static], env=lay.env):
        raise RuntimeError("the program linked with chunkbuf::static loads libchunkbuf")
    run([static], env=lay.env)
    return "find_package(chunkbuf): chunkbuf::chunkbuf and chunkbuf::static"


def cxx_meson(lay):
    build = os.path.join(lay.work, "meson-consumer")
    run([lay.args.meson, "setup", build, os.path.join(HERE, "cxx_consumer"),
         "--wrap-mode=nofallback"], env=lay.env)
    run([lay.args.meson, "compile", "-C", build], env=lay.env)
    ldd = run(["ldd", os.path.join(build, "consumer")], env=lay.env)
    want = os.path.join(lay.libdir, "libchunkbuf.so.1") if lay.root else "libchunkbuf.so.1 => /"
    if want not in ldd:
        raise RuntimeError("the meson-built program does not load %s" % want)
    run([os.path.join(build, "consumer")], env=lay.env)
    return "dependency('chunkbuf') through pkg-config"


def uninstall(lay):
    if not lay.root:
        raise Skip("packages are removed by apt, not by meson")
    run(["ninja", "-C", lay.args.builddir, "uninstall"], env=lay.env)
    left = sorted(os.path.relpath(os.path.join(d, n), lay.root)
                  for d, _, ns in os.walk(lay.root) for n in ns)
    if left:
        raise RuntimeError("left behind by uninstall:\n  " + "\n  ".join(left))
    return "nothing left in %s" % lay.root


def python_consumer(lay):
    if not lay.args.python:
        raise Skip(lay.args.skip_python or "no Python given")
    env = dict(lay.env)
    if lay.root:
        if not lay.pydir:
            raise RuntimeError("the Python binding is built but its package was not installed")
        env["PYTHONPATH"] = lay.pydir
        env["CHUNKBUF_EXPECT_DIR"] = lay.pydir
    else:
        env["CHUNKBUF_EXPECT_DIR"] = "/usr/lib/python3"
    d = os.path.join(lay.work, "python")  # outside the source tree
    os.makedirs(d)
    shutil.copy(os.path.join(HERE, "consumer.py"), d)
    run([lay.args.python, "consumer.py"], env=env, cwd=d)
    return "PYTHONPATH=%s" % lay.pydir if lay.root else "system site-packages"


def lua_consumer(lay):
    if not lay.args.lua:
        raise Skip(lay.args.skip_lua or "no Lua given")
    env = dict(lay.env)
    if lay.root:
        if not lay.luadir:
            raise RuntimeError("the Lua binding is built but its module was not installed")
        env["LUA_CPATH"] = os.path.join(lay.luadir, "?.so")  # nothing else
        env["CHUNKBUF_EXPECT_DIR"] = lay.luadir
    else:
        env["CHUNKBUF_EXPECT_DIR"] = "/usr/lib"
    run([lay.args.lua, os.path.join(HERE, "consumer.lua")], env=env, cwd=lay.work)
    return "LUA_CPATH=%s/?.so" % lay.luadir if lay.root else "default package.cpath"


def go_consumer(lay):
    if not lay.args.go:
        raise Skip(lay.args.skip_go or "no Go given")
    if not lay.godir or not os.path.isfile(os.path.join(lay.godir, "go.mod")):
        raise RuntimeError("the Go module source was not installed (looked for %s)" % (lay.godir or "go.mod"))
    d = os.path.join(lay.work, "go")
    os.makedirs(d)
    example = os.path.join(SRCDIR, "examples", "go")
    for n in os.listdir(example):
        if n == "go.mod" or (n.endswith(".go") and not n.endswith("_test.go")):
            shutil.copy(os.path.join(example, n), d)
    # the installed library through pkg-config, not the bundled engine
    env = dict(lay.env, CGO_ENABLED="1", GOFLAGS="-mod=mod -buildvcs=false -tags=chunkbuf_system", GOPROXY="off",
               GOTOOLCHAIN="local", GOPATH=os.path.join(lay.work, "gopath"))
    if lay.args.go_cache:
        env["GOCACHE"] = lay.args.go_cache
    go = lay.args.go
    run([go, "mod", "edit", "-replace", "%s=%s" % (GO_MODULE, lay.godir)], env=env, cwd=d)
    run([go, "build", "-o", "linestats", "."], env=env, cwd=d, timeout=900)
    n = 3000
    text = "".join("row %d of the input\n" % i for i in range(n))
    out = run(["./linestats"], env=env, cwd=d, input=text)
    if "lines: %d\n" % n not in out or "words: %d\n" % (5 * n) not in out:
        raise RuntimeError("unexpected output from the Go example")
    return "examples/go with replace %s=%s" % (GO_MODULE, lay.godir)


def dlopen_ctypes(lay):
    py = lay.args.python or sys.executable
    run([py, os.path.join(HERE, "dlopen_ctypes.py")], env=lay.env, cwd=lay.work)
    return "LD_LIBRARY_PATH=%s" % lay.libdir if lay.root else "ldconfig cache"


def dlopen_luajit(lay):
    if not lay.args.luajit:
        raise Skip(lay.args.skip_luajit or "luajit not found (Debian package luajit)")
    run([lay.args.luajit, os.path.join(HERE, "dlopen_luajit.lua")], env=lay.env, cwd=lay.work)
    return "LD_LIBRARY_PATH=%s" % lay.libdir if lay.root else "ldconfig cache"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    where = ap.add_mutually_exclusive_group(required=True)
    where.add_argument("--builddir", help="meson build directory to install from (staged)")
    where.add_argument("--system", action="store_true", help="use what is installed in /usr")
    for lang in ("python", "lua", "go", "luajit", "cmake"):
        ap.add_argument("--" + lang, help="the %s program to use" % lang)
        ap.add_argument("--skip-" + lang, metavar="REASON", help="why there is no --%s" % lang)
    ap.add_argument("--meson", default="meson", help="the meson program (C++ consumer)")
    ap.add_argument("--go-cache", help="GOCACHE (default: the user's Go build cache)")
    ap.add_argument("--go-module-dir", help="installed Go module (--system; default %s)" % GO_MODULE_SYSTEM_DIR)
    ap.add_argument("--keep", action="store_true", help="keep the work directory")
    args = ap.parse_args()

    work = tempfile.mkdtemp(prefix="chunkbuf-install-")
    lay = Layout(args, work)
    total = 10
    try:
        step("install", lay.system if args.system else lay.stage)
        if results[0]:
            step("C program built with pkg-config", lambda: c_consumer(lay))
            step("C++ program on chunkbuf.hpp built with CMake (shared and static)", lambda: cxx_cmake(lay))
            step("C++ program on chunkbuf.hpp built with meson", lambda: cxx_meson(lay))
            step("Python: import chunkbuf", lambda: python_consumer(lay))
            step("Lua: require \"chunkbuf\"", lambda: lua_consumer(lay))
            step("Go: examples/go against the installed module", lambda: go_consumer(lay))
            step("dlopen: Python ctypes", lambda: dlopen_ctypes(lay))
            step("dlopen: LuaJIT ffi", lambda: dlopen_luajit(lay))
            step("uninstall removes every installed file", lambda: uninstall(lay))
    finally:
        if args.keep:
            diag("work directory kept: " + work)
        else:
            shutil.rmtree(work, ignore_errors=True)
    while len(results) < total:  # nothing to use after a failed install
        results.append(False)
        print("not ok %d - not run: the install failed" % len(results))
    print("1..%d" % total)
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
