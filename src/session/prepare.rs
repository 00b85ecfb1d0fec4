//! Tokens, made once per run and shared by every target: the built-in controls first, then
//! the cases, each with its twin where its rejection is judged (see `Case::twin`).

use super::SessionError;
use crate::model::{Alg, AudienceMode, Expectation, Profile};
use crate::generate::oracle;
use crate::run::{Prepared, Twin};
use crate::suite::{Case, Payload};
use crate::token::{self, Clock, Keys, Token};
use crate::validator::Capabilities;
use rayon::prelude::*;
use std::path::Path;

/// The built-in controls, in the suite format: a valid token, and tokens with the wrong
/// key, expired, and from the wrong issuer.
pub fn controls() -> Result<Vec<Case>, SessionError> {
    crate::suite::load_str(Path::new("<built-in controls>"), include_str!("controls.json")).map(|s| s.cases).map_err(SessionError::Controls)
}

/// How a validator needs its tokens: the algorithm of the cases that name none, the issuer
/// it expects (when fixed), and whether it requires every expected audience (its twins
/// then carry them all).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Signing {
    pub alg: Alg,
    pub issuer: Option<String>,
    pub all_of: bool,
}

impl Default for Signing {
    fn default() -> Signing {
        Signing { alg: Alg::RS256, issuer: None, all_of: false }
    }
}

impl Signing {
    /// What a validator with these capabilities needs: RS256 where it takes RS256, else the
    /// first algorithm it declares (such cases test the audience, not the algorithm).
    pub fn for_validator(caps: &Capabilities) -> Signing {
        Signing { alg: preferred_alg(&caps.algorithms), issuer: caps.issuer.clone(), all_of: caps.audience == AudienceMode::AllOf }
    }
}

/// RS256 where it is among `algorithms`, else the first.
pub fn preferred_alg(algorithms: &[Alg]) -> Alg {
    if algorithms.contains(&Alg::RS256) { Alg::RS256 } else { algorithms.first().copied().unwrap_or(Alg::RS256) }
}

/// The controls' and the cases' tokens (and twins), signed at `clock` with each case's
/// algorithm. A token audcheck cannot sign fails the whole run before any target sees a case.
pub fn prepare(cases: Vec<Case>, keys: &Keys, clock: Clock) -> Result<Vec<Prepared>, SessionError> {
    let tagged: Vec<(Case, bool)> = controls()?.into_iter().map(|c| (c, true)).chain(cases.into_iter().map(|c| (c, false))).collect();
    sign_all(tagged, &Signing::default(), keys, clock)
}

/// The same cases signed for a validator that needs another `Signing`.
pub fn resign(prepared: &[Prepared], signing: &Signing, keys: &Keys, clock: Clock) -> Result<Vec<Prepared>, SessionError> {
    let tagged = prepared.iter().map(|p| (p.case.clone(), p.control)).collect();
    sign_all(tagged, signing, keys, clock)
}

fn sign_all(tagged: Vec<(Case, bool)>, signing: &Signing, keys: &Keys, clock: Clock) -> Result<Vec<Prepared>, SessionError> {
    let mut prepared: Vec<Prepared> = tagged
        .into_par_iter()
        .map(|(case, control)| {
            let case = match &signing.issuer {
                Some(i) => case.with_issuer(i),
                None => case,
            };
            let case = Case { alg: if case.alg_given { case.alg } else { signing.alg }, ..case };
            let twin = match (control, judged_rejection(&case)) {
                (false, true) => case.twin(signing.all_of).map(|payload| twin(&case, &payload, keys, clock)).transpose()?,
                _ => None,
            };
            Ok(Prepared { token: sign(&case, &case.payload, keys, clock)?, twin, case, control })
        })
        .collect::<Result<_, SessionError>>()?;
    // A control's twin is the valid token: a control rejected while it is accepted was
    // rejected for what the control changed.
    let valid = prepared.iter().find(|p| p.control && p.case.expect == Expectation::Accept).map(|p| p.token.clone());
    for p in prepared.iter_mut().filter(|p| p.control && p.case.expect == Expectation::Reject) {
        p.twin = valid.clone().map(|token| Twin { token, must_accept: Profile::ALL.to_vec() });
    }
    Ok(prepared)
}

/// Whether some profile requires the case rejected: its rejections are judged.
fn judged_rejection(case: &Case) -> bool {
    Profile::ALL.iter().any(|p| case.expectation(*p) == Expectation::Reject)
}

/// The twin of `case` made of `payload`, with the profiles that require it accepted (by
/// the oracle). A twin no profile requires accepted still shows causality when accepted.
fn twin(case: &Case, payload: &Payload, keys: &Keys, clock: Clock) -> Result<Twin, SessionError> {
    let aud = match payload {
        Payload::Claims { claims, .. } => claims.get("aud").cloned(),
        Payload::Raw(text) => serde_json::from_str::<serde_json::Value>(text).ok().and_then(|v| v.get("aud").cloned()),
    };
    let must_accept: Vec<Profile> =
        Profile::ALL.iter().copied().filter(|p| oracle::expect(*p, aud.as_ref(), case.audience.as_deref()) == Expectation::Accept).collect();
    Ok(Twin { token: sign(case, payload, keys, clock)?, must_accept })
}

fn sign(case: &Case, payload: &Payload, keys: &Keys, clock: Clock) -> Result<Token, SessionError> {
    let text = token::payload_text(payload, clock);
    token::build(keys, &text, &case.header, case.alg, case.key).map_err(|source| SessionError::Sign { case: format!("case {}", case.id), source })
}
