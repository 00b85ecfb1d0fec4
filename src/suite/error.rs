//! Suite errors: each names the file, the case and the field, and says how to fix it.

use std::fmt;
use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum SuiteErrorKind {
    #[error("cannot read it: {0}; check the path")]
    Io(#[source] std::io::Error),
    #[error("not valid JSON at line {line}, column {column}: {message}")]
    Json { line: usize, column: usize, message: String },
    #[error("{0}")]
    Format(String),
    #[error("unknown field; remove it or fix its spelling ({0})")]
    UnknownField(String),
    #[error("required field is missing; add it")]
    MissingField,
    #[error("{0}")]
    InvalidValue(String),
    #[error("the id is also used in {0}; ids must be unique across all loaded suites: rename one")]
    DuplicateId(String),
    #[error("{0}")]
    Conflict(String),
    #[error("no suite files (*.json with \"format\": \"audcheck-suite/1\") here; give a suite file or a folder of them")]
    Empty,
}

/// One mistake in one suite file.
#[derive(Debug, thiserror::Error)]
pub struct SuiteError {
    pub file: PathBuf,
    /// The case id, or `#N` (1-based position) for a case without a readable id.
    pub case: Option<String>,
    pub field: Option<String>,
    #[source]
    pub kind: SuiteErrorKind,
}

impl fmt::Display for SuiteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(case) = &self.case {
            write!(f, ": case \"{case}\"")?;
        }
        if let Some(field) = &self.field {
            write!(f, ": field `{field}`")?;
        }
        write!(f, ": {}", self.kind)
    }
}

/// Every mistake found in the loaded suites; nothing runs while there is one.
#[derive(Debug, thiserror::Error)]
pub struct SuiteErrors(pub Vec<SuiteError>);

impl fmt::Display for SuiteErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.0.len();
        writeln!(f, "{n} problem{} in the suites:", if n == 1 { "" } else { "s" })?;
        for e in &self.0 {
            writeln!(f, "  {e}")?;
        }
        Ok(())
    }
}
