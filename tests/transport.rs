//! The process transport against deliberately broken adapters (tests/adapters/broken):
//! every fault stays with its case, and the run keeps every other case's result.

mod common;

use audcheck::model::{FailureKind, Outcome, Profile};
use audcheck::report::Report;
use audcheck::validator::{Launch, ProcessTarget, Validator};
use serde_json::{Map, Value, json};
use std::time::Duration;

fn broken(mode: &str, extra: Value, timeout_ms: u64) -> ProcessTarget {
    let mut options = Map::new();
    options.insert("mode".into(), json!(mode));
    options.extend(extra.as_object().cloned().unwrap_or_default());
    ProcessTarget::start(Launch {
        name: format!("test-broken+{mode}"),
        dir: common::repo().join("tests/adapters/broken"),
        command: vec!["python3".into(), "adapter.py".into()],
        options,
        timeout: Duration::from_millis(timeout_ms),
        misuse: false,
    })
}

fn row<'a>(r: &'a Report, id: &str) -> &'a audcheck::report::ResultRow {
    r.results.iter().find(|x| x.id == id).unwrap()
}

/// Every case but `except` got a verdict from the adapter.
fn others_have_verdicts(r: &Report, except: &str) {
    for x in &r.results {
        if x.id != except {
            assert!(x.verdict.is_some(), "{} lost its result: {:?}", x.id, x.detail);
        }
    }
}

const VICTIM: &str = "core/wrong-service";

#[test]
fn a_crash_is_an_error_for_that_case_and_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let marker = dir.path().join("crashed");
    let t = broken("crash-third", json!({ "marker": marker }), 5000);
    let r = common::report(&t, common::core());
    let errors: Vec<_> = r.results.iter().filter(|x| x.outcomes[&Profile::Rfc7519] == Outcome::Error).collect();
    assert_eq!(errors.len(), 1, "exactly the case in flight: {errors:#?}");
    let detail = errors[0].detail.as_deref().unwrap();
    assert!(detail.contains("exited") && detail.contains("crashing on purpose"), "the stderr tail is kept: {detail}");
    assert_eq!(errors[0].failure, Some(FailureKind::Crash));
    others_have_verdicts(&r, &errors[0].id);
}

#[test]
fn a_hang_is_a_hang_for_that_case_and_a_restart() {
    let t = broken("hang", json!({ "case": VICTIM }), 1500);
    let r = common::report(&t, common::core());
    assert_eq!(row(&r, VICTIM).outcomes[&Profile::Rfc7519], Outcome::Hang);
    assert_eq!(row(&r, VICTIM).failure, Some(FailureKind::Hang));
    others_have_verdicts(&r, VICTIM);
}

#[test]
fn garbage_is_an_error_quoting_the_line() {
    let t = broken("garbage", json!({ "case": VICTIM }), 5000);
    let r = common::report(&t, common::core());
    let x = row(&r, VICTIM);
    assert_eq!(x.outcomes[&Profile::Rfc7519], Outcome::Error);
    assert!(x.detail.as_deref().unwrap().contains("not JSON: this is not json"), "{:?}", x.detail);
    assert_eq!(x.failure, Some(FailureKind::Protocol));
    others_have_verdicts(&r, VICTIM);
}

#[test]
fn a_wrong_id_is_an_error_quoting_the_line() {
    let t = broken("wrong-id", json!({ "case": VICTIM }), 5000);
    let r = common::report(&t, common::core());
    let x = row(&r, VICTIM);
    assert_eq!(x.outcomes[&Profile::Rfc7519], Outcome::Error);
    assert!(x.detail.as_deref().unwrap().contains("no-such-case"), "{:?}", x.detail);
    assert_eq!(x.failure, Some(FailureKind::Protocol));
    others_have_verdicts(&r, VICTIM);
}

#[test]
fn accepting_everything_fails_the_controls() {
    let r = common::report(&broken("accept-all", json!({}), 5000), common::core());
    assert!(!r.target.trusted);
    assert_eq!(r.target.library, "broken");
}

#[test]
fn an_adapter_that_never_says_hello_gives_errors_not_a_lost_run() {
    let t = broken("no-hello", json!({}), 5000);
    assert!(t.unavailable().unwrap().to_string().contains("exited before answering hello"));
    let r = common::report(&t, common::core());
    assert!(r.results.iter().all(|x| x.outcomes[&Profile::Rfc7519] == Outcome::Error));
    assert!(r.results.iter().all(|x| x.failure == Some(FailureKind::CannotStart)));
    assert!(!r.target.trusted);
}

#[test]
fn a_program_that_does_not_exist_says_how_to_fix_it() {
    let t = ProcessTarget::start(Launch {
        name: "nothing".into(),
        dir: common::repo(),
        command: vec!["no-such-program-audcheck".into()],
        options: Map::new(),
        timeout: Duration::from_secs(1),
        misuse: false,
    });
    let why = t.unavailable().unwrap().to_string();
    assert!(why.contains("no-such-program-audcheck") && why.contains("adapters install"), "{why}");
}

/// The window keeps 32 cases in flight; an adapter that answers one every 200 ms with a
/// 5 s timeout is slow, not hung: the timeout counts from when it could take each case.
#[test]
fn a_slow_sequential_adapter_has_no_hang() {
    let t = broken("slow", json!({ "ms": 200 }), 5000);
    let r = common::report(&t, common::core());
    let failed: Vec<_> = r.results.iter().filter(|x| x.verdict.is_none()).map(|x| (&x.id, &x.detail)).collect();
    assert!(failed.is_empty(), "{failed:#?}");
    assert!(r.results.len() > 30, "more cases than the window takes in 5 s");
}
