//! The deployment's checklist trust, held in the field store like the unit cards: which
//! publishers' signed definitions this device runs, and whether it runs any other
//! (docs/formats/signed-checklist.md, "Trust"). Sealed like every value, so whoever can write the
//! disk cannot add a publisher.

use super::{Store, StoreError};
use crate::checklist::{ChecklistError, ChecklistTrust};

impl Store {
    fn checklist_trust_row(&self) -> Result<[u8; 32], StoreError> {
        self.row_key("checklist-trust", &[])
    }

    /// The checklist trust this store holds (the default, which trusts nobody and requires
    /// nothing, until one is set).
    pub fn checklist_trust(&self) -> Result<ChecklistTrust, StoreError> {
        Ok(self.get(&self.checklist_trust_row()?)?.unwrap_or_default())
    }

    /// Replaces the checklist trust (checked first: `InvalidInput` for a malformed list).
    /// Definitions are then loaded under it with [`Checklist::load`].
    ///
    /// [`Checklist::load`]: crate::checklist::Checklist::load
    pub fn set_checklist_trust(&mut self, trust: &ChecklistTrust) -> Result<(), StoreError> {
        trust.check().map_err(|e| match e {
            ChecklistError::Trust(what) => StoreError::InvalidInput(what),
            _ => StoreError::InvalidInput("malformed checklist trust list"),
        })?;
        self.put(&self.checklist_trust_row()?, trust)
    }
}

#[cfg(all(test, feature = "zxcvbn"))]
mod tests {
    use secrecy::SecretString;

    use super::*;
    use crate::checklist::{builtin, sign, Checklist, Provenance, PublisherKey, TrustedPublisher};
    use crate::store::{KdfParams, MemoryBackend, Protection};
    use crate::ErrorKind;

    #[test]
    fn the_trust_is_kept_sealed_and_governs_what_loads() {
        let pin = SecretString::from("tidal-amber-orchard".to_owned());
        let mut store = Store::create(
            Box::new(MemoryBackend::new().expect("memory")),
            &pin,
            &Protection::passphrase(KdfParams::TESTING),
        )
        .expect("store");
        assert_eq!(
            store.checklist_trust().expect("reads"),
            ChecklistTrust::default()
        );
        let key = PublisherKey::from_secret(&[3; 32]);
        let trust = ChecklistTrust {
            require_signatures: true,
            publishers: vec![TrustedPublisher {
                name: "NGO A".into(),
                public_key: key.public_key(),
            }],
        };
        store.set_checklist_trust(&trust).expect("sets");
        store.lock();
        assert_eq!(
            store.checklist_trust().unwrap_err().kind(),
            ErrorKind::StoreLocked
        );
        store.unlock(&pin).expect("unlocks");
        let held = store.checklist_trust().expect("reads");
        assert_eq!(held, trust);

        let mut doc: serde_json::Value =
            serde_json::from_str(builtin::source("ilo-forced-labour-11").expect("built in"))
                .expect("JSON");
        doc["id"] = "local".into();
        let unsigned = doc.to_string();
        assert_eq!(
            Checklist::load(&unsigned, &held).unwrap_err().kind(),
            ErrorKind::UntrustedChecklist
        );
        let signed = sign(&unsigned, "NGO A", &key, 1).expect("signs");
        assert_eq!(
            Checklist::load(&signed, &held).expect("loads").provenance(),
            Provenance::TrustedPublisher
        );

        let mut bad = trust;
        bad.publishers[0].public_key = "00".into();
        assert_eq!(
            store.set_checklist_trust(&bad).unwrap_err().kind(),
            ErrorKind::InvalidArgument
        );
    }
}
