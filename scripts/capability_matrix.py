#!/usr/bin/env python3
"""The capability matrix: for every function of capi/include/chunkbuf.h, the
Python, Go and Lua API that exposes it, or the written reason it does not.

Exposure is found in the bindings' sources: a public function or method
exposes a C function when it calls it, directly or through the binding's
private helpers (cffi `lib.chunkbuf_x` or a function of the C accelerator
`_accel.c`, cgo `C.chunkbuf_x` or a `cwrap.c` helper, a SWIG method calling
`chunkbuf_x`). Reasons for the gaps live in
scripts/capability_reasons.json.

    scripts/capability_matrix.py           writes docs/CAPABILITIES.md
    scripts/capability_matrix.py --check   fails (naming the file to edit)
                                           when a function has neither an
                                           exposure nor a reason, when a
                                           reason is stale, or when
                                           docs/CAPABILITIES.md is out of date
"""
import ast
import json
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
HEADER = ROOT / "capi/include/chunkbuf.h"
REASONS = ROOT / "scripts/capability_reasons.json"
OUTPUT = ROOT / "docs/CAPABILITIES.md"
LANGS = ("python", "go", "lua")
WHERE = {"python": "bindings/python/chunkbuf/", "go": "bindings/go/ (non-test .go files, cwrap_list.h)",
         "lua": "bindings/lua/*.i"}
C_CALL = re.compile(r"\b(chunkbuf_[a-z0-9_]+)\s*\(")


def header_functions():
    text = HEADER.read_text()
    return re.findall(r"^CHUNKBUF_API\b[^;(]*?\b(chunkbuf_\w+)\s*\(", text, re.M)


def closure(units, public):
    """{C function: sorted public unit names reaching it}. units maps a name
    to (C functions called, other unit names called)."""
    def reach(name):
        seen, todo, out = {name}, [name], set()
        while todo:
            cfuncs, calls = units.get(todo.pop(), (set(), set()))
            out |= cfuncs
            for callee in calls:
                if callee in units and callee not in seen:
                    seen.add(callee)
                    todo.append(callee)
        return out

    exposed = {}
    for name in units:
        if public(name):
            for f in reach(name):
                exposed.setdefault(f, set()).add(name)
    return {f: sorted(names) for f, names in exposed.items()}


# ---------------------------------------------------------------- Python

SUBMODULES = ("compat", "debug", "aio")  # public as chunkbuf.<module>.<name>


def accel_units():
    """The C accelerator chunkbuf._accel (_accel.c) as units keyed
    "_accel:name" for each name Python sees (module functions, types): the
    C functions reached from it through the file's functions, method tables
    and type objects."""
    text = (ROOT / "bindings/python/chunkbuf/_accel.c").read_text()
    # top-level definitions: a static function, table or type object, from
    # its first line to the closing brace at the start of a line
    defs, name = {}, None
    for line in text.splitlines():
        m = re.match(r"(?:static |PyMODINIT_FUNC )[^;=(]*?\b(\w+)(?:\[\])?\s*[(=]", line)
        if m and line.rstrip().endswith("};"):  # a one-line table
            defs[m.group(1)] = line
        elif m and line.rstrip().endswith("{"):
            name = m.group(1)
            defs[name] = ""
        elif name is not None:
            if line.startswith("}"):
                name = None
            else:
                defs[name] += line + "\n"

    types = set(re.findall(r"^static PyTypeObject (\w+) = \{", text, re.M))

    def callbacks(name, seen):
        """Methods of self the C code calls back (forward(self, "_readline"))."""
        out = set(re.findall(r'(?:forward|CallMethod)\(self, "(\w+)"', defs[name]))
        for ident in set(re.findall(r"\b\w+\b", defs[name])) & (defs.keys() - types):
            if ident not in seen:
                seen.add(ident)
                out |= callbacks(ident, seen)
        return out

    def reach(name, seen):
        out = set(C_CALL.findall(defs[name]))
        # a function naming a type (a type check, an instance made) does
        # not call what the type's own slots call
        for ident in set(re.findall(r"\b\w+\b", defs[name])) & (defs.keys() - types):
            if ident not in seen:
                seen.add(ident)
                out |= reach(ident, seen)
        return out

    def table(name):
        """{Python name: C function} of a PyMethodDef table."""
        return {m.group(1): m.group(2) for m in re.finditer(
            r'\{"(\w+)", (?:\(PyCFunction\)(?:\(void \(\*\)\(void\)\))?)?(\w+),', defs.get(name, ""))}

    units = {"_accel:" + py: (reach(c, {c}), set()) for py, c in table("accel_methods").items()}
    for m in re.finditer(r"^static PyTypeObject (\w+) = \{", text, re.M):
        body = defs[m.group(1)]
        pyname = re.search(r'\.tp_name = "chunkbuf\._accel\.(\w+)"', body).group(1)
        units["_accel:" + pyname] = (reach(m.group(1), {m.group(1)}), set())
        methods = re.search(r"\.tp_methods = (\w+)", body)
        slots = table(methods.group(1)) if methods else {}
        nxt = re.search(r"\.tp_iternext = (?:\(\w+\))?(\w+)", body)
        if nxt:
            slots["__next__"] = nxt.group(1)
        for meth, c in slots.items():
            units["_accel:%s.%s" % (pyname, meth)] = (reach(c, {c}), callbacks(c, {c}))
    return units


