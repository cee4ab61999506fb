//! Evidence a third party can re-check, and what the unit did with each report.
//!
//! Ingest keeps the manifest exactly as it was signed and the device's signature (in the
//! `report` row), so the unit can re-verify a stored report at any time and hand over a
//! bundle anyone can check with standard tools (docs/evidence.md). Every report has a custody
//! log of its own (row `report-custody`[id], hash-chained like the field store's): received,
//! receipts issued, quarantined, released, evidence exported, deleted. An analyst may quarantine
//! a report (it stays, marked, and is left out of correlation) or delete it (its content goes;
//! its custody log and a tombstone stay, and the same report id is never taken in again), so one
//! bad report — a flood from a stolen device, a note built to be expensive — never disables the
//! unit.

use std::io;

use serde::Serialize;

use super::{Receiver, ReceiverError, TrustEntry, TrustKind};
use crate::custody::{event_hash, verify_custody, CustodyEvent};
use crate::package::{verify_signed, AttachmentEntry, SignedBytes, TRAILER_SIGNATURE_CONTEXT};
use crate::vault::StoreError;

/// The most characters of an analyst's reason kept in a custody event.
pub const MAX_REASON_CHARS: usize = 200;

/// A report's kept signature and what it verified.
struct Kept {
    signed: SignedBytes,
    manifest: crate::package::Manifest,
    custody: Vec<CustodyEvent>,
}

/// What re-verifying a stored report found: everything checked out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ReportCheck {
    /// The report id.
    pub report_id: String,
    /// The key id of the device key whose signature verified.
    pub device_key_id: String,
    /// When that key was revoked (Unix seconds), if it has been since.
    pub signer_revoked_at: Option<i64>,
    /// Attachments whose size and SHA-256 matched the signed manifest.
    pub attachments: u64,
    /// Entries of the report's custody log, whose hash chain verified.
    pub custody_events: u64,
}

/// Everything a third party needs to check a report without Indicia: the manifest exactly as
/// signed, the signature, the exact message it is over, the public key (also as an RFC 8410
/// PEM for OpenSSL), the trust entry that said who the key belonged to, and the unit's custody
/// log. The attachments follow from [`Receiver::read_attachment`]; their sizes and SHA-256 are
/// in the signed manifest (version 1) or in the signed message (version 2: after the header
/// and the manifest's SHA-256, see [`EvidenceBundle::header`]).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct EvidenceBundle {
    /// The report id.
    pub report_id: String,
    /// The manifest bytes exactly as signed (canonical JSON, RFC 8785).
    pub manifest: Vec<u8>,
    /// The device's Ed25519 signature (RFC 8032, 64 bytes) over `signed_message`.
    pub signature: Vec<u8>,
    /// The exact message signed. Version 1: `indicia-package/1 manifest` NUL ‖ `manifest`.
    /// Version 2: [`TRAILER_SIGNATURE_CONTEXT`] ‖ header ‖ SHA-256(`manifest`) ‖ each
    /// attachment's SHA-256 (see [`crate::package::SignedBytes::signed_message`]).
    pub signed_message: Vec<u8>,
    /// The device's public key, 64 hex digits.
    pub public_key: String,
    /// The same key as a PEM `PUBLIC KEY` (SubjectPublicKeyInfo, RFC 8410).
    pub public_key_pem: String,
    /// The attachments as the signed manifest lists them.
    pub attachments: Vec<AttachmentEntry>,
    /// The trust list entry of the signing key (who it was for, when added, when revoked).
    pub trust: Option<TrustEntry>,
    /// The report's custody log at the unit, this export included.
    pub custody: Vec<CustodyEvent>,
}

impl EvidenceBundle {
    /// Version 2: the package's binary header as it travelled (its signature included), taken
    /// from the signed message; `None` for version 1.
    pub fn header(&self) -> Option<&[u8]> {
        let rest = self
            .signed_message
            .strip_prefix(TRAILER_SIGNATURE_CONTEXT)?;
        let len = 16 + 32 + 4 + 2 + 8 * self.attachments.len() + 64;
        rest.get(..len)
    }
}

