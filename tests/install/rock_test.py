#!/usr/bin/env python3
"""The Lua module as a rock: from a clean copy of the source tree,
`luarocks --lua-version 5.4 --tree TMP make rockspecs/chunkbuf-*.rockspec`
builds and installs chunkbuf.so with the engine compiled in, without SWIG
(a `swig` that fails is first on PATH) and without libchunkbuf; then the
Lua test runner passes against the installed rock. Prints TAP.

    rock_test.py --luarocks LUAROCKS --lua LUA --version V --testing-wrap C

The runner's helper module chunkbuf_testing (a writer thread for the
blocking tests) is compiled from C (SWIG's output for testing.i, made by
the meson build) and linked against the installed chunkbuf.so, so both
modules use the rock's one engine.
"""
import argparse
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile

from installtest import clean_copy, clean_env, finish, run, step

NO_SWIG = "#!/bin/sh\necho 'the rock must build without SWIG' >&2\nexit 1\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--luarocks", required=True)
    ap.add_argument("--lua", required=True)
    ap.add_argument("--version", required=True, help="the project version (meson)")
    ap.add_argument("--testing-wrap", required=True, help="SWIG's C output for bindings/lua/tests/testing.i")
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="chunkbuf-rock-")
    src = clean_copy(os.path.join(work, "chunkbuf"))
    tree = os.path.join(work, "tree")
    state = {}

    def make():
        specs = glob.glob(os.path.join(src, "rockspecs", "chunkbuf-*.rockspec"))
        if len(specs) != 1:
            raise RuntimeError("expected one rockspecs/chunkbuf-*.rockspec, found %s" % specs)
        name = os.path.basename(specs[0])
        want = "chunkbuf-%s-1.rockspec" % args.version
        if name != want:
            raise RuntimeError("the rockspec is %s but the project version is %s: `git mv rockspecs/%s "
                               "rockspecs/%s` and set version and source.tag inside" % (name, args.version, name, want))
        with open(specs[0]) as f:
            text = f.read()
        if not re.search(r'^version = "%s-1"$' % re.escape(args.version), text, re.M):
            raise RuntimeError("%s does not say version = \"%s-1\"" % (name, args.version))
        fake = os.path.join(work, "no-swig")
        os.makedirs(fake)
        for tool in ("swig", "swig4.0"):
            path = os.path.join(fake, tool)
            with open(path, "w") as f:
                f.write(NO_SWIG)
            os.chmod(path, 0o755)
        env = clean_env(PATH=fake + os.pathsep + os.environ.get("PATH", ""))
        if shutil.which("ccache"):
            env["CXX"] = "ccache c++"  # the engine compiles once across runs
        run([args.luarocks, "--lua-version", "5.4", "--tree", tree, "make", os.path.join("rockspecs", name)],
            env=env, cwd=src)
        module = os.path.join(tree, "lib", "lua", "5.4", "chunkbuf.so")
        if not os.path.isfile(module):
            raise RuntimeError("no %s after luarocks make" % module)
        deps = subprocess.run(["ldd", module], capture_output=True, text=True).stdout
        if "libchunkbuf" in deps:
            raise RuntimeError("the rock's module loads libchunkbuf:\n" + deps)
        run([args.luarocks, "--lua-version", "5.4", "--tree", tree, "list"], env=env)
        state["module"] = module
    step("luarocks make: the rock builds and installs with no SWIG and no libchunkbuf", make)

    def runner():
        module = state.get("module")
        if not module:
            raise RuntimeError("the rock was not installed")
        helper_dir = os.path.join(work, "testing")
        os.makedirs(helper_dir)
        cc = os.environ.get("CC", "cc")
        lua_inc = subprocess.run(["pkg-config", "--cflags", "lua5.4"], capture_output=True, text=True).stdout.split()
        run([cc, "-shared", "-fPIC", "-O1", "-Wno-unused-function", "-I" + os.path.join(src, "capi", "include"),
             "-I" + os.path.join(src, "bindings", "lua")] + lua_inc +
            [args.testing_wrap, module, "-pthread", "-o", os.path.join(helper_dir, "chunkbuf_testing.so")])
        env = clean_env(LUA_CPATH=";".join([os.path.join(os.path.dirname(module), "?.so"),
                                            os.path.join(helper_dir, "?.so")]),
                        LUA_PATH=os.path.join(src, "bindings", "lua", "tests", "?.lua") + ";;")
        out = run([args.lua, os.path.join(src, "bindings", "lua", "tests", "run.lua"),
                   os.path.join(src, "tests", "conformance"), os.path.join(src, "examples", "lua")],
                  env=env, cwd=work)
        last = out.strip().splitlines()[-1]
        if not re.fullmatch(r"\d+ passed, 0 failed", last):
            raise RuntimeError("the runner said: " + last)
        return last
    step("the Lua test runner passes against the installed rock", runner)
    shutil.rmtree(work, ignore_errors=True)
    return finish()


if __name__ == "__main__":
    sys.exit(main())
