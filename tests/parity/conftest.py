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
# The Swift module names the generator was configured with (bindings/uniffi/uniffi.toml).
_SWIFT_CONFIG = tomllib.loads((ROOT / "bindings" / "uniffi" / "uniffi.toml").read_text(encoding="utf-8"))
SWIFT_MODULE = _SWIFT_CONFIG["bindings"]["swift"]["module_name"]
SWIFT_FFI_MODULE = _SWIFT_CONFIG["bindings"]["swift"]["ffi_module_name"]
for needed in [UNIFFI / "python" / "indicia_uniffi.py", SWIFT, WASM_PKG / "indicia.d.ts"]:
    if not needed.exists():
        raise RuntimeError(f"{needed} is missing: run scripts/build-native and scripts/build-wasm")
sys.path.insert(0, str(UNIFFI / "python"))
