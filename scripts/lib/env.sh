# Shared settings for every script: sourced, never run. Paths to tools that scripts/bootstrap
# installs, and the cache that lets a second run (or another clone) reuse build outputs.
# shellcheck shell=bash

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export ROOT

# Tools and build outputs shared across clones on this machine. Cargo locks its target dirs, and
# tool folders are keyed by version or lockfile hash, so sharing is safe.
INDICIA_CACHE="${INDICIA_CACHE:-$HOME/.cache/indicia}"
export INDICIA_CACHE
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$INDICIA_CACHE/target}"
# Overridable so that two clones can build the wasm package at once without sharing a lock.
WASM_TARGET_DIR="${WASM_TARGET_DIR:-$INDICIA_CACHE/target-wasm}"

# Versions of code generators come from Cargo.lock, where the workspace pins them with `=`.
lock_version() {
    awk -v name="$1" '$0 == "name = \"" name "\"" { getline; gsub(/version = |"/, ""); print; exit }' \
        "$ROOT/Cargo.lock"
}
WASM_BINDGEN_VERSION="$(lock_version wasm-bindgen)"
WASM_BINDGEN_ROOT="$INDICIA_CACHE/tools/wasm-bindgen-cli-$WASM_BINDGEN_VERSION"
WASM_BINDGEN="$WASM_BINDGEN_ROOT/bin/wasm-bindgen"

# npm tools (kotlin-compiler, playwright-core) live in a folder keyed by the lockfile's hash;
# tools/node_modules is a symlink to it.
NODE_TOOLS_HASH="$(cat "$ROOT/tools/package.json" "$ROOT/tools/package-lock.json" | sha256sum | cut -c1-16)"
NODE_TOOLS_DIR="$INDICIA_CACHE/node-tools-$NODE_TOOLS_HASH"
KOTLIN_HOME="$ROOT/tools/node_modules/kotlin-compiler"
KOTLINC="$KOTLIN_HOME/bin/kotlinc"
JNA_JAR=/usr/share/java/jna.jar

# Python virtual environment with the test requirements, keyed the same way.
PY_REQ_HASH="$(sha256sum "$ROOT/tools/requirements.txt" | cut -c1-16)"
PY_VENV="$INDICIA_CACHE/venv-$PY_REQ_HASH"
PYTHON="$PY_VENV/bin/python"

# The wasm32 std is built from Debian's rust-web-src with Debian's rustc-web (rustup cannot
# download a wasm32 std here); rustup's rust-lld links it (Debian's /usr/bin/rust-lld points at
# an lld that is not packaged for this release).
# SQLite's C code (sqlite-wasm-rs) is compiled for wasm32 by Debian's clang-19; cc-rs would look
# for a plain `clang`.
export CC_wasm32_unknown_unknown=clang-19
export AR_wasm32_unknown_unknown=llvm-ar-19
# Leaves SQLite features the store does not use out of the browser build (see the header).
export CFLAGS_wasm32_unknown_unknown="-include $ROOT/bindings/wasm/sqlite-features.h"
DEBIAN_CARGO=/usr/bin/cargo
DEBIAN_RUSTC=/usr/bin/rustc
rustup_lld() {
    echo "$(rustup run stable rustc --print sysroot)/lib/rustlib/x86_64-unknown-linux-gnu/bin/rust-lld"
}

# wasm_cargo SUBCOMMAND ARGS...: Debian's cargo for wasm32-unknown-unknown. RUSTC_BOOTSTRAP lets
# Debian's stable rustc take -Zbuild-std; no nightly features are used in our code. The target dir
# is separate from the native one: a different rustc builds it. `cargo test` runs the tests with
# wasm-bindgen-test-runner (in Chromium through chromedriver for worker tests).
wasm_cargo() {
    local sub=$1
    shift
    env -u RUSTUP_TOOLCHAIN RUSTC_BOOTSTRAP=1 RUSTC="$DEBIAN_RUSTC" CARGO_TARGET_DIR="$WASM_TARGET_DIR" \
        CHROMEDRIVER=/usr/bin/chromedriver \
        "$DEBIAN_CARGO" "$sub" --target wasm32-unknown-unknown -Zbuild-std=std,panic_abort \
        --config "target.wasm32-unknown-unknown.linker='$(rustup_lld)'" \
        --config "target.wasm32-unknown-unknown.runner='$WASM_BINDGEN_ROOT/bin/wasm-bindgen-test-runner'" \
        --config 'target.wasm32-unknown-unknown.rustflags=["--cfg","getrandom_backend=\"wasm_js\""]' \
        "$@"
}

