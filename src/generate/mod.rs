//! Property-based generation: proptest strategies for validator inputs and token
//! audiences, and the oracle that says what each profile requires of any pair.

pub mod oracle;
mod mutation;
mod strategy;

pub use mutation::Mutation;
pub use strategy::{Probe, Recipe, identifier, probe};
