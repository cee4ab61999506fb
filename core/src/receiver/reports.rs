//! Received reports: ingest (decrypt, verify, check the signer, de-duplicate, store — attachments
//! streamed in sealed chunks), list, show, attachments and correlation.
//!
//! Rows (all sealed, keys are keyed hashes): `report`[id] → [`StoredReport`]; `content`[hash] →
//! the report id first received with that content; `report-chunk`[id, attachment, n] → attachment
//! bytes; `report-index`[n] → segments of report ids in arrival order, `report-index-len` → how
//! many. Ingest appends to the index in memory and writes a segment when it fills and the rest
//! once per transaction ([`IndexTail`]), never the whole index.

use std::collections::BTreeMap;
use std::io::{self, BufRead, Read, Write};

use serde::{Deserialize, Serialize};

use super::pipeline::Opened;
use super::Receiver;
use super::ReceiverError;
use crate::correlate::{clusters, report_selectors, Cluster, ReportSelectors};
use crate::keys::Identity;
use crate::package::{Manifest, ReceiptStatus, SignedBytes};
use crate::vault::{ChunkWriter, StoreError, Vault, CHUNK_BYTES};

/// Report ids per index segment (a new report rewrites one segment of at most this many).
const INDEX_SEGMENT: u64 = 64;

/// Packages per transaction in [`Receiver::ingest_batch`] and [`Receiver::ingest_parallel`].
/// Row keys are keyed hashes, so a batch's rows land on random B-tree pages, and every page a
/// batch dirties is written to the WAL once per commit (and once more at the checkpoint): the
/// more reports a commit carries, the fewer page writes each report costs. 5,000 rather than
/// 500 halved the time of a new report on ext4 (docs/benchmarks.md, "Ingest: fewer page
/// writes"); what a crash can lose is the uncommitted batch, whose files go in again.
pub const BATCH: usize = 5_000;

/// A receipt this unit issued for a report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuedReceipt {
    /// Its id.
    pub receipt_id: String,
    /// Its status.
    pub status: ReceiptStatus,
    /// Its note.
    pub note: Option<String>,
    /// Unix seconds.
    pub issued_at: i64,
}

/// A report as the receiver keeps it.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredReport {
    /// The verified manifest.
    pub manifest: Manifest,
    /// Its content hash.
    pub content_hash: String,
    /// When it was ingested, Unix seconds.
    pub received_at: i64,
    /// Where it came from (the file name given to ingest).
    pub source: String,
    /// Receipts issued for it, oldest first.
    pub receipts: Vec<IssuedReceipt>,
    /// When an analyst quarantined it (Unix seconds), if it is quarantined: it stays, marked,
    /// and is left out of correlation ([`Receiver::quarantine`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quarantined_at: Option<i64>,
}

/// The `report` row as stored. A report ingested since issue #11 keeps its manifest once, as
/// the signed bytes exactly as received, with the signature beside them: the parsed manifest is
/// read from those bytes (verified at ingest; `verify_report` verifies them again), so ingest
/// neither serialises the manifest nor writes it twice. Rows written before keep their parsed
/// `manifest` and have no signature to re-check.
#[derive(Serialize, Deserialize)]
struct ReportRow {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    signed: Option<String>,
    /// Version 1: the signature over `signed`; version 2: the trailer signature.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    signature: Option<String>,
    /// Version 2 only: the binary header (its signature included), hex.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    header: Option<String>,
    /// Version 2 only: the trailer's attachment digests, hex, in order (the manifest as signed
    /// carries none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    digests: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    manifest: Option<Manifest>,
    content_hash: String,
    received_at: i64,
    source: String,
    receipts: Vec<IssuedReceipt>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    quarantined_at: Option<i64>,
}

impl ReportRow {
    fn report(self) -> Result<StoredReport, StoreError> {
        let manifest = match (self.signed.as_deref(), self.manifest) {
            (Some(signed), None) => {
                let mut manifest: Manifest =
                    serde_json::from_str(signed).map_err(|_| StoreError::Tampered)?;
                if let Some(digests) = &self.digests {
                    if digests.len() != manifest.attachments.len() {
                        return Err(StoreError::Tampered);
                    }
                    for (entry, digest) in manifest.attachments.iter_mut().zip(digests) {
                        entry.sha256.clone_from(digest);
                    }
                }
                manifest
            }
            (None, Some(manifest)) => manifest,
            _ => return Err(StoreError::Tampered),
        };
        Ok(StoredReport {
            manifest,
            content_hash: self.content_hash,
            received_at: self.received_at,
            source: self.source,
            receipts: self.receipts,
            quarantined_at: self.quarantined_at,
        })
    }
}

