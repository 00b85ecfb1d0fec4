//! `audcheck explain`: what a token's `aud` is, how it differs from the expected audiences,
//! and what each profile requires of it. The token is decoded locally; its signature is
//! not checked (audcheck has no key for it) and it is sent nowhere.

mod nearmiss;
mod render;
mod show;

pub use nearmiss::{Miss, near_misses};
pub use render::{render, render_decoded};

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

/// What the token's `aud` is, next to the expected audiences. `at` is the member's
/// position when `aud` is an array, None when it is a string.
#[derive(Debug, Clone, PartialEq)]
pub enum Finding {
    /// A value equals an expected audience exactly.
    Match { at: Option<usize>, value: String },
    /// The token has no `aud` claim.
    Missing,
    /// `aud` is neither a string nor an array (a number, null, an object...).
    NotString(&'static str),
    /// An empty string, as `aud` or as a member.
    EmptyString(Option<usize>),
    EmptyArray,
    /// An array member that is not a string.
    NonStringMember(usize, &'static str),
    /// An array none of whose members is an expected audience.
    ArrayWithoutExpected,
    /// A value that is nearly an expected audience.
    NearMiss { at: Option<usize>, got: String, want: String, misses: Vec<Miss> },
    /// A value that resembles no expected audience.
    Unrelated { at: Option<usize>, value: String },
    /// No expected audience was given.
    NothingExpected,
}

impl Finding {
    /// The suite families whose cases hold tokens like this one.
    pub fn families(&self) -> Vec<Family> {
        match self {
            Finding::Match { .. } => vec![Family::VALID],
            Finding::Missing => vec![Family::MISSING],
            Finding::NotString(_) | Finding::NonStringMember(..) => vec![Family::TYPE],
            Finding::EmptyString(_) | Finding::EmptyArray => vec![Family::EMPTY],
            Finding::ArrayWithoutExpected => vec![Family::ARRAY],
            Finding::NearMiss { misses, .. } => misses.iter().map(|m| m.family()).collect(),
            Finding::Unrelated { .. } => vec![Family::WRONG],
            Finding::NothingExpected => vec![Family::NO_CONFIG],
        }
    }

    /// The array member this finding is about, if any.
    pub fn member(&self) -> Option<usize> {
        match self {
            Finding::Match { at, .. } | Finding::NearMiss { at, .. } | Finding::Unrelated { at, .. } | Finding::EmptyString(at) => *at,
            Finding::NonStringMember(i, _) => Some(*i),
            _ => None,
        }
    }

    /// Whether it is about one value of `aud` (shown in a list that may be cut short).
    pub fn is_value(&self) -> bool {
        matches!(self, Finding::Match { .. } | Finding::NearMiss { .. } | Finding::Unrelated { .. }) || self.member().is_some()
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

pub(crate) fn json_type(v: &Value) -> &'static str {
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
        Some(Value::String(s)) if s.is_empty() => Some(Finding::EmptyString(None)),
        Some(Value::Array(a)) if a.is_empty() => Some(Finding::EmptyArray),
        Some(Value::String(_) | Value::Array(_)) => None,
        Some(other) => Some(Finding::NotString(json_type(other))),
    };
    if let Some(f) = whole {
        out.push(f);
        return out;
    }
    let values: Vec<(Option<usize>, &str)> = match aud {
        Some(Value::Array(a)) => {
            for (i, m) in a.iter().enumerate().filter(|(_, m)| !m.is_string()) {
                out.push(Finding::NonStringMember(i, json_type(m)));
            }
            a.iter().enumerate().filter_map(|(i, m)| m.as_str().map(|s| (Some(i), s))).collect()
        }
        _ => aud.and_then(Value::as_str).map(|s| (None, s)).into_iter().collect(),
    };
    let is_array = aud.is_some_and(Value::is_array);
    if is_array && !values.iter().any(|(_, v)| audience.iter().any(|a| a == v)) && !audience.is_empty() {
        out.push(Finding::ArrayWithoutExpected);
    }
    for (at, v) in values {
        if audience.iter().any(|a| a == v) {
            out.push(Finding::Match { at, value: v.to_string() });
            continue;
        }
        let near = audience.iter().map(|a| (a, near_misses(v, a))).find(|(_, m)| !m.is_empty());
        out.push(match near {
            Some((want, misses)) => Finding::NearMiss { at, got: v.to_string(), want: want.clone(), misses },
            None if v.is_empty() => Finding::EmptyString(at),
            None => Finding::Unrelated { at, value: v.to_string() },
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
