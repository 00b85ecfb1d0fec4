//! Causal attribution with validators written for the test: a rejection counts for the
//! audience only when the case's twin (the same token with an acceptable `aud`) is
//! accepted, whatever reason class the validator gives.

mod common;

use audcheck::model::{Alg, AudienceMode, Outcome, Profile, Reason};
use audcheck::report::{Attribution, Report};
use audcheck::validator::{Failure, Identity, Library, Request, RustJsonwebtoken, Verdict};

/// The correct library (jsonwebtoken with `aud` required), changed by `quirk`.
struct Planted {
    identity: Identity,
    quirk: fn(&Request<'_>, Verdict) -> Verdict,
}

impl Library for Planted {
    fn identity(&self) -> &Identity {
        &self.identity
    }
    fn verify(&self, r: &Request<'_>) -> Result<Verdict, Failure> {
        let v = RustJsonwebtoken::new(true).verify(r)?;
        Ok((self.quirk)(r, v))
    }
}

fn report(name: &str, quirk: fn(&Request<'_>, Verdict) -> Verdict) -> Report {
    let t = Planted { identity: common::planted_identity(name, Alg::ALL.to_vec(), AudienceMode::AnyOf), quirk };
    common::report(&t, common::standard())
}

fn typ(r: &Request<'_>) -> String {
    use base64::Engine;
    let header = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(r.token.split('.').next().unwrap()).unwrap();
    serde_json::from_slice::<serde_json::Value>(&header).unwrap()["typ"].as_str().unwrap_or("").to_string()
}

fn rejects_at_jwt(r: &Request<'_>, v: Verdict) -> Verdict {
    if typ(r).ends_with("at+jwt") { Verdict::rejected(Reason::Malformed, "typ must be JWT") } else { v }
}

fn no_reasons(_: &Request<'_>, v: Verdict) -> Verdict {
    Verdict { reason: None, error: None, ..v }
}

fn as_is(_: &Request<'_>, v: Verdict) -> Verdict {
    v
}

fn outcome(r: &Report, id: &str, p: Profile) -> Outcome {
    common::row(r, id).outcomes[&p]
}

/// Rejecting every at+jwt token "as malformed" is not an audience check: the twins (at+jwt
/// with the right audience) are rejected too.
#[test]
fn a_validator_that_rejects_every_at_jwt_token_gets_wrong_reason() {
    let r = report("test-rejects-at-jwt", rejects_at_jwt);
    for id in ["at/at-jwt-wrong-aud", "at/resource-other-path", "at/resource-prefix"] {
        assert_eq!(outcome(&r, id, Profile::Rfc9068), Outcome::WrongReason, "{id}");
        let row = common::row(&r, id);
        assert_eq!(row.attribution, Some(Attribution::Twin));
        assert_eq!(row.evidence.twin.as_ref().and_then(|t| t.verdict.as_ref()).map(|v| v.accepted), Some(false), "{id}: the twin is shown");
    }
    // A JWT-typed wrong audience is still judged on its audience.
    assert_eq!(outcome(&r, "core/wrong-service", Profile::Rfc9068), Outcome::Pass);
}

/// A library that says only true or false: its audience check shows through the twins.
#[test]
fn a_true_false_validator_gets_no_wrong_reason_on_a_correct_audience_check() {
    let r = report("test-true-false", no_reasons);
    assert!(r.target.trusted, "the controls' twins (the valid token) are accepted: {:?}", r.target.untrusted_because);
    let wrong: Vec<&str> = r.results.iter().filter(|x| x.outcomes.values().any(|o| *o == Outcome::WrongReason)).map(|x| x.id.as_str()).collect();
    // The only rejections not laid to the audience are those no twin can decide.
    for id in &wrong {
        assert_eq!(common::row(&r, id).attribution, Some(Attribution::ReasonClass), "{id}");
    }
    let reference = report("test-reference", as_is);
    let twins_decided = r.results.iter().filter(|x| x.attribution == Some(Attribution::Twin)).count();
    assert!(twins_decided > 50, "{twins_decided}");
    for (a, b) in r.results.iter().zip(&reference.results) {
        if a.attribution == Some(Attribution::Twin) {
            assert_eq!(a.outcomes, b.outcomes, "{}: the same judgement with and without reasons", a.id);
        }
    }
}

/// Still wrong-reason where a true/false library rejects for something else.
#[test]
fn a_true_false_validator_still_gets_wrong_reason_for_another_cause() {
    let r = report("test-true-false-at-jwt", |r, v| no_reasons(r, rejects_at_jwt(r, v)));
    assert_eq!(outcome(&r, "at/at-jwt-wrong-aud", Profile::Rfc9068), Outcome::WrongReason);
    assert_eq!(outcome(&r, "core/wrong-service", Profile::Rfc7519), Outcome::Pass);
}

/// The correct library is judged as it was by its reason classes.
#[test]
fn a_correct_validator_is_unchanged() {
    let r = report("test-correct", as_is);
    let mut by_twin = 0;
    for x in &r.results {
        if x.attribution == Some(Attribution::Twin) {
            by_twin += 1;
            assert!(x.evidence.twin.as_ref().unwrap().verdict.as_ref().unwrap().accepted, "{}: a correct validator accepts every twin it must accept", x.id);
        }
        assert!(!x.outcomes.values().any(|o| *o == Outcome::WrongReason), "{}: {:?}", x.id, x.outcomes);
    }
    assert!(by_twin > 50);
}

/// The property mode attributes its rejections the same way: a validator that refuses every
/// token once several audiences are configured rejects the wrong ones for that, not for
/// their audience, and the search says so.
#[test]
fn the_property_mode_finds_rejections_its_twins_show_are_not_the_audiences() {
    use audcheck::run::{FuzzConfig, fuzz};
    let t = Planted {
        identity: common::planted_identity("test-refuses-several", Alg::ALL.to_vec(), AudienceMode::AnyOf),
        quirk: |r, v| if r.audience.is_some_and(|a| a.len() > 1) { Verdict::rejected(Reason::Config, "one audience only") } else { v },
    };
    let run = fuzz(&t, audcheck::token::Keys::test(), common::clock(), &FuzzConfig::new(FuzzConfig::DEFAULT_CASES, 1, vec![Profile::Rfc7519])).unwrap();
    let wrong: Vec<_> = run.counterexamples.iter().filter(|c| c.outcome == Outcome::WrongReason).collect();
    assert!(!wrong.is_empty(), "{:#?}", run.counterexamples);
    assert!(wrong.iter().all(|c| c.probe.audience.as_ref().is_some_and(|a| a.len() > 1)), "{wrong:#?}");
    // The correct library has none.
    let correct = Planted { identity: common::planted_identity("test-correct", Alg::ALL.to_vec(), AudienceMode::AnyOf), quirk: as_is };
    let run = fuzz(&correct, audcheck::token::Keys::test(), common::clock(), &FuzzConfig::new(FuzzConfig::DEFAULT_CASES, 1, vec![Profile::Rfc7519])).unwrap();
    assert!(run.counterexamples.iter().all(|c| c.outcome != Outcome::WrongReason), "{:#?}", run.counterexamples);
}
