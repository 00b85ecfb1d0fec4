//! Every shipped adapter and HTTP service on the standard suites, through the real library, snapshotted:
//! a change in a library's behaviour shows up as a snapshot diff. Adapters are installed
//! on first use (npm ci, pip install into the adapter's folder).

mod common;

use audcheck::model::Outcome;
use audcheck::target::{Spec, adapter_dirs, specs};

#[test]
fn shipped_adapters_on_the_standard_suites() {
    let dirs = adapter_dirs(&common::repo().join("adapters"));
    assert!(!dirs.is_empty(), "no adapters found");
    let cases = common::standard_cases();
    let mut failures = Vec::new();
    for spec in specs(&dirs).unwrap().iter().filter(|s| !matches!(s, Spec::InProcess { .. })) {
        let target = spec.start();
        if let Some(why) = target.unavailable() {
            failures.push(format!("{}: {why}", spec.name()));
            continue;
        }
        let report = common::report(target.as_ref(), cases.clone());
        assert!(report.target.trusted, "{} failed a control: {:?}", spec.name(), report.target.untrusted_because);
        // A service may refuse a 400 KB header (400, 431) or an empty expected audience at start;
        // any other failure to give a verdict is a broken adapter.
        let http = matches!(spec, Spec::Http { .. });
        let errors: Vec<_> = report
            .results
            .iter()
            .filter(|r| r.outcomes.values().any(|o| matches!(o, Outcome::Error | Outcome::Hang)))
            .filter(|r| !(http && (r.family == "size" || r.detail.as_deref().is_some_and(|d| d.contains("before it was ready")))))
            .map(|r| format!("{}: {:?}", r.id, r.detail))
            .collect();
        assert!(errors.is_empty(), "{}: {errors:#?}", spec.name());
        insta::assert_snapshot!(format!("{}.verdicts", spec.name()), common::redact_times(&common::verdict_lines(&report)));
        insta::assert_snapshot!(format!("{}.md", spec.name()), common::redact_times(&audcheck::report::markdown(&report, false)));
        common::assert_committed(&report);
    }
    assert!(failures.is_empty(), "adapters that would not start: {failures:#?}");
}
