//! The receiving unit's database (docs/formats/receiver.md) for analysts' scripts (Python) and
//! Kotlin: a file-backed receiver with its trust list; ingest, list, show and correlate reports;
//! issue receipts. The core receiver sits behind a mutex.

use std::collections::{BTreeMap, HashMap};
use std::io::BufReader;
use std::sync::{Arc, Mutex};

use indicia_core::custody::CustodyEvent;
use indicia_core::package::ReceiptStatus;
use indicia_core::receiver::{
    EvidenceBundle, IngestOutcome, Receiver as Core, ReportCheck, ReportSummary, TrustEntry,
    TrustKind,
};
use indicia_core::store::{FileBackend, KdfParams};
use indicia_core::{parse_identities, Armor, Identity};
use secrecy::SecretString;

use crate::IndiciaError;

fn file(path: String) -> Box<FileBackend> {
    Box::new(FileBackend::new(path))
}

fn secret(text: String) -> SecretString {
    SecretString::from(text)
}

/// Identity strings or identity file texts, any number each.
fn identities(texts: Vec<String>) -> Result<Vec<Identity>, IndiciaError> {
    Ok(parse_identities(&secret(texts.join("\n")))?)
}

fn json(encoded: serde_json::Result<String>) -> Result<String, IndiciaError> {
    encoded.map_err(|_| IndiciaError::StoreFailure("cannot encode the result as JSON".into()))
}

/// A receiving unit's database in a file, protected by the unit's passphrase. The unit's age
/// identity is not kept in it: ingest takes it each time.
#[derive(uniffi::Object)]
pub struct Receiver {
    inner: Mutex<Core>,
}

impl Receiver {
    fn wrap(receiver: Core) -> Arc<Self> {
        Arc::new(Receiver {
            inner: Mutex::new(receiver),
        })
    }

    fn with<T, E: Into<IndiciaError>>(
        &self,
        f: impl FnOnce(&mut Core) -> Result<T, E>,
    ) -> Result<T, IndiciaError> {
        let mut guard = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        f(&mut guard).map_err(Into::into)
    }
}

#[uniffi::export]
impl Receiver {
    /// Creates the database at `path` for the unit called `name` whose age recipient (from its
    /// identity file) is `recipient`; generates the unit's receipt-signing key. Left unlocked.
    #[uniffi::constructor]
    pub fn create(
        path: String,
        passphrase: String,
        kdf: KdfParams,
        name: String,
        recipient: String,
    ) -> Result<Arc<Self>, IndiciaError> {
        let receiver = Core::create(
            file(path),
            &secret(passphrase),
            &indicia_core::store::Protection::passphrase(kdf),
            &name,
            &recipient,
        )?;
        Ok(Self::wrap(receiver))
    }

    /// Opens the database at `path` and unlocks it with the unit's passphrase (`WrongPin` if it
    /// is wrong; a field store is refused with `UnsupportedInput`).
    #[uniffi::constructor]
    pub fn open(path: String, passphrase: String) -> Result<Arc<Self>, IndiciaError> {
        let mut receiver = Core::open(file(path))?;
        receiver.unlock(&secret(passphrase))?;
        Ok(Self::wrap(receiver))
    }

    /// Re-keys the database under `new` (a new data key, every row re-sealed).
    pub fn rekey(&self, current: String, new: String, kdf: KdfParams) -> Result<(), IndiciaError> {
        self.with(|r| {
            r.rekey(
                &secret(current),
                &secret(new),
                &indicia_core::store::Protection::passphrase(kdf),
            )
        })
    }

    /// The unit's name.
    pub fn unit_name(&self) -> Result<String, IndiciaError> {
        self.with(|r| r.unit_name())
    }

    /// The card field devices import (`CaseStore.add_unit`): name, age recipient, receipt key.
    pub fn unit_card_json(&self) -> Result<String, IndiciaError> {
        self.with(|r| r.unit_card()).map(|card| card.to_json())
    }

