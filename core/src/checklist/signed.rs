//! Signed checklist definitions (docs/formats/signed-checklist.md): a publisher (an NGO, a
//! national referral body) signs one version of a definition with an Ed25519 key; a deployment
//! lists the publishers it trusts and may require signatures. The signature covers a short
//! statement binding the definition's content hash, id and version to the publisher's name and
//! key, so it can travel without the definition: a report package carries it beside the
//! checklist's hash, and the receiver checks it again.
//!
//! # Example
//!
//! ```rust
//! use indicia_core::checklist::{
//!     builtin, sign, Checklist, ChecklistTrust, Provenance, PublisherKey, TrustedPublisher,
//! };
//! use indicia_core::ErrorKind;
//!
//! let key = PublisherKey::generate()?;
//! let definition = builtin::source("ilo-forced-labour-11").ok_or("built in")?;
//! let signed = sign(definition, "Example referral body", &key, 1_764_590_000)?;
//!
//! // A deployment that trusts this publisher and requires signatures loads it...
//! let trust = ChecklistTrust {
//!     require_signatures: true,
//!     publishers: vec![TrustedPublisher {
//!         name: "Example referral body".into(),
//!         public_key: key.public_key(),
//!     }],
//! };
//! let checklist = Checklist::load(&signed, &trust)?;
//! assert_eq!(checklist.provenance(), Provenance::TrustedPublisher);
//! assert_eq!(checklist.publisher().map(|p| p.name.as_str()), Some("Example referral body"));
//!
//! // ...refuses a definition nobody signed (a built-in one is part of the installed code)...
//! let mut doc: serde_json::Value = serde_json::from_str(definition)?;
//! doc["version"] = "1.0-local".into();
//! let unsigned = Checklist::load(&doc.to_string(), &trust).unwrap_err();
//! assert_eq!(unsigned.kind(), ErrorKind::UntrustedChecklist);
//! assert_eq!(Checklist::load(definition, &trust)?.provenance(), Provenance::BuiltIn);
//!
//! // ...and a signed one altered after signing.
//! let altered = signed.replace("\"0.1.0\"", "\"0.1.1\"");
//! assert_eq!(Checklist::load(&altered, &trust).unwrap_err().kind(), ErrorKind::BadSignature);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;

use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use super::load::{content_hash, parse_bounded, MAX_DOCUMENT_BYTES};
use super::load_error::{echo, LoadError, LoadErrorKind, LoadErrors};
use super::model::{Checklist, Provenance};
use crate::hex;

/// The `format` of a signed definition's envelope.
pub const SIGNED_FORMAT: &str = "indicia-signed-checklist/1";
/// What the publisher signs: this context, then the statement's canonical JSON.
pub const SIGNATURE_CONTEXT: &[u8] = b"indicia-signed-checklist/1 statement\0";
/// Largest envelope accepted, in bytes: a definition's own limit plus room for the envelope.
pub const MAX_SIGNED_BYTES: usize = MAX_DOCUMENT_BYTES + 64 * 1024;
/// Longest publisher name, in characters.
pub const MAX_PUBLISHER_NAME_CHARS: usize = 200;
/// Most publishers a trust list holds.
pub const MAX_TRUSTED_PUBLISHERS: usize = 64;
/// Largest trust list accepted as JSON, in bytes.
pub const MAX_TRUST_BYTES: usize = 64 * 1024;
/// Latest `signed_at`, Unix seconds (9999-12-31T23:59:59Z, as package manifests).
pub const MAX_SIGNED_AT: i64 = 253_402_300_799;
/// The line of a publisher key file that holds the secret key: this, then 64 hex digits.
pub const KEY_FILE_PREFIX: &str = "INDICIA-PUBLISHER-KEY-1-";

/// Who signed a checklist version, with the signature: as an envelope names it and as a report
/// package carries it beside the checklist's content hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct ChecklistPublisher {
    /// The publisher's name as it signed (1–200 characters, no control characters).
    pub name: String,
    /// Its Ed25519 public key, 64 lower-case hex digits.
    pub public_key: String,
    /// When it signed, Unix seconds (the publisher's clock).
    pub signed_at: i64,
    /// Ed25519 signature over the statement, 128 lower-case hex digits.
    pub signature: String,
}

impl ChecklistPublisher {
    /// The key id receivers and deployments show: the first 16 bytes of SHA-256 of the public
    /// key, 32 hex digits (as device and unit keys).
    pub fn key_id(&self) -> String {
        key_id_of(&self.public_key)
    }

