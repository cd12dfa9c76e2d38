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
#
# Installs what is missing first (scripts/setup.sh --for-tests).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$ROOT"

started=$SECONDS
step() { say "[$((SECONDS - started))s] $*"; }

"$ROOT/scripts/setup.sh" --for-tests
load_toolchain

step "cargo fmt --check"
cargo fmt --all -- --check

step "clippy (server, domain, tests)"
cargo clippy --all-targets -- -D warnings
step "clippy (browser app)"
cargo clippy -p frontend -p app --features app/csr -- -D warnings

step "Rust tests on SQLite"
env -u TEST_DATABASE_URL cargo test

if [ -n "${TEST_DATABASE_URL:-}" ]; then
  step "server tests on PostgreSQL ($(sed -E 's#://([^:@/]+):[^@]*@#://\1:***@#' <<<"$TEST_DATABASE_URL"))"
  # The same package selection as above, so nothing is rebuilt with other features.
  cargo test
else
  warn "TEST_DATABASE_URL chưa đặt: bỏ qua lượt chạy kiểm thử máy chủ trên PostgreSQL"
fi

# The debug server binary was built by `cargo test` above (building it alone with
# `cargo build -p server` would pick other features and compile it all again).
step "API fuzzing from the OpenAPI document (Schemathesis, debug server on loopback)"
"$ROOT/scripts/fuzz-api.sh"

step "shared-domain tests compiled to WebAssembly"
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  wasm_cargo test -p app --target wasm32-unknown-unknown --target-dir target/front

step "build the client (release); the debug server was built by cargo test"
"$ROOT/scripts/build-client.sh"

step "browser tests (headless Chromium)"
node --test --test-concurrency=1 tests/e2e/

step "size report"
"$ROOT/scripts/size-report.sh"

step "all tests passed"
