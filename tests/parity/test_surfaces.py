"""Parity of the binding surfaces: the operations uniffi exposes (Kotlin, Swift and Python are
generated from the same metadata; read here from the generated Python module, checked in the
generated Kotlin, and read again from the generated Swift, which must have exactly the same set)
and those the wasm package exposes (read from its generated .d.ts) are the same set, apart from
the commented host-specific calls below. Names are compared in snake_case
(`CaseStore.createCase` is `CaseStore.create_case`). No operation list is written by hand: a
binding that drops or adds an operation fails here until the other follows or the difference is
written down with its reason."""

import inspect
import re

import indicia_core
import indicia_uniffi
from conftest import ROOT, SWIFT, SWIFT_MODULE, UNIFFI, WASM_PKG

# Calls only the phones' and Python's surface has, with why the browser has no equivalent.
UNIFFI_ONLY = {
    # A store or receiver in a file path; the browser's stores live in OPFS (CaseStore.*_in_browser).
    "CaseStore.create", "CaseStore.open", "Receiver.create", "Receiver.open",
    # Streams a package to a file; the browser hands the bytes to a download instead.
    "CaseStore.seal_case_to_file",
    # Argon2id for phones; the browser build always uses its own parameters.
    "mobile_kdf",
    # Keystore/Keychain wrap of the data key; the browser's equivalent is the WebCrypto pair below.
    "CaseStore.add_platform_key",
    # A hardware monotonic counter: browsers have none.
    "CaseStore.set_rollback_counter",
    # The host answers the challenge synchronously through HostDeviceSecret; the browser's
    # passkey answers asynchronously, so it reads the challenge (deviceChallenge) instead.
    "CaseStore.is_device_bound",
    # uniffi has no JSON value type: answers cross as a JSON string (wasm: CaseStore.answers).
    "CaseStore.answers_json",
    # The receiving unit's side (receiver database, correlation, selectors) is native only:
    # the browser package is the field side (issue #10, "wasm takes store only").
    "Receiver.correlate_by_region_json", "Receiver.correlate_json", "Receiver.ingest_bytes", "Receiver.ingest_file",
    "Receiver.issue_receipt", "Receiver.list", "Receiver.read_attachment", "Receiver.rekey",
    "Receiver.report_json", "Receiver.trust_add_device", "Receiver.trust_add_organisation",
    "Receiver.trust_list", "Receiver.trust_revoke", "Receiver.unit_card_json",
    "Receiver.unit_name", "Receiver.verify_report", "Receiver.evidence", "Receiver.custody",
    "Receiver.quarantine", "Receiver.release", "Receiver.delete_report",
    "extract_selectors", "normalise_selector",
}

# Calls only the browser's surface has.
WASM_ONLY = {
    # wasm-bindgen's module loading and the OPFS storage set-up.
    "init_sync", "install_browser_storage",
    # Stores in this origin's OPFS (native: a file path).
    "CaseStore.create_in_browser", "CaseStore.open_in_browser", "CaseStore.exists_in_browser",
    # WebAuthn PRF steps: the page makes the challenge, asks the passkey, then creates/unlocks.
    "CaseStore.new_device_challenge", "CaseStore.device_challenge",
    # The WebCrypto platform key: the page wraps the data key itself (native: HostPlatformKey).
    "CaseStore.platform_data_key", "CaseStore.platform_wrapped", "CaseStore.set_platform_wrapped",
    # Typed answers (uniffi: answers_json).
    "CaseStore.answers",
    # The web build's per-language files of the built-in checklists (checklists/ID.LANG.bin),
    # which the page fetches instead of the whole definition; native hosts hold the built-ins.
    "checklist_language_subset",
    # The browser's two modules: the page's checklist module runs checklists in their compiled
    # form (docs/formats/compiled-checklist.md), which the full module makes, so that the page
    # carries no JSON loader or validator (issue #13's size budget). Native hosts have one
    # library and load definitions directly.
    "compile_checklist", "ChecklistSession.from_compiled",
    # The browser's store module carries no built-in definition: its worker hands each in
    # (native builds have them compiled in, feature embedded-checklists).
    "provide_builtin_checklist",
}

# Gaps still to close. The test fails when one closes, so the list only shrinks.
KNOWN_GAPS_UNIFFI = set()

# Records and enums a binding may define itself, with why the core has no such type. Everything
# else a host sees is the core's own type (uniffi derives, namespace indicia_core; tsify for the
# .d.ts), so no binding copies one.
UNIFFI_OWN_TYPES = {
    # A fresh age identity handed to the host as text: the core keeps identities in secrecy
    # types and never as a plain string field.
    "KeyPair",
    # A typed answer for Kotlin/Swift (the core takes answers as JSON values; the browser passes
    # JSON-like JS values directly).
    "AnswerValue",
}
# TypeScript written by hand in bindings/wasm/src (typescript_custom_section).
WASM_OWN_TYPES = {
    # The JSON shapes of an answer (the core's answers are serde_json values).
    "AnswerValue",
    # Generated from the core's error-kind list (with_error_kinds!), not copied.
    "ErrorKindName", "IndiciaError",
}


def snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def uniffi_operations() -> set:
    ops = set()
    for name, obj in vars(indicia_uniffi).items():
        if name.startswith("_") or getattr(obj, "__module__", None) != "indicia_uniffi":
            continue
        if inspect.isfunction(obj):
            ops.add(name)
        # Objects (not records, enums or errors) carry uniffi's handle; foreign-trait
        # implementations (Host*Impl) are the host's side, not operations.
        elif inspect.isclass(obj) and hasattr(obj, "_uniffi_clone_handle") and not name.endswith("Impl"):
            for member, value in vars(obj).items():
                if not member.startswith("_") and (callable(value) or isinstance(value, (classmethod, staticmethod))):
                    ops.add(f"{name}.{member}")
    return ops


def wasm_operations() -> set:
    ts = (WASM_PKG / "indicia.d.ts").read_text(encoding="utf-8")
    ops = {snake(f) for f in re.findall(r"^export function (\w+)\(", ts, re.M)}
    for cls, body in re.findall(r"^export class (\w+) \{(.*?)^\}", ts, re.M | re.S):
        for method in re.findall(r"^    (?:static )?(\w+)\(", body, re.M):
            if method != "free":
                ops.add(f"{cls}.{snake(method)}")
    return ops


def test_both_surfaces_are_read_from_the_generated_bindings():
    uniffi, wasm = uniffi_operations(), wasm_operations()
    # Sanity: the readers found the surfaces (a broken regex must not make everything "equal").
    assert {"CaseStore.create_case", "CaseStore.seal_case", "ChecklistSession.answer", "seal"} <= uniffi & wasm
    assert len(uniffi) > 50 and len(wasm) > 40


def test_uniffi_and_wasm_expose_the_same_operations_apart_from_the_listed_host_calls():
    uniffi, wasm = uniffi_operations(), wasm_operations()
    assert sorted(uniffi - wasm - UNIFFI_ONLY) == [], "in uniffi, missing from wasm"
    assert sorted(wasm - uniffi - WASM_ONLY - KNOWN_GAPS_UNIFFI) == [], "in wasm, missing from uniffi"


def test_every_listed_difference_is_still_a_difference():
    uniffi, wasm = uniffi_operations(), wasm_operations()
    assert sorted(UNIFFI_ONLY - (uniffi - wasm)) == [], "listed as uniffi-only but no longer"
    assert sorted(WASM_ONLY - (wasm - uniffi)) == [], "listed as wasm-only but no longer"
    assert sorted(KNOWN_GAPS_UNIFFI - (wasm - uniffi)) == [], "a known gap closed: take it off the list"


def test_the_generated_kotlin_has_every_uniffi_operation():
    kotlin = "\n".join(p.read_text(encoding="utf-8") for p in (UNIFFI / "kotlin").rglob("*.kt"))
    declared = set(re.findall(r"\bfun `?(\w+)`?\(", kotlin))

    def camel(name: str) -> str:
        head, *rest = name.split("_")
        return head + "".join(word.capitalize() for word in rest)

    missing = [op for op in uniffi_operations() if camel(op.split(".")[-1]) not in declared]
    assert missing == []


def uniffi_types(module) -> set:
    """Records and enums a generated uniffi module defines (not objects, errors or traits)."""
    names = set()
    for name, obj in vars(module).items():
        if name.startswith("_") or not inspect.isclass(obj) or getattr(obj, "__module__", None) != module.__name__:
            continue
        converter = vars(module).get(f"_UniffiFfiConverterType{name}")
        if converter is None or hasattr(obj, "_uniffi_clone_handle") or issubclass(obj, Exception):
            continue
        if name != "IndiciaError" and not name.startswith("Host"):
            names.add(name)
    return names


def wasm_hand_written_types() -> set:
    """Type names declared in TypeScript sections written in bindings/wasm/src."""
    names = set()
    for path in (ROOT / "bindings" / "wasm" / "src").rglob("*.rs"):
        text = path.read_text(encoding="utf-8")
        for section in re.findall(r"typescript_custom_section\)\]\s*const \w+: &str = (.*?);\n", text, re.S):
            names |= set(re.findall(r"export (?:interface|type) (\w+)", section))
        # The error-kind section is built with concat!; its names are in string pieces.
        names |= set(re.findall(r'"export (?:interface|type) (\w+)', text))
    return names


