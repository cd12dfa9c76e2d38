#!/usr/bin/env bash
# Load benchmark of the sync API: N simulated devices pushing single-change mutations and
# pulling for S seconds against the release server, on SQLite or PostgreSQL.
#
#   scripts/bench-sync.sh sqlite 100 60 [batch] [think-ms]
#   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test scripts/bench-sync.sh postgres 100 60
#
# batch: mutations per push (default 1: a device online, one edit at a time).
# think-ms: mean pause between a device's pushes (default 0: back to back, the ceiling).
#
# Prints the generator's figures and the server's peak memory. Uses a fresh database each run
# (an SQLite file in a temporary directory, or a new PostgreSQL database made with psql).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$ROOT"

backend="${1:-sqlite}"
devices="${2:-100}"
seconds="${3:-60}"
batch="${4:-1}"
think="${5:-0}"
port="${BENCH_PORT:-3917}"

say "build (release): server and load generator"
cargo build --release -p server -p integration --bin tao-nguon --bin loadgen 2>&1 | tail -1

tmp="$(mktemp -d)"
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  [ -n "${pg_db:-}" ] && psql "$BENCH_DATABASE_URL" -qc "DROP DATABASE IF EXISTS $pg_db" >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT

case "$backend" in
  sqlite) export DATABASE_URL="sqlite://$tmp/bench.db?mode=rwc" ;;
  postgres)
    : "${BENCH_DATABASE_URL:?set BENCH_DATABASE_URL to a PostgreSQL URL}"
    command -v psql >/dev/null || die "psql is needed to create the benchmark database"
    pg_db="taonguon_bench_$$"
    psql "$BENCH_DATABASE_URL" -qc "CREATE DATABASE $pg_db" >/dev/null
    export DATABASE_URL="${BENCH_DATABASE_URL%/*}/$pg_db"
    ;;
  *) die "backend: sqlite or postgres" ;;
esac

# The API does not need the browser app; a stub site keeps this benchmark independent of the
# WebAssembly build.
mkdir -p "$tmp/site/pkg"
for f in a.js a.wasm a.css; do echo > "$tmp/site/pkg/$f"; done
echo '{"js":"a.js","wasm":"a.wasm","css":"a.css"}' > "$tmp/site/pkg/manifest.json"
export TAONGUON_SITE_DIR="$tmp/site" TAONGUON_LISTEN="127.0.0.1:$port" TAONGUON_LOG=warn
export TAONGUON_SESSION_SECRET="benchmark-secret-benchmark-secret-0123"

bin="$ROOT/target/release/tao-nguon"
"$bin" seed-demo >/dev/null
{
  echo "code,name,level,kind,parent_code,member_count"
  for i in $(seq -w 1 "$devices"); do echo "LOAD-$i,Đơn vị tải thử $i,grassroots,agency,HU-BAO-LAM,100"; done
} > "$tmp/units.csv"
"$bin" import-units "$tmp/units.csv" >/dev/null

"$bin" serve &
server_pid=$!
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done

say "load: $devices devices, $seconds s, $backend"
"$ROOT/target/release/loadgen" --url "http://127.0.0.1:$port" --devices "$devices" --seconds "$seconds" --batch "$batch" --think-ms "$think"
echo "server peak memory: $(awk '/VmHWM/ {printf "%.0f MB", $2/1024}' "/proc/$server_pid/status")"