/// A stored report with what the trust list says of its signer now: what `show` and the JSON
/// export give. Serialised as the [`StoredReport`]'s fields plus `signer_revoked_at`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportDetail {
    /// The report as received.
    #[serde(flatten)]
    pub report: StoredReport,
    /// When the device key that signed it was revoked (Unix seconds), if it has been: the
    /// device was lost or stolen, and what it sent may have been written by whoever holds it.
    pub signer_revoked_at: Option<i64>,
}

/// A stored report's assessment outcome, as the report list shows it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct ReportOutcome {
    /// The outcome's label, in the language the report was assessed in.
    pub label: String,
    /// 0 (nothing to act on) to 3 (urgent), as the checklist defines its outcomes.
    pub level: i64,
}

/// One line of the report list.
#[derive(Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct ReportSummary {
    /// Report id.
    pub report_id: String,
    /// Reporting organisation.
    pub organisation: String,
    /// Signing device key id.
    pub device_key_id: String,
    /// Whether that key has been revoked since.
    pub signer_revoked: bool,
    /// Whether an analyst quarantined the report (left out of correlation).
    pub quarantined: bool,
    /// Sealed, Unix seconds (the device's clock).
    pub sealed_at: i64,
    /// Received, Unix seconds.
    pub received_at: i64,
    /// The case title.
    pub title: String,
    /// The checklist id, if any.
    pub checklist: Option<String>,
    /// The name the checklist's publisher signed it under, for a signed checklist (its
    /// signature was checked when the package was read). Left out of the JSON form when absent,
    /// so the list of unsigned reports keeps the form it had (tests/vectors/receiver-v1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub checklist_publisher: Option<String>,
    /// The assessment's outcome, if the report carries an assessment.
    pub outcome: Option<ReportOutcome>,
    /// Number of attachments.
    pub attachments: u64,
    /// The latest receipt's status, if one was issued.
    pub receipt_status: Option<ReceiptStatus>,
    /// Content hash.
    pub content_hash: String,
}

/// Why a verified package was not stored again.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify), tsify(missing_as_null))]
pub enum Duplicate {
    /// The same report id was received before (a replay or a second copy).
    ReportId(String),
    /// Another report with exactly this content was received before (the case sealed twice).
    Content(String),
}

/// What ingesting one package did.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct IngestOutcome {
    /// Report id.
    pub report_id: String,
    /// Organisation.
    pub organisation: String,
    /// Signing device key id.
    pub device_key_id: String,
    /// Content hash.
    pub content_hash: String,
    /// Number of attachments (all verified).
    pub attachments: u64,
    /// `None`: stored now. `Some`: verified, counted once, not stored again.
    pub duplicate: Option<Duplicate>,
}

/// How storing one verified package ended ([`Receiver::store_opened`]).
pub(super) enum Stored {
    /// The package's own result: stored, counted as a duplicate, or refused with nothing of it
    /// written.
    Done(Result<IngestOutcome, ReceiverError>),
    /// The database failed after some of the package's rows were written outside a savepoint:
    /// the caller must roll its transaction back.
    Abort(StoreError),
}

/// The end of the arrival index during one transaction ([`Receiver::append_index`]): its
/// length and last segment after the latest append, and whether an append since the last
/// [`Receiver::flush_index`] left the length (and an unfilled last segment) unwritten. A batch
/// writes a segment when it fills and the rest once, at its end, instead of rewriting both for
/// every report. Empty at the start of each transaction; dropped with it when it rolls back.
#[derive(Default)]
pub(super) struct IndexTail {
    end: Option<(u64, Vec<String>)>,
    unwritten: bool,
}

impl IndexTail {
    /// Forgets the end after a savepoint rolled back: the next append reads it from the
    /// database. [`Receiver::flush_index`] ran before the savepoint began, so what is dropped
    /// here is at most the append the rollback undid.
    fn forget(&mut self) {
        *self = IndexTail::default();
    }
}

