#!/usr/bin/env bash
# Times plan validation compiled to WebAssembly (release), in Node.js through
# wasm-bindgen-test-runner. The figure goes into docs/BENCHMARKS.md.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$ROOT"
load_toolchain
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  wasm_cargo test --release -p app --target wasm32-unknown-unknown --target-dir target/front \
  --test wasm_timing -- --nocapture 2>&1 | grep -E 'wasm \(Node.js\)'
