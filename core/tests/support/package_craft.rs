// Building package containers by hand, for packages a correct writer never makes (forged,
// non-canonical, cut): shared by core/tests/package.rs and the vector generator
// (tools/rust/src/bin/make_package_vectors.rs).

// Each user forges some parts only.
#![allow(dead_code)]

use indicia_core::package::{
    DeviceKey, HEADER_SIGNATURE_CONTEXT, MAGIC, MAGIC_V2, SIGNATURE_CONTEXT,
    TRAILER_SIGNATURE_CONTEXT,
};

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

/// The parts of a v2 container, each editable before [`V2::bytes`] joins them: tests and the
/// vector generator forge v2 packages by changing one part (and re-signing or not).
pub struct V2 {
    /// Magic, device key, manifest length, count and sizes: the header before its signature.
    pub header: Vec<u8>,
    pub header_signature: [u8; 64],
    pub manifest: Vec<u8>,
    /// The attachments' bytes, one after the other.
    pub body: Vec<u8>,
    pub digests: Vec<[u8; 32]>,
    pub trailer_signature: [u8; 64],
    /// Anything after the trailer.
    pub after: Vec<u8>,
}

impl V2 {
    /// A valid v2 container of `manifest_bytes` (a manifest without digests) and `attachments`,
    /// signed by `key`.
    pub fn new(key: &DeviceKey, manifest_bytes: &[u8], attachments: &[&[u8]]) -> V2 {
        use sha2::{Digest, Sha256};
        let sizes: Vec<u64> = attachments.iter().map(|a| a.len() as u64).collect();
        let mut v2 = V2 {
            header: Self::header_of(
                &key.info().public_key,
                manifest_bytes.len() as u32,
                sizes.len() as u16,
                &sizes,
            ),
            header_signature: [0; 64],
            manifest: manifest_bytes.to_vec(),
            body: attachments.concat(),
            digests: attachments
                .iter()
                .map(|a| Sha256::digest(a).into())
                .collect(),
            trailer_signature: [0; 64],
            after: Vec::new(),
        };
        v2.sign(key);
        v2
    }

    /// An unsigned header: magic, key (hex), manifest length, `count` and `sizes` as given (so
    /// they can disagree).
    pub fn header_of(
        public_key_hex: &str,
        manifest_len: u32,
        count: u16,
        sizes: &[u64],
    ) -> Vec<u8> {
        let key = indicia_core::hex::decode::<32>(public_key_hex).unwrap();
        let mut header = [
            MAGIC_V2.as_slice(),
            &key,
            &manifest_len.to_be_bytes(),
            &count.to_be_bytes(),
        ]
        .concat();
        for size in sizes {
            header.extend_from_slice(&size.to_be_bytes());
        }
        header
    }

    /// Signs the header (over the manifest's SHA-256) and the trailer with `key`.
    pub fn sign(&mut self, key: &DeviceKey) {
        self.sign_header(key);
        self.sign_trailer(key);
    }

    pub fn sign_header(&mut self, key: &DeviceKey) {
        use ed25519_dalek::Signer;
        use sha2::{Digest, Sha256};
        let message = [
            HEADER_SIGNATURE_CONTEXT,
            &self.header,
            &Sha256::digest(&self.manifest),
        ]
        .concat();
        self.header_signature = ed25519_dalek::SigningKey::from_bytes(&key.secret())
            .sign(&message)
            .to_bytes();
    }

    pub fn sign_trailer(&mut self, key: &DeviceKey) {
        use ed25519_dalek::Signer;
        use sha2::{Digest, Sha256};
        let mut message = [
            TRAILER_SIGNATURE_CONTEXT,
            &self.header,
            &self.header_signature,
            &Sha256::digest(&self.manifest),
        ]
        .concat();
        for digest in &self.digests {
            message.extend_from_slice(digest);
        }
        self.trailer_signature = ed25519_dalek::SigningKey::from_bytes(&key.secret())
            .sign(&message)
            .to_bytes();
    }

    /// The container: header, header signature, manifest, body, digests, trailer signature.
    pub fn bytes(&self) -> Vec<u8> {
        [
            self.header.as_slice(),
            &self.header_signature,
            &self.manifest,
            &self.body,
            &self.digests.concat(),
            &self.trailer_signature,
            &self.after,
        ]
        .concat()
    }

    /// Where each part ends in [`V2::bytes`]: header, header signature, manifest, body, digests,
    /// trailer signature.
    pub fn ends(&self) -> [usize; 6] {
        let mut at = 0;
        [
            self.header.len(),
            64,
            self.manifest.len(),
            self.body.len(),
            self.digests.len() * 32,
            64,
        ]
        .map(|len| {
            at += len;
            at
        })
    }
}
