#!/usr/bin/env python3
"""Generates the Lua module's C source with SWIG and keeps it committed as
bindings/lua/chunkbuf_wrap.c, so that `luarocks make` builds the rock with
no SWIG on the machine (the meson build runs SWIG itself).

    python3 scripts/gen_lua_wrapper.py           # regenerate
    python3 scripts/gen_lua_wrapper.py --check   # exit 1 if it is stale
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LUA_DIR = os.path.join(ROOT, "bindings", "lua")
OUTPUT = os.path.join(LUA_DIR, "chunkbuf_wrap.c")
COMMAND = "python3 scripts/gen_lua_wrapper.py"


def generate(path):
    swig = shutil.which("swig4.0") or shutil.which("swig")
    if not swig:
        sys.exit("gen_lua_wrapper: SWIG not found (Debian package swig)")
    # Relative paths, run from the repository root: the output names no
    # directory of this machine.
    subprocess.run([swig, "-lua", "-I" + os.path.relpath(LUA_DIR, ROOT), "-Icapi/include", "-o", path,
                    os.path.relpath(os.path.join(LUA_DIR, "chunkbuf.i"), ROOT)], cwd=ROOT, check=True)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--check", action="store_true", help="report a stale wrapper, change nothing")
    args = ap.parse_args(argv)
    if not args.check:
        generate(OUTPUT)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        fresh = os.path.join(tmp, "chunkbuf_wrap.c")
        generate(fresh)
        with open(fresh, "rb") as f:
            want = f.read()
    try:
        with open(OUTPUT, "rb") as f:
            have = f.read()
    except FileNotFoundError:
        have = None
    if have != want:
        print("bindings/lua/chunkbuf_wrap.c is %s: it no longer matches bindings/lua/*.i and chunkbuf.h.\n"
              "Regenerate it with:\n    %s" % ("missing" if have is None else "stale", COMMAND))
        return 1
    print("bindings/lua/chunkbuf_wrap.c matches the SWIG interface")
    return 0


if __name__ == "__main__":
    sys.exit(main())
