#!/usr/bin/env bash
# Build-speed benchmark: generates synthetic collections of 1k, 10k and 100k
# resources (or the sizes given) and times `almanac build` on each, reporting wall
# time and peak memory (max RSS). Usage: bench/run.sh [SIZE...]
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000 100000)
work=${BENCH_DIR:-target/bench}
mkdir -p "$work"
cargo build --release --quiet
bin=target/release/almanac
printf '%-8s %-10s %-10s %-12s %s\n' size wall_s max_rss_mb pages files
for n in "${sizes[@]}"; do
  dir="$work/collection-$n"
  [ -f "$dir/almanac.yaml" ] || python3 bench/generate.py "$n" "$dir"
  # A first build warms the page cache; the second is measured.
  "$bin" build --quiet --root "$dir" --output "$work/site-$n"
  /usr/bin/time -f '%e %M' -o "$work/time-$n" "$bin" build --root "$dir" --output "$work/site-$n" 2> "$work/log-$n"
  read -r wall rss < "$work/time-$n"
  summary=$(grep '^Built' "$work/log-$n" || true)
  pages=$(sed -E 's/^Built ([0-9]+) pages.*/\1/' <<<"$summary")
  files=$(sed -E 's/.*\(([0-9]+) files\).*/\1/' <<<"$summary")
  printf '%-8s %-10s %-10s %-12s %s\n' "$n" "$wall" "$((rss / 1024))" "$pages" "$files"
done
