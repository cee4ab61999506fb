"""The generated bindings the parity test reads: uniffi's Python and Kotlin (scripts/build-native)
and the wasm package's TypeScript declarations (scripts/build-wasm)."""

import os
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
UNIFFI = pathlib.Path(os.environ.get("INDICIA_UNIFFI_OUT", ROOT / "build" / "uniffi"))
WASM_PKG = pathlib.Path(os.environ.get("INDICIA_WASM_PKG", ROOT / "build" / "wasm" / "pkg"))
for needed in [UNIFFI / "python" / "indicia_uniffi.py", WASM_PKG / "indicia.d.ts"]:
    if not needed.exists():
        raise RuntimeError(f"{needed} is missing: run scripts/build-native and scripts/build-wasm")
sys.path.insert(0, str(UNIFFI / "python"))
