// Generated from core/checklists/*.json by the test `builtin::tests::the_table_is_that_of_the_shipped_files`:
// INDICIA_UPDATE_BUILTIN_TABLE=1 cargo test -p indicia-core --lib builtin:: rewrites it. Do not edit.

/// `(id, version, content hash)` of every built-in checklist, in the order a picker shows them.
pub(super) const BUILTINS: [(&str, &str, &str); 4] = [
    (
        "first-contact",
        "0.2.0",
        "sha256:81eb36d25bc495913b47faf8b38d295b92005b775193ef032ec2b9cc5827a50f",
    ),
    (
        "ilo-ec-delphi-adult-labour",
        "0.1.0",
        "sha256:b87717d25685c98d38383d1ff16764a5144e5d3f59c9f0452008f07bbc2a1567",
    ),
    (
        "ilo-ec-delphi-child-labour",
        "0.1.0",
        "sha256:6b070d6a0d3bc0e38384920a7ceaa8394ae5e2b9d8d1c3a33d24c965d3db9597",
    ),
    (
        "ilo-forced-labour-11",
        "0.1.0",
        "sha256:5550cc6c6545b6510d80628dabbd3a099a9c2906970fe6d0fc10dfad5f39b86b",
    ),
];

/// `(id, language, content hash)` of the language subsets (`builtin::language_subset`) of every
/// built-in checklist with more than one language.
pub(super) const LANGUAGE_SUBSETS: [(&str, &str, &str); 9] = [
    (
        "first-contact",
        "en",
        "sha256:289284274c1f98644c8eabae043cc3638e949e239388340128392f8bcc138668",
    ),
    (
        "first-contact",
        "sk",
        "sha256:bee469c92ba7e62434a789cdcfbc44df09fd8cf275c098ddfe731c970aabdfb3",
    ),
    (
        "first-contact",
        "bg",
        "sha256:b5764b5e897f4b142bea91754813e503a960179fe836f17dd9e00f06917589a7",
    ),
    (
        "first-contact",
        "es",
        "sha256:66bb9f69f51b7d76623b6d23d585b2e0cb0d5f0e18da12c43d03dc14f0323783",
    ),
    (
        "first-contact",
        "ca",
        "sha256:24246534a10788a81acd739fd3ba4dcf0841aead323ffc7c75e5434083cf88bb",
    ),
    (
        "first-contact",
        "el",
        "sha256:04e9e43f8aceca8f51342d0b12fa59879cfd294b9d9c9d8216eeea03a7a4a0df",
    ),
    (
        "first-contact",
        "pl",
        "sha256:eecdf921fa92d08f1b2e57041cbdd5390ccc58ad5845a762144ebdd012ed413b",
    ),
    (
        "first-contact",
        "it",
        "sha256:ab440b6442b9e0f835126b590a9158fc728cbae719db5a8939c9726658c70740",
    ),
    (
        "first-contact",
        "uk",
        "sha256:8d249a76b6b63105e292bb2100c9b52f2dca4504c3e6689a723da7fc5447da12",
    ),
];
