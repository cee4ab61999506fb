// Opening vectors with Debian's Go `age` (INDICIA_AGE: another binary): shared by the package and
// receipt vector tests.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Every file in `dir/valid` opens with `age -d -i dir/KEY`, and its plaintext starts with `magic`.
pub fn assert_valid_vectors_open(dir: &Path, key: &str, magic: &[u8]) {
    let age = std::env::var_os("INDICIA_AGE")
        .map(PathBuf::from)
        .unwrap_or_else(|| "age".into());
    for entry in std::fs::read_dir(dir.join("valid")).unwrap() {
        let path = entry.unwrap().path();
        let out = Command::new(&age)
            .args(["-d", "-i"])
            .arg(dir.join(key))
            .arg(&path)
            .output()
            .expect("Debian's `age` on PATH (scripts/bootstrap installs it)");
        assert!(
            out.status.success(),
            "{}: {}",
            path.display(),
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(&out.stdout[..magic.len()], magic, "{}", path.display());
    }
}
