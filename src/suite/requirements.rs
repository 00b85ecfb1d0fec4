//! The requirements catalogue (`suites/requirements.json`): one entry per testable rule,
//! cited by the cases' `spec` lists.

use super::error::{SuiteError, SuiteErrorKind as Kind};
use crate::model::Profile;
use serde::{Deserialize, Serialize};
use std::path::Path;

pub const REQUIREMENTS_FORMAT: &str = "audcheck-requirements/1";

/// How strongly a specification states a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Level {
    /// MUST: the verdict is required.
    M,
    /// SHOULD.
    S,
    /// The specification leaves it to implementations.
    #[serde(rename = "open")]
    Open,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Requirement {
    pub id: String,
    pub profile: Profile,
    pub rule: String,
    pub section: String,
    pub level: Level,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RequirementsFile {
    format: String,
    #[serde(default)]
    #[allow(dead_code)]
    description: Option<String>,
    requirements: Vec<Requirement>,
}

/// Loads a requirements file; errors name the file and the field.
pub fn load_requirements(path: &Path) -> Result<Vec<Requirement>, SuiteError> {
    let err = |field: Option<String>, kind| SuiteError { file: path.into(), case: None, field, kind };
    let text = std::fs::read_to_string(path).map_err(|e| err(None, Kind::Io(e)))?;
    let de = &mut serde_json::Deserializer::from_str(&text);
    let file: RequirementsFile = serde_path_to_error::deserialize(de).map_err(|e| {
        let (line, column) = (e.inner().line(), e.inner().column());
        err(Some(e.path().to_string()), Kind::Json { line, column, message: e.inner().to_string() })
    })?;
    if file.format != REQUIREMENTS_FORMAT {
        return Err(err(Some("format".into()), Kind::Format(format!("expected \"{REQUIREMENTS_FORMAT}\", found \"{}\"", file.format))));
    }
    Ok(file.requirements)
}
