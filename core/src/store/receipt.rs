//! The device side of receipts (docs/formats/receipt.md): the store keeps an age identity that
//! receipts are encrypted to (its recipient goes into every sealed report's `reply_to`) and the
//! cards of the receiving units it believes; a receipt is imported only if it decrypts, its
//! signature verifies, its unit is one of those, and it names exactly a report this store sealed.

use secrecy::{ExposeSecret, SecretString};

use super::case::{CaseStatus, ReceiptEntry};
use super::{now, Store, StoreError};
use crate::keys::{parse_identities, Identity};
use crate::package::{open_receipt, PackageError, ReceiptStatus, UnitCard};

/// What importing a receipt did (serialised as the wasm binding returns it).
#[derive(Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct ImportedReceipt {
    /// The case it belongs to.
    pub case_id: String,
    /// The report it answers.
    pub report_id: String,
    /// Its status.
    pub status: ReceiptStatus,
    /// The unit's message, if any.
    pub note: Option<String>,
    /// The unit's name.
    pub unit_name: String,
    /// False when this receipt had been imported before (nothing changed).
    pub new: bool,
    /// The case's status after the import (acknowledged).
    pub case_status: CaseStatus,
}

const MAX_UNITS: usize = 100;

impl Store {
    /// The age identity receipts for this device are encrypted to: created at first use and
    /// kept sealed in the store.
    pub(crate) fn reply_identity(&mut self) -> Result<Identity, StoreError> {
        let row = self.row_key("reply-identity", &[])?;
        if let Some(secret) = self.get_raw(&row)? {
            let text = std::str::from_utf8(&secret).map_err(|_| StoreError::Tampered)?;
            return parse_identities(&SecretString::from(text))
                .ok()
                .and_then(|mut ids| ids.pop())
                .ok_or(StoreError::Tampered);
        }
        let identity = Identity::generate();
        self.put_raw(&row, identity.to_secret_string().expose_secret().as_bytes())?;
        Ok(identity)
    }

    /// The age recipient (`age1…`) of the store's reply identity: added to the `reply_to` of
    /// every report this store seals.
    pub fn reply_recipient(&mut self) -> Result<String, StoreError> {
        Ok(self.reply_identity()?.recipient().to_string())
    }

    fn units_row(&self) -> Result<[u8; 32], StoreError> {
        self.row_key("units", &[])
    }

    /// The receiving units whose receipts this device believes.
    pub fn units(&self) -> Result<Vec<UnitCard>, StoreError> {
        Ok(self.get(&self.units_row()?)?.unwrap_or_default())
    }

    /// Adds (or replaces, by signing key) a receiving unit's card.
    pub fn add_unit(&mut self, card: &UnitCard) -> Result<(), PackageError> {
        card.check().map_err(|e| match e {
            PackageError::UnitCard(what) => PackageError::InvalidInput(what),
            other => other,
        })?;
        let mut units = self.units()?;
        units.retain(|u| u.signing_key.key_id != card.signing_key.key_id);
        if units.len() >= MAX_UNITS {
            return Err(PackageError::InvalidInput("at most 100 receiving units"));
        }
        units.push(card.clone());
        Ok(self.put(&self.units_row()?, &units)?)
    }

    /// Removes a unit by its signing key id; false if it was not there.
    pub fn remove_unit(&mut self, key_id: &str) -> Result<bool, StoreError> {
        let mut units = self.units()?;
        let before = units.len();
        units.retain(|u| u.signing_key.key_id != key_id);
        self.put(&self.units_row()?, &units)?;
        Ok(units.len() != before)
    }

    /// Imports a receipt (the age file the unit sent): decrypts it with the store's reply
    /// identity, verifies the unit's signature, checks the unit is one this device knows and
    /// that the receipt names a report this store sealed, with its exact content; then records
    /// it and marks the case acknowledged. Importing the same receipt again changes nothing.
    pub fn import_receipt(&mut self, sealed: &[u8]) -> Result<ImportedReceipt, PackageError> {
        let identity = self.reply_identity()?;
        let receipt = open_receipt(sealed, std::slice::from_ref(&identity))?;
        let unit = self
            .units()?
            .into_iter()
            .find(|u| u.signing_key == receipt.unit)
            .ok_or(PackageError::UntrustedSigner(
                "the receipt is signed by a unit this device does not know",
            ))?;
        let record = match self.record(&receipt.case_id) {
            Err(StoreError::NotFound(_)) => {
                return Err(PackageError::ReceiptMismatch(
                    "no case of this store has that case id (deleted, or another device's)",
                ))
            }
            other => other?,
        };
        // A receipt for the package still pending on this device proves the package was
        // delivered, even if the host never confirmed it: phase two happens now. (If the case
        // changed since that package was made, confirming is refused and so is the receipt.)
        let pending_here = record.status == CaseStatus::Draft
            && record.pending_seal.as_ref().is_some_and(|p| {
                p.report_id == receipt.report_id && p.content_hash == receipt.content_hash
            });
        let record = if pending_here {
            self.confirm_sealed(&record.id, &receipt.report_id)?;
            self.record(&record.id)?
        } else {
            record
        };
        if record.report_id.as_deref() != Some(receipt.report_id.as_str()) {
            return Err(PackageError::ReceiptMismatch(
                "the case was not sealed into that report",
            ));
        }
        if record.content_hash.as_deref() != Some(receipt.content_hash.as_str()) {
            return Err(PackageError::ReceiptMismatch(
                "the receipt is for other content than this store sealed",
            ));
        }
        let mut imported = ImportedReceipt {
            case_id: record.id.clone(),
            report_id: receipt.report_id.clone(),
            status: receipt.status,
            note: receipt.note.clone(),
            unit_name: unit.name.clone(),
            new: false,
            case_status: record.status,
        };
        if record
            .receipts
            .iter()
            .any(|r| r.receipt_id == receipt.receipt_id)
        {
            return Ok(imported);
        }
        imported.case_status = self.atomically(|s| {
            let mut record = s.record(&receipt.case_id)?;
            record.receipts.push(ReceiptEntry {
                receipt_id: receipt.receipt_id.clone(),
                status: receipt.status,
                note: receipt.note.clone(),
                issued_at: receipt.issued_at,
                imported_at: now(),
                unit_name: unit.name.clone(),
                unit_key_id: unit.signing_key.key_id.clone(),
            });
            // Receipts can arrive out of order: the latest issued one is the current status.
            // (a stable sort: receipts issued in the same second keep their arrival order).
            record.receipts.sort_by_key(|r| r.issued_at);
            let detail = format!("{} {}", receipt.status.as_str(), receipt.receipt_id);
            if record.status != CaseStatus::Acknowledged {
                record.status = CaseStatus::Acknowledged;
                s.log_event(
                    &mut record,
                    "status_changed",
                    CaseStatus::Acknowledged.as_str(),
                )?;
            }
            s.log_event(&mut record, "receipt_imported", &detail)?;
            Ok::<_, StoreError>(record.status)
        })?;
        imported.new = true;
        Ok(imported)
    }
}

crate::redacted_debug!(ImportedReceipt {
    case_id,
    report_id,
    status,
    new
});
