// A file store with one draft case, in $INDICIA_BENCH_DIR (default: the temp dir), for the
// measurement examples. Created with the phone's KDF parameters, as shipped.

use indicia_core::store::{FileBackend, KdfParams, Store};
use secrecy::SecretString;

/// The store's directory (removed when dropped), the unlocked store, and the case id.
pub fn store_with_a_case() -> (tempfile::TempDir, Store, String) {
    let dir = tempfile::tempdir_in(
        std::env::var_os("INDICIA_BENCH_DIR").unwrap_or_else(|| std::env::temp_dir().into()),
    )
    .unwrap();
    let pin = SecretString::from("4821".to_owned());
    let mut store = Store::create(
        Box::new(FileBackend::new(dir.path().join("store.sqlite"))),
        &pin,
        KdfParams::MOBILE,
    )
    .unwrap();
    let case = store.create_case("benchmark", None).unwrap();
    (dir, store, case)
}
