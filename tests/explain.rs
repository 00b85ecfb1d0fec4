//! `explain` on tokens with each near miss: the library's rendering over the committed
//! reports (read once), and the command's input and exit codes.

mod common;

use audcheck::report::Report;
use base64::Engine;
use serde_json::{Value, json};
use std::io::Write;
use common::stdout;
use std::process::{Command, Stdio};
use std::sync::OnceLock;

const API: &str = "https://api.example.com";

/// A token with these claims; explain never checks the signature, so any will do.
fn token(claims: Value) -> String {
    let b = |v: &Value| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string());
    format!("{}.{}.c2lnbmF0dXJl", b(&json!({"alg": "RS256", "typ": "JWT"})), b(&claims))
}

fn token_with(aud: Option<Value>) -> String {
    let mut claims = json!({"iss": "https://auth.example.com", "sub": "user-1"});
    if let Some(a) = aud {
        claims["aud"] = a;
    }
    token(claims)
}

fn reports() -> &'static [Report] {
    static REPORTS: OnceLock<Vec<Report>> = OnceLock::new();
    REPORTS.get_or_init(|| audcheck::report::read_dir(&common::repo().join("reports")).unwrap())
}

/// What `audcheck explain TOKEN --audience ...` prints, from the library.
fn explain(aud: Option<Value>, audience: &[&str]) -> String {
    let audience: Vec<String> = audience.iter().map(|a| a.to_string()).collect();
    let e = audcheck::explain::explain(&token_with(aud), &audience).unwrap();
    audcheck::explain::render(&e, reports(), "reports")
}

#[test]
fn each_near_miss_is_named() {
    let cases: [(Value, &str); 11] = [
        (json!("https://api.example.com/"), "only by a trailing slash"),
        (json!("http://api.example.com"), "only by the scheme"),
        (json!("https://API.example.com"), "only by letter case"),
        (json!("https://api.example.com:443"), "only by the port"),
        (json!("https://api.staging.example.com"), "only by an environment label"),
        (json!("https://api.example.com "), "only by leading or trailing whitespace"),
        (json!("https://\u{0430}pi.example.com"), "only by look-alike characters"),
        (json!("https://api.example.com\u{200b}"), "only by invisible characters"),
        (json!(["https://billing.example.com", "https://admin.example.com"]), "array without the expected audience"),
        (json!(12345), "not a string: aud is a number"),
        (json!(["https://api.example.com", 7]), "not a string: member 1 of aud is a number"),
    ];
    for (aud, says) in cases {
        let out = explain(Some(aud.clone()), &[API]);
        assert!(out.contains(says), "{aud}: {out}");
        assert!(out.contains("Decoded locally"));
    }
    let out = explain(None, &[API]);
    assert!(out.contains("missing: the token has no aud claim"), "{out}");
    assert!(out.contains("- rfc7519: either: aud is optional"), "{out}");
}

#[test]
fn a_match_exits_0_and_a_miss_exits_1() {
    let run = |aud: &str| common::audcheck(&["explain", &token_with(Some(json!(aud))), "--audience", API, "--reports", "/nonexistent"]);
    let o = run(API);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(stdout(&o).contains("match: \"https://api.example.com\" is an expected audience"));
    assert_eq!(run("https://api.example.com/").status.code(), Some(1));
}

#[test]
fn the_shipped_targets_on_the_same_case_from_the_reports() {
    // The suites hold this exact token shape: each target's verdict on that case.
    insta::assert_snapshot!("trailing-slash", explain(Some(json!("https://api.example.com/")), &[API]));
}

#[test]
fn the_shipped_targets_on_cases_of_the_same_families() {
    // No case holds this audience: the targets' record on the families of its near misses.
    let out = explain(Some(json!("https://API.example.com:8443/")), &[API]);
    assert!(out.contains("only by letter case, and by the port, and by a trailing slash"), "{out}");
    assert!(out.contains("families case, port, trailing-slash"), "{out}");
    assert!(out.contains("node-jsonwebtoken+regexp"), "{out}");
    let line = out.lines().find(|l| l.trim_start().starts_with("rust-jwt-compact ")).unwrap();
    assert!(line.contains("trailing-slash: ACCEPTS"), "the untrusted target accepts them: {line}");
}

#[test]
fn reads_the_token_from_stdin() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_audcheck"))
        .args(["explain", "-", "--audience", API, "--reports", "/nonexistent"])
        .current_dir(common::repo())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let t = token(json!({"aud": "http://api.example.com"}));
    child.stdin.take().unwrap().write_all(format!("{t}\n").as_bytes()).unwrap();
    let o = child.wait_with_output().unwrap();
    assert!(stdout(&o).contains("only by the scheme"), "{}", stdout(&o));
}

