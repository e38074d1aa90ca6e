#!/usr/bin/env bash
# Build-speed benchmark: generates synthetic collections of 1k, 10k and 100k
# resources (or the sizes given) and times `almanac build` on each, into an output
# folder a build already filled ("existing") and into an empty one ("empty"). Prints
# the median of RUNS runs: wall time, CPU time in user space and in the kernel, and
# peak memory (max RSS).
#
#   bench/run.sh [SIZE...]
#   REALISTIC=1 bench/run.sh 100000     # 500-term glossary, ~370-word bodies
#   ANCHOR=/path/to/other/almanac RUNS=5 bench/run.sh 10000
#
# ANCHOR: a second binary (say, the previous commit's) measured in the same run,
# each run of it right after the same run of this one, so both see the same load.
# MODES: which output folders to measure (default "existing empty").
# BIN: measure this binary instead of building the checkout's.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000 100000)
work=${BENCH_DIR:-target/bench}
runs=${RUNS:-3}
modes=(${MODES:-existing empty})
mkdir -p "$work"
[ -n "${BIN:-}" ] || cargo build --release --quiet
bins=("${BIN:-target/release/almanac}")
[ -z "${ANCHOR:-}" ] || bins+=("$ANCHOR")

median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

printf '%-7s %-9s %-8s %-7s %-7s %-7s %-7s %-8s %s\n' \
  size output binary wall_s user_s sys_s rss_mb pages files
for n in "${sizes[@]}"; do
  if [ -n "${REALISTIC:-}" ]; then
    dir="$work/realistic-$n"
    [ -f "$dir/almanac.yaml" ] || python3 bench/generate.py --realistic "$n" "$dir"
  else
    dir="$work/collection-$n"
    [ -f "$dir/almanac.yaml" ] || python3 bench/generate.py "$n" "$dir"
  fi
  for mode in "${modes[@]}"; do
    declare -A samples=()
    for ((run = 0; run < runs; run++)); do
      for b in "${!bins[@]}"; do
        bin=${bins[$b]}
        site="$work/site-$n-$b"
        if [ "$mode" = empty ]; then
          rm -rf "$site" "$work/.site-$n-$b".almanac-*
          # The removed files' blocks are written back now, not during the build.
          sync
        else
          # A first build fills the folder (and warms the page cache).
          [ "$run" -gt 0 ] || "$bin" build --quiet --root "$dir" --output "$site"
        fi
        /usr/bin/time -f '%e %U %S %M' -o "$work/time" "$bin" build --root "$dir" --output "$site" 2> "$work/log-$n-$b"
        samples[$b]+="$(cat "$work/time")"$'\n'
      done
    done
    for b in "${!bins[@]}"; do
      col() { cut -d' ' -f"$1" <<<"${samples[$b]%$'\n'}" | median; }
      summary=$(grep '^Built' "$work/log-$n-$b" || true)
      pages=$(sed -E 's/^Built ([0-9]+) pages.*/\1/' <<<"$summary")
      files=$(sed -E 's/.*\(([0-9]+) files\).*/\1/' <<<"$summary")
      name=this
      [ "$b" = 0 ] || name=anchor
      printf '%-7s %-9s %-8s %-7s %-7s %-7s %-7s %-8s %s\n' "$n" "$mode" "$name" \
        "$(col 1)" "$(col 2)" "$(col 3)" "$(($(col 4) / 1024))" "$pages" "$files"
    done
    unset samples
  done
done
