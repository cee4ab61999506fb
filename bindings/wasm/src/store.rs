//! The encrypted case store in the browser. Persistent stores live in the origin's OPFS and work
//! only in a dedicated Worker (call `installBrowserStorage()` there first); in-memory stores work
//! anywhere (Node, the main thread) and leave nothing behind.

use indicia_core::package::UnitCard;
#[cfg(target_arch = "wasm32")]
use indicia_core::store::Backend;
use indicia_core::store::{
    DeviceFactor, DeviceResponse, KdfParams, MemoryBackend, Protection, Store, StoreError,
    StrengthEstimator, Vault,
};
use indicia_core::ErrorKind;
use secrecy::SecretString;
use wasm_bindgen::prelude::*;

use crate::checklist::to_js;
use crate::error::{js_error, IntoJsResult};

#[cfg(target_arch = "wasm32")]
/// Opens this Worker's OPFS storage for `CaseStore.createInBrowser`/`openInBrowser`. Rejects
/// outside a dedicated Worker or where the browser has no OPFS (some private modes).
#[wasm_bindgen(js_name = installBrowserStorage)]
pub async fn install_browser_storage() -> Result<(), JsValue> {
    indicia_core::store::install_opfs().await.into_js()
}

fn pin(text: String) -> SecretString {
    SecretString::from(text)
}

fn response(bytes: &[u8]) -> Result<DeviceResponse, JsValue> {
    DeviceResponse::from_slice(bytes).into_js()
}

/// The host's strength estimator: `strength(passphrase)` returns zxcvbn's score, 0–4.
fn estimator(strength: Option<js_sys::Function>) -> StrengthEstimator {
    match strength {
        None => StrengthEstimator::Unavailable,
        Some(f) => StrengthEstimator::Host(std::rc::Rc::new(move |passphrase: &str| {
            let score = f
                .call1(&JsValue::NULL, &JsValue::from_str(passphrase))
                .map_err(|_| "the strength estimator threw".to_owned())?;
            score
                .as_f64()
                .filter(|s| (0.0..=4.0).contains(s))
                .map(|s| s as u8)
                .ok_or_else(|| "the strength estimator returned no score 0-4".to_owned())
        })),
    }
}

/// The passphrase policy alone (scored by `strength`), or a PIN plus the passkey PRF output for
/// `challenge`.
fn protection(
    challenge: Option<Vec<u8>>,
    prf: Option<Vec<u8>>,
    strength: Option<js_sys::Function>,
) -> Result<Protection, JsValue> {
    let with_strength = |mut p: Protection| {
        p.strength = estimator(strength);
        p
    };
    match (challenge, prf) {
        (None, None) => Ok(with_strength(Protection::passphrase(KdfParams::BROWSER))),
        (Some(challenge), Some(prf)) => {
            let challenge = challenge.as_slice().try_into().map_err(|_| {
                js_error(
                    ErrorKind::InvalidAnswer,
                    "a device challenge is 32 bytes".into(),
                )
            })?;
            Ok(with_strength(Protection::device_bound(
                KdfParams::BROWSER,
                DeviceFactor {
                    challenge,
                    response: response(&prf)?,
                },
            )))
        }
        _ => Err(js_error(
            ErrorKind::InvalidAnswer,
            "give both the device challenge and its PRF output, or neither".into(),
        )),
    }
}

#[cfg(target_arch = "wasm32")]
fn opfs(name: &str) -> Result<Box<dyn Backend>, JsValue> {
    Ok(Box::new(
        indicia_core::store::OpfsBackend::new(name).into_js()?,
    ))
}

/// A worker's encrypted case store (docs/formats/store.md).
#[wasm_bindgen]
pub struct CaseStore {
    // `None` after a quick delete or a wipe: every call then reports that there is no store.
    inner: Option<Store>,
}

impl CaseStore {
    fn store(&mut self) -> Result<&mut Store, JsValue> {
        self.inner.as_mut().ok_or(StoreError::NoStore).into_js()
    }

