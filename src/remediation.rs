//! What to change: advice per failing family, written once per adapter in
//! `remediation.json` beside its `adapter.json` (for the in-process Rust targets, a file
//! beside their module), format `audcheck-remediation/1`. `families` applies to every
//! target of the adapter; `targets` overrides it for one target (a variant, a release).
//! The reports carry the advice for the families a target fails in.

use crate::model::Family;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub const FORMAT: &str = "audcheck-remediation/1";
/// The file an adapter folder holds its advice in.
pub const FILE: &str = "remediation.json";

/// One piece of advice: what to change, and where that is documented.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Advice {
    /// What a user of the library changes: a configuration, an option, an API, or the
    /// check to add after the library's call.
    pub change: String,
    /// The documentation, source or issue that backs it (an http(s) URL).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub see: Option<String>,
}

/// An adapter's advice.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Remediation {
    pub format: String,
    #[serde(default)]
    pub families: BTreeMap<Family, Advice>,
    #[serde(default)]
    pub targets: BTreeMap<String, BTreeMap<Family, Advice>>,
}

/// A remediation file that cannot be used: the file, the field, and what was expected.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{}{}: {problem}", file.display(), field.as_ref().map(|f| format!(": field `{f}`")).unwrap_or_default())]
pub struct RemediationError {
    pub file: PathBuf,
    pub field: Option<String>,
    pub problem: String,
}

/// Longest `change` text: advice is a sentence or three, not a manual.
const MAX_CHANGE: usize = 600;

impl Remediation {
    /// Reads `dir/remediation.json`; none when the folder has no such file.
    pub fn load(dir: &Path) -> Result<Option<Remediation>, RemediationError> {
        let file = dir.join(FILE);
        match std::fs::read_to_string(&file) {
            Ok(text) => Remediation::parse(&text, &file).map(Some),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(RemediationError { file, field: None, problem: format!("cannot read it ({e})") }),
        }
    }

    /// Parses advice; `file` names it in errors.
    pub fn parse(text: &str, file: &Path) -> Result<Remediation, RemediationError> {
        let err = |field: Option<String>, problem: String| RemediationError { file: file.to_path_buf(), field, problem };
        let de = &mut serde_json::Deserializer::from_str(text);
        let r: Remediation = serde_path_to_error::deserialize(de).map_err(|e| {
            let path = e.path().to_string();
            err((path != ".").then_some(path), format!("{}; expected {{\"format\": \"{FORMAT}\", \"families\": {{\"<family>\": {{\"change\": \"...\", \"see\": \"https://...\"}}}}, \"targets\": {{\"<target>\": {{...}}}}}}", e.inner()))
        })?;
        if r.format != FORMAT {
            return Err(err(Some("format".into()), format!("\"{}\" is not \"{FORMAT}\"", r.format)));
        }
        let all = r.families.iter().map(|(f, a)| (format!("families.{f}"), a)).chain(r.targets.iter().flat_map(|(t, m)| m.iter().map(move |(f, a)| (format!("targets.{t}.{f}"), a))));
        for (field, a) in all {
            if a.change.trim().is_empty() || a.change.chars().count() > MAX_CHANGE {
                return Err(err(Some(format!("{field}.change")), format!("give what to change in 1 to {MAX_CHANGE} characters")));
            }
            // Shown as a link on the page: a web address only.
            if let Some(see) = &a.see {
                let web = (see.starts_with("https://") || see.starts_with("http://")) && !see.chars().any(|c| c.is_whitespace() || c.is_control());
                if !web {
                    return Err(err(Some(format!("{field}.see")), "expected an http(s) URL without spaces".into()));
                }
            }
        }
        Ok(r)
    }

    /// Target names the advice is written for, to check them against the adapter's targets.
    pub fn target_names(&self) -> impl Iterator<Item = &str> {
        self.targets.keys().map(String::as_str)
    }

    /// The advice for one target and family: the target's own, else the adapter's.
    pub fn advice(&self, target: &str, family: &Family) -> Option<&Advice> {
        self.targets.get(target).and_then(|m| m.get(family)).or_else(|| self.families.get(family))
    }

    /// The advice for each of `families` that has some.
    pub fn for_families<'a>(&self, target: &str, families: impl IntoIterator<Item = &'a Family>) -> BTreeMap<Family, Advice> {
        families.into_iter().filter_map(|f| self.advice(target, f).map(|a| (f.clone(), a.clone()))).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Remediation, RemediationError> {
        Remediation::parse(text, Path::new("adapters/x/remediation.json"))
    }

    #[test]
    fn a_target_entry_overrides_the_adapters() {
        let r = parse(r#"{"format":"audcheck-remediation/1","families":{"array":{"change":"a"},"missing":{"change":"m"}},"targets":{"x+v":{"array":{"change":"b","see":"https://e.example/doc"}}}}"#).unwrap();
        assert_eq!(r.advice("x", &Family::ARRAY).unwrap().change, "a");
        assert_eq!(r.advice("x+v", &Family::ARRAY).unwrap().change, "b");
        assert_eq!(r.advice("x+v", &Family::MISSING).unwrap().change, "m");
        assert!(r.advice("x", &Family::TYPE).is_none());
    }

    #[test]
    fn errors_name_the_file_and_field_and_what_was_expected() {
        let e = parse(r#"{"format":"audcheck-remediation/1","families":{"array":{"chnage":"a"}}}"#).unwrap_err().to_string();
        assert!(e.starts_with("adapters/x/remediation.json: field `families.array"), "{e}");
        assert!(e.contains("expected {\"format\""), "{e}");
        let e = parse(r#"{"format":"audcheck-remediation/1","families":{"array":{"change":"a","see":"javascript:alert(1)"}}}"#).unwrap_err().to_string();
        assert!(e.contains("families.array.see") && e.contains("http(s) URL"), "{e}");
        let e = parse(r#"{"format":"audcheck-remediation/2"}"#).unwrap_err().to_string();
        assert!(e.contains("`format`"), "{e}");
        assert!(parse(r#"{"format":"audcheck-remediation/1","families":{"array":{"change":" "}}}"#).is_err());
    }
}
