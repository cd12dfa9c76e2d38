#!/usr/bin/env bash
# Installs whatever this machine lacks to build (and, with --for-tests, to test) Tạo Nguồn.
# Idempotent: every step checks first, so a second run takes seconds.
#
#   scripts/setup.sh              # build tools: Rust for wasm32, wasm-bindgen, wasm-opt, brotli
#   scripts/setup.sh --for-tests  # also Chromium for the browser tests
#
# WebAssembly: where rustup can add the wasm32-unknown-unknown target, it does. Where it cannot
# (machines without access to static.rust-lang.org), Debian's Rust 1.96 with its standard
# library source is linked as the rustup toolchain `web-1.96` and std is built for wasm32 with
# -Zbuild-std. The choice is written to target/toolchain.env for the other scripts.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$ROOT"

for_tests=0
for arg in "$@"; do
  case "$arg" in
    --for-tests) for_tests=1 ;;
    *) die "tham số không hiểu: $arg (chỉ có --for-tests)" ;;
  esac
done

command -v cargo >/dev/null 2>&1 && command -v rustup >/dev/null 2>&1 \
  || die "cần Rust qua rustup (https://rustup.rs) trước khi chạy script này"
command -v npm >/dev/null 2>&1 || apt_ensure nodejs npm

# --- Debian packages every build needs -------------------------------------------------------
# brotli and gzip precompress the client; curl probes the network; pkg-config/gcc build C deps.
apt_ensure brotli gzip curl ca-certificates gcc

# --- A Rust toolchain that can build wasm32-unknown-unknown -----------------------------------
wasm_target_installed() { rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; }
debian_web_toolchain_ready() {
  rustup toolchain list 2>/dev/null | grep -q '^web-1.96' && [ -d /usr/lib/rustlib/src/rust/library ]
}

choose_toolchain() {
  local default_tc
  default_tc="$(rustup show active-toolchain 2>/dev/null | awk '{print $1}')"
  if wasm_target_installed; then
    echo "WASM_TOOLCHAIN=$default_tc"; echo "WASM_BUILD_STD=0"; return
  fi
  if debian_web_toolchain_ready; then
    echo "WASM_TOOLCHAIN=web-1.96"; echo "WASM_BUILD_STD=1"; return
  fi
  # Try rustup only when its server answers: elsewhere `rustup target add` hangs.
  if curl -fsS --max-time 8 -o /dev/null https://static.rust-lang.org/dist/channel-rust-stable.toml.sha256 2>/dev/null \
     && timeout 300 rustup target add wasm32-unknown-unknown >&2; then
    echo "WASM_TOOLCHAIN=$default_tc"; echo "WASM_BUILD_STD=0"; return
  fi
  say "rustup không tải được wasm32: dùng Rust 1.96 của Debian và build std từ mã nguồn"
  apt_ensure rustc-web cargo-web rust-web-src lld-22
  rustup toolchain link web-1.96 /usr >&2
  debian_web_toolchain_ready || die "không dựng được bộ công cụ web-1.96 từ gói Debian"
  echo "WASM_TOOLCHAIN=web-1.96"; echo "WASM_BUILD_STD=1"
}

mkdir -p "$ROOT/target"
if [ -f "$TOOLCHAIN_ENV" ] && . "$TOOLCHAIN_ENV" && rustup toolchain list | grep -q "^${WASM_TOOLCHAIN:-none}"; then
  : # the earlier choice still holds
else
  choose_toolchain > "$TOOLCHAIN_ENV.tmp"
  mv "$TOOLCHAIN_ENV.tmp" "$TOOLCHAIN_ENV"
fi
. "$TOOLCHAIN_ENV"
say "bộ công cụ WebAssembly: $WASM_TOOLCHAIN (build-std: $WASM_BUILD_STD)"

