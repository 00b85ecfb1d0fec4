//! The reports of the Rust targets on the core suite, snapshot-tested: a change in a
//! library's behaviour shows up as a snapshot diff.

mod common;

use audcheck::target::RustJsonwebtoken;

fn check(require_aud: bool, name: &str) {
    let target = RustJsonwebtoken::new(require_aud);
    let report = common::report(&target, common::cases("suites/core.json"));
    insta::assert_snapshot!(format!("{name}.json"), common::stable_json(&report));
    insta::assert_snapshot!(format!("{name}.md"), audcheck::report::markdown(&report, false));
    insta::assert_snapshot!(format!("{name}.junit.xml"), common::redact_times(&audcheck::report::junit(&report)));
    insta::assert_snapshot!(format!("{name}.summary.md"), audcheck::report::step_summary(&report));
}

#[test]
fn rust_jsonwebtoken_core() {
    check(false, "rust-jsonwebtoken-core");
}

#[test]
fn rust_jsonwebtoken_require_aud_core() {
    check(true, "rust-jsonwebtoken+require-aud-core");
}

/// Every in-process target on the standard suites.
#[test]
fn in_process_targets_standard() {
    let cases = common::standard_cases();
    for spec in audcheck::target::in_process() {
        let target = spec.start();
        let report = common::report(target.as_ref(), cases.clone());
        insta::assert_snapshot!(format!("{}-standard.verdicts", spec.name()), common::verdict_lines(&report));
        insta::assert_snapshot!(format!("{}-standard.md", spec.name()), audcheck::report::markdown(&report, false));
        junit_is_well_formed(&report);
        common::assert_committed(&report);
    }
}

/// The JUnit file parses as XML (the standard suites hold control characters and markup
/// in audiences) and has one test case per case and profile.
fn junit_is_well_formed(report: &audcheck::report::Report) {
    let xml = audcheck::report::junit(report);
    let mut reader = quick_xml::Reader::from_str(&xml);
    let mut testcases = 0;
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e)) if e.name().into_inner() == "testcase" => testcases += 1,
            Ok(_) => {}
            Err(e) => panic!("{}: JUnit XML does not parse at {}: {e}", report.target.name, reader.buffer_position()),
        }
    }
    assert_eq!(testcases, report.results.len() * report.profiles.len(), "{}", report.target.name);
}

/// The property section for a fixed seed: the generator and shrinking are deterministic.
#[test]
fn rust_jsonwebtoken_fuzz_section() {
    use audcheck::model::Profile;
    use audcheck::run::{FuzzConfig, fuzz};
    let target = RustJsonwebtoken::new(false);
    let run = fuzz(&target, audcheck::token::Keys::test(), audcheck::token::Clock::system(), &FuzzConfig::new(1000, 1, Profile::ALL.to_vec()));
    let section = audcheck::report::fuzz_section(&run);
    insta::assert_snapshot!("rust-jsonwebtoken-fuzz.md", audcheck::report::fuzz_markdown(&section, "rust-jsonwebtoken"));
}

/// The matrix and the page over a small set of reports (the core suite, the current
/// jsonwebtoken with and without required aud, and an earlier release for the release
/// matrix): their formats, snapshotted.
#[test]
fn matrix_and_page_formats() {
    let cases = common::cases("suites/core.json");
    let targets: Vec<Box<dyn audcheck::target::Target>> =
        vec![Box::new(RustJsonwebtoken::new(false)), Box::new(RustJsonwebtoken::new(true)), Box::new(audcheck::target::RustJsonwebtoken9::new())];
    let reports: Vec<_> = targets.iter().map(|t| common::report(t.as_ref(), cases.clone())).collect();
    insta::assert_snapshot!("matrix.md", audcheck::report::matrix_markdown(&reports));
    let page = audcheck::report::html(&reports);
    assert!(!page.contains("src=\"http") && !page.contains("href=\"http://") && !page.contains("@import"), "no external assets");
    insta::assert_snapshot!("index.html", page);
}