/// What [`Receiver::check_new`] found: `Ok` a new report (the reader, its content hash if
/// known, the outcome to build), `Err` the outcome of a duplicate.
type New<P, O> = Result<(Opened<P>, Option<String>, O), IngestOutcome>;

pub(super) fn chunk_row(
    vault: &Vault,
    report: &str,
    attachment: u64,
    n: u64,
) -> Result<[u8; 32], StoreError> {
    vault.row_key(
        "report-chunk",
        &[
            report.as_bytes(),
            &attachment.to_be_bytes(),
            &n.to_be_bytes(),
        ],
    )
}

pub(super) fn chunks_of(size: u64) -> u64 {
    size.div_ceil(CHUNK_BYTES as u64)
}

fn outcome_of(manifest: &Manifest) -> Option<ReportOutcome> {
    let outcome = manifest.assessment.as_ref()?.get("outcome")?;
    Some(ReportOutcome {
        label: outcome.get("label")?.as_str()?.to_owned(),
        level: outcome.get("level")?.as_i64()?,
    })
}

impl Receiver {
    pub(super) fn report_row(&self, id: &str) -> Result<[u8; 32], StoreError> {
        self.vault.row_key("report", &[id.as_bytes()])
    }

    fn content_row(&self, hash: &str) -> Result<[u8; 32], StoreError> {
        self.vault.row_key("content", &[hash.as_bytes()])
    }

    fn index_len(&self) -> Result<u64, StoreError> {
        let row = self.vault.row_key("report-index-len", &[])?;
        Ok(self.vault.get(&row)?.unwrap_or(0))
    }

    fn index_segment(&self, n: u64) -> Result<[u8; 32], StoreError> {
        self.vault.row_key("report-index", &[&n.to_be_bytes()])
    }

    /// Every report id, in arrival order.
    pub fn report_ids(&self) -> Result<Vec<String>, StoreError> {
        let len = self.index_len()?;
        let mut ids = Vec::with_capacity(len as usize);
        for n in 0..len.div_ceil(INDEX_SEGMENT) {
            let segment: Vec<String> = self
                .vault
                .get(&self.index_segment(n)?)?
                .ok_or(StoreError::Tampered)?;
            ids.extend(segment);
        }
        if ids.len() as u64 != len {
            return Err(StoreError::Tampered);
        }
        Ok(ids)
    }

    /// Appends `id` to the arrival index, in memory: a segment is written when it fills, the
    /// rest by [`Receiver::flush_index`], which the caller runs before its transaction commits.
    /// `tail` carries the end of the index from the previous append in the same transaction,
    /// so a batch reads it from the database only once. A failure here must end the
    /// transaction (or the savepoint begun after the last flush): appends held only in `tail`
    /// would be lost.
    fn append_index(&self, id: &str, tail: &mut IndexTail) -> Result<(), StoreError> {
        let (len, mut segment) = match tail.end.take() {
            Some(known) => known,
            None => {
                let len = self.index_len()?;
                let segment: Vec<String> = if len % INDEX_SEGMENT == 0 {
                    Vec::new()
                } else {
                    self.vault
                        .get(&self.index_segment(len / INDEX_SEGMENT)?)?
                        .ok_or(StoreError::Tampered)?
                };
                (len, segment)
            }
        };
        if len % INDEX_SEGMENT == 0 {
            // The previous segment filled (and was written); this id begins the next.
            segment.clear();
        }
        segment.push(id.to_owned());
        let len = len + 1;
        tail.unwritten = true;
        if len % INDEX_SEGMENT == 0 {
            self.vault
                .put(&self.index_segment((len - 1) / INDEX_SEGMENT)?, &segment)?;
        }
        tail.end = Some((len, segment));
        Ok(())
    }

    /// Writes what [`Receiver::append_index`] held in memory: the last segment unless it filled
    /// (then it was written), and the length. Run before a transaction commits and before a
    /// savepoint begins.
    pub(super) fn flush_index(&self, tail: &mut IndexTail) -> Result<(), StoreError> {
        if let (true, Some((len, segment))) = (tail.unwritten, &tail.end) {
            if len % INDEX_SEGMENT != 0 {
                self.vault
                    .put(&self.index_segment((len - 1) / INDEX_SEGMENT)?, segment)?;
            }
            self.vault
                .put(&self.vault.row_key("report-index-len", &[])?, len)?;
            tail.unwritten = false;
        }
        Ok(())
    }

