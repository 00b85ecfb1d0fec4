//! Tokens: every algorithm signs with the test keys; payloads and headers are exact.

use audcheck::model::{Alg, KeyChoice};
use audcheck::suite::Payload;
use audcheck::token::{self, Clock, Keys};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{DecodingKey, Validation};
use serde_json::{Map, Value, json};

fn decoding_key(alg: Alg) -> DecodingKey {
    let k = Keys::test().trusted(alg);
    let pem = k.pem.as_deref().unwrap_or_default().as_bytes();
    match alg {
        Alg::HS256 => DecodingKey::from_secret(k.secret.as_ref().unwrap()),
        Alg::RS256 | Alg::PS256 => DecodingKey::from_rsa_pem(pem).unwrap(),
        Alg::ES256 => DecodingKey::from_ec_pem(pem).unwrap(),
        Alg::EdDSA => DecodingKey::from_ed_pem(pem).unwrap(),
    }
}

fn segment(token: &str, i: usize) -> String {
    String::from_utf8(URL_SAFE_NO_PAD.decode(token.split('.').nth(i).unwrap()).unwrap()).unwrap()
}

#[test]
fn every_algorithm_signs_and_the_wrong_twin_fails() {
    let clock = Clock::system();
    let payload = token::payload_text(&Payload::Claims { claims: Map::new(), remove: vec![] }, clock);
    for &alg in Alg::ALL {
        let mut v = Validation::new(token::jwt_alg(alg));
        v.validate_aud = false;
        let good = token::build(Keys::test(), &payload, &Map::new(), alg, KeyChoice::Default).unwrap();
        jsonwebtoken::decode::<Value>(&good.compact, &decoding_key(alg), &v).unwrap_or_else(|e| panic!("{alg}: {e}"));
        let bad = token::build(Keys::test(), &payload, &Map::new(), alg, KeyChoice::Wrong).unwrap();
        let err = jsonwebtoken::decode::<Value>(&bad.compact, &decoding_key(alg), &v).unwrap_err();
        assert_eq!(err.kind(), &jsonwebtoken::errors::ErrorKind::InvalidSignature, "{alg}");
        assert_eq!(bad.header.get("kid"), good.header.get("kid"), "the forgery names the trusted kid");
    }
}

#[test]
fn raw_payload_is_signed_byte_for_byte() {
    let raw = r#"{"aud":"https:\/\/api.example.com","aud":"x","exp":${exp},"iat":${iat}}"#;
    let clock = Clock::at(1_790_000_000).unwrap();
    let text = token::payload_text(&Payload::Raw(raw.into()), clock);
    assert_eq!(text, r#"{"aud":"https:\/\/api.example.com","aud":"x","exp":1790003600,"iat":1789999940}"#);
    let t = token::build(Keys::test(), &text, &Map::new(), Alg::HS256, KeyChoice::Default).unwrap();
    assert_eq!(segment(&t.compact, 1), text);
}

#[test]
fn time_claims_are_added_unless_given_or_removed() {
    let clock = Clock::at(1_790_000_000).unwrap();
    let claims = json!({ "aud": "a", "exp": 5 }).as_object().unwrap().clone();
    let text = token::payload_text(&Payload::Claims { claims, remove: vec!["nbf".into()] }, clock);
    let v: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v, json!({ "aud": "a", "exp": 5, "iat": 1_789_999_940u64 }));
}

#[test]
fn any_json_value_can_be_the_aud() {
    for aud in [json!(null), json!(1.5), json!({"a": [1]}), json!([["x"]]), json!(true), json!("\u{200b}")] {
        let claims = json!({ "aud": aud.clone() }).as_object().unwrap().clone();
        let text = token::payload_text(&Payload::Claims { claims, remove: vec![] }, Clock::system());
        let t = token::build(Keys::test(), &text, &Map::new(), Alg::RS256, KeyChoice::Default).unwrap();
        let v: Value = serde_json::from_str(&segment(&t.compact, 1)).unwrap();
        assert_eq!(v["aud"], aud);
    }
}

#[test]
fn header_fields_override_and_null_removes() {
    let extra = json!({ "typ": "at+jwt", "kid": null, "cty": "x" }).as_object().unwrap().clone();
    let t = token::build(Keys::test(), "{}", &extra, Alg::ES256, KeyChoice::Default).unwrap();
    let h: Value = serde_json::from_str(&segment(&t.compact, 0)).unwrap();
    assert_eq!(h, json!({ "alg": "ES256", "typ": "at+jwt", "cty": "x" }));
}

#[test]
fn test_keys_are_distinct_and_labelled() {
    let keys = Keys::test();
    for &alg in Alg::ALL {
        let good = &keys.get(alg, KeyChoice::Default).public;
        let bad = &keys.get(alg, KeyChoice::Wrong).public;
        assert!(good.kid.starts_with("audcheck-test-"), "{}", good.kid);
        assert_ne!(good.jwk, bad.jwk, "{alg}: the twin must differ");
    }
    assert_eq!(keys.trusted_jwks().len(), 4);
}

#[test]
fn pinned_versions_match_the_lockfile() {
    use audcheck::validator::*;
    let lock = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.lock")).unwrap();
    for (name, version) in [
        ("jsonwebtoken", RUST_JSONWEBTOKEN_VERSION),
        ("jwt-simple", RUST_JWT_SIMPLE_VERSION),
        ("josekit", RUST_JOSEKIT_VERSION),
        ("jwt-compact", RUST_JWT_COMPACT_VERSION),
    ] {
        let entry = format!("name = \"{name}\"\nversion = \"{version}\"");
        assert!(lock.contains(&entry), "the report would name a {name} version other than the one built");
    }
    // The earlier releases of the release matrix.
    for target in [&RustJsonwebtoken9::new() as &dyn Validator, &RustJsonwebtoken10::new(), &RustJsonwebtoken11::new()] {
        let entry = format!("name = \"jsonwebtoken\"\nversion = \"{}\"", target.identity().version);
        assert!(lock.contains(&entry), "{} names a release other than the one built", target.identity().name);
    }
}
