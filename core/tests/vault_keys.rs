//! What protects a vault (docs/formats/store.md, "Key slots"; docs/threat-model.md): a copy of
//! the disk plus the PIN opens nothing when the store was made with a device-bound secret; the
//! PIN policy holds for every way a PIN is set; a re-key leaves an old slot and the old PIN
//! useless and keeps every row.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code

#[path = "support/store_files.rs"]
mod store_files;

use std::path::Path;

use hmac::{Hmac, Mac};
use indicia_core::store::{
    DeviceFactor, DeviceResponse, DeviceSecret, FileBackend, KdfParams, PinPolicy, PlatformKey,
    Protection, Store, StoreError, Vault, DEVICE_SECRET_LEN,
};
use indicia_core::ErrorKind;
use rusqlite::Connection;
use secrecy::SecretString;
use serde_json::json;
use sha2::Sha256;

fn secret(s: &str) -> SecretString {
    SecretString::from(s.to_owned())
}

/// A stand-in for a Keystore HMAC key: HMAC-SHA256 under a key that stays in this value.
struct HmacDevice([u8; 32]);

impl DeviceSecret for HmacDevice {
    fn respond(&self, challenge: &[u8; DEVICE_SECRET_LEN]) -> Result<DeviceResponse, String> {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.0).map_err(|e| e.to_string())?;
        mac.update(challenge);
        DeviceResponse::from_slice(&mac.finalize().into_bytes()).map_err(|e| e.to_string())
    }
}

fn device_bound(device: &HmacDevice) -> Protection {
    Protection::device_bound(
        KdfParams::TESTING,
        DeviceFactor::from_secret(device).unwrap(),
    )
}

fn open(path: &Path) -> Store {
    Store::open(Box::new(FileBackend::new(path))).unwrap()
}

#[test]
fn a_copy_of_a_device_bound_store_with_the_right_pin_alone_opens_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("field.db");
    let device = HmacDevice([0x5a; 32]);
    let pin = secret("839201");
    let mut store = Store::create(
        Box::new(FileBackend::new(&path)),
        &pin,
        &device_bound(&device),
    )
    .unwrap();
    let id = store.create_case("seen at the harbour", None).unwrap();
    store.add_note(&id, "note").unwrap();
    drop(store);
    let copy = dir.path().join("copy.db");
    store_files::copy_files(&path, &copy);

    // The attacker's copy: the PIN alone is not even an attempt.
    let mut stolen = open(&copy);
    let err = stolen.unlock(&pin).unwrap_err();
    assert_eq!(err, StoreError::DeviceSecretRequired);
    assert_eq!(err.kind(), ErrorKind::DeviceSecretRequired);
    // Another device's answer (or a guess) with the right PIN is a wrong PIN.
    let challenge = stolen.device_challenge().unwrap().unwrap();
    let guess = HmacDevice([0x00; 32]).respond(&challenge).unwrap();
    assert!(matches!(
        stolen.unlock_with_device(&pin, &guess).unwrap_err(),
        StoreError::WrongPin { .. }
    ));
    // Dropping the challenge from the slot does not turn it into a PIN-only slot.
    let conn = Connection::open(&copy).unwrap();
    let slot: Vec<u8> = conn
        .query_row("SELECT slot FROM keyslots WHERE kind = 'pin'", [], |r| {
            r.get(0)
        })
        .unwrap();
    let mut json: serde_json::Value = serde_json::from_slice(&slot).unwrap();
    json.as_object_mut().unwrap().remove("challenge").unwrap();
    conn.execute(
        "UPDATE keyslots SET slot = ?1 WHERE kind = 'pin'",
        [serde_json::to_vec(&json).unwrap()],
    )
    .unwrap();
    drop(conn);
    let mut stripped = open(&copy);
    assert!(matches!(
        stripped.unlock(&pin).unwrap_err(),
        StoreError::WrongPin { .. }
    ));
    assert!(!stripped.is_unlocked());

    // On the device, with both factors: everything is there.
    let mut store = open(&path);
    store.unlock_with_device_secret(&pin, &device).unwrap();
    assert_eq!(store.notes(&id).unwrap()[0].text, "note");
    store.lock();
    let response = device
        .respond(&store.device_challenge().unwrap().unwrap())
        .unwrap();
    store.unlock_with_device(&pin, &response).unwrap();
}

