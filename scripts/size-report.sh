#!/usr/bin/env bash
# Prints what a first visit downloads, raw, gzip -9 and brotli -q 11, from target/site/pkg:
# the core every device gets (main WebAssembly module, JS glue, chunk loader, CSS), then each
# chunk of role-only screens, then the total by role. Run scripts/build-client.sh first.
#
#   scripts/size-report.sh             # a plain table
#   scripts/size-report.sh --markdown  # the table for docs/BENCHMARKS.md
#
# Fails (exit 1) when a first visit grows past its ceiling, in KB brotli: SIZE_CEILING_KB for
# a unit's editor (the core; default 450) and REVIEWER_CEILING_KB for a reviewer (the core and
# the review chunk; default 565). Ceilings are a ratchet, lowered as issue 16 cuts, so that
# growth is a decision written in docs/BENCHMARKS.md and not an accident; the goal is 150 KB
# to a usable editor.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$ROOT"

pkg="$ROOT/target/site/pkg"
[ -f "$pkg/manifest.json" ] || die "chưa build giao diện: chạy scripts/build-client.sh"
markdown=0
[ "${1:-}" = "--markdown" ] && markdown=1

build="$(sed -E 's/.*"js":"([^"/]+)\/.*/\1/' "$pkg/manifest.json")"
dir="$pkg/$build"
[ -d "$dir" ] || die "pkg/manifest.json không chỉ tới một bản build trong $pkg"
kb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1024 }'; }

rows=()
# Sums the files "$@" of the build into RAW GZ BR, adding one row per file.
measure() {
  RAW=0; GZ=0; BR=0
  local f raw gz br
  for f in "$@"; do
    raw=$(stat -c %s "$dir/$f")
    gz=$(gzip -9 -n -c "$dir/$f" | wc -c)
    br=$(brotli -q 11 -c "$dir/$f" | wc -c)
    RAW=$((RAW + raw)); GZ=$((GZ + gz)); BR=$((BR + br))
    rows+=("$f|$(kb "$raw")|$(kb "$gz")|$(kb "$br")")
  done
}

measure tao-nguon_bg.wasm tao-nguon.js __wasm_split.js tao-nguon.css
core_raw=$RAW; core_gz=$GZ; core_br=$BR
rows+=("**core: every device, and all a unit's editor needs**|**$(kb "$RAW")**|**$(kb "$GZ")**|**$(kb "$BR")**")

shared=()
for f in "$dir"/chunk_*.wasm; do
  if [ -e "$f" ]; then shared+=("$(basename "$f")"); fi
done
totals=()
review_br=$core_br
for f in "$dir"/split_*.wasm; do
  [ -e "$f" ] || continue
  name="$(basename "$f" .wasm)"; name="${name#split_}"
  measure "$(basename "$f")" "${shared[@]}"
  rows+=("**chunk $name (with the code it shares)**|**$(kb "$RAW")**|**$(kb "$GZ")**|**$(kb "$BR")**")
  totals+=("first visit with the $name chunk|$(kb $((core_raw + RAW)))|$(kb $((core_gz + GZ)))|$(kb $((core_br + BR)))")
  if [ "$name" = review ]; then review_br=$((core_br + BR)); fi
done
rows+=("first visit of a unit's editor|$(kb "$core_raw")|$(kb "$core_gz")|$(kb "$core_br")")
rows+=("${totals[@]}")

if [ "$markdown" = 1 ]; then
  echo "| file | raw KB | gzip KB | brotli KB |"
  echo "|---|---:|---:|---:|"
  for r in "${rows[@]}"; do echo "| ${r//|/ | } |"; done
else
  printf '%-58s %9s %9s %10s\n' "file ($build)" "raw KB" "gzip KB" "brotli KB"
  for r in "${rows[@]}"; do
    IFS='|' read -r a b c d <<<"${r//\*\*/}"
    printf '%-58s %9s %9s %10s\n' "$a" "$b" "$c" "$d"
  done
fi
echo "goal: 150 KB brotli to a usable editor — a unit's editor downloads $(kb "$core_br") KB before it starts"

ceiling_kb="${SIZE_CEILING_KB:-450}"
reviewer_ceiling_kb="${REVIEWER_CEILING_KB:-565}"
if [ "$core_br" -gt $((ceiling_kb * 1024)) ]; then
  die "phần lõi nặng $(kb "$core_br") KB brotli, vượt mức trần ${ceiling_kb} KB (SIZE_CEILING_KB): giảm kích thước hoặc nâng mức trần có lý do trong docs/BENCHMARKS.md"
fi
if [ "$review_br" -gt $((reviewer_ceiling_kb * 1024)) ]; then
  die "lần mở đầu của người thẩm định nặng $(kb "$review_br") KB brotli, vượt mức trần ${reviewer_ceiling_kb} KB (REVIEWER_CEILING_KB)"
fi
echo "ceilings: ${ceiling_kb} KB for a unit's editor, ${reviewer_ceiling_kb} KB for a reviewer — within"
