//! The vault's symmetric cryptography (docs/formats/store.md, "Keys"): one random data key per
//! vault, from which HKDF-SHA256 derives the AEAD key (XChaCha20-Poly1305) and the integrity key
//! (HMAC-SHA256 over row versions). Row keys come from a separate random index key, kept sealed,
//! so that a re-key changes every ciphertext but no row's place. Every value is padded, then
//! sealed with associated data naming its vault, table, row and version: a value moved to
//! another row or vault, or put back at an older version, does not open.

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hkdf::Hkdf;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use zeroize::Zeroizing;

use super::error::StoreError;

/// Length of keys and row keys.
pub(crate) const KEY_LEN: usize = 32;
/// Length of an XChaCha20-Poly1305 nonce.
pub(crate) const NONCE_LEN: usize = 24;
const TAG_LEN: usize = 16;
/// Format v1's associated-data prefix (read only while migrating a v1 store).
const AD_PREFIX_V1: &[u8] = b"indicia-store/1 value\0";
/// Format v2's associated-data prefix.
const AD_PREFIX: &[u8] = b"indicia-vault/2 row\0";

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
        // The AEAD refuses only a message over its length limit (2^38 bytes for XChaCha20).
        .map_err(|_| StoreError::TooLarge)?;
    let mut out = Vec::with_capacity(NONCE_LEN + ciphertext.len());
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&ciphertext);
    Ok(out)
}

/// Splits what [`seal`] made into its nonce and the rest (ciphertext ‖ tag): the vault keeps
/// the nonce in a column of its own, where the integrity check reads it.
pub(crate) fn split_nonce(sealed: &[u8]) -> Result<([u8; NONCE_LEN], &[u8]), StoreError> {
    let short = || StoreError::Storage("a sealed value is shorter than its nonce".into());
    let (nonce, rest) = sealed.split_at_checked(NONCE_LEN).ok_or_else(short)?;
    Ok((nonce.try_into().map_err(|_| short())?, rest))
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

/// The keys of an unlocked vault. Dropping it zeroizes them.
pub(crate) struct Keys {
    data_key: Zeroizing<[u8; KEY_LEN]>,
    value_key: Zeroizing<[u8; KEY_LEN]>,
    integrity_key: Zeroizing<[u8; KEY_LEN]>,
    index_key: Zeroizing<[u8; KEY_LEN]>,
}

impl std::fmt::Debug for Keys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Keys(<redacted>)")
    }
}

fn expand(hk: &Hkdf<Sha256>, info: &[u8]) -> Zeroizing<[u8; KEY_LEN]> {
    let mut key = Zeroizing::new([0u8; KEY_LEN]);
    // Expanding 32 bytes from HKDF-SHA256 cannot fail (the limit is 255 × 32).
    let _ = hk.expand(info, key.as_mut());
    key
}

/// What a sealed row's associated data names (format v2): the vault, the table, the row key
/// and the row's version.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RowPlace<'a> {
    pub store_id: &'a [u8],
    pub table: &'a str,
    pub row: &'a [u8; KEY_LEN],
    pub version: u64,
}

impl RowPlace<'_> {
    fn associated_data(&self) -> Vec<u8> {
        let mut ad = Vec::with_capacity(AD_PREFIX.len() + 16 + self.table.len() + 1 + 40);
        ad.extend_from_slice(AD_PREFIX);
        ad.extend_from_slice(&(self.store_id.len() as u64).to_be_bytes());
        ad.extend_from_slice(self.store_id);
        ad.extend_from_slice(&(self.table.len() as u64).to_be_bytes());
        ad.extend_from_slice(self.table.as_bytes());
        ad.extend_from_slice(self.row);
        ad.extend_from_slice(&self.version.to_be_bytes());
        ad
    }
}

impl Keys {
    /// Format v2 keys: value and integrity keys from the data key; the index key as stored.
    pub(crate) fn new(
        data_key: Zeroizing<[u8; KEY_LEN]>,
        index_key: Zeroizing<[u8; KEY_LEN]>,
    ) -> Keys {
        let hk = Hkdf::<Sha256>::new(Some(b"indicia-vault/2"), data_key.as_ref());
        Keys {
            value_key: expand(&hk, b"value key"),
            integrity_key: expand(&hk, b"integrity key"),
            data_key,
            index_key,
        }
    }