    /// Ingests one package: opens the age layer with `identities`, verifies the container and
    /// the device signature, checks the signer against the trust list, then streams and checks
    /// every attachment. A new report is stored in one transaction (all of it, or nothing); a
    /// package whose report id or content was received before is verified just as fully, then
    /// counted as a duplicate and not stored again. A report id received before with other
    /// content is refused as a conflict.
    pub fn ingest<R: BufRead>(
        &mut self,
        input: R,
        identities: &[Identity],
        source: &str,
    ) -> Result<IngestOutcome, ReceiverError> {
        let trust = self.trust_list()?;
        self.vault
            .atomically(|_| self.ingest_one(input, identities, source, &trust))
    }

    /// Ingests many packages as [`Receiver::ingest`] does each, calling `report` with each
    /// one's source and result, in order. Each package is still all-or-nothing (a savepoint of
    /// its own); the database commits every [`BATCH`] packages and at the end, so a crash loses
    /// at most the uncommitted batch — whose files are still where they were (ingest never
    /// moves or deletes its input) and go in again on the next run. An input that could not be
    /// read is reported with an `Io` error and does not stop the others.
    pub fn ingest_batch<R: BufRead>(
        &mut self,
        inputs: impl IntoIterator<Item = (String, io::Result<R>)>,
        identities: &[Identity],
        report: impl FnMut(&str, Result<IngestOutcome, ReceiverError>),
    ) -> Result<(), StoreError> {
        let trust = self.trust_list()?;
        let opened = inputs
            .into_iter()
            .map(|(source, input)| super::pipeline::open_input(source, input, identities, &trust));
        self.store_all(opened, &trust, report)
    }

    /// One package, inside the caller's transaction (which the caller rolls back on any error).
    fn ingest_one<R: BufRead>(
        &self,
        input: R,
        identities: &[Identity],
        source: &str,
        trust: &[super::TrustEntry],
    ) -> Result<IngestOutcome, ReceiverError> {
        let opened = super::pipeline::open_one(input, identities, trust)?;
        let mut tail = IndexTail::default();
        match self.store_opened(opened, source, trust, &mut tail) {
            Stored::Done(result) => {
                let outcome = result?;
                self.flush_index(&mut tail)?;
                Ok(outcome)
            }
            Stored::Abort(e) => Err(e.into()),
        }
    }

