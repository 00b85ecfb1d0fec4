//! reports/index.html in a real headless Chromium (Debian's chromium, installed by .ci/run;
//! driven by playwright-core from tests/browser): every control, set through the page's own
//! select, checkbox or heading, shows exactly what the committed JSON reports hold (worked
//! out in tests/browser/model.rs); each view survives as a link; a click shows the evidence
//! and, for a failure, the target's advice; a screenshot is saved in target/browser/.
//! A page made from hostile strings renders every row and runs nothing they smuggle in.

mod common;
#[path = "browser/driver.rs"]
mod driver;
#[path = "browser/model.rs"]
mod model;

use audcheck::model::{Family, Importance, Outcome, Profile};
use audcheck::remediation::Advice;
use audcheck::report::Report;
use driver::{cell, check, follow, select, sort, view};
use model::{NO_ADVICE, Reports, View, assert_shows, form, reorders};
use serde_json::{Value, json};
use std::path::PathBuf;

fn committed() -> Vec<Report> {
    audcheck::report::read_dir(&common::repo().join("reports")).unwrap()
}

fn committed_page() -> PathBuf {
    common::repo().join("reports/index.html")
}

#[test]
fn the_default_view_hides_untrusted_and_misuse_targets_and_the_switch_shows_them() {
    let reports = committed();
    let r = Reports::new(&reports);
    let hidden: Vec<&str> = reports.iter().filter(|x| !x.target.trusted || x.target.misuse).map(|x| x.target.name.as_str()).collect();
    assert!(!hidden.is_empty(), "the committed reports hold untrusted or documented-misuse targets");

    let shown = follow(&committed_page(), None, &[view("default"), check("all", true), view("all")]);
    let default = r.expect(&View::default());
    assert!(hidden.iter().all(|h| !default.targets.iter().any(|t| t == h)));
    assert!(default.shown.contains(&format!("; {} hidden: ", hidden.len())), "{}", default.shown);
    assert_shows("default", shown.get("default"), &default);
    assert_eq!(shown.get("default")["controls"]["all"], false);

    let all = r.expect(&View { all: true, ..View::default() });
    assert_eq!(all.targets.len(), reports.len());
    assert_shows("all", shown.get("all"), &all);
    assert_eq!(shown.get("all")["hash"], "#all=1");
}

#[test]
fn filters_in_the_page_show_what_the_reports_hold() {
    let reports = committed();
    let r = Reports::new(&reports);
    let filtered = View { profile: Some(Profile::Rfc7519), outcome: Some("bypass".into()), language: Some("rust".into()), ..View::default() };
    let expected = r.expect(&filtered);
    assert!(!expected.rows.is_empty(), "some Rust target bypasses a case under rfc7519");
    // The cell clicked: the first bypass in the first row.
    let (case, cells) = &expected.rows[0];
    let target = &cells.iter().find(|(_, o)| o == "bypass").unwrap().0;

    let shot = common::repo().join("target/browser/index.png");
    std::fs::create_dir_all(shot.parent().unwrap()).unwrap();
    let _ = std::fs::remove_file(&shot);
    let plan = [
        select("profile", "rfc7519"),
        select("outcome", "bypass"),
        select("language", "rust"),
        view("filtered"),
        cell(case, target),
        view("clicked"),
        select("outcome", ""),
        select("importance", "critical"),
        view("critical"),
        select("importance", "high"),
        view("high"),
        select("importance", "medium"),
        view("medium"),
    ];
    let shown = follow(&committed_page(), Some(&shot), &plan);
    assert_shows("filtered", shown.get("filtered"), &expected);
    assert_eq!(shown.get("filtered")["hash"], "#profile=rfc7519&outcome=bypass&language=rust");

    let details = &shown.get("clicked")["details"];
    assert_eq!(details["heading"], format!("{case} on {target}"));
    assert_eq!(details["selected"], 1);
    assert!(details["evidence"].as_str().unwrap().contains("\"alg\""));
    let (advice, _) = r.advice(target, case, Some(Profile::Rfc7519)).expect("a bypass is a failure");
    assert_eq!(details["advice"], advice, "the target's advice for the family, or the sentence that it has none");

    // Importance and above: each level keeps exactly the cases of that importance or more.
    let base = View { profile: Some(Profile::Rfc7519), language: Some("rust".into()), ..View::default() };
    let mut sizes = Vec::new();
    for (name, level) in [("critical", Importance::Critical), ("high", Importance::High), ("medium", Importance::Medium)] {
        let e = r.expect(&View { importance: Some(level), ..base.clone() });
        assert_shows(name, shown.get(name), &e);
        sizes.push(e.rows.len());
    }
    let all = r.expect(&base).rows.len();
    assert!(sizes[0] < sizes[1] && sizes[1] < sizes[2] && sizes[2] <= all, "each level shows more cases: {sizes:?} of {all}");
    assert!(std::fs::metadata(&shot).unwrap().len() > 10_000, "a screenshot in {}", shot.display());
}

