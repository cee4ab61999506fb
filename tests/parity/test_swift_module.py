"""The generated Swift package pieces (scripts/build-native, `--language swift`) fit together and
fit the built library, as far as this Linux machine can tell without a Swift toolchain:

- the three files carry the names set in bindings/uniffi/uniffi.toml, the module map names the
  header, the Swift file imports the module the map defines, and the iOS package manifest
  (bindings/uniffi/ios/Package.swift) uses the same names;
- every C function the Swift calls is declared in the header;
- the header, loaded as a Clang module through the module map (as Swift's importer loads it),
  compiles, links against the built library, and the library answers the contract version and
  the API checksums the Swift compares at its first call (a mismatch there is a crash on a phone);
- where `swiftc` exists, tests/swift/main.swift is compiled against the generated module and the
  library and run. Elsewhere that test is skipped, and scripts/test prints the reason.
"""

import os
import re
import shutil
import subprocess

import pytest
from conftest import ROOT, SWIFT, SWIFT_FFI_MODULE, SWIFT_MODULE, UNIFFI

SWIFT_FILE = SWIFT / f"{SWIFT_MODULE}.swift"
HEADER = SWIFT / f"{SWIFT_FFI_MODULE}.h"
MODULEMAP = SWIFT / f"{SWIFT_FFI_MODULE}.modulemap"
# The built library beside the Python module (scripts/build-native copies it there).
LIBDIR = UNIFFI / "python"
# Debian's clang, installed by scripts/bootstrap for the wasm build.
CLANG = shutil.which("clang-19") or shutil.which("clang")


def read(path):
    return path.read_text(encoding="utf-8")


def ffi_calls():
    """The C functions the Swift calls (uniffi's `uniffi_indicia_uniffi_*` / `ffi_indicia_uniffi_*`)."""
    return set(re.findall(r"\b((?:uniffi|ffi)_indicia_uniffi_\w+)\(", read(SWIFT_FILE)))


def test_the_generated_files_have_the_configured_names():
    assert sorted(p.name for p in SWIFT.iterdir()) == sorted(
        [SWIFT_FILE.name, HEADER.name, MODULEMAP.name]
    )


def test_the_module_map_names_the_header_and_the_swift_imports_that_module():
    modulemap = read(MODULEMAP)
    assert re.search(rf"^module {SWIFT_FFI_MODULE} \{{", modulemap, re.M), modulemap
    assert re.findall(r'^\s*header "([^"]+)"', modulemap, re.M) == [HEADER.name]
    swift = read(SWIFT_FILE)
    assert f"#if canImport({SWIFT_FFI_MODULE})\nimport {SWIFT_FFI_MODULE}\n" in swift


def test_the_ios_package_manifest_uses_the_configured_names():
    # scripts/build-ios copies it beside IndiciaCoreFFI.xcframework and Sources/IndiciaCore.
    manifest = read(ROOT / "bindings" / "uniffi" / "ios" / "Package.swift")
    assert f'.binaryTarget(name: "{SWIFT_FFI_MODULE}", path: "{SWIFT_FFI_MODULE}.xcframework")' in manifest
    assert (f'.target(name: "{SWIFT_MODULE}", dependencies: ["{SWIFT_FFI_MODULE}"], '
            f'path: "Sources/{SWIFT_MODULE}")') in manifest
    assert f'.library(name: "{SWIFT_MODULE}", targets: ["{SWIFT_MODULE}"])' in manifest


def test_every_c_function_the_swift_calls_is_declared_in_the_header():
    header = read(HEADER)
    declared = set(re.findall(r"\b((?:uniffi|ffi)_indicia_uniffi_\w+)\(", header))
    calls = ffi_calls()
    assert len(calls) > 100  # the reader found the calls
    assert sorted(calls - declared) == []


def test_the_ffi_module_loads_links_and_matches_the_library_checksums(tmp_path):
    assert CLANG, "clang-19 is missing: scripts/bootstrap installs it"
    swift = read(SWIFT_FILE)
    expected = dict(re.findall(r"\b(uniffi_indicia_uniffi_checksum_\w+)\(\) != (\d+)\)", swift))
    contract = re.search(r"let bindings_contract_version = (\d+)", swift)
    assert contract and len(expected) > 50
    # Objective-C only for `@import`: the module is found through the module map alone.
    program = tmp_path / "check.m"
    program.write_text(
        f"@import {SWIFT_FFI_MODULE};\n#include <stdio.h>\nint main(void) {{\n"
        '    printf("contract %u\\n", (unsigned) ffi_indicia_uniffi_uniffi_contract_version());\n'
        + "".join(f'    printf("{name} %u\\n", (unsigned) {name}());\n' for name in sorted(expected))
        + "    return 0;\n}\n",
        encoding="utf-8",
    )
    binary = tmp_path / "check"
    subprocess.run(
        [CLANG, "-x", "objective-c", "-fmodules", f"-fmodules-cache-path={tmp_path / 'modules'}",
         f"-fmodule-map-file={MODULEMAP}", str(program), f"-L{LIBDIR}", "-lindicia_uniffi",
         f"-Wl,-rpath,{LIBDIR}", "-o", str(binary)],
        check=True,
    )
    out = subprocess.run([str(binary)], check=True, capture_output=True, text=True).stdout
    answered = dict(line.split(" ") for line in out.splitlines())
    assert answered.pop("contract") == contract[1]
    assert answered == expected


SWIFT_TEST = ROOT / "tests" / "swift" / "main.swift"


def swift_compile_commands(out):
    """tests/swift/main.swift against the generated module: IndiciaCore.swift becomes its own
    module (as in an app, which imports it), linked with the Rust library. The flags follow
    uniffi's own Swift test harness (uniffi_bindgen 0.32.2, bindings/swift/test.rs); Swift 5
    language mode, as in bindings/uniffi/ios/Package.swift."""
    ffi = ["-swift-version", "5", "-Xcc", f"-fmodule-map-file={MODULEMAP}", "-I", str(SWIFT)]
    link = ["-L", str(LIBDIR), "-lindicia_uniffi", "-Xlinker", "-rpath", "-Xlinker", str(LIBDIR)]
    return [
        ["swiftc", "-parse-as-library", "-emit-library", "-emit-module", "-module-name", SWIFT_MODULE,
         *ffi, str(SWIFT_FILE), "-emit-module-path", str(out / f"{SWIFT_MODULE}.swiftmodule"),
         *link, "-o", str(out / f"lib{SWIFT_MODULE}.so")],
        ["swiftc", *ffi, "-I", str(out), str(SWIFT_TEST), "-L", str(out), f"-l{SWIFT_MODULE}",
         "-Xlinker", "-rpath", "-Xlinker", str(out), *link, "-o", str(out / "indicia-swift-test")],
    ]


@pytest.mark.skipif(
    shutil.which("swiftc") is None,
    reason="no Swift toolchain (swiftc) on this machine: the generated Swift was NOT compiled; "
    "tests/swift/main.swift runs where swiftc exists",
)
def test_the_generated_swift_compiles_and_runs_against_the_library(tmp_path):
    for command in swift_compile_commands(tmp_path):
        subprocess.run(command, check=True)
    run = subprocess.run(
        [str(tmp_path / "indicia-swift-test")], capture_output=True, text=True,
        env={**os.environ, "LD_LIBRARY_PATH": f"{tmp_path}:{LIBDIR}"},
    )
    print(run.stdout, run.stderr)
    assert run.returncode == 0
    assert re.search(r"^swift checks ok: (\d+)/\1$", run.stdout, re.M), run.stdout
