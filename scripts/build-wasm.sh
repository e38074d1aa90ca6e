#!/usr/bin/env bash
# Rebuilds the browser search modules committed in themes/default/static/search/:
# almanac_search_wasm_bg.wasm (crates/search-wasm compiled, then shrunk by wasm-opt),
# almanac_search_wasm.js (the wasm-bindgen glue, an ES module) and one stemmer
# module per Snowball algorithm, stemmers/<algorithm>.wasm (crates/search-stemmer
# built with that algorithm alone; the page loads its collection's one).
#
#   scripts/build-wasm.sh          rebuild and write the committed files
#   scripts/build-wasm.sh --check  rebuild in a temporary folder and fail if
#                                  the committed files differ
#
# The module is committed so that `cargo build` never needs the wasm32 target.
# Needs: rustup's wasm32-unknown-unknown target and npm. The exact wasm-bindgen
# CLI (same version as the crate in Cargo.lock) is installed into
# target/wasm-tools on first use; wasm-opt comes from the pinned npm package
# binaryen. crates/search-wasm/BUILT_WITH records the tool versions and the
# output hashes; a different toolchain gives different bytes, so --check names
# the versions when they differ.
set -euo pipefail

BINARYEN_VERSION=132.0.0
TARGET=wasm32-unknown-unknown

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out_dir="$root/themes/default/static/search"
record="$root/crates/search-wasm/BUILT_WITH"
tools="$root/target/wasm-tools"

check=false
case "${1:-}" in
  "") ;;
  --check) check=true ;;
  *) echo "usage: scripts/build-wasm.sh [--check]" >&2; exit 2 ;;
esac

if ! rustup target list --installed 2>/dev/null | grep -qx "$TARGET"; then
  echo "build-wasm: the $TARGET target is missing; run: rustup target add $TARGET" >&2
  exit 2
fi

bindgen_version="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$root/Cargo.lock")"
bindgen="$tools/bin/wasm-bindgen"
if ! [[ -x "$bindgen" && "$("$bindgen" --version)" == "wasm-bindgen $bindgen_version" ]]; then
  echo "build-wasm: installing wasm-bindgen-cli $bindgen_version into target/wasm-tools" >&2
  cargo install --quiet --root "$tools" wasm-bindgen-cli --version "=$bindgen_version"
fi
wasm_opt="$tools/node_modules/.bin/wasm-opt"
if ! [[ -x "$wasm_opt" && "$(node -p "require('$tools/node_modules/binaryen/package.json').version" 2>/dev/null)" == "$BINARYEN_VERSION" ]]; then
  echo "build-wasm: installing binaryen $BINARYEN_VERSION (wasm-opt) into target/wasm-tools" >&2
  npm install --silent --no-audit --no-fund --prefix "$tools" "binaryen@$BINARYEN_VERSION"
fi

# No machine paths in the module: map the cargo home, the toolchain and the
# repository to fixed names. getrandom takes its randomness from the browser.
# The standard library's sources, when rustup's rust-src is installed, are mapped
# to the name rustc gives them without it, so the bytes do not depend on it.
cargo_home="${CARGO_HOME:-$HOME/.cargo}"
rustup_home="${RUSTUP_HOME:-$HOME/.rustup}"
std_src="$(rustc --print sysroot)/lib/rustlib/src/rust"
std_name="/rustc/$(rustc -vV | sed -n 's/^commit-hash: //p')"
export CARGO_ENCODED_RUSTFLAGS="$(printf '%s\x1f' \
  "--remap-path-prefix=$root=/almanac" \
  "--remap-path-prefix=$cargo_home=/cargo" \
  "--remap-path-prefix=$rustup_home=/rustup" \
  "--remap-path-prefix=$std_src=$std_name" \
  '--cfg=getrandom_backend="wasm_js"')"
CARGO_ENCODED_RUSTFLAGS="${CARGO_ENCODED_RUSTFLAGS%$'\x1f'}"

