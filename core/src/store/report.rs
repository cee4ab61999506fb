//! Sealing a case from the store into a report package (docs/formats/package.md), signed with
//! the device key the store keeps.

use std::io::Write;

use super::case::{CaseStatus, PendingSeal};
use super::{now, Store, StoreError};
use crate::hex;
use crate::keys::Recipient;
use crate::package::{
    assess_builtin, AttachmentEntry, CaseContent, DeviceInfo, DeviceKey, Manifest, NoteEntry,
    PackageError, PackageWriter, SealedReport,
};
use crate::sealing::Armor;
use crate::vault::random_bytes;

impl Store {
    /// The device's signing key: created at first use and kept sealed in the store (it goes
    /// with the store: a quick delete destroys it too).
    pub fn device_key(&mut self) -> Result<DeviceKey, StoreError> {
        let row = self.row_key("device-key", &[])?;
        if let Some(secret) = self.get_raw(&row)? {
            return DeviceKey::from_secret(&secret).ok_or(StoreError::Tampered);
        }
        let key = DeviceKey::generate().map_err(|_| StoreError::Random)?;
        self.put_raw(&row, key.secret().as_slice())?;
        Ok(key)
    }

    /// The device's public key and key id (what a receiving unit adds to its trust list).
    pub fn device_info(&mut self) -> Result<DeviceInfo, StoreError> {
        Ok(self.device_key()?.info())
    }

    /// Seals draft case `id` into a report package to receiving units this store holds the
    /// cards of (added with [`Store::add_unit`], their fingerprints shown): `units` names them
    /// by their signing key id (`signing_key.key_id`, 32 hex digits), and an empty list means
    /// every unit the store holds. The package goes to the recipients on those cards and
    /// nowhere else: no caller can hand in an age recipient of its own (a swapped-in recipient
    /// is the attack, docs/threat-model.md). Written to `output`; the case stays a draft with
    /// the package pending until [`Store::confirm_sealed`]. The assessment is included when the
    /// case's checklist is built in and unchanged. If writing fails the case stays a draft; the
    /// caller discards the partial output.
    ///
    /// Errors: `NotFound` for a key id not among the added units (or an unknown case),
    /// `InvalidState` when no unit was added at all or the case is not a draft.
    pub fn seal_case<W: Write>(
        &mut self,
        id: &str,
        organisation: &str,
        reply_to: &[String],
        units: &[String],
        armor: Armor,
        output: W,
    ) -> Result<(W, SealedReport), PackageError> {
        let record = self.draft(id)?;
        let recipients = self.unit_recipients(units)?;
        let key = self.device_key()?;
        // Receipts come back to this store's own reply identity, and to whoever else the host
        // names (the organisation's coordinator).
        let own = self.reply_recipient()?;
        let reply_to: Vec<String> = std::iter::once(own.clone())
            .chain(reply_to.iter().filter(|r| **r != own).cloned())
            .collect();
        let answers = match self.answers(id)? {
            serde_json::Value::Object(map) => map,
            _ => return Err(StoreError::Tampered.into()),
        };
        let notes = self
            .notes(id)?
            .into_iter()
            .map(|n| NoteEntry {
                text: n.text,
                created: n.created,
            })
            .collect();
        let stored = self.attachments(id)?;
        // Answers saved under an older version of the checklist get no assessment: it would be
        // computed with rules they were not given under.
        let assessment = record.checklist.as_ref().and_then(|reference| {
            match assess_builtin(&reference.id, &answers) {
                Ok((current, assessment)) if &current == reference => Some(assessment),
                _ => None,
            }
        });
        let manifest = Manifest {
            format: crate::package::FORMAT.into(),
            report_id: hex::encode(&random_bytes::<16>()?),
            sealed_at: now(),
            organisation: organisation.to_owned(),
            reply_to,
            device: key.info(),
            case: CaseContent {
                case_id: record.id.clone(),
                title: record.title.clone(),
                created: record.created,
                updated: record.updated,
                answers,
                notes,
            },
            checklist: record.checklist.clone(),
            assessment,
            attachments: stored
                .iter()
                .map(|a| AttachmentEntry {
                    name: a.name.clone(),
                    mime: a.mime.clone(),
                    size: a.size,
                    sha256: a.sha256.clone(),
                })
                .collect(),
            custody: self.custody_log(id)?,
        };
        let report = SealedReport::of(&manifest)?;
        let mut writer = PackageWriter::new(manifest, &key, &recipients, armor, output)?;
        for attachment in &stored {
            let mut sink = writer.attachment()?;
            self.read_attachment(id, &attachment.id, &mut sink)?;
            sink.finish()?;
        }
        let mut output = writer.finish()?;
        output.flush().map_err(|e| PackageError::Io(e.kind()))?;
        // Phase one of two: the case stays a draft, the package is remembered as pending. Only
        // the host knows when the package is safe (fsynced, downloaded, handed over): it says so
        // with `confirm_sealed`, so a failed write never leaves a sealed case without a package.
        let custody_len = self.custody_layout(&record)?.len;
        self.atomically(|s| {
            let mut record = s.draft(id)?;
            record.pending_seal = Some(PendingSeal {
                report_id: report.report_id.clone(),
                content_hash: report.content_hash.clone(),
                custody_len,
            });
            s.put(&s.case_row("case", id)?, &record)
        })?;
        Ok((output, report))
    }

