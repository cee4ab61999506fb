//! The encrypted case store for Kotlin, Swift and Python. The store object wraps the core store
//! behind a mutex; the host's platform key (Android Keystore, iOS Keychain) is a foreign trait.

use std::sync::{Arc, Mutex, MutexGuard};

use indicia_core::checklist::ChecklistTrust;
use indicia_core::custody::CustodyEvent;
use indicia_core::package::{DeviceInfo, SealedPackage, SealedReport, UnitCard};
use indicia_core::store::{
    self, AttachmentInfo, Backend, CaseRecord, CaseSummary, FileBackend, ImportedReceipt,
    KdfParams, MemoryBackend, Note, Store, StoreError,
};
use secrecy::SecretString;

use crate::IndiciaError;

/// The phone default: 64 MiB, 3 passes, 1 lane (docs/formats/store.md).
#[uniffi::export]
pub fn mobile_kdf() -> KdfParams {
    KdfParams::MOBILE
}

/// A key the platform holds (Android Keystore, iOS Keychain), implemented by the host app.
#[uniffi::export(with_foreign)]
pub trait HostPlatformKey: Send + Sync {
    /// Encrypts the store's data key.
    fn wrap(&self, data_key: Vec<u8>) -> Result<Vec<u8>, IndiciaError>;
    /// Decrypts what `wrap` returned.
    fn unwrap(&self, wrapped: Vec<u8>) -> Result<Vec<u8>, IndiciaError>;
}

/// A device-bound secret the host computes in secure hardware (docs/android.md: an Android
/// Keystore or StrongBox HMAC-SHA256 key; iOS: a Secure Enclave key): 32 bytes in, exactly 32
/// bytes out, the same answer for the same challenge on the same device. The key never leaves
/// the hardware; a copy of the store's files plus the PIN opens nothing without it.
#[uniffi::export(with_foreign)]
pub trait HostDeviceSecret: Send + Sync {
    /// HMAC (or equal) of `challenge` with the hardware-held key.
    fn respond(&self, challenge: Vec<u8>) -> Result<Vec<u8>, IndiciaError>;
}

struct DeviceAdapter(Arc<dyn HostDeviceSecret>);

impl store::DeviceSecret for DeviceAdapter {
    fn respond(
        &self,
        challenge: &[u8; store::DEVICE_SECRET_LEN],
    ) -> Result<store::DeviceResponse, String> {
        let bytes = zeroize::Zeroizing::new(
            self.0
                .respond(challenge.to_vec())
                .map_err(|e| e.to_string())?,
        );
        store::DeviceResponse::from_slice(&bytes).map_err(|e| e.to_string())
    }
}

/// How a new PIN slot is made: the passphrase policy alone, or a PIN plus `device`.
fn protection(
    kdf: KdfParams,
    device: Option<&Arc<dyn HostDeviceSecret>>,
) -> Result<store::Protection, IndiciaError> {
    Ok(match device {
        None => store::Protection::passphrase(kdf),
        Some(d) => store::Protection::device_bound(
            kdf,
            store::DeviceFactor::from_secret(&DeviceAdapter(d.clone()))?,
        ),
    })
}

/// The device's response to the store's current challenge, if the store has one.
fn current_response(
    s: &Store,
    device: Option<&Arc<dyn HostDeviceSecret>>,
) -> Result<Option<store::DeviceResponse>, IndiciaError> {
    match (s.device_challenge()?, device) {
        (Some(challenge), Some(d)) => Ok(Some(
            store::DeviceSecret::respond(&DeviceAdapter(d.clone()), &challenge)
                .map_err(StoreError::Platform)?,
        )),
        _ => Ok(None),
    }
}

