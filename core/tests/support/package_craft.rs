// Building package containers by hand, for packages a correct writer never makes (forged,
// non-canonical, cut): shared by core/tests/package.rs and the vector generator
// (tools/rust/src/bin/make_package_vectors.rs).

use indicia_core::package::{DeviceKey, MAGIC, SIGNATURE_CONTEXT};

/// Ed25519 over the package's signing context and `manifest_bytes`, made with ed25519-dalek
/// directly from the key's secret, as a second implementation would.
pub fn sign(key: &DeviceKey, manifest_bytes: &[u8]) -> [u8; 64] {
    use ed25519_dalek::Signer;
    ed25519_dalek::SigningKey::from_bytes(&key.secret())
        .sign(&[SIGNATURE_CONTEXT, manifest_bytes].concat())
        .to_bytes()
}

/// A container: magic, length, `manifest_bytes`, `signature`, then `rest`.
pub fn container_signed(manifest_bytes: &[u8], signature: &[u8; 64], rest: &[u8]) -> Vec<u8> {
    [
        MAGIC.as_slice(),
        &(manifest_bytes.len() as u32).to_be_bytes(),
        manifest_bytes,
        signature,
        rest,
    ]
    .concat()
}

/// A container whose manifest `key` signed.
pub fn container(key: &DeviceKey, manifest_bytes: &[u8], rest: &[u8]) -> Vec<u8> {
    container_signed(manifest_bytes, &sign(key, manifest_bytes), rest)
}
