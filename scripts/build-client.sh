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
# A checkout set up before the build needed wasm-split: set it up again.
command -v wasm-split-cli >/dev/null 2>&1 || "$ROOT/scripts/setup.sh"

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
# nested view type: a much smaller module for the same behaviour. `--emit-relocs` keeps the
# linker's relocations, which wasm-split needs to cut the module at the split points.
if [ "$profile" = dev ]; then
  RUSTFLAGS="${RUSTFLAGS:-} --cfg erase_components -Clink-args=--emit-relocs" \
    wasm_cargo build -p frontend --target wasm32-unknown-unknown --profile "$profile" --target-dir "$front"
else
  # Its own target directory: std built from source with other flags than the tests' build.
  RUSTFLAGS="${RUSTFLAGS:-} --cfg erase_components -Clink-args=--emit-relocs" \
    wasm_cargo_small build -p frontend --target wasm32-unknown-unknown --profile "$profile" --target-dir "$front/small"
fi
wasm_out="$([ "$profile" = dev ] && echo "$front" || echo "$front/small")/wasm32-unknown-unknown/$dir_of_profile/frontend.wasm"

say "wasm-split"
# The screens only some roles use (`#[wasm_split(...)]` functions in app/src/ui/pages) become
# chunks of their own: split/tao-nguon.wasm is the main module, split/split_<chunk>.wasm the
# chunks (chunk_<n>.wasm: code shared by two of them) and split/__wasm_split.js the loader
# that fetches a chunk beside itself on first use.
rm -rf "$front/split" "$front/bindgen"
wasm-split-cli --target web --out-name tao-nguon "$wasm_out" "$front/split"

say "wasm-bindgen"
# The chunks link against the main module's own exports: wasm-bindgen must keep them.
wasm-bindgen --target web --no-typescript --keep-lld-exports --no-demangle \
  --out-dir "$front/bindgen" --out-name tao-nguon "$front/split/tao-nguon.wasm"
# The build's files gather in out/; bindgen/ keeps the modules as wasm-bindgen left them
# (with names, for profiling: see tests/bench/keystroke-profile.mjs).
rm -rf "$front/out" && mkdir -p "$front/out"
cp "$front/bindgen/tao-nguon.js" "$front/split/__wasm_split.js" "$front/out/"
# split_<name>.wasm: a named chunk; chunk_<n>.wasm: code two named chunks share.
for chunk in "$front/split"/split_*.wasm "$front/split"/chunk_*.wasm; do
  if [ -e "$chunk" ]; then cp "$chunk" "$front/bindgen/"; fi