#[test]
fn worst_first_orders_cases_by_the_shown_targets_outcomes_then_importance() {
    let reports = committed();
    let r = Reports::new(&reports);
    let plan = [select("order", "worst"), view("worst"), select("profile", "rfc9068"), view("rfc9068"), check("all", true), view("all")];
    let shown = follow(&committed_page(), None, &plan);
    let worst = View { worst_first: true, ..View::default() };
    let views = [
        ("worst", worst.clone()),
        ("rfc9068", View { profile: Some(Profile::Rfc9068), ..worst.clone() }),
        ("all", View { profile: Some(Profile::Rfc9068), all: true, ..worst }),
    ];
    for (name, v) in views {
        let e = r.expect(&v);
        let by_id = r.expect(&View { worst_first: false, ..v.clone() });
        assert!(reorders(&e.rows, &by_id.rows), "{name}: worst first differs from the order by id");
        let first = &e.rows[0].1;
        assert!(first.iter().any(|(_, o)| o == "bypass"), "{name}: a bypassed case comes first");
        assert_shows(name, shown.get(name), &e);
    }
    assert_eq!(shown.get("all")["hash"], "#profile=rfc9068&order=worst&all=1");
}

#[test]
fn the_summary_sorts_by_a_clicked_heading_and_reverses_on_a_second_click() {
    let reports = committed();
    let r = Reports::new(&reports);
    let plan = [
        sort("bypass"),
        view("bypass"),
        sort("bypass"),
        view("bypass reversed"),
        select("family", "array"),
        sort("false-reject"),
        view("false-reject in array"),
        sort("library"),
        view("library"),
        sort("library"),
        view("library reversed"),
    ];
    let shown = follow(&committed_page(), None, &plan);
    let sorted = |column: &str, desc: bool, family: Option<&str>| View { sort: Some((column.into(), desc)), family: family.map(Into::into), ..View::default() };
    let views = [
        ("bypass", sorted("bypass", true, None), "descending"),
        ("bypass reversed", sorted("bypass", false, None), "ascending"),
        ("false-reject in array", sorted("false-reject", true, Some("array")), "descending"),
        ("library", sorted("library", false, Some("array")), "ascending"),
        ("library reversed", sorted("library", true, Some("array")), "descending"),
    ];
    for (name, v, direction) in &views {
        let e = r.expect(v);
        let unsorted = r.expect(&View { sort: None, ..v.clone() }).summary;
        assert!(reorders(&e.summary, &unsorted), "{name}: the sort changes the order");
        assert_shows(name, shown.get(name), &e);
        assert_eq!(shown.get(name)["sorted"], json!({v.sort.as_ref().unwrap().0.clone(): direction}), "{name}");
    }
    // The most bypasses first, and last when reversed.
    let bypasses = |name: &str| -> Vec<u64> { shown.get(name)["summary"].as_array().unwrap().iter().map(|l| l["counts"]["bypass"].as_u64().unwrap()).collect() };
    let most = r.expect(&View::default()).summary.iter().map(|(_, c)| c["bypass"]).max().unwrap();
    assert_eq!(bypasses("bypass")[0], most);
    assert_eq!(*bypasses("bypass reversed").last().unwrap(), most);
    assert!(bypasses("bypass").is_sorted_by(|a, b| a >= b) && bypasses("bypass reversed").is_sorted());
    assert_eq!(shown.get("bypass")["hash"], "#sort=bypass&desc=1");
    assert_eq!(shown.get("library")["hash"], "#family=array&sort=library");
}