/// A monotonic counter kept outside the store's files — hardware where the platform has one —
/// so that putting back every file of the store to an older copy is caught (docs/formats/store.md,
/// "Tamper detection"). The store raises it after each commit and refuses, at unlock, a state
/// older than it (`StoreTampered`).
#[uniffi::export(with_foreign)]
pub trait HostRollbackCounter: Send + Sync {
    /// The counter's value.
    fn read(&self) -> Result<u64, IndiciaError>;
    /// Raises the counter to `value` (never lowers it).
    fn advance(&self, value: u64) -> Result<(), IndiciaError>;
}

struct CounterAdapter(Arc<dyn HostRollbackCounter>);

impl store::RollbackCounter for CounterAdapter {
    fn read(&self) -> Result<u64, String> {
        self.0.read().map_err(|e| e.to_string())
    }

    fn advance(&self, value: u64) -> Result<(), String> {
        self.0.advance(value).map_err(|e| e.to_string())
    }
}

struct Adapter(Arc<dyn HostPlatformKey>);

impl store::PlatformKey for Adapter {
    fn wrap(&self, data_key: &[u8]) -> Result<Vec<u8>, String> {
        self.0.wrap(data_key.to_vec()).map_err(|e| e.to_string())
    }

    fn unwrap(&self, wrapped: &[u8]) -> Result<Vec<u8>, String> {
        self.0.unwrap(wrapped.to_vec()).map_err(|e| e.to_string())
    }
}

fn pin(s: String) -> SecretString {
    SecretString::from(s)
}

/// The field app's encrypted case store.
#[derive(uniffi::Object)]
pub struct CaseStore {
    inner: Mutex<Option<Store>>,
}

impl CaseStore {
    fn wrap(store: Store) -> Arc<Self> {
        Arc::new(CaseStore {
            inner: Mutex::new(Some(store)),
        })
    }

    fn with<T, E: Into<IndiciaError>>(
        &self,
        f: impl FnOnce(&mut Store) -> Result<T, E>,
    ) -> Result<T, IndiciaError> {
        let mut guard: MutexGuard<'_, Option<Store>> =
            self.inner.lock().unwrap_or_else(|e| e.into_inner());
        let store = guard.as_mut().ok_or(StoreError::NoStore)?;
        f(store).map_err(Into::into)
    }
}

impl CaseStore {
    /// A PIN change (`rekey`: with a new data key), the device answering the current challenge
    /// and binding the new slot.
    fn change_secret(
        &self,
        current: String,
        new: String,
        kdf: KdfParams,
        device: Option<Arc<dyn HostDeviceSecret>>,
        rekey: bool,
    ) -> Result<(), IndiciaError> {
        self.with(|s| {
            let response = current_response(s, device.as_ref())?;
            let protection = protection(kdf, device.as_ref())?;
            let (current, new) = (pin(current), pin(new));
            let change = if rekey {
                Store::rekey
            } else {
                Store::change_pin
            };
            Ok::<_, IndiciaError>(change(s, &current, response.as_ref(), &new, &protection)?)
        })
    }
}

fn file(path: String) -> Box<dyn Backend> {
    Box::new(FileBackend::new(path))
}

#[uniffi::export]
impl CaseStore {
    /// Creates a store in a file, protected by `pin` and, when given, the device-bound
    /// secret; it starts unlocked. Errors: `WeakPin` (with a device secret: under 6
    /// characters; without: under 8 or easy to guess), `InvalidState` if a store exists.
    #[uniffi::constructor(default(device = None))]
    pub fn create(
        path: String,
        pin_text: String,
        kdf: KdfParams,
        device: Option<Arc<dyn HostDeviceSecret>>,
    ) -> Result<Arc<Self>, IndiciaError> {
        let protection = protection(kdf, device.as_ref())?;
        Ok(Self::wrap(Store::create(
            file(path),
            &pin(pin_text),
            &protection,
        )?))
    }

    /// Creates a store that lives only in memory; it starts unlocked.
    #[uniffi::constructor(default(device = None))]
    pub fn create_in_memory(
        pin_text: String,
        kdf: KdfParams,
        device: Option<Arc<dyn HostDeviceSecret>>,
    ) -> Result<Arc<Self>, IndiciaError> {
        let protection = protection(kdf, device.as_ref())?;
        Ok(Self::wrap(Store::create(
            Box::new(MemoryBackend::new()?),
            &pin(pin_text),
            &protection,
        )?))
    }

