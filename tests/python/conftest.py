"""Puts the generated uniffi Python module (build/uniffi/python by default) on sys.path."""

import os
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
BINDINGS = pathlib.Path(os.environ.get("INDICIA_PY_BINDINGS", ROOT / "build" / "uniffi" / "python"))
if not (BINDINGS / "indicia_uniffi.py").exists():
    raise RuntimeError(f"no generated Python bindings in {BINDINGS}: run scripts/build-native")
sys.path.insert(0, str(BINDINGS))


def cli_path() -> pathlib.Path:
    target = os.environ.get("CARGO_TARGET_DIR", str(pathlib.Path.home() / ".cache" / "indicia" / "target"))
    return pathlib.Path(os.environ.get("INDICIA_CLI", pathlib.Path(target) / "debug" / "indicia"))
