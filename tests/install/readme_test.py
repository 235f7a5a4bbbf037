#!/usr/bin/env python3
"""The README's getting-started recipes, pasted literally: every ```sh
block that follows a `<!-- recipe: NAME -->` line in README.md runs in
bash (set -euo pipefail) from the root of its own fresh copy of the source
tree, with an empty home directory and nothing of the build tree in the
environment. Prints TAP, one line per recipe.

    readme_test.py [--go GO] [--only NAME...]

Only caches are shared with the user (Go's build cache, pip's download
cache, ccache), and the copies live at the same paths on every run
(--workdir, emptied first), so a rerun compiles what changed and nothing
else; the Go module cache is the fresh home's, and GOPROXY=off (no network
for Go).
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

from installtest import SRCDIR, Skip, clean_copy, clean_env, finish, fresh_dir, run, step

RECIPE = re.compile(r"^<!-- recipe: ([\w-]+) -->\n```sh\n(.*?)^```$", re.M | re.S)


def recipes(text):
    return [(m.group(1), m.group(2)) for m in RECIPE.finditer(text)]


def shared_caches(go):
    """The user's caches, kept across the fresh home directories."""
    env = {}
    home = os.path.expanduser("~")
    env["PIP_CACHE_DIR"] = os.environ.get("PIP_CACHE_DIR") or os.path.join(home, ".cache", "pip")
    if shutil.which("ccache"):
        out = subprocess.run(["ccache", "-k", "cache_dir"], capture_output=True, text=True).stdout.strip()
        if out:
            env["CCACHE_DIR"] = out
    if go:
        env["GOCACHE"] = subprocess.run([go, "env", "GOCACHE"], capture_output=True, text=True).stdout.strip()
    return env


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--go", help="the go program (its directory goes on PATH)")
    ap.add_argument("--only", nargs="*", help="run only these recipes")
    ap.add_argument("--workdir", help="a directory of its own, emptied first (default: a new temporary one)")
    args = ap.parse_args()
    with open(os.path.join(SRCDIR, "README.md")) as f:
        found = recipes(f.read())
    names = [n for n, _ in found]
    for want in ("c", "cpp", "python", "go", "lua"):
        if want not in names:
            print("not ok 1 - README.md has a recipe for %s" % want)
            return 1
    caches = shared_caches(args.go)
    work = fresh_dir(args.workdir) if args.workdir else tempfile.mkdtemp(prefix="chunkbuf-readme-")
    for name, script in found:
        if args.only and name not in args.only:
            continue

        def recipe(name=name, script=script):
            if name == "go" and not args.go:
                raise Skip("go not found")
            home = os.path.join(work, name, "home")
            os.makedirs(home)
            clone = clean_copy(os.path.join(work, name, "chunkbuf"))
            env = clean_env(HOME=home, GOPROXY="off", GOTOOLCHAIN="local", GOFLAGS="", **caches)
            env.pop("GOPATH", None)
            env.pop("GOMODCACHE", None)
            if args.go:
                env["PATH"] = os.path.dirname(args.go) + os.pathsep + env["PATH"]
            path = os.path.join(work, name, "recipe.sh")
            with open(path, "w") as f:
                f.write("set -euo pipefail\n" + script)
            out = run(["bash", path], env=env, cwd=clone)
            return out.strip().splitlines()[-1] if out.strip() else ""
        step("README recipe %s" % name, recipe)
    shutil.rmtree(work, ignore_errors=True)
    return finish()


if __name__ == "__main__":
    sys.exit(main())
