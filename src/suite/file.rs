//! The suite file as written, field for field; `load` turns it into validated cases.

use crate::model::{Expectation, Importance, Reason};
use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// The top level. Cases stay raw here so each can be checked on its own, with its id.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SuiteFile {
    /// Checked on the raw JSON first (to name another kind of file); here for the schema.
    #[allow(dead_code)]
    pub format: String,
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub defaults: Defaults,
    pub cases: Vec<Value>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Defaults {
    #[serde(default)]
    pub claims: Map<String, Value>,
    #[serde(default)]
    pub audience: Option<Vec<String>>,
    #[serde(default)]
    pub header: Map<String, Value>,
    #[serde(default)]
    pub sign: Option<SignFile>,
}

#[derive(Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct SignFile {
    #[serde(default)]
    pub alg: Option<String>,
    #[serde(default)]
    pub key: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseFile {
    pub id: String,
    pub family: String,
    pub title: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub spec: Vec<String>,
    #[serde(default)]
    pub importance: Option<Importance>,
    #[serde(default)]
    pub claims: Option<Map<String, Value>>,
    #[serde(default)]
    pub remove: Vec<String>,
    #[serde(default)]
    pub payload_raw: Option<String>,
    /// With `payload_raw`: the payload text of the case's twin (the same token with an
    /// acceptable `aud`), for attributing a rejection to the audience.
    #[serde(default)]
    pub twin: Option<String>,
    #[serde(default)]
    pub header: Map<String, Value>,
    /// Absent: the suite default. `null`: no expected audience configured.
    #[serde(default, deserialize_with = "present")]
    pub audience: Option<Option<Vec<String>>>,
    #[serde(default)]
    pub sign: Option<SignFile>,
    pub expect: Expectation,
    #[serde(default)]
    pub profiles: BTreeMap<String, Expectation>,
    #[serde(default)]
    pub reason: Option<Reason>,
}

/// Tells a field given as `null` apart from a field left out.
fn present<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    T::deserialize(d).map(Some)
}

/// The case fields, for the hint on an unknown one.
pub const CASE_FIELDS: &str = "id, family, title, description, spec, importance, claims, remove, \
payload_raw, twin, header, audience, sign, expect, profiles, reason";
