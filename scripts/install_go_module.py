#!/usr/bin/env python3
"""meson install script: copies the Go module's source (go.mod, the
package's .go, .c and .h files, no tests, no build products) from SRC to
DEST, under $DESTDIR when meson install stages (--destdir).

    install_go_module.py SRC DEST
"""
import os
import shutil
import sys


def wanted(name):
    if name in ("go.mod", "go.sum") or name.startswith(("README", "LICENSE")):
        return True
    if name.endswith("_test.go"):
        return False
    return name.endswith((".go", ".c", ".h"))


def main(src, dest):
    destdir = os.environ.get("DESTDIR", "")
    if destdir:
        # The same rule meson applies: DESTDIR + absolute path.
        dest = os.path.join(destdir, os.path.relpath(dest, os.path.abspath(os.sep)))
    names = sorted(n for n in os.listdir(src) if os.path.isfile(os.path.join(src, n)) and wanted(n))
    if "go.mod" not in names:
        sys.exit("install_go_module: no go.mod in %s" % src)
    if os.environ.get("MESON_INSTALL_DRY_RUN"):
        return 0
    os.makedirs(dest, exist_ok=True)
    quiet = os.environ.get("MESON_INSTALL_QUIET")
    for n in names:
        target = os.path.join(dest, n)
        shutil.copyfile(os.path.join(src, n), target)
        os.chmod(target, 0o644)
        if not quiet:
            print("Installing %s to %s" % (os.path.join(src, n), dest))
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1], sys.argv[2]))
