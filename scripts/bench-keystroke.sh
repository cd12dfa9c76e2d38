#!/usr/bin/env bash
# Keystroke to paint in the plan editor (docs/BENCHMARKS.md, "Typing"): the demo's largest
# unit and a unit with 50 subordinate cells, a grid cell and a prose section, the CPU at full
# speed and slowed 4×. Prints the table.
#
#   scripts/bench-keystroke.sh              # BENCH_KEYS=80 for more keys per series (default 40)
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$ROOT"
"$ROOT/scripts/setup.sh" --for-tests >/dev/null
"$ROOT/scripts/build-client.sh" >/dev/null
cargo build -q -p server
node tests/bench/keystroke.mjs
