//! Key slots (docs/formats/store.md, "Key slots"): the data key wrapped by a key-encryption key
//! (KEK) derived from every factor the vault was created with — the worker's PIN or passphrase
//! (Argon2id) and, where the device has one, a device-bound secret: the host's secure hardware
//! answers a challenge stored in the slot (Android Keystore/StrongBox HMAC, iOS Secure Enclave,
//! a passkey's WebAuthn PRF output). A disk image plus the PIN alone opens nothing.
//!
//! Besides the PIN slot, a host may keep a platform slot: the data key wrapped by a key it holds
//! (the older `PlatformKey` wrap/unwrap protocol), for unlocking without the PIN (biometrics).

use argon2::{Algorithm, Argon2, Params, Version};
use hkdf::Hkdf;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use zeroize::Zeroizing;

use super::crypto::{open, random_bytes, seal, KEY_LEN};
use super::error::StoreError;

/// Argon2id cost parameters, stored with each PIN slot so they can change between devices and
/// over time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct KdfParams {
    /// Memory in KiB.
    pub memory_kib: u32,
    /// Passes.
    pub iterations: u32,
    /// Lanes.
    pub parallelism: u32,
}

impl KdfParams {
    /// Default on a phone: 64 MiB, 3 passes, 1 lane — RFC 9106's memory-constrained profile
    /// with a single lane, about half a second on a mid-range phone. docs/threat-model.md gives
    /// the measured offline guessing cost.
    pub const MOBILE: KdfParams = KdfParams {
        memory_kib: 64 * 1024,
        iterations: 3,
        parallelism: 1,
    };
    /// Default in the browser: 19 MiB, 2 passes, 1 lane — OWASP's minimum for Argon2id; wasm is
    /// single-threaded and several times slower than native, so the phone profile would stall
    /// the page for seconds.
    pub const BROWSER: KdfParams = KdfParams {
        memory_kib: 19 * 1024,
        iterations: 2,
        parallelism: 1,
    };
    /// Deliberately cheap, for tests only.
    pub const TESTING: KdfParams = KdfParams {
        memory_kib: 64,
        iterations: 1,
        parallelism: 1,
    };

    fn argon2(&self) -> Result<Argon2<'static>, StoreError> {
        // Bounds keep a malformed or hostile stored slot from demanding gigabytes.
        if self.memory_kib > 1024 * 1024 || self.iterations > 64 || self.parallelism > 16 {
            return Err(StoreError::InvalidInput("KDF parameters out of range"));
        }
        let params = Params::new(
            self.memory_kib,
            self.iterations,
            self.parallelism,
            Some(KEY_LEN),
        )
        .map_err(|_| StoreError::InvalidInput("KDF parameters out of range"))?;
        Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
    }
}

/// Bytes of a device challenge and of the host's response.
pub const DEVICE_SECRET_LEN: usize = 32;

/// The host's answer to a device challenge: 32 bytes computed in secure hardware with a key
/// that never leaves it (HMAC-SHA256 of the challenge with a Keystore/StrongBox key, the
/// WebAuthn PRF output with the challenge as its salt). The same challenge must always give
/// the same response on the same device. Zeroized on drop; `Debug` is redacted.
#[derive(Clone)]
pub struct DeviceResponse(Zeroizing<[u8; DEVICE_SECRET_LEN]>);

impl DeviceResponse {
    /// Takes exactly 32 bytes; anything else is `InvalidInput`.
    pub fn from_slice(bytes: &[u8]) -> Result<DeviceResponse, StoreError> {
        let array: [u8; DEVICE_SECRET_LEN] = bytes.try_into().map_err(|_| {
            StoreError::InvalidInput("a device secret response is exactly 32 bytes")
        })?;
        Ok(DeviceResponse(Zeroizing::new(array)))
    }

    fn bytes(&self) -> &[u8; DEVICE_SECRET_LEN] {
        &self.0
    }
}

impl std::fmt::Debug for DeviceResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DeviceResponse(<redacted>)")
    }
}

/// A device-bound secret the host computes in secure hardware: challenge in, 32 bytes out
/// (see [`DeviceResponse`]). Hosts whose hardware API is asynchronous (WebAuthn) use the
/// two-step form instead: read the challenge, compute, pass the response.
pub trait DeviceSecret {
    /// Answers `challenge`; an error text says what failed (never key material).
    fn respond(&self, challenge: &[u8; DEVICE_SECRET_LEN]) -> Result<DeviceResponse, String>;
}

