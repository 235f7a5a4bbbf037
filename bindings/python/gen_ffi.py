#!/usr/bin/env python3
"""Generates the cffi declarations of the Python binding from chunkbuf.h.

The cdef is never kept by hand: this script strips the header's comments
and preprocessor lines, evaluates its integer macros and hands the
declarations to cffi. It writes

  --cdef-out  a Python module with CDEF (the declarations, for the ABI-mode
              fallback) and HEADER_VERSION (CHUNKBUF_VERSION_NUMBER)
  --c-out     the C source of the API-mode extension `chunkbuf._native`
              (cffi's emit_c_code), compiled by meson.

Usage: gen_ffi.py HEADER [--cdef-out FILE] [--c-out FILE]
"""
import argparse
import ctypes
import re
import sys

# System types the header takes from <sys/uio.h>; cffi verifies the layout
# against the real struct when it compiles the API-mode module.
SYSTEM_DECLS = "struct iovec { void *iov_base; size_t iov_len; };\n"
# Callbacks implemented in Python with ffi.def_extern (API mode): the free
# callback of memory adopted by reference, and the debug report sink.
API_EXTRA = ('extern "Python" void _chunkbuf_py_release(void *);\n'
             'extern "Python" void _chunkbuf_py_report(const char *, void *);\n')

_WORD = re.compile(r"\b[A-Za-z_]\w*\b")
_SIZE_MAX = (1 << (8 * ctypes.sizeof(ctypes.c_size_t))) - 1
_CASTS = {"size_t": _SIZE_MAX, "uint64_t": (1 << 64) - 1, "uint32_t": (1 << 32) - 1,
          "unsigned": (1 << 32) - 1}
_LIMITS = {"UINT64_MAX": (1 << 64) - 1, "UINT32_MAX": (1 << 32) - 1, "SIZE_MAX": _SIZE_MAX}


def _strip_comments(text):
    return re.sub(r"/\*.*?\*/|//[^\n]*", lambda m: " " if m.group(0).startswith("//")
                  else "\n" * m.group(0).count("\n"), text, flags=re.S)


def _condition(expr, defined):
    expr = re.sub(r"defined\s*\(\s*(\w+)\s*\)|defined\s+(\w+)",
                  lambda m: str((m.group(1) or m.group(2)) in defined), expr)
    expr = expr.replace("&&", " and ").replace("||", " or ").replace("!", " not ")
    return bool(eval(expr, {"__builtins__": {}}, {}))  # noqa: S307 - header text


def _evaluate(value, macros):
    def expand(m):
        word = m.group(0)
        if word in macros:
            return "(%s)" % macros[word]
        return str(_LIMITS[word]) if word in _LIMITS else word
    for _ in range(16):
        expanded = _WORD.sub(expand, value)
        if expanded == value:
            break
        value = expanded
    value = re.sub(r"\(\s*(size_t|uint64_t|uint32_t|unsigned)\s*\)\s*(\(?-?\s*\d+\)?)",
                   lambda m: "((%s) & %d)" % (m.group(2), _CASTS[m.group(1)]), value)
    value = re.sub(r"\b(0[xX][0-9a-fA-F]+|\d+)[uUlL]+\b", r"\1", value)
    result = eval(value, {"__builtins__": {}}, {})  # noqa: S307 - header text
    if not isinstance(result, int):
        raise ValueError(value)
    return result


def header_to_cdef(text):
    """Returns (declarations, {macro: int}) for the header text."""
    text = _strip_comments(text).replace("\\\n", " ")
    defined, macros, empty = set(), {}, set()
    active = [True]  # one entry per open conditional, plus the file level
    taken = []       # whether some branch of each conditional was taken
    code = []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped.startswith("#"):
            if all(active):
                code.append(line)
            continue
        directive, _, rest = stripped[1:].strip().partition(" ")
        rest = rest.strip()
        if directive in ("ifdef", "ifndef", "if"):
            if directive == "if":
                value = _condition(rest, defined)
            else:
                value = (rest in defined) == (directive == "ifdef")
            active.append(value)
            taken.append(value)
        elif directive == "else":
            active[-1] = not taken[-1]
        elif directive == "endif":
            active.pop()
            taken.pop()
        elif not all(active) or directive == "include":
            continue
        elif directive == "define":
            name, _, value = rest.partition(" ")
            if "(" in name:
                raise ValueError("function-like macro in chunkbuf.h: %s" % name)
            value = value.strip()
            defined.add(name)
            if not value:
                empty.add(name)
            elif not value.startswith("{"):  # *_INIT initialisers are C-only
                macros[name] = value
        else:
            raise ValueError("unexpected directive #%s in chunkbuf.h" % directive)
    values = {name: _evaluate(value, macros) for name, value in macros.items()}

    def substitute(m):
        word = m.group(0)
        if word in empty:
            return ""
        return str(values[word]) if word in values else word
    body = _WORD.sub(substitute, "\n".join(code))
    body = "\n".join(line.strip() for line in body.splitlines() if line.strip())
    return body, values


def build_cdef(header_path):
    with open(header_path, encoding="utf-8") as f:
        body, values = header_to_cdef(f.read())
    defines = "".join("#define %s %d\n" % item for item in sorted(values.items()))
    return SYSTEM_DECLS + defines + body + "\n", values["CHUNKBUF_VERSION_NUMBER"]


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("header")
    parser.add_argument("--cdef-out")
    parser.add_argument("--c-out")
    args = parser.parse_args(argv)
    cdef, version = build_cdef(args.header)
    if args.cdef_out:
        with open(args.cdef_out, "w", encoding="utf-8") as f:
            f.write('"""Generated by gen_ffi.py from chunkbuf.h; do not edit."""\n')
            f.write("HEADER_VERSION = %d\n" % version)
            f.write("CDEF = %r\n" % cdef)
    if args.c_out:
        import cffi
        ffibuilder = cffi.FFI()
        ffibuilder.cdef(cdef + API_EXTRA)
        ffibuilder.set_source("chunkbuf._native",
                              # cffi wraps every declaration, the deprecated 0.1 names too
                              '#define CHUNKBUF_NO_DEPRECATION_WARNINGS\n#include "chunkbuf.h"\n')
        ffibuilder.emit_c_code(args.c_out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