def python_units():
    """Units keyed "module:Qualified.name"; calls resolved within the module
    first, then to the package's exported modules."""
    raw = dict(accel_units())
    for path in sorted((ROOT / "bindings/python/chunkbuf").glob("*.py")):
        tree = ast.parse(path.read_text())
        mod = path.stem

        def collect(node, qual, cls):
            cfuncs, calls = set(), set()
            for n in ast.walk(node):
                if isinstance(n, ast.Attribute) and n.attr.startswith("chunkbuf_") \
                        and isinstance(n.value, ast.Name) and n.value.id == "lib":
                    cfuncs.add(n.attr)
                if not isinstance(n, ast.Call):
                    continue
                f = n.func
                if isinstance(f, ast.Name):
                    calls.update((f.id, f.id + ".__init__"))
                elif isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name):
                    if f.value.id in ("self", "cls") and cls:
                        calls.add("%s.%s" % (cls, f.attr))
                    else:
                        calls.add("%s.%s" % (f.value.id, f.attr))
            raw["%s:%s" % (mod, qual)] = (cfuncs, calls)

        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                collect(node, node.name, None)
            elif isinstance(node, ast.ClassDef):
                # methods inherited from an _accel base type (StreamBase)
                for base in node.bases:
                    if isinstance(base, ast.Name):
                        for key, (cfuncs, calls) in list(raw.items()):
                            if key.startswith("_accel:%s." % base.id):
                                raw["%s:%s.%s" % (mod, node.name, key.split(".", 1)[1])] = (
                                    cfuncs, {"%s.%s" % (node.name, c) for c in calls})
                for item in node.body:
                    if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                        collect(item, "%s.%s" % (node.name, item.name), node.name)
                    elif isinstance(item, ast.Assign) and isinstance(item.value, ast.Name):  # write = append
                        for t in item.targets:
                            if isinstance(t, ast.Name):
                                raw["%s:%s.%s" % (mod, node.name, t.id)] = (
                                    set(), {"%s.%s" % (node.name, item.value.id)})
            elif isinstance(node, (ast.Assign, ast.Expr)):
                # module level: attributes of the package (chunkbuf.__version__)
                # and the checks run at import
                cf = {n.attr for n in ast.walk(node) if isinstance(n, ast.Attribute)
                      and n.attr.startswith("chunkbuf_")}
                if cf:
                    names = [t.id for t in getattr(node, "targets", []) if isinstance(t, ast.Name)]
                    key = names[0] if names and mod == "__init__" else "(import)"
                    old = raw.get("%s:%s" % (mod, key), (set(), set()))
                    raw["%s:%s" % (mod, key)] = (old[0] | cf, old[1])
    by_name = {}
    for key in raw:
        by_name.setdefault(key.split(":", 1)[1], []).append(key)
    units = {}
    for key, (cfuncs, calls) in raw.items():
        mod = key.split(":", 1)[0]
        resolved = set()
        for c in calls:
            keys = by_name.get(c, [])
            same = [k for k in keys if k.startswith(mod + ":")]
            found = same or [k for k in keys if k.split(":")[0] not in SUBMODULES]
            if not found and "." in c:  # an inherited method: any class of the module
                meth = c.split(".", 1)[1]
                found = [k for k in raw if k.startswith(mod + ":") and k.endswith("." + meth)]
            resolved.update(found)
        units[key] = (cfuncs, resolved)
    return units


def python_exports():
    """Names chunkbuf/__init__.py imports or defines."""
    names = set()
    init = ast.parse((ROOT / "bindings/python/chunkbuf/__init__.py").read_text())
    for node in ast.walk(init):
        if isinstance(node, ast.ImportFrom):
            names.update(a.asname or a.name for a in node.names)
    return names


PY_EXPORTS = python_exports()


def python_public(key):
    mod, name = key.split(":", 1)
    if name == "(import)":
        return True
    parts = name.split(".")
    if mod in SUBMODULES:
        ok = not parts[0].startswith("_")
    elif mod == "__init__":
        ok = True
    else:
        ok = parts[0] in PY_EXPORTS
    return ok and (len(parts) == 1 or not parts[1].startswith("_")
                   or (parts[1].startswith("__") and parts[1].endswith("__")))


