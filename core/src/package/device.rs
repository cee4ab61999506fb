//! The device's Ed25519 signing key (kept sealed in the store; docs/formats/store.md).

use ed25519_dalek::{Signer, SigningKey, VerifyingKey};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use super::manifest::DeviceInfo;
use super::PackageError;
use crate::hex;

/// A device signing key. Its secret half never leaves the core except sealed in the store.
pub struct DeviceKey(SigningKey);

impl std::fmt::Debug for DeviceKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DeviceKey")
            .field("key_id", &key_id(self.0.verifying_key().as_bytes()))
            .finish_non_exhaustive()
    }
}

/// The id receivers list and trust: the first 16 bytes of SHA-256 of the public key, in hex.
pub fn key_id(public_key: &[u8; 32]) -> String {
    hex::encode(&Sha256::digest(public_key)[..16])
}

impl DeviceKey {
    /// A new random key (OS CSPRNG).
    pub fn generate() -> Result<DeviceKey, PackageError> {
        let mut secret = Zeroizing::new([0u8; 32]);
        getrandom::getrandom(secret.as_mut()).map_err(|_| PackageError::Random)?;
        Ok(DeviceKey(SigningKey::from_bytes(&secret)))
    }

    /// The key from its 32 secret bytes (as the store keeps them).
    pub fn from_secret(secret: &[u8]) -> Option<DeviceKey> {
        let bytes: Zeroizing<[u8; 32]> = Zeroizing::new(secret.try_into().ok()?);
        Some(DeviceKey(SigningKey::from_bytes(&bytes)))
    }

    /// The 32 secret bytes, for sealing into the store.
    pub fn secret(&self) -> Zeroizing<[u8; 32]> {
        Zeroizing::new(self.0.to_bytes())
    }

    /// Public key and key id, as a manifest names them.
    pub fn info(&self) -> DeviceInfo {
        let public = self.0.verifying_key();
        DeviceInfo {
            public_key: hex::encode(public.as_bytes()),
            key_id: key_id(public.as_bytes()),
        }
    }

    /// A second handle on the same key, for a writer that signs its trailer after the caller's
    /// borrow ended (not `Clone`: copies of a secret should be deliberate).
    pub(crate) fn duplicate(&self) -> DeviceKey {
        DeviceKey(self.0.clone())
    }

    pub(crate) fn sign(&self, message: &[u8]) -> [u8; 64] {
        self.0.sign(message).to_bytes()
    }
}

/// [`key_id`] of a hex public key (empty if it is not hex).
pub(crate) fn key_id_from_hex(public_key_hex: &str) -> String {
    hex::decode(public_key_hex)
        .map(|p| key_id(&p))
        .unwrap_or_default()
}

/// Verifies `signature` over `message` with the hex public key of a manifest. Strict
/// verification: rejects non-canonical signatures and small-order keys.
pub(crate) fn verify(public_key_hex: &str, message: &[u8], signature: &[u8; 64]) -> bool {
    hex::decode(public_key_hex).is_some_and(|public| verify_key(&public, message, signature))
}

/// [`verify`] with the public key's 32 bytes.
pub(crate) fn verify_key(public: &[u8; 32], message: &[u8], signature: &[u8; 64]) -> bool {
    verifying_key(public).is_some_and(|key| {
        key.verify_strict(message, &ed25519_dalek::Signature::from_bytes(signature))
            .is_ok()
    })
}

/// Decompressed keys of recent signers, at most [`KEY_CACHE`]. Decompressing a key costs a field
/// square root, about a fifth of a verification, and a receiver sees the same few devices again
/// and again (a v2 package alone is verified twice with one key). Public values only; the cache
/// is emptied when full, so a stream of new keys costs no more than without it.
const KEY_CACHE: usize = 256;

fn verifying_key(public: &[u8; 32]) -> Option<VerifyingKey> {
    use std::collections::HashMap;
    use std::sync::{Mutex, OnceLock};
    static CACHE: OnceLock<Mutex<HashMap<[u8; 32], VerifyingKey>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    // A poisoned lock (a panic elsewhere while holding it) only costs the cache.
    if let Some(key) = cache.lock().ok().and_then(|c| c.get(public).copied()) {
        return Some(key);
    }
    let key = VerifyingKey::from_bytes(public).ok()?;
    if let Ok(mut cache) = cache.lock() {
        if cache.len() >= KEY_CACHE {
            cache.clear();
        }
        cache.insert(*public, key);
    }
    Some(key)
}
