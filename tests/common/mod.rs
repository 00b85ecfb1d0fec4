//! Helpers shared by the integration tests.
#![allow(dead_code)]

use audcheck::model::{Alg, AudienceMode, Profile};
use audcheck::report::{Report, ResultRow};
use audcheck::run::Prepared;
use audcheck::session;
use audcheck::suite::{self, Case};
use audcheck::token::{Clock, Keys};
use audcheck::validator::{Capabilities, Identity, Validator};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// Runs the audcheck binary in the checkout and waits for it.
pub fn audcheck<S: AsRef<std::ffi::OsStr>>(args: &[S]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_audcheck")).args(args).current_dir(repo()).output().unwrap()
}

/// A finished command's standard output, as text.
pub fn stdout(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The cases of one suite file, by path relative to the repository.
pub fn cases(rel: &str) -> Vec<Case> {
    let suites = suite::load_paths(&[repo().join(rel)]).unwrap_or_else(|e| panic!("{e}"));
    suites.into_iter().flat_map(|s| s.cases).collect()
}

/// Every case of the standard suites.
pub fn standard_cases() -> Vec<Case> {
    cases("suites")
}

/// The controls and the cases with their tokens, signed at `clock`.
pub fn prepare(cases: Vec<Case>) -> Vec<Prepared> {
    session::prepare(cases, Keys::test(), clock()).unwrap_or_else(|e| panic!("{e}"))
}

/// The clock of this test binary: tokens are signed once per binary and shared.
pub fn clock() -> Clock {
    static CLOCK: OnceLock<Clock> = OnceLock::new();
    *CLOCK.get_or_init(Clock::system)
}

/// The controls and suites/core.json, signed once per test binary.
pub fn core() -> &'static [Prepared] {
    static CORE: OnceLock<Vec<Prepared>> = OnceLock::new();
    CORE.get_or_init(|| prepare(cases("suites/core.json")))
}

/// The controls and the standard suites, signed once per test binary.
pub fn standard() -> &'static [Prepared] {
    static STANDARD: OnceLock<Vec<Prepared>> = OnceLock::new();
    STANDARD.get_or_init(|| prepare(standard_cases()))
}

/// Runs prepared cases on a validator and builds its report, run metadata empty.
pub fn report(validator: &dyn Validator, prepared: &[Prepared]) -> Report {
    session::report_of(validator, prepared, Profile::ALL, clock()).unwrap_or_else(|e| panic!("{e}"))
}

/// A case's row in a report.
pub fn row<'a>(r: &'a Report, id: &str) -> &'a ResultRow {
    r.results.iter().find(|x| x.id == id).unwrap_or_else(|| panic!("{}: no case {id}", r.target.name))
}

/// The report's JSON without its `run` section: what snapshots compare.
pub fn stable_json(r: &Report) -> String {
    let mut v = serde_json::to_value(r).unwrap();
    v.as_object_mut().unwrap().remove("run");
    serde_json::to_string_pretty(&v).unwrap()
}

pub fn fixture(name: &str) -> PathBuf {
    repo().join("tests/fixtures").join(name)
}

pub fn write_temp(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

/// The identity of a test-only in-process validator.
pub fn planted_identity(name: &str, algorithms: Vec<Alg>, audience: AudienceMode) -> Identity {
    Identity {
        name: name.into(),
        library: "planted".into(),
        version: "0".into(),
        language: "rust".into(),
        transport: "in-process".into(),
        options: serde_json::json!({}),
        capabilities: Capabilities { algorithms, audience, no_audience: true, fixed_audience: None, issuer: None },
        misuse: false,
    }
}

/// One line per case: the verdict and the outcome per profile (what comparisons use).
pub fn verdict_lines(report: &Report) -> String {
    report
        .results
        .iter()
        .map(|r| {
            let v = match &r.verdict {
                Some(v) if v.accepted => "accepted".to_string(),
                Some(v) => format!("rejected:{}", v.reason.map(|x| x.as_str()).unwrap_or("none")),
                None => r.detail.clone().unwrap_or_default(),
            };
            let o: Vec<String> = r.outcomes.iter().map(|(p, o)| format!("{p}={o}")).collect();
            format!("{} | {v} | {}", r.id, o.join(" "))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Replaces what some libraries quote from the clock in their messages (Unix times,
/// milliseconds, date-times, the token itself) with placeholders, so comparisons do not change per run.
pub fn redact_times(s: &str) -> String {
    let iso = regex::Regex::new(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z?").unwrap();
    let human = regex::Regex::new(r"[A-Z][a-z]{2} \d{1,2}, \d{4},? \d{1,2}:\d{2}:\d{2}\S* ?[AP]M( UTC)?").unwrap();
    let token = regex::Regex::new(r"eyJ[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]*)*").unwrap();
    let long = regex::Regex::new(r"\d{9,}").unwrap();
    let s = s.replace(env!("CARGO_MANIFEST_DIR"), "<repo>");
    let s = regex::Regex::new(r"127\.0\.0\.1:\d+").unwrap().replace_all(&s, "127.0.0.1:<port>").into_owned();
    let s = token.replace_all(&s, "<token>");
    let s = human.replace_all(&s, "<time>");
    long.replace_all(&iso.replace_all(&s, "<time>"), "<n>").into_owned()
}

/// Fails when reports/<target>.json, the committed report (the one source of truth for
/// verdicts), gives other verdicts than this run: the committed reports are out of date
/// (or the library changed).
pub fn assert_committed(report: &Report) {
    let path = repo().join("reports").join(format!("{}.json", report.target.name));
    let committed = audcheck::report::read(&path).unwrap_or_else(|e| panic!("{e}; run `cargo run --release -- run` to write it"));
    // Messages may quote the checkout's path (a service's stack trace): any checkout will do.
    let checkout = regex::Regex::new(r"(/[^\s/\x22']+)+/(adapters|tests)/").unwrap();
    let same = |r: &Report| checkout.replace_all(&redact_times(&verdict_lines(r)), "<repo>/$2/").into_owned();
    let (now, then) = (same(report), same(&committed));
    if now != then {
        let diff = now.lines().zip(then.lines()).find(|(a, b)| a != b).map(|(a, b)| format!("now:       {a}\ncommitted: {b}")).unwrap_or_else(|| "the case lists differ".into());
        panic!("{} is out of date: run `cargo run --release -- run --target {}` and commit reports/\n{diff}", path.display(), report.target.name);
    }
    assert_eq!((&committed.target.library, &committed.target.version), (&report.target.library, &report.target.version), "{} names another release", path.display());
    assert_eq!(committed.target.misuse, report.target.misuse, "{} says otherwise whether the target is a misuse", path.display());
}
