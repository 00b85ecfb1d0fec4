//! The `jsonwebtoken` crate, configured as its documentation tells users to:
//! `Validation::new(alg)`, `set_audience` when an audience is given, `set_issuer`.

use super::{AudienceMode, Capabilities, Failure, Identity, Request, Target, Verdict};
use crate::model::{Alg, Reason};
use crate::token::jwt_alg;
use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{DecodingKey, Validation};
use std::collections::HashMap;
use std::sync::RwLock;

/// The pinned version (Cargo.toml `=11.1.0`); a test holds it to Cargo.lock.
pub const VERSION: &str = "11.1.0";

pub struct RustJsonwebtoken {
    identity: Identity,
    require_aud: bool,
    /// Decoding keys by kid and algorithm, parsed once.
    keys: RwLock<HashMap<(String, Alg), DecodingKey>>,
}

impl RustJsonwebtoken {
    pub fn new(require_aud: bool) -> RustJsonwebtoken {
        let name = if require_aud { "rust-jsonwebtoken+require-aud" } else { "rust-jsonwebtoken" };
        let options = if require_aud { serde_json::json!({"require_aud": true}) } else { serde_json::json!({}) };
        RustJsonwebtoken {
            identity: Identity {
                name: name.into(),
                library: "jsonwebtoken".into(),
                version: VERSION.into(),
                language: "rust".into(),
                transport: "in-process".into(),
                options,
                capabilities: Capabilities { algorithms: Alg::ALL.to_vec(), audience: AudienceMode::AnyOf, no_audience: true, fixed_audience: None },
            },
            require_aud,
            keys: RwLock::new(HashMap::new()),
        }
    }

    fn decoding_key(&self, request: &Request<'_>) -> Result<DecodingKey, Failure> {
        let id = (request.key.kid.clone(), request.alg);
        if let Some(k) = self.keys.read().ok().and_then(|m| m.get(&id).cloned()) {
            return Ok(k);
        }
        let key = request.key;
        let bad = |e: jsonwebtoken::errors::Error| Failure::Error(format!("cannot load the {} key: {e}", request.alg));
        let pem = || key.pem.as_deref().unwrap_or_default().as_bytes();
        let k = match request.alg {
            Alg::HS256 => DecodingKey::from_secret(key.secret.as_deref().unwrap_or_default()),
            Alg::RS256 | Alg::PS256 => DecodingKey::from_rsa_pem(pem()).map_err(bad)?,
            Alg::ES256 => DecodingKey::from_ec_pem(pem()).map_err(bad)?,
            Alg::EdDSA => DecodingKey::from_ed_pem(pem()).map_err(bad)?,
        };
        if let Ok(mut m) = self.keys.write() {
            m.insert(id, k.clone());
        }
        Ok(k)
    }
}

impl Target for RustJsonwebtoken {
    fn identity(&self) -> &Identity {
        &self.identity
    }

    fn parallel(&self) -> bool {
        true
    }

    fn verify(&self, request: &Request<'_>) -> Result<Verdict, Failure> {
        let key = self.decoding_key(request)?;
        let mut validation = Validation::new(jwt_alg(request.alg));
        if let Some(audience) = request.audience {
            validation.set_audience(audience);
        }
        if let Some(issuer) = request.issuer {
            validation.set_issuer(&[issuer]);
        }
        if self.require_aud {
            validation.required_spec_claims.insert("aud".into());
        }
        Ok(match jsonwebtoken::decode::<serde_json::Value>(request.token, &key, &validation) {
            Ok(_) => Verdict::accepted(),
            Err(e) => Verdict::rejected(reason(e.kind()), e.to_string()),
        })
    }
}

fn reason(kind: &ErrorKind) -> Reason {
    match kind {
        ErrorKind::InvalidAudience => Reason::Audience,
        ErrorKind::MissingRequiredClaim(c) if c == "aud" => Reason::MissingAud,
        ErrorKind::InvalidSignature | ErrorKind::InvalidAlgorithm => Reason::Signature,
        ErrorKind::ExpiredSignature => Reason::Expired,
        ErrorKind::ImmatureSignature => Reason::NotYetValid,
        ErrorKind::InvalidIssuer => Reason::Issuer,
        ErrorKind::InvalidToken | ErrorKind::InvalidClaimFormat(_) | ErrorKind::Json(_) | ErrorKind::Base64(_) | ErrorKind::Utf8(_) => {
            Reason::Malformed
        }
        ErrorKind::MissingAlgorithm | ErrorKind::InvalidKeyFormat | ErrorKind::InvalidRsaKey(_) | ErrorKind::InvalidEcdsaKey
        | ErrorKind::InvalidEddsaKey => Reason::Config,
        _ => Reason::Other,
    }
}
