#!/usr/bin/env bash
# Builds the browser app into target/site: the WebAssembly module, its JS glue and the CSS,
# each under a content-hashed name, precompressed (brotli and gzip), plus pkg/manifest.json
# which the server reads to write the shell.
#
#   scripts/build-client.sh            # release: size-optimised, what users download
#   scripts/build-client.sh --dev      # faster to build, larger, for iterating
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$ROOT"
load_toolchain

profile=wasm-release
for arg in "$@"; do
  case "$arg" in
    --dev) profile=dev ;;
    *) die "tham số không hiểu: $arg (chỉ có --dev)" ;;
  esac
done
dir_of_profile=$([ "$profile" = dev ] && echo debug || echo "$profile")

front="$ROOT/target/front"
site="$ROOT/target/site"
pkg="$site/pkg"

say "build frontend ($profile) cho wasm32-unknown-unknown"
# A target directory of its own: the wasm build uses other flags (and maybe another toolchain)
# than the native build, and sharing one would rebuild the host tools on every switch.
# `erase_components` makes Leptos type-erase component views instead of monomorphising every
# nested view type: a much smaller module for the same behaviour.
RUSTFLAGS="${RUSTFLAGS:-} --cfg erase_components" \
  wasm_cargo build -p frontend --target wasm32-unknown-unknown --profile "$profile" --target-dir "$front"

say "wasm-bindgen"
rm -rf "$front/bindgen"
wasm-bindgen --target web --no-typescript --out-dir "$front/bindgen" --out-name tao-nguon \
  "$front/wasm32-unknown-unknown/$dir_of_profile/frontend.wasm"

wasm="$front/bindgen/tao-nguon_bg.wasm"
if [ "$profile" != dev ]; then
  say "wasm-opt -Oz"
  # Rust's wasm32 output uses these post-MVP features; wasm-opt must be told it may keep them.
  wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-reference-types --enable-multivalue \
    -o "$front/bindgen/tao-nguon_opt.wasm" "$wasm"
  wasm="$front/bindgen/tao-nguon_opt.wasm"
fi

hash_of() { sha256sum "$1" | cut -c1-16; }

rm -rf "$pkg.tmp" && mkdir -p "$pkg.tmp"
wasm_name="tao-nguon-$(hash_of "$wasm")_bg.wasm"
cp "$wasm" "$pkg.tmp/$wasm_name"
js_name="tao-nguon-$(hash_of "$front/bindgen/tao-nguon.js").js"
cp "$front/bindgen/tao-nguon.js" "$pkg.tmp/$js_name"
css_name="tao-nguon-$(hash_of style/main.css).css"
cp style/main.css "$pkg.tmp/$css_name"

# Quality 11 for what users download; a quick one for the much larger development build.
quality=$([ "$profile" = dev ] && echo 4 || echo 11)
for f in "$pkg.tmp"/*; do
  brotli -q "$quality" -f -k -o "$f.br" "$f"
  gzip -9 -n -k -f "$f"
done
printf '{"js":"%s","wasm":"%s","css":"%s"}\n' "$js_name" "$wasm_name" "$css_name" > "$pkg.tmp/manifest.json"

# Swap in the new pkg/ whole, so a running server never sees a half-written one.
mkdir -p "$site"
rm -rf "$pkg.old"
[ -d "$pkg" ] && mv "$pkg" "$pkg.old"
mv "$pkg.tmp" "$pkg"
rm -rf "$pkg.old"
cp style/favicon.svg "$site/favicon.svg"
# The web app manifest and its icons (a phone adds the app to its home screen from them).
cp frontend/manifest.webmanifest "$site/manifest.webmanifest"
rm -rf "$site/icons.tmp" && cp -r style/icons "$site/icons.tmp" && rm -rf "$site/icons" && mv "$site/icons.tmp" "$site/icons"

# The service worker: not hashed (browsers look for it at one URL, revalidated each visit),
# versioned by what it caches: the asset names, the manifest and the icons.
version="$(cat "$pkg/manifest.json" "$site/manifest.webmanifest" "$site"/icons/*.png | sha256sum | cut -c1-16)"
assets="[\"/pkg/$js_name\",\"/pkg/$wasm_name\",\"/pkg/$css_name\"]"
sed -e "s|__VERSION__|$version|" -e "s|__ASSETS__|$assets|" frontend/sw.js > "$site/sw.js.tmp"
mv "$site/sw.js.tmp" "$site/sw.js"

say "xong: $site (js $js_name, wasm $wasm_name, css $css_name)"
