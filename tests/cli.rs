//! The `audcheck` command: exit codes, messages, and the files it writes.

mod common;

use common::audcheck;
use std::process::{Command, Output};

fn text(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

#[test]
fn check_suites_accepts_the_standard_suites() {
    let o = audcheck(&["check-suites"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains("core.json"));
}

#[test]
fn check_suites_rejects_a_bad_file_with_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let p = common::write_temp(dir.path(), "bad.json", r#"{"format":"audcheck-suite/1","name":"b","cases":[{"id":"b/x","family":"valid","title":"t","expect":"maybe"}]}"#);
    let o = audcheck(&["check-suites", p.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let t = text(&o);
    assert!(t.contains("bad.json") && t.contains("case \"b/x\"") && t.contains("field `expect`"), "{t}");
}

#[test]
fn unknown_target_is_exit_2_and_lists_the_targets() {
    let o = audcheck(&["run", "--target", "rust-nope"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).contains("unknown target \"rust-nope\"") && text(&o).contains("rust-jsonwebtoken+require-aud"), "{}", text(&o));
}

#[test]
fn unknown_profile_is_exit_2() {
    let o = audcheck(&["run", "--profile", "oidc"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).contains("oidc-id-token"), "{}", text(&o));
}

#[test]
fn a_conformant_run_exits_0_and_writes_both_formats() {
    let dir = tempfile::tempdir().unwrap();
    let suite = common::fixture("conformant.json");
    let out = dir.path().to_str().unwrap();
    let o = audcheck(&["run", "--target", "rust-jsonwebtoken", "--suite", suite.to_str().unwrap(), "--out", out]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(dir.path().join("rust-jsonwebtoken.json")).unwrap()).unwrap();
    assert_eq!(json["format"], "audcheck-report/1");
    assert_eq!(json["results"].as_array().unwrap().len(), 6, "4 controls + 2 cases");
    // Times live in the run log, so that reports are byte-stable.
    let log: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(dir.path().join("run-log.json")).unwrap()).unwrap();
    assert!(log["started"].as_str().unwrap().starts_with("20"), "{log}");
    let md = std::fs::read_to_string(dir.path().join("rust-jsonwebtoken.md")).unwrap();
    assert!(md.contains("## Summary") && md.contains("## Run"));
    assert!(!dir.path().join("rust-jsonwebtoken+require-aud.json").exists());
}

/// The standard suites (the default) on two in-process targets: the one without an
/// audience check is untrusted, so the run exits 1; only JSON is written, and the matrix.
#[test]
fn a_run_on_the_standard_suites_finds_failures_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let o = audcheck(&["run", "--target", "rust-jsonwebtoken", "--target", "rust-jwt-compact", "--out", dir.path().to_str().unwrap(), "--format", "json"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    for t in ["rust-jsonwebtoken", "rust-jwt-compact"] {
        assert!(dir.path().join(format!("{t}.json")).is_file(), "{t}");
        assert!(!dir.path().join(format!("{t}.md")).exists(), "--format json writes no Markdown");
    }
    assert!(text(&o).contains("rust-jwt-compact") && text(&o).contains("UNTRUSTED"), "{}", text(&o));
    assert!(dir.path().join("README.md").is_file() && dir.path().join("index.html").is_file());
}

#[test]
fn profiles_narrow_the_judgement() {
    let dir = tempfile::tempdir().unwrap();
    let o = audcheck(&["run", "--target", "rust-jsonwebtoken+require-aud", "--profile", "rfc8725", "--out", dir.path().to_str().unwrap()]);
    let json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(dir.path().join("rust-jsonwebtoken+require-aud.json")).unwrap()).unwrap();
    assert_eq!(json["profiles"], serde_json::json!(["rfc8725"]));
    assert_eq!(json["summary"].as_object().unwrap().len(), 1);
    let failures: u64 = ["bypass", "false-reject", "wrong-reason", "error", "hang"].iter().map(|o| json["summary"]["rfc8725"][o].as_u64().unwrap()).sum();
    assert_eq!(o.status.code(), Some(if failures == 0 { 0 } else { 1 }), "{}", text(&o));
}

/// Output paths are the user's input: a bad one is exit 2, found before any target runs.
#[test]
fn an_unwritable_report_folder_is_exit_2_before_any_work() {
    let dir = tempfile::tempdir().unwrap();
    let file = common::write_temp(dir.path(), "a-file", "");
    let bad = file.join("sub");
    let started = std::time::Instant::now();
    for args in [
        vec!["run", "--out", bad.to_str().unwrap()],
        vec!["fuzz", "--target", "rust-jsonwebtoken", "--cases", "100000", "--out", bad.to_str().unwrap()],
        vec!["export", "--out", bad.to_str().unwrap()],
    ] {
        let o = audcheck(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", text(&o));
        assert!(text(&o).contains(&format!("--out {}", bad.display())) && text(&o).contains("choose another folder"), "{}", text(&o));
        assert!(!text(&o).contains("cases x"), "checked before any target ran: {}", text(&o));
    }
    assert!(started.elapsed() < std::time::Duration::from_secs(30));
}

#[test]
fn fuzz_checks_the_export_path_before_the_search() {
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("missing-dir/x.json");
    let out = dir.path().join("out");
    let started = std::time::Instant::now();
    let o = audcheck(&["fuzz", "--target", "rust-jsonwebtoken", "--cases", "100000", "--out", out.to_str().unwrap(), "--export-suite", export.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    let t = text(&o);
    assert!(t.contains("--export-suite") && t.contains("missing-dir") && t.contains("does not exist"), "{t}");
    assert!(!out.exists() && !export.parent().unwrap().exists(), "nothing searched, nothing made");
    assert!(started.elapsed() < std::time::Duration::from_secs(30), "a search of 100000 pairs did not run");
    let o = audcheck(&["fuzz", "--target", "rust-jsonwebtoken", "--cases", "10", "--out", out.to_str().unwrap(), "--export-suite", dir.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("is a folder; give a file name"), "{}", text(&o));
}

#[test]
fn jobs_0_is_refused() {
    let o = audcheck(&["run", "--target", "rust-jsonwebtoken", "--jobs", "0", "--out", "/nonexistent/never"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("--jobs") && text(&o).contains("give 1 or more"), "{}", text(&o));
}

#[test]
fn a_clock_that_cannot_make_time_claims_is_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    for now in ["5", "18446744073709551000"] {
        let o = audcheck(&["export", "--out", dir.path().to_str().unwrap(), "--now", now]);
        assert_eq!(o.status.code(), Some(2), "{}", text(&o));
        assert!(text(&o).contains("--now") && text(&o).contains(now), "{}", text(&o));
    }
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0, "nothing written");
}

#[test]
fn diff_of_a_file_that_is_not_a_report_says_what_it_is() {
    let o = audcheck(&["diff", "suites/core.json", "reports/rust-jsonwebtoken.json"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    let t = text(&o);
    assert!(t.contains("suites/core.json is an audcheck suite (audcheck-suite/1), not a report; give a report that `audcheck run` wrote"), "{t}");
    let dir = tempfile::tempdir().unwrap();
    let kinds = [
        (r#"{"format":"audcheck-adapter/1","name":"x"}"#, "an adapter manifest (audcheck-adapter/1)"),
        (r#"{"format":"audcheck-run-log/1","started":"x"}"#, "a run log (audcheck-run-log/1)"),
        (r#"{"format":"audcheck-remediation/1","families":{}}"#, "a remediation file (audcheck-remediation/1)"),
        (r#"{"name":"package","version":"1.0.0"}"#, "a JSON object with no \"format\" field"),
        (r#"{"format":"audcheck-report/9"}"#, "has format \"audcheck-report/9\""),
        ("# a Markdown report", "is not JSON"),
    ];
    for (i, (json, says)) in kinds.iter().enumerate() {
        let p = common::write_temp(dir.path(), &format!("f{i}.json"), json);
        let o = audcheck(&["diff", p.to_str().unwrap(), "reports/rust-jsonwebtoken.json"]);
        assert_eq!(o.status.code(), Some(2), "{}", text(&o));
        let t = text(&o);
        assert!(t.contains(&format!("f{i}.json")) && t.contains(says) && !t.contains("missing field"), "{says}: {t}");
    }
}

#[test]
fn check_suites_reports_every_problem_of_a_case() {
    let dir = tempfile::tempdir().unwrap();
    let case = r#"{"id":"b/x","family":"no such family!","expect":"maybe","colour":"red","profiles":{"oidc":"accept","rfc8725":"reject","saml":"reject"}}"#;
    let p = common::write_temp(dir.path(), "many.json", &format!(r#"{{"format":"audcheck-suite/1","name":"b","cases":[{case},{{"id":"b/y"}}]}}"#));
    let o = audcheck(&["check-suites", p.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    let t = text(&o);
    let lines: Vec<&str> = t.lines().filter(|l| l.contains("many.json")).collect();
    for (case, field, says) in [
        ("b/x", "title", "required field is missing"),
        ("b/x", "expect", "unknown variant `maybe`"),
        ("b/x", "colour", "unknown field"),
        ("b/x", "family", "no such family!"),
        ("b/x", "profiles", "\"oidc\""),
        ("b/x", "profiles", "\"saml\""),
        ("b/y", "family", "required field is missing"),
        ("b/y", "title", "required field is missing"),
        ("b/y", "expect", "required field is missing"),
    ] {
        let want = format!("case \"{case}\": field `{field}`");
        assert_eq!(lines.iter().filter(|l| l.contains(&want) && l.contains(says)).count(), 1, "{want} {says}: {t}");
    }
    assert_eq!(lines.len(), 9, "one problem per line: {t}");
}

#[test]
fn a_url_off_loopback_is_exit_2() {
    for url in ["http://example.com/api", "http://127.0.0.1.evil.example/", "http://api:8080/x"] {
        let o = audcheck(&["run", "--url", url, "--url-audience", "https://api.example.com"]);
        assert_eq!(o.status.code(), Some(2), "{url}: {}", text(&o));
        assert!(text(&o).contains("loopback") && text(&o).contains("--allow-remote"), "{}", text(&o));
    }
}

#[test]
fn targets_lists_name_library_and_version() {
    let o = audcheck(&["targets", "--target", "rust-jsonwebtoken+require-aud"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(text(&o).contains("rust-jsonwebtoken+require-aud") && text(&o).contains("12.0.0"), "{}", text(&o));
    assert_eq!(text(&o).lines().count(), 2, "a heading and the one target: {}", text(&o));
}

#[test]
fn fuzz_finds_replays_and_exports() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    let suite = dir.path().join("found.json");
    let args = ["fuzz", "--target", "rust-jsonwebtoken", "--seed", "7", "--cases", "300", "--out", out, "--export-suite", suite.to_str().unwrap()];
    let o = audcheck(&args);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("--seed 7"), "the replay line names the seed: {}", text(&o));
    let again = audcheck(&args);
    assert_eq!(String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&again.stdout), "the same seed replays the same search");
    let report: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(dir.path().join("rust-jsonwebtoken.json")).unwrap()).unwrap();
    let found = report["fuzz"]["counterexamples"].as_array().unwrap();
    assert!(!found.is_empty());
    assert_eq!(report["fuzz"]["seed"], 7);
    // The exported suite loads, and replays as bypasses of the same target.
    let check = audcheck(&["check-suites", suite.to_str().unwrap()]);
    assert_eq!(check.status.code(), Some(0), "{}", text(&check));
    let rerun = audcheck(&["run", "--target", "rust-jsonwebtoken", "--suite", suite.to_str().unwrap(), "--profile", "rfc8725", "--out", out]);
    assert_eq!(rerun.status.code(), Some(1), "{}", text(&rerun));
    let r: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(dir.path().join("rust-jsonwebtoken.json")).unwrap()).unwrap();
    assert_eq!(r["summary"]["rfc8725"]["bypass"].as_u64().unwrap() as usize, found.len(), "every exported case is a bypass");
}

#[test]
fn fuzz_needs_a_known_target() {
    let o = audcheck(&["fuzz", "--target", "nope"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).contains("unknown target"));
}

#[test]
fn run_with_fuzz_adds_the_section() {
    let dir = tempfile::tempdir().unwrap();
    let suite = common::fixture("conformant.json");
    let o = audcheck(&["run", "--target", "rust-jsonwebtoken+require-aud", "--suite", suite.to_str().unwrap(), "--fuzz", "200", "--profile", "rfc8725", "--out", dir.path().to_str().unwrap()]);
    let r: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(dir.path().join("rust-jsonwebtoken+require-aud.json")).unwrap()).unwrap();
    assert_eq!(r["fuzz"]["cases"], 200);
    let found = r["fuzz"]["counterexamples"].as_array().unwrap().len();
    assert_eq!(o.status.code(), Some(if found == 0 { 0 } else { 1 }), "{}", text(&o));
    assert!(text(&o).contains("of 200 generated pairs judged"), "{}", text(&o));
}

#[test]
fn junit_and_github_formats_write_their_files_and_the_step_summary() {
    let dir = tempfile::tempdir().unwrap();
    let summary = dir.path().join("step-summary.md");
    std::fs::write(&summary, "earlier step\n").unwrap();
    let suite = common::fixture("conformant.json");
    let o = Command::new(env!("CARGO_BIN_EXE_audcheck"))
        .args(["run", "--target", "rust-jsonwebtoken", "--suite", suite.to_str().unwrap(), "--out", dir.path().to_str().unwrap(), "--format", "junit,github"])
        .env("GITHUB_STEP_SUMMARY", &summary)
        .current_dir(common::repo())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let xml = std::fs::read_to_string(dir.path().join("rust-jsonwebtoken.junit.xml")).unwrap();
    assert!(xml.contains("tests=\"36\" failures=\"0\""), "6 cases x 6 profiles: {xml}");
    let step = std::fs::read_to_string(&summary).unwrap();
    assert!(step.starts_with("earlier step\n### audcheck: rust-jsonwebtoken (jsonwebtoken 12.0.0): conformant"), "{step}");
    assert_eq!(std::fs::read_to_string(dir.path().join("rust-jsonwebtoken.summary.md")).unwrap(), step["earlier step\n".len()..]);
    assert!(!dir.path().join("rust-jsonwebtoken.json").exists());
}
