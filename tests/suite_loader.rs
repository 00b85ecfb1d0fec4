//! The suite loader: every field of the format, and one test per kind of mistake,
//! each asserting that the message names the file, the case and the field.

use audcheck::model::{Alg, Expectation, KeyChoice, Profile, Reason};
use audcheck::suite::{self, Payload, Suite, SuiteErrors};
use serde_json::{Value, json};
use std::path::PathBuf;

fn suite_text(cases: Value) -> String {
    json!({
        "format": "audcheck-suite/1",
        "name": "t",
        "defaults": { "claims": { "iss": "https://auth.example.com", "sub": "u" }, "audience": ["https://api.example.com"] },
        "cases": cases
    })
    .to_string()
}

fn case(extra: Value) -> Value {
    let mut c = json!({ "id": "t/one", "family": "valid", "title": "a case", "claims": { "aud": "x" }, "expect": "accept" });
    for (k, v) in extra.as_object().unwrap() {
        if v.is_null() && k != "audience" {
            c.as_object_mut().unwrap().remove(k);
        } else {
            c[k] = v.clone();
        }
    }
    c
}

fn load(text: &str) -> Result<Suite, SuiteErrors> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("my-suite.json");
    std::fs::write(&path, text).unwrap();
    suite::load_paths(&[path]).map(|mut v| v.remove(0))
}

/// Asserts one error whose message holds the file, every piece given, and a fix.
fn fails(text: &str, pieces: &[&str]) -> String {
    let err = load(text).expect_err("the suite should not load");
    assert_eq!(err.0.len(), 1, "one error expected, got: {err}");
    let msg = err.0[0].to_string();
    assert!(msg.contains("my-suite.json"), "no file in: {msg}");
    for p in pieces {
        assert!(msg.contains(p), "{p:?} missing in: {msg}");
    }
    msg
}

#[test]
fn loads_every_field() {
    let text = suite_text(json!([
        case(json!({ "id": "t/merged", "claims": { "aud": ["a", 1], "extra": {"k": true} }, "remove": ["sub"],
            "header": { "typ": "at+jwt" }, "sign": { "alg": "ES256", "key": "wrong" }, "expect": "reject",
            "profiles": { "oidc-id-token": "either" }, "reason": "signature", "importance": "critical",
            "spec": ["RFC7519-4.1.3"], "description": "d" })),
        case(json!({ "id": "t/no-config", "audience": null })),
        case(json!({ "id": "t/raw", "claims": null, "payload_raw": "{\"aud\":\"a\",\"aud\":\"b\",\"exp\":${exp}}" })),
    ]));
    let s = load(&text).unwrap();
    let merged = &s.cases[0];
    let claims = merged.claims().unwrap();
    assert_eq!(claims.get("iss"), Some(&json!("https://auth.example.com")));
    assert_eq!(claims.get("aud"), Some(&json!(["a", 1])));
    assert!(!claims.contains_key("sub"), "remove drops a default claim");
    assert_eq!(merged.header.get("typ"), Some(&json!("at+jwt")));
    assert_eq!((merged.alg, merged.key), (Alg::ES256, KeyChoice::Wrong));
    assert_eq!(merged.expectation(Profile::OidcIdToken), Expectation::Either);
    assert_eq!(merged.expectation(Profile::Rfc7519), Expectation::Reject);
    assert_eq!(merged.reason, Reason::Signature);
    assert_eq!(merged.audience, Some(vec!["https://api.example.com".to_string()]));
    assert_eq!(merged.issuer.as_deref(), Some("https://auth.example.com"));
    assert_eq!(s.cases[1].audience, None, "null means no expected audience");
    assert_eq!((s.cases[1].alg, s.cases[1].key), (Alg::RS256, KeyChoice::Default));
    assert!(matches!(&s.cases[2].payload, Payload::Raw(t) if t.contains("\"aud\":\"b\"")));
}

#[test]
fn not_json() {
    fails("{ \"format\": ", &["not valid JSON", "line 1"]);
}

#[test]
fn wrong_format() {
    let text = suite_text(json!([case(json!({}))])).replace("audcheck-suite/1", "audcheck-suite/9");
    fails(&text, &["field `format`", "audcheck-suite/9", "audcheck-suite/1"]);
}

#[test]
fn unknown_case_field() {
    fails(&suite_text(json!([case(json!({ "expct": "accept" }))])), &["case \"t/one\"", "field `expct`", "unknown field", "expect"]);
}

#[test]
fn unknown_top_level_field() {
    let text = suite_text(json!([])).replace("\"name\"", "\"nmae\":1,\"name\"");
    fails(&text, &["field `nmae`", "unknown field"]);
}

#[test]
fn missing_required_field() {
    fails(&suite_text(json!([case(json!({ "expect": null }))])), &["case \"t/one\"", "field `expect`", "missing; add it"]);
}

#[test]
fn missing_id_names_the_position() {
    fails(&suite_text(json!([case(json!({})), case(json!({ "id": null }))])), &["case \"#2\"", "field `id`", "missing"]);
}

