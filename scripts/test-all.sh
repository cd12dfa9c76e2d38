#!/usr/bin/env bash
# Runs every check and test of Tạo Nguồn:
#   formatting and clippy; Rust unit and integration tests on SQLite (with the sync simulation
#   and the hostile-input properties); the same server tests on PostgreSQL when
#   TEST_DATABASE_URL is set; the API fuzzed from its OpenAPI document (Schemathesis); the
#   shared-domain tests compiled to WebAssembly (run by wasm-bindgen-test-runner in Node.js);
#   and the browser and crash tests against the real server binary (headless Chromium).
#
#   scripts/test-all.sh
#   TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test scripts/test-all.sh
#   scripts/test-all.sh --long   # the long run before a release: full seed and case counts
#
# The counts of the randomised tests are set so that a clean-clone CI run stays within
# 35 minutes on the 2-core machine; `--long` (or the variables themselves) raises them:
#   SIM_SEEDS       sync-simulation seeds per database     CI 300    --long 2000
#   HOSTILE_CASES   cases per hostile-input property              CI 1000   --long 10000
#   HOSTILE_ROUNDS  rounds of hostile requests per server route   CI 300    --long 1000
#   FUZZ_EXAMPLES   Schemathesis cases per operation/phase  CI 20     --long 60
#
# Installs what is missing first (scripts/setup.sh --for-tests).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$ROOT"

long=0
for arg in "$@"; do
  case "$arg" in
    --long) long=1 ;;
    *) die "tham số không hiểu: $arg (chỉ có --long)" ;;
  esac
done
if [ "$long" = 1 ]; then
  export SIM_SEEDS="${SIM_SEEDS:-2000}" FUZZ_EXAMPLES="${FUZZ_EXAMPLES:-60}"
  export HOSTILE_CASES="${HOSTILE_CASES:-10000}" HOSTILE_ROUNDS="${HOSTILE_ROUNDS:-1000}"
else
  export SIM_SEEDS="${SIM_SEEDS:-300}" FUZZ_EXAMPLES="${FUZZ_EXAMPLES:-20}"
  export HOSTILE_CASES="${HOSTILE_CASES:-1000}" HOSTILE_ROUNDS="${HOSTILE_ROUNDS:-300}"
fi

started=$SECONDS
last=$SECONDS
# Each step prints the time since the start and how long the step before it took.
step() {
  say "[$((SECONDS - started))s, previous step $((SECONDS - last))s] $*"
  last=$SECONDS
}
say "counts: SIM_SEEDS=$SIM_SEEDS FUZZ_EXAMPLES=$FUZZ_EXAMPLES HOSTILE_CASES=$HOSTILE_CASES HOSTILE_ROUNDS=$HOSTILE_ROUNDS"
step "setup"

"$ROOT/scripts/setup.sh" --for-tests
load_toolchain

step "cargo fmt --check"
cargo fmt --all -- --check

# The WebAssembly half (the release client, then the shared domain's tests compiled to wasm)
# builds in its own target directory, so it runs beside the native half instead of after it:
# its long single-threaded link-time optimisation leaves a core the native builds and tests
# use. (On the 2-core machine a clean-clone run took 42 min one after the other.)
mkdir -p "$ROOT/target"
wasm_log="$ROOT/target/test-all-wasm.log"
(
  wasm_started=$SECONDS
  "$ROOT/scripts/build-client.sh"
  say "shared-domain tests compiled to WebAssembly"
  CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
    wasm_cargo test -p app --target wasm32-unknown-unknown --target-dir target/front
  say "WebAssembly half: $((SECONDS - wasm_started))s"
) > "$wasm_log" 2>&1 &
wasm_pid=$!
# Whatever stops this script stops that half too.
trap 'kill "$wasm_pid" 2>/dev/null || true' EXIT
say "the release client and the WebAssembly tests build beside what follows (log: $wasm_log)"

step "clippy (server, domain, tests)"
cargo clippy --all-targets -- -D warnings
step "clippy (browser app)"
cargo clippy -p frontend -p app --features app/csr -- -D warnings

step "Rust tests on SQLite"
env -u TEST_DATABASE_URL cargo test

if [ -n "${TEST_DATABASE_URL:-}" ]; then
  step "server tests on PostgreSQL ($(sed -E 's#://([^:@/]+):[^@]*@#://\1:***@#' <<<"$TEST_DATABASE_URL"))"
  # The same package selection as above, so nothing is rebuilt with other features; only the
  # test binaries that talk to a database run again (the domain's tests ran above).
  cargo test --test server --test simulation
else
  warn "TEST_DATABASE_URL chưa đặt: bỏ qua lượt chạy kiểm thử máy chủ trên PostgreSQL"
fi

# The debug server binary was built by `cargo test` above (building it alone with
# `cargo build -p server` would pick other features and compile it all again).
step "API fuzzing from the OpenAPI document (Schemathesis, debug server on loopback)"
"$ROOT/scripts/fuzz-api.sh"

step "waiting for the release client and the WebAssembly tests (started after cargo fmt)"
if ! wait "$wasm_pid"; then
  cat "$wasm_log"
  die "bản dựng ứng dụng WebAssembly hoặc kiểm thử WebAssembly thất bại (xem ở trên)"
fi
trap - EXIT
tail -n 25 "$wasm_log"

step "browser tests (headless Chromium)"
node --test --test-concurrency=1 tests/e2e/

step "size report"
"$ROOT/scripts/size-report.sh"

step "all tests passed"