    /// Checks the form of every field, then the signature over the statement for checklist
    /// `id`, `version` and content `hash`. Errors: `Invalid` (a malformed field, at its path
    /// below `base`), `BadSignature`.
    pub fn verify(&self, id: &str, version: &str, hash: &str) -> Result<(), ChecklistError> {
        self.verify_at(id, version, hash, "$")
    }

    fn verify_at(
        &self,
        id: &str,
        version: &str,
        hash: &str,
        base: &str,
    ) -> Result<(), ChecklistError> {
        let mut errors = Vec::new();
        let mut fail = |path: &str, what: &'static str| {
            errors.push(LoadError {
                path: format!("{base}{path}"),
                kind: LoadErrorKind::Envelope(what),
            });
        };
        if let Err(what) = check_name(&self.name) {
            fail(".publisher.name", what);
        }
        let key = verifying_key(&self.public_key);
        if key.is_none() {
            fail(
                ".publisher.public_key",
                "expected an Ed25519 public key, 64 lower-case hex digits",
            );
        }
        if !(0..=MAX_SIGNED_AT).contains(&self.signed_at) {
            fail(
                ".signed_at",
                "expected Unix seconds from 1970 to 9999-12-31T23:59:59Z",
            );
        }
        let signature =
            hex::decode::<64>(&self.signature).filter(|_| hex::is_hex(&self.signature, 128));
        if signature.is_none() {
            fail(
                ".signature",
                "expected an Ed25519 signature, 128 lower-case hex digits",
            );
        }
        let (Some(key), Some(signature)) = (key, signature) else {
            return Err(LoadErrors(errors).into());
        };
        if !errors.is_empty() {
            return Err(LoadErrors(errors).into());
        }
        let message = statement(
            id,
            version,
            hash,
            &self.name,
            &self.public_key,
            self.signed_at,
        )?;
        key.verify_strict(&message, &Signature::from_bytes(&signature))
            .map_err(|_| ChecklistError::BadSignature)
    }
}

/// A publisher a deployment trusts: its name and Ed25519 public key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct TrustedPublisher {
    /// The name it signs under (compared exactly).
    pub name: String,
    /// Its Ed25519 public key, 64 lower-case hex digits.
    pub public_key: String,
}

/// A deployment's checklist trust: the publishers it trusts and whether every definition must
/// be signed by one of them (built-in checklists are always accepted: they are part of the
/// installed code). The default trusts nobody and requires nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct ChecklistTrust {
    /// Refuse a definition that is not built in and not signed by a listed publisher.
    #[serde(default)]
    pub require_signatures: bool,
    /// The trusted publishers (at most 64, keys distinct).
    #[serde(default)]
    pub publishers: Vec<TrustedPublisher>,
}

impl ChecklistTrust {
    /// Reads a trust list from its JSON form (`{"require_signatures": true, "publishers":
    /// [{"name": …, "public_key": …}]}`), checked as [`ChecklistTrust::check`] does.
    pub fn from_json(json: &str) -> Result<ChecklistTrust, ChecklistError> {
        let value = parse_bounded(crate::without_bom(json), MAX_TRUST_BYTES)
            .map_err(|_| ChecklistError::Trust("not JSON, or larger than 64 KiB"))?;
        let objects = value.is_object()
            && value
                .get("publishers")
                .and_then(Value::as_array)
                .is_none_or(|list| list.iter().all(Value::is_object));
        if !objects {
            return Err(ChecklistError::Trust(
                "expected {\"require_signatures\": bool, \"publishers\": [{\"name\", \"public_key\"}]}",
            ));
        }
        let trust: ChecklistTrust = serde_json::from_value(value).map_err(|_| {
            ChecklistError::Trust(
                "unknown or mistyped fields (require_signatures, publishers: name, public_key)",
            )
        })?;
        trust.check()?;
        Ok(trust)
    }

    /// Checks the list: at most 64 publishers, each name 1–200 characters without control
    /// characters, each key a valid Ed25519 public key listed once.
    pub fn check(&self) -> Result<(), ChecklistError> {
        if self.publishers.len() > MAX_TRUSTED_PUBLISHERS {
            return Err(ChecklistError::Trust("more than 64 publishers"));
        }
        for (i, p) in self.publishers.iter().enumerate() {
            check_name(&p.name).map_err(ChecklistError::Trust)?;
            if verifying_key(&p.public_key).is_none() {
                return Err(ChecklistError::Trust(
                    "a publisher key is not an Ed25519 public key in 64 lower-case hex digits",
                ));
            }
            if self.publishers[..i]
                .iter()
                .any(|q| q.public_key == p.public_key)
            {
                return Err(ChecklistError::Trust("a publisher key is listed twice"));
            }
        }
        Ok(())
    }

