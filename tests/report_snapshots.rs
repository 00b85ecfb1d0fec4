//! The reports of the Rust targets on the core suite, snapshot-tested: a change in a
//! library's behaviour shows up as a snapshot diff.

mod common;

use audcheck::target::RustJsonwebtoken;

fn check(require_aud: bool, name: &str) {
    let target = RustJsonwebtoken::new(require_aud);
    let report = common::report(&target, common::cases("suites/core.json"));
    insta::assert_snapshot!(format!("{name}.json"), common::stable_json(&report));
    insta::assert_snapshot!(format!("{name}.md"), audcheck::report::markdown(&report, false));
}

#[test]
fn rust_jsonwebtoken_core() {
    check(false, "rust-jsonwebtoken-core");
}

#[test]
fn rust_jsonwebtoken_require_aud_core() {
    check(true, "rust-jsonwebtoken+require-aud-core");
}
