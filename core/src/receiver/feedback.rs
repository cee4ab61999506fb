//! Receipts the unit issues: signed with its receipt key, encrypted to the report's `reply_to`
//! (the device that sealed it, and whoever the device named) and to the organisation keys on the
//! trust list, recorded with the report.

use super::ReceiverError;
use super::{IssuedReceipt, Receiver, TrustKind};
use crate::keys::{parse_recipients, Recipient};
use crate::package::{seal_receipt, Receipt, ReceiptStatus};
use crate::sealing::Armor;

impl Receiver {
    /// The recipients a receipt for a report from `organisation` with `reply_to` goes to.
    fn receipt_recipients(
        &self,
        organisation: &str,
        reply_to: &[String],
    ) -> Result<Vec<Recipient>, ReceiverError> {
        let mut keys: Vec<String> = reply_to.to_vec();
        keys.extend(
            self.trust_list()?
                .into_iter()
                .filter(|e| {
                    e.kind == TrustKind::Organisation
                        && e.organisation == organisation
                        && e.revoked_at.is_none()
                })
                .map(|e| e.key),
        );
        keys.sort();
        keys.dedup();
        if keys.is_empty() {
            return Err(ReceiverError::InvalidInput(
                "the report names no reply_to recipient and its organisation has no key on the trust list",
            ));
        }
        parse_recipients(&keys).map_err(|_| {
            ReceiverError::InvalidInput("the report's reply_to holds a malformed recipient")
        })
    }

    /// Makes a receipt for `report` (id or unique prefix): signed by the unit, encrypted to the
    /// reporting side, and recorded with the report. Returns the receipt and its age file.
    ///
    /// If the device key that signed the report has been revoked, the receipt is refused with
    /// `UntrustedSigner` unless `to_revoked_signer`: the report's `reply_to` names that device,
    /// and a receipt reaching a stolen phone tells whoever holds it that the unit has the
    /// report.
    pub fn issue_receipt(
        &mut self,
        report: &str,
        status: ReceiptStatus,
        note: Option<&str>,
        armor: Armor,
        to_revoked_signer: bool,
    ) -> Result<(Receipt, Vec<u8>), ReceiverError> {
        let mut stored = self.report(report)?;
        if !to_revoked_signer
            && Self::signer_revoked_at(&self.trust_list()?, &stored.manifest.device).is_some()
        {
            return Err(ReceiverError::UntrustedSigner(
                "the device key that signed this report was revoked: a receipt would reach whoever holds the device",
            ));
        }
        let recipients =
            self.receipt_recipients(&stored.manifest.organisation, &stored.manifest.reply_to)?;
        let key = self.signing_key()?;
        let receipt = Receipt::for_report(
            &stored.manifest,
            status,
            note.map(str::to_owned),
            &self.unit_name()?,
            &key,
        )?;
        let sealed = seal_receipt(&receipt, &key, &recipients, armor)?;
        stored.receipts.push(IssuedReceipt {
            receipt_id: receipt.receipt_id.clone(),
            status,
            note: receipt.note.clone(),
            issued_at: receipt.issued_at,
        });
        self.vault.atomically(|_| {
            self.save_report(&stored)?;
            self.record(
                &stored.manifest.report_id,
                "receipt_issued",
                status.as_str(),
            )
        })?;
        Ok((receipt, sealed))
    }
}