    /// What this deployment makes of a definition with this signer (none: unsigned), built in
    /// or not; `Untrusted` when it refuses it.
    pub fn judge(
        &self,
        publisher: Option<&ChecklistPublisher>,
        built_in: bool,
    ) -> Result<Provenance, Untrusted> {
        let Some(p) = publisher else {
            return match (built_in, self.require_signatures) {
                (true, _) => Ok(Provenance::BuiltIn),
                (false, true) => Err(Untrusted::Unsigned),
                (false, false) => Ok(Provenance::Unsigned),
            };
        };
        match self
            .publishers
            .iter()
            .find(|t| t.public_key == p.public_key)
        {
            Some(t) if t.name == p.name => Ok(Provenance::TrustedPublisher),
            // A trusted key signing under another name is never taken at its word.
            Some(t) => Err(Untrusted::OtherName {
                name: echo(&p.name),
                trusted: echo(&t.name),
            }),
            None if self.require_signatures => Err(Untrusted::UnknownPublisher {
                name: echo(&p.name),
                key_id: p.key_id(),
            }),
            None => Ok(Provenance::UntrustedPublisher),
        }
    }
}

/// Why a deployment refuses a definition whose signature (if any) is sound.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Untrusted {
    /// Not signed, not built in, and signatures are required.
    #[error("the checklist is not signed, and this deployment requires checklists signed by a publisher it trusts")]
    Unsigned,
    /// Signed by a key the deployment does not list, and signatures are required.
    #[error("the checklist is signed by \"{name}\" (key id {key_id}), a publisher this deployment does not trust")]
    UnknownPublisher {
        /// The name it was signed under (shortened).
        name: String,
        /// The signing key's id.
        key_id: String,
    },
    /// Signed with a trusted key under another name than the one the deployment lists.
    #[error("the checklist is signed as \"{name}\" with the key this deployment trusts for \"{trusted}\"")]
    OtherName {
        /// The name it was signed under (shortened).
        name: String,
        /// The name the deployment trusts that key for (shortened).
        trusted: String,
    },
}