#[test]
fn the_pin_policy_holds_for_create_change_and_rekey_whatever_the_host_asks() {
    let device = HmacDevice([1; 32]);
    let lax = |device: Option<DeviceFactor>| Protection {
        kdf: KdfParams::TESTING,
        policy: PinPolicy {
            min_length: 1,
            min_strength: 0,
        },
        device,
        strength: Default::default(),
    };
    let memory = || Box::new(indicia_core::store::MemoryBackend::new().unwrap());
    // Without a device secret, even a host asking for nothing gets the passphrase floor.
    for weak in ["1", "1234", "123456", "password", "qwertyuiop"] {
        let err = Store::create(memory(), &secret(weak), &lax(None)).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::WeakPin, "{weak}");
    }
    // With one, six characters.
    let factor = || Some(DeviceFactor::from_secret(&device).unwrap());
    assert_eq!(
        Store::create(memory(), &secret("12345"), &lax(factor()))
            .unwrap_err()
            .kind(),
        ErrorKind::WeakPin
    );
    let mut store = Store::create(memory(), &secret("123456"), &lax(factor())).unwrap();
    let response = device
        .respond(&store.device_challenge().unwrap().unwrap())
        .unwrap();
    // Dropping the device factor at a change brings the passphrase floor back.
    for call in [Store::change_pin, Store::rekey] {
        let err = call(
            &mut store,
            &secret("123456"),
            Some(&response),
            &secret("654321"),
            &lax(None),
        )
        .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::WeakPin);
    }
    // A message never repeats the PIN.
    let err = Store::create(memory(), &secret("hunter2"), &lax(None)).unwrap_err();
    assert!(!err.to_string().contains("hunter2"), "{err}");
}

struct XorKey([u8; 32]);

impl PlatformKey for XorKey {
    fn wrap(&self, data_key: &[u8]) -> Result<Vec<u8>, String> {
        Ok(data_key.iter().zip(self.0).map(|(a, b)| a ^ b).collect())
    }
    fn unwrap(&self, wrapped: &[u8]) -> Result<Vec<u8>, String> {
        self.wrap(wrapped)
    }
}

fn pin_slot(path: &Path) -> Vec<u8> {
    Connection::open(path)
        .unwrap()
        .query_row("SELECT slot FROM keyslots WHERE kind = 'pin'", [], |r| {
            r.get(0)
        })
        .unwrap()
}

fn put_pin_slot(path: &Path, slot: &[u8]) {
    Connection::open(path)
        .unwrap()
        .execute("UPDATE keyslots SET slot = ?1 WHERE kind = 'pin'", [slot])
        .unwrap();
}

#[test]
fn after_a_rekey_an_old_slot_with_the_old_pin_opens_nothing_and_every_row_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("field.db");
    let (old_pin, new_pin) = (
        secret("tidal-amber-orchard"),
        secret("copper kettle moonrise"),
    );
    let protection = Protection::passphrase(KdfParams::TESTING);
    let mut store =
        Store::create(Box::new(FileBackend::new(&path)), &old_pin, &protection).unwrap();
    let content: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8).collect();
    let mut ids = Vec::new();
    for i in 0..20 {
        let id = store.create_case(&format!("case {i}"), None).unwrap();
        store
            .save_answer(&id, "age_group", &json!("adult"))
            .unwrap();
        store.add_note(&id, &format!("note {i}")).unwrap();
        ids.push(id);
    }
    let attachment = store
        .add_attachment(&ids[0], "photo.jpg", "image/jpeg", &content[..])
        .unwrap();
    store.add_platform_key(&XorKey([3; 32])).unwrap();
    let before_cases = store.list_cases().unwrap();
    let before_logs: Vec<_> = ids
        .iter()
        .map(|id| store.custody_log(id).unwrap())
        .collect();
    let old_slot = pin_slot(&path);

    // A quick PIN change keeps the data key: the old slot and old PIN still open it (what
    // rekey is for).
    store
        .change_pin(&old_pin, None, &new_pin, &protection)
        .unwrap();
    drop(store);
    let changed_slot = pin_slot(&path);
    put_pin_slot(&path, &old_slot);
    open(&path)
        .unlock(&old_pin)
        .expect("after change_pin the old slot still opens");
    put_pin_slot(&path, &changed_slot);

    let mut store = open(&path);
    store.unlock(&new_pin).unwrap();
    store.rekey(&new_pin, None, &old_pin, &protection).unwrap();
    // Everything is there, under the new key, in this session and after reopening.
    for store in [&mut store, &mut {
        let mut s = open(&path);
        s.unlock(&old_pin).unwrap();
        s
    }] {
        assert_eq!(store.list_cases().unwrap(), before_cases);
        for (id, log) in ids.iter().zip(&before_logs) {
            assert_eq!(&store.custody_log(id).unwrap(), log);
            assert_eq!(store.answers(id).unwrap(), json!({"age_group": "adult"}));
        }
        let mut read = Vec::new();
        store
            .read_attachment(&ids[0], &attachment.id, &mut read)
            .unwrap();
        assert_eq!(read, content);
    }
    // The platform slot wrapped the old data key: it is gone; the host adds it again.
    assert_eq!(store.platform_wrapped().unwrap(), None);
    drop(store);

    // The slot from before the re-key, with its PIN: unwraps the old data key, which opens
    // nothing any more.
    put_pin_slot(&path, &old_slot);
    let mut stale = open(&path);
    assert_eq!(stale.unlock(&old_pin).unwrap_err(), StoreError::Tampered);
    assert!(!stale.is_unlocked());
}

