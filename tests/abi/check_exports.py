#!/usr/bin/env python3
"""Checks that libchunkbuf's exports, its version script and chunkbuf.h agree.

- the library exports only chunkbuf_* functions (and the version nodes);
- every function the header declares is exported, and nothing else is;
- the version script lists exactly the header's functions;
- the library has a soname of the form libchunkbuf.so.N;
- every function that takes a handle is exercised by the misuse test;
- every function's contract comment says "Since X.Y.", and X.Y is the
  release of the version node that exports it.
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


def map_nodes(path):
    """{function: version node} from the version script."""
    text = re.sub(r"/\*.*?\*/", "", open(path).read(), flags=re.S)
    nodes = {}
    for node in re.finditer(r"(CHUNKBUF_\d+\.\d+)\s*{\s*global:(.*?)(?:local:|})", text, re.S):
        for s in node.group(2).split(";"):
            if s.strip():
                nodes[s.strip()] = node.group(1)
    return nodes


# The release that introduced each version node.
NODE_RELEASE = {"CHUNKBUF_1.0": "0.1", "CHUNKBUF_1.1": "0.1", "CHUNKBUF_1.2": "0.2", "CHUNKBUF_1.3": "0.3", "CHUNKBUF_1.4": "0.4", "CHUNKBUF_1.5": "0.5"}


def since_versions(path):
    """{function: "X.Y" or None}: the "Since X.Y." of the comment that
    precedes each declaration (declarations right after one another share
    the comment above the first)."""
    text = open(path).read()
    since = {}
    comment = None
    pos = 0
    for m in re.finditer(r"/\*.*?\*/|CHUNKBUF_API\s+[^;]*?\b(chunkbuf_\w+)\s*\([^)]*\)\s*;", text, re.S):
        between = text[pos:m.start()]
        pos = m.end()
        if m.group(0).startswith("/*"):
            comment = m.group(0)
            continue
        if between.strip():  # a struct, macro or typedef in between ends the comment's reach
            comment = None
        found = re.search(r"Since (\d+\.\d+)\.", comment or "")
        since[m.group(1)] = found.group(1) if found else None
    return since


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

    nodes = map_nodes(args.map)
    for fn, version in sorted(since_versions(args.header).items()):
        if version is None:
            problems.append(f"{fn}: its comment does not say \"Since X.Y.\"")
        elif fn in nodes and NODE_RELEASE.get(nodes[fn]) != version:
            problems.append(f"{fn}: \"Since {version}.\" but exported in {nodes[fn]} "
                            f"(release {NODE_RELEASE.get(nodes[fn], 'unknown')})")

    for p in problems:
        print("FAIL:", p)
    print(f"{len(header)} header functions, {len(exported)} exported, soname {name}, "
          f"{len(handle_taking)} handle-taking functions checked in the misuse test")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
