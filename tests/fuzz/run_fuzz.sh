#!/bin/sh
# run_fuzz.sh TARGET SEED_DIR WORK_DIR: runs a libFuzzer target for
# $CHUNKBUF_FUZZ_SECONDS (default 60) seconds. New inputs go to WORK_DIR (in
# the build tree); the committed seeds in SEED_DIR are only read.
set -eu
mkdir -p "$3"
exec "$1" -max_total_time="${CHUNKBUF_FUZZ_SECONDS:-60}" -print_final_stats=1 -artifact_prefix="$3/" "$3" "$2"
