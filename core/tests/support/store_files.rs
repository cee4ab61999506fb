// Copying a store's files as an attacker with the disk would (tests only).

use std::path::{Path, PathBuf};

/// Copies the database at `from` and its `-wal` and `-shm` companions (where present) to `to`.
pub fn copy_files(from: &Path, to: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let src = PathBuf::from(format!("{}{suffix}", from.display()));
        if src.exists() {
            std::fs::copy(&src, format!("{}{suffix}", to.display())).unwrap();
        }
    }
}