def test_the_core_types_are_the_ones_hosts_see():
    core = uniffi_types(indicia_core)
    assert {"CaseSummary", "Assessment", "QuestionView", "CaseStatus", "ReceiptStatus", "SealedPackage"} <= core
    ts = (WASM_PKG / "indicia.d.ts").read_text(encoding="utf-8")
    declared = set(re.findall(r"^export (?:interface|type) (\w+)", ts, re.M))
    # The browser's records come from the same core types (tsify), field for field.
    assert {"CaseSummary", "CaseRecord", "Assessment", "QuestionView", "CaseStatus", "SealedPackage",
            "StandaloneCase", "ChecklistInfo", "ImportedReceipt"} <= declared


def test_no_binding_defines_its_own_copy_of_a_record_or_enum():
    core = uniffi_types(indicia_core)
    own = uniffi_types(indicia_uniffi)
    assert sorted(own & core) == [], "a uniffi record or enum with a core type's name"
    assert sorted(own - UNIFFI_OWN_TYPES) == [], "a record or enum written in bindings/uniffi: derive it on the core type"
    assert sorted(UNIFFI_OWN_TYPES - own) == [], "listed as uniffi's own but gone: take it off the list"
    hand = wasm_hand_written_types()
    assert sorted(hand & core) == [], "a TypeScript type written by hand with a core type's name"
    assert sorted(hand - WASM_OWN_TYPES) == [], "a TypeScript type written in bindings/wasm: derive Tsify on the core type"
    assert sorted(WASM_OWN_TYPES - hand) == [], "listed as written by hand but gone: take it off the list"


# The generated Swift (uniffi 0.32, unformatted): an object is `open class Name: NameProtocol`,
# its constructors `public static func` and its methods `open func`, all at column 0; top-level
# functions are `public func`. Foreign-trait implementations (`open class HostXImpl: HostX`) are
# the host's side, as in the Python reader; FfiConverter*/uniffi* functions are plumbing.
SWIFT_TYPE = re.compile(r"^(?:public |open |fileprivate |private )?(?:class|struct|enum|protocol|extension)\b")
SWIFT_CLASS = re.compile(r"^open class (\w+): (\w+)")
SWIFT_METHOD = re.compile(r"^(?:open|public static) func `?(\w+)`?\(")
SWIFT_FUNCTION = re.compile(r"^public func `?(\w+)`?\(")


def swift_operations(swift: str) -> set:
    ops, cls = set(), None
    for number, line in enumerate(swift.splitlines(), 1):
        if m := SWIFT_CLASS.match(line):
            cls = m[1] if m[2] == f"{m[1]}Protocol" else "<impl>"
            assert cls != "<impl>" or m[1].endswith("Impl"), f"line {number}: unexpected class shape: {line}"
        elif SWIFT_TYPE.match(line):
            cls = None
        elif m := SWIFT_METHOD.match(line):
            assert cls is not None, f"line {number}: a method outside any class: {line}"
            if cls != "<impl>":
                ops.add(f"{cls}.{snake(m[1])}")
        elif m := SWIFT_FUNCTION.match(line):
            cls = None
            if not m[1].startswith(("FfiConverter", "uniffi")):
                ops.add(snake(m[1]))
    return ops


def swift_source() -> str:
    """Every generated .swift file: they form one Swift module (the operations' crate first)."""
    files = sorted(SWIFT.glob("*.swift"), key=lambda p: p.stem != SWIFT_MODULE)
    assert files and files[0].stem == SWIFT_MODULE
    return "\n".join(p.read_text(encoding="utf-8") for p in files)


def test_the_generated_swift_has_exactly_the_uniffi_operations():
    swift, uniffi = swift_operations(swift_source()), uniffi_operations()
    missing, extra = sorted(uniffi - swift), sorted(swift - uniffi)
    assert missing == [], f"in uniffi (Python), missing from Swift: {missing}"
    assert extra == [], f"in Swift, missing from uniffi (Python): {extra}"


def test_the_swift_reader_notices_a_missing_operation():
    # The comparison above is only as good as the reader: drop one method, one constructor and
    # one top-level function from the real file and the reader must miss exactly those.
    dropped = {
        "open func createCase(": "CaseStore.create_case",
        "public static func fromBuiltin(": "ChecklistSession.from_builtin",
        "public func seal(": "seal",
    }
    lines = swift_source().splitlines()
    kept = [line for line in lines if not line.startswith(tuple(dropped))]
    assert len(lines) - len(kept) == len(dropped)
    whole = swift_operations("\n".join(lines))
    assert set(dropped.values()) <= whole
    assert swift_operations("\n".join(kept)) == whole - set(dropped.values())
