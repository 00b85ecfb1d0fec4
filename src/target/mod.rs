//! Targets: validators behind one trait. A target sees a token and a validator input,
//! never a case, and answers with the library's own verdict.

mod http;
mod install;
mod keyserver;
mod lines;
mod manifest;
mod process;
mod registry;
mod rust_josekit;
mod rust_jsonwebtoken;
mod rust_jwt_compact;
mod rust_jwt_simple;

pub use http::{HttpTarget, Service};
pub use keyserver::KeyServer;
pub use install::{InstallError, ensure_installed};
pub use manifest::{HttpSection, MANIFEST_FORMAT, Manifest, ManifestError, ManifestTarget, load_manifest};
pub use process::{Launch, ProcessTarget, request_line};
pub use registry::{Spec, adapter_dirs, in_process, specs};

pub use rust_josekit::{RustJosekit, VERSION as RUST_JOSEKIT_VERSION};
pub use rust_jsonwebtoken::{RustJsonwebtoken, RustJsonwebtoken9, RustJsonwebtoken10, VERSION as RUST_JSONWEBTOKEN_VERSION};
pub use rust_jwt_compact::{RustJwtCompact, VERSION as RUST_JWT_COMPACT_VERSION};
pub use rust_jwt_simple::{RustJwtSimple, VERSION as RUST_JWT_SIMPLE_VERSION};

use crate::model::{Alg, Reason};
use crate::token::PublicKey;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// How a list of expected audiences is configured in a library.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AudienceMode {
    AnyOf,
    AllOf,
    /// One expected audience only: longer lists cannot be expressed.
    Single,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Capabilities {
    pub algorithms: Vec<Alg>,
    pub audience: AudienceMode,
    /// Whether the validator can run with no expected audience configured (services that
    /// must be started with one cannot).
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub no_audience: bool,
    /// A running service's fixed expected audience: cases configuring another are skipped.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fixed_audience: Option<Vec<String>>,
}

fn yes() -> bool {
    true
}

fn is_true(b: &bool) -> bool {
    *b
}

/// Who a target is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Identity {
    pub name: String,
    pub library: String,
    pub version: String,
    pub language: String,
    pub transport: String,
    pub options: Value,
    pub capabilities: Capabilities,
}

/// The identity of an in-process Rust target.
pub fn in_process_identity(name: &str, library: &str, version: &str, algorithms: &[Alg], audience: AudienceMode) -> Identity {
    Identity {
        name: name.into(),
        library: library.into(),
        version: version.into(),
        language: "rust".into(),
        transport: "in-process".into(),
        options: Value::Object(Default::default()),
        capabilities: Capabilities { algorithms: algorithms.to_vec(), audience, no_audience: true, fixed_audience: None },
    }
}

/// One verification request: the validator input and the token.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    pub id: &'a str,
    pub token: &'a str,
    pub alg: Alg,
    pub key: &'a PublicKey,
    /// `None`: configure no expected audience, keeping the library's default.
    pub audience: Option<&'a [String]>,
    pub issuer: Option<&'a str>,
    pub now: u64,
}

/// The library's verdict on one token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verdict {
    pub accepted: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<Reason>,
    /// The library's own message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

impl Verdict {
    pub fn accepted() -> Verdict {
        Verdict { accepted: true, reason: None, error: None }
    }
    pub fn rejected(reason: Reason, error: impl Into<String>) -> Verdict {
        Verdict { accepted: false, reason: Some(reason), error: Some(error.into()) }
    }
}

/// A target that failed to give a verdict.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Failure {
    /// The target crashed, answered garbage or broke the protocol.
    #[error("{0}")]
    Error(String),
    /// No answer within the per-case timeout.
    #[error("no answer within {0} ms")]
    Hang(u64),
}

/// A validator audcheck can drive.
pub trait Target: Send + Sync {
    /// Identity and capabilities, known once the target is started.
    fn identity(&self) -> &Identity;
    /// The library's verdict on one token.
    fn verify(&self, request: &Request<'_>) -> Result<Verdict, Failure>;
    /// Verdicts on many tokens; a transport may pipeline them. Results are in order.
    fn verify_batch(&self, requests: &[Request<'_>]) -> Vec<Result<Verdict, Failure>> {
        requests.iter().map(|r| self.verify(r)).collect()
    }
    /// Why the target cannot be used (an adapter that will not start), if so.
    fn unavailable(&self) -> Option<String> {
        None
    }
    /// Whether `verify_batch` pipelines (then the runner hands it whole batches).
    fn pipelines(&self) -> bool {
        false
    }
    /// Whether `verify` may be called from several threads at once.
    fn parallel(&self) -> bool {
        false
    }
}

/// Child processes (adapters, services) that end with audcheck, even when it is killed.
pub(crate) trait DieWithParent {
    fn die_with_parent(&mut self) -> &mut Self;
}

impl DieWithParent for std::process::Command {
    fn die_with_parent(&mut self) -> &mut Self {
        #[cfg(target_os = "linux")]
        {
            use std::os::unix::process::CommandExt;
            // SAFETY: prctl is async-signal-safe; nothing else runs between fork and exec.
            unsafe {
                self.pre_exec(|| {
                    libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
                    Ok(())
                });
            }
        }
        self
    }
}