    fn with<T, E: indicia_core::Classified>(
        &mut self,
        f: impl FnOnce(&mut Store) -> Result<T, E>,
    ) -> Result<T, JsValue> {
        let result = f(self.store()?);
        if matches!(&result, Err(e) if e.kind() == ErrorKind::StoreWiped) {
            self.inner = None;
        }
        result.into_js()
    }
}

/// `Store::change_pin` or `Store::rekey`.
type SecretChange = fn(
    &mut Store,
    &SecretString,
    Option<&DeviceResponse>,
    &SecretString,
    &Protection,
) -> Result<(), StoreError>;

impl CaseStore {
    fn change_secret(
        &mut self,
        change: SecretChange,
        current: String,
        new: String,
        current_prf: Option<Vec<u8>>,
        protection: &Protection,
    ) -> Result<(), JsValue> {
        let current_prf = current_prf.as_deref().map(response).transpose()?;
        self.with(|s| {
            change(
                s,
                &pin(current),
                current_prf.as_ref(),
                &pin(new),
                protection,
            )
        })
    }
}

#[wasm_bindgen]
impl CaseStore {
    #[cfg(target_arch = "wasm32")]
    /// Creates a store named `name` in this origin's OPFS, protected by `pin`; it starts
    /// unlocked. Argon2id uses the browser parameters (docs/formats/store.md). With a passkey:
    /// `challenge` from `CaseStore.newDeviceChallenge()` and `prf`, the passkey's WebAuthn PRF
    /// output for it (32 bytes); then the PIN needs 6 characters. Without them, a passphrase of
    /// 8 that `strength(passphrase)` (zxcvbn-ts's score, 0–4) scores 3 or more; without
    /// `strength` every passphrase is refused ("WeakPin": the core has no estimator in the
    /// browser build).
    #[wasm_bindgen(js_name = createInBrowser)]
    pub fn create_in_browser(
        name: &str,
        pin_text: String,
        challenge: Option<Vec<u8>>,
        prf: Option<Vec<u8>>,
        strength: Option<js_sys::Function>,
    ) -> Result<CaseStore, JsValue> {
        let protection = protection(challenge, prf, strength)?;
        let store = Store::create(opfs(name)?, &pin(pin_text), &protection).into_js()?;
        Ok(CaseStore { inner: Some(store) })
    }

    #[cfg(target_arch = "wasm32")]
    /// Opens the store named `name` in this origin's OPFS, locked.
    #[wasm_bindgen(js_name = openInBrowser)]
    pub fn open_in_browser(name: &str) -> Result<CaseStore, JsValue> {
        let store = Store::open(opfs(name)?).into_js()?;
        Ok(CaseStore { inner: Some(store) })
    }

    #[cfg(target_arch = "wasm32")]
    /// Whether a store named `name` exists in this origin's OPFS.
    #[wasm_bindgen(js_name = existsInBrowser)]
    pub fn exists_in_browser(name: &str) -> Result<bool, JsValue> {
        Ok(opfs(name)?.exists())
    }

    /// Creates a store that lives only in memory (and only as long as this object).
    /// `challenge`, `prf` and `strength` as for `createInBrowser`.
    #[wasm_bindgen(js_name = createInMemory)]
    pub fn create_in_memory(
        pin_text: String,
        challenge: Option<Vec<u8>>,
        prf: Option<Vec<u8>>,
        strength: Option<js_sys::Function>,
    ) -> Result<CaseStore, JsValue> {
        let protection = protection(challenge, prf, strength)?;
        let backend = Box::new(MemoryBackend::new().into_js()?);
        let store = Store::create(backend, &pin(pin_text), &protection).into_js()?;
        Ok(CaseStore { inner: Some(store) })
    }

    /// 32 random bytes: the challenge a passkey's PRF output is asked for when a store is made
    /// (then pass both to `createInBrowser`).
    #[wasm_bindgen(js_name = newDeviceChallenge)]
    pub fn new_device_challenge() -> Result<Vec<u8>, JsValue> {
        Vault::new_device_challenge().map(|c| c.to_vec()).into_js()
    }

    /// The challenge to ask the passkey's PRF for at unlock, or `undefined` for a store made
    /// without one. Readable while locked.
    #[wasm_bindgen(js_name = deviceChallenge)]
    pub fn device_challenge(&mut self) -> Result<Option<Vec<u8>>, JsValue> {
        self.with(|s| s.device_challenge().map(|c| c.map(|c| c.to_vec())))
    }

