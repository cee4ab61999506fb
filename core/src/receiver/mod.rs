//! The receiving unit's database (docs/formats/receiver.md): the reports it ingested, its trust
//! list and its receipt-signing key, in a vault (crate::vault; docs/formats/store.md) — every
//! value sealed under a data key wrapped by the unit's passphrase, row keys keyed hashes, every
//! row checked for tampering at unlock. The unit's age identity stays in its own (passphrase
//! protected) identity file: this database never holds it.
//!
//! # Example
//!
//! ```rust
//! # #[cfg(feature = "zxcvbn")] { // a passphrase needs an estimator
//! use indicia_core::package::{seal_standalone, DeviceKey, StandaloneCase};
//! use indicia_core::receiver::{Receiver, TrustKind};
//! use indicia_core::vault::{KdfParams, MemoryBackend, Protection};
//! use indicia_core::{Armor, ErrorKind, Identity};
//! use secrecy::SecretString;
//!
//! let unit = Identity::generate();
//! let passphrase = SecretString::from("correct horse battery staple".to_owned());
//! let protection = Protection::passphrase(KdfParams::TESTING);
//! let backend = Box::new(MemoryBackend::new()?);
//! let recipient = unit.recipient().to_string();
//! let mut receiver =
//!     Receiver::create(backend, &passphrase, &protection, "National unit", &recipient)?;
//!
//! let device = DeviceKey::generate()?;
//! let case = StandaloneCase {
//!     organisation: "sk.ngo-a".into(),
//!     title: "Harbour".into(),
//!     ..Default::default()
//! };
//! let to = [receiver.unit_card()?.to_json()];
//! let (package, report) = seal_standalone(&case, &[], &device, &to, Armor::Binary)?;
//! let identities = std::slice::from_ref(&unit);
//!
//! // A package from a device key not on the trust list is refused.
//! let refused = receiver.ingest(&package[..], identities, "harbour.age").unwrap_err();
//! assert_eq!(refused.kind(), ErrorKind::UntrustedSigner);
//! receiver.trust_add(TrustKind::Device, &device.info().public_key, "sk.ngo-a", None)?;
//! let outcome = receiver.ingest(&package[..], identities, "harbour.age")?;
//! assert_eq!(outcome.report_id, report.report_id);
//! assert_eq!(receiver.list(false)?[0].title, "Harbour");
//! // The signature and the signed bytes were kept: the report can be re-checked at any time.
//! assert_eq!(receiver.verify_report(&report.report_id)?.attachments, 0);
//! # }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod error;
mod evidence;
mod feedback;
mod pipeline;
mod reports;
mod trust;

use secrecy::SecretString;
use serde::{Deserialize, Serialize};

use crate::package::{DeviceKey, UnitCard};
use crate::vault::{Backend, Protection, StoreError, Vault};

pub use error::ReceiverError;
pub use evidence::{EvidenceBundle, ReportCheck, MAX_REASON_CHARS};
pub use pipeline::{BUFFER_BYTES, WINDOW};
pub use reports::{
    Duplicate, IngestOutcome, IssuedReceipt, ReportDetail, ReportOutcome, ReportSummary,
    StoredReport, BATCH,
};
pub use trust::{TrustEntry, TrustKind, TrustState};

/// What the database knows about its own unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct UnitInfo {
    name: String,
    recipient: String,
    created: i64,
}

/// A receiver database: locked after [`Receiver::open`], unlocked after [`Receiver::create`]
/// or [`Receiver::unlock`].
#[derive(Debug)]
pub struct Receiver {
    vault: Vault,
}

const ROLE: &[u8] = b"receiver";
/// The receiver's page cache: a unit's desktop has the memory, and an ingest touches index pages
/// all over a database of tens of megabytes (SQLite's default cache is 2 MB).
const CACHE_KIB: u32 = 64 * 1024;
/// WAL pages before SQLite checkpoints them into the database (its default is 1,000, 16 MiB at
/// the receiver's 16 KiB pages, which one ingest batch exceeds: a checkpoint, with its fsyncs,
/// after every commit). 8,192 pages is a WAL of up to 128 MiB, sealed rows only, checkpointed
/// and removed when the database closes.
const WAL_AUTOCHECKPOINT_PAGES: u32 = 8_192;

