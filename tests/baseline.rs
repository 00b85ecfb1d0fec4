//! `audcheck diff` and `audcheck run --baseline` on reports changed by hand.

mod common;

use serde_json::Value;
use std::path::{Path, PathBuf};

use common::{audcheck, stdout};

/// A conformant run of the fixture suite against one target, its report in `dir`.
fn conformant_report(dir: &Path) -> PathBuf {
    let suite = common::fixture("conformant.json");
    let o = audcheck(&["run", "--target", "rust-jsonwebtoken", "--suite", suite.to_str().unwrap(), "--out", dir.to_str().unwrap(), "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    dir.join("rust-jsonwebtoken.json")
}

/// The report at `from` with one case's verdict and outcomes changed, written to `to`.
fn edited(from: &Path, to: &Path, id: &str, accepted: bool, outcome: &str) {
    let mut r: Value = serde_json::from_str(&std::fs::read_to_string(from).unwrap()).unwrap();
    let row = r["results"].as_array_mut().unwrap().iter_mut().find(|x| x["id"] == id).unwrap();
    row["verdict"] = if accepted { serde_json::json!({"accepted": true}) } else { serde_json::json!({"accepted": false, "reason": "audience"}) };
    for o in row["outcomes"].as_object_mut().unwrap().values_mut() {
        *o = outcome.into();
    }
    std::fs::write(to, serde_json::to_string_pretty(&r).unwrap()).unwrap();
}

#[test]
fn diff_of_a_report_with_itself_is_empty_and_exits_0() {
    let dir = tempfile::tempdir().unwrap();
    let r = conformant_report(dir.path());
    let o = audcheck(&["diff", r.to_str().unwrap(), r.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("No verdict changed."), "{}", stdout(&o));
}

#[test]
fn diff_lists_new_bypasses_first_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let r = conformant_report(dir.path());
    let bypassed = dir.path().join("bypassed.json");
    edited(&r, &bypassed, "fixture/wrong", true, "bypass");
    // A second change that is not a bypass: the valid token now rejected.
    let both = dir.path().join("both.json");
    edited(&bypassed, &both, "fixture/valid", false, "false-reject");
    let o = audcheck(&["diff", r.to_str().unwrap(), both.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    insta::assert_snapshot!(stdout(&o));
    // And back: both fixed.
    let o = audcheck(&["diff", both.to_str().unwrap(), r.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("2 fixed"), "{}", stdout(&o));
}

#[test]
fn diff_names_a_file_that_is_not_a_report() {
    let dir = tempfile::tempdir().unwrap();
    let bad = common::write_temp(dir.path(), "notes.json", r#"{"hello": 1}"#);
    let o = audcheck(&["diff", bad.to_str().unwrap(), bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("notes.json") && err.contains("a JSON object with no \"format\" field, not a report"), "{err}");
}

#[test]
fn run_with_an_unchanged_baseline_exits_0_and_a_changed_one_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let r = conformant_report(dir.path());
    let kept = dir.path().join("baseline.json");
    std::fs::copy(&r, &kept).unwrap();
    let suite = common::fixture("conformant.json");
    let out = tempfile::tempdir().unwrap();
    let run = |baseline: &Path| {
        audcheck(&["run", "--target", "rust-jsonwebtoken", "--suite", suite.to_str().unwrap(), "--out", out.path().to_str().unwrap(), "--baseline", baseline.to_str().unwrap()])
    };
    let o = run(&kept);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(stdout(&o).contains("No verdict changed."));

    // The baseline says the wrong audience used to be accepted: the run fixed it.
    let old = dir.path().join("old.json");
    edited(&r, &old, "fixture/wrong", true, "bypass");
    let o = run(&old);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(stdout(&o).contains("| fixed | `fixture/wrong` | accepted | rejected (audience); twin accepted |"), "{}", stdout(&o));

    // A folder of baselines is matched by target name.
    let o = run(dir.path());
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));

    let o = run(&dir.path().join("missing.json"));
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--baseline"));
}
