//! The PIN and passphrase policy (docs/threat-model.md, "Offline guessing"): one rule for every
//! binding, checked in the core whenever a secret is set (create, PIN change, re-key).
//!
//! With a device-bound secret, a copy of the disk is useless without the device's hardware, so
//! a short PIN is enough (the device's wipe-after-N limits guesses on it). Without one, the
//! passphrase is the only thing between a disk image and the data, and its strength is
//! estimated with zxcvbn (Wheeler, "zxcvbn: Low-Budget Password Strength Estimation", USENIX
//! Security 2016), which knows the common passwords, words, dates, keyboard walks and
//! substitutions that length alone does not.
//!
//! The estimator is the zxcvbn crate where the `zxcvbn` feature is on (native builds). The
//! browser build leaves it out — its frequency lists would double the wasm package — and takes
//! the host's estimator instead (zxcvbn-ts in the web app's worker), loaded only when a store is
//! made without a passkey. Without any estimator a policy that asks for strength refuses every
//! passphrase: fail closed.

use std::rc::Rc;

use secrecy::{ExposeSecret, SecretString};

use super::error::StoreError;

/// A host's strength estimate: the passphrase in, zxcvbn's score (0–4) out.
pub type HostEstimate = Rc<dyn Fn(&str) -> Result<u8, String>>;

/// Where a passphrase's strength score (zxcvbn's 0–4) comes from.
#[derive(Clone, Default)]
pub enum StrengthEstimator {
    /// The zxcvbn crate (the `zxcvbn` feature; the default there).
    #[cfg(feature = "zxcvbn")]
    #[default]
    Zxcvbn,
    /// The host's estimator, called with the passphrase; an error refuses it.
    Host(HostEstimate),
    /// No estimator: every passphrase a policy asks strength of is refused.
    #[cfg_attr(not(feature = "zxcvbn"), default)]
    Unavailable,
}

impl std::fmt::Debug for StrengthEstimator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            #[cfg(feature = "zxcvbn")]
            StrengthEstimator::Zxcvbn => "StrengthEstimator::Zxcvbn",
            StrengthEstimator::Host(_) => "StrengthEstimator::Host",
            StrengthEstimator::Unavailable => "StrengthEstimator::Unavailable",
        })
    }
}

impl StrengthEstimator {
    fn score(&self, text: &str) -> Result<u8, StoreError> {
        // zxcvbn's matchers are super-linear in the input; a passphrase longer than this is
        // scored on its first 100 characters (already far above every threshold if strong).
        let head: String = text.chars().take(100).collect();
        match self {
            #[cfg(feature = "zxcvbn")]
            StrengthEstimator::Zxcvbn => Ok(u8::from(zxcvbn::zxcvbn(&head, &[]).score())),
            StrengthEstimator::Host(estimate) => estimate(&head).map_err(|_| StoreError::WeakPin {
                reason: "not checked: the strength estimator failed",
                min_length: 0,
            }),
            StrengthEstimator::Unavailable => Err(StoreError::WeakPin {
                reason: "not checked: no strength estimator here (use a device-bound secret)",
                min_length: 0,
            }),
        }
    }
}

/// What a PIN or passphrase must meet. Hosts may ask for more than [`PinPolicy::floor`]; the
/// core never accepts less.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PinPolicy {
    /// Minimum length in Unicode scalar values.
    pub min_length: u32,
    /// Minimum zxcvbn score, 0 (guessable in under 10^3 guesses) to 4 (over 10^10).
    pub min_strength: u8,
}

impl PinPolicy {
    /// A PIN with a device-bound secret: at least 6 characters, digits allowed.
    pub const DEVICE_BOUND: PinPolicy = PinPolicy {
        min_length: 6,
        min_strength: 0,
    };
    /// A passphrase without one: at least 8 characters and a zxcvbn score of 3 (an estimated
    /// 10^8 guesses or more; docs/threat-model.md gives the time that takes offline against
    /// each shipped Argon2id profile).
    pub const PASSPHRASE: PinPolicy = PinPolicy {
        min_length: 8,
        min_strength: 3,
    };