def python_display(key):
    mod, name = key.split(":", 1)
    if name == "(import)":
        return "import chunkbuf"
    return "chunkbuf.%s%s" % (mod + "." if mod in SUBMODULES else "", name)


# ---------------------------------------------------------------- Go

def go_helpers():
    """{C helper name: the C function it stands for}: the cwrap helpers
    (cbw_*, cwrap.c) and the wait helpers (cb_*, cwrap.c and wait.h)."""
    out = {}
    for m in re.finditer(r"^CBW\((\w+),", (ROOT / "bindings/go/cwrap_list.h").read_text(), re.M):
        out["cbw_" + m.group(1)] = "chunkbuf_" + m.group(1)
    text = "\n".join((ROOT / "bindings/go" / f).read_text() for f in ("cwrap.c", "wait.h"))
    for m in re.finditer(r"^\w[\w ]*?\b(cbw?_\w+)\([^)]*\)[^{;\n]*\{[ \t]*$(.*?)^\}", text, re.M | re.S):
        calls = C_CALL.findall(m.group(2))
        calls = [c for c in calls if c != "chunkbuf_last_error"]
        if calls:
            out[m.group(1)] = calls[0]
    for m in re.finditer(r"^\w[\w ]*?\b(cbw?_\w+)\([^)]*\)\s*\{(.*)\}\s*$", text, re.M):
        calls = [c for c in C_CALL.findall(m.group(2)) if c != "chunkbuf_last_error"]
        if calls:
            out[m.group(1)] = calls[0]
    return out


def go_units():
    helpers = go_helpers()
    units = {}
    for path in sorted((ROOT / "bindings/go").glob("*.go")):
        if path.name.endswith("_test.go"):
            continue
        text = path.read_text()
        starts = list(re.finditer(r"^(?:func (?:\(\w+ \*?(\w+)\) )?|var )(\w+)", text, re.M))
        for i, m in enumerate(starts):
            body = text[m.end():starts[i + 1].start() if i + 1 < len(starts) else len(text)]
            name = "%s.%s" % (m.group(1), m.group(2)) if m.group(1) else m.group(2)
            cfuncs = set(re.findall(r"\bC\.(chunkbuf_\w+)", body))
            cfuncs |= {helpers[h] for h in re.findall(r"\bC\.(cbw?_\w+)", body) if h in helpers}
            calls = set(re.findall(r"\b(\w+)\(", body))
            calls |= {"%s.%s" % (t, f) for t in set(n for n in re.findall(r"\*(\w+)", body)) | {m.group(1)}
                      for f in re.findall(r"\.(\w+)\(", body) if t}
            if m.group(1):
                calls |= {"%s.%s" % (m.group(1), f) for f in re.findall(r"\.(\w+)\(", body)}
            units[name] = (cfuncs, calls)
    return units


def go_public(name):
    return all(p[:1].isupper() for p in name.split("."))


# ---------------------------------------------------------------- Lua

def lua_units():
    units = {}
    for path in sorted((ROOT / "bindings/lua").glob("*.i")):
        lines = path.read_text().splitlines()
        cls, current, depth = None, None, 0
        for line in lines:
            m = re.match(r"%extend cb_(\w+)\s*\{", line)
            if m:
                cls, current, depth = m.group(1), None, 1
                continue
            if cls and depth == 1:
                m = re.match(r"  (?:[\w\s\*]*?\b)?(~?cb_\w+|\w+)\s*\((.*)", line)
                if m and not line.strip().startswith(("/*", "*", "//")):
                    name = m.group(1)
                    if name == "cb_" + cls:
                        name = "__call"  # constructor: chunkbuf.Class(...)
                    elif name.startswith("~"):
                        name = "__gc"
                    current = "%s.%s" % (cls, name if name not in ("__call",) else "new")
                    if name == "__call":
                        current = cls
                    units.setdefault(current, (set(), set()))
            if cls:
                depth += line.count("{") - line.count("}")
                if depth <= 0:
                    cls, current = None, None
                    continue
            if not cls:
                m = re.match(r"static\s+[\w\s\*]*?\b(\w+)\s*\(", line)
                if m:
                    current = m.group(1)
                    units.setdefault(current, (set(), set()))
                elif re.match(r"^(%|\}|#)", line) and not line.startswith("%{"):
                    current = None if line.startswith("%") else current
            if current:
                code = line.split("/*")[0]
                units[current][0].update(f for f in C_CALL.findall(code) if f != "chunkbuf_last_error")
                units[current][1].update(re.findall(r"\b(cb_\w+)\s*\(", code))
    # %native(name) int cb_fn(lua_State *L); and the checks run by require
    for path in sorted((ROOT / "bindings/lua").glob("*.i")):
        text = path.read_text()
        for m in re.finditer(r"%native\((\w+)\)\s+\w+\s+(cb_\w+)", text):
            units[m.group(1)] = (set(), {m.group(2)})
        # methods written against the Lua API: CB_METHOD(Class, name, cb_fn)
        for m in re.finditer(r"CB_METHOD\((\w+),\s*(\w+),\s*(cb_\w+)\)", text):
            units["%s.%s" % (m.group(1), m.group(2))] = (set(), {m.group(3)})
        for m in re.finditer(r"%init %\{(.*?)%\}", text, re.S):
            units["(require)"] = (set(C_CALL.findall(m.group(1))) - {"chunkbuf_last_error"},
                                  set(re.findall(r"\b(cb_\w+)\s*\(", m.group(1))))
    # support.h helpers
    text = (ROOT / "bindings/lua/support.h").read_text()
    for m in re.finditer(r"^static [\w\s\*]*?\b(cb_\w+)\([^)]*\)\s*\{(.*?)^\}", text, re.M | re.S):
        units[m.group(1)] = ({f for f in C_CALL.findall(m.group(2)) if f != "chunkbuf_last_error"},
                             set(re.findall(r"\b(cb_\w+)\s*\(", m.group(2))))
    return units


