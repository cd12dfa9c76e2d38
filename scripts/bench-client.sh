#!/usr/bin/env bash
# Time to a usable app over emulated 3G and slow 3G (first visit, then a repeat visit with no
# network), with the bytes the first visit transfers. Prints the table for docs/BENCHMARKS.md.
#
#   scripts/bench-client.sh            # BENCH_RUNS=5 for more runs per link (default 3)
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$ROOT"
"$ROOT/scripts/setup.sh" --for-tests >/dev/null
"$ROOT/scripts/build-client.sh" >/dev/null
cargo build -q -p server
node tests/bench/first-visit.mjs