/// Why a definition could not be loaded under a trust list, signed or made.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ChecklistError {
    /// The definition, or its envelope, is malformed (every mistake with its JSON path).
    #[error(transparent)]
    Invalid(#[from] LoadErrors),
    /// The signature does not verify with the key the envelope names.
    #[error("the checklist's signature does not verify with the publisher key it names: the definition was altered after signing, or another key signed it")]
    BadSignature,
    /// The deployment does not accept it (unsigned, or by a publisher it does not trust).
    #[error(transparent)]
    Untrusted(#[from] Untrusted),
    /// A trust list is malformed.
    #[error("checklist trust list: {0}")]
    Trust(&'static str),
    /// A publisher key file is malformed.
    #[error("publisher key: {0}")]
    Key(&'static str),
    /// The random generator failed (making a key).
    #[error("the random generator failed")]
    Random,
}

impl ChecklistError {
    /// The host-visible classification.
    pub fn kind(&self) -> crate::ErrorKind {
        use crate::ErrorKind;
        match self {
            ChecklistError::Invalid(e) => e.kind(),
            ChecklistError::BadSignature => ErrorKind::BadSignature,
            ChecklistError::Untrusted(_) => ErrorKind::UntrustedChecklist,
            ChecklistError::Trust(_) | ChecklistError::Key(_) => ErrorKind::InvalidArgument,
            ChecklistError::Random => ErrorKind::StoreFailure,
        }
    }
}

/// A publisher's signing key. Its secret leaves the core only as the key file's text.
pub struct PublisherKey(SigningKey);

impl fmt::Debug for PublisherKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PublisherKey")
            .field("key_id", &key_id_of(&self.public_key()))
            .finish_non_exhaustive()
    }
}

impl PublisherKey {
    /// A new random key (OS CSPRNG).
    pub fn generate() -> Result<PublisherKey, ChecklistError> {
        let mut secret = Zeroizing::new([0u8; 32]);
        getrandom::getrandom(secret.as_mut()).map_err(|_| ChecklistError::Random)?;
        Ok(PublisherKey(SigningKey::from_bytes(&secret)))
    }

    /// The key from its 32 secret bytes.
    pub fn from_secret(secret: &[u8; 32]) -> PublisherKey {
        PublisherKey(SigningKey::from_bytes(secret))
    }

    /// Reads a key file: `#` comment lines and blank lines, and one line
    /// `INDICIA-PUBLISHER-KEY-1-` followed by the secret key's 64 hex digits.
    pub fn from_key_file(text: &str) -> Result<PublisherKey, ChecklistError> {
        let mut keys = crate::without_bom(text)
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'));
        let line = keys.next().ok_or(ChecklistError::Key("no key line"))?;
        if keys.next().is_some() {
            return Err(ChecklistError::Key("more than one key line"));
        }
        let digits = line
            .strip_prefix(KEY_FILE_PREFIX)
            .filter(|d| hex::is_hex(d, 64))
            .ok_or(ChecklistError::Key(
                "expected INDICIA-PUBLISHER-KEY-1- and 64 lower-case hex digits",
            ))?;
        let secret = Zeroizing::new(hex::decode::<32>(digits).ok_or(ChecklistError::Key(
            "expected INDICIA-PUBLISHER-KEY-1- and 64 lower-case hex digits",
        ))?);
        Ok(PublisherKey::from_secret(&secret))
    }

    /// The key file's text, with `created` (a time, as the caller writes it) and the public key
    /// in comments.
    pub fn to_key_file(&self, created: &str) -> SecretString {
        let secret = Zeroizing::new(hex::encode(self.0.as_bytes()));
        SecretString::from(format!(
            "# indicia checklist publisher key (keep it secret)\n# created: {created}\n\
             # public key: {}\n{KEY_FILE_PREFIX}{}\n",
            self.public_key(),
            secret.as_str()
        ))
    }

    /// The public key, 64 hex digits (what deployments list).
    pub fn public_key(&self) -> String {
        hex::encode(self.0.verifying_key().as_bytes())
    }

    /// The public key's id (32 hex digits).
    pub fn key_id(&self) -> String {
        key_id_of(&self.public_key())
    }
}

/// Signs the definition `definition_json` (which must load: nothing invalid is signed) as
/// `publisher`, at `signed_at` (Unix seconds), and returns the envelope as JSON text.
pub fn sign(
    definition_json: &str,
    publisher: &str,
    key: &PublisherKey,
    signed_at: i64,
) -> Result<String, ChecklistError> {
    let value = parse_bounded(crate::without_bom(definition_json), MAX_DOCUMENT_BYTES)
        .map_err(|e| LoadErrors(vec![e]))?;
    let checklist = Checklist::from_value(value.clone())?;
    let reference = checklist.reference();
    let mut signer = ChecklistPublisher {
        name: publisher.to_owned(),
        public_key: key.public_key(),
        signed_at,
        signature: String::new(),
    };
    let message = statement(
        &reference.id,
        &reference.version,
        &reference.hash,
        &signer.name,
        &signer.public_key,
        signed_at,
    )?;
    signer.signature = hex::encode(&key.0.sign(&message).to_bytes());
    // The same checks a reader makes: a name or time it would refuse is refused here.
    signer.verify(&reference.id, &reference.version, &reference.hash)?;
    let envelope = json!({
        "format": SIGNED_FORMAT,
        "publisher": {"name": signer.name, "public_key": signer.public_key},
        "signed_at": signer.signed_at,
        "signature": signer.signature,
        "definition": value,
    });
    serde_json::to_string_pretty(&envelope)
        .map(|text| text + "\n")
        .map_err(|_| ChecklistError::Key("the envelope cannot be written"))
}

impl Checklist {
    /// Loads a definition, plain or signed (`indicia-signed-checklist/1`), as a deployment
    /// with trust list `trust` does. In order: the size bound, JSON syntax, the envelope's
    /// fields, the signature (over the definition's content hash, id and version), the trust
    /// decision, and only then the definition's own validation. A plain definition that is
    /// built in is always accepted.
    ///
    /// Errors: `Invalid` (`InvalidChecklist`: malformed, with paths; a signed definition's are
    /// under `$.definition`), `BadSignature`, `Untrusted` (`UntrustedChecklist`).
    pub fn load(json: &str, trust: &ChecklistTrust) -> Result<Checklist, ChecklistError> {
        let json = crate::without_bom(json);
        let value = parse_bounded(json, MAX_SIGNED_BYTES).map_err(|e| LoadErrors(vec![e]))?;
        if value.get("format").and_then(Value::as_str) == Some(SIGNED_FORMAT) {
            return open_envelope(value, trust);
        }
        if json.len() > MAX_DOCUMENT_BYTES {
            return Err(LoadErrors(vec![LoadError {
                path: "$".into(),
                kind: LoadErrorKind::TooLarge {
                    max: MAX_DOCUMENT_BYTES,
                    found: json.len(),
                },
            }])
            .into());
        }
        // Refused before validation: an unsigned definition a deployment will not run is not
        // worth checking (unless it is a built-in one, which is).
        let plain_format = matches!(
            value.get("format").and_then(Value::as_str),
            Some(super::load::FORMAT | super::load::FORMAT_V1)
        );
        // Another format (a later envelope, say) is named as such by the loader below.
        if trust.require_signatures && plain_format && !claims_builtin(&value) {
            return Err(Untrusted::Unsigned.into());
        }
        let mut checklist = Checklist::from_value(value)?;
        checklist.provenance = trust.judge(None, checklist.provenance == Provenance::BuiltIn)?;
        Ok(checklist)
    }
}

/// A definition loaded under a trust list, described in one language, with the plain
/// definition's JSON text: what a host whose checklist engine reads plain definitions only (the
/// web page's checklist module, which carries no signature code) runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "tsify", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct LoadedChecklist {
    /// The checklist described (with its provenance and publisher).
    pub info: super::ChecklistInfo,
    /// The plain definition (for a signed one, its `definition`), as JSON text with the same
    /// content hash.
    pub definition: String,
}

