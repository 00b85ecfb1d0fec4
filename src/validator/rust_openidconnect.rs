//! The `openidconnect` crate: an OpenID Connect client verifying an ID token, as its
//! documentation shows: `IdTokenVerifier::new_public_client(client_id, issuer, jwks)`, then
//! `CoreIdToken::claims(&verifier, nonce_verifier)`. The expected audience is the client
//! id (one); other audiences in `aud` are untrusted unless a verifier function trusts them,
//! and none is set here, as in the crate's examples.

use super::{Failure, Identity, Library, Request, Verdict, in_process_identity};
use crate::model::{Alg, AudienceMode, Reason};
use chrono::{DateTime, Utc};
use openidconnect::core::{CoreIdToken, CoreJsonWebKey, CoreJwsSigningAlgorithm};
use openidconnect::{ClaimsVerificationError, ClientId, IdTokenVerifier, IssuerUrl, JsonWebKeySet, Nonce};
use std::str::FromStr;

pub const VERSION: &str = "4.1.0";

/// HS256 is left out: the crate takes the client secret as a `String`, and the test secret
/// is not UTF-8.
const ALGORITHMS: [Alg; 4] = [Alg::RS256, Alg::PS256, Alg::ES256, Alg::EdDSA];

pub struct RustOpenidconnect {
    identity: Identity,
}

impl RustOpenidconnect {
    pub fn new() -> RustOpenidconnect {
        let mut identity = in_process_identity("rust-openidconnect", "openidconnect", VERSION, &ALGORITHMS, AudienceMode::Single);
        // A client always has its client id: there is no verifier without an audience.
        identity.capabilities.no_audience = false;
        RustOpenidconnect { identity }
    }
}

impl Default for RustOpenidconnect {
    fn default() -> Self {
        Self::new()
    }
}

impl Library for RustOpenidconnect {
    fn identity(&self) -> &Identity {
        &self.identity
    }

    fn parallel(&self) -> bool {
        true
    }

    fn verify(&self, r: &Request<'_>) -> Result<Verdict, Failure> {
        // An issuer that is not a URL (a client assertion's client id) cannot be configured.
        let cannot = |what: &str, e: String| Failure::CannotStart(format!("cannot {what}: {e}"));
        let key: CoreJsonWebKey = serde_json::from_value(r.key.jwk.clone()).map_err(|e| cannot("read the test key as a JWK", e.to_string()))?;
        let client_id = r.audience.and_then(|a| a.first()).cloned().unwrap_or_default();
        let issuer = IssuerUrl::new(r.issuer.unwrap_or_default().to_string()).map_err(|e| cannot("use the issuer", e.to_string()))?;
        let now = DateTime::<Utc>::from_timestamp(r.now as i64, 0).unwrap_or_default();
        // The crate allows RS256 alone unless told the provider's algorithms (its discovery
        // document's id_token_signing_alg_values_supported): these are the test keys'.
        let algs = [
            CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256,
            CoreJwsSigningAlgorithm::RsaSsaPssSha256,
            CoreJwsSigningAlgorithm::EcdsaP256Sha256,
            CoreJwsSigningAlgorithm::EdDsa,
        ];
        let verifier = IdTokenVerifier::new_public_client(ClientId::new(client_id), issuer, JsonWebKeySet::new(vec![key]))
            .set_allowed_algs(algs)
            .set_time_fn(move || now);
        let token = match CoreIdToken::from_str(r.token) {
            Ok(t) => t,
            // The claims an ID token must have (iss, sub, aud, exp, iat) are read first: a
            // malformed or missing aud fails here.
            Err(e) => return Ok(Verdict::rejected(Reason::Malformed, e.to_string())),
        };
        // No authentication request precedes the cases: any nonce (or none) is accepted.
        let any_nonce = |_: Option<&Nonce>| Ok(());
        Ok(match token.claims(&verifier, any_nonce) {
            Ok(_) => Verdict::accepted(),
            Err(e) => Verdict::rejected(reason(&e), e.to_string()),
        })
    }
}

fn reason(e: &ClaimsVerificationError) -> Reason {
    match e {
        ClaimsVerificationError::InvalidAudience(_) => Reason::Audience,
        ClaimsVerificationError::InvalidIssuer(_) => Reason::Issuer,
        ClaimsVerificationError::Expired(_) => Reason::Expired,
        ClaimsVerificationError::SignatureVerification(_) => Reason::Signature,
        _ => Reason::Other,
    }
}
