//! audcheck adapter for {{library}} (the protocol: audcheck's docs/protocol.md), a Rust
//! library run in a process of its own. It reads one JSON request a line on stdin and
//! answers one a line on stdout. Configure the library the way its documentation tells
//! users to, and report its own verdict: never check anything here yourself.

use serde_json::{Value, json};
use std::io::{BufRead, Write};

/// The library under test: add it to Cargo.toml with an exact version.
const LIBRARY: &str = "{{library}}";
/// The library's version, for the report.
const VERSION: &str = "unknown";

/// The one place to change: verify `msg["token"]` with the library. `msg["alg"]`: "RS256"...;
/// `msg["key"]["jwk"]`: the public JWK (an "oct" JWK holding the secret for HS256);
/// `msg["key"]["pem"]`: the SPKI PEM; `msg["audience"]`: the expected audiences, or null for
/// "configure none"; `msg["issuer"]`: the expected issuer; `msg["now"]`: the Unix time to
/// check at. Return `{"accepted": true}`, or `{"accepted": false, "reason": ..., "error": ...}`
/// with reason one of audience, missing-aud, signature, expired, not-yet-valid, issuer,
/// malformed, config, other (or none) and error the library's own message.
fn verify(msg: &Value) -> Value {
    let _ = msg;
    // AUDCHECK-BEGIN library call
    json!({"accepted": false, "reason": "other", "error": "audcheck skeleton: call the library here"})
    // AUDCHECK-END library call
}

fn main() {
    let stdin = std::io::stdin();
    let mut out = std::io::stdout().lock();
    for line in stdin.lock().lines() {
        let Ok(line) = line else { break };
        let reply = match serde_json::from_str::<Value>(&line) {
            Err(e) => json!({"op": "error", "id": null, "error": format!("not JSON: {e}")}),
            Ok(msg) => match msg["op"].as_str() {
                Some("hello") if msg["options"].as_object().is_some_and(|o| !o.is_empty()) => {
                    json!({"op": "error", "id": null, "error": "this adapter takes no options"})
                }
                Some("hello") => json!({
                    "op": "hello", "protocol": 1, "library": LIBRARY, "version": VERSION, "language": "rust",
                    // The algorithms the library verifies, and how it takes several expected audiences.
                    "capabilities": {"algorithms": ["HS256", "RS256", "PS256", "ES256", "EdDSA"], "audience": "any-of"},
                }),
                Some("verify") => answer(&msg),
                _ => json!({"op": "error", "id": msg["id"], "error": "unknown op"}),
            },
        };
        let _ = writeln!(out, "{reply}");
        let _ = out.flush();
    }
}

/// One verdict; a library that panics where it should reject is reported as an error of the
/// adapter, never a crash.
fn answer(msg: &Value) -> Value {
    match std::panic::catch_unwind(|| verify(msg)) {
        Ok(Value::Object(mut v)) => {
            v.insert("op".into(), json!("verify"));
            v.insert("id".into(), msg["id"].clone());
            Value::Object(v)
        }
        Ok(other) => json!({"op": "error", "id": msg["id"], "error": format!("verify returned {other}, not an object")}),
        Err(_) => json!({"op": "error", "id": msg["id"], "error": "the library panicked"}),
    }
}
