//! Every shipped adapter on the standard suites, through the real library, snapshotted:
//! a change in a library's behaviour shows up as a snapshot diff. Adapters are installed
//! on first use (npm ci, pip install into the adapter's folder).

mod common;

use audcheck::target::{Spec, adapter_dirs, specs};

#[test]
fn shipped_adapters_on_the_standard_suites() {
    let dirs = adapter_dirs(&common::repo().join("adapters"));
    assert!(!dirs.is_empty(), "no adapters found");
    let cases = common::standard_cases();
    let mut failures = Vec::new();
    for spec in specs(&dirs).unwrap().iter().filter(|s| matches!(s, Spec::Process { .. })) {
        let target = spec.start();
        if let Some(why) = target.unavailable() {
            failures.push(format!("{}: {why}", spec.name()));
            continue;
        }
        let report = common::report(target.as_ref(), cases.clone());
        assert!(report.target.trusted, "{} failed a control: {:?}", spec.name(), report.target.untrusted_because);
        let errors: Vec<_> = report.results.iter().filter(|r| r.verdict.is_none() && r.detail.as_deref().is_some_and(|d| !d.starts_with("the target does not") && !d.starts_with("the target takes"))).map(|r| format!("{}: {:?}", r.id, r.detail)).collect();
        assert!(errors.is_empty(), "{}: {errors:#?}", spec.name());
        insta::assert_snapshot!(format!("{}.verdicts", spec.name()), common::verdict_lines(&report));
        insta::assert_snapshot!(format!("{}.md", spec.name()), common::redact_times(&audcheck::report::markdown(&report, false)));
    }
    assert!(failures.is_empty(), "adapters that would not start: {failures:#?}");
}
