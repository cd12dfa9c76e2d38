#!/usr/bin/env bash
# Sets up what is missing, builds the release server and client, seeds an embedded SQLite
# database with a demo, and serves the app at http://127.0.0.1:3000 (or TAONGUON_LISTEN).
# Ctrl-C stops it. Running it again keeps the data you entered.
#
#   scripts/run-demo.sh          # 2022: Bảo Lâm district, letter 381-CV/HU
#   scripts/run-demo.sh 2025     # 2025: Tỉnh ủy Lâm Đồng → communes Bảo Lâm 1–5 → cells
#                                # (both can live in one database: run each once)
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$ROOT"

shape=2022
for arg in "$@"; do
  case "$arg" in
    2022|2025) shape="$arg" ;;
    *) die "tham số không hiểu: $arg (chỉ có 2022 hoặc 2025)" ;;
  esac
done

"$ROOT/scripts/setup.sh"
"$ROOT/scripts/build-client.sh"
say "build máy chủ (release)"
cargo build --release -p server

bin="$ROOT/target/release/tao-nguon"
"$bin" seed-demo --shape "$shape"
listen="${TAONGUON_LISTEN:-127.0.0.1:3000}"
say "mở trình duyệt tại http://$listen — đăng nhập bằng một tài khoản demo ở trên"
exec "$bin" serve
