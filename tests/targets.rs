//! One test per target, generated from the in-process list and the adapter manifests, so
//! targets run in parallel and one failure does not hide the rest. Each runs the standard
//! suites through the real library (adapters install on first use) and compares every
//! verdict with the committed report, reports/<target>.json: the one source of truth.
//!
//! `cargo test --test targets -- NAME` runs the targets whose name contains NAME.

mod common;

use audcheck::model::Outcome;
use audcheck::report::Report;
use audcheck::validator::{Spec, adapter_dirs, specs};
use libtest_mimic::{Arguments, Failed, Trial};

fn main() {
    let args = Arguments::from_args();
    let dirs = adapter_dirs(&common::repo().join("adapters"));
    let trials = specs(&dirs)
        .expect("the shipped manifests load")
        .into_iter()
        .map(|spec| {
            let kind = match spec {
                Spec::InProcess { .. } => "in-process",
                Spec::Process { .. } => "adapter",
                Spec::Http { .. } => "service",
            };
            Trial::test(spec.name().to_string(), move || check(&spec)).with_kind(kind)
        })
        .collect();
    libtest_mimic::run(&args, trials).exit();
}

fn check(spec: &Spec) -> Result<(), Failed> {
    let target = spec.start();
    if let Some(why) = target.unavailable() {
        return Err(format!("{} would not start: {why}", spec.name()).into());
    }
    let report = common::report(target.as_ref(), common::standard());
    drop(target);
    no_unexpected_failures(spec, &report)?;
    junit_is_well_formed(&report)?;
    common::assert_committed(&report);
    Ok(())
}

/// Controls and cases got verdicts. A service may refuse a 400 KB header (400, 431) or an
/// empty expected audience at start or at its configure endpoint; a library may crash on odd input (an exception its
/// API does not document, which the adapter reports as an error) or refuse a configuration,
/// and the committed report records each such failure. Any other missing verdict is a broken adapter.
fn no_unexpected_failures(spec: &Spec, report: &Report) -> Result<(), Failed> {
    let http = matches!(spec, Spec::Http { .. });
    let committed = audcheck::report::read(&common::repo().join("reports").join(format!("{}.json", spec.name()))).ok();
    let recorded = |r: &audcheck::report::ResultRow| {
        committed.as_ref().and_then(|c| c.results.iter().find(|x| x.id == r.id)).is_some_and(|x| x.failure.is_some() && x.detail == r.detail)
    };
    let errors: Vec<String> = report
        .results
        .iter()
        .filter(|r| r.outcomes.values().any(|o| matches!(o, Outcome::Error | Outcome::Hang)))
        .filter(|r| !(http && (r.family == "size" || r.detail.as_deref().is_some_and(|d| d.contains("before it was ready") || d.contains("did not take the configuration")))))
        // A crash on odd input, or a configuration the library refuses (openidconnect's
        // issuer must be a URL), recorded as such in the committed report.
        .filter(|r| !(matches!(r.failure, Some(audcheck::model::FailureKind::Crash | audcheck::model::FailureKind::CannotStart)) && recorded(r)))
        .map(|r| format!("{}: {:?}", r.id, r.detail))
        .collect();
    if errors.is_empty() { Ok(()) } else { Err(format!("{}: no verdict on {errors:#?}", spec.name()).into()) }
}

/// The JUnit file parses as XML (the standard suites hold control characters and markup
/// in audiences) and has one test case per case and profile.
fn junit_is_well_formed(report: &Report) -> Result<(), Failed> {
    let xml = audcheck::report::junit(report);
    let mut reader = quick_xml::Reader::from_str(&xml);
    let mut testcases = 0;
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e)) if e.name().into_inner() == "testcase" => testcases += 1,
            Ok(_) => {}
            Err(e) => return Err(format!("{}: JUnit XML does not parse at {}: {e}", report.target.name, reader.buffer_position()).into()),
        }
    }
    let want = report.results.len() * report.profiles.len();
    if testcases == want { Ok(()) } else { Err(format!("{}: {testcases} JUnit test cases, not {want}", report.target.name).into()) }
}