    /// Unlocks with the PIN and the passkey's PRF output for `deviceChallenge()`.
    #[wasm_bindgen(js_name = unlockWithDevice)]
    pub fn unlock_with_device(&mut self, pin_text: String, prf: &[u8]) -> Result<(), JsValue> {
        let prf = response(prf)?;
        self.with(|s| s.unlock_with_device(&pin(pin_text), &prf))
    }

    /// Re-key: a new data key under `new` (every row re-sealed in one transaction; an old
    /// copy of the key slot and the old PIN open nothing after). `currentPrf`: the PRF output
    /// for `deviceChallenge()` if the store has one; `newChallenge`, `newPrf` and `strength` as
    /// for `createInBrowser`.
    pub fn rekey(
        &mut self,
        current: String,
        new: String,
        current_prf: Option<Vec<u8>>,
        new_challenge: Option<Vec<u8>>,
        new_prf: Option<Vec<u8>>,
        strength: Option<js_sys::Function>,
    ) -> Result<(), JsValue> {
        let protection = protection(new_challenge, new_prf, strength)?;
        self.change_secret(Store::rekey, current, new, current_prf, &protection)
    }

    /// Unlocks with the PIN. Wrong PIN: `kind` "WrongPin"; the Nth wrong PIN with wipe-after-N
    /// set erases the store ("StoreWiped").
    pub fn unlock(&mut self, pin_text: String) -> Result<(), JsValue> {
        self.with(|s| s.unlock(&pin(pin_text)))
    }

    /// Forgets the keys; the data stays sealed.
    pub fn lock(&mut self) -> Result<(), JsValue> {
        self.store()?.lock();
        Ok(())
    }

    /// Whether the store holds its keys now.
    #[wasm_bindgen(js_name = isUnlocked)]
    pub fn is_unlocked(&mut self) -> Result<bool, JsValue> {
        Ok(self.store()?.is_unlocked())
    }

    /// Replaces the PIN (the data key is re-wrapped, not replaced: see `rekey`). Arguments
    /// after `new` as for `rekey`.
    #[wasm_bindgen(js_name = changePin)]
    pub fn change_pin(
        &mut self,
        current: String,
        new: String,
        current_prf: Option<Vec<u8>>,
        new_challenge: Option<Vec<u8>>,
        new_prf: Option<Vec<u8>>,
        strength: Option<js_sys::Function>,
    ) -> Result<(), JsValue> {
        let protection = protection(new_challenge, new_prf, strength)?;
        self.change_secret(Store::change_pin, current, new, current_prf, &protection)
    }

    /// Erase the store after this many consecutive wrong PINs (`undefined`: never).
    #[wasm_bindgen(js_name = setWipeAfter)]
    pub fn set_wipe_after(&mut self, attempts: Option<u32>) -> Result<(), JsValue> {
        self.with(|s| s.set_wipe_after(attempts))
    }

    /// Consecutive wrong PINs since the last successful unlock (for the lock screen's warning
    /// before `setWipeAfter` erases the store).
    #[wasm_bindgen(js_name = failedUnlocks)]
    pub fn failed_unlocks(&mut self) -> Result<u32, JsValue> {
        self.with(|s| s.failed_unlocks())
    }

    /// Wrong PINs left before the store erases itself, readable while locked (`undefined`: no
    /// limit was set with `setWipeAfter`).
    #[wasm_bindgen(js_name = attemptsLeft)]
    pub fn attempts_left(&mut self) -> Result<Option<u32>, JsValue> {
        self.with(|s| s.attempts_left())
    }

    /// The data key, for wrapping with a WebCrypto non-extractable key (then
    /// `setPlatformWrapped`). Only while unlocked; zero the array after wrapping.
    #[wasm_bindgen(js_name = platformDataKey)]
    pub fn platform_data_key(&mut self) -> Result<Vec<u8>, JsValue> {
        self.with(|s| s.data_key_for_platform().map(|k| k.to_vec()))
    }

