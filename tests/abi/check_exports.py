#!/usr/bin/env python3
"""Checks that libchunkbuf's exports, its version script and chunkbuf.h agree.

- the library exports only chunkbuf_* functions (and the version nodes);
- every function the header declares is exported, and nothing else is;
- the version script lists exactly the header's functions;
- the library has a soname of the form libchunkbuf.so.N;
- every function that takes a handle is exercised by the misuse test.
"""
import argparse
import re
import subprocess
import sys


def header_functions(path):
    text = open(path).read()
    funcs = {}
    for m in re.finditer(r"CHUNKBUF_API\s+([^;]*?)\b(chunkbuf_\w+)\s*\(([^)]*)\)", text, re.S):
        funcs[m.group(2)] = m.group(3)
    return funcs


def map_functions(path):
    text = re.sub(r"/\*.*?\*/", "", open(path).read(), flags=re.S)
    funcs = set()
    # every version node's global list (the first node ends at local:, the
    # later ones at their closing brace)
    for glob in re.finditer(r"global:(.*?)(?:local:|})", text, re.S):
        funcs |= {s.strip() for s in glob.group(1).split(";") if s.strip()}
    return funcs


def dynamic_symbols(lib):
    out = subprocess.run(["nm", "-D", "--defined-only", lib], check=True, capture_output=True, text=True).stdout
    syms = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) >= 3:
            syms[parts[2].split("@")[0]] = parts[1]
    return syms


def soname(lib):
    out = subprocess.run(["readelf", "-d", lib], check=True, capture_output=True, text=True).stdout
    m = re.search(r"\(SONAME\).*\[(.*)\]", out)
    return m.group(1) if m else None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--library", required=True)
    ap.add_argument("--header", required=True)
    ap.add_argument("--map", required=True)
    ap.add_argument("--misuse-test", required=True)
    args = ap.parse_args()

    problems = []
    header = header_functions(args.header)
    mapped = map_functions(args.map)
    syms = dynamic_symbols(args.library)
    exported = {name for name, kind in syms.items() if kind != "A"}  # "A": version nodes

    foreign = sorted(s for s in exported if not s.startswith("chunkbuf_"))
    if foreign:
        problems.append(f"exported symbols outside chunkbuf_*: {foreign}")
    if sorted(set(header) - exported):
        problems.append(f"declared in the header but not exported: {sorted(set(header) - exported)}")
    if sorted(exported - set(header)):
        problems.append(f"exported but not in the header: {sorted(exported - set(header))}")
    if set(header) != mapped:
        problems.append(
            f"version script and header differ: only in header {sorted(set(header) - mapped)}, "
            f"only in script {sorted(mapped - set(header))}"
        )
    name = soname(args.library)
    if not name or not re.fullmatch(r"libchunkbuf\.so\.\d+", name):
        problems.append(f"bad soname {name!r}")

    misuse = open(args.misuse_test).read()
    handle_taking = [f for f, params in header.items() if re.search(r"chunkbuf_(pool|buffer|view|stream)\b", params)]
    untested = sorted(f for f in handle_taking if not re.search(rf"\b{f}\(", misuse))
    if untested:
        problems.append(f"handle-taking functions not called by the misuse test: {untested}")

    for p in problems:
        print("FAIL:", p)
    print(f"{len(header)} header functions, {len(exported)} exported, soname {name}, "
          f"{len(handle_taking)} handle-taking functions checked in the misuse test")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
