//! The browser backend: SQLite (sqlite-wasm-rs) on the Origin Private File System through the
//! `opfs-sahpool` VFS of sqlite-wasm-vfs. It needs a dedicated Worker (synchronous access
//! handles exist only there); docs/decisions/0002-browser-store-opfs.md says why this and not
//! IndexedDB.

use std::cell::RefCell;

use rusqlite::Connection;
use sqlite_wasm_vfs::sahpool::{self, OpfsSAHPoolCfgBuilder, OpfsSAHPoolUtil};

use super::backend::{open_flags, Backend};
use super::error::StoreError;

/// The name under which the VFS is registered with SQLite, and its OPFS directory.
const VFS_NAME: &str = "indicia-opfs";
const DIRECTORY: &str = ".indicia-store";

thread_local! {
    // The pool's handle is not `Send` (it holds JS objects); wasm32 has one thread per worker,
    // so a backend finds the pool here instead of carrying it.
    static POOL: RefCell<Option<OpfsSAHPoolUtil>> = const { RefCell::new(None) };
}

fn storage_error(what: &str) -> StoreError {
    StoreError::Storage(format!("browser storage: {what}"))
}

fn with_pool<T>(
    f: impl FnOnce(&OpfsSAHPoolUtil) -> Result<T, StoreError>,
) -> Result<T, StoreError> {
    POOL.with(|pool| match pool.borrow().as_ref() {
        Some(util) => f(util),
        None => Err(storage_error(
            "OPFS storage is not installed in this worker (call install_opfs first)",
        )),
    })
}

/// Opens this worker's OPFS pool and registers the VFS with SQLite. Call it once per Worker
/// before any `OpfsBackend` is used; later calls return at once. Fails outside a dedicated
/// Worker, and where the browser offers no OPFS (some private-browsing modes).
pub async fn install_opfs() -> Result<(), StoreError> {
    if POOL.with(|pool| pool.borrow().is_some()) {
        return Ok(());
    }
    let config = OpfsSAHPoolCfgBuilder::new()
        .vfs_name(VFS_NAME)
        .directory(DIRECTORY)
        .build();
    // The error's text names the failing browser API; it carries no store content.
    let util = sahpool::install::<sqlite_wasm_rs::WasmOsCallback>(&config, false)
        .await
        .map_err(|e| storage_error(&e.to_string()))?;
    POOL.with(|pool| *pool.borrow_mut() = Some(util));
    Ok(())
}

/// Names of the files this worker's OPFS pool holds (databases and their journals), e.g.
/// `/indicia.sqlite`. A quick delete leaves none of its store's names here.
pub fn opfs_files() -> Result<Vec<String>, StoreError> {
    with_pool(|pool| Ok(pool.list()))
}

/// A store database in the browser's Origin Private File System.
#[derive(Debug, Clone)]
pub struct OpfsBackend {
    name: String,
}

impl OpfsBackend {
    /// A store named `name` (a plain file name such as `indicia.sqlite`) in this origin's OPFS.
    /// Fails unless `install_opfs` has run in this worker.
    pub fn new(name: &str) -> Result<OpfsBackend, StoreError> {
        let valid = !name.is_empty()
            && name.len() <= 64
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'));
        if !valid {
            return Err(StoreError::Storage(
                "a browser store name is 1 to 64 characters from A-Z a-z 0-9 . - _".into(),
            ));
        }
        with_pool(|_| Ok(()))?;
        Ok(OpfsBackend {
            name: format!("/{name}"),
        })
    }

    fn journal(&self) -> String {
        format!("{}-journal", self.name)
    }
}

impl Backend for OpfsBackend {
    fn exists(&self) -> bool {
        with_pool(|pool| Ok(pool.exists(&self.name).unwrap_or(false))).unwrap_or(false)
    }

    fn connect(&self, create: bool) -> Result<Connection, StoreError> {
        with_pool(|_| Ok(()))?;
        Ok(Connection::open_with_flags_and_vfs(
            &self.name,
            open_flags(self, create)?,
            VFS_NAME,
        )?)
    }

    fn destroy(&self) -> Result<(), StoreError> {
        // Deleting a pool file truncates it to its header: the content goes, not just the name.
        with_pool(|pool| {
            for name in [self.name.clone(), self.journal()] {
                pool.delete_db(&name)
                    .map_err(|e| storage_error(&e.to_string()))?;
            }
            Ok(())
        })
    }

    fn journal_mode(&self) -> &'static str {
        // The pool has no shared memory, so no WAL; a truncated journal keeps no old pages.
        "TRUNCATE"
    }
}
