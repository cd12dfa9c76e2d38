# Shared helpers for the scripts in this directory. Source it; do not run it.
# shellcheck shell=bash

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export ROOT
TOOLCHAIN_ENV="$ROOT/target/toolchain.env"

say() { printf '\033[1;32m==>\033[0m %s\n' "$*" >&2; }
warn() { printf '\033[1;33m==> chú ý:\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m==> lỗi:\033[0m %s\n' "$*" >&2; exit 1; }

# The tools `cargo install` and `npm` put in place.
export PATH="$HOME/.cargo/bin:$ROOT/node_modules/.bin:$PATH"

# Runs a command as root: directly when we are root, through sudo otherwise.
as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else die "cần quyền root để chạy: $* (cài sudo hoặc chạy bằng root)"
  fi
}

# Installs the Debian packages among "$@" that are not installed yet.
apt_ensure() {
  local missing=()
  local pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  command -v apt-get >/dev/null 2>&1 || die "thiếu ${missing[*]} và máy này không có apt-get: hãy tự cài chúng"
  say "cài gói Debian: ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# Loads the WebAssembly toolchain choice made by setup.sh (WASM_TOOLCHAIN, WASM_BUILD_STD),
# running setup first when it has not been made on this checkout.
load_toolchain() {
  # Again when the file predates a choice setup now makes (the smaller std).
  grep -qs '^WASM_SMALL_STD=' "$TOOLCHAIN_ENV" || "$ROOT/scripts/setup.sh"
  # shellcheck source=/dev/null
  . "$TOOLCHAIN_ENV"
}

# cargo for the WebAssembly build, with build-std when the toolchain has no prebuilt std.
wasm_cargo() {
  if [ "${WASM_BUILD_STD:-0}" = 1 ]; then
    # Before the subcommand, so that a trailing `-- test-args` cannot swallow it.
    RUSTC_BOOTSTRAP=1 cargo "+$WASM_TOOLCHAIN" -Zbuild-std=std,panic_abort "$@"
  else
    cargo "+$WASM_TOOLCHAIN" "$@"
  fi
}

# cargo for the release WebAssembly build: where the standard library's source is at hand
# (WASM_SMALL_STD=1), std is built with it, optimised for size, and panics abort at once
# without formatting a message or a location (a panic is a bug that stops the app either
# way; the wasm tests and the dev build keep their messages). The caller sets RUSTFLAGS.
wasm_cargo_small() {
  if [ "${WASM_SMALL_STD:-0}" = 1 ]; then
    RUSTFLAGS="${RUSTFLAGS:-} -Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none -Zfmt-debug=none" \
      RUSTC_BOOTSTRAP=1 cargo "+$WASM_TOOLCHAIN" -Zbuild-std=std,panic_abort -Zbuild-std-features=optimize_for_size "$@"
  else
    wasm_cargo "$@"
  fi
}

# The wasm-bindgen version Cargo.lock pins; the CLI must match it exactly.
locked_wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock"
}