    /// Trusts an Ed25519 device key (64 hex digits) to report for `organisation`. Adding it
    /// again for the same organisation changes nothing; a revoked key, or one trusted for
    /// another organisation, is refused (`InvalidState`).
    pub fn trust_add_device(
        &self,
        public_key: String,
        organisation: String,
        label: Option<String>,
    ) -> Result<TrustEntry, IndiciaError> {
        self.with(|r| {
            r.trust_add(
                TrustKind::Device,
                &public_key,
                &organisation,
                label.as_deref(),
            )
        })
    }

    /// Adds an organisation's age recipient: receipts for its reports are encrypted to it too.
    pub fn trust_add_organisation(
        &self,
        recipient: String,
        organisation: String,
        label: Option<String>,
    ) -> Result<TrustEntry, IndiciaError> {
        self.with(|r| {
            r.trust_add(
                TrustKind::Organisation,
                &recipient,
                &organisation,
                label.as_deref(),
            )
        })
    }

    /// The whole trust list, in the order entries were added.
    pub fn trust_list(&self) -> Result<Vec<TrustEntry>, IndiciaError> {
        self.with(|r| r.trust_list())
    }

    /// Revokes an entry by key id (or key): packages it signs are refused from now on; reports
    /// received earlier stay, marked. `NotFound` if there is no such entry.
    pub fn trust_revoke(&self, key_id: String) -> Result<TrustEntry, IndiciaError> {
        self.with(|r| r.trust_revoke(&key_id))
    }

    /// Ingests the package file at `path` (binary or armored), streamed, with the unit's
    /// identities (identity strings or identity file texts): decrypts, verifies the signature
    /// and every attachment, checks the signer against the trust list (`UntrustedSigner`), and
    /// stores it — or counts it as a duplicate.
    pub fn ingest_file(
        &self,
        path: String,
        identities: Vec<String>,
    ) -> Result<IngestOutcome, IndiciaError> {
        let identities = self::identities(identities)?;
        let input = std::fs::File::open(&path)
            .map_err(|e| IndiciaError::Io(format!("cannot open the package file: {}", e.kind())))?;
        self.with(|r| r.ingest(BufReader::new(input), &identities, &path))
    }

    /// Ingests a package held in memory, as `ingest_file` does; `source` is recorded as where it
    /// came from.
    pub fn ingest_bytes(
        &self,
        package: Vec<u8>,
        identities: Vec<String>,
        source: String,
    ) -> Result<IngestOutcome, IndiciaError> {
        let identities = self::identities(identities)?;
        self.with(|r| r.ingest(&package[..], &identities, &source))
    }

    /// The report list, in arrival order; without the reports of revoked signers if
    /// `exclude_revoked` (each summary says `signer_revoked` either way).
    #[uniffi::method(default(exclude_revoked = false))]
    pub fn list(&self, exclude_revoked: bool) -> Result<Vec<ReportSummary>, IndiciaError> {
        self.with(|r| r.list(exclude_revoked))
    }

    /// A report (by id, or a unique prefix of at least 8 digits) as JSON: `manifest` (the
    /// verified manifest), `content_hash`, `received_at`, `source`, `receipts` (issued),
    /// `signer_revoked_at` (Unix seconds, or null while the signing device key is trusted).
    pub fn report_json(&self, report: String) -> Result<String, IndiciaError> {
        json(serde_json::to_string(
            &self.with(|r| r.report_detail(&report))?,
        ))
    }

    /// Attachment `index` (0-based, manifest order) of a report, checked against its size and
    /// SHA-256.
    pub fn read_attachment(&self, report: String, index: u32) -> Result<Vec<u8>, IndiciaError> {
        self.with(|r| {
            let mut out = Vec::new();
            r.read_attachment(&report, index as usize, &mut out)?;
            Ok::<_, indicia_core::receiver::ReceiverError>(out)
        })
    }

    /// Clusters of reports from at least `min_organisations` organisations that share a
    /// selector, as JSON: `[{"shared": [{"kind", "value"}], "reports": [...],
    /// "organisations": [...], "revoked_reports": [...]}]`. National phone numbers are read in
    /// `default_region` (e.g. SK). Reports of revoked signers are listed in `revoked_reports`,
    /// or left out if `exclude_revoked`.
    #[uniffi::method(default(exclude_revoked = false))]
    pub fn correlate_json(
        &self,
        min_organisations: u32,
        default_region: Option<String>,
        exclude_revoked: bool,
    ) -> Result<String, IndiciaError> {
        let clusters = self.with(|r| {
            r.correlate(
                min_organisations as usize,
                default_region.as_deref(),
                exclude_revoked,
            )
        })?;
        json(serde_json::to_string(&clusters))
    }

