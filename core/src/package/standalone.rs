//! Sealing a case that exists only in the page (the web widget without a store): the caller
//! gives the answers, notes and attachments, and a device key it keeps (or a fresh one).

use std::sync::Arc;

use serde::Deserialize;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use super::{
    AttachmentEntry, CaseContent, DeviceKey, Manifest, NoteEntry, PackageError, SealedReport,
    UnitCard, FORMAT,
};
use crate::checklist::{builtin, ChecklistRef, Session};
use crate::clock::now;
use crate::hex;
use crate::sealing::Armor;

/// A case to seal without a store.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(deny_unknown_fields)]
pub struct StandaloneCase {
    /// The reporting organisation's id.
    pub organisation: String,
    /// The case's title.
    pub title: String,
    /// Answers by question id (their JSON form).
    #[serde(default)]
    #[cfg_attr(feature = "tsify", tsify(type = "Record<string, AnswerValue>"))]
    pub answers: Map<String, Value>,
    /// Notes, oldest first.
    #[serde(default)]
    pub notes: Vec<String>,
    /// A built-in checklist the answers belong to: they are checked against it and its
    /// assessment goes into the manifest.
    #[serde(default)]
    pub checklist_id: Option<String>,
    /// age recipients for the receipt.
    #[serde(default)]
    pub reply_to: Vec<String>,
}

/// An attachment held in memory.
#[derive(Debug, Clone, Copy)]
pub struct StandaloneAttachment<'a> {
    /// File name.
    pub name: &'a str,
    /// Media type.
    pub mime: &'a str,
    /// Content.
    pub data: &'a [u8],
}

/// The checklist reference and assessment for answers to built-in checklist `id`, refusing
/// answers that do not fit it.
pub(crate) fn assess_builtin(
    id: &str,
    answers: &Map<String, Value>,
) -> Result<(ChecklistRef, Value), PackageError> {
    let checklist = builtin::load(id).map_err(|_| PackageError::UnknownChecklist)?;
    let reference = checklist.reference().clone();
    let mut session = Session::new(Arc::new(checklist), "en");
    session
        .restore_answers(&Value::Object(answers.clone()))
        .map_err(|_| PackageError::InvalidAnswers)?;
    let assessment = serde_json::to_value(session.assessment())
        .map_err(|_| PackageError::InvalidInput("assessment"))?;
    Ok((reference, assessment))
}

/// Seals `case` with its `attachments` into a package for the receiving units of `unit_cards`,
/// signed by `key`. Each card is the JSON text a unit handed out (`indicia unit-card`), read by
/// [`UnitCard::parse`]: only signed (`indicia-unit/2`) cards whose signature verifies are sealed
/// to, so a recipient cannot be swapped in on the way (the fingerprint is for the worker to
/// compare when the card is first taken in). There is no way to seal to a bare age recipient.
///
/// Errors: `InvalidState` with no card; a card's own error (`CorruptInput`, `BadSignature`,
/// `UnsupportedInput` for an unsigned v1 card) for a card that does not read.
pub fn seal_standalone<S: AsRef<str>>(
    case: &StandaloneCase,
    attachments: &[StandaloneAttachment<'_>],
    key: &DeviceKey,
    unit_cards: &[S],
    armor: Armor,
) -> Result<(Vec<u8>, SealedReport), PackageError> {
    if unit_cards.is_empty() {
        return Err(PackageError::InvalidInput(
            "no receiving unit: give at least one unit's signed card",
        ));
    }
    let mut to = Vec::with_capacity(unit_cards.len());
    for card in unit_cards {
        to.push(UnitCard::parse(card.as_ref())?.recipient);
    }
    // Checked by `parse` already.
    let recipients =
        crate::keys::parse_recipients(&to).map_err(|e| PackageError::Seal(e.into()))?;
    if case.title.chars().count() > 500 || case.notes.iter().any(|n| n.len() > 100_000) {
        return Err(PackageError::InvalidInput("a title or note is too long"));
    }
    // Canonical JSON would round a larger number; the receiver would see another answer.
    let inexact =
        |v: &Value| matches!(v, Value::Number(n) if !crate::checklist::answer::is_exact_number(n));
    if case.answers.values().any(inexact) {
        return Err(PackageError::InvalidAnswers);
    }
    let (checklist, assessment) = match &case.checklist_id {
        Some(id) => {
            let (reference, assessment) = assess_builtin(id, &case.answers)?;
            (Some(reference), Some(assessment))
        }
        None => (None, None),
    };
    let mut ids = [0u8; 32];
    getrandom::getrandom(&mut ids).map_err(|_| PackageError::Random)?;
    let t = now();
    let manifest = Manifest {
        format: FORMAT.into(),
        report_id: hex::encode(&ids[..16]),
        sealed_at: t,
        organisation: case.organisation.clone(),
        reply_to: case.reply_to.clone(),
        device: key.info(),
        case: CaseContent {
            case_id: hex::encode(&ids[16..]),
            title: case.title.clone(),
            created: t,
            updated: t,
            answers: case.answers.clone(),
            notes: case
                .notes
                .iter()
                .map(|text| NoteEntry {
                    text: text.clone(),
                    created: t,
                })
                .collect(),
        },
        checklist,
        assessment,
        attachments: attachments
            .iter()
            .map(|a| AttachmentEntry {
                name: a.name.to_owned(),
                mime: a.mime.to_owned(),
                size: a.data.len() as u64,
                sha256: hex::encode(&Sha256::digest(a.data)),
            })
            .collect(),
        custody: Vec::new(),
    };
    let report = SealedReport::of(&manifest)?;
    let contents: Vec<&[u8]> = attachments.iter().map(|a| a.data).collect();
    let sealed = super::seal_package_in_memory(manifest, key, &recipients, armor, &contents)?;
    Ok((sealed, report))
}
