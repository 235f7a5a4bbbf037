#!/usr/bin/env python3
"""What a plain `meson setup && meson install` installs, from meson's
install plan of a fresh configuration with the default options: the C
library (shared and static), chunkbuf.h and chunkbuf.hpp, chunkbuf.pc and
the CMake package, and never the Python package or the Go module source,
which are installed only when asked for (-Dinstall_python=true,
-Dinstall_go=true). Prints TAP.

    default_install_test.py --meson MESON
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

from installtest import SRCDIR, clean_env, diag, finish, run, step

REQUIRED = ["lib/x86_64-linux-gnu/libchunkbuf.so.1.0.0", "lib/x86_64-linux-gnu/libchunkbuf.a",
            "include/chunkbuf.h", "include/chunkbuf.hpp", "lib/x86_64-linux-gnu/pkgconfig/chunkbuf.pc",
            "lib/x86_64-linux-gnu/cmake/chunkbuf/chunkbufConfig.cmake",
            "lib/x86_64-linux-gnu/cmake/chunkbuf/chunkbufConfigVersion.cmake"]
FORBIDDEN = ("site-packages", "dist-packages", "/python3", "gocode")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--meson", default="meson")
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="chunkbuf-default-install-")
    build = os.path.join(work, "build")
    prefix = "/usr/local"

    def plan():
        run([args.meson, "setup", build, SRCDIR, "--prefix", prefix, "--libdir", "lib/x86_64-linux-gnu",
             "-Dtests=false"], env=clean_env())
        out = subprocess.run([args.meson, "introspect", build, "--installed"], capture_output=True, text=True,
                             check=True, env=clean_env()).stdout
        installed = sorted(os.path.relpath(p, prefix) for p in json.loads(out).values())
        diag("installed by default:\n  " + "\n  ".join(installed))
        missing = [p for p in REQUIRED if p not in installed]
        extra = [p for p in installed if any(f in "/" + p for f in FORBIDDEN)]
        if missing or extra:
            raise RuntimeError("missing: %s; installed without being asked for: %s" % (missing, extra))
    step("meson install by default: library, headers, pkg-config, CMake package; no Python, no Go", plan)
    shutil.rmtree(work, ignore_errors=True)
    return finish()


if __name__ == "__main__":
    sys.exit(main())
