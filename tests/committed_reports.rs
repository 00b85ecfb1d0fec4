//! The committed reports in reports/ are what `cargo run --release -- run` writes today:
//! the matrix and pages are regenerated and compared, every report covers the current
//! suites and names a shipped target. (The verdicts themselves are compared with a fresh
//! run in tests/report_snapshots.rs and tests/adapters.rs.)

mod common;

use audcheck::report::{self, Report};
use std::collections::BTreeSet;

const REGENERATE: &str = "the committed reports are out of date: run `cargo run --release -- run` (or `audcheck index` for README.md and index.html) and commit reports/";

fn committed() -> Vec<Report> {
    report::read_dir(&common::repo().join("reports")).unwrap()
}

fn file(name: &str) -> String {
    std::fs::read_to_string(common::repo().join("reports").join(name)).unwrap_or_else(|e| panic!("reports/{name}: {e}; {REGENERATE}"))
}

#[test]
fn matrix_and_page_match_the_reports() {
    let reports = committed();
    assert!(report::matrix_markdown(&reports) == file("README.md"), "reports/README.md: {REGENERATE}");
    assert!(report::html(&reports) == file("index.html"), "reports/index.html: {REGENERATE}");
}

#[test]
fn each_markdown_report_matches_its_json() {
    for r in committed() {
        let name = format!("{}.md", r.target.name);
        assert!(report::markdown(&r, true) == file(&name), "reports/{name}: {REGENERATE}");
    }
}

#[test]
fn every_shipped_target_has_a_report_and_every_report_a_target() {
    let dirs = audcheck::validator::adapter_dirs(&common::repo().join("adapters"));
    let shipped: BTreeSet<String> = audcheck::validator::specs(&dirs).unwrap().iter().map(|s| s.name().to_string()).collect();
    let reported: BTreeSet<String> = committed().into_iter().map(|r| r.target.name).collect();
    assert_eq!(reported, shipped, "{REGENERATE}");
}

#[test]
fn reports_cover_the_current_suites() {
    let cases = common::standard_cases();
    let controls = audcheck::session::controls().unwrap();
    for r in committed() {
        let ids: BTreeSet<&str> = r.results.iter().map(|x| x.id.as_str()).collect();
        let now: BTreeSet<&str> = cases.iter().chain(&controls).map(|c| c.id.as_str()).collect();
        assert_eq!(ids, now, "reports/{}.json holds other cases than the suites: {REGENERATE}", r.target.name);
        for row in &r.results {
            let case = cases.iter().chain(&controls).find(|c| c.id == row.id).unwrap();
            for (p, e) in &row.expect {
                assert_eq!(*e, case.expectation(*p), "reports/{}.json, case {} under {p}: {REGENERATE}", r.target.name, row.id);
            }
            assert_eq!(row.title, case.title, "reports/{}.json, case {}: {REGENERATE}", r.target.name, row.id);
        }
    }
}

/// Every shipped adapter says what to change for each family its targets fail in, and the
/// committed reports carry that advice: a new failure without advice fails here until the
/// adapter's remediation.json (or src/validator/remediation/) covers it.
#[test]
fn every_failing_family_of_a_shipped_target_has_advice() {
    let dirs = audcheck::validator::adapter_dirs(&common::repo().join("adapters"));
    let specs = audcheck::validator::specs(&dirs).unwrap();
    let mut missing = Vec::new();
    for r in committed() {
        let spec = specs.iter().find(|s| s.name() == r.target.name).unwrap();
        let advice = spec.remediation().unwrap_or_else(|| panic!("{} has no remediation file", r.target.name));
        for family in r.failing_families().keys() {
            match advice.advice(&r.target.name, family) {
                Some(a) => assert_eq!(r.remediation.get(family), Some(a), "reports/{}.json: {REGENERATE}", r.target.name),
                None => missing.push(format!("{}: {family}", r.target.name)),
            }
        }
    }
    assert!(missing.is_empty(), "failing families without advice (add them to the adapter's remediation.json):\n{}", missing.join("\n"));
}

/// The release pairs reproduce their published bugs (issue 19): each fixed release is
/// shipped, and at least eight bugs show under rfc7519 as cases that fail on the
/// vulnerable release and pass on the fixed one.
#[test]
fn the_published_bugs_show_between_their_releases() {
    let reports = committed();
    let all = report::reproductions(&reports);
    let unpaired: Vec<&str> = all.iter().filter(|r| r.fixed.is_none()).map(|r| r.bug.fixed.as_str()).collect();
    assert!(unpaired.is_empty(), "fixed releases without a report: {unpaired:?}; {REGENERATE}");
    let shown: BTreeSet<&str> =
        all.iter().filter(|r| !r.shown_under(audcheck::model::Profile::Rfc7519).is_empty()).map(|r| r.bug.url.as_str()).collect();
    assert!(shown.len() >= 8, "only {} published bugs show under rfc7519: {shown:?}", shown.len());
}