    /// Opens an existing store file, locked.
    #[uniffi::constructor]
    pub fn open(path: String) -> Result<Arc<Self>, IndiciaError> {
        Ok(Self::wrap(Store::open(file(path))?))
    }

    /// Unlocks a store made without a device secret (`DeviceSecretRequired` otherwise).
    pub fn unlock(&self, pin_text: String) -> Result<(), IndiciaError> {
        self.with(|s| s.unlock(&pin(pin_text)))
    }

    /// Unlocks with the PIN and the device-bound secret the store was made with.
    pub fn unlock_with_device(
        &self,
        pin_text: String,
        device: Arc<dyn HostDeviceSecret>,
    ) -> Result<(), IndiciaError> {
        self.with(|s| s.unlock_with_device_secret(&pin(pin_text), &DeviceAdapter(device)))
    }

    /// Gives the store a monotonic counter outside its files; set it before `unlock` (while
    /// unlocked it is checked at once).
    pub fn set_rollback_counter(
        &self,
        counter: Arc<dyn HostRollbackCounter>,
    ) -> Result<(), IndiciaError> {
        self.with(|s| s.set_rollback_counter(Box::new(CounterAdapter(counter))))
    }

    /// Whether unlocking needs a device-bound secret.
    pub fn is_device_bound(&self) -> Result<bool, IndiciaError> {
        self.with(|s| s.device_challenge().map(|c| c.is_some()))
    }

    /// Unlocks with the platform key added by `add_platform_key` (Keystore/Keychain: the host
    /// may require the user's biometrics first). `StoreFailure` if the key cannot unwrap.
    pub fn unlock_with_platform_key(
        &self,
        key: Arc<dyn HostPlatformKey>,
    ) -> Result<(), IndiciaError> {
        self.with(|s| s.unlock_with_platform_key(&Adapter(key)))
    }

    /// Adds a slot that `key` unwraps, beside the PIN slot (the store must be unlocked).
    pub fn add_platform_key(&self, key: Arc<dyn HostPlatformKey>) -> Result<(), IndiciaError> {
        self.with(|s| s.add_platform_key(&Adapter(key)))
    }

    /// Forgets the keys (auto-lock when the app goes to the background); data calls then
    /// fail with `StoreLocked` until the next unlock.
    pub fn lock(&self) -> Result<(), IndiciaError> {
        self.with(|s| {
            s.lock();
            Ok::<_, StoreError>(())
        })
    }

    /// Whether the store holds its keys now.
    pub fn is_unlocked(&self) -> Result<bool, IndiciaError> {
        self.with(|s| Ok::<_, StoreError>(s.is_unlocked()))
    }

    /// Quick PIN change (the data key is re-wrapped; see `rekey`). `device`: the device secret
    /// the store uses now and the new PIN will be bound to (`None`: a passphrase alone).
    #[uniffi::method(default(device = None))]
    pub fn change_pin(
        &self,
        current: String,
        new: String,
        kdf: KdfParams,
        device: Option<Arc<dyn HostDeviceSecret>>,
    ) -> Result<(), IndiciaError> {
        self.change_secret(current, new, kdf, device, false)
    }

    /// Re-key: a new data key under `new`, every row re-sealed in one transaction (an old copy
    /// of the key slot and the old PIN open nothing afterwards). Slow for big stores: call it
    /// off the main thread. The platform-key slot is removed (add it again).
    #[uniffi::method(default(device = None))]
    pub fn rekey(
        &self,
        current: String,
        new: String,
        kdf: KdfParams,
        device: Option<Arc<dyn HostDeviceSecret>>,
    ) -> Result<(), IndiciaError> {
        self.change_secret(current, new, kdf, device, true)
    }

