#!/usr/bin/env bash
# Push and pull on a fresh database against one holding years of history (a million rows by
# default), on SQLite and (with BENCH_DATABASE_URL) PostgreSQL. Prints the table for
# docs/BENCHMARKS.md; the time the history took to write goes to stderr.
#
#   scripts/bench-history.sh                        # SQLite: 0 and 1,000,000 history rows
#   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test scripts/bench-history.sh 0 1000000
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$ROOT"
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(0 1000000)
cargo build -q --release -p integration --bin historybench
if [ -n "${BENCH_DATABASE_URL:-}" ]; then
  TEST_DATABASE_URL="$BENCH_DATABASE_URL" target/release/historybench "${sizes[@]}"
else
  env -u TEST_DATABASE_URL target/release/historybench "${sizes[@]}"
fi
