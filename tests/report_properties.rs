//! Property tests over generated reports: whatever the verdicts, the summary is a recount
//! of the results, the Markdown anomalies list exactly the failure outcomes, the matrix
//! cells count each report's worst outcomes, a report reads back as written, and a report
//! compared with itself has no change.

mod common;

use audcheck::model::{Alg, Expectation, Family, Importance, KeyChoice, Outcome, Profile, Reason};
use audcheck::report::{self, Report, RunMeta};
use audcheck::run::{Attempt, CaseResult, Prepared, TargetRun, Twin, TwinVerdict, judge};
use audcheck::suite::{Case, Payload};
use audcheck::token::Token;
use audcheck::validator::{Failure, Verdict};
use proptest::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

/// Ids, titles and messages include markup and control characters: the renderings must
/// stay well-formed whatever the suites and libraries say.
const HOSTILE: [&str; 5] = ["</script>", "<!--<script>", "<img src=x onerror=alert(1)>", "]]><![CDATA[", "a|b\nc\u{0}d"];

fn attempt() -> impl Strategy<Value = Attempt> {
    let message = prop_oneof![Just("InvalidAudience".to_string()), (0..HOSTILE.len()).prop_map(|i| HOSTILE[i].to_string())];
    prop_oneof![
        4 => Just(Attempt::Verdict(Verdict::accepted())),
        4 => (0..Reason::ALL.len(), message.clone()).prop_map(|(r, m)| Attempt::Verdict(Verdict::rejected(Reason::ALL[r], m))),
        1 => Just(Attempt::Skipped("the target does not support ES256".into())),
        1 => message.clone().prop_map(|m| Attempt::Failed(Failure::Crash(m))),
        1 => message.prop_map(|m| Attempt::Failed(Failure::Protocol(m))),
        1 => Just(Attempt::Failed(Failure::Hang(5000))),
    ]
}

fn expectations() -> impl Strategy<Value = BTreeMap<Profile, Expectation>> {
    proptest::collection::vec(0..Expectation::ALL.len(), Profile::ALL.len())
        .prop_map(|v| Profile::ALL.iter().zip(v).map(|(p, e)| (*p, Expectation::ALL[e])).collect())
}

fn case(i: usize, expect: BTreeMap<Profile, Expectation>, family: usize, importance: usize) -> Case {
    let families = [Family::WRONG, Family::ARRAY, Family::TYPE, Family::new("my-own").unwrap()];
    Case {
        id: format!("gen/case-{i}"),
        family: families[family % families.len()].clone(),
        title: format!("case {i} {}", HOSTILE[i % HOSTILE.len()]),
        description: None,
        spec: vec!["RFC7519-4.1.3".into()],
        importance: Importance::ALL[importance % Importance::ALL.len()],
        payload: Payload::Claims { claims: serde_json::json!({"aud": HOSTILE[i % HOSTILE.len()]}).as_object().unwrap().clone(), remove: vec![] },
        header: Default::default(),
        audience: Some(vec!["https://api.example.com".into()]),
        issuer: Some("https://auth.example.com".into()),
        alg: Alg::RS256,
        alg_given: false,
        key: KeyChoice::Default,
        expect: Expectation::Accept,
        profiles: expect,
        reason: Reason::Audience,
        twin_raw: None,
    }
}

/// A report of `n` generated cases judged under some profiles.
fn report(name: &'static str) -> impl Strategy<Value = Report> {
    let twin = prop_oneof![Just(None), attempt().prop_map(Some)];
    let row = ((expectations(), attempt(), twin), 0..4usize, 0..4usize);
    (proptest::collection::vec(row, 1..24), proptest::sample::subsequence(Profile::ALL.to_vec(), 1..=Profile::ALL.len()), any::<bool>()).prop_map(
        move |(rows, profiles, trusted)| {
            let mut prepared = Vec::new();
            let mut results = Vec::new();
            for (i, ((expect, attempt, twin), family, importance)) in rows.into_iter().enumerate() {
                let case = case(i, expect, family, importance);
                // A twin is sent only for a rejected case.
                let twin = twin.filter(|_| matches!(&attempt, Attempt::Verdict(v) if !v.accepted));
                let outcomes = profiles.iter().map(|&p| (p, judge(case.expectation(p), case.reason, &attempt, twin.as_ref().map(|a| TwinVerdict { attempt: a, must_accept: true })))).collect();
                let token = Token { compact: "x.y.z".into(), alg: Alg::RS256, header: Default::default() };
                prepared.push(Prepared { case, twin: Some(Twin { token: token.clone(), must_accept: Profile::ALL.to_vec() }), token, control: false });
                results.push(CaseResult { attempt, twin, outcomes });
            }
            let mut identity = common::planted_identity(name, Alg::ALL.to_vec(), audcheck::model::AudienceMode::AnyOf);
            identity.misuse = name.ends_with("misuse");
            let run = TargetRun { identity, trusted, untrusted_because: vec![], results, duration: Default::default() };
            report::build(&run, &prepared, &profiles, RunMeta::default())
        },
    )
}