impl Checklist {
    /// [`Checklist::load`], described in `language`, with the plain definition's JSON text.
    pub fn load_described(
        json: &str,
        trust: &ChecklistTrust,
        language: &str,
    ) -> Result<LoadedChecklist, ChecklistError> {
        let checklist = Checklist::load(json, trust)?;
        let json = crate::without_bom(json);
        let definition = if checklist.publisher().is_some() {
            // Verified above: the text parses and holds the definition.
            serde_json::from_str::<Value>(json)
                .ok()
                .and_then(|mut v| v.get_mut("definition").map(Value::take))
                .map(|d| d.to_string())
                .ok_or(ChecklistError::BadSignature)?
        } else {
            json.to_owned()
        };
        Ok(LoadedChecklist {
            info: checklist.info(language),
            definition,
        })
    }
}

/// Whether a parsed plain document's id and content hash are a built-in checklist's.
fn claims_builtin(value: &Value) -> bool {
    let (Some(id), Some(version)) = (
        value.get("id").and_then(Value::as_str),
        value.get("version").and_then(Value::as_str),
    ) else {
        return false;
    };
    content_hash(value).is_ok_and(|hash| {
        super::builtin::is_builtin(&super::ChecklistRef {
            id: id.to_owned(),
            version: version.to_owned(),
            hash,
            publisher: None,
        })
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEnvelope {
    #[allow(dead_code)] // matched before
    format: String,
    publisher: RawSigner,
    signed_at: i64,
    signature: String,
    definition: Value,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSigner {
    name: String,
    public_key: String,
}

fn open_envelope(value: Value, trust: &ChecklistTrust) -> Result<Checklist, ChecklistError> {
    let shape_error = |path: &str, message: String| -> ChecklistError {
        LoadErrors(vec![LoadError {
            path: path.to_owned(),
            kind: LoadErrorKind::Json(message),
        }])
        .into()
    };
    // serde's derived structs also take an array of field values: objects are required.
    if !value.get("publisher").is_some_and(Value::is_object) {
        return Err(shape_error(
            "$.publisher",
            "expected an object with name and public_key".into(),
        ));
    }
    if !value.get("definition").is_some_and(Value::is_object) {
        return Err(shape_error(
            "$.definition",
            "expected the checklist definition, an object".into(),
        ));
    }
    let raw: RawEnvelope =
        serde_json::from_value(value).map_err(|e| shape_error("$", e.to_string()))?;
    let publisher = ChecklistPublisher {
        name: raw.publisher.name,
        public_key: raw.publisher.public_key,
        signed_at: raw.signed_at,
        signature: raw.signature,
    };
    let definition = raw.definition;
    let (Some(id), Some(version)) = (
        definition.get("id").and_then(Value::as_str),
        definition.get("version").and_then(Value::as_str),
    ) else {
        // What the statement names is missing: the definition's own error says where.
        return Err(match Checklist::from_value(definition) {
            Err(errors) => under_definition(errors).into(),
            Ok(_) => shape_error("$.definition", "expected id and version".into()),
        });
    };
    let hash = content_hash(&definition).map_err(|e| shape_error("$.definition", e))?;
    publisher.verify_at(id, version, &hash, "$")?;
    let provenance = trust.judge(Some(&publisher), false)?;
    let mut checklist = Checklist::from_value(definition).map_err(under_definition)?;
    checklist.publisher_key_id = Some(publisher.key_id());
    checklist.reference.publisher = Some(publisher);
    checklist.provenance = provenance;
    Ok(checklist)
}

/// The definition's errors with their paths below `$.definition`.
fn under_definition(errors: LoadErrors) -> LoadErrors {
    LoadErrors(
        errors
            .0
            .into_iter()
            .map(|e| LoadError {
                path: format!(
                    "$.definition{}",
                    e.path.strip_prefix('$').unwrap_or(&e.path)
                ),
                kind: e.kind,
            })
            .collect(),
    )
}

/// The signed message: the context, then the RFC 8785 JSON of
/// `{format, hash, id, publisher: {name, public_key}, signed_at, version}`.
fn statement(
    id: &str,
    version: &str,
    hash: &str,
    name: &str,
    public_key: &str,
    signed_at: i64,
) -> Result<Vec<u8>, ChecklistError> {
    let body = json!({
        "format": SIGNED_FORMAT,
        "hash": hash,
        "id": id,
        "publisher": {"name": name, "public_key": public_key},
        "signed_at": signed_at,
        "version": version,
    });
    let canonical = serde_jcs::to_vec(&body).map_err(|_| ChecklistError::BadSignature)?;
    Ok([SIGNATURE_CONTEXT, canonical.as_slice()].concat())
}

fn check_name(name: &str) -> Result<(), &'static str> {
    let chars = name.chars().count();
    if name.trim().is_empty() || chars > MAX_PUBLISHER_NAME_CHARS {
        return Err("a publisher name must have 1 to 200 characters");
    }
    if name.chars().any(char::is_control) {
        return Err("a publisher name must not hold control characters");
    }
    Ok(())
}

fn verifying_key(public_key: &str) -> Option<VerifyingKey> {
    if !hex::is_hex(public_key, 64) {
        return None;
    }
    let key = VerifyingKey::from_bytes(&hex::decode::<32>(public_key)?).ok()?;
    // A small-order key would verify signatures on any message (verify_strict refuses them
    // too; refusing the key here says why).
    (!key.is_weak()).then_some(key)
}

fn key_id_of(public_key: &str) -> String {
    hex::decode::<32>(public_key)
        .map(|k| hex::encode(&Sha256::digest(k)[..16]))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checklist::builtin;
    use crate::ErrorKind;

    const SIGNED_AT: i64 = 1_764_590_000;

    fn key(seed: u8) -> PublisherKey {
        PublisherKey::from_secret(&[seed; 32])
    }

    fn trusting(key: &PublisherKey, name: &str, require: bool) -> ChecklistTrust {
        ChecklistTrust {
            require_signatures: require,
            publishers: vec![TrustedPublisher {
                name: name.into(),
                public_key: key.public_key(),
            }],
        }
    }

    fn local_definition() -> String {
        let json = builtin::source("ilo-forced-labour-11").expect("built in");
        let mut doc: Value = serde_json::from_str(json).expect("JSON");
        doc["id"] = "local-forced-labour".into();
        doc.to_string()
    }

    fn kind(result: Result<Checklist, ChecklistError>) -> ErrorKind {
        result.expect_err("refused").kind()
    }

    #[test]
    fn a_signed_definition_loads_with_its_publisher_under_a_trust_list_that_names_it() {
        let k = key(1);
        let signed = sign(&local_definition(), "NGO A", &k, SIGNED_AT).expect("signs");
        let c = Checklist::load(&signed, &trusting(&k, "NGO A", true)).expect("loads");
        assert_eq!(c.provenance(), Provenance::TrustedPublisher);
        let p = c.publisher().expect("publisher");
        assert_eq!((p.name.as_str(), p.signed_at), ("NGO A", SIGNED_AT));
        assert_eq!(p.key_id(), k.key_id());
        // The signature travels without the definition: it verifies against the reference.
        let r = c.reference();
        p.verify(&r.id, &r.version, &r.hash).expect("verifies");
        assert_eq!(
            p.verify(&r.id, "2.0", &r.hash).unwrap_err(),
            ChecklistError::BadSignature
        );
        // The hash is the definition's own: the same as the unsigned document's.
        let plain = Checklist::from_json(&local_definition()).expect("loads");
        assert_eq!(plain.reference().hash, r.hash);
        assert_eq!(plain.provenance(), Provenance::Unsigned);
    }

    #[test]
    fn without_required_signatures_unsigned_and_unknown_publishers_load_marked_as_such() {
        let open = ChecklistTrust::default();
        let signed = sign(&local_definition(), "NGO A", &key(1), SIGNED_AT).expect("signs");
        assert_eq!(
            Checklist::load(&signed, &open).expect("loads").provenance(),
            Provenance::UntrustedPublisher
        );
        assert_eq!(
            Checklist::load(&local_definition(), &open)
                .expect("loads")
                .provenance(),
            Provenance::Unsigned
        );
    }

    #[test]
    fn a_deployment_requiring_signatures_refuses_unsigned_and_unknown_but_runs_built_ins() {
        let trust = trusting(&key(1), "NGO A", true);
        let unsigned = Checklist::load(&local_definition(), &trust);
        assert_eq!(
            unsigned.unwrap_err(),
            ChecklistError::Untrusted(Untrusted::Unsigned)
        );
        let other = sign(&local_definition(), "NGO B", &key(2), SIGNED_AT).expect("signs");
        assert_eq!(
            kind(Checklist::load(&other, &trust)),
            ErrorKind::UntrustedChecklist
        );
        let builtin = builtin::source("first-contact").expect("built in");
        assert_eq!(
            Checklist::load(builtin, &trust)
                .expect("loads")
                .provenance(),
            Provenance::BuiltIn
        );
    }

    #[test]
    fn a_trusted_key_under_another_name_is_refused_even_where_signatures_are_optional() {
        let k = key(1);
        let signed = sign(&local_definition(), "Ministry", &k, SIGNED_AT).expect("signs");
        let err = Checklist::load(&signed, &trusting(&k, "NGO A", false)).unwrap_err();
        assert!(
            matches!(err, ChecklistError::Untrusted(Untrusted::OtherName { .. })),
            "{err}"
        );
    }

    #[test]
    fn altering_the_definition_name_time_or_key_breaks_the_signature() {
        let k = key(1);
        let trust = trusting(&k, "NGO A", true);
        let signed: Value = serde_json::from_str(
            &sign(&local_definition(), "NGO A", &k, SIGNED_AT).expect("signs"),
        )
        .expect("JSON");
        let mut altered = signed.clone();
        altered["definition"]["outcomes"][0]["level"] = 3.into();
        assert_eq!(
            kind(Checklist::load(&altered.to_string(), &trust)),
            ErrorKind::BadSignature
        );
        let mut renamed = signed.clone();
        renamed["publisher"]["name"] = "NGO A ".into();
        assert_eq!(
            kind(Checklist::load(&renamed.to_string(), &trust)),
            ErrorKind::BadSignature
        );
        let mut later = signed.clone();
        later["signed_at"] = (SIGNED_AT + 1).into();
        assert_eq!(
            kind(Checklist::load(&later.to_string(), &trust)),
            ErrorKind::BadSignature
        );
        let mut rekeyed = signed;
        rekeyed["publisher"]["public_key"] = key(2).public_key().into();
        let trust_2 = trusting(&key(2), "NGO A", true);
        assert_eq!(
            kind(Checklist::load(&rekeyed.to_string(), &trust_2)),
            ErrorKind::BadSignature
        );
    }

    #[test]
    fn envelope_mistakes_are_invalid_checklists_with_their_paths() {
        let k = key(1);
        let signed: Value = serde_json::from_str(
            &sign(&local_definition(), "NGO A", &k, SIGNED_AT).expect("signs"),
        )
        .expect("JSON");
        let cases: [(&str, Value, &str); 5] = [
            (
                "publisher",
                json!({"name": "", "public_key": k.public_key()}),
                "$.publisher.name",
            ),
            (
                "publisher",
                json!({"name": "x", "public_key": "AB"}),
                "$.publisher.public_key",
            ),
            ("signature", json!("00"), "$.signature"),
            ("signed_at", json!(-1), "$.signed_at"),
            ("publisher", json!(["x", k.public_key()]), "$.publisher"),
        ];
        for (key, value, path) in cases {
            let mut doc = signed.clone();
            doc[key] = value;
            match Checklist::load(&doc.to_string(), &ChecklistTrust::default()) {
                Err(ChecklistError::Invalid(e)) => assert_eq!(e.0[0].path, path, "{e}"),
                other => panic!("{key}: {other:?}"),
            }
        }
        let mut extra = signed.clone();
        extra["comment"] = "x".into();
        assert_eq!(
            kind(Checklist::load(
                &extra.to_string(),
                &ChecklistTrust::default()
            )),
            ErrorKind::InvalidChecklist
        );
        let mut broken = signed;
        broken["definition"]["sections"] = json!([]);
        match Checklist::load(&broken.to_string(), &ChecklistTrust::default()) {
            // The signature is checked first (the definition changed), so break it unsigned.
            Err(ChecklistError::BadSignature) => {}
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn an_invalid_definition_is_not_signed_and_its_errors_keep_their_paths() {
        let mut doc: Value = serde_json::from_str(&local_definition()).expect("JSON");
        doc["id"] = "Bad Id".into();
        let err = sign(&doc.to_string(), "NGO A", &key(1), SIGNED_AT).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidChecklist);
        assert!(err.to_string().starts_with("$.id"), "{err}");
        assert_eq!(
            sign(&local_definition(), "", &key(1), SIGNED_AT)
                .unwrap_err()
                .kind(),
            ErrorKind::InvalidChecklist
        );
        assert_eq!(
            sign(&local_definition(), "NGO\nA", &key(1), SIGNED_AT)
                .unwrap_err()
                .kind(),
            ErrorKind::InvalidChecklist
        );
    }

    #[test]
    fn a_signed_definition_is_refused_where_a_plain_one_is_read() {
        let signed = sign(&local_definition(), "NGO A", &key(1), SIGNED_AT).expect("signs");
        let errors = Checklist::from_json(&signed).unwrap_err();
        assert_eq!(errors.0[0].kind, LoadErrorKind::SignedDefinition);
    }

    #[test]
    fn oversized_input_is_refused_before_it_is_parsed() {
        let huge = " ".repeat(MAX_SIGNED_BYTES + 1);
        match Checklist::load(&huge, &ChecklistTrust::default()) {
            Err(ChecklistError::Invalid(e)) => {
                assert!(matches!(e.0[0].kind, LoadErrorKind::TooLarge { .. }));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn key_files_round_trip_and_malformed_ones_are_refused() {
        let k = key(7);
        let text = k.to_key_file("2026-12-01T00:00:00Z");
        let back = PublisherKey::from_key_file(secrecy::ExposeSecret::expose_secret(&text))
            .expect("reads");
        assert_eq!(back.public_key(), k.public_key());
        for bad in [
            "",
            "# only a comment\n",
            "INDICIA-PUBLISHER-KEY-1-00\n",
            "AGE-SECRET-KEY-1XYZ\n",
        ] {
            assert_eq!(
                PublisherKey::from_key_file(bad).unwrap_err().kind(),
                ErrorKind::InvalidArgument,
                "{bad}"
            );
        }
        assert!(!format!("{k:?}").contains(&hex::encode(&[7; 32])));
    }

    #[test]
    fn trust_lists_are_checked() {
        let k = key(1).public_key();
        let ok = format!(
            r#"{{"require_signatures": true, "publishers": [{{"name": "NGO A", "public_key": "{k}"}}]}}"#
        );
        let trust = ChecklistTrust::from_json(&ok).expect("reads");
        assert!(trust.require_signatures);
        assert_eq!(
            ChecklistTrust::from_json("{}").expect("reads"),
            ChecklistTrust::default()
        );
        let twice = format!(
            r#"{{"publishers": [{{"name": "A", "public_key": "{k}"}}, {{"name": "B", "public_key": "{k}"}}]}}"#
        );
        for bad in [
            "[]".to_owned(),
            r#"{"require": true}"#.to_owned(),
            r#"{"publishers": [{"name": "A", "public_key": "00"}]}"#.to_owned(),
            twice,
        ] {
            assert_eq!(
                ChecklistTrust::from_json(&bad).unwrap_err().kind(),
                ErrorKind::InvalidArgument,
                "{bad}"
            );
        }
    }
}