/// The factors a PIN slot was made with, as the slot's associated data names them.
fn factors(challenge: Option<&[u8; DEVICE_SECRET_LEN]>) -> &'static str {
    if challenge.is_some() {
        "pin+device"
    } else {
        "pin"
    }
}

/// A wrapped data key as stored (JSON in the `keyslots` table). Format 1 slots (written before
/// the vault) have no `format` field and no challenge.
#[derive(Clone, Serialize, Deserialize)]
pub(crate) struct PinSlot {
    #[serde(default = "format_one")]
    pub format: u32,
    pub kdf: KdfParams,
    pub salt: [u8; 16],
    /// The device challenge, when a device-bound secret is a factor.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub challenge: Option<[u8; DEVICE_SECRET_LEN]>,
    /// nonce ‖ ciphertext ‖ tag of the data key.
    pub wrapped: Vec<u8>,
}

impl std::fmt::Debug for PinSlot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PinSlot")
            .field("format", &self.format)
            .field("kdf", &self.kdf)
            .field("device_bound", &self.challenge.is_some())
            .finish_non_exhaustive()
    }
}

fn format_one() -> u32 {
    1
}

fn slot_ad_v1(store_id: &[u8]) -> Vec<u8> {
    [b"indicia-store/1 keyslot\0pin\0".as_slice(), store_id].concat()
}

fn slot_ad(store_id: &[u8], challenge: Option<&[u8; DEVICE_SECRET_LEN]>) -> Vec<u8> {
    [
        b"indicia-vault/2 keyslot\0".as_slice(),
        factors(challenge).as_bytes(),
        b"\0",
        store_id,
    ]
    .concat()
}

fn argon2id(
    pin: &SecretString,
    salt: &[u8; 16],
    kdf: &KdfParams,
) -> Result<Zeroizing<[u8; KEY_LEN]>, StoreError> {
    let mut key = Zeroizing::new([0u8; KEY_LEN]);
    kdf.argon2()?
        .hash_password_into(pin.expose_secret().as_bytes(), salt, key.as_mut())
        .map_err(|_| StoreError::InvalidInput("KDF parameters out of range"))?;
    Ok(key)
}

/// KEK = HKDF-SHA256(salt, Argon2id(PIN) ‖ device response, "indicia-vault/2 kek" ‖ store id).
fn kek(
    store_id: &[u8],
    pin: &SecretString,
    salt: &[u8; 16],
    kdf: &KdfParams,
    device: Option<&DeviceResponse>,
) -> Result<Zeroizing<[u8; KEY_LEN]>, StoreError> {
    let pin_key = argon2id(pin, salt, kdf)?;
    let mut ikm = Zeroizing::new(Vec::with_capacity(2 * KEY_LEN));
    ikm.extend_from_slice(pin_key.as_ref());
    if let Some(response) = device {
        ikm.extend_from_slice(response.bytes());
    }
    let hk = Hkdf::<Sha256>::new(Some(salt), &ikm);
    let info = [b"indicia-vault/2 kek\0".as_slice(), store_id].concat();
    let mut out = Zeroizing::new([0u8; KEY_LEN]);
    // 32 bytes from HKDF-SHA256 cannot fail.
    let _ = hk.expand(&info, out.as_mut());
    Ok(out)
}

impl PinSlot {
    /// A new challenge for a device-bound secret.
    pub(crate) fn new_challenge() -> Result<[u8; DEVICE_SECRET_LEN], StoreError> {
        random_bytes()
    }

    /// Wraps `data_key` under the PIN and, when given, the device's response to `challenge`.
    pub(crate) fn wrap(
        store_id: &[u8],
        pin: &SecretString,
        kdf: KdfParams,
        device: Option<(&[u8; DEVICE_SECRET_LEN], &DeviceResponse)>,
        data_key: &[u8; KEY_LEN],
    ) -> Result<PinSlot, StoreError> {
        if pin.expose_secret().is_empty() {
            return Err(StoreError::InvalidInput("the PIN is empty"));
        }
        let salt = random_bytes()?;
        let challenge = device.map(|(c, _)| *c);
        let kek = kek(store_id, pin, &salt, &kdf, device.map(|(_, r)| r))?;
        let wrapped = seal(&kek, &slot_ad(store_id, challenge.as_ref()), data_key)?;
        Ok(PinSlot {
            format: 2,
            kdf,
            salt,
            challenge,
            wrapped,
        })
    }

