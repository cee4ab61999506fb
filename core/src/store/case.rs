//! Cases: one documented situation each — record, answers, notes and custody log — every part
//! a separate sealed object whose row key is a keyed hash of the case id.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{now, Store, StoreError};
use crate::checklist::ChecklistRef;
use crate::custody::{event_hash, verify_custody, CustodyEvent};
use crate::hex;
use crate::vault::random_bytes;

/// Where a case is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify), tsify(missing_as_null))]
pub enum CaseStatus {
    /// Being documented; answers and notes can change.
    Draft,
    /// Sealed into a report package; kept until acknowledged.
    Sealed,
    /// The package was handed over (shared, exported, uploaded).
    HandedOver,
    /// The receiving unit's signed receipt arrived.
    Acknowledged,
}

impl CaseStatus {
    /// The JSON spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            CaseStatus::Draft => "draft",
            CaseStatus::Sealed => "sealed",
            CaseStatus::HandedOver => "handed_over",
            CaseStatus::Acknowledged => "acknowledged",
        }
    }
}

/// A case's own record.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct CaseRecord {
    /// Random id (32 hex digits).
    pub id: String,
    /// The worker's title (personal data: only ever stored sealed).
    pub title: String,
    /// Status.
    pub status: CaseStatus,
    /// The checklist the answers belong to.
    pub checklist: Option<ChecklistRef>,
    /// Unix seconds.
    pub created: i64,
    /// Unix seconds of the last change.
    pub updated: i64,
    /// Where the custody log is; `None` in records written before the log was segmented (the
    /// whole log then sits in segment 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custody: Option<CustodyLayout>,
    /// The report id of the package this case was sealed into (docs/formats/package.md).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub report_id: Option<String>,
    /// The content hash of that package (a receipt must name it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_hash: Option<String>,
    /// The receiving units' receipts for that package, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub receipts: Vec<ReceiptEntry>,
    /// A package made by `seal_case` and not yet confirmed durable by the host
    /// (`confirm_sealed`); the case is still a draft meanwhile.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pending_seal: Option<PendingSeal>,
    /// The language the worker runs this case's checklist in (a language the checklist offers,
    /// as `start_case` checked); `None` for cases started without one, which the app shows in
    /// its default language. Kept sealed with the record: a case's language hints at the person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
}

/// A package made for a draft case, waiting for the host's word that it is stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct PendingSeal {
    /// The package's report id.
    pub report_id: String,
    /// Its content hash.
    pub content_hash: String,
    /// The custody log's length when it was made: a later edit makes it stale.
    pub custody_len: u64,
}

/// A case deleted before a receipt acknowledged it (with `force`), as the store's deletion log
/// keeps it: the case is gone, the record that it was deliberately dropped stays.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct DeletedCase {
    /// The case id.
    pub case_id: String,
    /// Its status when deleted (sealed or handed_over).
    pub status: CaseStatus,
    /// The report it had been sealed into.
    pub report_id: Option<String>,
    /// Unix seconds.
    pub at: i64,
}

impl CaseRecord {
    /// Whether the app may offer to delete the case: drafts (never sent) and acknowledged cases
    /// (a valid receipt arrived). A sealed or handed-over case is kept until a receipt says the
    /// unit has it.
    pub fn deletable(&self) -> bool {
        matches!(self.status, CaseStatus::Draft | CaseStatus::Acknowledged)
    }
}

/// A verified receipt, as the case keeps it.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct ReceiptEntry {
    /// The receipt's id.
    pub receipt_id: String,
    /// received, investigating, referred or closed.
    pub status: crate::package::ReceiptStatus,
    /// The unit's message, if any.
    pub note: Option<String>,
    /// When the unit issued it, Unix seconds.
    pub issued_at: i64,
    /// When this device imported it, Unix seconds.
    pub imported_at: i64,
    /// The unit's name (from the unit card the device trusts).
    pub unit_name: String,
    /// The unit's signing key id.
    pub unit_key_id: String,
}

/// How a case's custody log is split into sealed segments of at most [`CUSTODY_SEGMENT`] events,
/// so that recording an event rewrites one small segment, not the whole log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct CustodyLayout {
    /// Events in all.
    pub len: u64,
    /// Segments in use (0, 1, …).
    pub segments: u64,
    /// Hash of the last event (64 zeros when empty): a segment rolled back or removed no longer
    /// ends the chain here.
    pub last_hash: String,
}

/// Events per custody segment.
pub const CUSTODY_SEGMENT: usize = 64;

/// What a case list shows.
#[derive(Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct CaseSummary {
    /// Case id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Status.
    pub status: CaseStatus,
    /// Last change, Unix seconds.
    pub updated: i64,
    /// Whether the app may offer deletion ([`CaseRecord::deletable`]).
    pub deletable: bool,
    /// The status of the latest receipt, if one arrived.
    pub receipt_status: Option<crate::package::ReceiptStatus>,
}

