//! The receiving unit's card (docs/formats/receipt.md): what a device needs to seal to a unit
//! and to believe its receipts — the unit's age recipient and its Ed25519 signing key. Handed to
//! devices when they are set up (a file, a QR code), never fetched over the network.

use serde::{Deserialize, Serialize};

use super::device::key_id_from_hex;
use super::manifest::DeviceInfo;
use super::PackageError;
use crate::hex;

/// The value of `format` in every v1 unit card.
pub const UNIT_CARD_FORMAT: &str = "indicia-unit/1";

/// A receiving unit's public card.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct UnitCard {
    /// Always [`UNIT_CARD_FORMAT`].
    pub format: String,
    /// The unit's name (e.g. "National THB unit, Bratislava").
    pub name: String,
    /// The age recipient (`age1…`) reports are sealed to.
    pub recipient: String,
    /// The key the unit signs receipts with.
    pub signing_key: DeviceInfo,
}

impl UnitCard {
    /// Parses and checks a card's JSON.
    pub fn parse(json: &str) -> Result<UnitCard, PackageError> {
        let card: UnitCard = serde_json::from_str(crate::without_bom(json)).map_err(|_| {
            PackageError::UnitCard("not a unit card (missing, unknown or mistyped fields)")
        })?;
        card.check()?;
        Ok(card)
    }

    /// Checks format, name, recipient and key shapes.
    pub fn check(&self) -> Result<(), PackageError> {
        if self.format != UNIT_CARD_FORMAT {
            return Err(PackageError::Unsupported("unit card format"));
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
        Ok(())
    }

    /// The card as JSON (one line).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}
