#!/usr/bin/env bash
# Response times of the district's board and totals for districts of growing size, on SQLite
# and (with BENCH_DATABASE_URL) PostgreSQL. Prints the table for docs/BENCHMARKS.md.
#
#   scripts/bench-district.sh                       # SQLite: 60 and 2,000 units
#   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test scripts/bench-district.sh 60 2000 50000
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$ROOT"
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(60 2000)
cargo build -q --release -p integration --bin districtbench
if [ -n "${BENCH_DATABASE_URL:-}" ]; then
  TEST_DATABASE_URL="$BENCH_DATABASE_URL" target/release/districtbench "${sizes[@]}"
else
  env -u TEST_DATABASE_URL target/release/districtbench "${sizes[@]}"
fi
