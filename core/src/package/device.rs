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
    let Some(public) = hex::decode(public_key_hex) else {
        return false;
    };
    let Ok(key) = VerifyingKey::from_bytes(&public) else {
        return false;
    };
    key.verify_strict(message, &ed25519_dalek::Signature::from_bytes(signature))
        .is_ok()
}
