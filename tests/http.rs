//! The HTTP transport against a small test service (tests/services/odd) that answers odd
//! statuses, never becomes ready, dies mid-run, refuses large headers or runs under a
//! wrapper; and a service the user already runs.

mod common;

use audcheck::model::{Alg, AudienceMode, Outcome, Profile};
use audcheck::validator::{HttpSection, HttpTarget, KeyServer, Service, Validator};
use serde_json::json;
use std::time::Duration;

fn section(ready_timeout_ms: u64) -> HttpSection {
    HttpSection {
        library: "odd".into(),
        language: "python".into(),
        ready_path: "/ready".into(),
        ready_timeout_ms,
        ready_any_status: false,
        method: "GET".into(),
        path: "/protected".into(),
        algorithms: vec![Alg::RS256, Alg::PS256, Alg::ES256, Alg::EdDSA],
        audience: AudienceMode::AnyOf,
        no_audience: false,
        token: Default::default(),
        issuer: None,
        audiences: vec![],
        version: None,
        configure_path: String::new(),
    }
}

fn odd(mode: &str, ready_timeout_ms: u64) -> HttpTarget {
    HttpTarget::start(odd_service(mode, ready_timeout_ms))
}

fn odd_service(mode: &str, ready_timeout_ms: u64) -> Service {
    Service {
        name: format!("test-odd+{mode}"),
        command: Some((common::repo().join("tests/services/odd"), vec!["python3".into(), "server.py".into()])),
        url: None,
        options: json!({ "mode": mode }).as_object().unwrap().clone(),
        http: section(ready_timeout_ms),
        timeout: Duration::from_secs(5),
        keys_port: 0,
        fixed_audience: vec![],
        misuse: false,
    }
}

/// Processes of the odd test service in `mode` still running.
fn odd_processes(mode: &str) -> usize {
    let needle = format!("AUDCHECK_OPTIONS={}", json!({ "mode": mode }));
    std::fs::read_dir("/proc")
        .unwrap()
        .filter_map(|e| std::fs::read(e.ok()?.path().join("environ")).ok())
        .filter(|env| String::from_utf8_lossy(env).split('\0').any(|v| v == needle))
        .count()
}

fn outcome(r: &audcheck::report::Report, id: &str) -> Outcome {
    r.results.iter().find(|x| x.id == id).unwrap().outcomes[&Profile::Rfc7519]
}

#[test]
fn a_service_gives_verdicts_with_the_reason_from_www_authenticate_and_stops() {
    let r = {
        let t = odd("ok", 20_000);
        assert!(t.unavailable().is_none(), "{:?}", t.unavailable());
        assert_eq!(t.identity().version, "0", "the version comes from the ready path");
        common::report(&t, common::core())
    };
    let x = r.results.iter().find(|x| x.id == "core/wrong-service").unwrap();
    assert_eq!(x.outcomes[&Profile::Rfc7519], Outcome::Pass);
    let v = x.verdict.as_ref().unwrap();
    assert!(v.error.as_deref().unwrap().starts_with("401 Bearer") && v.error.as_deref().unwrap().contains("aud mismatch"), "{v:?}");
    assert_eq!(outcome(&r, "core/no-config-aud-string"), Outcome::Skipped, "a service needs an audience");
    assert_eq!(outcome(&r, "core/multi-config-second"), Outcome::Pass, "another instance for another audience");
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(odd_processes("ok"), 0, "every instance is stopped with the target");
}

#[test]
fn odd_statuses_are_errors_and_the_rest_keeps_its_verdicts() {
    let r = common::report(&odd("odd-status", 20_000), common::core());
    let x = r.results.iter().find(|x| x.id == "core/wrong-service").unwrap();
    assert_eq!(x.outcomes[&Profile::Rfc7519], Outcome::Error);
    assert!(x.detail.as_deref().unwrap().contains("500"), "{:?}", x.detail);
    assert_eq!(outcome(&r, "core/valid-exact-string"), Outcome::Pass);
}