    /// Stores one verified package (or counts it as a duplicate) inside the caller's
    /// transaction. Every check that can refuse the package comes before its first write. A
    /// package read whole is then written without a savepoint of its own — only the database
    /// can fail from there on, and such a failure ([`Stored::Abort`]) ends the transaction — so
    /// SQLite copies no page into a sub-journal for it (a large part of a small report's cost).
    /// A streamed package is written inside a savepoint: its trailer, read after its chunks,
    /// may still refuse it.
    pub(super) fn store_opened<P: Read>(
        &self,
        reader: Opened<P>,
        source: &str,
        trust: &[super::TrustEntry],
        tail: &mut IndexTail,
    ) -> Stored {
        let manifest = reader.manifest();
        if let Err(e) = Self::check_signer(trust, &manifest.device, &manifest.organisation) {
            return Stored::Done(Err(e));
        }
        let report_id = manifest.report_id.clone();
        let outcome = {
            let (organisation, device_key_id, attachments) = (
                manifest.organisation.clone(),
                manifest.device.key_id.clone(),
                manifest.attachments.len() as u64,
            );
            let report_id = report_id.clone();
            move |content_hash: String, duplicate| IngestOutcome {
                report_id,
                organisation,
                device_key_id,
                content_hash,
                attachments,
                duplicate,
            }
        };
        // Known now for version 1 and for a package read whole; a streamed v2 package's digests
        // (and so its content hash) are known only once its trailer verified.
        let known = match &reader {
            Opened::Whole { content_hash, .. } => Some(content_hash.clone()),
            Opened::Streaming(r) => r.manifest().content_hash().ok(),
        };
        let checked = self.check_new(reader, &report_id, known, outcome);
        let (reader, known, outcome) = match checked {
            Ok(Ok(new)) => new,
            Ok(Err(duplicate)) => return Stored::Done(Ok(duplicate)),
            Err(e) => return Stored::Done(Err(e)),
        };
        match (reader, known) {
            (
                Opened::Whole {
                    manifest,
                    signed,
                    attachments,
                    ..
                },
                Some(hash),
            ) => {
                let row = match self.new_report_row(signed, hash.clone(), source) {
                    Ok(row) => row,
                    Err(e) => return Stored::Done(Err(e)),
                };
                let written = (|| {
                    for (index, bytes) in attachments.iter().enumerate() {
                        let vault = &self.vault;
                        let mut sink = ChunkWriter::new(vault, 0, |n| {
                            chunk_row(vault, &report_id, index as u64, n)
                        })
                        .expecting(bytes.len() as u64)
                        .new_rows();
                        if sink.write_all(bytes).is_err() {
                            // The sink fails only when the vault does, and says how.
                            return Err(sink.failed.take().unwrap_or_else(|| {
                                StoreError::Storage("an attachment chunk was not written".into())
                            }));
                        }
                        sink.finish()?;
                    }
                    self.write_report(&report_id, &row, &manifest.device.key_id, &hash, tail)
                })();
                match written {
                    Ok(()) => Stored::Done(Ok(outcome(hash, None))),
                    Err(e) => Stored::Abort(e),
                }
            }
            (reader, known) => {
                // The savepoint below may roll back: what the batch held in memory goes to the
                // database first, so that only this package's own append can be undone.
                if let Err(e) = self.flush_index(tail) {
                    return Stored::Abort(e);
                }
                let stored = self.store_streamed(reader, &report_id, known, source, tail, outcome);
                if stored.is_err() {
                    // Its savepoint was rolled back, perhaps after its append.
                    tail.forget();
                }
                Stored::Done(stored)
            }
        }
    }

    /// The checks before a package's first write: not deleted at the unit before, not held
    /// under its id (then a duplicate, or a conflict if its content differs), not held with its
    /// content (known now for all but a streamed v2 package).
    fn check_new<P: Read, O: FnOnce(String, Option<Duplicate>) -> IngestOutcome>(
        &self,
        reader: Opened<P>,
        report_id: &str,
        known: Option<String>,
        outcome: O,
    ) -> Result<New<P, O>, ReceiverError> {
        if self.was_deleted(report_id)? {
            return Err(ReceiverError::Conflict(
                "a report with this id was deleted at the unit; it is not taken in again",
            ));
        }
        if self.vault.exists(&self.report_row(report_id)?)? {
            let conflict = ReceiverError::Conflict(
                "a report with this id but other content was received before",
            );
            let hash = match known {
                Some(hash) => {
                    if self.content_holder(&hash)?.as_deref() != Some(report_id) {
                        return Err(conflict);
                    }
                    reader.finish()?;
                    hash
                }
                None => {
                    let hash = reader.finish()?.0.content_hash()?;
                    if self.content_holder(&hash)?.as_deref() != Some(report_id) {
                        return Err(conflict);
                    }
                    hash
                }
            };
            let duplicate = Some(Duplicate::ReportId(report_id.to_owned()));
            return Ok(Err(outcome(hash, duplicate)));
        }
        if let Some(hash) = &known {
            if let Some(first) = self.content_holder(hash)? {
                reader.finish()?;
                return Ok(Err(outcome(hash.clone(), Some(Duplicate::Content(first)))));
            }
        }
        Ok(Ok((reader, known, outcome)))
    }

    /// The report id first received with content `hash`, if any.
    fn content_holder(&self, hash: &str) -> Result<Option<String>, StoreError> {
        self.vault.get(&self.content_row(hash)?)
    }

    /// The `report` row of a new report: the manifest as signed, the signature, and for
    /// version 2 the header and the trailer's digests.
    fn new_report_row(
        &self,
        signed: SignedBytes,
        content_hash: String,
        source: &str,
    ) -> Result<ReportRow, ReceiverError> {
        let v2 = signed.version() == 2;
        Ok(ReportRow {
            // The reader accepts only canonical JSON, which is UTF-8.
            signed: Some(String::from_utf8(signed.manifest).map_err(|_| {
                ReceiverError::Package(crate::package::PackageError::Manifest("not UTF-8"))
            })?),
            signature: Some(crate::hex::encode(&signed.signature)),
            header: v2.then(|| crate::hex::encode(&signed.header)),
            digests: v2.then(|| {
                signed
                    .digests
                    .iter()
                    .map(|d| crate::hex::encode(d))
                    .collect()
            }),
            manifest: None,
            content_hash,
            received_at: crate::clock::now(),
            source: source.chars().take(500).collect(),
            receipts: Vec::new(),
            quarantined_at: None,
        })
    }

