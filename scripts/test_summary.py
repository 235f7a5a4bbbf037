#!/usr/bin/env python3
"""Prints one closing line, 'chunkbuf: N passed, N failed', over meson test logs,
and exits non-zero when anything failed or a log is missing.

Each meson test counts once; a test that runs its own cases (GoogleTest,
pytest, go test, the Lua runner) still counts as one here, its own output
above gives the detail.
"""
import json
import sys

passed = failed = skipped = 0
for path in sys.argv[1:]:
    try:
        with open(path) as f:
            for line in f:
                result = json.loads(line).get("result")
                if result in ("OK", "EXPECTEDFAIL"):
                    passed += 1
                elif result == "SKIP":
                    skipped += 1
                else:
                    failed += 1
    except FileNotFoundError:
        failed += 1
        print(f"missing test log: {path}", file=sys.stderr)
line = f"chunkbuf: {passed} passed, {failed} failed"
if skipped:
    line += f", {skipped} skipped"
print(line)
sys.exit(1 if failed else 0)
