#!/bin/sh
# check_abi.sh BASELINE LIBRARY
# Compares the built library's ABI with the committed baseline (abidiff from
# abigail-tools). New functions are fine; any change to an existing function
# or to a type it uses fails, unless it is made on purpose: bump the soname
# in capi/meson.build for an incompatible change, then regenerate with
#   tests/abi/update_baseline.sh build/capi/libchunkbuf.so.1.0.0
set -u
baseline=$1 lib=$2
if ! command -v abidiff >/dev/null 2>&1; then
  echo "abidiff not found (apt-get install abigail-tools)" >&2
  exit 1
fi
# Only types of the public header count (the baseline was written the same
# way): the handles are opaque, so what lies behind them may change freely.
headers=$(dirname "$0")/../../capi/include
abidiff --no-added-syms --hd2 "$headers" "$baseline" "$lib"
rc=$?
if [ $((rc & 3)) -ne 0 ]; then echo "abidiff failed to run (status $rc)" >&2; exit 1; fi
if [ "$rc" -ne 0 ]; then
  echo "ABI CHANGE against $baseline (status $rc): see above; if intended, bump the soname and regenerate the baseline" >&2
  exit 1
fi
echo "ABI compatible with $baseline (additions are allowed)"