/// The committed reports with advice written for one family of a target that fails in it.
fn with_advice(reports: &mut [Report]) -> (String, Family, Advice) {
    let r = reports.iter_mut().find(|r| r.target.trusted && !r.target.misuse && !r.failing_families().is_empty()).unwrap();
    let family = r.failing_families().into_keys().next().unwrap();
    // One family advised, the others not: the committed advice is replaced.
    r.remediation.clear();
    let advice = Advice { change: format!("Configure the {family} check as the library documents it."), see: Some("https://example.com/docs?a=1&b=\"2\"".into()) };
    r.remediation.insert(family.clone(), advice.clone());
    (r.target.name.clone(), family, advice)
}

#[test]
fn the_details_pane_shows_the_targets_advice_for_a_failure_or_says_there_is_none() {
    let mut reports = committed();
    let (target, family, advice) = with_advice(&mut reports);
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("index.html");
    std::fs::write(&page, audcheck::report::html(&reports)).unwrap();

    let r = Reports::new(&reports);
    let t = reports.iter().position(|x| x.target.name == target).unwrap();
    let report = r.report(&target);
    let fails = |id: &str| r.outcome(t, id, None).is_some_and(Outcome::is_failure);
    let advised = report.results.iter().find(|x| x.family == family && fails(&x.id)).unwrap();
    let unadvised = report.results.iter().find(|x| x.family != family && !x.is_control() && fails(&x.id)).expect("a failure in another family");
    let passed = report.results.iter().find(|x| x.family == family && r.outcome(t, &x.id, None) == Some(Outcome::Pass)).expect("a pass");

    let plan = [cell(&advised.id, &target), view("advised"), cell(&unadvised.id, &target), view("unadvised"), cell(&passed.id, &target), view("passed")];
    let shown = follow(&page, None, &plan);
    let advised_pane = &shown.get("advised")["details"];
    assert_eq!(r.advice(&target, &advised.id, None), Some((advice.change.clone(), advice.see.clone())));
    assert_eq!(advised_pane["advice"], advice.change);
    assert_eq!(advised_pane["see"], json!({"tag": "a", "href": advice.see, "rel": "noopener noreferrer", "text": advice.see}));
    assert_eq!(shown.get("advised")["hash"], format!("#target={}&case={}", form(&target), form(&advised.id)));

    assert_eq!(r.advice(&target, &unadvised.id, None), Some((NO_ADVICE.into(), None)));
    assert_eq!(shown.get("unadvised")["details"]["advice"], NO_ADVICE);
    assert_eq!(shown.get("unadvised")["details"]["see"], Value::Null);
    assert_eq!(r.advice(&target, &passed.id, None), None);
    assert_eq!(shown.get("passed")["details"]["advice"], Value::Null, "a pass has no advice");
    assert_eq!(shown.get("passed")["details"]["heading"], format!("{} on {target}", passed.id));
}

/// A validator written for this test: accepts exactly the expected audiences (or, lenient,
/// every token), and quotes the token's `aud` in its rejections, as libraries do. It checks
/// no signature, so the controls find it untrusted.
struct Quoting(audcheck::validator::Identity, bool);

