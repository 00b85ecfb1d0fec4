//! The session as a library call, with validators written for the test: reports come back
//! in the plan's order and are written as each target ends, the baseline is read before
//! it is replaced, and a run in which every case was skipped has tested nothing.

mod common;

use audcheck::model::{Alg, AudienceMode, Profile, Reason};
use audcheck::report::{Format, Writer};
use audcheck::session::{self, Output, Plan, Quiet, SessionError};
use audcheck::validator::{Failure, Identity, Library, Request, Spec, Verdict};

/// Accepts exactly the expected audiences; rejects anything else.
struct Exact(Identity);

impl Library for Exact {
    fn identity(&self) -> &Identity {
        &self.0
    }
    fn verify(&self, r: &Request<'_>) -> Result<Verdict, Failure> {
        audcheck::validator::RustJsonwebtoken::new(true).verify(r).map(|v| if v.accepted { v } else { Verdict::rejected(v.reason.unwrap_or(Reason::Other), "no") })
    }
}

fn spec(name: &'static str, algorithms: Vec<Alg>) -> Spec {
    Spec::in_process(name, move || Box::new(Exact(common::planted_identity(name, algorithms.clone(), AudienceMode::AnyOf))))
}

fn plan(targets: Vec<Spec>) -> Plan {
    Plan {
        cases: common::cases("tests/fixtures/conformant.json"),
        targets,
        profiles: vec![Profile::Rfc7519],
        property: None,
        jobs: 2,
        clock: common::clock(),
        suites: vec!["tests/fixtures/conformant.json".into()],
        raw_messages: false,
    }
}

#[test]
fn reports_come_back_in_the_plans_order_and_are_written() {
    let dir = tempfile::tempdir().unwrap();
    let output = Output { writer: Writer { dir: dir.path().to_path_buf(), formats: vec![Format::Json], step_summary: None }, baseline: None };
    let names = ["test-c", "test-a", "test-b"];
    let finished = session::run(plan(names.iter().map(|n| spec(n, Alg::ALL.to_vec())).collect()), Some(&output), &Quiet).unwrap();
    let got: Vec<&str> = finished.done.iter().map(|d| d.report.target.name.as_str()).collect();
    assert_eq!(got, names);
    assert!(finished.conformant() && !finished.nothing_ran());
    assert_eq!(finished.executed(), 3 * 2, "two cases on each of three targets");
    for n in names {
        let r = audcheck::report::read(&dir.path().join(format!("{n}.json"))).unwrap();
        assert_eq!(r.run.suites, vec!["tests/fixtures/conformant.json"]);
        assert_eq!((r.run.started.as_str(), r.run.duration_ms, r.run.clock_now), ("", 0, None), "times stay out of reports");
    }
    let log: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(dir.path().join("run-log.json")).unwrap()).unwrap();
    assert_eq!(log["clock_now"], common::clock().now(), "the run log has the clock");
    assert_eq!(log["targets"].as_object().unwrap().len(), 3, "and each target's time");
    assert!(dir.path().join("README.md").is_file(), "the matrix over the folder");
}

#[test]
fn every_case_skipped_is_nothing_ran() {
    // A running service that expects another audience than every case configures.
    let elsewhere = Spec::in_process("test-elsewhere", || {
        let mut id = common::planted_identity("test-elsewhere", Alg::ALL.to_vec(), AudienceMode::AnyOf);
        id.capabilities.fixed_audience = Some(vec!["https://elsewhere.example".into()]);
        Box::new(Exact(id))
    });
    let finished = session::run(plan(vec![elsewhere]), None, &Quiet).unwrap();
    assert!(finished.nothing_ran());
    assert_eq!(finished.executed(), 0);
}

#[test]
fn the_baseline_is_read_before_the_report_replaces_it() {
    let dir = tempfile::tempdir().unwrap();
    let output = Output { writer: Writer { dir: dir.path().to_path_buf(), formats: vec![Format::Json], step_summary: None }, baseline: Some(dir.path().to_path_buf()) };
    let first = session::run(plan(vec![spec("test-exact", Alg::ALL.to_vec())]), Some(&output), &Quiet).unwrap();
    assert!(first.done[0].baseline.is_none(), "nothing to compare the first time");
    // Change the written report by hand: the next run must compare with that, then replace it.
    let path = dir.path().join("test-exact.json");
    let edited = std::fs::read_to_string(&path).unwrap().replace("\"accepted\": true", "\"accepted\": false");
    std::fs::write(&path, &edited).unwrap();
    let second = session::run(plan(vec![spec("test-exact", Alg::ALL.to_vec())]), Some(&output), &Quiet).unwrap();
    let old = second.done[0].baseline.as_ref().expect("the earlier report");
    assert!(old.results.iter().all(|r| r.verdict.as_ref().is_none_or(|v| !v.accepted)));
    assert_ne!(std::fs::read_to_string(&path).unwrap(), edited, "then replaced");
}

#[test]
fn plans_that_cannot_run_fail_before_any_target_runs() {
    let mut empty = plan(vec![spec("test-x", Alg::ALL.to_vec())]);
    empty.cases.clear();
    assert!(matches!(session::run(empty, None, &Quiet), Err(SessionError::NoCases)));

    let dir = tempfile::tempdir().unwrap();
    let file = common::write_temp(dir.path(), "a-file", "");
    let output = Output { writer: Writer { dir: file.join("sub"), formats: vec![Format::Json], step_summary: None }, baseline: None };
    let e = session::run(plan(vec![spec("test-x", Alg::ALL.to_vec())]), Some(&output), &Quiet).err().expect("an unwritable folder");
    assert!(matches!(e, SessionError::Write(_)) && !e.is_input(), "{e}");

    let output = Output { writer: Writer { dir: dir.path().join("out"), formats: vec![Format::Json], step_summary: None }, baseline: Some(dir.path().join("nope")) };
    let e = session::run(plan(vec![spec("test-x", Alg::ALL.to_vec())]), Some(&output), &Quiet).err().expect("a missing baseline");
    assert!(e.is_input() && e.to_string().contains("nope"), "{e}");
}
