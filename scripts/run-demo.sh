#!/usr/bin/env bash
# Sets up what is missing, builds the release server and client, seeds an embedded SQLite
# database with the demo district of Bảo Lâm, and serves the app at http://127.0.0.1:3000
# (or TAONGUON_LISTEN). Ctrl-C stops it. Running it again keeps the data you entered.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$ROOT"

"$ROOT/scripts/setup.sh"
"$ROOT/scripts/build-client.sh"
say "build máy chủ (release)"
cargo build --release -p server

bin="$ROOT/target/release/tao-nguon"
"$bin" seed-demo
listen="${TAONGUON_LISTEN:-127.0.0.1:3000}"
say "mở trình duyệt tại http://$listen — đăng nhập bằng một tài khoản demo ở trên"
exec "$bin" serve