    /// Stores the data key as the platform key wrapped it; the PIN keeps working.
    #[wasm_bindgen(js_name = setPlatformWrapped)]
    pub fn set_platform_wrapped(&mut self, wrapped: &[u8]) -> Result<(), JsValue> {
        self.with(|s| s.set_platform_wrapped(wrapped))
    }

    /// The wrapped data key stored by `setPlatformWrapped`, or `undefined`. Readable while locked.
    #[wasm_bindgen(js_name = platformWrapped)]
    pub fn platform_wrapped(&mut self) -> Result<Option<Vec<u8>>, JsValue> {
        self.with(|s| s.platform_wrapped())
    }

    /// Unlocks with the data key the platform key unwrapped. A key that does not open this
    /// store fails with kind "StoreFailure" and does not count as a wrong PIN.
    #[wasm_bindgen(js_name = unlockWithPlatformKey)]
    pub fn unlock_with_platform_key(&mut self, unwrapped: &[u8]) -> Result<(), JsValue> {
        self.with(|s| s.unlock_with_unwrapped_key(unwrapped))
    }

    /// Removes the platform key's wrapped copy (the PIN still works).
    #[wasm_bindgen(js_name = removePlatformKey)]
    pub fn remove_platform_key(&mut self) -> Result<(), JsValue> {
        self.with(|s| s.remove_platform_key())
    }

    /// Destroys the keys at once, then the data and its storage. The object is unusable after.
    #[wasm_bindgen(js_name = quickDelete)]
    pub fn quick_delete(&mut self) -> Result<(), JsValue> {
        let store = self.inner.take().ok_or(StoreError::NoStore).into_js()?;
        store.quick_delete().into_js()
    }

    /// Starts a draft case; with `checklistId` (a built-in checklist) the answers are tied to
    /// that checklist's version and hash; `language`: the checklist language the case is run in
    /// (kept sealed in `CaseRecord.language`). Returns the case id. `UnknownChecklist`,
    /// `InvalidArgument` (a language the checklist does not offer).
    #[wasm_bindgen(js_name = createCase)]
    pub fn create_case(
        &mut self,
        title: String,
        checklist_id: Option<String>,
        language: Option<String>,
    ) -> Result<String, JsValue> {
        self.with(|s| s.start_case(&title, checklist_id.as_deref(), language.as_deref()))
    }

    /// Cases, newest first: `CaseSummary[]`.
    #[wasm_bindgen(js_name = listCases, unchecked_return_type = "CaseSummary[]")]
    pub fn list_cases(&mut self) -> Result<JsValue, JsValue> {
        self.with(|s| s.list_cases()).map(|cases| to_js(&cases))
    }

    /// One case's record: `CaseRecord`.
    #[wasm_bindgen(js_name = getCase, unchecked_return_type = "CaseRecord")]
    pub fn get_case(&mut self, case_id: &str) -> Result<JsValue, JsValue> {
        self.with(|s| s.case(case_id)).map(|record| to_js(&record))
    }

    /// Saves one answer (`"yes"`, `["a","b"]`, `42`, …) of a draft case.
    #[wasm_bindgen(js_name = saveAnswer)]
    pub fn save_answer(
        &mut self,
        case_id: &str,
        question_id: &str,
        #[wasm_bindgen(unchecked_param_type = "AnswerValue")] value: JsValue,
    ) -> Result<(), JsValue> {
        let value = crate::checklist::answer_from_js(&value)?;
        self.with(|s| s.save_answer(case_id, question_id, &value))
    }

    /// Removes one answer of a draft case (`InvalidState` once sealed).
    #[wasm_bindgen(js_name = clearAnswer)]
    pub fn clear_answer(&mut self, case_id: &str, question_id: &str) -> Result<(), JsValue> {
        self.with(|s| s.clear_answer(case_id, question_id))
    }

    /// All answers of a case, `{ questionId: value }` (what a checklist session restores).
    #[wasm_bindgen(unchecked_return_type = "Record<string, AnswerValue>")]
    pub fn answers(&mut self, case_id: &str) -> Result<JsValue, JsValue> {
        self.with(|s| s.answers(case_id)).map(|v| to_js(&v))
    }