#[test]
fn a_rekey_with_the_wrong_current_pin_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("field.db");
    let pin = secret("tidal-amber-orchard");
    let protection = Protection::passphrase(KdfParams::TESTING);
    let mut store = Store::create(Box::new(FileBackend::new(&path)), &pin, &protection).unwrap();
    let id = store.create_case("c", None).unwrap();
    let err = store
        .rekey(
            &secret("not the pin"),
            None,
            &secret("copper kettle moonrise"),
            &protection,
        )
        .unwrap_err();
    assert!(matches!(err, StoreError::WrongPin { .. }));
    drop(store);
    let mut store = open(&path);
    store.unlock(&pin).unwrap();
    assert_eq!(store.case(&id).unwrap().title, "c");
}

#[test]
fn a_receiver_rekeys_too() {
    use indicia_core::keys::Identity;
    use indicia_core::receiver::Receiver;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("unit.db");
    let (old, new) = (
        secret("correct horse battery staple"),
        secret("copper kettle moonrise"),
    );
    let protection = Protection::passphrase(KdfParams::TESTING);
    let identity = Identity::generate();
    let mut receiver = Receiver::create(
        Box::new(FileBackend::new(&path)),
        &old,
        &protection,
        "Unit",
        &identity.recipient().to_string(),
    )
    .unwrap();
    let card = receiver.unit_card().unwrap();
    receiver.rekey(&old, &new, &protection).unwrap();
    drop(receiver);
    let mut receiver = Receiver::open(Box::new(FileBackend::new(&path))).unwrap();
    assert!(matches!(
        receiver.unlock(&old).unwrap_err(),
        StoreError::WrongPin { .. }
    ));
    receiver.unlock(&new).unwrap();
    assert_eq!(receiver.unit_card().unwrap(), card);
}

#[test]
fn the_vault_api_takes_a_device_response_in_two_steps_for_asynchronous_hosts() {
    // WebAuthn PRF is asynchronous: the host reads the challenge, asks the authenticator,
    // then passes the 32 bytes.
    let challenge = Vault::new_device_challenge().unwrap();
    let device = HmacDevice([9; 32]);
    let response = device.respond(&challenge).unwrap();
    let protection = Protection::device_bound(
        KdfParams::TESTING,
        DeviceFactor {
            challenge,
            response: response.clone(),
        },
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("field.db");
    let store = Store::create(
        Box::new(FileBackend::new(&path)),
        &secret("246810"),
        &protection,
    )
    .unwrap();
    drop(store);
    let mut store = open(&path);
    assert_eq!(store.device_challenge().unwrap(), Some(challenge));
    store
        .unlock_with_device(&secret("246810"), &response)
        .unwrap();
    assert!(DeviceResponse::from_slice(&[0; 16]).is_err());
}
