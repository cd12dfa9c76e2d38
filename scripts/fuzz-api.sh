#!/usr/bin/env bash
# Fuzzes every operation of the JSON API from its own OpenAPI document with Schemathesis, on
# loopback, against the real server binary on a fresh demo database: as the district reviewer,
# as a unit's editor and as the administrator (each one's session cookie), then anonymously.
# Fails on any 5xx, on answers that break the document (status, content type, headers, schema),
# and on invalid data the server accepts (tests/fuzz/schemathesis.toml says which checks run). Prints how many generated requests each run sent.
#
#   scripts/fuzz-api.sh            # FUZZ_EXAMPLES=60 cases per operation and phase
#   FUZZ_EXAMPLES=300 scripts/fuzz-api.sh
#
# Needs the debug server (cargo build -p server) and Schemathesis (scripts/setup.sh --for-tests
# puts it in target/schemathesis).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$ROOT"

st="$ROOT/target/schemathesis/bin/st"
bin="${TAONGUON_BIN:-$ROOT/target/debug/tao-nguon}"
[ -x "$st" ] || die "thiếu Schemathesis: chạy scripts/setup.sh --for-tests"
[ -x "$bin" ] || die "thiếu máy chủ $bin: chạy cargo build -p server"
examples="${FUZZ_EXAMPLES:-60}"
port="${FUZZ_PORT:-3931}"

tmp="$(mktemp -d)"
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

# The API needs no browser build; a stub site keeps this independent of it.
mkdir -p "$tmp/site/pkg"
for f in a.js a.wasm a.css; do echo > "$tmp/site/pkg/$f"; done
echo '{"js":"a.js","wasm":"a.wasm","css":"a.css"}' > "$tmp/site/pkg/manifest.json"
export DATABASE_URL="sqlite://$tmp/fuzz.db?mode=rwc" TAONGUON_SITE_DIR="$tmp/site"
export TAONGUON_LISTEN="127.0.0.1:$port" TAONGUON_LOG=warn
export TAONGUON_SESSION_SECRET="fuzz-only-session-secret-0123456789abcdef"
"$bin" seed-demo >/dev/null
"$bin" serve >"$tmp/server.log" 2>&1 &
server_pid=$!
base="http://127.0.0.1:$port"
for _ in $(seq 100); do curl -fs "$base/healthz" >/dev/null && break; sleep 0.2; done
curl -fs "$base/healthz" >/dev/null || { cat "$tmp/server.log"; die "máy chủ không khởi động"; }

login() {
  curl -fs -o /dev/null -c - -H 'content-type: application/json' \
    -d "{\"username\":\"$1\",\"password\":\"taonguon2022\"}" "$base/api/v1/auth/login" \
    | awk '$6 == "tn_session" {print $7}'
}

# The demo campaign and one of its plans, for the operations on one of them.
reviewer_cookie="$(login bantochuc)"
ids="$(curl -fs -H "Cookie: tn_session=$reviewer_cookie" "$base/api/v1/sync/pull?limit=500" | python3 -c '
import json, sys
changes = json.load(sys.stdin)["changes"]
campaign = next(c["campaign"]["campaign"]["id"] for c in changes if "campaign" in c)
plan = next((c["plan"]["id"] for c in changes if "plan" in c), "00000000-0000-0000-0000-000000000000")
print(campaign, plan)')"
read -r FUZZ_CAMPAIGN FUZZ_PLAN <<<"$ids"
export FUZZ_CAMPAIGN FUZZ_PLAN

total=0
fuzz() {
  local who="$1" cookie="$2"
  local -a auth=()
  [ -n "$cookie" ] && auth=(-H "Cookie: tn_session=$cookie")
  say "schemathesis as $who ($examples cases per operation and phase)"
  # Logging out would end the session the rest of the run uses: it is fuzzed anonymously.
  local -a skip=()
  [ -n "$cookie" ] && skip=(--exclude-path /api/v1/auth/logout)
  local out="$tmp/st-$who.txt"
  # Run from the temporary directory: Schemathesis keeps a cache where it runs.
  if ! (cd "$tmp" && "$st" --config-file "$ROOT/tests/fuzz/schemathesis.toml" run "$base/api/v1/openapi.json" "${auth[@]}" "${skip[@]}" \
      --max-examples "$examples" --seed 2026 --workers 1 --no-color \
      --generation-database none --generation-with-security-parameters false \
      --suppress-health-check all) >"$out" 2>&1; then
    cat "$out"
    warn "server log:"; tail -n 40 "$tmp/server.log"
    die "Schemathesis found failures as $who"
  fi
  # "N test cases generated" (or similar) — the last such figure is the run's total.
  local n
  n="$(grep -oE '[0-9]+ (test cases|generated)' "$out" | tail -1 | grep -oE '^[0-9]+' || echo 0)"
  [ "$n" -gt 0 ] || { cat "$out"; die "Schemathesis ran no cases as $who"; }
  say "  $who: $n generated requests, no failures"
  total=$((total + n))
}

fuzz reviewer "$reviewer_cookie"
fuzz unit "$(login loc-an)"
fuzz admin "$(login quantri)"
fuzz anonymous ""
grep -q "panicked" "$tmp/server.log" && { grep -m5 panicked "$tmp/server.log"; die "the server panicked"; }
say "API fuzzing: $total generated requests in all, no 5xx, every answer as the OpenAPI document says"