    /// Removes the platform key slot (the PIN still unlocks).
    pub fn remove_platform_key(&self) -> Result<(), IndiciaError> {
        self.with(|s| s.remove_platform_key())
    }

    /// Erase the store after this many consecutive wrong PINs (`None`: never).
    pub fn set_wipe_after(&self, attempts: Option<u32>) -> Result<(), IndiciaError> {
        self.with(|s| s.set_wipe_after(attempts))
    }

    /// Consecutive wrong PINs since the last successful unlock (for the lock screen's warning
    /// before `set_wipe_after` erases the store).
    pub fn failed_unlocks(&self) -> Result<u32, IndiciaError> {
        self.with(|s| s.failed_unlocks())
    }

    /// Wrong PINs left before the store erases itself, readable while locked (`None`: no limit
    /// was set with `set_wipe_after`).
    pub fn attempts_left(&self) -> Result<Option<u32>, IndiciaError> {
        self.with(|s| s.attempts_left())
    }

    /// Destroys the keys at once, then the data. The object is unusable afterwards.
    pub fn quick_delete(&self) -> Result<(), IndiciaError> {
        let mut guard = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        let store = guard.take().ok_or(StoreError::NoStore)?;
        Ok(store.quick_delete()?)
    }

    /// Starts a draft case on the built-in checklist `checklist_id` (`builtin_checklists()`),
    /// as the web page does, so the sealed package carries its assessment; `None`: a case with
    /// no checklist (no assessment). `language`: the checklist language the case is run in
    /// (kept sealed in the case record). Returns the case id. `UnknownChecklist` for another
    /// id; `InvalidArgument` for a language the checklist does not offer.
    #[uniffi::method(default(checklist_id = None, language = None))]
    pub fn create_case(
        &self,
        title: String,
        checklist_id: Option<String>,
        language: Option<String>,
    ) -> Result<String, IndiciaError> {
        self.with(|s| s.start_case(&title, checklist_id.as_deref(), language.as_deref()))
    }

    /// The cases, most recently updated first.
    pub fn list_cases(&self) -> Result<Vec<CaseSummary>, IndiciaError> {
        self.with(|s| s.list_cases())
    }

    /// One case: its status, checklist, times and, once sealed, its package's ids and the
    /// receipts imported for it. `NotFound` for an unknown id.
    pub fn get_case(&self, case_id: String) -> Result<CaseRecord, IndiciaError> {
        self.with(|s| s.case(&case_id))
    }

    /// Saves one answer in its JSON form (e.g. `"yes"`, `["a","b"]`, `42`).
    pub fn save_answer(
        &self,
        case_id: String,
        question_id: String,
        value_json: String,
    ) -> Result<(), IndiciaError> {
        let value: serde_json::Value = serde_json::from_str(&value_json)
            .map_err(|_| IndiciaError::InvalidAnswer("the answer is not valid JSON".into()))?;
        self.with(|s| s.save_answer(&case_id, &question_id, &value))
    }

    /// Removes one answer of a draft case (`InvalidState` once sealed).
    pub fn clear_answer(&self, case_id: String, question_id: String) -> Result<(), IndiciaError> {
        self.with(|s| s.clear_answer(&case_id, &question_id))
    }

    /// All answers of a case as a JSON object (what a checklist session restores).
    pub fn answers_json(&self, case_id: String) -> Result<String, IndiciaError> {
        self.with(|s| s.answers(&case_id)).map(|v| v.to_string())
    }

    /// Adds a free-text note to a draft case (at most 100,000 bytes: `InvalidArgument`);
    /// returns the note's id.
    pub fn add_note(&self, case_id: String, text: String) -> Result<String, IndiciaError> {
        self.with(|s| s.add_note(&case_id, &text))
    }

    /// A case's notes, oldest first.
    pub fn notes(&self, case_id: String) -> Result<Vec<Note>, IndiciaError> {
        self.with(|s| s.notes(&case_id))
    }