/// A note the worker wrote.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct Note {
    /// Random id.
    pub id: String,
    /// Text.
    pub text: String,
    /// Unix seconds.
    pub created: i64,
}

const MAX_TITLE: usize = 500;
const MAX_NOTE: usize = 20_000;

impl Store {
    pub(super) fn case_row(&self, kind: &str, id: &str) -> Result<[u8; 32], StoreError> {
        self.row_key(kind, &[id.as_bytes()])
    }

    fn index(&self) -> Result<Vec<String>, StoreError> {
        let row = self.row_key("case-index", &[])?;
        Ok(self.get(&row)?.unwrap_or_default())
    }

    pub(super) fn record(&self, id: &str) -> Result<CaseRecord, StoreError> {
        self.get(&self.case_row("case", id)?)?
            .ok_or(StoreError::NotFound("case"))
    }

    /// Segment `n` of a case's custody log. Segment 0 has the row key the unsegmented log had.
    fn custody_row(&self, id: &str, n: u64) -> Result<[u8; 32], StoreError> {
        if n == 0 {
            self.case_row("custody", id)
        } else {
            self.row_key("custody", &[id.as_bytes(), &n.to_be_bytes()])
        }
    }

    pub(super) fn custody_layout(&self, record: &CaseRecord) -> Result<CustodyLayout, StoreError> {
        if let Some(layout) = &record.custody {
            return Ok(layout.clone());
        }
        let legacy: Vec<CustodyEvent> = self
            .get(&self.custody_row(&record.id, 0)?)?
            .unwrap_or_default();
        Ok(CustodyLayout {
            len: legacy.len() as u64,
            segments: u64::from(!legacy.is_empty()),
            last_hash: legacy
                .last()
                .map_or_else(|| "0".repeat(64), |e| e.hash.clone()),
        })
    }

    pub(super) fn log_event(
        &self,
        record: &mut CaseRecord,
        event: &str,
        detail: &str,
    ) -> Result<(), StoreError> {
        let mut layout = self.custody_layout(record)?;
        let mut n = layout.segments.saturating_sub(1);
        let mut segment: Vec<CustodyEvent> = if layout.segments == 0 {
            Vec::new()
        } else {
            self.get(&self.custody_row(&record.id, n)?)?
                .ok_or(StoreError::Tampered)?
        };
        if segment.len() >= CUSTODY_SEGMENT {
            n += 1;
            segment = Vec::new();
        }
        let at = now();
        let prev = layout.last_hash.clone();
        let seq = layout.len;
        let hash = event_hash(&prev, seq, event, detail, at);
        segment.push(CustodyEvent {
            seq,
            event: event.into(),
            detail: detail.into(),
            at,
            prev,
            hash: hash.clone(),
        });
        self.put(&self.custody_row(&record.id, n)?, &segment)?;
        layout = CustodyLayout {
            len: seq + 1,
            segments: n + 1,
            last_hash: hash,
        };
        record.custody = Some(layout);
        record.updated = at;
        self.put(&self.case_row("case", &record.id)?, record)
    }

    pub(super) fn draft(&self, id: &str) -> Result<CaseRecord, StoreError> {
        let record = self.record(id)?;
        if record.status != CaseStatus::Draft {
            return Err(StoreError::InvalidTransition {
                from: record.status.as_str(),
                to: "edited",
            });
        }
        Ok(record)
    }

    /// Starts a new draft case; returns its id.
    pub fn create_case(
        &mut self,
        title: &str,
        checklist: Option<ChecklistRef>,
    ) -> Result<String, StoreError> {
        self.new_case(title, checklist, None)
    }

    fn new_case(
        &mut self,
        title: &str,
        checklist: Option<ChecklistRef>,
        language: Option<String>,
    ) -> Result<String, StoreError> {
        if title.chars().count() > MAX_TITLE {
            return Err(StoreError::TooLarge);
        }
        let id = hex::encode(&random_bytes::<16>()?);
        self.atomically(|s| {
            let t = now();
            let mut record = CaseRecord {
                id: id.clone(),
                title: title.to_owned(),
                status: CaseStatus::Draft,
                checklist,
                created: t,
                updated: t,
                custody: None,
                report_id: None,
                content_hash: None,
                receipts: Vec::new(),
                pending_seal: None,
                language,
            };
            let mut index = s.index()?;
            index.push(id.clone());
            s.put(&s.row_key("case-index", &[])?, &index)?;
            s.log_event(&mut record, "created", "")?;
            Ok::<(), StoreError>(())
        })?;
        Ok(id)
    }