    /// The age recipients of the added units with signing key ids `key_ids` (all added units
    /// when empty), read from the store's own cards.
    fn unit_recipients(&self, key_ids: &[String]) -> Result<Vec<Recipient>, PackageError> {
        let added = self.units()?;
        if added.is_empty() {
            return Err(PackageError::InvalidInput(
                "no receiving unit added: add a unit's signed card first (add_unit) and compare \
                 its fingerprint",
            ));
        }
        if key_ids
            .iter()
            .any(|k| !added.iter().any(|u| u.signing_key.key_id == *k))
        {
            return Err(StoreError::NotFound(
                "receiving unit: no added unit has that signing key id",
            )
            .into());
        }
        let to: Vec<&str> = added
            .iter()
            .filter(|u| key_ids.is_empty() || key_ids.contains(&u.signing_key.key_id))
            .map(|u| u.recipient.as_str())
            .collect();
        // Cards were checked when they were added; the store's sealing protects them since.
        crate::keys::parse_recipients(&to).map_err(|_| StoreError::Tampered.into())
    }

    /// Phase two of sealing: the host has stored or handed over the package of `report_id`
    /// (from [`Store::seal_case`]) durably, so the case becomes sealed (kept until a receipt
    /// acknowledges it). Refused (`InvalidTransition`) if the case is not a draft with that
    /// pending package, or if it changed after the package was made (seal it again).
    pub fn confirm_sealed(&mut self, id: &str, report_id: &str) -> Result<(), StoreError> {
        self.atomically(|s| {
            let mut record = s.draft(id)?;
            let pending = record
                .pending_seal
                .take()
                .filter(|p| p.report_id == report_id)
                .ok_or(StoreError::InvalidTransition {
                    from: "draft",
                    to: "sealed (no pending package with that report id)",
                })?;
            if s.custody_layout(&record)?.len != pending.custody_len {
                return Err(StoreError::InvalidTransition {
                    from: "draft",
                    to: "sealed (the case changed after its package was made: seal it again)",
                });
            }
            record.status = CaseStatus::Sealed;
            record.report_id = Some(pending.report_id.clone());
            record.content_hash = Some(pending.content_hash);
            s.log_event(&mut record, "status_changed", CaseStatus::Sealed.as_str())?;
            s.log_event(&mut record, "report_sealed", &pending.report_id)
        })
    }
}
