//! Assembles header and payload and signs them. The payload is signed exactly as given,
//! so raw text (duplicate keys, escapes) reaches the validator byte for byte.

use super::keys::Keys;
use crate::model::{Alg, KeyChoice};
use crate::suite::Payload;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Map, Value};

/// The run's clock: time claims are set relative to `now` (seconds since the epoch).
/// Made only through `Clock::at` or `Clock::system`, so every time claim it gives fits.
#[derive(Debug, Clone, Copy)]
pub struct Clock {
    now: u64,
}

/// A time too early or too late for the claims made from it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{now} is not a usable time: tokens are issued {ISSUED_BEFORE} s before it and expire {VALID_FOR} s after; give a Unix time between {ISSUED_BEFORE} and {}", u64::MAX - VALID_FOR)]
pub struct ClockError {
    pub now: u64,
}

/// Tokens are issued a minute before the clock's time and valid for an hour.
const ISSUED_BEFORE: u64 = 60;
const VALID_FOR: u64 = 3600;

impl Clock {
    /// A clock at a given Unix time.
    pub fn at(now: u64) -> Result<Clock, ClockError> {
        if now < ISSUED_BEFORE || now.checked_add(VALID_FOR).is_none() {
            return Err(ClockError { now });
        }
        Ok(Clock { now })
    }

    pub fn system() -> Clock {
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
        Clock::at(now).expect("the system clock is past 1970")
    }

    /// The Unix time tokens are made at.
    pub fn now(&self) -> u64 {
        self.now
    }

    pub fn iat(&self) -> u64 {
        self.now - ISSUED_BEFORE
    }

    pub fn nbf(&self) -> u64 {
        self.iat()
    }

    pub fn exp(&self) -> u64 {
        self.now + VALID_FOR
    }

    /// Values for `iat`, `nbf`, `exp`: issued a minute ago, valid for an hour.
    pub fn time_claim(&self, name: &str) -> Option<u64> {
        match name {
            "iat" => Some(self.iat()),
            "nbf" => Some(self.nbf()),
            "exp" => Some(self.exp()),
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

impl Token {
    /// The payload as JSON, as it was signed (None for a payload that is not JSON).
    pub fn payload(&self) -> Option<Value> {
        let part = self.compact.split('.').nth(1)?;
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(part).ok()?).ok()
    }
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
