//! Report packages (docs/formats/package.md) for Kotlin, Swift and Python: sealing a case from
//! the store or one held by the app, and opening and verifying a package (analysts' scripts).

use indicia_core::package::{
    open_package_in_memory, open_receipt as core_open_receipt, seal_standalone, AttachmentInput,
    DeviceKey, OpenedReport, Receipt, SealedPackage, StandaloneAttachment, StandaloneCase,
    UnitCard,
};
use indicia_core::{parse_identities, Armor};
use secrecy::SecretString;

use crate::IndiciaError;

/// Seals a case held by the app (no store). `case_json` is a StandaloneCase object
/// (`organisation`, `title`, `answers`, `notes`, `checklist_id`, `reply_to`); `unit_cards`: the
/// receiving units' signed cards, the JSON text of each (`indicia unit-card`), checked and their
/// signatures verified — the package goes to the recipients on them, never to a bare recipient;
/// `device_secret`: 32 bytes of a device key the app keeps, or none for a key used once.
/// `InvalidState` with no card; a card that does not read: `CorruptInput`, `BadSignature`, or
/// `UnsupportedInput` (unsigned v1).
#[uniffi::export]
pub fn seal_report(
    case_json: String,
    attachments: Vec<AttachmentInput>,
    unit_cards: Vec<String>,
    device_secret: Option<Vec<u8>>,
    armored: bool,
) -> Result<SealedPackage, IndiciaError> {
    let case: StandaloneCase = serde_json::from_str(&case_json).map_err(|_| {
        IndiciaError::InvalidState("the case is not a StandaloneCase JSON object".into())
    })?;
    let key = match device_secret {
        Some(secret) => DeviceKey::from_secret(&secret)
            .ok_or_else(|| IndiciaError::InvalidState("a device secret is 32 bytes".into()))?,
        None => DeviceKey::generate()?,
    };
    let inputs: Vec<StandaloneAttachment<'_>> = attachments
        .iter()
        .map(AttachmentInput::as_standalone)
        .collect();
    let (package, report) =
        seal_standalone(&case, &inputs, &key, &unit_cards, Armor::ascii_if(armored))?;
    Ok(SealedPackage::new(package, report))
}

/// Opens and verifies a package (binary or armored) with an identity string or file text.
#[uniffi::export]
pub fn open_report(package: Vec<u8>, identity: String) -> Result<OpenedReport, IndiciaError> {
    let identities = parse_identities(&SecretString::from(identity))?;
    Ok(open_package_in_memory(&package, &identities)?.try_into()?)
}

/// Decrypts a receipt (binary or armored) with an identity string or file text and verifies the
/// signature of the unit key it names. Whether that unit is one to believe is the caller's
/// decision (`CaseStore.import_receipt` checks it against the units the store knows).
#[uniffi::export]
pub fn open_receipt(receipt: Vec<u8>, identity: String) -> Result<Receipt, IndiciaError> {
    let identities = parse_identities(&SecretString::from(identity))?;
    Ok(core_open_receipt(&receipt, &identities)?)
}

/// A unit card's fingerprint (docs/formats/receipt.md): four groups of five digits from its
/// signing key and recipient. Show it when a card is added (`CaseStore.add_unit` returns the
/// card) and ask the worker to compare it with the one the unit reads out over another channel.
/// A function, not a record field: a record is plain data, and the fingerprint is derived from
/// it, the same for a card just added and one listed by `CaseStore.units`.
#[uniffi::export]
pub fn unit_card_fingerprint(card: UnitCard) -> Result<String, IndiciaError> {
    Ok(card.fingerprint()?)
}