    /// The data key, or `None` for a wrong PIN or a wrong device response. A slot that needs
    /// a device response and got none is `DeviceSecretRequired`.
    pub(crate) fn unwrap(
        &self,
        store_id: &[u8],
        pin: &SecretString,
        device: Option<&DeviceResponse>,
    ) -> Result<Option<Zeroizing<[u8; KEY_LEN]>>, StoreError> {
        match self.format {
            1 => {
                let kek = argon2id(pin, &self.salt, &self.kdf)?;
                Ok(open(&kek, &slot_ad_v1(store_id), &self.wrapped).and_then(|k| to_key(&k)))
            }
            2 => {
                if self.challenge.is_some() && device.is_none() {
                    return Err(StoreError::DeviceSecretRequired);
                }
                // A response offered to a PIN-only slot is ignored: the PIN decides.
                let device = device.filter(|_| self.challenge.is_some());
                let kek = kek(store_id, pin, &self.salt, &self.kdf, device)?;
                let ad = slot_ad(store_id, self.challenge.as_ref());
                Ok(open(&kek, &ad, &self.wrapped).and_then(|k| to_key(&k)))
            }
            _ => Err(StoreError::Unsupported("a key slot of a newer format")),
        }
    }
}

pub(crate) fn to_key(bytes: &[u8]) -> Option<Zeroizing<[u8; KEY_LEN]>> {
    let array: [u8; KEY_LEN] = bytes.try_into().ok()?;
    Some(Zeroizing::new(array))
}

/// A key the host platform keeps (Android Keystore, iOS Keychain, a WebCrypto non-extractable
/// key): the vault hands it the data key to wrap and later asks for it back. It is a second,
/// parallel way in (for unlocking with biometrics): whoever can use the platform key opens the
/// store without the PIN, so hosts bind that key to user authentication. Implemented by the
/// host app through the bindings.
pub trait PlatformKey {
    /// Wraps (encrypts) the data key.
    fn wrap(&self, data_key: &[u8]) -> Result<Vec<u8>, String>;
    /// Unwraps what `wrap` returned.
    fn unwrap(&self, wrapped: &[u8]) -> Result<Vec<u8>, String>;
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &[u8] = b"store-id-16bytes";

    fn pin(s: &str) -> SecretString {
        SecretString::from(s.to_owned())
    }

    fn response(byte: u8) -> DeviceResponse {
        DeviceResponse::from_slice(&[byte; 32]).unwrap()
    }

    #[test]
    fn a_device_bound_slot_needs_the_pin_and_the_device_response() {
        let key = [7u8; KEY_LEN];
        let challenge = PinSlot::new_challenge().unwrap();
        let right = response(1);
        let slot = PinSlot::wrap(
            ID,
            &pin("2468"),
            KdfParams::TESTING,
            Some((&challenge, &right)),
            &key,
        )
        .unwrap();
        let opened = |p: &str, r: Option<&DeviceResponse>| slot.unwrap(ID, &pin(p), r);
        assert_eq!(*opened("2468", Some(&right)).unwrap().unwrap(), key);
        assert!(
            opened("2468", Some(&response(2))).unwrap().is_none(),
            "wrong device"
        );
        assert!(opened("1357", Some(&right)).unwrap().is_none(), "wrong PIN");
        assert!(matches!(
            opened("2468", None),
            Err(StoreError::DeviceSecretRequired)
        ));
    }

    #[test]
    fn stripping_the_challenge_from_a_slot_opens_nothing() {
        let key = [7u8; KEY_LEN];
        let challenge = PinSlot::new_challenge().unwrap();
        let mut slot = PinSlot::wrap(
            ID,
            &pin("2468"),
            KdfParams::TESTING,
            Some((&challenge, &response(1))),
            &key,
        )
        .unwrap();
        slot.challenge = None;
        assert!(slot.unwrap(ID, &pin("2468"), None).unwrap().is_none());
    }

    #[test]
    fn a_slot_belongs_to_its_store() {
        let key = [7u8; KEY_LEN];
        let slot = PinSlot::wrap(ID, &pin("2468"), KdfParams::TESTING, None, &key).unwrap();
        assert!(slot
            .unwrap(b"another-store-id", &pin("2468"), None)
            .unwrap()
            .is_none());
    }

    #[test]
    fn responses_are_exactly_32_bytes_and_debug_redacts_them() {
        assert!(DeviceResponse::from_slice(&[0; 31]).is_err());
        assert!(DeviceResponse::from_slice(&[0; 33]).is_err());
        assert_eq!(format!("{:?}", response(9)), "DeviceResponse(<redacted>)");
        let slot = PinSlot::wrap(ID, &pin("2468"), KdfParams::TESTING, None, &[1; 32]).unwrap();
        let debug = format!("{slot:?}");
        assert!(
            !debug.contains("wrapped") && !debug.contains("salt"),
            "{debug}"
        );
    }
}
