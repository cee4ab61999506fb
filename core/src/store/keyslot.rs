//! Key slots: the data key wrapped by a key derived from the worker's PIN (Argon2id) and,
//! optionally, by a platform key the host app holds (Android Keystore, iOS Keychain, WebCrypto).
//! Changing the PIN rewrites one slot; the data is never re-encrypted.

use argon2::{Algorithm, Argon2, Params, Version};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::crypto::{open, random_bytes, seal, KEY_LEN};
use super::error::StoreError;

/// Argon2id cost parameters, stored with each PIN slot so they can change between devices and
/// over time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
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
    /// with a single lane, about half a second on a mid-range phone. A PIN has little entropy;
    /// this cost plus wipe-after-N failed attempts (and a hardware platform key where present)
    /// is what protects it.
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

/// A wrapped data key as stored.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct PinSlot {
    pub kdf: KdfParams,
    pub salt: [u8; 16],
    /// nonce ‖ ciphertext ‖ tag of the data key.
    pub wrapped: Vec<u8>,
}

fn slot_ad(store_id: &[u8], kind: &str) -> Vec<u8> {
    [
        b"indicia-store/1 keyslot\0".as_slice(),
        kind.as_bytes(),
        b"\0",
        store_id,
    ]
    .concat()
}

fn derive(
    pin: &SecretString,
    salt: &[u8; 16],
    kdf: &KdfParams,
) -> Result<Zeroizing<[u8; KEY_LEN]>, StoreError> {
    let mut kek = Zeroizing::new([0u8; KEY_LEN]);
    kdf.argon2()?
        .hash_password_into(pin.expose_secret().as_bytes(), salt, kek.as_mut())
        .map_err(|_| StoreError::InvalidInput("KDF parameters out of range"))?;
    Ok(kek)
}

impl PinSlot {
    pub(crate) fn wrap(
        store_id: &[u8],
        pin: &SecretString,
        kdf: KdfParams,
        data_key: &[u8; KEY_LEN],
    ) -> Result<PinSlot, StoreError> {
        if pin.expose_secret().is_empty() {
            return Err(StoreError::InvalidInput("the PIN is empty"));
        }
        let salt = random_bytes()?;
        let kek = derive(pin, &salt, &kdf)?;
        let wrapped = seal(&kek, &slot_ad(store_id, "pin"), data_key)?;
        Ok(PinSlot { kdf, salt, wrapped })
    }

    /// The data key, or `None` for a wrong PIN.
    pub(crate) fn unwrap(
        &self,
        store_id: &[u8],
        pin: &SecretString,
    ) -> Result<Option<Zeroizing<[u8; KEY_LEN]>>, StoreError> {
        let kek = derive(pin, &self.salt, &self.kdf)?;
        Ok(open(&kek, &slot_ad(store_id, "pin"), &self.wrapped).and_then(|k| to_key(&k)))
    }
}

pub(crate) fn to_key(bytes: &[u8]) -> Option<Zeroizing<[u8; KEY_LEN]>> {
    let array: [u8; KEY_LEN] = bytes.try_into().ok()?;
    Some(Zeroizing::new(array))
}

/// A key the host platform keeps (Android Keystore, iOS Keychain, a WebCrypto non-extractable
/// key): the store hands it the data key to wrap and later asks for it back. Implemented by
/// the host app through the bindings.
pub trait PlatformKey {
    /// Wraps (encrypts) the data key.
    fn wrap(&self, data_key: &[u8]) -> Result<Vec<u8>, String>;
    /// Unwraps what `wrap` returned.
    fn unwrap(&self, wrapped: &[u8]) -> Result<Vec<u8>, String>;
}