impl Receiver {
    fn custody_row(&self, id: &str) -> Result<[u8; 32], StoreError> {
        self.vault.row_key("report-custody", &[id.as_bytes()])
    }

    pub(super) fn deleted_row(&self, id: &str) -> Result<[u8; 32], StoreError> {
        self.vault.row_key("report-deleted", &[id.as_bytes()])
    }

    /// Whether an analyst deleted the report with this id.
    pub fn was_deleted(&self, id: &str) -> Result<bool, StoreError> {
        self.vault.exists(&self.deleted_row(id)?)
    }

    /// The report's custody log at the unit, oldest first (empty for a report received before
    /// the unit kept one and never touched since).
    pub fn custody(&self, report: &str) -> Result<Vec<CustodyEvent>, ReceiverError> {
        let id = self.resolve(report)?;
        Ok(self.vault.get(&self.custody_row(&id)?)?.unwrap_or_default())
    }

    /// Starts the custody log of a report new to the unit with `event`. Its log cannot exist
    /// yet: ingest refuses an id the unit deleted (whose log it keeps) before it writes.
    pub(super) fn record_first(
        &self,
        id: &str,
        event: &str,
        detail: &str,
    ) -> Result<(), StoreError> {
        let row = self.custody_row(id)?;
        self.vault
            .insert(&row, &[new_event("0".repeat(64), 0, event, detail)])
    }

    /// Appends `event` with a short `detail` to the report's custody log.
    pub(super) fn record(&self, id: &str, event: &str, detail: &str) -> Result<(), StoreError> {
        let row = self.custody_row(id)?;
        let mut log: Vec<CustodyEvent> = self.vault.get(&row)?.unwrap_or_default();
        let prev = log
            .last()
            .map_or_else(|| "0".repeat(64), |e| e.hash.clone());
        log.push(new_event(prev, log.len() as u64, event, detail));
        self.vault.put(&row, &log)
    }

    /// Re-verifies a stored report (id or unique prefix) from what the unit kept: the device
    /// signature over the manifest bytes as received (`BadSignature`) — the bytes the unit also
    /// reads the manifest it shows from —, every attachment's size and SHA-256 against them
    /// (`CorruptInput`), and the report's custody chain (`Tampered`). `NotFound` for a report
    /// received before the unit kept signatures.
    pub fn verify_report(&self, report: &str) -> Result<ReportCheck, ReceiverError> {
        let verified = self.verify_kept(report)?;
        let manifest = &verified.manifest;
        Ok(ReportCheck {
            device_key_id: manifest.device.key_id.clone(),
            signer_revoked_at: Self::signer_revoked_at(&self.trust_list()?, &manifest.device),
            attachments: manifest.attachments.len() as u64,
            custody_events: verified.custody.len() as u64,
            report_id: verified.manifest.report_id,
        })
    }

    /// The kept signature, manifest, attachments and custody chain of a report, each checked.
    fn verify_kept(&self, report: &str) -> Result<Kept, ReceiverError> {
        let id = self.resolve(report)?;
        let signed = self.kept_signature(&id)?;
        let manifest = verify_signed(&signed)?;
        for index in 0..manifest.attachments.len() {
            self.read_attachment_of(&manifest, index, io::sink())?;
        }
        let custody: Vec<CustodyEvent> =
            self.vault.get(&self.custody_row(&id)?)?.unwrap_or_default();
        if !verify_custody(&custody) {
            return Err(StoreError::Tampered.into());
        }
        Ok(Kept {
            signed,
            manifest,
            custody,
        })
    }

