"""The generated bindings the parity test reads: uniffi's Python, Kotlin and Swift
(scripts/build-native) and the wasm package's TypeScript declarations (scripts/build-wasm)."""

import os
import pathlib
import sys
import tomllib

ROOT = pathlib.Path(__file__).resolve().parents[2]
UNIFFI = pathlib.Path(os.environ.get("INDICIA_UNIFFI_OUT", ROOT / "build" / "uniffi"))
WASM_PKG = pathlib.Path(os.environ.get("INDICIA_WASM_PKG", ROOT / "build" / "wasm" / "pkg"))
SWIFT = UNIFFI / "swift"


def swift_config(path):
    """[bindings.swift] of a crate's uniffi.toml: (module_name, FFI module name) or None."""
    swift = tomllib.loads(path.read_text(encoding="utf-8")).get("bindings", {}).get("swift")
    if swift is None or "module_name" not in swift:
        return None
    return swift["module_name"], swift.get("ffi_module_name", swift["module_name"] + "FFI")


# The Swift names of the operations' crate (what an app imports: docs/ios.md), and of every
# workspace crate that configures some: each uniffi crate the library holds gets its own .swift,
# FFI header and module map, all compiled into the one Swift module (uniffi's Swift calls the
# types of another crate without an import).
SWIFT_MODULE, SWIFT_FFI_MODULE = swift_config(ROOT / "bindings" / "uniffi" / "uniffi.toml")
SWIFT_CONFIGS = {
    path.relative_to(ROOT).as_posix(): swift_config(path)
    for path in sorted([*ROOT.glob("*/uniffi.toml"), *ROOT.glob("*/*/uniffi.toml")])
    if swift_config(path)
}
for needed in [UNIFFI / "python" / "indicia_uniffi.py", SWIFT, WASM_PKG / "indicia.d.ts"]:
    if not needed.exists():
        raise RuntimeError(f"{needed} is missing: run scripts/build-native and scripts/build-wasm")
sys.path.insert(0, str(UNIFFI / "python"))
