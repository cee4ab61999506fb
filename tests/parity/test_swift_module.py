"""The generated Swift package pieces (scripts/build-native, `--language swift`) fit together and
fit the built library, as far as this Linux machine can tell without a Swift toolchain:

- uniffi writes, for each uniffi crate in the library, NAME.swift, the C header it calls and a
  module map naming that header; the operations' crate's files carry the names set in
  bindings/uniffi/uniffi.toml, no two crates share a Swift name (one would overwrite the other's
  file), the Swift imports the module its map defines, and the iOS package manifest
  (bindings/uniffi/ios/Package.swift) and scripts/build-ios use the same names;
- every C function the Swift calls is declared in a header;
- the headers, loaded as Clang modules through the module maps (as Swift's importer loads them),
  compile, link against the built library, and the library answers the contract version and the
  API checksums the Swift compares at its first call (a mismatch there is a crash on a phone);
- where `swiftc` exists, tests/swift/main.swift is compiled against the generated module and the
  library and run. Elsewhere that test is skipped, and scripts/test prints the reason.
"""

import os
import re
import shutil
import subprocess

import pytest
from conftest import ROOT, SWIFT, SWIFT_CONFIGS, SWIFT_FFI_MODULE, SWIFT_MODULE, UNIFFI

# The built library beside the Python module (scripts/build-native copies it there).
LIBDIR = UNIFFI / "python"
# Debian's clang, installed by scripts/bootstrap for the wasm build.
CLANG = shutil.which("clang-19") or shutil.which("clang")
FFI_CALL = re.compile(r"\b((?:uniffi|ffi)_indicia_\w+)\(")


def read(path):
    return path.read_text(encoding="utf-8")


def swift_files():
    return sorted(SWIFT.glob("*.swift"))


def ffi_module_of(swift_file):
    """The C module a generated .swift file imports (`#if canImport(X)` / `import X`)."""
    found = re.findall(r"^#if canImport\((\w+)\)\nimport \1$", read(swift_file), re.M)
    assert len(found) == 1, f"{swift_file.name}: {found}"
    return found[0]


def modulemaps():
    return sorted(SWIFT.glob("*.modulemap"))


def test_the_generated_files_have_the_configured_names():
    names = {p.name for p in SWIFT.iterdir()}
    assert {f"{SWIFT_MODULE}.swift", f"{SWIFT_FFI_MODULE}.h", f"{SWIFT_FFI_MODULE}.modulemap"} <= names
    # One .swift, .h and .modulemap per uniffi crate, and nothing else.
    ffi = [ffi_module_of(p) for p in swift_files()]
    assert sorted(names) == sorted(
        [p.name for p in swift_files()] + [f"{m}.h" for m in ffi] + [f"{m}.modulemap" for m in ffi]
    )


def test_no_two_crates_configure_the_same_swift_names():
    # The generator writes MODULE.swift and FFI.h per crate into one folder: equal names mean
    # one crate's file silently replaces another's.
    modules = [module for module, _ in SWIFT_CONFIGS.values()]
    ffis = [ffi for _, ffi in SWIFT_CONFIGS.values()]
    assert len(set(modules)) == len(modules), SWIFT_CONFIGS
    assert len(set(ffis)) == len(ffis), SWIFT_CONFIGS
    assert {f"{module}.swift" for module in modules} <= {p.name for p in swift_files()}


def test_each_module_map_names_its_header_and_the_swift_imports_that_module():
    for swift_file in swift_files():
        ffi = ffi_module_of(swift_file)
        modulemap = read(SWIFT / f"{ffi}.modulemap")
        assert re.search(rf"^module {ffi} \{{", modulemap, re.M), modulemap
        assert re.findall(r'^\s*header "([^"]+)"', modulemap, re.M) == [f"{ffi}.h"]