    /// A case's custody log (docs/formats/store.md, "Custody log"), oldest first, its hash
    /// chain verified (`StoreTampered` otherwise).
    pub fn custody_log(&self, case_id: String) -> Result<Vec<CustodyEvent>, IndiciaError> {
        self.with(|s| s.custody_log(&case_id))
    }

    /// Adds an attachment (photo, document) to a draft case.
    pub fn add_attachment(
        &self,
        case_id: String,
        name: String,
        mime: String,
        data: Vec<u8>,
    ) -> Result<AttachmentInfo, IndiciaError> {
        self.with(|s| s.add_attachment(&case_id, &name, &mime, &data[..]))
    }

    /// A case's attachments (name, type, size, SHA-256), in the order they were added.
    pub fn attachments(&self, case_id: String) -> Result<Vec<AttachmentInfo>, IndiciaError> {
        self.with(|s| s.attachments(&case_id))
    }

    /// An attachment's content, checked against its SHA-256.
    pub fn read_attachment(
        &self,
        case_id: String,
        attachment_id: String,
    ) -> Result<Vec<u8>, IndiciaError> {
        self.with(|s| {
            let mut out = Vec::new();
            s.read_attachment(&case_id, &attachment_id, &mut out)?;
            Ok::<_, StoreError>(out)
        })
    }

    /// The device's signing key (created at first use, kept in the store): what a receiving
    /// unit adds to its trust list.
    pub fn device_info(&self) -> Result<DeviceInfo, IndiciaError> {
        self.with(|s| s.device_info())
    }

    /// Seals draft case `case_id` into a package, in memory, for receiving units this store
    /// holds the cards of (`add_unit`): `units` are their signing key ids (`UnitCard.signing_key
    /// .key_id`, 32 hex digits), an empty list meaning every unit the store holds. There is no
    /// way to seal to an age recipient of the app's own. The case stays a draft until the app
    /// has stored or shared the package and calls `confirm_sealed(case_id, report_id)`. The
    /// package's `reply_to` (where receipts go) is this store's `reply_recipient()` followed by
    /// `reply_to`. Large attachments: use `seal_case_to_file`. `NotFound` for a key id of no
    /// added unit, `InvalidState` when no unit was added.
    pub fn seal_case(
        &self,
        case_id: String,
        organisation: String,
        units: Vec<String>,
        reply_to: Vec<String>,
        armored: bool,
    ) -> Result<SealedPackage, IndiciaError> {
        let mut guard = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        let store = guard.as_mut().ok_or(StoreError::NoStore)?;
        let (package, report) = store.seal_case(
            &case_id,
            &organisation,
            &reply_to,
            &units,
            indicia_core::Armor::ascii_if(armored),
            Vec::new(),
        )?;
        Ok(SealedPackage::new(package, report))
    }

    /// Seals draft case `case_id` into a package file at `path`, streaming (memory stays flat
    /// whatever the attachments' size), to the added units `units` (signing key ids; empty: all)
    /// as `seal_case`. The file appears complete or not at all; the case is then sealed.
    pub fn seal_case_to_file(
        &self,
        case_id: String,
        organisation: String,
        units: Vec<String>,
        reply_to: Vec<String>,
        path: String,
    ) -> Result<SealedReport, IndiciaError> {
        let partial = format!("{path}.partial");
        let file = std::fs::File::create(&partial).map_err(|e| {
            IndiciaError::Io(format!("cannot create the package file: {}", e.kind()))
        })?;
        let mut guard = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        let store = guard.as_mut().ok_or(StoreError::NoStore)?;
        let result = store.seal_case(
            &case_id,
            &organisation,
            &reply_to,
            &units,
            indicia_core::Armor::Binary,
            std::io::BufWriter::new(file),
        );
        let finished = result
            .map_err(IndiciaError::from)
            .and_then(|(out, report)| {
                let file = out.into_inner().map_err(|e| {
                    IndiciaError::Io(format!(
                        "cannot write the package file: {}",
                        e.error().kind()
                    ))
                })?;
                file.sync_all()
                    .and_then(|()| std::fs::rename(&partial, &path))
                    .map_err(|e| {
                        IndiciaError::Io(format!("cannot finish the package file: {}", e.kind()))
                    })?;
                // The file is durable under its name: phase two.
                store.confirm_sealed(&case_id, &report.report_id)?;
                Ok(report)
            });
        if finished.is_err() {
            let _ = std::fs::remove_file(&partial);
        }
        finished
    }