    /// Adds a note to a draft case; returns its id.
    #[wasm_bindgen(js_name = addNote)]
    pub fn add_note(&mut self, case_id: &str, text: &str) -> Result<String, JsValue> {
        self.with(|s| s.add_note(case_id, text))
    }

    /// A case's notes, oldest first.
    #[wasm_bindgen(unchecked_return_type = "Note[]")]
    pub fn notes(&mut self, case_id: &str) -> Result<JsValue, JsValue> {
        self.with(|s| s.notes(case_id)).map(|n| to_js(&n))
    }

    /// Phase two of sealing: the package of `reportId` (from `sealCase`) is saved or shared,
    /// so the case becomes sealed. "InvalidState" if no such package is pending or the case
    /// changed since it was made (seal it again).
    #[wasm_bindgen(js_name = confirmSealed)]
    pub fn confirm_sealed(&mut self, case_id: &str, report_id: &str) -> Result<(), JsValue> {
        self.with(|s| s.confirm_sealed(case_id, report_id))
    }

    /// A sealed case's package was handed over: sealed → handed_over. (Acknowledged comes only
    /// from `importReceipt`.)
    #[wasm_bindgen(js_name = markHandedOver)]
    pub fn mark_handed_over(&mut self, case_id: &str) -> Result<(), JsValue> {
        self.with(|s| s.mark_handed_over(case_id))
    }

    /// Case ids deleted with `force` before a receipt acknowledged them, oldest first.
    #[wasm_bindgen(js_name = deletedCaseIds)]
    pub fn deleted_case_ids(&mut self) -> Result<Vec<String>, JsValue> {
        self.with(|s| s.deletions())
            .map(|d| d.into_iter().map(|d| d.case_id).collect())
    }

    /// The case's hash-chained custody log.
    #[wasm_bindgen(js_name = custodyLog, unchecked_return_type = "CustodyEvent[]")]
    pub fn custody_log(&mut self, case_id: &str) -> Result<JsValue, JsValue> {
        self.with(|s| s.custody_log(case_id)).map(|log| to_js(&log))
    }

    /// Adds an attachment to a draft case (sealed in 64 KiB chunks).
    #[wasm_bindgen(js_name = addAttachment, unchecked_return_type = "AttachmentInfo")]
    pub fn add_attachment(
        &mut self,
        case_id: &str,
        name: &str,
        mime: &str,
        data: &[u8],
    ) -> Result<JsValue, JsValue> {
        self.with(|s| s.add_attachment(case_id, name, mime, data))
            .map(|a| to_js(&a))
    }

    /// A case's attachments (name, type, size, SHA-256), in the order they were added.
    #[wasm_bindgen(unchecked_return_type = "AttachmentInfo[]")]
    pub fn attachments(&mut self, case_id: &str) -> Result<JsValue, JsValue> {
        self.with(|s| s.attachments(case_id)).map(|a| to_js(&a))
    }

    /// An attachment's content, checked against its SHA-256.
    #[wasm_bindgen(js_name = readAttachment)]
    pub fn read_attachment(
        &mut self,
        case_id: &str,
        attachment_id: &str,
    ) -> Result<Vec<u8>, JsValue> {
        self.with(|s| {
            let mut out = Vec::new();
            s.read_attachment(case_id, attachment_id, &mut out)?;
            Ok::<_, StoreError>(out)
        })
    }

    /// The device's signing key (created at first use, kept in the store): what a receiving
    /// unit adds to its trust list.
    #[wasm_bindgen(js_name = deviceInfo, unchecked_return_type = "DeviceInfo")]
    pub fn device_info(&mut self) -> Result<JsValue, JsValue> {
        self.with(|s| s.device_info()).map(|d| to_js(&d))
    }

