#!/usr/bin/env bash
# Turns a collection into its "floor": every template of the default theme
# overridden by one character and no CSL formatting, so that a build of it times
# everything but Tera rendering and the CSL processor (reading, the model,
# Markdown, the search index, the exports and reference files, writing the files).
#
#   python3 bench/generate.py 10000 DIR && bench/floor.sh DIR
#   rm -rf OUT .OUT.almanac-*; almanac build -q --root DIR --output OUT
set -euo pipefail
dir=${1:?usage: bench/floor.sh COLLECTION}
themes="$(cd "$(dirname "$0")/.." && pwd)/themes/default/templates"
[ -f "$dir/almanac.yaml" ] || { echo "no almanac.yaml in $dir" >&2; exit 1; }
grep -q '^citation:' "$dir/almanac.yaml" && { echo "$dir/almanac.yaml already sets citation" >&2; exit 1; }
printf '\ncitation:\n  style: none\n' >> "$dir/almanac.yaml"
(cd "$themes" && find . -name '*.html') | while read -r template; do
  mkdir -p "$dir/templates/$(dirname "$template")"
  echo x > "$dir/templates/$template"
done