    /// Starts a new draft case on the built-in checklist `checklist_id`
    /// (`checklist::builtin::ids()`), as the field app does: the case records the checklist's id,
    /// version and digest, so its sealed package carries the assessment (`seal_case`), and the
    /// `language` the worker runs it in (one of the checklist's languages; the app reopens the
    /// case in it). `None` for `checklist_id` starts a case with no checklist (notes and
    /// attachments only; no assessment), which takes no language. Returns the case id. Errors:
    /// `UnknownChecklist` for an id that is not built in, `InvalidInput` for a language the
    /// checklist does not offer or given without a checklist, `TooLarge` for a title over 500
    /// characters.
    pub fn start_case(
        &mut self,
        title: &str,
        checklist_id: Option<&str>,
        language: Option<&str>,
    ) -> Result<String, StoreError> {
        let checklist = match checklist_id {
            None => None,
            Some(id) => Some(crate::checklist::builtin::load(id).map_err(|e| match e {
                crate::checklist::builtin::BuiltinError::Unknown(id)
                | crate::checklist::builtin::BuiltinError::NotProvided(id) => {
                    StoreError::UnknownChecklist(id)
                }
                crate::checklist::builtin::BuiltinError::Altered(_)
                | crate::checklist::builtin::BuiltinError::Invalid(_) => {
                    StoreError::Unsupported("a built-in checklist does not load")
                }
            })?),
        };
        if let Some(language) = language {
            match &checklist {
                None => return Err(StoreError::InvalidInput("a language needs a checklist")),
                Some(c) if !c.languages().iter().any(|l| l == language) => {
                    return Err(StoreError::InvalidInput(
                        "the checklist is not offered in that language",
                    ));
                }
                Some(_) => {}
            }
        }
        self.new_case(
            title,
            checklist.map(|c| c.reference().clone()),
            language.map(str::to_owned),
        )
    }

    /// All cases, newest first, with their decrypted titles and statuses.
    pub fn list_cases(&self) -> Result<Vec<CaseSummary>, StoreError> {
        let mut cases: Vec<CaseSummary> = self
            .index()?
            .iter()
            .map(|id| {
                self.record(id).map(|r| CaseSummary {
                    deletable: r.deletable(),
                    receipt_status: r.receipts.last().map(|e| e.status),
                    id: r.id,
                    title: r.title,
                    status: r.status,
                    updated: r.updated,
                })
            })
            .collect::<Result<_, _>>()?;
        cases.sort_by(|a, b| b.updated.cmp(&a.updated).then_with(|| a.id.cmp(&b.id)));
        Ok(cases)
    }

    /// One case's record (`NotFound` for an unknown id). `custody` says where the log's
    /// segments lie and its last hash; [`Store::custody_log`] gives the log itself.
    pub fn case(&self, id: &str) -> Result<CaseRecord, StoreError> {
        self.record(id)
    }

    /// Records that a sealed case's package was handed over (shared, exported, uploaded):
    /// sealed → handed over. Sealed comes only from `confirm_sealed`, acknowledged only from a
    /// verified receipt (`import_receipt`); no host can set either.
    pub fn mark_handed_over(&mut self, id: &str) -> Result<(), StoreError> {
        self.atomically(|s| {
            let mut record = s.record(id)?;
            if record.status != CaseStatus::Sealed {
                return Err(StoreError::InvalidTransition {
                    from: record.status.as_str(),
                    to: CaseStatus::HandedOver.as_str(),
                });
            }
            record.status = CaseStatus::HandedOver;
            s.log_event(
                &mut record,
                "status_changed",
                CaseStatus::HandedOver.as_str(),
            )
        })
    }

    /// Cases deleted with `force` before a receipt acknowledged them, oldest first.
    pub fn deletions(&self) -> Result<Vec<DeletedCase>, StoreError> {
        Ok(self
            .get(&self.row_key("deletions", &[])?)?
            .unwrap_or_default())
    }

    /// Saves one answer (its JSON form, docs/formats/checklist.md) the moment it is given.
    pub fn save_answer(
        &mut self,
        id: &str,
        question: &str,
        value: &Value,
    ) -> Result<(), StoreError> {
        // Only what a checklist session can restore is kept: one malformed value would make the
        // whole case's answers unrestorable (restoring is all or nothing).
        let shaped = match value {
            Value::String(text) => {
                !text.trim().is_empty() && text.len() <= crate::package::MAX_TEXT_BYTES
            }
            Value::Number(n) => crate::checklist::answer::is_exact_number(n),
            Value::Array(items) => !items.is_empty() && items.iter().all(Value::is_string),
            _ => false,
        };
        if !shaped {
            return Err(StoreError::InvalidAnswer(
                "an answer is a non-empty text (at most 100,000 bytes), a number (at most 2^53 in \
                 magnitude) or a non-empty list of choice ids",
            ));
        }
        self.atomically(|s| {
            let mut record = s.draft(id)?;
            let row = s.case_row("answers", id)?;
            let mut answers: Map<String, Value> = s.get(&row)?.unwrap_or_default();
            answers.insert(question.to_owned(), value.clone());
            s.put(&row, &answers)?;
            s.log_event(&mut record, "answer_saved", question)
        })
    }