    /// Re-verifies the report, then gives what a third party needs to check it (see
    /// [`EvidenceBundle`]) and records `evidence_exported` in its custody log.
    pub fn evidence(&mut self, report: &str) -> Result<EvidenceBundle, ReceiverError> {
        use ed25519_dalek::pkcs8::{spki::der::pem::LineEnding, EncodePublicKey};
        let Kept {
            signed, manifest, ..
        } = self.verify_kept(report)?;
        let id = manifest.report_id.clone();
        let public = crate::hex::decode::<32>(&manifest.device.public_key)
            .and_then(|k| ed25519_dalek::VerifyingKey::from_bytes(&k).ok())
            .ok_or(StoreError::Tampered)?;
        let public_key_pem = public
            .to_public_key_pem(LineEnding::LF)
            .map_err(|_| ReceiverError::Unsupported("the public key cannot be written as PEM"))?;
        let trust = self
            .trust_list()?
            .into_iter()
            .find(|e| e.kind == TrustKind::Device && e.key_id == manifest.device.key_id);
        self.vault
            .atomically(|_| self.record(&id, "evidence_exported", ""))?;
        Ok(EvidenceBundle {
            custody: self.vault.get(&self.custody_row(&id)?)?.unwrap_or_default(),
            signed_message: signed.signed_message(),
            report_id: id,
            manifest: signed.manifest,
            signature: signed.signature.to_vec(),
            public_key: manifest.device.public_key,
            public_key_pem,
            attachments: manifest.attachments,
            trust,
        })
    }

    /// Quarantines a report: it stays, marked, but is left out of correlation until released.
    /// `reason` (at most [`MAX_REASON_CHARS`] characters, kept in the custody log) says why.
    pub fn quarantine(&mut self, report: &str, reason: &str) -> Result<(), ReceiverError> {
        let reason = checked_reason(reason)?;
        self.set_quarantine(report, Some(crate::clock::now()), "quarantined", reason)
    }

    /// Ends a report's quarantine.
    pub fn release(&mut self, report: &str) -> Result<(), ReceiverError> {
        self.set_quarantine(report, None, "released", "")
    }

    /// Sets a report's quarantine and records `event`, unless it is already in that state.
    fn set_quarantine(
        &mut self,
        report: &str,
        at: Option<i64>,
        event: &str,
        detail: &str,
    ) -> Result<(), ReceiverError> {
        let mut stored = self.report(report)?;
        if stored.quarantined_at.is_some() == at.is_some() {
            return Ok(());
        }
        stored.quarantined_at = at;
        self.vault.atomically(|_| {
            self.save_report(&stored)?;
            self.record(&stored.manifest.report_id, event, detail)
        })?;
        Ok(())
    }

    /// Deletes a report's content (manifest as signed, attachments) for good, in one
    /// transaction. Its custody log stays, with `deleted` and the `reason`, and so does a
    /// tombstone: a package with the same report id is refused from then on (`InvalidState`),
    /// and one with the same content counts as a duplicate of the deleted report.
    pub fn delete_report(&mut self, report: &str, reason: &str) -> Result<(), ReceiverError> {
        let reason = checked_reason(reason)?;
        let stored = self.report(report)?;
        let id = stored.manifest.report_id.clone();
        self.vault.atomically(|vault| {
            for (index, entry) in stored.manifest.attachments.iter().enumerate() {
                for n in 0..super::reports::chunks_of(entry.size) {
                    vault.delete(&super::reports::chunk_row(vault, &id, index as u64, n)?)?;
                }
            }
            vault.delete(&self.report_row(&id)?)?;
            vault.put(&self.deleted_row(&id)?, &crate::clock::now())?;
            self.record(&id, "deleted", reason)
        })?;
        Ok(())
    }
}

fn checked_reason(reason: &str) -> Result<&str, ReceiverError> {
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > MAX_REASON_CHARS {
        return Err(ReceiverError::InvalidInput(
            "give a reason of 1 to 200 characters",
        ));
    }
    Ok(reason)
}

/// The custody event number `seq` after the one whose hash is `prev`, stamped now.
fn new_event(prev: String, seq: u64, event: &str, detail: &str) -> CustodyEvent {
    let at = crate::clock::now();
    CustodyEvent {
        seq,
        event: event.to_owned(),
        detail: detail.to_owned(),
        at,
        hash: event_hash(&prev, seq, event, detail, at),
        prev,
    }
}
