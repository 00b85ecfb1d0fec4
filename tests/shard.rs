//! `run --shard K/N` and `index DIR... --out DIR`: three shards of a run, merged, are the
//! same files, byte for byte, as one run of all the targets; and a report does not change
//! from one run to the next (byte-stable), while the run log beside it does.

mod common;

use common::audcheck;
use std::collections::BTreeMap;
use std::path::Path;

/// The in-process targets: real libraries, quick enough to run four times here.
const TARGETS: [&str; 5] = ["rust-jsonwebtoken", "rust-jsonwebtoken+require-aud", "rust-jwt-simple", "rust-josekit", "rust-jwt-compact"];

fn run(out: &Path, extra: &[&str]) {
    let mut args = vec!["run", "--suite", "suites/core.json", "--out", out.to_str().unwrap()];
    for t in TARGETS {
        args.extend(["--target", t]);
    }
    args.extend(extra);
    let o = audcheck(&args);
    assert!(matches!(o.status.code(), Some(0 | 1)), "{}", String::from_utf8_lossy(&o.stderr));
}

/// Every file of a folder but the run log, by name.
fn files(dir: &Path) -> BTreeMap<String, String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap() != "run-log.json")
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read_to_string(&p).unwrap()))
        .collect()
}

#[test]
fn three_shards_merge_into_the_reports_of_one_run() {
    let tmp = tempfile::tempdir().unwrap();
    let (whole, merged) = (tmp.path().join("whole"), tmp.path().join("merged"));
    run(&whole, &[]);
    let mut shards = Vec::new();
    let mut seen = Vec::new();
    for k in 1..=3 {
        let dir = tmp.path().join(format!("shard-{k}"));
        run(&dir, &["--shard", &format!("{k}/3")]);
        let reports: Vec<String> = files(&dir).into_keys().filter(|n| n.ends_with(".json")).collect();
        assert!(!reports.is_empty(), "shard {k}/3 holds a target");
        seen.extend(reports);
        shards.push(dir.to_str().unwrap().to_string());
    }
    seen.sort();
    let mut expected: Vec<String> = TARGETS.iter().map(|t| format!("{t}.json")).collect();
    expected.sort();
    assert_eq!(seen, expected, "every target in exactly one shard");

    let mut args: Vec<&str> = vec!["index"];
    args.extend(shards.iter().map(String::as_str));
    args.extend(["--out", merged.to_str().unwrap()]);
    let o = audcheck(&args);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let (a, b) = (files(&whole), files(&merged));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (name, text) in &a {
        assert!(text == &b[name], "{name} differs between one run and the merged shards");
    }
    assert!(whole.join("run-log.json").is_file(), "the times are in the run log");

    // The same target in two folders is an error naming both.
    let o = audcheck(&["index", whole.to_str().unwrap(), shards[0].as_str(), "--out", tmp.path().join("twice").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("in both") && err.contains("shard-1"), "{err}");
}

#[test]
fn a_report_is_the_same_file_run_after_run() {
    let tmp = tempfile::tempdir().unwrap();
    let (first, second) = (tmp.path().join("a"), tmp.path().join("b"));
    run(&first, &[]);
    std::thread::sleep(std::time::Duration::from_millis(1100));
    run(&second, &[]);
    assert_eq!(files(&first), files(&second));
    let log = |d: &Path| std::fs::read_to_string(d.join("run-log.json")).unwrap();
    assert_ne!(log(&first), log(&second), "the run log holds the times");
}

#[test]
fn a_bad_shard_is_refused_before_any_work() {
    for bad in ["0/3", "4/3", "2", "x/y"] {
        let o = audcheck(&["run", "--target", "rust-jsonwebtoken", "--shard", bad, "--out", "/nonexistent/never"]);
        assert_eq!(o.status.code(), Some(2), "{bad}");
        assert!(String::from_utf8_lossy(&o.stderr).contains("K/N"), "{bad}");
    }
}
