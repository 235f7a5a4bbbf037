#!/bin/sh
# update_baseline.sh LIBRARY: rewrites tests/abi/libchunkbuf.abi from a
# built library. Do this only together with a soname bump (an incompatible
# change) or to record additions; commit the result.
set -eu
here=$(dirname "$0")
abidw --headers-dir "$here/../../capi/include" --out-file "$here/libchunkbuf.abi" "$1"
echo "wrote $here/libchunkbuf.abi"