    /// As `correlate_json`, with the national phone numbers of each organisation's reports read
    /// in its own region: `organisation_regions` maps organisation ids to ISO 3166-1 alpha-2
    /// codes (`{"ua.ngo": "UA"}`); `default_region` serves the others. An unknown code is
    /// `InvalidSelector`. `exclude_revoked` as for `correlate_json`.
    #[uniffi::method(default(exclude_revoked = false))]
    pub fn correlate_by_region_json(
        &self,
        min_organisations: u32,
        default_region: Option<String>,
        organisation_regions: HashMap<String, String>,
        exclude_revoked: bool,
    ) -> Result<String, IndiciaError> {
        for code in default_region.iter().chain(organisation_regions.values()) {
            indicia_core::correlate::check_region(code)?;
        }
        let regions: BTreeMap<String, String> = organisation_regions.into_iter().collect();
        let clusters = self.with(|r| {
            r.correlate_by_region(
                min_organisations as usize,
                default_region.as_deref(),
                &regions,
                exclude_revoked,
            )
        })?;
        json(serde_json::to_string(&clusters))
    }

    /// Issues a receipt for a report (id or unique prefix): `status` says how far
    /// the unit got with it. Signed by the unit, encrypted to the report's
    /// `reply_to` and its organisation's keys on the trust list, recorded with the report.
    /// Returns the receipt's age file (binary) to send back. `UntrustedSigner` if the device
    /// key that signed the report was revoked, unless `to_revoked_signer` (the receipt would
    /// tell whoever holds that device that the unit has the report).
    #[uniffi::method(default(to_revoked_signer = false))]
    pub fn issue_receipt(
        &self,
        report: String,
        status: ReceiptStatus,
        note: Option<String>,
        to_revoked_signer: bool,
    ) -> Result<Vec<u8>, IndiciaError> {
        self.with(|r| {
            r.issue_receipt(
                &report,
                status,
                note.as_deref(),
                Armor::Binary,
                to_revoked_signer,
            )
        })
        .map(|(_, sealed)| sealed)
    }

    /// Re-verifies a stored report (id or unique prefix) from the signed bytes kept at ingest:
    /// the device signature and the manifest (`BadSignature`, `CorruptInput`), every attachment's size and SHA-256 (`CorruptInput`), the report's custody chain.
    /// `NotFound` for a report received before the unit kept signatures.
    pub fn verify_report(&self, report: String) -> Result<ReportCheck, IndiciaError> {
        self.with(|r| r.verify_report(&report))
    }

    /// Re-verifies a report and gives what a third party needs to check it without Indicia
    /// (docs/evidence.md); records `evidence_exported` in its custody log. The attachments
    /// come from `read_attachment`.
    pub fn evidence(&self, report: String) -> Result<EvidenceBundle, IndiciaError> {
        self.with(|r| r.evidence(&report))
    }

    /// A report's custody log at the unit (received, receipts, quarantine, exports, deletion),
    /// oldest first; kept after the report is deleted.
    pub fn custody(&self, report: String) -> Result<Vec<CustodyEvent>, IndiciaError> {
        self.with(|r| r.custody(&report))
    }

    /// Quarantines a report (kept, marked, left out of correlation) with a reason of 1-200
    /// characters (`InvalidState` otherwise), recorded in its custody log.
    pub fn quarantine(&self, report: String, reason: String) -> Result<(), IndiciaError> {
        self.with(|r| r.quarantine(&report, &reason))
    }

    /// Ends a report's quarantine.
    pub fn release(&self, report: String) -> Result<(), IndiciaError> {
        self.with(|r| r.release(&report))
    }

    /// Deletes a report's content for good; its custody log stays, with the reason, and the
    /// same report id is refused from then on (`InvalidState`).
    pub fn delete_report(&self, report: String, reason: String) -> Result<(), IndiciaError> {
        self.with(|r| r.delete_report(&report, &reason))
    }
}
