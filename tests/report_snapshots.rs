//! The renderings of a report (JSON, Markdown, JUnit, step summary), the property
//! section, the matrix and the page, snapshot-tested on the core suite. What each target's
//! verdicts are is compared with the committed reports in tests/targets.rs.

mod common;

use audcheck::validator::RustJsonwebtoken;

fn check(require_aud: bool, name: &str) {
    let target = RustJsonwebtoken::new(require_aud);
    let report = common::report(&target, common::core());
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

/// The property section for a fixed seed: the generator and shrinking are deterministic.
#[test]
fn rust_jsonwebtoken_fuzz_section() {
    use audcheck::model::Profile;
    use audcheck::run::{FuzzConfig, fuzz};
    let target = RustJsonwebtoken::new(false);
    let run = fuzz(&target, audcheck::token::Keys::test(), common::clock(), &FuzzConfig::new(1000, 1, Profile::ALL.to_vec())).unwrap();
    let section = audcheck::report::fuzz_section(&run);
    insta::assert_snapshot!("rust-jsonwebtoken-fuzz.md", audcheck::report::fuzz_markdown(&section, "rust-jsonwebtoken"));
}

/// The matrix and the page over a small set of reports (the core suite, the current
/// jsonwebtoken with and without required aud, and an earlier release for the release
/// matrix): their formats, snapshotted.
#[test]
fn matrix_and_page_formats() {
    let targets: Vec<Box<dyn audcheck::validator::Validator>> =
        vec![Box::new(RustJsonwebtoken::new(false)), Box::new(RustJsonwebtoken::new(true)), Box::new(audcheck::validator::RustJsonwebtoken9::new())];
    let reports: Vec<_> = targets.iter().map(|t| common::report(t.as_ref(), common::core())).collect();
    insta::assert_snapshot!("matrix.md", audcheck::report::matrix_markdown(&reports));
    let page = audcheck::report::html(&reports);
    assert!(!page.contains("src=\"http") && !page.contains("href=\"http://") && !page.contains("@import"), "no external assets");
    insta::assert_snapshot!("index.html", page);
}