    /// The weakest policy the core accepts for a vault with (or without) a device secret.
    pub fn floor(device_bound: bool) -> PinPolicy {
        if device_bound {
            PinPolicy::DEVICE_BOUND
        } else {
            PinPolicy::PASSPHRASE
        }
    }

    /// This policy raised to the floor for the factor set.
    pub fn at_least_floor(self, device_bound: bool) -> PinPolicy {
        let floor = PinPolicy::floor(device_bound);
        PinPolicy {
            min_length: self.min_length.max(floor.min_length),
            min_strength: self.min_strength.clamp(floor.min_strength, 4),
        }
    }

    /// Checks `pin`, its strength scored by `estimator`: `WeakPin` says what is missing (never
    /// the PIN itself).
    pub fn check(
        &self,
        pin: &SecretString,
        estimator: &StrengthEstimator,
    ) -> Result<(), StoreError> {
        let text = pin.expose_secret();
        if text.chars().count() < self.min_length as usize {
            return Err(StoreError::WeakPin {
                reason: "too short",
                min_length: self.min_length,
            });
        }
        if self.min_strength > 0 && estimator.score(text)? < self.min_strength {
            return Err(StoreError::WeakPin {
                reason: "too easy to guess (common words, patterns, dates or repeats)",
                min_length: self.min_length,
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(policy: PinPolicy, pin: &str) -> Result<(), StoreError> {
        policy.check(
            &SecretString::from(pin.to_owned()),
            &StrengthEstimator::default(),
        )
    }

    #[test]
    fn a_host_estimator_decides_the_score_and_without_one_nothing_passes() {
        let pin = SecretString::from("anything-long-enough".to_owned());
        let host = |score: u8| StrengthEstimator::Host(Rc::new(move |_: &str| Ok(score)));
        assert!(PinPolicy::PASSPHRASE.check(&pin, &host(3)).is_ok());
        assert!(PinPolicy::PASSPHRASE.check(&pin, &host(2)).is_err());
        let failing = StrengthEstimator::Host(Rc::new(|_: &str| Err("broken".to_owned())));
        assert!(PinPolicy::PASSPHRASE.check(&pin, &failing).is_err());
        assert!(matches!(
            PinPolicy::PASSPHRASE.check(&pin, &StrengthEstimator::Unavailable),
            Err(StoreError::WeakPin { .. })
        ));
        // A policy that asks no strength needs no estimator.
        assert!(PinPolicy::DEVICE_BOUND
            .check(&pin, &StrengthEstimator::Unavailable)
            .is_ok());
    }

    #[test]
    fn a_device_bound_pin_needs_only_length() {
        assert!(check(PinPolicy::DEVICE_BOUND, "839201").is_ok());
        assert!(matches!(
            check(PinPolicy::DEVICE_BOUND, "1"),
            Err(StoreError::WeakPin {
                reason: "too short",
                ..
            })
        ));
    }

    #[test]
    fn a_passphrase_must_be_long_and_hard_to_guess() {
        assert!(check(PinPolicy::PASSPHRASE, "kettle-window-sparrow").is_ok());
        assert!(check(PinPolicy::PASSPHRASE, "1234").is_err());
        // Long enough, but a repeated common word.
        assert!(matches!(
            check(PinPolicy::PASSPHRASE, "passwordpassword"),
            Err(StoreError::WeakPin { min_length: 8, .. })
        ));
        assert!(check(PinPolicy::PASSPHRASE, "12345678").is_err());
    }

    #[test]
    fn hosts_cannot_go_below_the_floor() {
        let lax = PinPolicy {
            min_length: 1,
            min_strength: 0,
        };
        assert_eq!(lax.at_least_floor(false), PinPolicy::PASSPHRASE);
        assert_eq!(lax.at_least_floor(true), PinPolicy::DEVICE_BOUND);
        let strict = PinPolicy {
            min_length: 12,
            min_strength: 4,
        };
        assert_eq!(strict.at_least_floor(true), strict);
    }

    #[test]
    fn very_long_passphrases_are_scored_quickly_and_accepted() {
        let long = "river stone lantern ".repeat(500);
        assert!(check(PinPolicy::PASSPHRASE, &long).is_ok());
    }
}
