//! Tokens, made once per run and shared by every target: the built-in controls first, then
//! the cases.

use super::SessionError;
use crate::run::Prepared;
use crate::suite::Case;
use crate::model::Alg;
use crate::token::{self, Clock, Keys};
use rayon::prelude::*;
use std::path::Path;

/// The built-in controls, in the suite format: a valid token, and tokens with the wrong
/// key, expired, and from the wrong issuer.
pub fn controls() -> Result<Vec<Case>, SessionError> {
    crate::suite::load_str(Path::new("<built-in controls>"), include_str!("controls.json")).map(|s| s.cases).map_err(SessionError::Controls)
}

/// The controls' and the cases' tokens, signed at `clock` with each case's algorithm. A
/// token audcheck cannot sign fails the whole run before any target sees a case.
pub fn prepare(cases: Vec<Case>, keys: &Keys, clock: Clock) -> Result<Vec<Prepared>, SessionError> {
    let tagged: Vec<(Case, bool)> = controls()?.into_iter().map(|c| (c, true)).chain(cases.into_iter().map(|c| (c, false))).collect();
    tagged.into_par_iter().map(|(case, control)| sign(case, control, keys, clock)).collect()
}

/// The algorithm a validator's cases are signed with when they name none: RS256 where it
/// takes RS256, else the first it declares. Such cases test the audience, not the algorithm.
pub fn preferred_alg(algorithms: &[Alg]) -> Alg {
    if algorithms.contains(&Alg::RS256) { Alg::RS256 } else { algorithms.first().copied().unwrap_or(Alg::RS256) }
}

/// The same cases for a validator that needs others: every case that names no algorithm
/// signed with `alg`, and, when the validator expects a fixed issuer, issued by it.
pub fn resign(prepared: &[Prepared], alg: Alg, issuer: Option<&str>, keys: &Keys, clock: Clock) -> Result<Vec<Prepared>, SessionError> {
    prepared
        .par_iter()
        .map(|p| {
            let case = issuer.map_or_else(|| p.case.clone(), |i| p.case.with_issuer(i));
            sign(Case { alg: if case.alg_given { case.alg } else { alg }, ..case }, p.control, keys, clock)
        })
        .collect()
}

fn sign(case: Case, control: bool, keys: &Keys, clock: Clock) -> Result<Prepared, SessionError> {
    let payload = token::payload_text(&case.payload, clock);
    match token::build(keys, &payload, &case.header, case.alg, case.key) {
        Ok(token) => Ok(Prepared { case, token, control }),
        Err(source) => Err(SessionError::Sign { case: format!("case {}", case.id), source }),
    }
}
