//! `audcheck explain`: what a token's `aud` is, how it differs from the expected audiences,
//! and what each profile requires of it. The token is decoded locally; its signature is
//! not checked (audcheck has no key for it) and it is sent nowhere.

mod nearmiss;
mod render;

pub use nearmiss::{Miss, near_misses};
pub use render::render;

use crate::generate::oracle;
use crate::model::{Expectation, Family, Profile};
use base64::Engine;
use serde_json::{Map, Value};

#[derive(Debug, thiserror::Error)]
pub enum DecodeError {
    #[error("a JWT has three parts separated by dots (header.payload.signature); this has {0}")]
    Parts(usize),
    #[error("the {0} is not base64url: {1}")]
    Base64(&'static str, base64::DecodeError),
    #[error("the {0} is not JSON: {1}")]
    Json(&'static str, serde_json::Error),
    #[error("the {0} is JSON but not an object")]
    NotObject(&'static str),
}

/// What the token's `aud` is, next to the expected audiences.
#[derive(Debug, Clone, PartialEq)]
pub enum Finding {
    /// A value equals an expected audience exactly.
    Match(String),
    /// The token has no `aud` claim.
    Missing,
    /// `aud` is neither a string nor an array (a number, null, an object...).
    NotString(&'static str),
    EmptyString,
    EmptyArray,
    /// An array member that is not a string.
    NonStringMember(usize, &'static str),
    /// An array none of whose members is an expected audience.
    ArrayWithoutExpected,
    /// A value that is nearly an expected audience.
    NearMiss { got: String, want: String, misses: Vec<Miss> },
    /// A value that resembles no expected audience.
    Unrelated(String),
    /// No expected audience was given.
    NothingExpected,
}

impl Finding {
    /// The suite families whose cases hold tokens like this one.
    pub fn families(&self) -> Vec<Family> {
        match self {
            Finding::Match(_) => vec![Family::VALID],
            Finding::Missing => vec![Family::MISSING],
            Finding::NotString(_) | Finding::NonStringMember(..) => vec![Family::TYPE],
            Finding::EmptyString | Finding::EmptyArray => vec![Family::EMPTY],
            Finding::ArrayWithoutExpected => vec![Family::ARRAY],
            Finding::NearMiss { misses, .. } => misses.iter().map(|m| m.family()).collect(),
            Finding::Unrelated(_) => vec![Family::WRONG],
            Finding::NothingExpected => vec![Family::NO_CONFIG],
        }
    }
}

pub struct Explanation {
    pub header: Map<String, Value>,
    pub claims: Map<String, Value>,
    pub audience: Vec<String>,
    pub findings: Vec<Finding>,
    /// Per profile: what it requires of this token and why.
    pub profiles: Vec<(Profile, Expectation, String)>,
}

impl Explanation {
    pub fn aud(&self) -> Option<&Value> {
        self.claims.get("aud")
    }

    /// Suite families like this token, without repeats, in order of the findings.
    pub fn families(&self) -> Vec<Family> {
        let mut out: Vec<Family> = Vec::new();
        for f in self.findings.iter().flat_map(Finding::families) {
            if !out.contains(&f) {
                out.push(f);
            }
        }
        out
    }
}

/// A decoded JOSE header.
pub type Header = Map<String, Value>;
/// Decoded claims.
pub type Claims = Map<String, Value>;

/// Decodes a compact JWS's header and payload without checking its signature.
pub fn decode(token: &str) -> Result<(Header, Claims), DecodeError> {
    let parts: Vec<&str> = token.trim().split('.').collect();
    if parts.len() != 3 {
        return Err(DecodeError::Parts(parts.len()));
    }
    let part = |text: &str, name: &'static str| -> Result<Map<String, Value>, DecodeError> {
        let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(text.trim_end_matches('=')).map_err(|e| DecodeError::Base64(name, e))?;
        match serde_json::from_slice(&bytes).map_err(|e| DecodeError::Json(name, e))? {
            Value::Object(m) => Ok(m),
            _ => Err(DecodeError::NotObject(name)),
        }
    };
    Ok((part(parts[0], "header")?, part(parts[1], "payload")?))
}

pub fn explain(token: &str, audience: &[String]) -> Result<Explanation, DecodeError> {
    let (header, claims) = decode(token)?;
    let aud = claims.get("aud");
    let findings = findings(aud, audience);
    let configured = (!audience.is_empty()).then_some(audience);
    let profiles = Profile::ALL.iter().map(|&p| (p, oracle::expect(p, aud, configured), why(p, aud, audience))).collect();
    Ok(Explanation { header, claims, audience: audience.to_vec(), findings, profiles })
}

fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn findings(aud: Option<&Value>, audience: &[String]) -> Vec<Finding> {
    let mut out = Vec::new();
    if audience.is_empty() {
        out.push(Finding::NothingExpected);
    }
    // An aud with no value to compare is one finding, the last.
    let whole = match aud {
        None => Some(Finding::Missing),
        Some(Value::String(s)) if s.is_empty() => Some(Finding::EmptyString),
        Some(Value::Array(a)) if a.is_empty() => Some(Finding::EmptyArray),
        Some(Value::String(_) | Value::Array(_)) => None,
        Some(other) => Some(Finding::NotString(json_type(other))),
    };
    if let Some(f) = whole {
        out.push(f);
        return out;
    }
    let values: Vec<&str> = match aud {
        Some(Value::Array(a)) => {
            for (i, m) in a.iter().enumerate().filter(|(_, m)| !m.is_string()) {
                out.push(Finding::NonStringMember(i, json_type(m)));
            }
            a.iter().filter_map(Value::as_str).collect()
        }
        _ => aud.and_then(Value::as_str).into_iter().collect(),
    };
    let is_array = aud.is_some_and(Value::is_array);
    if is_array && !values.iter().any(|v| audience.iter().any(|a| a == v)) && !audience.is_empty() {
        out.push(Finding::ArrayWithoutExpected);
    }
    for v in values {
        if audience.iter().any(|a| a == v) {
            out.push(Finding::Match(v.to_string()));
            continue;
        }
        let near = audience.iter().map(|a| (a, near_misses(v, a))).find(|(_, m)| !m.is_empty());
        out.push(match near {
            Some((want, misses)) => Finding::NearMiss { got: v.to_string(), want: want.clone(), misses },
            None if v.is_empty() => Finding::EmptyString,
            None => Finding::Unrelated(v.to_string()),
        });
    }
    out
}

/// Why a profile expects what it does of this token, in one sentence.
fn why(p: Profile, aud: Option<&Value>, audience: &[String]) -> String {
    let matches = |v: &Value| v.as_str().is_some_and(|s| !s.is_empty() && audience.iter().any(|a| a == s));
    match aud {
        None if p == Profile::Rfc7519 => "aud is optional in RFC 7519 (§4.1); a validator may require it".into(),
        None => "this profile requires an aud claim".into(),
        Some(_) if audience.is_empty() => "a token with aud must be rejected by a validator that expects no audience (RFC 7519 §4.1.3)".into(),
        Some(v @ Value::String(s)) if matches(v) => match p {
            Profile::ClientAssertion if *s != audience[0] => {
                "a client assertion's audience is the authorization server's issuer identifier (the first --audience), nothing else".into()
            }
            _ => "aud equals an expected audience exactly".into(),
        },
        Some(Value::Array(m)) if !m.is_empty() && m.iter().all(Value::is_string) && m.iter().any(matches) => match p {
            Profile::OidcIdToken => "every audience of an ID token must be trusted (OpenID Connect §3.1.3.7)".into(),
            Profile::ClientAssertion => "a client assertion's audience should be the issuer identifier alone, as a string (RFC 7523bis, FAPI 2.0)".into(),
            _ => "a member equals an expected audience exactly (RFC 7519 §4.1.3)".into(),
        },
        Some(Value::String(_)) => NO_MATCH.into(),
        Some(Value::Array(m)) if m.iter().all(Value::is_string) => NO_MATCH.into(),
        Some(_) => "aud must be a string or an array of strings (RFC 7519 §4.1.3); anything else is malformed".into(),
    }
}

const NO_MATCH: &str = "no value equals an expected audience; values are compared as case-sensitive strings with no normalization (RFC 7519 §2, §4.1.3)";