    /// Seals draft case `caseId` into a report package, signed with the device key, for
    /// receiving units this store holds the cards of (`addUnit`): `units` are their signing key
    /// ids (`card.signing_key.key_id`, 32 hex digits), `[]` meaning every unit the store holds.
    /// There is no way to seal to an age recipient of the page's own. The case stays a draft
    /// until the page has saved or shared the package and calls `confirmSealed(caseId,
    /// report_id)`. The report's `reply_to` (where receipts go) is this store's
    /// `replyRecipient()` followed by `replyTo`. `NotFound` for a key id of no added unit,
    /// `InvalidState` when no unit was added.
    #[wasm_bindgen(js_name = sealCase, unchecked_return_type = "SealedPackage")]
    pub fn seal_case(
        &mut self,
        case_id: &str,
        organisation: &str,
        units: Vec<String>,
        reply_to: Option<Vec<String>>,
        armored: Option<bool>,
    ) -> Result<JsValue, JsValue> {
        let armor = indicia_core::Armor::ascii_if(armored.unwrap_or(false));
        let reply_to = reply_to.unwrap_or_default();
        let (package, report) = self
            .with(|s| s.seal_case(case_id, organisation, &reply_to, &units, armor, Vec::new()))?;
        Ok(crate::package::sealed_to_js(package, report))
    }

    /// Deletes a case; a sealed, unacknowledged one only with `force`.
    #[wasm_bindgen(js_name = deleteCase)]
    pub fn delete_case(&mut self, case_id: &str, force: Option<bool>) -> Result<(), JsValue> {
        self.with(|s| s.delete_case(case_id, force.unwrap_or(false)))
    }

    /// The age recipient (`age1…`) receipts for this device are encrypted to. `sealCase` adds
    /// it to every report's `reply_to` by itself.
    #[wasm_bindgen(js_name = replyRecipient)]
    pub fn reply_recipient(&mut self) -> Result<String, JsValue> {
        self.with(|s| s.reply_recipient())
    }

    /// Adds (or replaces, by signing key) a receiving unit whose receipts this device believes,
    /// from its card's JSON (`indicia unit-card`). Returns the card as read.
    #[wasm_bindgen(js_name = addUnit, unchecked_return_type = "UnitCard")]
    pub fn add_unit(&mut self, card_json: &str) -> Result<JsValue, JsValue> {
        let card = UnitCard::parse(card_json).into_js()?;
        self.with(|s| s.add_unit(&card))?;
        Ok(to_js(&card))
    }

    /// The deployment's checklist trust the store holds (trusts nobody and requires nothing
    /// until set).
    #[wasm_bindgen(js_name = checklistTrust, unchecked_return_type = "ChecklistTrust")]
    pub fn checklist_trust(&mut self) -> Result<JsValue, JsValue> {
        self.with(|s| s.checklist_trust()).map(|t| to_js(&t))
    }

    /// Replaces the checklist trust with the one in `trustJson` (`{"require_signatures",
    /// "publishers": [{"name", "public_key"}]}`; `InvalidArgument` when malformed).
    #[wasm_bindgen(js_name = setChecklistTrust)]
    pub fn set_checklist_trust(&mut self, trust_json: &str) -> Result<(), JsValue> {
        let trust = indicia_core::checklist::ChecklistTrust::from_json(trust_json).into_js()?;
        self.with(|s| s.set_checklist_trust(&trust))
    }

    /// The receiving units this device believes.
    #[wasm_bindgen(unchecked_return_type = "UnitCard[]")]
    pub fn units(&mut self) -> Result<JsValue, JsValue> {
        self.with(|s| s.units()).map(|u| to_js(&u))
    }

    /// Removes a unit by its signing key id; false if there was none.
    #[wasm_bindgen(js_name = removeUnit)]
    pub fn remove_unit(&mut self, key_id: &str) -> Result<bool, JsValue> {
        self.with(|s| s.remove_unit(key_id))
    }

    /// Imports a receipt (the age file, binary or armored, a receiving unit sent back): it must
    /// decrypt with this store's reply identity, carry a valid signature of a unit added with
    /// `addUnit` ("UntrustedSigner" otherwise) and name a report this store sealed, with its
    /// content ("InvalidState" otherwise). The case becomes acknowledged (and deletable).
    #[wasm_bindgen(js_name = importReceipt, unchecked_return_type = "ImportedReceipt")]
    pub fn import_receipt(&mut self, receipt: &[u8]) -> Result<JsValue, JsValue> {
        self.with(|s| s.import_receipt(receipt)).map(|r| to_js(&r))
    }
}
