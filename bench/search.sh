#!/usr/bin/env bash
# Search benchmark (a script, not a timed test).
#
#   bench/search.sh [SIZE...]        default sizes: 1000 10000 100000
#
# 1. For each size: generate the collection (bench/generate.py) unless
#    BENCH_COLLECTION_<SIZE> names one, build the site, and report the build's
#    wall time, the time `almanac search` takes (load the collection, write the
#    index in memory, answer one query: the index's cost without rendering), and
#    the index's sizes: the hot file, the chunks, and all of it gzipped.
# 2. At BROWSER_SIZE (default 10000): in headless Chromium, time to the first
#    result, bytes before it and keystroke times for QUERY, with our search page
#    (bench/search-browser.mjs almanac) and with Pagefind (npm `pagefind`,
#    installed into the bench folder) indexing the same built site.
#
# Environment: BENCH_DIR (default target/bench), QUERY (default "algorithmic
# impact assessment"), RUNS (browser runs per engine, default 5), PAGEFIND_VERSION.
# The machine's load changes the timings: the script prints `uptime` first.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000 100000)
work=${BENCH_DIR:-target/bench}
query=${QUERY:-algorithmic impact assessment}
runs=${RUNS:-5}
browser_size=${BROWSER_SIZE:-10000}
pagefind_version=${PAGEFIND_VERSION:-1.6.0}
mkdir -p "$work"
work=$(cd "$work" && pwd)
uptime
cargo build --release --quiet
bin=${CARGO_TARGET_DIR:-target}/release/almanac

seconds() { /usr/bin/time -f '%e' -o "$work/time" "$@" > /dev/null 2>&1; cat "$work/time"; }

printf '%-8s %-8s %-9s %-11s %-8s %-12s %-12s\n' size build_s search_s hot_bytes chunks index_bytes index_gzip
for n in "${sizes[@]}"; do
  var="BENCH_COLLECTION_$n"
  dir=${!var:-$work/collection-$n}
  [ -f "$dir/almanac.yaml" ] || python3 bench/generate.py "$n" "$dir"
  site="$work/site-$n"
  build=$(seconds "$bin" build --quiet --root "$dir" --output "$site")
  search=$(seconds "$bin" search --root "$dir" --limit 1 "$query")
  hot=$(ls "$site"/search/index.*.bin)
  chunks=$(find "${hot%.bin}" -type f | wc -l)
  total=$(( $(stat -c %s "$hot") + $(find "${hot%.bin}" -type f -printf '%s\n' | paste -sd+ | bc) ))
  gzip_total=$(python3 -c 'import gzip, pathlib, sys
hot = pathlib.Path(sys.argv[1])
files = [hot, *hot.with_suffix("").iterdir()]
print(sum(len(gzip.compress(f.read_bytes(), 6)) for f in files))' "$hot")
  printf '%-8s %-8s %-9s %-11s %-8s %-12s %-12s\n' "$n" "$build" "$search" "$(stat -c %s "$hot")" "$chunks" "$total" "$gzip_total"
done

site="$work/site-$browser_size"
[ -d "$site/search" ] || { echo "no site built at $browser_size; pass it among the sizes" >&2; exit 1; }
echo
echo "Almanac, $browser_size resources, query \"$query\", $runs runs:"
node bench/search-browser.mjs almanac "$site" "$query" "$runs" > "$work/almanac-browser.json"
grep '"median' "$work/almanac-browser.json"

pagefind="$work/pagefind-$pagefind_version"
if ! [ -x "$pagefind/node_modules/.bin/pagefind" ]; then
  npm install --silent --no-audit --no-fund --prefix "$pagefind" "pagefind@$pagefind_version"
fi
rm -rf "$site/pagefind"
indexing=$(seconds "$pagefind/node_modules/.bin/pagefind" --site "$site")
echo
echo "Pagefind $pagefind_version on the same site: indexed in $indexing s, $(du -sb "$site/pagefind" | cut -f1) bytes in $(find "$site/pagefind" -type f | wc -l) files"
node bench/search-browser.mjs pagefind "$site" "$query" "$runs" > "$work/pagefind-browser.json"
grep '"median' "$work/pagefind-browser.json"
echo
echo "Every run: $work/almanac-browser.json, $work/pagefind-browser.json"