    /// A new report's rows after its chunks: the report row, the first custody event, the
    /// content row and its place in the arrival index.
    fn write_report(
        &self,
        report_id: &str,
        row: &ReportRow,
        device_key_id: &str,
        content_hash: &str,
        tail: &mut IndexTail,
    ) -> Result<(), StoreError> {
        // The report is new (`check_new`), and so are these rows: inserted without a lookup.
        self.vault.insert(&self.report_row(report_id)?, row)?;
        self.record_first(report_id, "received", device_key_id)?;
        self.vault
            .insert(&self.content_row(content_hash)?, &report_id)?;
        self.append_index(report_id, tail)
    }

    /// Writes a streamed package inside a savepoint: its chunks as they are read and checked,
    /// then — once its trailer verified (version 2) — the rest; a failure or a duplicate found
    /// only at the trailer undoes the chunks.
    fn store_streamed<P: Read>(
        &self,
        mut reader: Opened<P>,
        report_id: &str,
        known: Option<String>,
        source: &str,
        tail: &mut IndexTail,
        outcome: impl FnOnce(String, Option<Duplicate>) -> IngestOutcome,
    ) -> Result<IngestOutcome, ReceiverError> {
        /// Why the savepoint was rolled back: a failure, or a streamed package found to be a
        /// duplicate only at its trailer (its chunks written meanwhile are undone).
        enum Undo {
            Failed(ReceiverError),
            Duplicate { first: String, hash: String },
        }
        impl From<StoreError> for Undo {
            fn from(e: StoreError) -> Undo {
                Undo::Failed(e.into())
            }
        }
        let failed = |e: crate::package::PackageError| Undo::Failed(e.into());
        let count = reader.manifest().attachments.len() as u64;
        let stored = self.vault.savepoint(|vault| {
            for index in 0..count {
                let mut sink =
                    ChunkWriter::new(vault, 0, |n| chunk_row(vault, report_id, index, n));
                if let Err(e) = reader.read_attachment(&mut sink) {
                    // A vault failure inside the sink reaches us as an I/O error: report it as
                    // what it was.
                    return Err(Undo::Failed(
                        sink.failed
                            .take()
                            .map_or(ReceiverError::Package(e), ReceiverError::Store),
                    ));
                }
                sink.finish()?;
            }
            // Nothing of a v2 package is committed before its trailer verified here: the chunks
            // above are inside this savepoint, undone if this fails.
            let (full, signed) = reader.finish().map_err(failed)?;
            let hash = match known {
                Some(hash) => hash,
                None => {
                    let hash = full.content_hash().map_err(failed)?;
                    if let Some(first) = self.content_holder(&hash)? {
                        return Err(Undo::Duplicate { first, hash });
                    }
                    hash
                }
            };
            let row = self
                .new_report_row(signed, hash.clone(), source)
                .map_err(Undo::Failed)?;
            self.write_report(report_id, &row, &full.device.key_id, &hash, tail)?;
            Ok::<String, Undo>(hash)
        });
        match stored {
            Ok(hash) => Ok(outcome(hash, None)),
            Err(Undo::Duplicate { first, hash }) => {
                Ok(outcome(hash, Some(Duplicate::Content(first))))
            }
            Err(Undo::Failed(e)) => Err(e),
        }
    }

    /// A report by id, or by a unique prefix of at least 8 hex digits.
    pub fn report(&self, id: &str) -> Result<StoredReport, ReceiverError> {
        let id = self.resolve(id)?;
        Ok(self.report_row_value(&id)?.report()?)
    }

    fn report_row_value(&self, id: &str) -> Result<ReportRow, StoreError> {
        self.vault
            .get(&self.report_row(id)?)?
            .ok_or(StoreError::NotFound("report"))
    }

