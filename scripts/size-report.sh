#!/usr/bin/env bash
# Prints the size of what a first visit downloads — the WASM, JS and CSS of target/site/pkg —
# raw, gzip -9 and brotli -q 11, and the total. Run scripts/build-client.sh first.
#
#   scripts/size-report.sh             # a plain table
#   scripts/size-report.sh --markdown  # the table for docs/BENCHMARKS.md
#
# Fails (exit 1) when the first visit weighs more than SIZE_CEILING_KB brotli (default 515: the
# 507.2 KB of 2026-12-04 and a little room). The ceiling is a ratchet, lowered as issue 16 cuts
# the bundle, so that growth is a decision and not an accident; the 200 KB budget is the goal.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$ROOT"

pkg="$ROOT/target/site/pkg"
[ -f "$pkg/manifest.json" ] || die "chưa build giao diện: chạy scripts/build-client.sh"
markdown=0
[ "${1:-}" = "--markdown" ] && markdown=1

field() { sed -E "s/.*\"$1\":\"([^\"]+)\".*/\1/" "$pkg/manifest.json"; }
kb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1024 }'; }

budget_kb=200
total_raw=0; total_gz=0; total_br=0
rows=()
for kind in wasm js css; do
  name="$(field "$kind")"
  raw=$(stat -c %s "$pkg/$name")
  gz=$(gzip -9 -n -c "$pkg/$name" | wc -c)
  br=$(brotli -q 11 -c "$pkg/$name" | wc -c)
  total_raw=$((total_raw + raw)); total_gz=$((total_gz + gz)); total_br=$((total_br + br))
  rows+=("$kind|$name|$(kb "$raw")|$(kb "$gz")|$(kb "$br")")
done
rows+=("total||$(kb "$total_raw")|$(kb "$total_gz")|$(kb "$total_br")")

if [ "$markdown" = 1 ]; then
  echo "| file | name | raw KB | gzip KB | brotli KB |"
  echo "|---|---|---:|---:|---:|"
  for r in "${rows[@]}"; do echo "| ${r//|/ | } |"; done
else
  printf '%-6s %-40s %10s %10s %10s\n' file name "raw KB" "gzip KB" "brotli KB"
  for r in "${rows[@]}"; do IFS='|' read -r a b c d e <<<"$r"; printf '%-6s %-40s %10s %10s %10s\n' "$a" "$b" "$c" "$d" "$e"; done
fi
status="within"
[ "$total_br" -le $((budget_kb * 1024)) ] || status="OVER"
echo "budget: ${budget_kb} KB brotli for a first visit — $(kb "$total_br") KB, $status budget"
ceiling_kb="${SIZE_CEILING_KB:-515}"
if [ "$total_br" -gt $((ceiling_kb * 1024)) ]; then
  die "bản dựng nặng $(kb "$total_br") KB brotli, vượt mức trần ${ceiling_kb} KB (SIZE_CEILING_KB): giảm kích thước hoặc nâng mức trần có lý do trong docs/BENCHMARKS.md"
fi
echo "ceiling: ${ceiling_kb} KB brotli — within"