#[test]
fn bad_expectation() {
    fails(&suite_text(json!([case(json!({ "expect": "acept" }))])), &["case \"t/one\"", "field `expect`", "acept", "accept"]);
}

#[test]
fn bad_profile_name() {
    fails(&suite_text(json!([case(json!({ "profiles": { "oidc": "reject" } }))])), &["case \"t/one\"", "field `profiles`", "\"oidc\"", "oidc-id-token"]);
}

#[test]
fn bad_profile_expectation() {
    fails(&suite_text(json!([case(json!({ "profiles": { "rfc9068": "maybe" } }))])), &["field `profiles.rfc9068`", "maybe"]);
}

#[test]
fn bad_reason() {
    fails(&suite_text(json!([case(json!({ "reason": "aud" }))])), &["field `reason`", "`aud`", "missing-aud"]);
}

#[test]
fn bad_sign_alg() {
    fails(&suite_text(json!([case(json!({ "sign": { "alg": "RS512" } }))])), &["field `sign`", "RS512", "HS256"]);
}

#[test]
fn bad_sign_key() {
    fails(&suite_text(json!([case(json!({ "sign": { "key": "other" } }))])), &["field `sign`", "\"other\"", "wrong"]);
}

#[test]
fn bad_audience_type() {
    fails(&suite_text(json!([case(json!({ "audience": "https://api.example.com" }))])), &["field `audience`", "sequence"]);
}

#[test]
fn bad_id() {
    fails(&suite_text(json!([case(json!({ "id": "No Namespace" }))])), &["field `id`", "namespace"]);
}

#[test]
fn bad_family() {
    fails(&suite_text(json!([case(json!({ "family": "Trailing Slash" }))])), &["field `family`", "lowercase"]);
}

#[test]
fn claims_and_payload_raw() {
    fails(&suite_text(json!([case(json!({ "payload_raw": "{}" }))])), &["field `payload_raw`", "not both"]);
}

#[test]
fn remove_with_payload_raw() {
    fails(&suite_text(json!([case(json!({ "claims": null, "payload_raw": "{}", "remove": ["sub"] }))])), &["field `remove`"]);
}

#[test]
fn unknown_placeholder() {
    fails(&suite_text(json!([case(json!({ "claims": null, "payload_raw": "{\"exp\":${expires}}" }))])), &["field `payload_raw`", "${expires}", "${exp}"]);
}

#[test]
fn reserved_control_namespace() {
    fails(&suite_text(json!([case(json!({ "id": "control/mine" }))])), &["case \"control/mine\"", "reserved"]);
}

#[test]
fn duplicate_ids_across_files() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.json");
    let b = dir.path().join("b.json");
    std::fs::write(&a, suite_text(json!([case(json!({}))]))).unwrap();
    std::fs::write(&b, suite_text(json!([case(json!({}))]))).unwrap();
    let err = suite::load_paths(&[dir.path().to_path_buf()]).expect_err("duplicate ids");
    let msg = err.0[0].to_string();
    assert!(msg.starts_with(&b.display().to_string()) && msg.contains(&a.display().to_string()), "{msg}");
    assert!(msg.contains("case \"t/one\"") && msg.contains("field `id`") && msg.contains("unique"), "{msg}");
}

#[test]
fn every_error_is_reported_at_once() {
    let err = load(&suite_text(json!([case(json!({ "expect": "x" })), case(json!({ "id": "t/two", "reason": "y" }))]))).unwrap_err();
    assert_eq!(err.0.len(), 2, "{err}");
}

#[test]
fn missing_path() {
    let err = suite::load_paths(&[PathBuf::from("/no/such/suite.json")]).unwrap_err();
    assert!(err.to_string().contains("/no/such/suite.json") && err.to_string().contains("no such file"), "{err}");
}

#[test]
fn folder_without_suites() {
    let dir = tempfile::tempdir().unwrap();
    let err = suite::load_paths(&[dir.path().to_path_buf()]).unwrap_err();
    assert!(err.to_string().contains("no suite files"), "{err}");
}

#[test]
fn folder_skips_other_audcheck_files() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.json"), suite_text(json!([case(json!({}))]))).unwrap();
    std::fs::write(dir.path().join("requirements.json"), r#"{"format":"audcheck-requirements/1"}"#).unwrap();
    assert_eq!(suite::load_paths(&[dir.path().to_path_buf()]).unwrap().len(), 1);
}

/// Ids name files (`export` writes `cases/<id>.jwt`): none may climb out of a folder.
#[test]
fn ids_that_could_name_a_path_outside_a_folder_are_refused() {
    for bad in ["t/../../etc/passwd", "t/./x", "../t/x", "t//x", "t/.hidden", "t/x/..", "/t/x", "t\\x"] {
        let msg = fails(&suite_text(json!([case(json!({ "id": bad }))])), &["field `id`"]);
        assert!(msg.contains("is not a case id"), "{bad}: {msg}");
    }
    load(&suite_text(json!([case(json!({ "id": "t/sub/name.v2+x" }))]))).unwrap();
}
