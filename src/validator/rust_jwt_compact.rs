//! The `jwt-compact` crate. It has no audience or issuer check: its validator checks the
//! signature, and `Claims` checks expiration and maturity, which is all this target asks of
//! it. Its results show what a token carrying any `aud` meets there.

use super::{Failure, Identity, Library, Request, Verdict, in_process_identity};
use crate::model::{Alg, AudienceMode, Reason};
use chrono::{DateTime, TimeDelta, Utc};
use jwt_compact::alg::{Ed25519, Es256, Hs256, Hs256Key, Rsa, RsaPublicKey};
use jwt_compact::jwk::JsonWebKey;
use jwt_compact::prelude::*;
use jwt_compact::{Algorithm, ValidationError};

pub const VERSION: &str = "0.8.0";

pub struct RustJwtCompact {
    identity: Identity,
}

impl RustJwtCompact {
    pub fn new() -> RustJwtCompact {
        RustJwtCompact { identity: in_process_identity("rust-jwt-compact", "jwt-compact", VERSION, Alg::ALL, AudienceMode::AnyOf) }
    }
}

impl Default for RustJwtCompact {
    fn default() -> Self {
        Self::new()
    }
}

fn check<A: Algorithm>(alg: &A, key: &A::VerifyingKey, token: &UntrustedToken<'_>, now: u64) -> Result<(), ValidationError> {
    let claims = alg.validator::<serde_json::Value>(key).validate(token)?;
    let clock = || DateTime::<Utc>::from_timestamp(now as i64, 0).unwrap_or_default();
    let time = TimeOptions::new(TimeDelta::seconds(60), clock);
    claims.claims().validate_expiration(&time)?.validate_maturity(&time)?;
    Ok(())
}

impl Library for RustJwtCompact {
    fn identity(&self) -> &Identity {
        &self.identity
    }

    fn parallel(&self) -> bool {
        true
    }

    fn verify(&self, r: &Request<'_>) -> Result<Verdict, Failure> {
        let untrusted = match UntrustedToken::new(r.token) {
            Ok(t) => t,
            Err(e) => return Ok(Verdict::rejected(Reason::Malformed, e.to_string())),
        };
        let jwk: JsonWebKey<'_> = serde_json::from_value(r.key.jwk.clone()).map_err(|e| Failure::CannotStart(format!("cannot read the JWK: {e}")))?;
        let bad_key = |e: &dyn std::fmt::Display| Failure::CannotStart(format!("cannot load the {} key: {e}", r.alg));
        let result = match r.alg {
            Alg::HS256 => check(&Hs256, &Hs256Key::new(r.key.secret.as_deref().unwrap_or_default()), &untrusted, r.now),
            Alg::RS256 => check(&Rsa::rs256(), &RsaPublicKey::try_from(&jwk).map_err(|e| bad_key(&e))?, &untrusted, r.now),
            Alg::PS256 => check(&Rsa::ps256(), &RsaPublicKey::try_from(&jwk).map_err(|e| bad_key(&e))?, &untrusted, r.now),
            Alg::ES256 => check(&Es256, &<Es256 as Algorithm>::VerifyingKey::try_from(&jwk).map_err(|e| bad_key(&e))?, &untrusted, r.now),
            Alg::EdDSA => check(&Ed25519, &<Ed25519 as Algorithm>::VerifyingKey::try_from(&jwk).map_err(|e| bad_key(&e))?, &untrusted, r.now),
        };
        Ok(match result {
            Ok(()) => Verdict::accepted(),
            Err(e) => Verdict::rejected(reason(&e), e.to_string()),
        })
    }
}

fn reason(e: &ValidationError) -> Reason {
    match e {
        ValidationError::Expired => Reason::Expired,
        ValidationError::NotMature => Reason::NotYetValid,
        ValidationError::InvalidSignature | ValidationError::AlgorithmMismatch { .. } | ValidationError::InvalidSignatureLen { .. } => Reason::Signature,
        ValidationError::MalformedClaims(_) | ValidationError::MalformedSignature(_) => Reason::Malformed,
        _ => Reason::Other,
    }
}
