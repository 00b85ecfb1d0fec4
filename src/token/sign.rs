//! Assembles header and payload and signs them. The payload is signed exactly as given,
//! so raw text (duplicate keys, escapes) reaches the validator byte for byte.

use super::keys::Keys;
use crate::model::{Alg, KeyChoice};
use crate::suite::Payload;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Map, Value};

/// The run's clock: time claims are set relative to `now` (seconds since the epoch).
#[derive(Debug, Clone, Copy)]
pub struct Clock {
    pub now: u64,
}

impl Clock {
    pub fn system() -> Clock {
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
        Clock { now }
    }

    /// Values for `iat`, `nbf`, `exp`: issued a minute ago, valid for an hour.
    pub fn time_claim(&self, name: &str) -> Option<u64> {
        match name {
            "iat" | "nbf" => Some(self.now - 60),
            "exp" => Some(self.now + 3600),
            _ => None,
        }
    }
}

/// A signed test token.
#[derive(Debug, Clone)]
pub struct Token {
    pub compact: String,
    pub alg: Alg,
    pub header: Map<String, Value>,
}

#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    #[error("cannot sign with {alg}: {message}")]
    Sign { alg: Alg, message: String },
}

const TIME_CLAIMS: [&str; 3] = ["iat", "nbf", "exp"];

/// The payload text a case's payload becomes at this clock.
pub fn payload_text(payload: &Payload, clock: Clock) -> String {
    match payload {
        Payload::Claims { claims, remove } => {
            let mut claims = claims.clone();
            for name in TIME_CLAIMS {
                if !claims.contains_key(name) && !remove.iter().any(|r| r == name) {
                    claims.insert(name.into(), clock.time_claim(name).into());
                }
            }
            Value::Object(claims).to_string()
        }
        Payload::Raw(text) => TIME_CLAIMS.iter().fold(text.clone(), |t, name| {
            t.replace(&format!("${{{name}}}"), &clock.time_claim(name).unwrap_or(0).to_string())
        }),
    }
}

/// The header: `alg`, `typ: JWT` and the key's `kid`, then the case's fields over them;
/// a field set to `null` is left out.
pub fn header(alg: Alg, kid: &str, extra: &Map<String, Value>) -> Map<String, Value> {
    let mut h = Map::new();
    h.insert("alg".into(), alg.as_str().into());
    h.insert("typ".into(), "JWT".into());
    h.insert("kid".into(), kid.into());
    for (k, v) in extra {
        if v.is_null() {
            h.shift_remove(k);
        } else {
            h.insert(k.clone(), v.clone());
        }
    }
    h
}

/// Signs `payload` with the chosen key of `alg`.
pub fn build(keys: &Keys, payload: &str, extra_header: &Map<String, Value>, alg: Alg, key: KeyChoice) -> Result<Token, TokenError> {
    let pair = keys.get(alg, key);
    // The trusted key's kid even when signing with its twin: the forgery must fail on the
    // signature, not on an unknown key id.
    let header = header(alg, &keys.trusted(alg).kid, extra_header);
    let input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(Value::Object(header.clone()).to_string()),
        URL_SAFE_NO_PAD.encode(payload)
    );
    let signature = jsonwebtoken::crypto::sign(input.as_bytes(), &pair.signing, jwt_alg(alg))
        .map_err(|e| TokenError::Sign { alg, message: e.to_string() })?;
    Ok(Token { compact: format!("{input}.{signature}"), alg, header })
}

/// The `jsonwebtoken` crate's name for an algorithm.
pub fn jwt_alg(alg: Alg) -> jsonwebtoken::Algorithm {
    use jsonwebtoken::Algorithm as A;
    match alg {
        Alg::HS256 => A::HS256,
        Alg::RS256 => A::RS256,
        Alg::PS256 => A::PS256,
        Alg::ES256 => A::ES256,
        Alg::EdDSA => A::EdDSA,
    }
}