#[test]
fn a_bad_token_is_exit_2_with_a_clear_error() {
    for (bad, says) in [("abc", "three parts"), ("e30.!!!.x", "payload is not base64url"), ("e30.bm90IGpzb24.x", "payload is not JSON")] {
        let o = Command::new(env!("CARGO_BIN_EXE_audcheck")).args(["explain", bad]).output().unwrap();
        assert_eq!(o.status.code(), Some(2));
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains("TOKEN") && err.contains(says), "{bad}: {err}");
    }
}

#[test]
fn a_long_aud_is_shown_once_and_cut_with_its_length() {
    let long = "a".repeat(1 << 20);
    let out = explain(Some(json!(long)), &[API]);
    assert!(out.contains("… (1048576 chars)"), "{}", &out[..out.len().min(2000)]);
    assert_eq!(out.matches(&"a".repeat(100)).count(), 1, "shown once: {}", &out[..out.len().min(2000)]);
    assert!(out.len() < 20_000, "{} bytes", out.len());
    // Other claims are cut too; a long expected audience is no exception.
    let mut claims = json!({"sub": "b".repeat(5000), "aud": API});
    claims["roles"] = json!((0..1000).map(|i| format!("r{i}")).collect::<Vec<_>>());
    let e = audcheck::explain::explain(&token(claims), &[API.to_string()]).unwrap();
    let out = audcheck::explain::render(&e, &[], "reports");
    assert!(out.contains("… (5000 chars)") && out.contains("and 995 more (1000 members)"), "{out}");
}

#[test]
fn a_huge_array_is_summarised_near_misses_first() {
    let mut aud: Vec<String> = (0..40_000).map(|i| format!("https://svc{i}.example.com")).collect();
    aud.push("https://api.example.com/".into());
    let out = explain(Some(json!(aud)), &[API]);
    let findings: Vec<&str> = out.split("Findings:\n").nth(1).unwrap().split("\n\n").next().unwrap().lines().collect();
    assert!(findings.len() <= 12, "{findings:#?}");
    let near = findings.iter().position(|l| l.contains("NEAR MISS: member 40000 ")).expect("the near miss is listed");
    let other = findings.iter().position(|l| l.contains("another audience: member 0 ")).expect("then the first others");
    assert!(near < other, "{findings:#?}");
    assert!(findings.last().unwrap().contains("and 39995 more members not listed: 39995 other audiences"), "{findings:#?}");
    assert!(out.contains("aud: an array of 40001 members (all strings)"), "{out}");
    // The findings are bounded; the rest grows with the shipped targets (one line each).
    assert!(out.lines().count() < 160, "{} lines", out.lines().count());
}

#[test]
fn untrusted_and_misuse_targets_are_marked() {
    for aud in [json!("https://api.example.com/"), json!("https://API.example.com:8443/")] {
        let out = explain(Some(aud), &[API]);
        let mut seen = (false, false);
        for r in reports() {
            let line = out.lines().find(|l| l.trim_start().starts_with(&format!("{} ", r.target.name))).unwrap();
            assert_eq!(line.contains("UNTRUSTED"), !r.target.trusted, "{line}");
            assert_eq!(line.contains("[misuse"), r.target.trusted && r.target.misuse, "{line}");
            seen = (seen.0 || !r.target.trusted, seen.1 || r.target.misuse);
        }
        assert_eq!(seen, (true, true), "the committed reports hold an untrusted target and a misuse");
    }
}

#[test]
fn without_an_audience_it_decodes_and_exits_0() {
    let t = token_with(Some(json!(["https://a.example.com", 7, "https://b.example.com"])));
    let o = common::audcheck(&["explain", &t, "--reports", "/nonexistent"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let out = stdout(&o);
    assert!(out.contains("aud: an array of 3 members (2 strings, 1 number)") && out.contains("member 1: 7"), "{out}");
    assert!(out.contains("\"sub\":\"user-1\"") && out.contains("\"alg\":\"RS256\""), "{out}");
    assert!(!out.contains("Findings") && out.contains("Nothing judged"), "{out}");
    // A validator that expects no audience is still judged, when asked for.
    let o = common::audcheck(&["explain", &t, "--no-audience", "--reports", "/nonexistent"]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(stdout(&o).contains("no expected audience given"), "{}", stdout(&o));
}
