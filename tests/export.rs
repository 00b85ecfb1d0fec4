//! `audcheck export`: vectors others can use without audcheck. Read back from the files
//! alone: every token verifies with the exported key exactly when it was signed with the
//! trusted key, and the entries say what the suites say.

mod common;

use jsonwebtoken::{DecodingKey, jwk::Jwk};
use serde_json::Value;
use std::path::Path;
use std::process::Command;

fn export(out: &Path) {
    let o = Command::new(env!("CARGO_BIN_EXE_audcheck"))
        .args(["export", "--out", out.to_str().unwrap(), "--now", "1767225600"])
        .current_dir(common::repo())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
}

fn read(dir: &Path, rel: &str) -> String {
    std::fs::read_to_string(dir.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[test]
fn exported_tokens_verify_with_the_exported_keys() {
    let dir = tempfile::tempdir().unwrap();
    export(dir.path());
    let index: Value = serde_json::from_str(&read(dir.path(), "cases.json")).unwrap();
    assert_eq!(index["format"], "audcheck-vectors/1");
    let cases = index["cases"].as_array().unwrap();
    let suites = common::standard_cases();
    assert_eq!(cases.len(), suites.len() + audcheck::session::controls().unwrap().len());
    let (mut good, mut wrong) = (0, 0);
    for c in cases {
        let id = c["id"].as_str().unwrap();
        let token = read(dir.path(), c["token_file"].as_str().unwrap());
        assert_eq!(token.trim(), c["token"].as_str().unwrap(), "{id}");
        assert_eq!(read(dir.path(), &format!("cases/{id}.json")), format!("{}\n", serde_json::to_string_pretty(c).unwrap()), "{id}");
        let v = &c["validator"];
        let jwk: Jwk = serde_json::from_str(&read(dir.path(), v["key"]["jwk"].as_str().unwrap())).unwrap();
        let key = DecodingKey::from_jwk(&jwk).unwrap();
        let alg: jsonwebtoken::Algorithm = v["alg"].as_str().unwrap().parse().unwrap();
        let (message, signature) = token.trim().rsplit_once('.').unwrap();
        let ok = jsonwebtoken::crypto::verify(signature, message.as_bytes(), &key, alg).unwrap();
        let signed_with = c["signed_with"].as_str().unwrap();
        assert_eq!(ok, signed_with == "default", "{id}: signed with the {signed_with} key");
        if ok { good += 1 } else { wrong += 1 }
        if let Some(case) = suites.iter().find(|s| s.id == id) {
            for p in audcheck::model::Profile::ALL {
                assert_eq!(c["expect"][p.as_str()], serde_json::json!(case.expectation(*p)), "{id} {p}");
            }
            assert_eq!(v["audience"], serde_json::json!(case.audience), "{id}");
        }
    }
    assert!(good > 200 && wrong >= 1, "{good} {wrong}");
    // Public keys only: no private member in any exported asymmetric JWK.
    for kid in ["audcheck-test-rsa", "audcheck-test-ec", "audcheck-test-ed25519"] {
        let jwk: Value = serde_json::from_str(&read(dir.path(), &format!("keys/{kid}.jwk.json"))).unwrap();
        assert!(jwk.get("d").is_none(), "{kid}");
        assert!(read(dir.path(), &format!("keys/{kid}.pub.pem")).contains("BEGIN PUBLIC KEY"));
    }
}

#[test]
fn the_same_time_gives_the_same_vectors() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    export(a.path());
    export(b.path());
    // RS256 signatures are deterministic: the whole entry is stable.
    let entry = read(a.path(), "cases/core/trailing-slash-token.json");
    assert_eq!(entry, read(b.path(), "cases/core/trailing-slash-token.json"));
    insta::assert_snapshot!("trailing-slash-token.json", entry);
    insta::assert_snapshot!("README.md", read(a.path(), "README.md"));
}

#[test]
fn an_unwritable_folder_is_exit_2_before_any_work() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("file");
    std::fs::write(&file, "").unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_audcheck")).args(["export", "--out", file.join("x").to_str().unwrap()]).current_dir(common::repo()).output().unwrap();
    assert_eq!(o.status.code(), Some(2), "an output path is the user's input");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("--out") && err.contains("choose another folder") && !String::from_utf8_lossy(&o.stdout).contains("signed cases"), "{err}");
}
