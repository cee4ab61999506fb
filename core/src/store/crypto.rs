//! The store's symmetric cryptography: one random data key per store, from which an AEAD key
//! (XChaCha20-Poly1305) and an index key (HMAC-SHA256, for row keys) are derived with HKDF.
//! Every stored value is padded, then sealed with its row key as associated data, so a value
//! moved to another row does not open.

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hkdf::Hkdf;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use zeroize::Zeroizing;

use super::error::StoreError;

/// Length of keys and row keys.
pub(crate) const KEY_LEN: usize = 32;
const NONCE_LEN: usize = 24;
const TAG_LEN: usize = 16;
/// Every sealed value starts with this, so the associated data changes if the format does.
const AD_PREFIX: &[u8] = b"indicia-store/1 value\0";

/// 32 random bytes from the OS (or browser) CSPRNG.
pub(crate) fn random_key() -> Result<Zeroizing<[u8; KEY_LEN]>, StoreError> {
    let mut key = Zeroizing::new([0u8; KEY_LEN]);
    getrandom::getrandom(key.as_mut()).map_err(|_| StoreError::Random)?;
    Ok(key)
}

pub(crate) fn random_bytes<const N: usize>() -> Result<[u8; N], StoreError> {
    let mut out = [0u8; N];
    getrandom::getrandom(&mut out).map_err(|_| StoreError::Random)?;
    Ok(out)
}

/// Seals `plaintext` under `key` with associated data `ad`: nonce ‖ ciphertext ‖ tag.
pub(crate) fn seal(
    key: &[u8; KEY_LEN],
    ad: &[u8],
    plaintext: &[u8],
) -> Result<Vec<u8>, StoreError> {
    let nonce: [u8; NONCE_LEN] = random_bytes()?;
    let cipher = XChaCha20Poly1305::new(key.into());
    let ciphertext = cipher
        .encrypt(
            XNonce::from_slice(&nonce),
            Payload {
                msg: plaintext,
                aad: ad,
            },
        )
        .map_err(|_| StoreError::Random)?;
    let mut out = Vec::with_capacity(NONCE_LEN + ciphertext.len());
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&ciphertext);
    Ok(out)
}

/// Opens what [`seal`] made; any alteration (of the value, or of where it is stored) fails.
pub(crate) fn open(key: &[u8; KEY_LEN], ad: &[u8], sealed: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
    if sealed.len() < NONCE_LEN + TAG_LEN {
        return None;
    }
    let (nonce, ciphertext) = sealed.split_at(NONCE_LEN);
    let cipher = XChaCha20Poly1305::new(key.into());
    cipher
        .decrypt(
            XNonce::from_slice(nonce),
            Payload {
                msg: ciphertext,
                aad: ad,
            },
        )
        .ok()
        .map(Zeroizing::new)
}

/// Pads to a bucket so that a row's size says little about its content: a 4-byte length, the
/// data, zeros up to the next power of two (at least 256 bytes).
fn pad(data: &[u8]) -> Result<Zeroizing<Vec<u8>>, StoreError> {
    let len = u32::try_from(data.len()).map_err(|_| StoreError::TooLarge)?;
    let bucket = (data.len() + 4).next_power_of_two().max(256);
    let mut out = Zeroizing::new(Vec::with_capacity(bucket));
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(data);
    out.resize(bucket, 0);
    Ok(out)
}

fn unpad(padded: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
    let len_bytes: [u8; 4] = padded.get(..4)?.try_into().ok()?;
    let len = usize::try_from(u32::from_le_bytes(len_bytes)).ok()?;
    padded
        .get(4..4usize.checked_add(len)?)
        .map(|d| Zeroizing::new(d.to_vec()))
}

/// The keys of an unlocked store. Dropping it zeroizes them.
pub(crate) struct Keys {
    data_key: Zeroizing<[u8; KEY_LEN]>,
    value_key: Zeroizing<[u8; KEY_LEN]>,
    index_key: Zeroizing<[u8; KEY_LEN]>,
}

impl std::fmt::Debug for Keys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Keys(<redacted>)")
    }
}

