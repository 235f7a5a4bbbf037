"""Shared pieces of the install tests (suite 'install'): TAP steps, commands
echoed as TAP comments, a clean copy of the source tree, an environment
with nothing of the build tree in it."""
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SRCDIR = os.path.dirname(os.path.dirname(HERE))

_results = []


class Skip(Exception):
    pass


def diag(text):
    for line in str(text).rstrip("\n").splitlines():
        print("# " + line)
    sys.stdout.flush()


def run(cmd, env=None, cwd=None, timeout=900, check=True):
    """Runs cmd, echoes it and its output as TAP comments, returns stdout."""
    diag("$ " + " ".join(str(c) for c in cmd) + (" (in %s)" % cwd if cwd else ""))
    p = subprocess.run([str(c) for c in cmd], env=env, cwd=cwd, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True, timeout=timeout)
    diag(p.stdout[-6000:])
    if check and p.returncode != 0:
        raise RuntimeError("%s exited with %d" % (os.path.basename(str(cmd[0])), p.returncode))
    return p.stdout


def step(name, fn):
    """Runs fn as TAP test `name`; returns fn's result (None on failure)."""
    n = len(_results) + 1
    try:
        value = fn()
        _results.append(True)
        print("ok %d - %s" % (n, name))
        return value
    except Skip as e:
        _results.append(True)
        print("ok %d - %s # SKIP %s" % (n, name, e))
    except Exception as e:  # noqa: BLE001 - every failure is a TAP 'not ok'
        _results.append(False)
        diag("%s: %s" % (type(e).__name__, e))
        print("not ok %d - %s" % (n, name))
    finally:
        sys.stdout.flush()
    return None


def finish():
    print("1..%d" % len(_results))
    return 0 if all(_results) else 1


def clean_env(**extra):
    """os.environ without anything that would find the build tree or an
    installed chunkbuf elsewhere."""
    env = dict(os.environ)
    for var in ("PYTHONPATH", "LUA_CPATH", "LUA_CPATH_5_4", "LUA_PATH", "LUA_PATH_5_4",
                "PKG_CONFIG_PATH", "PKG_CONFIG_SYSROOT_DIR", "LD_LIBRARY_PATH", "CGO_CFLAGS",
                "CGO_LDFLAGS", "GOFLAGS", "MESON_SOURCE_ROOT", "MESON_BUILD_ROOT", "VIRTUAL_ENV"):
        env.pop(var, None)
    env["PYTHONNOUSERSITE"] = "1"
    env.update(extra)
    return env


def source_files():
    """The files of the source tree a clean clone would have: git's tracked
    and untracked-but-not-ignored files (so uncommitted work is tested too);
    outside a git checkout, every file but build products."""
    try:
        out = subprocess.run(["git", "-C", SRCDIR, "ls-files", "-z", "--cached", "--others",
                              "--exclude-standard"], capture_output=True, check=True).stdout
        names = [n for n in out.decode().split("\0") if n]
        return [n for n in names if os.path.lexists(os.path.join(SRCDIR, n))]
    except (OSError, subprocess.CalledProcessError):
        names = []
        for dirpath, dirnames, filenames in os.walk(SRCDIR):
            dirnames[:] = [d for d in dirnames if not d.startswith(("build", ".git", "obj-"))]
            names += [os.path.relpath(os.path.join(dirpath, f), SRCDIR) for f in filenames]
        return names


def fresh_dir(path):
    """path as an empty directory (what an earlier run left is removed)."""
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path)
    return path


def clean_copy(dest):
    """A clean clone of the source tree at dest (no build directories)."""
    for name in source_files():
        target = os.path.join(dest, name)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copy2(os.path.join(SRCDIR, name), target, follow_symlinks=False)
    return dest