#[test]
fn a_service_that_never_becomes_ready_gives_errors_in_bounded_time() {
    let started = std::time::Instant::now();
    let t = odd("never-ready", 1_500);
    let why = t.unavailable().expect("not ready").to_string();
    assert!(why.contains("not ready within 1500 ms"), "{why}");
    let r = common::report(&t, common::core());
    assert!(r.results.iter().all(|x| matches!(x.outcomes[&Profile::Rfc7519], Outcome::Error | Outcome::Skipped)));
    assert!(started.elapsed() < Duration::from_secs(120));
}

#[test]
fn a_service_that_dies_mid_run_is_restarted() {
    let r = common::report(&odd("dies", 20_000), common::core());
    let errors: Vec<_> = r.results.iter().filter(|x| x.outcomes[&Profile::Rfc7519] == Outcome::Error).collect();
    assert!(errors.iter().any(|x| x.detail.as_deref().unwrap().contains("dying on purpose")), "{errors:#?}");
    assert_eq!(r.results.len(), 38, "the report is complete");
    assert!(r.results.iter().filter(|x| x.verdict.is_some()).count() >= 10);
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(odd_processes("dies"), 0);
}

#[test]
fn a_running_service_is_tested_at_its_url() {
    let keys = KeyServer::get(0).unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut child = std::process::Command::new("python3")
        .arg(common::repo().join("tests/services/odd/server.py"))
        .env("AUDCHECK_PORT", port.to_string())
        .env("AUDCHECK_AUDIENCES", r#"["https://api.example.com"]"#)
        .env("AUDCHECK_JWKS_URL", keys.jwks_url())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(800));
    let t = HttpTarget::start(Service {
        name: "service".into(),
        command: None,
        url: Some(format!("http://127.0.0.1:{port}/protected")),
        options: Default::default(),
        http: HttpSection { ready_path: String::new(), path: String::new(), ..section(5_000) },
        timeout: Duration::from_secs(5),
        keys_port: 0,
        fixed_audience: vec!["https://api.example.com".into()],
        misuse: false,
    });
    let r = common::report(&t, common::core());
    let _ = child.kill();
    assert_eq!(outcome(&r, "core/valid-exact-string"), Outcome::Pass);
    assert_eq!(outcome(&r, "core/trailing-slash-config"), Outcome::Skipped, "another configured audience");
    assert_eq!(outcome(&r, "core/trailing-slash-token"), Outcome::Pass);
}

#[test]
fn the_key_server_serves_jwks_and_discovery() {
    let keys = KeyServer::get(0).unwrap();
    let agent: ureq::Agent = ureq::Agent::config_builder().build().into();
    let jwks: serde_json::Value = serde_json::from_str(&agent.get(keys.jwks_url()).call().unwrap().body_mut().read_to_string().unwrap()).unwrap();
    assert!(jwks["keys"].as_array().unwrap().iter().all(|k| k["kty"] != "oct"), "no secret in the JWKS");
    assert_eq!(jwks["keys"].as_array().unwrap().len(), 3);
    let d: serde_json::Value = serde_json::from_str(&agent.get(keys.discovery_url("https://issuer.example")).call().unwrap().body_mut().read_to_string().unwrap()).unwrap();
    assert_eq!(d["issuer"], "https://issuer.example");
    assert_eq!(d["jwks_uri"], keys.jwks_url());
}

#[test]
fn a_service_whose_install_fails_gives_errors_that_say_why() {
    let dir = tempfile::tempdir().unwrap();
    let manifest = json!({
        "format": "audcheck-adapter/1",
        "name": "test-uninstallable",
        "transport": "http",
        "command": ["python3", "server.py"],
        "install": [["sh", "-c", "echo no such package >&2; exit 3"]],
        "http": {"library": "odd", "language": "python", "ready_path": "/ready", "path": "/protected", "algorithms": ["RS256"], "audience": "any-of"},
        "targets": [{"name": "test-uninstallable", "options": {}}]
    });
    std::fs::write(dir.path().join("adapter.json"), manifest.to_string()).unwrap();
    let out = tempfile::tempdir().unwrap();
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_audcheck"))
        .args(["run", "--adapter", dir.path().to_str().unwrap(), "--target", "test-uninstallable", "--out", out.path().to_str().unwrap()])
        .arg("--suite")
        .arg(common::fixture("conformant.json"))
        .current_dir(common::repo())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("test-uninstallable cannot run"), "{}", String::from_utf8_lossy(&o.stderr));
    let r = audcheck::report::read(&out.path().join("test-uninstallable.json")).unwrap();
    assert!(r.results.iter().all(|x| x.detail.as_deref().is_some_and(|d| d.contains("not installed") && d.contains("exit"))), "{:#?}", r.results);
    assert!(r.results.iter().all(|x| x.failure == Some(audcheck::model::FailureKind::InstallFailed)));
}