impl Keys {
    pub(crate) fn from_data_key(data_key: Zeroizing<[u8; KEY_LEN]>) -> Keys {
        let hk = Hkdf::<Sha256>::new(Some(b"indicia-store/1"), data_key.as_ref());
        let mut value_key = Zeroizing::new([0u8; KEY_LEN]);
        let mut index_key = Zeroizing::new([0u8; KEY_LEN]);
        // Expanding 32 bytes from HKDF-SHA256 cannot fail (limit is 255 × 32).
        let _ = hk.expand(b"value key", value_key.as_mut());
        let _ = hk.expand(b"index key", index_key.as_mut());
        Keys {
            data_key,
            value_key,
            index_key,
        }
    }

    pub(crate) fn data_key(&self) -> &[u8; KEY_LEN] {
        &self.data_key
    }

    /// The opaque key of a row: HMAC(index key, kind ‖ 0 ‖ parts…). Nothing about the case,
    /// question or attachment can be read from it.
    pub(crate) fn row_key(&self, kind: &str, parts: &[&[u8]]) -> Result<[u8; KEY_LEN], StoreError> {
        // HMAC accepts keys of any length; the error arm is unreachable but kept total.
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(self.index_key.as_ref())
            .map_err(|_| StoreError::Random)?;
        mac.update(kind.as_bytes());
        for part in parts {
            mac.update(&[0]);
            mac.update(&(part.len() as u64).to_be_bytes());
            mac.update(part);
        }
        Ok(mac.finalize().into_bytes().into())
    }

    /// Seals a value for row `row_key`.
    pub(crate) fn seal_value(
        &self,
        row_key: &[u8; KEY_LEN],
        plaintext: &[u8],
    ) -> Result<Vec<u8>, StoreError> {
        let ad = [AD_PREFIX, row_key.as_slice()].concat();
        seal(&self.value_key, &ad, &pad(plaintext)?)
    }

    /// Opens the value of row `row_key`; `Tampered` if it does not authenticate there.
    pub(crate) fn open_value(
        &self,
        row_key: &[u8; KEY_LEN],
        sealed: &[u8],
    ) -> Result<Zeroizing<Vec<u8>>, StoreError> {
        let ad = [AD_PREFIX, row_key.as_slice()].concat();
        let padded = open(&self.value_key, &ad, sealed).ok_or(StoreError::Tampered)?;
        unpad(&padded).ok_or(StoreError::Tampered)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys() -> Keys {
        Keys::from_data_key(random_key().unwrap())
    }

    #[test]
    fn values_round_trip_and_hide_their_length_in_buckets() {
        let k = keys();
        let row = k.row_key("case", &[b"1"]).unwrap();
        let short = k.seal_value(&row, b"a").unwrap();
        let longer = k.seal_value(&row, &[7u8; 200]).unwrap();
        assert_eq!(
            short.len(),
            longer.len(),
            "values in one bucket must not differ in size"
        );
        assert_eq!(&*k.open_value(&row, &longer).unwrap(), &[7u8; 200]);
    }

    #[test]
    fn a_value_moved_to_another_row_does_not_open() {
        let k = keys();
        let (a, b) = (
            k.row_key("case", &[b"a"]).unwrap(),
            k.row_key("case", &[b"b"]).unwrap(),
        );
        let sealed = k.seal_value(&a, b"secret").unwrap();
        assert!(matches!(
            k.open_value(&b, &sealed),
            Err(StoreError::Tampered)
        ));
    }

    #[test]
    fn every_bit_flip_is_tampering() {
        let k = keys();
        let row = k.row_key("note", &[b"x"]).unwrap();
        let sealed = k.seal_value(&row, b"note text").unwrap();
        for i in 0..sealed.len() {
            let mut t = sealed.clone();
            t[i] ^= 0x10;
            assert!(k.open_value(&row, &t).is_err(), "byte {i}");
        }
        assert!(k.open_value(&row, &sealed[..10]).is_err());
    }

    #[test]
    fn row_keys_are_keyed_and_unambiguous() {
        let k = keys();
        let other = keys();
        let rk = |k: &Keys, kind: &str, parts: &[&[u8]]| k.row_key(kind, parts).unwrap();
        assert_ne!(rk(&k, "case", &[b"1"]), rk(&other, "case", &[b"1"]));
        assert_ne!(
            rk(&k, "case", &[b"ab", b"c"]),
            rk(&k, "case", &[b"a", b"bc"])
        );
        assert_ne!(rk(&k, "case", &[b"1"]), rk(&k, "note", &[b"1"]));
    }
}