    /// The index key a format v1 store derived from its data key (migrated stores keep it, so
    /// their row keys do not change).
    pub(crate) fn v1_index_key(data_key: &[u8; KEY_LEN]) -> Zeroizing<[u8; KEY_LEN]> {
        let hk = Hkdf::<Sha256>::new(Some(b"indicia-store/1"), data_key.as_ref());
        expand(&hk, b"index key")
    }

    /// Opens a format v1 value (`AD = prefix ‖ row key`), for the migration to v2.
    pub(crate) fn open_v1(
        data_key: &[u8; KEY_LEN],
        row_key: &[u8; KEY_LEN],
        sealed: &[u8],
    ) -> Result<Zeroizing<Vec<u8>>, StoreError> {
        let hk = Hkdf::<Sha256>::new(Some(b"indicia-store/1"), data_key.as_ref());
        let value_key = expand(&hk, b"value key");
        let ad = [AD_PREFIX_V1, row_key.as_slice()].concat();
        let padded = open(&value_key, &ad, sealed).ok_or(StoreError::Tampered)?;
        unpad(&padded).ok_or(StoreError::Tampered)
    }

    pub(crate) fn data_key(&self) -> &[u8; KEY_LEN] {
        &self.data_key
    }

    pub(crate) fn index_key(&self) -> &[u8; KEY_LEN] {
        &self.index_key
    }

    /// The opaque key of a row: HMAC(index key, kind ‖ 0 ‖ len ‖ part …). Nothing about the
    /// case, question or attachment can be read from it.
    pub(crate) fn row_key(&self, kind: &str, parts: &[&[u8]]) -> [u8; KEY_LEN] {
        let mut mac = keyed(&self.index_key);
        mac.update(kind.as_bytes());
        for part in parts {
            mac.update(&[0]);
            mac.update(&(part.len() as u64).to_be_bytes());
            mac.update(part);
        }
        mac.finalize().into_bytes().into()
    }

    /// The integrity tag of one written row: HMAC(integrity key, table ‖ 0 ‖ len ‖ row ‖
    /// version ‖ nonce). The nonce is fresh for every write, so the tag names this very
    /// ciphertext. The vault's state keeps the XOR of the tags of all live rows
    /// (vault/integrity.rs).
    pub(crate) fn row_tag(
        &self,
        table: &str,
        row: &[u8],
        version: u64,
        nonce: &[u8; NONCE_LEN],
        blob: Option<u64>,
    ) -> [u8; KEY_LEN] {
        let mut mac = keyed(&self.integrity_key);
        mac.update(table.as_bytes());
        mac.update(&[0]);
        mac.update(&(row.len() as u64).to_be_bytes());
        mac.update(row);
        mac.update(&version.to_be_bytes());
        mac.update(nonce);
        // A value kept apart: its blob's id too (every field before has a fixed length, so the
        // 8 more bytes cannot be confused with an inline row's tag, which is unchanged).
        if let Some(id) = blob {
            mac.update(&id.to_be_bytes());
        }
        mac.finalize().into_bytes().into()
    }

    /// Seals a value for its place.
    pub(crate) fn seal_value(
        &self,
        place: &RowPlace<'_>,
        plaintext: &[u8],
    ) -> Result<Vec<u8>, StoreError> {
        seal(&self.value_key, &place.associated_data(), &pad(plaintext)?)
    }

    /// Opens the value sealed for `place`; `Tampered` if it does not authenticate there.
    pub(crate) fn open_value(
        &self,
        place: &RowPlace<'_>,
        sealed: &[u8],
    ) -> Result<Zeroizing<Vec<u8>>, StoreError> {
        let padded =
            open(&self.value_key, &place.associated_data(), sealed).ok_or(StoreError::Tampered)?;
        unpad(&padded).ok_or(StoreError::Tampered)
    }
}

fn keyed(key: &[u8; KEY_LEN]) -> Hmac<Sha256> {
    // HMAC takes keys of any length: 32 bytes always fits.
    <Hmac<Sha256> as Mac>::new_from_slice(key).unwrap_or_else(|_| unreachable_hmac())
}

#[cold]
fn unreachable_hmac() -> Hmac<Sha256> {
    // Never reached (see `keyed`); a fixed-key MAC keeps the function total without a panic.
    <Hmac<Sha256> as Mac>::new(&Default::default())
}

