//! Services written here, as a user would write one (tests/services/own), tested the way
//! a user tests theirs: `audcheck run --url` (or a manifest with a `url`), reading the
//! report it writes. A correct service comes out trusted with no failure under RFC 7519,
//! whatever its algorithm, its keys' source or where it reads the token; its web server's
//! size limits aside.

mod common;

use audcheck::model::{Outcome, Profile};
use audcheck::report::Report;
use audcheck::validator::{ensure_installed, load_manifest};
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

const AUDIENCE: &str = "https://api.example.com";

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// The service, killed when dropped.
struct Own(Child);

impl Drop for Own {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts the service in `mode` on a free port; its JWKS URL is on `keys_port`.
fn start(mode: &str, issuer: &str, keys_port: u16) -> (Own, u16) {
    let pyjwt = common::repo().join("adapters/python-pyjwt");
    ensure_installed(&pyjwt, &load_manifest(&pyjwt).unwrap(), false).unwrap();
    let port = free_port();
    let child = Command::new(pyjwt.join(".venv/bin/python"))
        .arg(common::repo().join("tests/services/own/server.py"))
        .env("MODE", mode)
        .env("PORT", port.to_string())
        .env("AUDIENCE", AUDIENCE)
        .env("ISSUER", issuer)
        .env("JWKS_URL", format!("http://127.0.0.1:{keys_port}/jwks.json"))
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    (Own(child), port)
}

/// Runs audcheck with `args` and reads the report named `name`.
fn run(args: &[String], name: &str) -> Report {
    let out = tempfile::tempdir().unwrap();
    let mut all = vec!["run".to_string(), "--out".into(), out.path().display().to_string(), "--format".into(), "json".into()];
    all.extend(args.iter().cloned());
    let o = common::audcheck(&all);
    assert!(matches!(o.status.code(), Some(0 | 1)), "{}", String::from_utf8_lossy(&o.stderr));
    audcheck::report::read(&out.path().join(format!("{name}.json"))).unwrap_or_else(|e| panic!("{e}\n{}", String::from_utf8_lossy(&o.stderr)))
}

/// Trusted, some cases ran, and no failure under RFC 7519 outside the size family.
fn clean(r: &Report) {
    assert!(r.target.trusted, "{}: {:?}", r.target.name, r.target.untrusted_because);
    let ran = r.results.iter().filter(|x| x.verdict.is_some() && !x.id.starts_with("control/")).count();
    assert!(ran > 100, "{}: only {ran} cases ran", r.target.name);
    let failures: Vec<String> = r
        .results
        .iter()
        .filter(|x| x.family != "size" && x.outcomes[&Profile::Rfc7519].is_failure())
        .map(|x| format!("{} {}: {:?} {:?}", x.id, x.outcomes[&Profile::Rfc7519], x.verdict, x.detail))
        .collect();
    assert!(failures.is_empty(), "{}: {failures:#?}", r.target.name);
}

fn url_args(port: u16, keys_port: u16, extra: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = ["--url", &format!("http://127.0.0.1:{port}/api/orders"), "--url-audience", AUDIENCE, "--keys-port", &keys_port.to_string()]
        .iter()
        .map(|s| s.to_string())
        .collect();
    v.extend(extra.iter().map(|s| s.to_string()));
    v
}

#[test]
fn an_rs256_only_service_with_keys_from_the_jwks_url() {
    let keys = free_port();
    let (_service, port) = start("rs256", "https://auth.example.com", keys);
    let r = run(&url_args(port, keys, &["--url-alg", "RS256", "--url-name", "own-rs256", "--url-library", "pyjwt@2.15.1"]), "own-rs256");
    clean(&r);
    assert_eq!((r.target.library.as_str(), r.target.version.as_str()), ("pyjwt", "2.15.1"));
    assert!(r.results.iter().filter(|x| x.verdict.is_some()).all(|x| x.evidence.alg == audcheck::model::Alg::RS256));
    let es256 = common::row(&r, "alg/es256-valid");
    assert_eq!(es256.outcomes[&Profile::Rfc7519], Outcome::Skipped, "a case that names another algorithm");
}

#[test]
fn an_hs256_only_service_with_the_test_secret() {
    let keys = free_port();
    let (_service, port) = start("hs256", "https://auth.example.com", keys);
    let r = run(&url_args(port, keys, &["--url-alg", "HS256", "--url-name", "own-hs256"]), "own-hs256");
    clean(&r);
    assert_eq!(common::row(&r, "control/valid").evidence.alg, audcheck::model::Alg::HS256, "the controls are signed with HS256");
}

#[test]
fn a_service_configured_only_by_discovery_at_its_issuer() {
    let keys = free_port();
    let issuer = format!("http://127.0.0.1:{keys}/tenant");
    let (_service, port) = start("discovery", &issuer, keys);
    let r = run(&url_args(port, keys, &["--url-alg", "RS256", "--issuer", &issuer, "--url-name", "own-discovery"]), "own-discovery");
    clean(&r);
    assert_eq!(r.target.capabilities.issuer.as_deref(), Some(issuer.as_str()));
    let valid = common::row(&r, "control/valid");
    assert_eq!(valid.evidence.claims.as_ref().unwrap()["iss"], issuer.as_str(), "tokens carry the issuer");
}

#[test]
fn a_service_that_reads_the_token_from_a_custom_header_described_by_a_manifest() {
    let keys = free_port();
    let (_service, port) = start("header", "https://auth.example.com", keys);
    let dir = tempfile::tempdir().unwrap();
    let manifest = serde_json::json!({
        "format": "audcheck-adapter/1", "name": "own-header", "transport": "http",
        "url": format!("http://127.0.0.1:{port}/api/orders"),
        "http": {"library": "pyjwt", "version": "2.15.1", "language": "python", "algorithms": ["RS256"],
                 "token": "header:X-Token", "audiences": [AUDIENCE]},
        "targets": [{"name": "own-header", "options": {}}]
    });
    std::fs::write(dir.path().join("adapter.json"), manifest.to_string()).unwrap();
    let args: Vec<String> = ["--adapter", dir.path().to_str().unwrap(), "--target", "own-header", "--keys-port", &keys.to_string()].iter().map(|s| s.to_string()).collect();
    clean(&run(&args, "own-header"));
}

#[test]
fn a_service_that_is_not_up_is_one_clear_error_before_any_case() {
    let port = free_port();
    let started = std::time::Instant::now();
    let o = common::audcheck(&["run", "--url", &format!("http://127.0.0.1:{port}/x"), "--url-audience", AUDIENCE, "--url-wait", "1"]);
    assert_eq!(o.status.code(), Some(2), "{}", String::from_utf8_lossy(&o.stderr));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("did not answer within") && err.contains("start the service first"), "{err}");
    assert!(started.elapsed() < Duration::from_secs(20));
}

#[test]
fn options_that_would_be_ignored_are_errors() {
    for args in [
        vec!["run", "--url-audience", AUDIENCE],
        vec!["run", "--issuer", "https://auth.example.com"],
        vec!["run", "--url", "http://127.0.0.1:1/x", "--url-audience", AUDIENCE, "--target", "rust-jsonwebtoken"],
        vec!["run", "--url", "http://127.0.0.1:1/x", "--url-audience", AUDIENCE, "--url-token", "carrier-pigeon"],
    ] {
        let o = common::audcheck(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", String::from_utf8_lossy(&o.stderr));
    }
}