    /// What the device signed, as ingest received it.
    pub(super) fn kept_signature(&self, id: &str) -> Result<SignedBytes, ReceiverError> {
        let row = self.report_row_value(id)?;
        let (Some(signed), Some(signature)) = (row.signed, row.signature) else {
            return Err(StoreError::NotFound(
                "kept signature (the report was received before the unit kept them)",
            )
            .into());
        };
        let signature = crate::hex::decode::<64>(&signature).ok_or(StoreError::Tampered)?;
        let header = match row.header {
            Some(header) => crate::hex::decode_vec(&header).ok_or(StoreError::Tampered)?,
            None => Vec::new(),
        };
        let digests = row
            .digests
            .unwrap_or_default()
            .iter()
            .map(|d| crate::hex::decode::<32>(d).ok_or(StoreError::Tampered))
            .collect::<Result<_, _>>()?;
        Ok(SignedBytes {
            header,
            manifest: signed.into_bytes(),
            digests,
            signature,
        })
    }

    /// The full report id for `id` or a unique prefix of it (at least 8 characters).
    pub fn resolve(&self, id: &str) -> Result<String, ReceiverError> {
        let id = id.trim().to_ascii_lowercase();
        if id.len() == 32 {
            return Ok(id);
        }
        if id.len() < 8 {
            return Err(ReceiverError::InvalidInput(
                "give the report id or at least its first 8 digits",
            ));
        }
        let mut found = self
            .report_ids()?
            .into_iter()
            .filter(|r| r.starts_with(&id));
        match (found.next(), found.next()) {
            (Some(one), None) => Ok(one),
            (None, _) => Err(StoreError::NotFound("report").into()),
            (Some(_), Some(_)) => Err(ReceiverError::InvalidInput(
                "that prefix matches more than one report; give more digits",
            )),
        }
    }

    /// Writes what may change after ingest (receipts, quarantine); the manifest as signed stays
    /// as it was received.
    pub(super) fn save_report(&self, report: &StoredReport) -> Result<(), StoreError> {
        let id = &report.manifest.report_id;
        let mut row = self.report_row_value(id)?;
        row.receipts.clone_from(&report.receipts);
        row.quarantined_at = report.quarantined_at;
        self.vault.put(&self.report_row(id)?, &row)
    }

    /// A report by id or unique prefix, as [`Receiver::report`] gives it, with its signer's
    /// revocation.
    pub fn report_detail(&self, id: &str) -> Result<ReportDetail, ReceiverError> {
        let report = self.report(id)?;
        let signer_revoked_at =
            Self::signer_revoked_at(&self.trust_list()?, &report.manifest.device);
        Ok(ReportDetail {
            report,
            signer_revoked_at,
        })
    }

    /// Every report in arrival order with its signer's revocation; without the reports of
    /// revoked signers if `exclude_revoked`.
    pub fn report_details(&self, exclude_revoked: bool) -> Result<Vec<ReportDetail>, StoreError> {
        let trust = self.trust_list()?;
        Ok(self
            .reports()?
            .into_iter()
            .map(|report| ReportDetail {
                signer_revoked_at: Self::signer_revoked_at(&trust, &report.manifest.device),
                report,
            })
            .filter(|r| !(exclude_revoked && r.signer_revoked_at.is_some()))
            .collect())
    }

    /// Every report, in arrival order (deleted ones left out).
    pub fn reports(&self) -> Result<Vec<StoredReport>, StoreError> {
        let mut reports = Vec::new();
        for id in self.report_ids()? {
            match self.vault.get::<ReportRow>(&self.report_row(&id)?)? {
                Some(row) => reports.push(row.report()?),
                // A report row may only be missing where an analyst deleted it.
                None if self.was_deleted(&id)? => {}
                None => return Err(StoreError::Tampered),
            }
        }
        Ok(reports)
    }