#[cfg(test)]
mod tests {
    use super::*;

    const STORE: &[u8] = b"0123456789abcdef";

    fn keys() -> Keys {
        Keys::new(random_key().unwrap(), random_key().unwrap())
    }

    fn place<'a>(row: &'a [u8; KEY_LEN], version: u64) -> RowPlace<'a> {
        RowPlace {
            store_id: STORE,
            table: "sealed",
            row,
            version,
        }
    }

    #[test]
    fn values_round_trip_and_hide_their_length_in_buckets() {
        let k = keys();
        let row = k.row_key("case", &[b"1"]);
        let short = k.seal_value(&place(&row, 1), b"a").unwrap();
        let longer = k.seal_value(&place(&row, 1), &[7u8; 200]).unwrap();
        assert_eq!(
            short.len(),
            longer.len(),
            "values in one bucket must not differ in size"
        );
        assert_eq!(
            &*k.open_value(&place(&row, 1), &longer).unwrap(),
            &[7u8; 200]
        );
    }

    #[test]
    fn a_value_moved_to_another_row_version_table_or_vault_does_not_open() {
        let k = keys();
        let (a, b) = (k.row_key("case", &[b"a"]), k.row_key("case", &[b"b"]));
        let sealed = k.seal_value(&place(&a, 3), b"secret").unwrap();
        let tampered =
            |p: RowPlace<'_>| matches!(k.open_value(&p, &sealed), Err(StoreError::Tampered));
        assert!(tampered(place(&b, 3)), "another row");
        assert!(tampered(place(&a, 2)), "an older version");
        assert!(
            tampered(RowPlace {
                table: "meta",
                ..place(&a, 3)
            }),
            "another table"
        );
        assert!(
            tampered(RowPlace {
                store_id: b"fedcba9876543210",
                ..place(&a, 3)
            }),
            "another vault"
        );
        assert!(!tampered(place(&a, 3)));
    }

    #[test]
    fn every_bit_flip_is_tampering() {
        let k = keys();
        let row = k.row_key("note", &[b"x"]);
        let sealed = k.seal_value(&place(&row, 9), b"note text").unwrap();
        for i in 0..sealed.len() {
            let mut t = sealed.clone();
            t[i] ^= 0x10;
            assert!(k.open_value(&place(&row, 9), &t).is_err(), "byte {i}");
        }
        assert!(k.open_value(&place(&row, 9), &sealed[..10]).is_err());
    }

    #[test]
    fn row_keys_are_keyed_and_unambiguous() {
        let k = keys();
        let other = keys();
        assert_ne!(k.row_key("case", &[b"1"]), other.row_key("case", &[b"1"]));
        assert_ne!(
            k.row_key("case", &[b"ab", b"c"]),
            k.row_key("case", &[b"a", b"bc"])
        );
        assert_ne!(k.row_key("case", &[b"1"]), k.row_key("note", &[b"1"]));
    }

    #[test]
    fn row_keys_survive_a_new_data_key_but_tags_do_not() {
        let index = random_key().unwrap();
        let a = Keys::new(random_key().unwrap(), index.clone());
        let b = Keys::new(random_key().unwrap(), index);
        assert_eq!(a.row_key("case", &[b"1"]), b.row_key("case", &[b"1"]));
        let n = [5u8; NONCE_LEN];
        assert_ne!(
            a.row_tag("sealed", b"r", 1, &n, None),
            b.row_tag("sealed", b"r", 1, &n, None)
        );
        assert_ne!(
            a.row_tag("sealed", b"r", 1, &n, None),
            a.row_tag("sealed", b"r", 2, &n, None)
        );
        assert_ne!(
            a.row_tag("sealed", b"r", 1, &n, None),
            a.row_tag("sealed", b"r", 1, &[6; NONCE_LEN], None)
        );
        // A blob id changes the tag, and no id is the same as no blob.
        assert_ne!(
            a.row_tag("sealed", b"r", 1, &n, None),
            a.row_tag("sealed", b"r", 1, &n, Some(0))
        );
        assert_ne!(
            a.row_tag("sealed", b"r", 1, &n, Some(1)),
            a.row_tag("sealed", b"r", 1, &n, Some(2))
        );
    }
}
