//! Why a session could not run or finish. Each is audcheck's or the user's, never a
//! target's: a target's failures are outcomes in its report.

use crate::report::{ReadError, WriteError};
use crate::suite::SuiteErrors;
use crate::token::TokenError;
use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    #[error("the suites hold no case; add cases or give other --suite paths")]
    NoCases,
    #[error("--baseline {0}: no such file or folder; give a report .json or a folder of them")]
    NoBaseline(PathBuf),
    #[error("--baseline: {0}")]
    Baseline(ReadError),
    /// audcheck could not make a token: a fault of audcheck, not of any target.
    #[error("audcheck could not sign {case}: {source}")]
    Sign { case: String, source: TokenError },
    /// The built-in controls do not load: a broken build of audcheck.
    #[error("the built-in controls do not load: {0}")]
    Controls(SuiteErrors),
    #[error(transparent)]
    Write(#[from] WriteError),
}

impl SessionError {
    /// The user can fix it (exit 2); otherwise audcheck itself failed (exit 3).
    pub fn is_input(&self) -> bool {
        matches!(self, SessionError::NoCases | SessionError::NoBaseline(_) | SessionError::Baseline(_))
    }
}