impl Receiver {
    /// Creates the database for the unit called `name` whose age recipient (from its identity
    /// file) is `recipient`; generates the unit's receipt-signing key. Left unlocked.
    pub fn create(
        backend: Box<dyn Backend>,
        passphrase: &SecretString,
        protection: &Protection,
        name: &str,
        recipient: &str,
    ) -> Result<Receiver, ReceiverError> {
        if name.trim().is_empty() || name.chars().count() > 200 {
            return Err(ReceiverError::InvalidInput(
                "the unit name is empty or longer than 200 characters",
            ));
        }
        crate::keys::parse_recipients(&[recipient]).map_err(|_| {
            ReceiverError::InvalidInput("the unit recipient is not an age1… recipient")
        })?;
        let mut vault = Vault::create(backend, passphrase, protection, Some(16 * 1024))?;
        vault.write_values_apart();
        vault.set_cache_kib(CACHE_KIB)?;
        vault.set_wal_autocheckpoint(WAL_AUTOCHECKPOINT_PAGES)?;
        let info = UnitInfo {
            name: name.trim().to_owned(),
            recipient: recipient.to_owned(),
            created: crate::clock::now(),
        };
        vault.atomically(|v| {
            v.set_meta("role", ROLE)?;
            v.put(&v.row_key("unit", &[])?, &info)?;
            let key = DeviceKey::generate().map_err(|_| StoreError::Random)?;
            v.put_raw(&v.row_key("unit-key", &[])?, key.secret().as_slice())
        })?;
        Ok(Receiver { vault })
    }

    /// Opens an existing receiver database, locked. A field store is refused.
    pub fn open(backend: Box<dyn Backend>) -> Result<Receiver, ReceiverError> {
        let mut vault = Vault::open(backend)?;
        vault.write_values_apart();
        vault.set_cache_kib(CACHE_KIB)?;
        vault.set_wal_autocheckpoint(WAL_AUTOCHECKPOINT_PAGES)?;
        if vault.meta("role")?.as_deref() != Some(ROLE) {
            return Err(ReceiverError::Unsupported(
                "this database is not a receiver database (a field store?)",
            ));
        }
        Ok(Receiver { vault })
    }

    /// Unlocks with the unit's passphrase (every row is checked for tampering: `Tampered`).
    pub fn unlock(&mut self, passphrase: &SecretString) -> Result<(), StoreError> {
        self.vault.unlock(passphrase, None)
    }

    /// Forgets the keys.
    pub fn lock(&mut self) {
        self.vault.lock();
    }

    /// Replaces the passphrase with a new data key: every row re-sealed ([`Vault::rekey`]).
    pub fn rekey(
        &mut self,
        current: &SecretString,
        new: &SecretString,
        protection: &Protection,
    ) -> Result<(), StoreError> {
        self.vault.rekey(current, None, new, protection)
    }

    fn unit(&self) -> Result<UnitInfo, StoreError> {
        self.vault
            .get(&self.vault.row_key("unit", &[])?)?
            .ok_or(StoreError::Tampered)
    }

    fn signing_key(&self) -> Result<DeviceKey, StoreError> {
        let secret = self
            .vault
            .get_raw(&self.vault.row_key("unit-key", &[])?)?
            .ok_or(StoreError::Tampered)?;
        DeviceKey::from_secret(&secret).ok_or(StoreError::Tampered)
    }

    /// The unit's name.
    pub fn unit_name(&self) -> Result<String, StoreError> {
        Ok(self.unit()?.name)
    }

    /// The card field devices import: name, age recipient, receipt-signing key, signed with
    /// that key (docs/formats/receipt.md).
    pub fn unit_card(&self) -> Result<UnitCard, StoreError> {
        let unit = self.unit()?;
        // Signed afresh each time (Ed25519 is deterministic: the same card every time), so a
        // database made before cards were signed hands out signed cards too.
        UnitCard::signed(&unit.name, &unit.recipient, &self.signing_key()?)
            .map_err(|_| StoreError::Tampered)
    }
}
