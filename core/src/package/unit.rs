//! The receiving unit's card (docs/formats/receipt.md): what a device needs to seal to a unit
//! and to believe its receipts — the unit's age recipient and its Ed25519 signing key. Handed to
//! devices when they are set up (a file, a QR code), never fetched over the network.
//!
//! A card (`indicia-unit/2`) is signed by the unit's own signing key, so nobody can alter the
//! name or swap the recipient of a card the unit made; whether the card came from the unit at
//! all is what the [fingerprint](UnitCard::fingerprint) is for: the device shows it, and the
//! worker compares it with the one the unit reads out over another channel.
//!
//! # Example
//!
//! ```rust
//! use indicia_core::package::{DeviceKey, UnitCard};
//! use indicia_core::Identity;
//!
//! let (unit, key) = (Identity::generate(), DeviceKey::generate()?);
//! let card = UnitCard::signed("National THB unit", &unit.recipient().to_string(), &key)?;
//!
//! // What a device imports: the JSON, checked and its signature verified.
//! let read = UnitCard::parse(&card.to_json())?;
//! assert_eq!(read, card);
//! // Four groups of five digits, the same on the unit's screen and the device's.
//! assert_eq!(read.fingerprint()?.len(), 23);
//!
//! // A card whose recipient was swapped no longer verifies.
//! let mut forged = card.clone();
//! forged.recipient = Identity::generate().recipient().to_string();
//! assert!(UnitCard::parse(&forged.to_json()).is_err());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::device::{key_id_from_hex, verify, DeviceKey};
use super::manifest::DeviceInfo;
use super::PackageError;
use crate::hex;

/// The value of `format` in every card this version writes (signed).
pub const UNIT_CARD_FORMAT: &str = "indicia-unit/2";
/// The format of the first, unsigned cards: still read from stores that hold them, never
/// imported anew.
pub const UNIT_CARD_FORMAT_V1: &str = "indicia-unit/1";
/// What the unit signs: this context, then the card without `signature` in RFC 8785 form.
pub const UNIT_CARD_SIGNATURE_CONTEXT: &[u8] = b"indicia-unit/2 card\0";
/// What the fingerprint hashes first, so it is never the hash of anything else Indicia hashes.
pub const UNIT_FINGERPRINT_CONTEXT: &[u8] = b"indicia-unit fingerprint\0";

/// A receiving unit's public card.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct UnitCard {
    /// [`UNIT_CARD_FORMAT`]; [`UNIT_CARD_FORMAT_V1`] only in cards a store imported before
    /// cards were signed.
    pub format: String,
    /// The unit's name (e.g. "National THB unit, Bratislava").
    pub name: String,
    /// The age recipient (`age1…`) reports are sealed to.
    pub recipient: String,
    /// The key the unit signs receipts and this card with.
    pub signing_key: DeviceInfo,
    /// Ed25519 signature (128 hex digits) by `signing_key`; absent only in v1 cards.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<String>,
}

impl UnitCard {
    /// A card for the unit called `name` with age recipient `recipient`, signed by `key` (the
    /// unit's receipt-signing key, which the card names).
    pub fn signed(name: &str, recipient: &str, key: &DeviceKey) -> Result<UnitCard, PackageError> {
        let mut card = UnitCard {
            format: UNIT_CARD_FORMAT.into(),
            name: name.into(),
            recipient: recipient.into(),
            signing_key: key.info(),
            signature: None,
        };
        let signature = key.sign(&card.signed_bytes()?);
        card.signature = Some(hex::encode(&signature));
        card.check()?;
        Ok(card)
    }

    /// Parses a card's JSON for importing: checks its fields and verifies its signature. An
    /// unsigned (v1) card is refused ([`PackageError::UnsignedUnitCard`]).
    pub fn parse(json: &str) -> Result<UnitCard, PackageError> {
        let card: UnitCard = serde_json::from_str(crate::without_bom(json)).map_err(|_| {
            PackageError::UnitCard("not a unit card (missing, unknown or mistyped fields)")
        })?;
        card.check()?;
        Ok(card)
    }

