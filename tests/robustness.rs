//! A run with a target that dies on every case, one that never answers and one that floods
//! its output ends in bounded time with a complete report for each, and every other
//! target's report is unaffected.

mod common;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The longest the run below may take: 6 cases, a 500 ms timeout, 5 restarts per target,
/// and a 64 MiB line read.
const BOUND: Duration = Duration::from_secs(120);

#[test]
fn dying_hanging_and_flooding_targets_still_give_complete_reports() {
    let dir = tempfile::tempdir().unwrap();
    let program = common::repo().join("tests/adapters/broken/adapter.py");
    let adapter = |name: &str, timeout_ms: u64, targets: serde_json::Value| {
        let folder = dir.path().join(name);
        std::fs::create_dir(&folder).unwrap();
        let manifest = serde_json::json!({
            "format": "audcheck-adapter/1", "name": name, "transport": "process",
            "command": ["python3", program], "timeout_ms": timeout_ms, "targets": targets,
        });
        std::fs::write(folder.join("adapter.json"), manifest.to_string()).unwrap();
        folder
    };
    let misbehaving = adapter("test-misbehaving", 500, serde_json::json!([
        {"name": "test-dies", "options": {"mode": "die-always"}},
        {"name": "test-hangs", "options": {"mode": "hang-all"}},
    ]));
    // Time enough to write 68 MiB on a busy machine: the flood, not the clock, must end the case.
    let flooding = adapter("test-flooding", 30_000, serde_json::json!([
        {"name": "test-floods", "options": {"mode": "flood", "case": "fixture/valid"}},
    ]));
    let out = dir.path().join("reports");
    let suite = common::fixture("conformant.json");
    let started = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_audcheck"))
        .args(["run", "--adapter", misbehaving.to_str().unwrap(), "--adapter", flooding.to_str().unwrap(), "--suite", suite.to_str().unwrap(), "--out", out.to_str().unwrap()])
        .args(["--target", "test-dies", "--target", "test-hangs", "--target", "test-floods", "--target", "rust-jsonwebtoken"])
        .current_dir(common::repo())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if started.elapsed() > BOUND {
            let _ = child.kill();
            panic!("the run did not end within {BOUND:?}");
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    assert_eq!(status.code(), Some(1), "untrusted and failing targets");

    let read = |name: &str| audcheck::report::read(&out.join(format!("{name}.json"))).unwrap();
    for name in ["test-dies", "test-hangs", "test-floods", "rust-jsonwebtoken"] {
        let r = read(name);
        assert_eq!(r.results.len(), 6, "{name}: 4 controls and 2 cases, every one with a result");
        assert!(r.results.iter().all(|x| x.outcomes.len() == 6), "{name}: an outcome per profile for every case");
    }
    let dies = read("test-dies");
    assert!(dies.results.iter().all(|x| x.verdict.is_none() && x.detail.is_some()), "{:#?}", dies.results);
    let hangs = read("test-hangs");
    assert!(hangs.results.iter().all(|x| x.verdict.is_none()));
    assert!(hangs.results.iter().any(|x| x.detail.as_deref().is_some_and(|d| d.contains("no answer"))), "{:#?}", hangs.results);
    let floods = read("test-floods");
    let flooded = floods.results.iter().find(|x| x.id == "fixture/valid").unwrap();
    assert!(flooded.detail.as_deref().unwrap_or_default().contains("over the 1048576-byte limit"), "{flooded:#?}");
    let wrong = floods.results.iter().find(|x| x.id == "fixture/wrong").unwrap();
    assert_eq!(wrong.verdict.as_ref().map(|v| v.accepted), Some(false), "the flood cost one case, not the run");
    // It judges aud alone (a stand-in, not a validator), so its controls fail; but they were answered.
    assert!(floods.results.iter().filter(|x| x.id.starts_with("control/")).all(|x| x.verdict.is_some()));
    assert_eq!(read("rust-jsonwebtoken").failures(), 0, "another target's report is unaffected");
    assert!(out.join("README.md").is_file() && out.join("index.html").is_file());
}
