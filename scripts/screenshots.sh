#!/usr/bin/env bash
# Builds the example collection under a sub-path and takes screenshots of the
# home page and a resource page at 1280 px and 375 px (light and dark schemes),
# plus a PDF of a section page as printed, into the folder given as argument.
# For people reviewing the theme; the tests do not run it.
#
#   scripts/screenshots.sh OUT_DIR
#
# Needs `npm ci --prefix tests/browser` and Chromium (CHROMIUM=/path overrides
# /usr/bin/chromium).
set -euo pipefail

if [ $# -ne 1 ]; then
  echo "usage: $0 OUT_DIR" >&2
  exit 2
fi
root="$(cd "$(dirname "$0")/.." && pwd)"
mkdir -p "$1"
out="$(cd "$1" && pwd)"

if [ ! -d "$root/tests/browser/node_modules/playwright-core" ]; then
  echo "run \`npm ci --prefix tests/browser\` first" >&2
  exit 1
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cargo run --quiet --manifest-path "$root/Cargo.toml" -- build \
  --root "$root" --output "$work/site" --base-url https://ethics.example.org/sub/ --quiet
node "$root/tests/browser/screenshots.mjs" "$work/site" "$out" /sub/
