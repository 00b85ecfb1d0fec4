//! Tokens, made once per run and shared by every target: the built-in controls first, then
//! the cases.

use super::SessionError;
use crate::run::Prepared;
use crate::suite::Case;
use crate::token::{self, Clock, Keys};
use rayon::prelude::*;
use std::path::Path;

/// The built-in controls, in the suite format: a valid token, and tokens with the wrong
/// key, expired, and from the wrong issuer.
pub fn controls() -> Result<Vec<Case>, SessionError> {
    crate::suite::load_str(Path::new("<built-in controls>"), include_str!("controls.json")).map(|s| s.cases).map_err(SessionError::Controls)
}

/// The controls' and the cases' tokens, signed at `clock`. A token audcheck cannot sign
/// fails the whole run before any target sees a case.
pub fn prepare(cases: Vec<Case>, keys: &Keys, clock: Clock) -> Result<Vec<Prepared>, SessionError> {
    let tagged: Vec<(Case, bool)> = controls()?.into_iter().map(|c| (c, true)).chain(cases.into_iter().map(|c| (c, false))).collect();
    tagged
        .into_par_iter()
        .map(|(case, control)| {
            let payload = token::payload_text(&case.payload, clock);
            match token::build(keys, &payload, &case.header, case.alg, case.key) {
                Ok(token) => Ok(Prepared { case, token, control }),
                Err(source) => Err(SessionError::Sign { case: format!("case {}", case.id), source }),
            }
        })
        .collect()
}
