#!/usr/bin/env bash
# Relevance benchmark: Almanac's search page and Pagefind on the example
# collection's judged queries (bench/relevance/queries.json), in one run.
#
#   bench/relevance/run.sh
#
# Builds the example collection (the repository root) with the release
# binary, installs Pagefind (npm `pagefind`, PAGEFIND_VERSION, default 1.6.0)
# into BENCH_DIR (default target/bench), and runs bench/relevance/run.mjs,
# which prints MRR@10 and top-1 for both engines on the tuning part, the
# held-out part and the whole set. Needs Chromium and the browser test
# packages (`npm ci --prefix tests/browser`), as the browser tests do.
set -euo pipefail
cd "$(dirname "$0")/../.."
work=${BENCH_DIR:-target/bench}
pagefind_version=${PAGEFIND_VERSION:-1.6.0}
mkdir -p "$work"
work=$(cd "$work" && pwd)
cargo build --release --quiet
bin=${CARGO_TARGET_DIR:-target}/release/almanac
site="$work/relevance-site"
"$bin" build --quiet --root . --output "$site"
pagefind="$work/pagefind-$pagefind_version"
if ! [ -x "$pagefind/node_modules/.bin/pagefind" ]; then
  npm install --silent --no-audit --no-fund --prefix "$pagefind" "pagefind@$pagefind_version"
fi
node bench/relevance/run.mjs "$site" "$pagefind"
