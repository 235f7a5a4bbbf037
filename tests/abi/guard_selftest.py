#!/usr/bin/env python3
"""Proves that the ABI guard (check_abi.sh) fails on incompatible changes.

The built library passes against the committed baseline (the real check).
Here each incompatible change is simulated the other way round: the
baseline is edited so that, seen from the built library, a struct member
was removed, a member or a parameter changed type, or an exported function
disappeared. check_abi.sh must fail for every one of them.

Usage: guard_selftest.py CHECK_ABI_SH BASELINE LIBRARY
"""
import os
import re
import subprocess
import sys
import tempfile


def element(text, start_marker, end_marker):
    i = text.index(start_marker)
    return i, text.index(end_marker, i)


def int_type_id(text):
    return re.search(r"<type-decl name='int' size-in-bits='32' id='(type-id-\d+)'", text).group(1)


def removed_member(base):
    i, j = element(base, "<class-decl name='chunkbuf_pool_options'", "</class-decl>")
    cls = base[i:j].replace("size-in-bits='128'", "size-in-bits='192'", 1)
    type_id = re.search(r"name='struct_size' type-id='(type-id-\d+)'", cls).group(1)
    extra = ("  <data-member access='public' layout-offset-in-bits='128'>\n"
             f"        <var-decl name='dropped' type-id='{type_id}' visibility='default'/>\n"
             "      </data-member>\n    ")
    return base[:i] + cls + extra + base[j:]


def member_type(base):
    i, j = element(base, "<class-decl name='chunkbuf_pool_options'", "</class-decl>")
    cls = re.sub(r"(name='max_cached_bytes_per_class' type-id=')type-id-\d+", r"\g<1>" + int_type_id(base),
                 base[i:j])
    return base[:i] + cls + base[j:]


def parameter_type(base):
    i, j = element(base, "<function-decl name='chunkbuf_ring_capacity'", "</function-decl>")
    fn = re.sub(r"type-id='type-id-\d+' name='n'", f"type-id='{int_type_id(base)}' name='n'", base[i:j])
    return base[:i] + fn + base[j:]


def removed_function(base):
    marker = "<elf-symbol name='chunkbuf_ring_capacity'"
    gone = ("<elf-symbol name='chunkbuf_withdrawn' version='CHUNKBUF_1.0' is-default-version='yes' "
            "type='func-type' binding='global-binding' visibility='default-visibility' is-defined='yes'/>\n    ")
    return base.replace(marker, gone + marker, 1)


def guard(check, baseline_text, library):
    with tempfile.NamedTemporaryFile("w", suffix=".abi", delete=False) as f:
        f.write(baseline_text)
    try:
        return subprocess.run(["sh", check, f.name, library], capture_output=True, text=True)
    finally:
        os.unlink(f.name)


def main(check, baseline, library):
    base = open(baseline).read()
    problems = []
    result = guard(check, base, library)
    if result.returncode != 0:
        problems.append("the built library fails against the real baseline:\n" + result.stdout + result.stderr)
    for name, mutate in [("a removed struct member", removed_member), ("a changed member type", member_type),
                         ("a changed parameter type", parameter_type), ("a removed function", removed_function)]:
        result = guard(check, mutate(base), library)
        verdict = "caught" if result.returncode != 0 else "MISSED"
        print(f"{name}: {verdict}")
        if result.returncode == 0:
            problems.append(f"check_abi.sh passed {name}:\n{result.stdout}{result.stderr}")
    for p in problems:
        print(p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
