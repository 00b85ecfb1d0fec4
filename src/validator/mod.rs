//! Validators behind one trait, and their transports: Rust libraries in process, adapter
//! programs over the JSON-lines protocol, HTTP services. A validator sees a token and a
//! validator input, never a case, and answers with the library's own verdict.

mod children;
mod http;
mod install;
mod keyserver;
mod lines;
mod manifest;
mod manifest_fields;
mod process;
mod registry;
mod rust_josekit;
mod rust_jsonwebtoken;
mod rust_jwt_compact;
mod rust_jwt_simple;
mod rust_openidconnect;
mod service;

pub use children::stop_all;
pub use http::{HttpTarget, Service, wait_until_answering};
pub use keyserver::{KeyServer, KeyServerError};
pub use service::{RunningService, ServiceError, host_of, is_loopback, running_service};
pub use install::{InstallError, ensure_installed};
pub use manifest::{BadPlacement, HttpSection, MANIFEST_FORMAT, Manifest, ManifestError, ManifestTarget, TokenPlacement, load_manifest};
pub use process::{Launch, ProcessTarget, request_line};
pub use registry::{Make, Spec, adapter_dirs, in_process, specs};

pub use rust_josekit::{RustJosekit, VERSION as RUST_JOSEKIT_VERSION};
pub use rust_jsonwebtoken::{RustJsonwebtoken, RustJsonwebtoken9, RustJsonwebtoken10, RustJsonwebtoken11, VERSION as RUST_JSONWEBTOKEN_VERSION};
pub use rust_jwt_compact::{RustJwtCompact, VERSION as RUST_JWT_COMPACT_VERSION};
pub use rust_jwt_simple::{RustJwtSimple, VERSION as RUST_JWT_SIMPLE_VERSION};
pub use rust_openidconnect::{RustOpenidconnect, VERSION as RUST_OPENIDCONNECT_VERSION};

use crate::model::{Alg, AudienceMode, FailureKind, Reason};
use crate::token::PublicKey;
use serde_json::Value;
use std::panic::{AssertUnwindSafe, catch_unwind};

/// What a validator can be asked to do.
#[derive(Debug, Clone, PartialEq)]
pub struct Capabilities {
    pub algorithms: Vec<Alg>,
    pub audience: AudienceMode,
    /// Whether the validator can run with no expected audience configured (services that
    /// must be started with one cannot).
    pub no_audience: bool,
    /// A running service's fixed expected audience: cases configuring another are skipped.
    pub fixed_audience: Option<Vec<String>>,
    /// The issuer the validator expects, when it is fixed (a service configured for one):
    /// tokens are then issued by it instead of the suites' issuer.
    pub issuer: Option<String>,
}

/// Who a validator is.
#[derive(Debug, Clone, PartialEq)]
pub struct Identity {
    pub name: String,
    pub library: String,
    pub version: String,
    pub language: String,
    pub transport: String,
    pub options: Value,
    pub capabilities: Capabilities,
    /// The target models a documented misuse (audiences as unanchored RegExp, the check
    /// switched off): reports keep it apart from targets configured as documented.
    pub misuse: bool,
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
        capabilities: Capabilities { algorithms: algorithms.to_vec(), audience, no_audience: true, fixed_audience: None, issuer: None },
        misuse: false,
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
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
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

/// Why a validator gave no verdict. The message says what happened; the kind, which part
/// failed. audcheck's own faults (it cannot sign, serve keys or write) are never a Failure:
/// they end the run as audcheck's errors.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Failure {
    /// The process exited, the library panicked, or the adapter reported its own failure.
    #[error("{0}")]
    Crash(String),
    /// An answer the protocol does not allow: not JSON, an unknown id, a missing field, an
    /// unexpected HTTP status.
    #[error("{0}")]
    Protocol(String),
    /// The adapter or service could not be started, or did not become ready.
    #[error("{0}")]
    CannotStart(String),
    /// Its install step failed.
    #[error("{0}")]
    InstallFailed(String),
    /// The request was refused before the validator saw it (a web server's size limit):
    /// the case could not be put to the validator, which is no fault of the validator.
    #[error("{0}")]
    Refused(String),
    /// No answer within the per-case timeout (milliseconds).
    #[error("no answer within {0} ms")]
    Hang(u64),
}

impl Failure {
    pub fn kind(&self) -> FailureKind {
        match self {
            Failure::Crash(_) => FailureKind::Crash,
            Failure::Protocol(_) => FailureKind::Protocol,
            Failure::CannotStart(_) => FailureKind::CannotStart,
            Failure::InstallFailed(_) => FailureKind::InstallFailed,
            Failure::Refused(_) => FailureKind::Refused,
            Failure::Hang(_) => FailureKind::Hang,
        }
    }
}

/// How a transport takes its requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Concurrency {
    /// One batch at a time, verified in order.
    Serial,
    /// Requests may be verified on several threads at once (a thread-safe library).
    Parallel,
    /// Whole batches in one call: the transport keeps several requests in flight.
    Pipelined,
}

/// A validator audcheck can drive.
pub trait Validator: Send + Sync {
    /// Identity and capabilities, known once the validator is started.
    fn identity(&self) -> &Identity;
    /// The verdicts on a batch of tokens. The contract every transport keeps: exactly one
    /// result per request, in the order of the requests.
    fn verify_batch(&self, requests: &[Request<'_>]) -> Vec<Result<Verdict, Failure>>;
    /// Why the validator cannot be used at all (an adapter that will not start), if so.
    fn unavailable(&self) -> Option<&Failure> {
        None
    }
    fn concurrency(&self) -> Concurrency {
        Concurrency::Serial
    }
    /// Whether a second batch costs more than its requests (a service restarted for each
    /// validator input): then each case's twin goes in the same batch as the case.
    fn twins_beside_cases(&self) -> bool {
        false
    }
}

/// A library called in this process, one token at a time: every in-process Rust target,
/// and the validators tests plant.
pub trait Library: Send + Sync {
    fn identity(&self) -> &Identity;
    fn verify(&self, request: &Request<'_>) -> Result<Verdict, Failure>;
    /// Whether `verify` may be called from several threads at once.
    fn parallel(&self) -> bool {
        false
    }
}

impl<L: Library> Validator for L {
    fn identity(&self) -> &Identity {
        Library::identity(self)
    }

    /// A panic inside the library is a crash of that one case, not of the run.
    fn verify_batch(&self, requests: &[Request<'_>]) -> Vec<Result<Verdict, Failure>> {
        requests.iter().map(|r| catch_unwind(AssertUnwindSafe(|| self.verify(r))).unwrap_or_else(|p| Err(Failure::Crash(panic_message(p))))).collect()
    }

    fn concurrency(&self) -> Concurrency {
        if self.parallel() { Concurrency::Parallel } else { Concurrency::Serial }
    }
}

fn panic_message(panic: Box<dyn std::any::Any + Send>) -> String {
    let msg = panic.downcast_ref::<String>().cloned().or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()));
    format!("the library panicked: {}", msg.unwrap_or_else(|| "(no message)".into()))
}
