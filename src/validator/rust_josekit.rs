//! The `josekit` crate: `jwt::decode_with_verifier`, then `JwtPayloadValidator` with
//! `set_audience` (one audience) and `set_issuer`, as its documentation shows.

use super::{Failure, Identity, Library, Request, Verdict, in_process_identity};
use crate::model::{Alg, AudienceMode, Reason};
use josekit::JoseError;
use josekit::jwk::Jwk;
use josekit::jws::{ES256, EdDSA, HS256, JwsVerifier, PS256, RS256};
use josekit::jwt::{self, JwtPayloadValidator};
use std::time::{Duration, UNIX_EPOCH};

pub const VERSION: &str = "0.10.3";

pub struct RustJosekit {
    identity: Identity,
}

impl RustJosekit {
    pub fn new() -> RustJosekit {
        RustJosekit { identity: in_process_identity("rust-josekit", "josekit", VERSION, Alg::ALL, AudienceMode::Single) }
    }
}

impl Default for RustJosekit {
    fn default() -> Self {
        Self::new()
    }
}

fn verifier(r: &Request<'_>) -> Result<Box<dyn JwsVerifier>, JoseError> {
    let pem = r.key.pem.as_deref().unwrap_or_default().as_bytes();
    Ok(match r.alg {
        Alg::HS256 => Box::new(HS256.verifier_from_bytes(r.key.secret.as_deref().unwrap_or_default())?),
        Alg::RS256 => Box::new(RS256.verifier_from_pem(pem)?),
        // josekit reads a PS256 PEM only as an RSA-PSS key; the JWK carries a plain RSA key.
        Alg::PS256 => Box::new(PS256.verifier_from_jwk(&Jwk::from_bytes(r.key.jwk.to_string())?)?),
        Alg::ES256 => Box::new(ES256.verifier_from_pem(pem)?),
        Alg::EdDSA => Box::new(EdDSA.verifier_from_pem(pem)?),
    })
}

impl Library for RustJosekit {
    fn identity(&self) -> &Identity {
        &self.identity
    }

    fn parallel(&self) -> bool {
        true
    }

    fn verify(&self, r: &Request<'_>) -> Result<Verdict, Failure> {
        let verifier = verifier(r).map_err(|e| Failure::CannotStart(format!("cannot load the {} key: {e}", r.alg)))?;
        let payload = match jwt::decode_with_verifier(r.token, verifier.as_ref()) {
            Ok((payload, _header)) => payload,
            Err(e) => return Ok(Verdict::rejected(reason(&e), e.to_string())),
        };
        let mut validator = JwtPayloadValidator::new();
        validator.set_base_time(UNIX_EPOCH + Duration::from_secs(r.now));
        if let Some(issuer) = r.issuer {
            validator.set_issuer(issuer);
        }
        if let Some(audience) = r.audience.and_then(|a| a.first()) {
            validator.set_audience(audience.as_str());
        }
        Ok(match validator.validate(&payload) {
            Ok(()) => Verdict::accepted(),
            Err(e) => Verdict::rejected(reason(&e), e.to_string()),
        })
    }
}

fn reason(e: &JoseError) -> Reason {
    let text = e.to_string();
    match e {
        JoseError::InvalidSignature(_) => Reason::Signature,
        JoseError::InvalidJwtFormat(_) | JoseError::InvalidJson(_) | JoseError::InvalidJwsFormat(_) => Reason::Malformed,
        JoseError::InvalidClaim(_) if text.contains("aud") => Reason::Audience,
        JoseError::InvalidClaim(_) if text.contains("iss") => Reason::Issuer,
        JoseError::InvalidClaim(_) if text.contains("expired") || text.contains("exp") => Reason::Expired,
        JoseError::InvalidClaim(_) if text.contains("nbf") => Reason::NotYetValid,
        _ => Reason::Other,
    }
}
