//! reports/index.html in a real headless Chromium (Debian's chromium, installed by .ci/run;
//! driven by playwright-core from tests/browser): filters applied through the page's own
//! controls show exactly the results the committed reports hold, a click shows the
//! evidence, the view survives as a link, and a screenshot is saved in target/browser/.
//! A page made from hostile strings renders every row and runs nothing they smuggle in.

mod common;

use audcheck::model::{Outcome, Profile};
use serde_json::Value;
use std::collections::BTreeMap;
use std::process::Command;

/// A driver script in tests/browser, its packages installed once for both tests.
fn driver(script: &str) -> std::path::PathBuf {
    static INSTALL: std::sync::Once = std::sync::Once::new();
    let dir = common::repo().join("tests/browser");
    INSTALL.call_once(|| {
        if !dir.join("node_modules/playwright-core").is_dir() {
            let ok = Command::new("npm").args(["ci", "--no-audit", "--no-fund"]).current_dir(&dir).status().expect("npm runs (install Node.js and npm)");
            assert!(ok.success(), "npm ci in tests/browser failed");
        }
    });
    dir.join(script)
}

fn chromium() -> String {
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    assert!(std::path::Path::new(&chromium).exists(), "{chromium} is missing: install Debian's chromium package (.ci/run does) or set CHROMIUM");
    chromium
}

/// A validator written for this test: accepts exactly the expected audiences, and quotes
/// the token's `aud` in its rejections, as libraries do.
struct Quoting(audcheck::validator::Identity);

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
        let ok = values.iter().any(|v| r.audience.is_some_and(|a| a.iter().any(|x| x == v)));
        Ok(if ok { audcheck::validator::Verdict::accepted() } else { audcheck::validator::Verdict::rejected(audcheck::model::Reason::Audience, format!("aud {aud} is not expected")) })
    }
}

#[test]
fn a_page_of_hostile_strings_renders_every_row_and_runs_nothing() {
    let identity = common::planted_identity("test-quoting</script>", vec![audcheck::model::Alg::RS256], audcheck::model::AudienceMode::AnyOf);
    let report = common::report(&Quoting(identity), &common::prepare(common::cases("tests/fixtures/hostile.json")));
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("index.html");
    std::fs::write(&page, audcheck::report::html(std::slice::from_ref(&report))).unwrap();
    let o = Command::new("node").arg(driver("inert.js")).arg(&page).env("CHROMIUM", chromium()).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let shown: Value = serde_json::from_slice(&o.stdout).unwrap();
    let ids: Vec<&str> = report.results.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(shown["rows"], serde_json::json!(ids), "every row renders");
    let titles: Vec<&str> = report.results.iter().map(|r| r.title.as_str()).collect();
    assert_eq!(shown["titles"], serde_json::json!(titles), "titles shown as text, unchanged");
    assert!(shown["messages"].as_array().unwrap().iter().any(|m| m.as_str().unwrap().contains("</script><script>")), "{}", shown["messages"]);
    assert_eq!(shown["pwned"], false, "a script smuggled in the data ran");
    assert_eq!(shown["scripts"], 2, "only the page's own two script elements");
    assert_eq!(shown["dialogs"], serde_json::json!([]));
    assert_eq!(shown["errors"], serde_json::json!([]));
}

#[test]
fn filters_in_the_page_show_what_the_reports_hold() {
    let repo = common::repo();
    let chromium = chromium();
    let shot = repo.join("target/browser/index.png");
    std::fs::create_dir_all(shot.parent().unwrap()).unwrap();
    let _ = std::fs::remove_file(&shot);
    let o = Command::new("node")
        .arg(driver("check.js"))
        .env("CHROMIUM", &chromium)
        .args([repo.join("reports/index.html").to_str().unwrap(), shot.to_str().unwrap(), "rfc7519", "bypass", "rust"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let shown: Value = serde_json::from_slice(&o.stdout).unwrap();

    // What the committed reports say: every case some Rust target bypasses under rfc7519.
    let reports = audcheck::report::read_dir(&repo.join("reports")).unwrap();
    let rust: Vec<_> = reports.iter().filter(|r| r.target.language == "rust").collect();
    let mut expected: BTreeMap<String, BTreeMap<String, Outcome>> = BTreeMap::new();
    for r in &rust {
        for row in r.results.iter().filter(|x| x.outcomes.get(&Profile::Rfc7519) == Some(&Outcome::Bypass)) {
            expected.insert(row.id.clone(), BTreeMap::new());
        }
    }
    for r in &rust {
        for row in &r.results {
            if let Some(cells) = expected.get_mut(&row.id) {
                cells.insert(r.target.name.clone(), row.outcomes[&Profile::Rfc7519]);
            }
        }
    }
    assert!(!expected.is_empty());
    let mut rows: BTreeMap<String, BTreeMap<String, Outcome>> = BTreeMap::new();
    for row in shown["rows"].as_array().unwrap() {
        let cells = row["cells"].as_object().unwrap().iter().map(|(t, o)| (t.clone(), o.as_str().unwrap().parse().unwrap())).collect();
        rows.insert(row["id"].as_str().unwrap().to_string(), cells);
    }
    assert_eq!(rows, expected);
    let names: Vec<&str> = rust.iter().map(|r| r.target.name.as_str()).collect();
    assert_eq!(shown["targets"], serde_json::json!(names));
    assert_eq!(shown["summary"], serde_json::json!(names));
    let total = reports[0].results.len();
    assert_eq!(shown["before"], format!("{total} of {total} cases, {} of {} targets", reports.len(), reports.len()));
    assert_eq!(shown["after"], format!("{} of {total} cases, {} of {} targets", expected.len(), rust.len(), reports.len()));

    // The clicked cell: the first bypass in the first row.
    let first = expected.iter().next().unwrap();
    let target = first.1.iter().find(|(_, o)| **o == Outcome::Bypass).unwrap().0;
    let heading = format!("{} on {}", first.0, target);
    assert_eq!(shown["details"]["heading"], heading);
    assert_eq!(shown["details"]["selected"], 1);
    assert!(shown["details"]["evidence"].as_str().unwrap().contains("\"alg\""));
    // The link reproduces the view.
    assert_eq!(shown["fromLink"], serde_json::json!(expected.keys().collect::<Vec<_>>()));
    assert_eq!(shown["detailsFromLink"], heading);
    assert!(shown["hash"].as_str().unwrap().contains("outcome=bypass"));
    assert_eq!(shown["errors"], serde_json::json!([]), "the page is self-contained and runs without errors");
    assert!(std::fs::metadata(&shot).unwrap().len() > 10_000, "a screenshot in {}", shot.display());
}