# wasm_package OUT_DIR OUT_NAME [--names]: wasm-bindgen and wasm-opt over the release-wasm build
# just made, into OUT_DIR (OUT_NAME.js, OUT_NAME.d.ts, OUT_NAME_bg.wasm). --names keeps the
# function names (for scripts/bench wasm-size); the shipped packages have none, and neither debug
# sections nor the producers section (docs/benchmarks.md: each wasm-opt flag's saving).
# binaryen from npm: Debian's wasm-opt 108 rewrites the __wbindgen_externrefs export to point at
# the funcref table, and the module then fails to load. The features are those rustc enables.
wasm_package() {
    local out=$1 name=$2 keep=() names=(--strip-debug --strip-producers)
    if [ "${3:-}" = --names ]; then keep=(--keep-debug) names=(-g); fi
    rm -rf "$out"
    "$WASM_BINDGEN" --target web "${keep[@]}" --out-dir "$out" --out-name "$name" \
        "$WASM_TARGET_DIR/wasm32-unknown-unknown/release-wasm/indicia_wasm.wasm"
    "$ROOT/tools/node_modules/binaryen/bin/wasm-opt" -Oz --converge "${names[@]}" --enable-bulk-memory \
        --enable-reference-types --enable-sign-ext --enable-mutable-globals \
        --enable-nontrapping-float-to-int --enable-multivalue \
        "$out/${name}_bg.wasm" -o "$out/${name}_bg.opt.wasm"
    mv "$out/${name}_bg.opt.wasm" "$out/${name}_bg.wasm"
}

# wasm_build_full / wasm_build_store / wasm_build_checklist: the three modules of the one binding
# crate. All link to the same file, so each is packaged before the next is built. Their panics
# (bugs) trap at once, with no message formatting and no source locations: wasm32-unknown-unknown
# has nowhere to print a message, and leaving that code out takes 9 KB gzipped off the checklist
# module (docs/benchmarks.md). The flags add to wasm_cargo's rustflags.
WASM_RELEASE_RUSTFLAGS='target.wasm32-unknown-unknown.rustflags=["-Zunstable-options","-Cpanic=immediate-abort","-Zlocation-detail=none"]'
wasm_build_full() {
    wasm_cargo build --quiet --profile release-wasm -p indicia-wasm --config "$WASM_RELEASE_RUSTFLAGS"
}
# The store's module: what the app's store worker runs (the `store` feature without `full`).
wasm_build_store() {
    wasm_cargo build --quiet --profile release-wasm -p indicia-wasm --no-default-features \
        --features store --config "$WASM_RELEASE_RUSTFLAGS"
}
wasm_build_checklist() {
    wasm_cargo build --quiet --profile release-wasm -p indicia-wasm --no-default-features \
        --config "$WASM_RELEASE_RUSTFLAGS"
}

BUILD_DIR="$ROOT/build"
WASM_PKG="$BUILD_DIR/wasm/pkg"
WASM_STORE_PKG="$BUILD_DIR/wasm/pkg-store"
WASM_CHECKLIST_PKG="$BUILD_DIR/wasm/pkg-checklist"
# Whether scripts/build-wasm has left all three packages (scripts/build-web and scripts/serve
# build them first otherwise).
wasm_packages_built() {
    [ -f "$WASM_PKG/indicia_bg.wasm" ] && [ -f "$WASM_STORE_PKG/indicia_store_bg.wasm" ] &&
        [ -f "$WASM_CHECKLIST_PKG/indicia_checklist_bg.wasm" ]
}
UNIFFI_OUT="$BUILD_DIR/uniffi"
# The Kotlin bindings as checked in for the Android build (scripts/update-android-bindings).
ANDROID_BINDINGS="$ROOT/android/sdk/src/generated/kotlin"

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
