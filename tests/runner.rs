//! The runner with test-only targets: panics, capabilities and failed controls.

mod common;

use audcheck::model::{Alg, AudienceMode, Outcome, Profile};
use audcheck::validator::{Failure, Identity, Library, Request, RustJsonwebtoken, Verdict};

/// A test-only target whose verdict is a function of the request.
struct Planted {
    identity: Identity,
    verdict: fn(&Request<'_>) -> Result<Verdict, Failure>,
}

impl Planted {
    fn new(name: &str, algorithms: Vec<Alg>, audience: AudienceMode, verdict: fn(&Request<'_>) -> Result<Verdict, Failure>) -> Planted {
        Planted { identity: common::planted_identity(name, algorithms, audience), verdict }
    }
}

impl Library for Planted {
    fn identity(&self) -> &Identity {
        &self.identity
    }
    fn verify(&self, r: &Request<'_>) -> Result<Verdict, Failure> {
        (self.verdict)(r)
    }
}

fn outcome(report: &audcheck::report::Report, id: &str) -> Outcome {
    report.results.iter().find(|r| r.id == id).unwrap_or_else(|| panic!("no {id}")).outcomes[&Profile::Rfc7519]
}

#[test]
fn a_panic_is_an_error_for_that_case_and_the_run_goes_on() {
    let real = RustJsonwebtoken::new(false);
    let t = Planted::new("panics", Alg::ALL.to_vec(), AudienceMode::AnyOf, |r| {
        if r.id == "core/wrong-service" {
            panic!("boom in the library");
        }
        RustJsonwebtoken::new(false).verify(r)
    });
    let report = common::report(&t, common::core());
    let row = report.results.iter().find(|r| r.id == "core/wrong-service").unwrap();
    assert_eq!(row.outcomes[&Profile::Rfc7519], Outcome::Error);
    assert!(row.detail.as_deref().unwrap().contains("boom in the library"));
    let reference = common::report(&real, common::core());
    for (a, b) in report.results.iter().zip(&reference.results) {
        if a.id != "core/wrong-service" {
            assert_eq!(a.outcomes, b.outcomes, "{}", a.id);
        }
    }
    assert!(report.target.trusted);
}

#[test]
fn a_target_that_accepts_everything_is_untrusted() {
    let t = Planted::new("accepts-all", Alg::ALL.to_vec(), AudienceMode::AnyOf, |_| Ok(Verdict::accepted()));
    let report = common::report(&t, common::core());
    assert!(!report.target.trusted);
    let because = report.target.untrusted_because.join("\n");
    for c in ["control/wrong-key", "control/expired", "control/wrong-issuer"] {
        assert!(because.contains(c), "{because}");
    }
    assert!(!because.contains("control/valid"));
    assert_eq!(outcome(&report, "core/wrong-service"), Outcome::Bypass);
}

#[test]
fn capabilities_are_honoured() {
    // An HS256-only validator: cases that name no algorithm (the controls too) are signed
    // with HS256 for it; a case that names RS256 tests RS256, which it cannot take.
    let t = Planted::new("single-hs256", vec![Alg::HS256], AudienceMode::Single, |r| {
        assert_eq!(r.alg, Alg::HS256, "{} was sent with {}", r.id, r.alg);
        Ok(Verdict::accepted())
    });
    let report = common::report(&t, &common::prepare([common::cases("suites/core.json"), common::cases("suites/algorithms.json")].concat()));
    let row = common::row(&report, "core/valid-exact-string");
    assert_eq!(row.outcomes[&Profile::Rfc7519], Outcome::Pass);
    assert_eq!(row.evidence.alg, Alg::HS256);
    assert!(common::row(&report, "control/valid").verdict.is_some(), "the controls ran");
    let named = common::row(&report, "alg/rs256-valid");
    assert_eq!(named.outcomes[&Profile::Rfc7519], Outcome::Skipped);
    assert!(named.detail.as_deref().unwrap().contains("RS256"));
    assert_eq!(common::row(&report, "alg/hs256-valid").outcomes[&Profile::Rfc7519], Outcome::Pass);

    let t = Planted::new("single", Alg::ALL.to_vec(), AudienceMode::Single, |_| Ok(Verdict::accepted()));
    let report = common::report(&t, common::core());
    assert_eq!(outcome(&report, "core/multi-config-first"), Outcome::Skipped);
    assert_eq!(outcome(&report, "core/valid-exact-string"), Outcome::Pass);
}

#[test]
fn failures_become_error_and_hang() {
    let t = Planted::new("fails", Alg::ALL.to_vec(), AudienceMode::AnyOf, |r| match r.id {
        "core/wrong-service" => Err(Failure::Hang(10)),
        "core/number" => Err(Failure::Protocol("garbage".into())),
        _ => RustJsonwebtoken::new(false).verify(r),
    });
    let report = common::report(&t, common::core());
    assert_eq!(outcome(&report, "core/wrong-service"), Outcome::Hang);
    assert_eq!(outcome(&report, "core/number"), Outcome::Error);
}

#[test]
fn the_target_gets_the_validator_input() {
    let t = Planted::new("echo", Alg::ALL.to_vec(), AudienceMode::AnyOf, |r| {
        let ok = match r.id {
            "core/no-config-aud-string" => r.audience.is_none(),
            "core/trailing-slash-config" => r.audience == Some(&["https://api.example.com/".to_string()][..]),
            _ => r.issuer == Some("https://auth.example.com") && r.key.kid == "audcheck-test-rsa",
        };
        Ok(if ok { Verdict::accepted() } else { Verdict::rejected(audcheck::model::Reason::Other, "unexpected input") })
    });
    let report = common::report(&t, common::core());
    assert!(report.results.iter().all(|r| r.verdict.as_ref().is_some_and(|v| v.accepted)), "a request carried the wrong input");
}