    /// Removes one answer.
    pub fn clear_answer(&mut self, id: &str, question: &str) -> Result<(), StoreError> {
        self.atomically(|s| {
            let mut record = s.draft(id)?;
            let row = s.case_row("answers", id)?;
            let mut answers: Map<String, Value> = s.get(&row)?.unwrap_or_default();
            if answers.remove(question).is_some() {
                s.put(&row, &answers)?;
                s.log_event(&mut record, "answer_cleared", question)?;
            }
            Ok(())
        })
    }

    /// All saved answers of a case, as a JSON object (what `Session::restore_answers` takes).
    pub fn answers(&self, id: &str) -> Result<Value, StoreError> {
        self.record(id)?;
        let answers: Map<String, Value> = self
            .get(&self.case_row("answers", id)?)?
            .unwrap_or_default();
        Ok(Value::Object(answers))
    }

    /// Adds a note; returns its id.
    pub fn add_note(&mut self, id: &str, text: &str) -> Result<String, StoreError> {
        if text.chars().count() > MAX_NOTE {
            return Err(StoreError::TooLarge);
        }
        let note_id = hex::encode(&random_bytes::<8>()?);
        self.atomically(|s| {
            let mut record = s.draft(id)?;
            let row = s.case_row("notes", id)?;
            let mut notes: Vec<Note> = s.get(&row)?.unwrap_or_default();
            notes.push(Note {
                id: note_id.clone(),
                text: text.to_owned(),
                created: now(),
            });
            s.put(&row, &notes)?;
            s.log_event(&mut record, "note_added", &note_id)
        })?;
        Ok(note_id)
    }

    /// A case's notes, oldest first.
    pub fn notes(&self, id: &str) -> Result<Vec<Note>, StoreError> {
        self.record(id)?;
        Ok(self.get(&self.case_row("notes", id)?)?.unwrap_or_default())
    }

    /// A case's custody log; `Tampered` if its hash chain is broken.
    pub fn custody_log(&self, id: &str) -> Result<Vec<CustodyEvent>, StoreError> {
        let record = self.record(id)?;
        let layout = self.custody_layout(&record)?;
        let mut log = Vec::new();
        for n in 0..layout.segments {
            let segment: Vec<CustodyEvent> = self
                .get(&self.custody_row(id, n)?)?
                .ok_or(StoreError::Tampered)?;
            log.extend(segment);
        }
        let ends_where_recorded = log.len() as u64 == layout.len
            && log
                .last()
                .map_or_else(|| "0".repeat(64), |e| e.hash.clone())
                == layout.last_hash;
        if verify_custody(&log) && ends_where_recorded {
            Ok(log)
        } else {
            Err(StoreError::Tampered)
        }
    }

    /// Deletes a case and everything of it. A sealed case that the receiver has not
    /// acknowledged is kept unless `force` (an explicit user action) is set.
    pub fn delete_case(&mut self, id: &str, force: bool) -> Result<(), StoreError> {
        self.atomically(|s| {
            let record = s.record(id)?;
            if matches!(record.status, CaseStatus::Sealed | CaseStatus::HandedOver) {
                if !force {
                    return Err(StoreError::InvalidTransition {
                        from: record.status.as_str(),
                        to: "deleted",
                    });
                }
                // The case's own log goes with it: the store's deletion log keeps the fact.
                let row = s.row_key("deletions", &[])?;
                let mut log: Vec<DeletedCase> = s.get(&row)?.unwrap_or_default();
                log.push(DeletedCase {
                    case_id: record.id.clone(),
                    status: record.status,
                    report_id: record.report_id.clone(),
                    at: now(),
                });
                s.put(&row, &log)?;
            }
            for n in 0..s.custody_layout(&record)?.segments.max(1) {
                s.delete(&s.custody_row(id, n)?)?;
            }
            s.delete_attachments(id)?;
            for kind in ["case", "answers", "notes"] {
                s.delete(&s.case_row(kind, id)?)?;
            }
            let mut index = s.index()?;
            index.retain(|c| c != id);
            s.put(&s.row_key("case-index", &[])?, &index)
        })
    }
}

crate::redacted_debug!(CaseRecord {
    id,
    status,
    created,
    updated,
    report_id
});

crate::redacted_debug!(ReceiptEntry {
    receipt_id,
    status,
    issued_at
});

crate::redacted_debug!(CaseSummary {
    id,
    status,
    updated,
    deletable
});

crate::redacted_debug!(Note { id, created });