cd "$root"
target_dir="${CARGO_TARGET_DIR:-$root/target}"
cargo build --locked --quiet -p almanac-search-wasm --target-dir "$target_dir" \
  --target "$TARGET" --profile wasm

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
opt_features=(--enable-bulk-memory --enable-sign-ext --enable-nontrapping-float-to-int
  --enable-mutable-globals --enable-multivalue --enable-reference-types
  --strip-debug --strip-producers --strip-target-features)

# The stemmers: the algorithms crates/search/src/stem.rs names.
algorithms="$(sed -n '/^pub const ALGORITHMS/,/^];/p' crates/search/src/stem.rs | grep -o '"[a-z]*"' | tr -d '"')"
mkdir -p "$work/stemmers"
for algorithm in $algorithms; do
  cargo build --locked --quiet -p almanac-search-stemmer --target-dir "$target_dir/stemmers/$algorithm" \
    --target "$TARGET" --profile wasm --no-default-features --features "$algorithm"
  "$wasm_opt" -Oz "${opt_features[@]}" -o "$work/stemmers/$algorithm.wasm" \
    "$target_dir/stemmers/$algorithm/$TARGET/wasm/almanac_search_stemmer.wasm"
done
"$bindgen" --target web --no-typescript --out-name almanac_search_wasm --out-dir "$work" \
  "$target_dir/$TARGET/wasm/almanac_search_wasm.wasm"
# -Oz for size; the features are those rustc enables by default for the target.
"$wasm_opt" -Oz "${opt_features[@]}" \
  -o "$work/almanac_search_wasm_bg.opt.wasm" "$work/almanac_search_wasm_bg.wasm"
mv "$work/almanac_search_wasm_bg.opt.wasm" "$work/almanac_search_wasm_bg.wasm"

{
  echo "# Written by scripts/build-wasm.sh: the tools that built the committed module."
  echo "rustc: $(rustc --version)"
  echo "wasm-bindgen: $bindgen_version"
  echo "binaryen: $BINARYEN_VERSION"
  (cd "$work" && sha256sum almanac_search_wasm_bg.wasm almanac_search_wasm.js stemmers/*.wasm)
} > "$work/BUILT_WITH"

if $check; then
  status=0
  for file in almanac_search_wasm_bg.wasm almanac_search_wasm.js $(cd "$work" && ls stemmers/*.wasm); do
    if ! cmp -s "$work/$file" "$out_dir/$file"; then
      echo "build-wasm: themes/default/static/search/$file is not what the sources build" >&2
      status=1
    fi
  done
  if [[ $status -ne 0 ]]; then
    echo "build-wasm: built with:" >&2
    grep -v '^#' "$work/BUILT_WITH" | head -3 >&2
    echo "build-wasm: committed with:" >&2
    grep -v '^#' "$record" 2>/dev/null | head -3 >&2 || true
    echo "build-wasm: run scripts/build-wasm.sh and commit the result" >&2
    exit 1
  fi
  echo "build-wasm: the committed module is current"
  exit 0
fi

mkdir -p "$out_dir/stemmers"
cp "$work/almanac_search_wasm_bg.wasm" "$work/almanac_search_wasm.js" "$out_dir/"
rm -f "$out_dir"/stemmers/*.wasm
cp "$work"/stemmers/*.wasm "$out_dir/stemmers/"
cp "$work/BUILT_WITH" "$record"
echo "build-wasm: wrote themes/default/static/search/almanac_search_wasm_bg.wasm ($(wc -c < "$out_dir/almanac_search_wasm_bg.wasm") bytes, $(gzip -9 -c "$out_dir/almanac_search_wasm_bg.wasm" | wc -c) gzipped)"
echo "build-wasm: wrote $(ls "$out_dir"/stemmers/*.wasm | wc -l) stemmers under themes/default/static/search/stemmers/ ($(cat "$out_dir"/stemmers/*.wasm | wc -c) bytes in all)"
