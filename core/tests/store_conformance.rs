//! The store conformance suite (core/tests/conformance/suite.rs) against the native backends:
//! `FileBackend` in a temporary directory and `MemoryBackend`. The browser's OPFS backend runs
//! the same suite in Chromium (bindings/wasm/tests/store_conformance.rs).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code

use indicia_core::store::{FileBackend, MemoryBackend};

include!("conformance/suite.rs");

struct FilePlace {
    dir: tempfile::TempDir,
}

impl FilePlace {
    fn new() -> FilePlace {
        FilePlace {
            dir: tempfile::tempdir().unwrap(),
        }
    }
}

impl Place for FilePlace {
    fn backend(&self) -> Box<dyn Backend> {
        Box::new(FileBackend::new(self.dir.path().join("store.sqlite")))
    }

    fn files(&self) -> Option<Vec<String>> {
        let mut files: Vec<String> = std::fs::read_dir(self.dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        files.sort();
        Some(files)
    }
}

struct MemoryPlace {
    shared: Shared<MemoryBackend>,
}

impl MemoryPlace {
    fn new() -> MemoryPlace {
        MemoryPlace {
            shared: Shared(std::sync::Arc::new(MemoryBackend::new().unwrap())),
        }
    }
}

impl Place for MemoryPlace {
    fn backend(&self) -> Box<dyn Backend> {
        Box::new(self.shared.clone())
    }

    fn files(&self) -> Option<Vec<String>> {
        None
    }
}

/// Every behaviour against every native backend: `file_backend::NAME`, `memory_backend::NAME`.
macro_rules! native_tests {
    ($($name:ident),* $(,)?) => {
        mod file_backend {
            $( #[test] fn $name() { super::$name(&super::FilePlace::new()); } )*
        }
        mod memory_backend {
            $( #[test] fn $name() { super::$name(&super::MemoryPlace::new()); } )*
        }
    };
}

for_each_behaviour!(native_tests);