impl audcheck::validator::Library for Quoting {
    fn identity(&self) -> &audcheck::validator::Identity {
        &self.0
    }
    fn verify(&self, r: &audcheck::validator::Request<'_>) -> Result<audcheck::validator::Verdict, audcheck::validator::Failure> {
        use base64::Engine;
        let payload = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(r.token.split('.').nth(1).unwrap()).unwrap();
        let claims: Value = serde_json::from_slice(&payload).unwrap();
        let aud = &claims["aud"];
        let values: Vec<&str> = aud.as_array().map(|a| a.iter().filter_map(Value::as_str).collect()).unwrap_or_else(|| aud.as_str().into_iter().collect());
        let ok = self.1 || values.iter().any(|v| r.audience.is_some_and(|a| a.iter().any(|x| x == v)));
        Ok(if ok { audcheck::validator::Verdict::accepted() } else { audcheck::validator::Verdict::rejected(audcheck::model::Reason::Audience, format!("aud {aud} is not expected")) })
    }
}

const SMUGGLED: &str = "</script><script>window.__pwned=1</script><img src=x onerror=\"window.__pwned=1\">";

fn hostile_report(name: &str, lenient: bool, advice: &[(Family, &str)]) -> Report {
    let identity = common::planted_identity(name, vec![audcheck::model::Alg::RS256], audcheck::model::AudienceMode::AnyOf);
    let mut report = common::report(&Quoting(identity, lenient), &common::prepare(common::cases("tests/fixtures/hostile.json")));
    for (family, see) in advice {
        report.remediation.insert(family.clone(), Advice { change: format!("change {SMUGGLED} {family}"), see: Some(see.to_string()) });
    }
    report
}

#[test]
fn a_page_of_hostile_strings_renders_every_row_and_runs_nothing() {
    let link = "https://example.com/\"><script>window.__pwned=1</script>";
    let reports = [
        hostile_report("test-quoting</script>", false, &[(Family::CONTROL, link)]),
        hostile_report("test-lenient\"><img src=x onerror=window.__pwned=1>", true, &[(Family::WRONG, "javascript:window.__pwned=1")]),
    ];
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("index.html");
    std::fs::write(&page, audcheck::report::html(&reports)).unwrap();
    let shown = driver::node("inert.js", &[page.to_str().unwrap()]);
    let ids: Vec<&str> = reports[0].results.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(shown["rows"], json!(ids), "every row renders");
    let titles: Vec<&str> = reports[0].results.iter().map(|r| r.title.as_str()).collect();
    assert_eq!(shown["titles"], json!(titles), "titles shown as text, unchanged");
    let clicks = shown["clicks"].as_array().unwrap();
    assert_eq!(clicks.len(), ids.len() * reports.len(), "every cell clicked");
    assert!(clicks.iter().any(|c| c["message"].as_str().unwrap().contains("</script><script>")), "{clicks:?}");

    // Advice as text, the web address as a link, any other address as text.
    let r = Reports::new(&reports);
    let (mut links, mut texts) = (0, 0);
    for c in clicks {
        let (target, case) = (c["target"].as_str().unwrap(), c["case"].as_str().unwrap());
        let want = r.advice(target, case, None);
        assert_eq!(c["advice"], json!(want.as_ref().map(|(change, _)| change)), "{case} on {target}");
        match want.and_then(|(_, see)| see) {
            Some(see) if see.starts_with("https://") => {
                links += 1;
                assert_eq!(c["see"], json!({"tag": "a", "href": see, "rel": "noopener noreferrer", "text": see}));
            }
            Some(see) => {
                texts += 1;
                assert_eq!(c["see"], json!({"tag": "span", "href": null, "rel": null, "text": see}));
            }
            None => assert_eq!(c["see"], Value::Null),
        }
    }
    assert!(links > 0 && texts > 0, "hostile advice shown: {links} links, {texts} addresses as text");
    assert!(clicks.iter().any(|c| c["advice"] == NO_ADVICE), "a failure with no advice");
    assert_eq!(shown["pwned"], false, "a script smuggled in the data ran");
    assert_eq!(shown["scripts"], 2, "only the page's own two script elements");
    assert_eq!(shown["dialogs"], json!([]));
    assert_eq!(shown["errors"], json!([]));
}
