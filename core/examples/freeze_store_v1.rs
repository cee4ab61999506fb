//! Made the frozen first-schema store in tests/vectors/store-v1/ (see its README): `freeze_store_v1
//! PATH` writes a store with PIN "1234" (cheap test KDF) holding one case — title "frozen case",
//! answer `age_group = "adult"`, note "frozen note" — then folds the WAL into the database and
//! switches it to a rollback journal, so PATH is one self-contained file. The committed vector
//! must never be regenerated; this program records how it was made.

use indicia_core::store::{FileBackend, KdfParams, Store};
use secrecy::SecretString;
use serde_json::json;

fn main() {
    if let Err(e) = run() {
        eprintln!("freeze_store_v1: {e}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .ok_or("usage: freeze_store_v1 PATH")?;
    let pin = SecretString::from("1234".to_owned());
    {
        // Refuses an existing PATH (AlreadyExists): a vector is never overwritten.
        let mut store = Store::create(Box::new(FileBackend::new(&path)), &pin, KdfParams::TESTING)?;
        let id = store.create_case("frozen case", None)?;
        store.save_answer(&id, "age_group", &json!("adult"))?;
        store.add_note(&id, "frozen note")?;
    }
    let conn = rusqlite::Connection::open(&path)?;
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
    let mode: String = conn.query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))?;
    if mode != "delete" {
        return Err(format!("journal mode stayed {mode}").into());
    }
    conn.execute_batch("VACUUM;")?;
    drop(conn);
    for suffix in ["-wal", "-shm", "-journal"] {
        if std::path::Path::new(&format!("{path}{suffix}")).exists() {
            return Err(format!("{path}{suffix} is left over: the vector is not one file").into());
        }
    }
    println!("wrote {path}");
    Ok(())
}
