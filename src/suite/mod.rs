//! The case model and the suite loader (suite format `audcheck-suite/1`).

mod error;
mod file;
mod load;
mod regression;
mod requirements;
mod schema;

pub use error::{SuiteError, SuiteErrorKind, SuiteErrors};
pub use load::{discover, load_paths, load_str};
pub use regression::{Found, regression_suite};
pub use requirements::{Level, REQUIREMENTS_FORMAT, Requirement, load_requirements};

use crate::model::{Alg, Expectation, Family, Importance, KeyChoice, Profile, Reason};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// The suite format this audcheck reads.
pub const FORMAT: &str = "audcheck-suite/1";

/// One loaded, validated suite file.
#[derive(Debug, Clone)]
pub struct Suite {
    pub name: String,
    pub description: Option<String>,
    pub path: String,
    pub cases: Vec<Case>,
}

/// What the token's payload is made of.
#[derive(Debug, Clone, PartialEq)]
pub enum Payload {
    /// Claims merged over the suite defaults; time claims not given are added by the clock.
    Claims { claims: Map<String, Value>, remove: Vec<String> },
    /// Exact payload text; `${iat}`, `${nbf}`, `${exp}` are replaced by the clock.
    Raw(String),
}

/// One token plus one validator input plus what each profile expects of it.
#[derive(Debug, Clone, PartialEq)]
pub struct Case {
    pub id: String,
    pub family: Family,
    pub title: String,
    pub description: Option<String>,
    pub spec: Vec<String>,
    pub importance: Importance,
    pub payload: Payload,
    /// Extra or overriding JWS header fields.
    pub header: Map<String, Value>,
    /// The validator's expected audiences; `None`: no expected audience configured.
    pub audience: Option<Vec<String>>,
    /// The validator's expected issuer: the suite's default `iss`.
    pub issuer: Option<String>,
    /// The algorithm the case is signed with: the one it names, else RS256, or another the
    /// validator takes when it has no RS256 (see `alg_given`).
    pub alg: Alg,
    /// Whether the case (or its suite) names its algorithm: then it tests that algorithm.
    pub alg_given: bool,
    pub key: KeyChoice,
    pub expect: Expectation,
    pub profiles: BTreeMap<Profile, Expectation>,
    pub reason: Reason,
    /// For a raw payload, the payload text of its twin, when the suite gives one.
    pub twin_raw: Option<String>,
}

impl Case {
    /// What `profile` expects of this case.
    pub fn expectation(&self, profile: Profile) -> Expectation {
        self.profiles.get(&profile).copied().unwrap_or(self.expect)
    }

    /// The same case issued by `issuer` instead of the suite's issuer: its `iss` claim
    /// (where it is the suite's) and the validator's expected issuer. Another issuer in the
    /// token (the wrong-issuer control's) stays.
    pub fn with_issuer(&self, issuer: &str) -> Case {
        let Some(old) = self.issuer.as_deref() else { return self.clone() };
        let payload = match &self.payload {
            Payload::Claims { claims, remove } => {
                let mut claims = claims.clone();
                if claims.get("iss").and_then(Value::as_str) == Some(old) {
                    claims.insert("iss".into(), issuer.into());
                }
                Payload::Claims { claims, remove: remove.clone() }
            }
            Payload::Raw(text) => Payload::Raw(text.replace(&Value::from(old).to_string(), &Value::from(issuer).to_string())),
        };
        Case { payload, issuer: Some(issuer.to_string()), ..self.clone() }
    }

    /// The twin's payload: the same token with `aud` made acceptable to the validator input
    /// (the first expected audience, or every one for a validator that requires all of
    /// them; no `aud` when none is configured), so that a rejection of the case can be laid
    /// to its audience when the twin is accepted. None when no such token differs from the
    /// case: a missing `aud` with no expected audience, an expected audience that is empty,
    /// or a raw payload whose suite names no twin.
    pub fn twin(&self, all_of: bool) -> Option<Payload> {
        let twin = match &self.payload {
            Payload::Raw(_) => return self.twin_raw.clone().map(Payload::Raw),
            Payload::Claims { claims, remove } => {
                let mut claims = claims.clone();
                match self.audience.as_deref() {
                    Some(list) if list.iter().any(String::is_empty) => return None,
                    Some([first]) => {
                        claims.insert("aud".into(), first.as_str().into());
                    }
                    Some(list @ [first, ..]) => {
                        let aud: Value = if all_of { list.into() } else { first.as_str().into() };
                        claims.insert("aud".into(), aud);
                    }
                    Some([]) | None => {
                        claims.shift_remove("aud");
                    }
                }
                Payload::Claims { claims, remove: remove.clone() }
            }
        };
        (twin != self.payload).then_some(twin)
    }

    /// The claims as the case states them (merged, before the clock adds time claims).
    pub fn claims(&self) -> Option<&Map<String, Value>> {
        match &self.payload {
            Payload::Claims { claims, .. } => Some(claims),
            Payload::Raw(_) => None,
        }
    }
}
