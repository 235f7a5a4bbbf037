#!/usr/bin/env python3
"""chunkbuf as a meson subproject: the C++ consumer of cxx_consumer/ with
the source tree in subprojects/chunkbuf gets it from dependency('chunkbuf')
(chunkbuf's meson.override_dependency), forced with
--force-fallback-for=chunkbuf. Prints TAP.

    subproject_test.py --meson MESON --workdir DIR

DIR persists between runs (it is in the build directory), and the copy of
the source tree is only refreshed where files changed, so a rerun rebuilds
what changed and nothing else.
"""
import argparse
import filecmp
import os
import shutil
import sys

from installtest import HERE, SRCDIR, clean_env, finish, run, source_files, step


def sync(dest):
    """Makes dest a copy of the source tree, touching only changed files."""
    names = set(source_files())
    for name in names:
        src, dst = os.path.join(SRCDIR, name), os.path.join(dest, name)
        if os.path.islink(src) or not os.path.isfile(src):
            continue
        if not os.path.exists(dst) or not filecmp.cmp(src, dst, shallow=False):
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            shutil.copy2(src, dst)
    for dirpath, _, filenames in os.walk(dest):
        for n in filenames:
            rel = os.path.relpath(os.path.join(dirpath, n), dest)
            if rel not in names:
                os.remove(os.path.join(dest, rel))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--meson", default="meson")
    ap.add_argument("--workdir", required=True)
    args = ap.parse_args()
    project = os.path.join(args.workdir, "project")
    build = os.path.join(args.workdir, "build")

    def subproject():
        os.makedirs(project, exist_ok=True)
        for n in ("meson.build", "consumer.cpp"):
            shutil.copy2(os.path.join(HERE, "cxx_consumer", n), project)
        sync(os.path.join(project, "subprojects", "chunkbuf"))
        env = clean_env()
        setup = [args.meson, "setup", build, project, "--force-fallback-for=chunkbuf"]
        if os.path.exists(os.path.join(build, "build.ninja")):
            setup.insert(2, "--reconfigure")
        run(setup, env=env)
        run([args.meson, "compile", "-C", build], env=env)
        ldd = run(["ldd", os.path.join(build, "consumer")], env=env)
        want = os.path.join(build, "subprojects", "chunkbuf", "capi", "libchunkbuf.so.1")
        if want not in ldd:
            raise RuntimeError("the consumer does not load the subproject's library " + want)
        run([os.path.join(build, "consumer")], env=env)
    step("meson subproject: dependency('chunkbuf') from subprojects/chunkbuf", subproject)
    return finish()


if __name__ == "__main__":
    sys.exit(main())