    /// The report list, in arrival order; without the reports of revoked signers if
    /// `exclude_revoked`.
    pub fn list(&self, exclude_revoked: bool) -> Result<Vec<ReportSummary>, StoreError> {
        Ok(self
            .report_details(exclude_revoked)?
            .into_iter()
            .map(
                |ReportDetail {
                     report: r,
                     signer_revoked_at,
                 }| {
                    let m = &r.manifest;
                    ReportSummary {
                        report_id: m.report_id.clone(),
                        organisation: m.organisation.clone(),
                        device_key_id: m.device.key_id.clone(),
                        signer_revoked: signer_revoked_at.is_some(),
                        quarantined: r.quarantined_at.is_some(),
                        sealed_at: m.sealed_at,
                        received_at: r.received_at,
                        title: m.case.title.clone(),
                        checklist: m.checklist.as_ref().map(|c| c.id.clone()),
                        checklist_publisher: m
                            .checklist
                            .as_ref()
                            .and_then(|c| c.publisher.as_ref())
                            .map(|p| p.name.clone()),
                        outcome: outcome_of(m),
                        attachments: m.attachments.len() as u64,
                        receipt_status: r.receipts.last().map(|x| x.status),
                        content_hash: r.content_hash.clone(),
                    }
                },
            )
            .collect())
    }

    /// Streams attachment `index` (0-based, manifest order) of a report to `out`, checking its
    /// size and SHA-256 against the manifest.
    pub fn read_attachment(
        &self,
        report: &str,
        index: usize,
        mut out: impl Write,
    ) -> Result<u64, ReceiverError> {
        let stored = self.report(report)?;
        self.read_attachment_of(&stored.manifest, index, &mut out)
    }

    /// Attachment `index` of the report `manifest` describes, checked against the manifest.
    pub(super) fn read_attachment_of(
        &self,
        manifest: &Manifest,
        index: usize,
        mut out: impl Write,
    ) -> Result<u64, ReceiverError> {
        let entry = manifest
            .attachments
            .get(index)
            .ok_or(StoreError::NotFound("attachment"))?;
        let id = &manifest.report_id;
        self.vault.read_chunks(
            |n| chunk_row(&self.vault, id, index as u64, n),
            chunks_of(entry.size),
            entry.size,
            &entry.sha256,
            &mut out,
            |e| ReceiverError::Io(e.kind()),
        )
    }

    /// Clusters of reports from at least `min_organisations` organisations that share a
    /// selector (phone, e-mail, URL, handle, plate, address, workplace), found in the notes and
    /// free-text answers; national phone numbers are read in `default_region`. Quarantined
    /// reports are left out. Reports of
    /// revoked signers are named in each cluster's `revoked_reports`, or left out entirely if
    /// `exclude_revoked` (then no link runs through them).
    pub fn correlate(
        &self,
        min_organisations: usize,
        default_region: Option<&str>,
        exclude_revoked: bool,
    ) -> Result<Vec<Cluster>, StoreError> {
        self.correlate_by_region(
            min_organisations,
            default_region,
            &BTreeMap::new(),
            exclude_revoked,
        )
    }

    /// As [`Receiver::correlate`], with each report's national phone numbers read in the region
    /// of the organisation that sent it: `organisation_regions` maps organisation ids (as reports
    /// name them) to ISO 3166-1 alpha-2 codes, and `default_region` serves the organisations it
    /// does not list. So a Slovak organisation's `0903 123 456` and an American one's
    /// `011 421 903 123 456` are one number. A region the phone metadata does not know reads no
    /// national number (check codes before, as the CLI does).
    pub fn correlate_by_region(
        &self,
        min_organisations: usize,
        default_region: Option<&str>,
        organisation_regions: &BTreeMap<String, String>,
        exclude_revoked: bool,
    ) -> Result<Vec<Cluster>, StoreError> {
        let selectors: Vec<ReportSelectors> = self
            .report_details(exclude_revoked)?
            .iter()
            .filter(|r| r.report.quarantined_at.is_none())
            .map(|r| {
                let manifest = &r.report.manifest;
                let region = organisation_regions
                    .get(&manifest.organisation)
                    .map(String::as_str)
                    .or(default_region);
                ReportSelectors {
                    report_id: manifest.report_id.clone(),
                    organisation: manifest.organisation.clone(),
                    selectors: report_selectors(manifest, region),
                    signer_revoked: r.signer_revoked_at.is_some(),
                }
            })
            .collect();
        Ok(clusters(&selectors, min_organisations.max(1)))
    }
}

crate::redacted_debug!(StoredReport {
    content_hash,
    received_at
});

crate::redacted_debug!(ReportSummary {
    report_id,
    sealed_at,
    received_at
});