def lua_public(name):
    return not name.startswith("cb_") and not name.startswith("SWIG")


# ---------------------------------------------------------------- matrix

def build():
    funcs = header_functions()
    found = {"python": closure(python_units(), python_public), "go": closure(go_units(), go_public),
             "lua": closure(lua_units(), lua_public)}
    reasons = json.loads(REASONS.read_text()) if REASONS.exists() else {}
    return funcs, found, reasons


def display(name, lang):
    if lang == "python":
        return python_display(name)
    if lang == "lua":
        return 'require "chunkbuf"' if name == "(require)" else "chunkbuf." + name
    return name


def cell(names, lang):
    if not names:
        return None
    shown = ["`%s`" % display(n, lang) for n in names[:3]]
    return ", ".join(shown) + (" (+%d)" % (len(names) - 3) if len(names) > 3 else "")


def render(funcs, found, reasons):
    out = ["# Capabilities", "",
           "Generated by `scripts/capability_matrix.py` from `capi/include/chunkbuf.h` and the bindings' "
           "sources; do not edit by hand. Each cell names the public API that calls the C function "
           "(directly or through a private helper), or says why the binding does not expose it (the "
           "reasons are kept in `scripts/capability_reasons.json`).", "",
           "| C function | Python | Go | Lua |", "|---|---|---|---|"]
    for f in funcs:
        row = []
        for lang in LANGS:
            c = cell(found[lang].get(f, []), lang)
            row.append(c if c else "— " + reasons.get(f, {}).get(lang, "(no reason given)"))
        out.append("| `%s` | %s |" % (f, " | ".join(row)))
    return "\n".join(out) + "\n"


def problems(funcs, found, reasons):
    out = []
    for f in funcs:
        for lang in LANGS:
            exposed = bool(found[lang].get(f))
            reason = reasons.get(f, {}).get(lang)
            if not exposed and not reason:
                out.append("%s has no %s binding and no reason: expose it in %s, or add "
                           "\"%s\": {\"%s\": \"<why not>\"} to scripts/capability_reasons.json"
                           % (f, lang.capitalize(), WHERE[lang], f, lang))
            if exposed and reason:
                out.append("%s is exposed in %s (%s) but scripts/capability_reasons.json still gives a "
                           "reason: remove \"%s\" from its entry" % (f, lang.capitalize(),
                                                                      ", ".join(found[lang][f][:3]), lang))
    for f in reasons:
        if f not in funcs:
            out.append("scripts/capability_reasons.json names %s, which chunkbuf.h does not declare: remove it" % f)
    return out


def self_test():
    """A C function with neither binding nor reason is reported, naming the
    files to edit."""
    funcs, found, reasons = build()
    errs = problems(funcs + ["chunkbuf_new_thing"], found, reasons)
    want = ["chunkbuf_new_thing has no %s binding" % lang.capitalize() for lang in LANGS]
    missing = [w for w in want if not any(e.startswith(w) and "capability_reasons.json" in e for e in errs)]
    if missing:
        print("self-test: not reported: " + "; ".join(missing))
        return 1
    return 0


def main(argv):
    if "--self-test" in argv:
        return self_test()
    funcs, found, reasons = build()
    text = render(funcs, found, reasons)
    if "--check" not in argv:
        OUTPUT.write_text(text)
        return 0
    errs = problems(funcs, found, reasons)
    if not OUTPUT.exists() or OUTPUT.read_text() != text:
        errs.append("docs/CAPABILITIES.md is out of date: run scripts/capability_matrix.py and commit it")
    for e in errs:
        print(e)
    return 1 if errs else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
