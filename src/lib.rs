//! audcheck: a property-based conformance test harness for JWT audience (`aud`) validation.
//!
//! Data flows one way: suite -> case -> token -> validator -> verdict -> outcome -> report.
//! Each module knows only those before it; `session` runs the whole flow as one call.

pub mod model;
pub mod suite;
pub mod token;
pub mod generate;
pub mod remediation;
pub mod validator;
pub mod run;
pub mod report;
pub mod session;
pub mod explain;
pub mod export;
pub mod files;
pub mod formats;
pub mod scaffold;