/// A service started through a wrapper (`sh -c`, as `npm start` is) runs in its own
/// process group; stopping the target stops the wrapper and everything under it.
#[test]
fn a_wrapper_command_leaves_no_process_behind() {
    let mut service = odd_service("wrapped", 20_000);
    service.command = Some((common::repo().join("tests/services/odd"), vec!["sh".into(), "-c".into(), "python3 server.py; echo ended".into()]));
    let t = HttpTarget::start(service);
    assert!(t.unavailable().is_none(), "{:?}", t.unavailable());
    assert!(odd_processes("wrapped") >= 2, "the wrapper and the service run");
    let r = common::report(&t, common::core());
    assert_eq!(outcome(&r, "core/wrong-service"), Outcome::Pass);
    drop(t);
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(odd_processes("wrapped"), 0, "every process of every instance is stopped");
}

/// A web server's refusal (431 for a header over its limit) is no answer of the
/// validator: the case is skipped and says so, never an error of the validator.
#[test]
fn a_refusal_before_validation_is_not_the_validators_error() {
    let r = common::report(&odd("small-headers", 20_000), &common::prepare(common::cases("suites/size.json")));
    let refused: Vec<_> = r.results.iter().filter(|x| x.failure == Some(audcheck::model::FailureKind::Refused)).collect();
    assert!(!refused.is_empty(), "the size cases meet the limit");
    for x in &refused {
        assert!(x.outcomes.values().all(|o| *o == Outcome::Skipped), "{}: {:?}", x.id, x.outcomes);
        assert!(x.detail.as_deref().unwrap().contains("refused the request before the validator saw it (431)"), "{:?}", x.detail);
    }
    assert!(r.results.iter().all(|x| !x.outcomes.values().any(|o| *o == Outcome::Error)), "no error");
}

/// Interrupted, audcheck stops every service it started (and what their wrappers started)
/// before it exits.
#[test]
fn an_interrupted_run_stops_its_services() {
    let dir = tempfile::tempdir().unwrap();
    let manifest = json!({
        "format": "audcheck-adapter/1", "name": "test-interrupted", "transport": "http",
        "command": ["sh", "-c", format!("python3 {}; echo ended", common::repo().join("tests/services/odd/server.py").display())],
        "http": {"library": "odd", "language": "python", "ready_path": "/ready", "path": "/protected", "algorithms": ["RS256"], "audience": "any-of"},
        "targets": [{"name": "test-interrupted", "options": {"mode": "slow"}}]
    });
    std::fs::write(dir.path().join("adapter.json"), manifest.to_string()).unwrap();
    let out = tempfile::tempdir().unwrap();
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_audcheck"))
        .args(["run", "--adapter", dir.path().to_str().unwrap(), "--target", "test-interrupted", "--out", out.path().to_str().unwrap()])
        .current_dir(common::repo())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    while odd_processes("slow") < 2 {
        assert!(started.elapsed() < Duration::from_secs(30), "the service never started");
        std::thread::sleep(Duration::from_millis(100));
    }
    std::thread::sleep(Duration::from_millis(500));
    // SAFETY: kill has no memory effects.
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(130), "{}", String::from_utf8_lossy(&o.stderr));
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(odd_processes("slow"), 0, "the service and its wrapper are stopped");
}

