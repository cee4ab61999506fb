//! The trust list: which device keys may report, for which organisation, and which age
//! recipients an organisation's receipts go to besides the report's own `reply_to`. Entries are
//! revoked, never deleted, so a report received earlier still shows who signed it and that the
//! key was withdrawn later.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::Receiver;
use super::ReceiverError;
use crate::package::{key_id, DeviceInfo};
use crate::vault::StoreError;

/// What a trust entry vouches for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "snake_case")]
pub enum TrustKind {
    /// An Ed25519 device key (64 hex digits) whose packages are accepted for the organisation.
    Device,
    /// An organisation's age recipient (`age1…`): receipts for its reports are encrypted to it.
    Organisation,
}

impl TrustKind {
    /// The JSON and command-line spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            TrustKind::Device => "device",
            TrustKind::Organisation => "organisation",
        }
    }
}

/// Whether an entry is in force.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrustState {
    /// Trusted.
    Trusted,
    /// Revoked (at this Unix time).
    Revoked(i64),
}

/// One trust list entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct TrustEntry {
    /// Device or organisation key.
    pub kind: TrustKind,
    /// The key: Ed25519 public key in hex (device) or `age1…` recipient (organisation).
    pub key: String,
    /// Device: the key id manifests name; organisation: the first 16 bytes of SHA-256 of the
    /// recipient string. What `revoke` takes.
    pub key_id: String,
    /// The organisation id, as reports name it.
    pub organisation: String,
    /// Who or what this is (e.g. "tablet 3, outreach team"), if given.
    pub label: Option<String>,
    /// Unix seconds.
    pub added_at: i64,
    /// Unix seconds, once revoked.
    pub revoked_at: Option<i64>,
}

impl TrustEntry {
    /// Trusted or revoked.
    pub fn state(&self) -> TrustState {
        match self.revoked_at {
            None => TrustState::Trusted,
            Some(at) => TrustState::Revoked(at),
        }
    }
}

fn parse_device_key(key: &str) -> Option<[u8; 32]> {
    let public = crate::hex::decode::<32>(key.trim())?;
    // A key that is not a valid curve point could never verify anything.
    ed25519_dalek::VerifyingKey::from_bytes(&public).ok()?;
    Some(public)
}

const MAX_ENTRIES: usize = 100_000;

impl Receiver {
    fn trust_row(&self) -> Result<[u8; 32], StoreError> {
        self.vault.row_key("trust", &[])
    }

    /// The whole trust list, in the order entries were added.
    pub fn trust_list(&self) -> Result<Vec<TrustEntry>, StoreError> {
        Ok(self.vault.get(&self.trust_row()?)?.unwrap_or_default())
    }

    /// Adds a key for `organisation`. Adding a key that is already listed (trusted) for the same
    /// organisation changes nothing; a revoked key cannot be trusted again (a revocation
    /// usually means the device was lost: its key must not come back by mistake), nor can one
    /// key serve two organisations.
    pub fn trust_add(
        &mut self,
        kind: TrustKind,
        key: &str,
        organisation: &str,
        label: Option<&str>,
    ) -> Result<TrustEntry, ReceiverError> {
        let organisation = organisation.trim();
        if organisation.is_empty() || organisation.chars().count() > 200 {
            return Err(ReceiverError::InvalidInput(
                "the organisation id is empty or longer than 200 characters",
            ));
        }
        if label.is_some_and(|l| l.chars().count() > 200) {
            return Err(ReceiverError::InvalidInput(
                "the label is longer than 200 characters",
            ));
        }
        let (key, key_id) = match kind {
            TrustKind::Device => {
                let public = parse_device_key(key).ok_or(ReceiverError::InvalidInput(
                    "a device key is an Ed25519 public key, 64 hex digits",
                ))?;
                (key.trim().to_ascii_lowercase(), key_id(&public))
            }
            TrustKind::Organisation => {
                let key = key.trim();
                crate::keys::parse_recipients(&[key]).map_err(|_| {
                    ReceiverError::InvalidInput("an organisation key is an age1… recipient")
                })?;
                let digest = Sha256::digest(key.as_bytes());
                (key.to_owned(), crate::hex::encode(&digest[..16]))
            }
        };
        let mut list = self.trust_list()?;
        if let Some(existing) = list.iter().find(|e| e.key_id == key_id) {
            if existing.revoked_at.is_some() {
                return Err(ReceiverError::Conflict(
                    "that key was revoked; it cannot be trusted again",
                ));
            }
            if existing.organisation != organisation {
                return Err(ReceiverError::Conflict(
                    "that key is already trusted for another organisation",
                ));
            }
            return Ok(existing.clone());
        }
        if list.len() >= MAX_ENTRIES {
            return Err(ReceiverError::InvalidInput("the trust list is full"));
        }
        let entry = TrustEntry {
            kind,
            key,
            key_id,
            organisation: organisation.to_owned(),
            label: label.map(str::to_owned).filter(|l| !l.trim().is_empty()),
            added_at: crate::clock::now(),
            revoked_at: None,
        };
        list.push(entry.clone());
        self.vault.put(&self.trust_row()?, &list)?;
        Ok(entry)
    }

    /// Revokes the entry whose key id (or key) is `key_id`: packages signed by a revoked device
    /// key are refused from now on; reports already received stay, marked.
    pub fn trust_revoke(&mut self, key_id: &str) -> Result<TrustEntry, ReceiverError> {
        let key_id = key_id.trim();
        let mut list = self.trust_list()?;
        let entry = list
            .iter_mut()
            .find(|e| e.key_id == key_id || e.key == key_id)
            .ok_or(StoreError::NotFound("trust entry"))?;
        if entry.revoked_at.is_none() {
            entry.revoked_at = Some(crate::clock::now());
        }
        let revoked = entry.clone();
        self.vault.put(&self.trust_row()?, &list)?;
        Ok(revoked)
    }

    /// When the device key a manifest names was revoked, if it was.
    pub(super) fn signer_revoked_at(list: &[TrustEntry], device: &DeviceInfo) -> Option<i64> {
        list.iter()
            .filter(|e| e.kind == TrustKind::Device && e.key_id == device.key_id)
            .find_map(|e| e.revoked_at)
    }

    /// Whether the device key a manifest names may report for `organisation`.
    pub(super) fn check_signer(
        list: &[TrustEntry],
        device: &DeviceInfo,
        organisation: &str,
    ) -> Result<(), ReceiverError> {
        let entry = Self::check_device(list, device)?;
        if entry.organisation != organisation {
            return Err(ReceiverError::UntrustedSigner(
                "the device key is trusted for another organisation",
            ));
        }
        Ok(())
    }

    /// The trust list's entry for `device`: on the list, not revoked (the organisation is
    /// [`Receiver::check_signer`]'s, once a manifest names one).
    pub(super) fn check_device<'a>(
        list: &'a [TrustEntry],
        device: &DeviceInfo,
    ) -> Result<&'a TrustEntry, ReceiverError> {
        let entry = list
            .iter()
            .find(|e| e.kind == TrustKind::Device && e.key_id == device.key_id)
            .filter(|e| e.key == device.public_key)
            .ok_or(ReceiverError::UntrustedSigner(
                "unknown device key (not on the trust list)",
            ))?;
        if entry.revoked_at.is_some() {
            return Err(ReceiverError::UntrustedSigner("the device key was revoked"));
        }
        Ok(entry)
    }
}