/// The ids of the cases listed under `### <kind>: N cases (M case x profile results)` in
/// the Markdown anomalies.
fn listed_anomalies(md: &str) -> BTreeMap<Outcome, BTreeSet<String>> {
    let section = md.split("## Anomalies").nth(1).unwrap().split("\n## ").next().unwrap();
    let mut out: BTreeMap<Outcome, BTreeSet<String>> = BTreeMap::new();
    let mut kind = None;
    for line in section.lines() {
        if let Some(h) = line.strip_prefix("### ") {
            let (name, n) = h.split_once(": ").unwrap();
            kind = Some(name.parse::<Outcome>().unwrap());
            out.insert(kind.unwrap(), BTreeSet::new());
            let n: usize = n.split(' ').next().unwrap().parse().unwrap();
            assert!(n > 0, "an empty heading: {line}");
        } else if let (Some(k), Some(id)) = (kind, line.strip_prefix("| `").and_then(|l| l.split('`').next())) {
            out.get_mut(&k).unwrap().insert(id.to_string());
        }
    }
    out
}

/// What a matrix cell should say for these outcomes: counts of each failure, worst first.
fn expected_cell(outcomes: &[Outcome]) -> String {
    let marks = [(Outcome::Bypass, "B"), (Outcome::FalseReject, "FR"), (Outcome::WrongReason, "WR"), (Outcome::Error, "E"), (Outcome::Hang, "H")];
    let parts: Vec<String> =
        marks.iter().filter_map(|(o, m)| Some(outcomes.iter().filter(|x| *x == o).count()).filter(|n| *n > 0).map(|n| format!("{m} {n}"))).collect();
    if !parts.is_empty() {
        parts.join(" · ")
    } else if outcomes.iter().all(|o| *o == Outcome::Skipped) {
        "–".into()
    } else {
        "ok".into()
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn the_summary_is_a_recount_of_the_results(r in report("gen-a")) {
        for p in &r.profiles {
            for o in Outcome::ALL {
                let n = r.results.iter().filter(|x| x.outcomes.get(p) == Some(o)).count();
                prop_assert_eq!(r.summary[p][o], n, "{} {}", p, o);
            }
            prop_assert_eq!(r.summary[p].values().sum::<usize>(), r.results.len());
        }
        prop_assert_eq!(r.summary.len(), r.profiles.len());
    }

    #[test]
    fn the_anomalies_list_exactly_the_failure_outcomes(r in report("gen-a")) {
        let listed = listed_anomalies(&report::markdown(&r, false));
        for o in Outcome::ALL.iter().filter(|o| o.is_failure()) {
            let want: BTreeSet<String> = r.results.iter().filter(|x| x.outcomes.values().any(|y| y == o)).map(|x| x.id.clone()).collect();
            prop_assert_eq!(listed.get(o).cloned().unwrap_or_default(), want, "{}", o);
        }
        prop_assert!(listed.keys().all(|o| o.is_failure()));
    }

    #[test]
    fn matrix_cells_count_each_reports_outcomes(a in report("gen-a"), b in report("gen-b-misuse")) {
        let md = report::matrix_markdown(&[a.clone(), b.clone()]);
        let by_profile = md.split("## Targets by profile").nth(1).unwrap().split("\n## ").next().unwrap();
        for r in [&a, &b] {
            let line = by_profile.lines().find(|l| l.starts_with(&format!("| [{}]", r.target.name))).unwrap();
            prop_assert_eq!(line.contains("documented misuse"), r.target.misuse);
            let cells: Vec<&str> = line.split(" | ").skip(3).map(|c| c.trim_end_matches(" |")).collect();
            for (k, p) in Profile::ALL.iter().enumerate() {
                let want = if r.profiles.contains(p) {
                    expected_cell(&r.results.iter().filter_map(|x| x.outcomes.get(p).copied()).collect::<Vec<_>>())
                } else {
                    "(not judged)".into()
                };
                prop_assert_eq!(cells[k].trim(), want.as_str(), "{} {}: {}", r.target.name, p, line);
            }
        }
        // Misuse targets stay out of the worst anomalies.
        let worst = md.split("## Worst anomalies").nth(1).unwrap().split("\n## ").next().unwrap();
        prop_assert!(!worst.contains("gen-b-misuse"));
    }

    #[test]
    fn a_report_reads_back_and_differs_from_itself_in_nothing(r in report("gen-a")) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("gen-a.json");
        std::fs::write(&path, r.to_json()).unwrap();
        let back = report::read(&path).unwrap();
        prop_assert_eq!(&back, &r);
        let d = report::diff(&r, &back);
        prop_assert!(d.changes.is_empty(), "{:?}", d.changes);
        prop_assert_eq!(d.verdict_changes(), 0);
    }

    #[test]
    fn renderings_stay_well_formed(r in report("gen-a")) {
        let xml = report::junit(&r);
        let mut reader = quick_xml::Reader::from_str(&xml);
        loop {
            match reader.read_event() {
                Ok(quick_xml::events::Event::Eof) => break,
                Ok(_) => {}
                Err(e) => prop_assert!(false, "JUnit XML does not parse: {e}"),
            }
        }
        let md = report::markdown(&r, false);
        for line in md.lines().filter(|l| l.starts_with("| `gen/")) {
            // Code spans are shown literally; everything else must hold no markup.
            let outside: String = line.split('`').step_by(2).collect();
            prop_assert!(!outside.contains('<') && !line.contains(|c: char| c.is_control()), "markup or a control character in a cell: {line}");
        }
        let page = report::html(std::slice::from_ref(&r));
        let data = page.split("id=\"data\">").nth(1).unwrap().split("</script>").next().unwrap();
        prop_assert!(!data.contains('<'), "the embedded data opens or ends an element");
    }
}
