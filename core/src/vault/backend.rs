//! Where a store's SQLite database lives. Every backend runs the same store code and passes the
//! same conformance suite (core/tests/store_conformance.rs).

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};

use super::error::StoreError;

/// A place for one store's database.
pub trait Backend: Send {
    /// Whether a database exists here.
    fn exists(&self) -> bool;
    /// Opens the database, creating it when `create` is set.
    fn connect(&self, create: bool) -> Result<Connection, StoreError>;
    /// Removes every file of the database (after its keys were destroyed and it was closed).
    fn destroy(&self) -> Result<(), StoreError>;
    /// SQLite's journal mode here: WAL where the VFS has shared memory, a rollback journal
    /// where it has not (the browser's OPFS pool).
    fn journal_mode(&self) -> &'static str {
        "WAL"
    }
}

/// Flags for opening a named database read-write, creating it when `create` is set; `NoStore`
/// when it must already exist and does not.
pub(super) fn open_flags(backend: &dyn Backend, create: bool) -> Result<OpenFlags, StoreError> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    if create {
        Ok(flags | OpenFlags::SQLITE_OPEN_CREATE)
    } else if backend.exists() {
        Ok(flags)
    } else {
        Err(StoreError::NoStore)
    }
}

/// A database file on the device (the field app on Android/iOS, the receiver on a desktop).
#[derive(Debug, Clone)]
pub struct FileBackend {
    path: PathBuf,
}

impl FileBackend {
    /// A store at `path` (SQLite adds `-wal` and `-shm` files beside it).
    pub fn new(path: impl Into<PathBuf>) -> FileBackend {
        FileBackend { path: path.into() }
    }

    /// The database path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn companions(&self) -> Vec<PathBuf> {
        ["", "-wal", "-shm", "-journal"]
            .iter()
            .map(|suffix| {
                let mut p = self.path.clone().into_os_string();
                p.push(suffix);
                PathBuf::from(p)
            })
            .collect()
    }
}

impl Backend for FileBackend {
    fn exists(&self) -> bool {
        self.path.exists()
    }

    fn connect(&self, create: bool) -> Result<Connection, StoreError> {
        Ok(Connection::open_with_flags(
            &self.path,
            open_flags(self, create)?,
        )?)
    }

    fn destroy(&self) -> Result<(), StoreError> {
        for path in self.companions() {
            match std::fs::remove_file(&path) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => {
                    return Err(StoreError::Storage(format!(
                        "cannot remove a store file: {}",
                        e.kind()
                    )))
                }
            }
        }
        Ok(())
    }
}

/// A store that lives only in memory (tests, and sessions that must leave nothing behind).
/// The database lasts as long as this value.
#[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
pub struct MemoryBackend {
    uri: String,
    // SQLite frees a shared in-memory database when its last connection closes; this one keeps
    // it alive between the store's own connections.
    keeper: std::sync::Mutex<Option<Connection>>,
}

#[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
impl std::fmt::Debug for MemoryBackend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MemoryBackend")
            .field("uri", &self.uri)
            .finish()
    }
}

#[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
impl MemoryBackend {
    /// A fresh, empty in-memory place.
    pub fn new() -> Result<MemoryBackend, StoreError> {
        let id: [u8; 16] = super::crypto::random_bytes()?;
        let name = crate::hex::encode(&id);
        Ok(MemoryBackend {
            uri: format!("file:indicia-{name}?mode=memory&cache=shared"),
            keeper: std::sync::Mutex::new(None),
        })
    }

    fn flags() -> OpenFlags {
        OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_URI
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
    }
}

#[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
impl Backend for MemoryBackend {
    fn exists(&self) -> bool {
        self.keeper.lock().map(|k| k.is_some()).unwrap_or(false)
    }

    fn connect(&self, create: bool) -> Result<Connection, StoreError> {
        let mut keeper = self
            .keeper
            .lock()
            .map_err(|_| StoreError::Storage("memory backend lock poisoned".into()))?;
        if keeper.is_none() {
            if !create {
                return Err(StoreError::NoStore);
            }
            *keeper = Some(Connection::open_with_flags(&self.uri, Self::flags())?);
        }
        Ok(Connection::open_with_flags(&self.uri, Self::flags())?)
    }

    fn destroy(&self) -> Result<(), StoreError> {
        let mut keeper = self
            .keeper
            .lock()
            .map_err(|_| StoreError::Storage("memory backend lock poisoned".into()))?;
        *keeper = None;
        Ok(())
    }
}

/// In the browser SQLite is built without shared cache, so the database is a named file in
/// sqlite-wasm-rs's in-memory VFS (the default VFS there), removed when this value is dropped.
#[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
#[derive(Debug)]
pub struct MemoryBackend {
    name: String,
}

#[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
type MemVfs = sqlite_wasm_rs::MemVfsUtil<sqlite_wasm_rs::WasmOsCallback>;

#[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
impl MemoryBackend {
    /// A fresh, empty in-memory place.
    pub fn new() -> Result<MemoryBackend, StoreError> {
        let id: [u8; 16] = super::crypto::random_bytes()?;
        let name = crate::hex::encode(&id);
        Ok(MemoryBackend {
            name: format!("/indicia-memory-{name}"),
        })
    }
}

#[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
impl Backend for MemoryBackend {
    fn exists(&self) -> bool {
        MemVfs::new().exists(&self.name)
    }

    fn connect(&self, create: bool) -> Result<Connection, StoreError> {
        Ok(Connection::open_with_flags(
            &self.name,
            open_flags(self, create)?,
        )?)
    }

    fn destroy(&self) -> Result<(), StoreError> {
        let vfs = MemVfs::new();
        vfs.delete_db(&self.name);
        vfs.delete_db(&format!("{}-journal", self.name));
        Ok(())
    }

    fn journal_mode(&self) -> &'static str {
        // The in-memory VFS has no shared memory for a WAL.
        "TRUNCATE"
    }
}

#[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
impl Drop for MemoryBackend {
    fn drop(&mut self) {
        // Like the native shared in-memory database, the data goes with the backend.
        let _ = self.destroy();
    }
}