# --- The standard library's source, to build a smaller std for what users download ----------
# With it, the release build compiles std itself with `optimize_for_size` and no panic or
# location formatting (WASM_SMALL_STD=1, see build-client.sh): about 35 KB brotli less. The
# Debian path has the source already; the rustup path adds the rust-src component where it
# can be downloaded. Without it the build still works, only larger.
small_std=0
if [ "${WASM_BUILD_STD:-0}" = 1 ]; then
  small_std=1
elif grep -q '^rust-src' <<<"$(rustup component list --installed --toolchain "$WASM_TOOLCHAIN" 2>/dev/null)"; then
  small_std=1
elif curl -fsS --max-time 8 -o /dev/null https://static.rust-lang.org/dist/channel-rust-stable.toml.sha256 2>/dev/null \
     && timeout 300 rustup component add rust-src --toolchain "$WASM_TOOLCHAIN" >&2; then
  small_std=1
else
  warn "không tải được mã nguồn thư viện chuẩn (rust-src): bản build cho người dùng sẽ lớn hơn khoảng 35 KB"
fi
grep -v '^WASM_SMALL_STD=' "$TOOLCHAIN_ENV" > "$TOOLCHAIN_ENV.tmp" || true
echo "WASM_SMALL_STD=$small_std" >> "$TOOLCHAIN_ENV.tmp"
mv "$TOOLCHAIN_ENV.tmp" "$TOOLCHAIN_ENV"

# --- wasm-bindgen CLI, exactly the version Cargo.lock pins ------------------------------------
want="$(locked_wasm_bindgen_version)"
[ -n "$want" ] || die "Cargo.lock không ghi phiên bản wasm-bindgen"
have="$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)"
if [ "$have" != "$want" ]; then
  say "cài wasm-bindgen-cli $want (lần đầu mất vài phút)"
  # Not --locked: one of its locked dependencies is not served by every registry mirror.
  cargo install wasm-bindgen-cli --version "$want" --force
fi

# --- wasm-split: cuts the module into the main part and the chunks of role-only screens ----------
# The version that reads what wasm_split_helpers (pinned by leptos in Cargo.lock) emits.
split_want=0.2.4
# It has no --version: cargo's own record of installed crates says which one is there.
if ! command -v wasm-split-cli >/dev/null 2>&1 \
   || ! grep -qs "wasm_split_cli_support $split_want " "${CARGO_HOME:-$HOME/.cargo}/.crates.toml"; then
  say "cài wasm-split-cli $split_want (lần đầu mất khoảng hai phút)"
  cargo install wasm_split_cli_support --version "$split_want" --features build-binary --locked --force
fi

# --- npm tools: wasm-opt (binaryen) for size, playwright-core to drive Chromium ---------------
if [ ! -x node_modules/.bin/wasm-opt ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "cài công cụ npm (binaryen, playwright-core)"
  npm ci --no-audit --no-fund --loglevel=error
fi

if [ "$for_tests" = 1 ]; then
  apt_ensure chromium
  # psql makes the throwaway databases of the PostgreSQL crash test and benchmarks.
  command -v psql >/dev/null 2>&1 || apt_ensure postgresql-client
  # Schemathesis (PyPI), pinned, in its own virtual environment: scripts/fuzz-api.sh.
  venv="$ROOT/target/schemathesis"
  want_st="$(grep -E '^schemathesis==' tests/fuzz/requirements.txt | cut -d= -f3)"
  if [ "$("$venv/bin/st" --version 2>/dev/null | awk '{print $NF}')" != "$want_st" ]; then
    command -v python3 >/dev/null 2>&1 || apt_ensure python3
    python3 -m venv "$venv" 2>/dev/null || { apt_ensure python3-venv; rm -rf "$venv"; python3 -m venv "$venv"; }
    say "cài Schemathesis $want_st (PyPI)"
    "$venv/bin/pip" install -q --disable-pip-version-check -r tests/fuzz/requirements.txt
  fi
fi

say "đã đủ công cụ"