done
[ "$profile" = dev ] || say "wasm-opt -Oz"
for module in "$front/bindgen"/*.wasm; do
  out="$front/out/$(basename "$module")"
  if [ "$profile" = dev ]; then
    cp "$module" "$out"
  else
    # Rust's wasm32 output uses these post-MVP features; wasm-opt must be told it may keep them.
    wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
      --enable-mutable-globals --enable-reference-types --enable-multivalue -o "$out" "$module"
  fi
done
cp style/main.css "$front/out/tao-nguon.css"

# One directory per build, named by the hash of everything in it: the main module and its
# chunks load each other by relative names, so they are always of the same build, and a page
# of an older build still finds its own files while a newer one is deployed.
build="b-$(cd "$front/out" && sha256sum -- * | sha256sum | cut -c1-16)"
rm -rf "$pkg.tmp" && mkdir -p "$pkg.tmp/$build"
cp "$front/out"/* "$pkg.tmp/$build/"

# Quality 11 for what users download; a quick one for the much larger development build.
quality=$([ "$profile" = dev ] && echo 4 || echo 11)
for f in "$pkg.tmp/$build"/*; do
  brotli -q "$quality" -f -k -o "$f.br" "$f"
  gzip -9 -n -k -f "$f"
done

# Swap in the new pkg/ whole, so a running server never sees a half-written one. The builds
# before it stay (pkg/b-*): a tab still running one of them may yet fetch one of its chunks.
mkdir -p "$site"
if [ -d "$pkg" ]; then
  for old in "$pkg"/b-*; do
    if [ -d "$old" ] && [ ! -e "$pkg.tmp/$(basename "$old")" ]; then mv "$old" "$pkg.tmp/"; fi
  done
fi
rm -rf "$pkg.old"
[ -d "$pkg" ] && mv "$pkg" "$pkg.old"
mv "$pkg.tmp" "$pkg"
rm -rf "$pkg.old"
# ... but not forever: a build goes once it is a month old and three newer ones exist (a tab
# left open that long has been offered the update many times; its service worker keeps the
# files of the version before the current one in any case).
ls -dt "$pkg"/b-* | tail -n +4 | while read -r old; do
  if [ -n "$(find "$old" -maxdepth 0 -mtime +30)" ]; then rm -rf "$old"; fi
done
cp style/favicon.svg "$site/favicon.svg"
# The web app manifest and its icons (a phone adds the app to its home screen from them).
cp frontend/manifest.webmanifest "$site/manifest.webmanifest"
rm -rf "$site/icons.tmp" && cp -r style/icons "$site/icons.tmp" && rm -rf "$site/icons" && mv "$site/icons.tmp" "$site/icons"

# The service worker: not hashed (browsers look for it at one URL, revalidated each visit),
# versioned by what it caches and by its own code: the build, the manifest, the icons and
# frontend/sw.js. CORE is what every device precaches on its first visit: the main module and
# the chunks everyone uses (EVERYONE: the editor, a chunk so that the login form does not wait
# for it); CHUNKS, by name, what a device precaches once a user whose role needs it has logged
# in. Code that chunks share is a chunk_<n>.wasm, which the loader says is for which chunks
# (`/* admin, review */` above its loader): with the core if everyone's chunk needs it, with
# each role chunk that needs it otherwise.
EVERYONE="editor"
version="$(printf '%s' "$build" | cat - frontend/sw.js "$site/manifest.webmanifest" "$site"/icons/*.png | sha256sum | cut -c1-16)"
core="\"/pkg/$build/tao-nguon.js\",\"/pkg/$build/tao-nguon_bg.wasm\",\"/pkg/$build/tao-nguon.css\",\"/pkg/$build/__wasm_split.js\""
declare -A role_files=()
for f in $(cd "$pkg/$build" && ls split_*.wasm 2>/dev/null); do
  name="${f#split_}"; name="${name%.wasm}"
  case " $EVERYONE " in
    *" $name "*) core="$core,\"/pkg/$build/$f\"" ;;
    *) role_files[$name]="\"/pkg/$build/$f\"" ;;
  esac
done
# "<n> <chunk>,<chunk>…" for each shared chunk, from the loader.
shared_users="$(awk '
  /^\/\* .* \*\/$/ { users = $0; gsub(/^\/\* | \*\/$| /, "", users); next }
  /^const __chunk_[0-9]+ = / { n = $2; sub(/^__chunk_/, "", n); print n, users; users = "" }
' "$pkg/$build/__wasm_split.js")"
for f in $(cd "$pkg/$build" && ls chunk_*.wasm 2>/dev/null); do
  n="${f#chunk_}"; n="${n%.wasm}"
  users="$(awk -v n="$n" '$1 == n { print $2 }' <<<"$shared_users")"
  for_everyone=0
  [ -z "$users" ] && for_everyone=1 # not said: every device gets it, so that nothing is missing offline
  for user in ${users//,/ }; do
    case " $EVERYONE " in *" $user "*) for_everyone=1 ;; esac
  done
  if [ "$for_everyone" = 1 ]; then
    core="$core,\"/pkg/$build/$f\""
  else
    for user in ${users//,/ }; do
      if [ -n "${role_files[$user]:-}" ]; then role_files[$user]="${role_files[$user]},\"/pkg/$build/$f\""; fi
    done
  fi
done
chunks=""
for name in $(printf '%s\n' "${!role_files[@]}" | sort); do
  chunks="$chunks,\"$name\":[${role_files[$name]}]"
done
# What the server's shell names: the main files, the loader and the chunks everyone uses.
core_chunks="$({ grep -oE '"/pkg/[^"]+\.wasm"' <<<"[$core]" || true; } | { grep -v '_bg\.wasm"' || true; } \
  | sed -E 's|"/pkg/([^"]+)"|"\1"|' | paste -sd, -)"
printf '{"js":"%s","wasm":"%s","css":"%s","loader":"%s","chunks":[%s]}\n' \
  "$build/tao-nguon.js" "$build/tao-nguon_bg.wasm" "$build/tao-nguon.css" "$build/__wasm_split.js" \
  "$core_chunks" > "$pkg/manifest.json.tmp"
mv "$pkg/manifest.json.tmp" "$pkg/manifest.json"
sed -e "s|__VERSION__|$version|" -e "s|__BUILD__|$build|" -e "s|__CORE__|[$core]|" -e "s|__CHUNKS__|{${chunks#,}}|" \
  frontend/sw.js > "$site/sw.js.tmp"
mv "$site/sw.js.tmp" "$site/sw.js"

say "xong: $site (bản build $build: $(cd "$pkg/$build" && ls -- *.wasm | tr '\n' ' '))"
