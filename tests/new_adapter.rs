//! `audcheck new adapter`: each skeleton, as written, installs and runs. The test puts a stub
//! in the one marked place (a check of `aud`, `iss` and `exp` that trusts any signature: a
//! stand-in for a library, so its wrong-key control fails) and runs the folder through
//! `audcheck run --adapter`: the skeleton speaks the protocol (or serves HTTP) and every
//! case gets a verdict.

mod common;

use audcheck::scaffold::{BEGIN, END};
use std::path::{Path, PathBuf};

/// The stub per language, and what else its file needs (imports).
fn stub(language: &str, http: bool) -> (&'static str, &'static [(&'static str, &'static str)]) {
    match (language, http) {
        ("node", false) => (NODE, &[]),
        ("node", true) => (NODE_HTTP, &[]),
        ("python", false) => (PYTHON, &[]),
        ("python", true) => (PYTHON_HTTP, &[]),
        ("java", false) => (JAVA, &[]),
        ("go", false) => (GO, &[("\"encoding/json\"", "\"encoding/base64\"\n\t\"encoding/json\"\n\t\"strings\"")]),
        ("go", true) => (GO_HTTP, &[("\"encoding/json\"", "\"encoding/base64\"\n\t\"encoding/json\"\n\t\"slices\"")]),
        ("rust", false) => (RUST, &[]),
        _ => unreachable!(),
    }
}

const NODE: &str = r#"const claims = JSON.parse(Buffer.from(msg.token.split('.')[1], 'base64url').toString());
const auds = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
const ok = claims.iss === msg.issuer && claims.exp > msg.now && (msg.audience || []).some((a) => auds.includes(a));
return ok ? { accepted: true } : { accepted: false, reason: 'audience', error: 'stub: rejected' };"#;

const NODE_HTTP: &str = r#"const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
const auds = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
const ok = claims.iss === config.issuer && claims.exp > Date.now() / 1000 && config.audiences.some((a) => auds.includes(a));
return ok ? null : 'stub: aud rejected';"#;

const PYTHON: &str = r#"import base64
part = msg["token"].split(".")[1]
claims = json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
auds = claims.get("aud") if isinstance(claims.get("aud"), list) else [claims.get("aud")]
ok = claims.get("iss") == msg["issuer"] and claims.get("exp", 0) > msg["now"] and any(a in auds for a in (msg["audience"] or []))
return {"accepted": True} if ok else {"accepted": False, "reason": "audience", "error": "stub: rejected"}"#;

const PYTHON_HTTP: &str = r#"import base64, time
part = token.split(".")[1]
claims = json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
auds = claims.get("aud") if isinstance(claims.get("aud"), list) else [claims.get("aud")]
ok = claims.get("iss") == CONFIG["issuer"] and claims.get("exp", 0) > time.time() and any(a in auds for a in CONFIG["audiences"])
return None if ok else "stub: aud rejected""#;

const JAVA: &str = r#"String part = msg.get("token").asText().split("\\.")[1];
JsonNode claims = JSON.readTree(java.util.Base64.getUrlDecoder().decode(part));
java.util.List<String> auds = new java.util.ArrayList<>();
if (claims.path("aud").isArray()) claims.get("aud").forEach(a -> auds.add(a.asText())); else auds.add(claims.path("aud").asText());
boolean ok = claims.path("iss").asText().equals(msg.path("issuer").asText()) && claims.path("exp").asLong() > msg.path("now").asLong();
boolean aud = false;
for (JsonNode a : msg.path("audience")) aud |= auds.contains(a.asText());
if (ok && aud) out.put("accepted", true); else out.put("accepted", false).put("reason", "audience").put("error", "stub: rejected");"#;

const GO: &str = r#"raw, _ := base64.RawURLEncoding.DecodeString(strings.Split(r.Token, ".")[1])
var c struct {
	Iss string `json:"iss"`
	Exp int64  `json:"exp"`
	Aud any    `json:"aud"`
}
_ = json.Unmarshal(raw, &c)
auds := []any{c.Aud}
if list, ok := c.Aud.([]any); ok {
	auds = list
}
for _, want := range r.Audience {
	for _, a := range auds {
		if a == want && r.Issuer != nil && c.Iss == *r.Issuer && c.Exp > r.Now {
			return verdict{Accepted: true}
		}
	}
}
return verdict{Reason: "audience", Error: "stub: rejected"}"#;

const GO_HTTP: &str = r#"parts := append(strings.Split(token, "."), "", "")
raw, _ := base64.RawURLEncoding.DecodeString(parts[1])
var claims struct {
	Iss string `json:"iss"`
	Aud any    `json:"aud"`
}
_ = json.Unmarshal(raw, &claims)
auds := []any{claims.Aud}
if list, ok := claims.Aud.([]any); ok {
	auds = list
}
for _, a := range auds {
	if s, ok := a.(string); ok && claims.Iss == c.Issuer && slices.Contains(c.Audiences, s) {
		return nil
	}
}
return fmt.Errorf("stub: aud rejected")"#;

