#!/usr/bin/env python3
"""The Go module as a Go user gets it: a fresh module in a temporary
directory requires github.com/chunkbuf/chunkbuf/bindings/go (replaced by
the module directory, as a published version would be fetched), with an
empty module cache, no network (GOPROXY=off), no pkg-config and no
installed libchunkbuf. Prints TAP.

    go_module_test.py --go GO --builddir BUILD

- `go vet`, `go build` and `go test` of a program using the package: cgo
  compiles the bundled engine (bindings/go/csrc), and the binary does not
  load libchunkbuf;
- the binding's own tests (the conformance vectors among them) on the
  bundled engine, with -tags chunkbuf_openssl for SHA-256;
- the same program with -tags chunkbuf_system links the library of BUILD
  through its uninstalled chunkbuf.pc and loads libchunkbuf.so.1.

The Go build cache is the user's: the bundled engine is compiled once and
reused until its sources change.
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile

from installtest import SRCDIR, Skip, clean_env, finish, run, step

MODULE = "github.com/chunkbuf/chunkbuf/bindings/go"

GO_MOD = """module example.com/linecount

go 1.24

require %s v0.0.0

replace %s => %s
""" % (MODULE, MODULE, "%s")

MAIN = """package main

import (
	"fmt"
	"io"
	"os"

	chunkbuf "github.com/chunkbuf/chunkbuf/bindings/go"
)

// countLines reads a Stream that another goroutine writes, line by line.
func countLines(chunks []string) (int, error) {
	s, err := chunkbuf.NewStream(chunkbuf.StreamOptions{})
	if err != nil {
		return 0, err
	}
	defer s.Release()
	go func() {
		for _, c := range chunks {
			if _, err := io.WriteString(s, c); err != nil {
				s.Abort(1)
				return
			}
		}
		s.Close()
	}()
	data, err := io.ReadAll(s)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, b := range data {
		if b == '\\n' {
			n++
		}
	}
	return n, nil
}

func main() {
	n, err := countLines([]string{"a\\nb", "\\nc\\n"})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("chunkbuf %s: %d lines\\n", chunkbuf.Version(), n)
}
"""

MAIN_TEST = """package main

import "testing"

func TestCountLines(t *testing.T) {
	n, err := countLines([]string{"x\\n", "y", "\\n", "z\\n"})
	if err != nil || n != 3 {
		t.Fatalf("countLines = %d, %v; want 3, nil", n, err)
	}
}
"""


def ldd(path):
    return subprocess.run(["ldd", path], capture_output=True, text=True).stdout


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--go", required=True)
    ap.add_argument("--builddir", required=True)
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="chunkbuf-gomod-")
    app = os.path.join(work, "app")
    os.makedirs(app)
    files = {"go.mod": GO_MOD % os.path.join(SRCDIR, "bindings", "go"), "main.go": MAIN,
             "main_test.go": MAIN_TEST}
    for name, text in files.items():
        with open(os.path.join(app, name), "w") as f:
            f.write(text)
    env = clean_env(GOFLAGS="-mod=mod -buildvcs=false", GOPROXY="off", GOTOOLCHAIN="local",
                    GOMODCACHE=os.path.join(work, "modcache"), CGO_ENABLED="1",
                    # any use of pkg-config fails: the default build must not need it
                    PKG_CONFIG="/bin/false")
    env["PATH"] = os.path.dirname(args.go) + os.pathsep + env.get("PATH", "")

    def bundled():
        run([args.go, "vet", "./..."], env=env, cwd=app)
        run([args.go, "build", "-o", "linecount", "."], env=env, cwd=app)
        binary = os.path.join(app, "linecount")
        if "libchunkbuf" in ldd(binary):
            raise RuntimeError("the default build loads libchunkbuf:\n" + ldd(binary))
        out = run([binary], env=env)
        assert out.strip().endswith(": 3 lines"), out
        run([args.go, "test", "-count=1", "./..."], env=env, cwd=app)
    step("fresh module, no pkg-config, no libchunkbuf: go vet, build, run, test", bundled)

    def binding_tests():
        # the package's own tests and the conformance vectors, on the bundled
        # engine (with libcrypto, which the SHA-256 vectors need)
        run([args.go, "test", "-count=1", "-tags=chunkbuf_openssl", MODULE],
            env=dict(env, CHUNKBUF_CONFORMANCE_DIR=os.path.join(SRCDIR, "tests", "conformance")), cwd=app)
    step("the binding's own tests pass on the bundled engine (-tags chunkbuf_openssl)", binding_tests)

    def system():
        pcdir = os.path.join(args.builddir, "meson-uninstalled")
        if not os.path.exists(os.path.join(pcdir, "chunkbuf-uninstalled.pc")):
            raise Skip("no uninstalled chunkbuf.pc in %s" % pcdir)
        sys_env = dict(env, PKG_CONFIG="pkg-config", PKG_CONFIG_PATH=pcdir,
                       GOFLAGS=env["GOFLAGS"] + " -tags=chunkbuf_system")
        libdir = os.path.join(args.builddir, "capi")
        run([args.go, "build", "-o", "linecount-system", "."], env=sys_env, cwd=app)
        binary = os.path.join(app, "linecount-system")
        deps = ldd(binary)
        if "libchunkbuf.so.1" not in deps:
            raise RuntimeError("-tags chunkbuf_system did not link libchunkbuf.so.1:\n" + deps)
        out = run([binary], env=dict(sys_env, LD_LIBRARY_PATH=libdir))
        assert out.strip().endswith(": 3 lines"), out
    step("-tags chunkbuf_system links the library through pkg-config", system)
    # the module cache is read-only; go removes it
    subprocess.run([args.go, "clean", "-modcache"], env=env, cwd=app, capture_output=True)
    shutil.rmtree(work, ignore_errors=True)
    return finish()


if __name__ == "__main__":
    sys.exit(main())