/// The odd service with a configure endpoint, counting its starts in `starts`.
fn reconfigured(mode: &str, starts: &std::path::Path) -> HttpTarget {
    let mut s = odd_service(mode, 20_000);
    s.http.configure_path = "/audcheck/configure".into();
    s.options.insert("starts".into(), json!(starts));
    HttpTarget::start(s)
}

fn starts(file: &std::path::Path) -> usize {
    std::fs::read_to_string(file).unwrap_or_default().lines().count()
}

fn verdicts(r: &audcheck::report::Report) -> Vec<(String, Outcome)> {
    r.results.iter().map(|x| (x.id.clone(), x.outcomes[&Profile::Rfc7519])).collect()
}

#[test]
fn a_reconfigured_service_starts_once_and_judges_as_restarted_instances_do() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("starts");
    let once = common::report(&reconfigured("ok", &file), common::core());
    assert_eq!(starts(&file), 1, "one instance for every expected audience");
    let restarted = common::report(&odd("ok", 20_000), common::core());
    assert_eq!(verdicts(&once), verdicts(&restarted));
    assert_eq!(outcome(&once, "core/multi-config-second"), Outcome::Pass);
}

#[test]
fn a_refused_configuration_fails_only_its_own_cases() {
    let dir = tempfile::tempdir().unwrap();
    let r = common::report(&reconfigured("refuses-admin", &dir.path().join("starts")), common::core());
    let refused: Vec<_> = r.results.iter().filter(|x| x.outcomes[&Profile::Rfc7519] == Outcome::Error).collect();
    assert!(!refused.is_empty());
    for x in &refused {
        let detail = x.detail.as_deref().unwrap();
        assert!(detail.contains("did not take the configuration") && detail.contains("admin audiences refused on purpose"), "{detail}");
        assert!(x.evidence.audience.as_ref().unwrap().iter().any(|a| a.contains("admin")), "{}", x.id);
    }
    assert_eq!(outcome(&r, "core/valid-exact-string"), Outcome::Pass, "the next configuration is taken again");
}

#[test]
fn a_service_may_serve_each_configuration_at_its_own_url_on_loopback_only() {
    let dir = tempfile::tempdir().unwrap();
    let moved = common::report(&reconfigured("moves", &dir.path().join("a")), common::core());
    assert_eq!(outcome(&moved, "core/valid-exact-string"), Outcome::Pass, "cases go to the url of the ready answer");
    assert_eq!(outcome(&moved, "core/multi-config-second"), Outcome::Pass, "and to the url of the configure answer");
    let elsewhere = common::report(&reconfigured("elsewhere", &dir.path().join("b")), common::core());
    let x = elsewhere.results.iter().find(|x| x.id == "core/multi-config-second").unwrap();
    assert_eq!(x.outcomes[&Profile::Rfc7519], Outcome::Error);
    assert!(x.detail.as_deref().unwrap().contains("only sends to loopback"), "{:?}", x.detail);
}

#[test]
fn a_reconfigured_service_that_dies_is_started_and_configured_again() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("starts");
    let r = common::report(&reconfigured("dies-configured", &file), common::core());
    assert_eq!(r.results.len(), 38, "the report is complete");
    assert_eq!(starts(&file), 2, "started again once");
    let died: Vec<_> = r.results.iter().filter(|x| x.outcomes[&Profile::Rfc7519] == Outcome::Error).collect();
    assert_eq!(died.len(), 1, "only the case it died on: {died:#?}");
    assert!(died[0].detail.as_deref().unwrap().contains("dying on purpose"), "{:?}", died[0].detail);
    assert_eq!(outcome(&r, "core/multi-config-second"), Outcome::Pass, "configured again after the restart");
}

#[test]
fn a_port_another_process_took_first_is_not_taken_for_the_service() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("starts");
    let r = common::report(&reconfigured("port-taken", &file), common::core());
    assert_eq!(starts(&file), 2, "started again on another port");
    let plain = common::report(&odd("ok", 20_000), common::core());
    assert_eq!(verdicts(&r), verdicts(&plain), "no verdict is the other process's");
}