const RUST: &str = r#"let decode = |s: &str| -> Vec<u8> {
    let val = |c: u8| match c { b'A'..=b'Z' => c - b'A', b'a'..=b'z' => c - b'a' + 26, b'0'..=b'9' => c - b'0' + 52, b'-' => 62, _ => 63 };
    let bits: Vec<u8> = s.bytes().map(val).collect();
    bits.chunks(4).flat_map(|q| {
        let n = q.iter().enumerate().fold(0u32, |n, (i, v)| n | (u32::from(*v) << (18 - 6 * i)));
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        bytes[..q.len() - 1].to_vec()
    }).collect()
};
let part = msg["token"].as_str().unwrap_or("").split('.').nth(1).unwrap_or("");
let claims: Value = serde_json::from_slice(&decode(part)).unwrap_or(Value::Null);
let auds: Vec<Value> = match &claims["aud"] { Value::Array(a) => a.clone(), v => vec![v.clone()] };
let aud = msg["audience"].as_array().is_some_and(|want| want.iter().any(|w| auds.contains(w)));
let ok = claims["iss"] == msg["issuer"] && claims["exp"].as_i64() > msg["now"].as_i64();
if aud && ok { json!({"accepted": true}) } else { json!({"accepted": false, "reason": "audience", "error": "stub: rejected"}) }"#;

/// Replaces what stands between the marks with `body`, indented as the marks are.
fn fill(text: &str, body: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let begin = lines.iter().position(|l| l.contains(BEGIN)).expect("a BEGIN mark");
    let end = lines.iter().position(|l| l.contains(END)).expect("an END mark");
    let indent: String = lines[begin].chars().take_while(|c| c.is_whitespace()).collect();
    let mut out: Vec<String> = lines[..=begin].iter().map(|l| l.to_string()).collect();
    out.extend(body.lines().map(|l| format!("{indent}{l}")));
    out.extend(lines[end..].iter().map(|l| l.to_string()));
    out.join("\n") + "\n"
}

/// Writes the skeleton with the binary, fills in the stub, and moves it to a folder under
/// target/ (kept between runs, so installs and builds are reused).
fn skeleton(language: &str, http: bool) -> PathBuf {
    let name = format!("{language}-stub{}", if http { "-http" } else { "" });
    let fresh = tempfile::tempdir().unwrap();
    let dir = fresh.path().join(&name);
    let mut args = vec!["new", "adapter", &name, "--out", dir.to_str().unwrap()];
    if http {
        args.push("--http");
    }
    let o = common::audcheck(&args);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(common::stdout(&o).contains("audcheck run --adapter"), "says what to do next");
    let (body, edits) = stub(language, http);
    let place = std::fs::read_dir(&dir).unwrap().chain(std::fs::read_dir(dir.join("src")).into_iter().flatten()).filter_map(Result::ok).map(|e| e.path());
    let marked = place.into_iter().find(|p| std::fs::read_to_string(p).is_ok_and(|t| t.contains(BEGIN))).expect("a marked file");
    let mut text = fill(&std::fs::read_to_string(&marked).unwrap(), body);
    for (from, to) in edits {
        text = text.replacen(from, to, 1);
    }
    std::fs::write(&marked, text).unwrap();
    let kept = common::repo().join("target/skeletons").join(&name);
    std::fs::create_dir_all(&kept).unwrap();
    copy_tree(&dir, &kept);
    kept
}

fn copy_tree(from: &Path, to: &Path) {
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dest = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
            copy_tree(&e.path(), &dest);
        } else if std::fs::read(&dest).ok() != Some(std::fs::read(e.path()).unwrap()) {
            std::fs::copy(e.path(), &dest).unwrap();
        }
    }
}

fn check(language: &str, http: bool) {
    let dir = skeleton(language, http);
    let name = dir.file_name().unwrap().to_str().unwrap().to_string();
    let out = tempfile::tempdir().unwrap();
    let o = common::audcheck(&[
        "run", "--adapter", dir.to_str().unwrap(), "--target", &name, "--suite", "suites/core.json", "--format", "json", "--out", out.path().to_str().unwrap(),
    ]);
    let r = audcheck::report::read(&out.path().join(format!("{name}.json"))).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&o.stderr)));
    let library = name.split_once('-').unwrap().1;
    assert_eq!(r.target.library, library, "{name}: the library named in hello (or the service's ready path)");
    let lost: Vec<_> = r.results.iter().filter(|x| x.failure.is_some()).map(|x| (&x.id, &x.detail)).collect();
    assert!(lost.is_empty(), "{name}: {lost:#?}");
    let valid = common::row(&r, "control/valid");
    assert_eq!(valid.verdict.as_ref().map(|v| v.accepted), Some(true), "{name}: {valid:?}");
    assert_eq!(common::row(&r, "core/wrong-service").verdict.as_ref().map(|v| v.accepted), Some(false), "{name}");
    assert!(r.target.untrusted_because.iter().any(|c| c.starts_with("control/wrong-key")), "{name}: the stub trusts any signature");
}

#[test]
fn node() {
    check("node", false);
}

#[test]
fn python() {
    check("python", false);
}

#[test]
fn java() {
    check("java", false);
}

#[test]
fn go() {
    check("go", false);
}

#[test]
fn rust_in_a_process() {
    check("rust", false);
}

#[test]
fn node_http() {
    check("node", true);
}

#[test]
fn python_http() {
    check("python", true);
}

#[test]
fn go_http() {
    check("go", true);
}

#[test]
fn a_folder_that_holds_files_is_not_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("mine.txt"), "keep").unwrap();
    let o = common::audcheck(&["new", "adapter", "node-x", "--out", dir.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("already holds files"));
    let o = common::audcheck(&["new", "adapter", "cobol-x"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("node, python, java, go, rust"));
}