    /// Phase two of sealing: the package of `report_id` from `seal_case` is stored or handed
    /// over, so the case becomes sealed. `InvalidState` if it is not pending or the case
    /// changed since (seal it again).
    pub fn confirm_sealed(&self, case_id: String, report_id: String) -> Result<(), IndiciaError> {
        self.with(|s| s.confirm_sealed(&case_id, &report_id))
    }

    /// A sealed case's package was handed over (sealed → handed over). Acknowledged comes only
    /// from `import_receipt`.
    pub fn mark_handed_over(&self, case_id: String) -> Result<(), IndiciaError> {
        self.with(|s| s.mark_handed_over(&case_id))
    }

    /// Case ids deleted with `force` before a receipt acknowledged them, oldest first.
    pub fn deleted_case_ids(&self) -> Result<Vec<String>, IndiciaError> {
        self.with(|s| s.deletions())
            .map(|d| d.into_iter().map(|d| d.case_id).collect())
    }

    /// Deletes a case; a sealed, unacknowledged one only with `force` (and then the store's
    /// deletion log records it).
    pub fn delete_case(&self, case_id: String, force: bool) -> Result<(), IndiciaError> {
        self.with(|s| s.delete_case(&case_id, force))
    }

    /// The age recipient (`age1…`) receipts for this device are encrypted to; sealing adds it
    /// to every report's `reply_to` by itself.
    pub fn reply_recipient(&self) -> Result<String, IndiciaError> {
        self.with(|s| s.reply_recipient())
    }

    /// Adds (or replaces, by signing key) a receiving unit whose receipts this device believes,
    /// from its card's JSON (`Receiver.unit_card_json`, `indicia unit-card`). Returns the card.
    pub fn add_unit(&self, card_json: String) -> Result<UnitCard, IndiciaError> {
        let card = UnitCard::parse(&card_json)?;
        self.with(|s| s.add_unit(&card))?;
        Ok(card)
    }

    /// The deployment's checklist trust the store holds (trusts nobody and requires nothing
    /// until set).
    pub fn checklist_trust(&self) -> Result<ChecklistTrust, IndiciaError> {
        self.with(|s| s.checklist_trust())
    }

    /// Replaces the checklist trust (`InvalidArgument` for a malformed list); load definitions
    /// under it with `ChecklistSession.from_json_trusted` or `load_checklist`.
    pub fn set_checklist_trust(&self, trust: ChecklistTrust) -> Result<(), IndiciaError> {
        self.with(|s| s.set_checklist_trust(&trust))
    }

    /// The receiving units this device believes.
    pub fn units(&self) -> Result<Vec<UnitCard>, IndiciaError> {
        self.with(|s| s.units())
    }

    /// Removes a unit by its signing key id; false if there was none.
    pub fn remove_unit(&self, key_id: String) -> Result<bool, IndiciaError> {
        self.with(|s| s.remove_unit(&key_id))
    }

    /// Imports a receipt (the age file, binary or armored, a receiving unit sent back): it must
    /// decrypt with this store's reply identity, carry a valid signature of a unit added with
    /// `add_unit` (`UntrustedSigner` otherwise) and name a report this store sealed, with its
    /// content (`InvalidState` otherwise). The case becomes acknowledged, hence deletable.
    pub fn import_receipt(&self, receipt: Vec<u8>) -> Result<ImportedReceipt, IndiciaError> {
        self.with(|s| s.import_receipt(&receipt))
    }
}
