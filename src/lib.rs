//! audcheck: a property-based conformance test harness for JWT audience (`aud`) validation.
//!
//! Data flows one way: suite -> case -> token -> target -> verdict -> outcome -> report.

pub mod explain;
pub mod export;
pub mod model;
pub mod generate;
pub mod report;
pub mod run;
pub mod suite;
pub mod target;
pub mod token;