    /// Checks what importing a card needs: the v2 format, name, recipient and key shapes, and
    /// the signature by the card's own key over all of them.
    pub fn check(&self) -> Result<(), PackageError> {
        match self.format.as_str() {
            UNIT_CARD_FORMAT => {}
            UNIT_CARD_FORMAT_V1 => return Err(PackageError::UnsignedUnitCard),
            _ => return Err(PackageError::Unsupported("unit card format")),
        }
        if self.name.trim().is_empty() || self.name.chars().count() > 200 {
            return Err(PackageError::UnitCard("unit name is empty or too long"));
        }
        if crate::keys::parse_recipients(&[self.recipient.as_str()]).is_err() {
            return Err(PackageError::UnitCard(
                "the recipient is not an age X25519 recipient",
            ));
        }
        if !hex::is_hex(&self.signing_key.public_key, 64)
            || self.signing_key.key_id != key_id_from_hex(&self.signing_key.public_key)
        {
            return Err(PackageError::UnitCard(
                "signing key id does not match the public key",
            ));
        }
        let signature = self
            .signature
            .as_deref()
            .ok_or(PackageError::UnitCard("the card has no signature"))?;
        let signature: [u8; 64] = Some(signature)
            .filter(|s| hex::is_hex(s, 128))
            .and_then(hex::decode)
            .ok_or(PackageError::UnitCard(
                "the signature is not 128 lower-case hex digits",
            ))?;
        if !verify(
            &self.signing_key.public_key,
            &self.signed_bytes()?,
            &signature,
        ) {
            return Err(PackageError::BadUnitCardSignature);
        }
        Ok(())
    }

    /// The bytes the signature covers: the context, then every field but `signature` in RFC
    /// 8785 canonical form (so the JSON's spacing and key order on the way do not matter).
    fn signed_bytes(&self) -> Result<Vec<u8>, PackageError> {
        let unsigned = UnitCard {
            signature: None,
            ..self.clone()
        };
        let canonical = serde_jcs::to_vec(&unsigned)
            .map_err(|_| PackageError::UnitCard("cannot be encoded"))?;
        Ok([UNIT_CARD_SIGNATURE_CONTEXT, &canonical].concat())
    }

    /// The card's fingerprint, for people to compare out of band (read aloud on the phone, or
    /// side by side): four groups of five digits, e.g. `05871 33092 71420 96113`.
    ///
    /// SHA-256 of [`UNIT_FINGERPRINT_CONTEXT`] ‖ the 32 bytes of the signing key ‖ the recipient
    /// (UTF-8); each group is the next 5 digest bytes as a big-endian number modulo 100,000 (as
    /// Signal's safety numbers). 20 digits carry 66 bits: a forger who wants a card of their own
    /// with a unit's fingerprint must find a second preimage, about 2^66 key generations and
    /// hashes — out of reach — while the digits stay few enough that people do compare them all.
    /// The name is left out: it is covered by the signature, and a unit may rename itself
    /// without devices having to compare again. Works for v1 cards too (same fields).
    pub fn fingerprint(&self) -> Result<String, PackageError> {
        let key: [u8; 32] = hex::decode(&self.signing_key.public_key).ok_or(
            PackageError::UnitCard("the signing key is not 64 hex digits"),
        )?;
        let digest = Sha256::new()
            .chain_update(UNIT_FINGERPRINT_CONTEXT)
            .chain_update(key)
            .chain_update(self.recipient.as_bytes())
            .finalize();
        let groups: Vec<String> = digest[..20]
            .chunks(5)
            .map(|chunk| {
                let n = chunk.iter().fold(0u64, |n, b| n << 8 | u64::from(*b));
                format!("{:05}", n % 100_000)
            })
            .collect();
        Ok(groups.join(" "))
    }

    /// The card as JSON (one line).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}