def test_the_ios_package_manifest_and_build_script_use_the_configured_names():
    # scripts/build-ios lays the XCFramework out beside Sources/IndiciaCore and this manifest.
    manifest = read(ROOT / "bindings" / "uniffi" / "ios" / "Package.swift")
    assert f'.binaryTarget(name: "{SWIFT_FFI_MODULE}", path: "{SWIFT_FFI_MODULE}.xcframework")' in manifest
    assert (f'.target(name: "{SWIFT_MODULE}", dependencies: ["{SWIFT_FFI_MODULE}"], '
            f'path: "Sources/{SWIFT_MODULE}")') in manifest
    assert f'.library(name: "{SWIFT_MODULE}", targets: ["{SWIFT_MODULE}"])' in manifest
    script = read(ROOT / "scripts" / "build-ios")
    assert f'XCFRAMEWORK="{SWIFT_FFI_MODULE}.xcframework"' in script
    assert f'SWIFT_MODULE="{SWIFT_MODULE}"' in script


def test_every_c_function_the_swift_calls_is_declared_in_a_header():
    declared = set()
    for header in SWIFT.glob("*.h"):
        declared |= set(FFI_CALL.findall(read(header)))
    calls = set()
    for swift_file in swift_files():
        calls |= set(FFI_CALL.findall(read(swift_file)))
    assert len(calls) > 100  # the reader found the calls
    assert sorted(calls - declared) == []


def test_the_ffi_modules_load_link_and_match_the_library_checksums(tmp_path):
    assert CLANG, "clang-19 is missing: scripts/bootstrap installs it"
    # What each file's first call compares: the contract version and every API checksum.
    expected = {}
    for swift_file in swift_files():
        swift = read(swift_file)
        version = re.findall(r"let bindings_contract_version = (\d+)\n.*\n"
                             r"    let scaffolding_contract_version = (\w+)\(\)", swift)
        assert len(version) == 1, swift_file.name
        expected[version[0][1]] = version[0][0]
        expected.update(re.findall(r"\b(uniffi_indicia_\w+_checksum_\w+)\(\) != (\d+)\)", swift))
    assert len(expected) > 50
    # Objective-C only for `@import`: each module is found through its module map alone.
    program = tmp_path / "check.m"
    program.write_text(
        "".join(f"@import {ffi_module_of(p)};\n" for p in swift_files())
        + "#include <stdio.h>\nint main(void) {\n"
        + "".join(f'    printf("{name} %u\\n", (unsigned) {name}());\n' for name in sorted(expected))
        + "    return 0;\n}\n",
        encoding="utf-8",
    )
    binary = tmp_path / "check"
    subprocess.run(
        [CLANG, "-x", "objective-c", "-fmodules", f"-fmodules-cache-path={tmp_path / 'modules'}",
         *(f"-fmodule-map-file={m}" for m in modulemaps()), str(program), f"-L{LIBDIR}",
         "-lindicia_uniffi", f"-Wl,-rpath,{LIBDIR}", "-o", str(binary)],
        check=True,
    )
    out = subprocess.run([str(binary)], check=True, capture_output=True, text=True).stdout
    answered = dict(line.split(" ") for line in out.splitlines())
    assert answered == expected


SWIFT_TEST = ROOT / "tests" / "swift" / "main.swift"


def swift_compile_commands(out):
    """tests/swift/main.swift against the generated module: the generated .swift files become
    one module (as in an app, which imports it), linked with the Rust library. The flags follow
    uniffi's own Swift test harness (uniffi_bindgen 0.32.2, bindings/swift/test.rs); Swift 5
    language mode, as in bindings/uniffi/ios/Package.swift."""
    ffi = ["-swift-version", "5", "-I", str(SWIFT)]
    for modulemap in modulemaps():
        ffi += ["-Xcc", f"-fmodule-map-file={modulemap}"]
    link = ["-L", str(LIBDIR), "-lindicia_uniffi", "-Xlinker", "-rpath", "-Xlinker", str(LIBDIR)]
    return [
        ["swiftc", "-parse-as-library", "-emit-library", "-emit-module", "-module-name", SWIFT_MODULE,
         *ffi, *map(str, swift_files()), "-emit-module-path", str(out / f"{SWIFT_MODULE}.swiftmodule"),
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
