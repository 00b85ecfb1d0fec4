//! The `jwt-simple` crate: `verify_token` with `VerificationOptions`, whose
//! `allowed_audiences` and `allowed_issuers` its documentation tells users to set.

use super::{Failure, Identity, Library, Request, Verdict, in_process_identity};
use crate::model::{Alg, AudienceMode, Reason};
use jwt_simple::prelude::*;
use jwt_simple::JWTError;

pub const VERSION: &str = "0.15.0";

pub struct RustJwtSimple {
    identity: Identity,
}

impl RustJwtSimple {
    pub fn new() -> RustJwtSimple {
        RustJwtSimple { identity: in_process_identity("rust-jwt-simple", "jwt-simple", VERSION, Alg::ALL, AudienceMode::AnyOf) }
    }
}

impl Default for RustJwtSimple {
    fn default() -> Self {
        Self::new()
    }
}

impl Library for RustJwtSimple {
    fn identity(&self) -> &Identity {
        &self.identity
    }

    fn parallel(&self) -> bool {
        true
    }

    fn verify(&self, r: &Request<'_>) -> Result<Verdict, Failure> {
        let options = VerificationOptions {
            allowed_audiences: r.audience.map(|a| a.iter().cloned().collect()),
            allowed_issuers: r.issuer.map(|i| std::iter::once(i.to_string()).collect()),
            artificial_time: Some(UnixTimeStamp::from_secs(r.now)),
            ..VerificationOptions::default()
        };
        let pem = r.key.pem.as_deref().unwrap_or_default();
        let bad_key = |e: jwt_simple::Error| Failure::CannotStart(format!("cannot load the {} key: {e}", r.alg));
        let result = match r.alg {
            Alg::HS256 => HS256Key::from_bytes(r.key.secret.as_deref().unwrap_or_default()).verify_token::<NoCustomClaims>(r.token, Some(options)),
            Alg::RS256 => RS256PublicKey::from_pem(pem).map_err(bad_key)?.verify_token::<NoCustomClaims>(r.token, Some(options)),
            Alg::PS256 => PS256PublicKey::from_pem(pem).map_err(bad_key)?.verify_token::<NoCustomClaims>(r.token, Some(options)),
            Alg::ES256 => ES256PublicKey::from_pem(pem).map_err(bad_key)?.verify_token::<NoCustomClaims>(r.token, Some(options)),
            Alg::EdDSA => Ed25519PublicKey::from_pem(pem).map_err(bad_key)?.verify_token::<NoCustomClaims>(r.token, Some(options)),
        };
        Ok(match result {
            Ok(_) => Verdict::accepted(),
            Err(e) => Verdict::rejected(reason(&e), e.to_string()),
        })
    }
}

fn reason(e: &jwt_simple::Error) -> Reason {
    match e.downcast_ref::<JWTError>() {
        Some(JWTError::RequiredAudienceMismatch | JWTError::TooManyAudiences) => Reason::Audience,
        Some(JWTError::RequiredAudienceMissing) => Reason::MissingAud,
        Some(JWTError::TokenHasExpired) => Reason::Expired,
        Some(JWTError::TokenNotValidYet) => Reason::NotYetValid,
        Some(JWTError::RequiredIssuerMismatch | JWTError::RequiredIssuerMissing) => Reason::Issuer,
        Some(JWTError::InvalidSignature | JWTError::AlgorithmMismatch) => Reason::Signature,
        Some(_) => Reason::Other,
        // Claims that do not deserialize (a malformed aud) surface as JSON errors.
        None if e.downcast_ref::<serde_json::Error>().is_some() => Reason::Malformed,
        None => Reason::Other,
    }
}
