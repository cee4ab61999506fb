//! The receiving unit's database (docs/formats/receiver.md) for analysts' scripts (Python) and
//! Kotlin: a file-backed receiver with its trust list; ingest, list, show and correlate reports;
//! issue receipts. The core receiver sits behind a mutex.

use std::io::BufReader;
use std::sync::{Arc, Mutex};

use indicia_core::package::ReceiptStatus;
use indicia_core::receiver::{self, Receiver as Core, TrustKind};
use indicia_core::store::FileBackend;
use indicia_core::{parse_identities, Armor, Identity};
use secrecy::SecretString;

use crate::{IndiciaError, KdfSettings};

/// One trust list entry.
#[derive(uniffi::Record)]
pub struct TrustEntry {
    /// device or organisation.
    pub kind: String,
    /// Ed25519 public key in hex (device) or `age1…` recipient (organisation).
    pub key: String,
    /// What manifests name (device) and what `trust_revoke` takes.
    pub key_id: String,
    pub organisation: String,
    pub label: Option<String>,
    /// Unix seconds.
    pub added_at: i64,
    /// Unix seconds, once revoked.
    pub revoked_at: Option<i64>,
}

impl From<receiver::TrustEntry> for TrustEntry {
    fn from(e: receiver::TrustEntry) -> Self {
        TrustEntry {
            kind: e.kind.as_str().to_owned(),
            key: e.key,
            key_id: e.key_id,
            organisation: e.organisation,
            label: e.label,
            added_at: e.added_at,
            revoked_at: e.revoked_at,
        }
    }
}

/// Why a verified package was not stored again.
#[derive(uniffi::Enum)]
pub enum Duplicate {
    /// The same report id was received before (a replay or a second copy).
    ReportId { report_id: String },
    /// Another report with exactly this content was received before (the case sealed twice).
    Content { first_report_id: String },
}

/// What ingesting one package did.
#[derive(uniffi::Record)]
pub struct IngestOutcome {
    pub report_id: String,
    pub organisation: String,
    pub device_key_id: String,
    pub content_hash: String,
    /// Number of attachments (all verified).
    pub attachments: u64,
    /// None: stored now. Otherwise verified, counted once, not stored again.
    pub duplicate: Option<Duplicate>,
}

impl From<receiver::IngestOutcome> for IngestOutcome {
    fn from(o: receiver::IngestOutcome) -> Self {
        IngestOutcome {
            report_id: o.report_id,
            organisation: o.organisation,
            device_key_id: o.device_key_id,
            content_hash: o.content_hash,
            attachments: o.attachments as u64,
            duplicate: o.duplicate.map(|d| match d {
                receiver::Duplicate::ReportId(report_id) => Duplicate::ReportId { report_id },
                receiver::Duplicate::Content(first_report_id) => {
                    Duplicate::Content { first_report_id }
                }
            }),
        }
    }
}

/// One line of the report list.
#[derive(uniffi::Record)]
pub struct ReportSummary {
    pub report_id: String,
    pub organisation: String,
    pub device_key_id: String,
    /// Whether the signing key has been revoked since.
    pub signer_revoked: bool,
    /// Unix seconds, the device's clock.
    pub sealed_at: i64,
    /// Unix seconds.
    pub received_at: i64,
    pub title: String,
    pub checklist: Option<String>,
    /// The assessment's outcome label, if the report carries an assessment.
    pub outcome_label: Option<String>,
    /// The assessment's outcome level, if the report carries an assessment.
    pub outcome_level: Option<i64>,
    pub attachments: u64,
    /// The latest receipt's status, if one was issued.
    pub receipt_status: Option<String>,
    pub content_hash: String,
}

impl From<receiver::ReportSummary> for ReportSummary {
    fn from(r: receiver::ReportSummary) -> Self {
        let (outcome_label, outcome_level) = r.outcome.unzip();
        ReportSummary {
            report_id: r.report_id,
            organisation: r.organisation,
            device_key_id: r.device_key_id,
            signer_revoked: r.signer_revoked,
            sealed_at: r.sealed_at,
            received_at: r.received_at,
            title: r.title,
            checklist: r.checklist,
            outcome_label,
            outcome_level,
            attachments: r.attachments as u64,
            receipt_status: r.receipt_status.map(|s| s.as_str().to_owned()),
            content_hash: r.content_hash,
        }
    }
}

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
        kdf: KdfSettings,
        name: String,
        recipient: String,
    ) -> Result<Arc<Self>, IndiciaError> {
        let receiver = Core::create(
            file(path),
            &secret(passphrase),
            &indicia_core::store::Protection::passphrase(kdf.into()),
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
    pub fn rekey(
        &self,
        current: String,
        new: String,
        kdf: KdfSettings,
    ) -> Result<(), IndiciaError> {
        self.with(|r| {
            r.rekey(
                &secret(current),
                &secret(new),
                &indicia_core::store::Protection::passphrase(kdf.into()),
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
        .map(Into::into)
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
        .map(Into::into)
    }

    /// The whole trust list, in the order entries were added.
    pub fn trust_list(&self) -> Result<Vec<TrustEntry>, IndiciaError> {
        self.with(|r| r.trust_list())
            .map(|list| list.into_iter().map(Into::into).collect())
    }

    /// Revokes an entry by key id (or key): packages it signs are refused from now on; reports
    /// received earlier stay, marked. `NotFound` if there is no such entry.
    pub fn trust_revoke(&self, key_id: String) -> Result<TrustEntry, IndiciaError> {
        self.with(|r| r.trust_revoke(&key_id)).map(Into::into)
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
            .map(Into::into)
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
            .map(Into::into)
    }

    /// The report list, in arrival order.
    pub fn list(&self) -> Result<Vec<ReportSummary>, IndiciaError> {
        self.with(|r| r.list())
            .map(|list| list.into_iter().map(Into::into).collect())
    }

    /// A report (by id, or a unique prefix of at least 8 digits) as JSON: `manifest` (the
    /// verified manifest), `content_hash`, `received_at`, `source`, `receipts` (issued).
    pub fn report_json(&self, report: String) -> Result<String, IndiciaError> {
        json(serde_json::to_string(&self.with(|r| r.report(&report))?))
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
    /// "organisations": [...]}]`. National phone numbers are read in `default_region` (e.g. SK).
    pub fn correlate_json(
        &self,
        min_organisations: u32,
        default_region: Option<String>,
    ) -> Result<String, IndiciaError> {
        let clusters =
            self.with(|r| r.correlate(min_organisations as usize, default_region.as_deref()))?;
        json(serde_json::to_string(&clusters))
    }

    /// Issues a receipt for a report (id or unique prefix): `status` is received,
    /// investigating, referred or closed. Signed by the unit, encrypted to the report's
    /// `reply_to` and its organisation's keys on the trust list, recorded with the report.
    /// Returns the receipt's age file (binary) to send back.
    pub fn issue_receipt(
        &self,
        report: String,
        status: String,
        note: Option<String>,
    ) -> Result<Vec<u8>, IndiciaError> {
        let status: ReceiptStatus = status.parse()?;
        self.with(|r| r.issue_receipt(&report, status, note.as_deref(), Armor::Binary))
            .map(|(_, sealed)| sealed)
    }
}
