// A file store with one draft case, in $INDICIA_BENCH_DIR (default: the temp dir), for the
// measurement tools. Created with the phone's KDF parameters, as shipped.

use indicia_core::store::{FileBackend, KdfParams, Protection, Store};
use secrecy::SecretString;

/// A fresh directory in $INDICIA_BENCH_DIR (default: the temp dir), removed when dropped.
pub fn fixture_dir() -> tempfile::TempDir {
    tempfile::tempdir_in(
        std::env::var_os("INDICIA_BENCH_DIR").unwrap_or_else(|| std::env::temp_dir().into()),
    )
    .unwrap()
}

/// The file system type under `path` (from /proc/mounts: the longest mount point prefix).
pub fn describe(path: &std::path::Path) -> String {
    let path = path.to_string_lossy().into_owned();
    let mounts = std::fs::read_to_string("/proc/mounts").unwrap_or_default();
    mounts
        .lines()
        .filter_map(|l| {
            let mut f = l.split(' ');
            let (_, point, kind) = (f.next()?, f.next()?, f.next()?);
            path.starts_with(point)
                .then(|| (point.len(), format!("{kind} at {point}")))
        })
        .max()
        .map_or_else(|| "file system unknown".into(), |(_, d)| d)
}

/// The store's directory (removed when dropped), the unlocked store, and the case id.
pub fn store_with_a_case() -> (tempfile::TempDir, Store, String) {
    let dir = fixture_dir();
    let pin = SecretString::from("tidal-amber-orchard".to_owned());
    let mut store = Store::create(
        Box::new(FileBackend::new(dir.path().join("store.sqlite"))),
        &pin,
        &Protection::passphrase(KdfParams::MOBILE),
    )
    .unwrap();
    let case = store.create_case("benchmark", None).unwrap();
    (dir, store, case)
}
