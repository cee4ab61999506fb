//! The store conformance suite (core/tests/conformance/suite.rs) in the browser: against the
//! OPFS backend in a dedicated Worker (where OPFS lives) and against the in-memory backend, run
//! in Chromium by wasm-bindgen-test-runner (scripts/test, "wasm store conformance").

#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code

use indicia_core::store::{install_opfs, opfs_files, MemoryBackend, OpfsBackend};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_dedicated_worker);

include!("../../../core/tests/conformance/suite.rs");

/// A store in this origin's OPFS under a fresh random name, removed when the test ends.
struct OpfsPlace {
    name: String,
    shared: Shared<OpfsBackend>,
}

impl OpfsPlace {
    async fn new() -> OpfsPlace {
        install_opfs().await.unwrap();
        let mut id = [0u8; 8];
        getrandom::getrandom(&mut id).unwrap();
        let name = format!("conformance-{}.sqlite", indicia_core::hex::encode(&id));
        let backend = OpfsBackend::new(&name).unwrap();
        OpfsPlace {
            name,
            shared: Shared(std::sync::Arc::new(backend)),
        }
    }
}

impl Place for OpfsPlace {
    fn backend(&self) -> Box<dyn Backend> {
        Box::new(self.shared.clone())
    }

    fn files(&self) -> Option<Vec<String>> {
        let prefix = format!("/{}", self.name);
        Some(
            opfs_files()
                .unwrap()
                .into_iter()
                .filter(|f| f.starts_with(&prefix))
                .collect(),
        )
    }
}

impl Drop for OpfsPlace {
    fn drop(&mut self) {
        // Frees the pool's slots for the next test (the stores of the test are closed by now).
        let _ = self.shared.destroy();
    }
}

struct MemoryPlace {
    shared: Shared<MemoryBackend>,
}

impl Place for MemoryPlace {
    fn backend(&self) -> Box<dyn Backend> {
        Box::new(self.shared.clone())
    }

    fn files(&self) -> Option<Vec<String>> {
        None
    }
}

/// Every behaviour against both browser backends: `opfs_backend::NAME`, `memory_backend::NAME`.
macro_rules! browser_tests {
    ($($name:ident),* $(,)?) => {
        mod opfs_backend {
            $(
                #[wasm_bindgen_test::wasm_bindgen_test]
                async fn $name() {
                    super::$name(&super::OpfsPlace::new().await);
                }
            )*
        }
        mod memory_backend {
            $(
                #[wasm_bindgen_test::wasm_bindgen_test]
                fn $name() {
                    let place = super::MemoryPlace {
                        shared: super::Shared(std::sync::Arc::new(
                            super::MemoryBackend::new().unwrap(),
                        )),
                    };
                    super::$name(&place);
                }
            )*
        }
    };
}

for_each_behaviour!(browser_tests);
