//! Adapter manifests, `--adapter`, and `adapters install`: errors that name the file and
//! the field, and the documentation's minimal adapter run for real.

mod common;

use audcheck::validator::{Launch, ProcessTarget, Validator, ensure_installed, load_manifest};
use std::time::Duration;

fn manifest_error(json: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("adapter.json"), json).unwrap();
    let e = load_manifest(dir.path()).unwrap_err().to_string();
    assert!(e.contains("adapter.json"), "{e}");
    e
}

const GOOD: &str = r#"{"format":"audcheck-adapter/1","name":"x","transport":"process","command":["python3","a.py"],"targets":[{"name":"python-x"}]}"#;

#[test]
fn manifest_mistakes_name_the_field() {
    assert!(manifest_error(&GOOD.replace("audcheck-adapter/1", "audcheck-adapter/2")).contains("field `format`"));
    assert!(manifest_error(&GOOD.replace(r#""python3","a.py""#, "")).contains("field `command`"));
    assert!(manifest_error(&GOOD.replace(r#"{"name":"python-x"}"#, "")).contains("field `targets`"));
    assert!(manifest_error(&GOOD.replace("python-x", "python x")).contains("field `targets[0].name`"));
    assert!(manifest_error(&GOOD.replace(r#""process""#, r#""carrier-pigeon""#)).contains("field `transport`"));
    assert!(manifest_error(&GOOD.replace(r#""name":"x""#, r#""name":"x","comand":[]"#)).contains("unknown field `comand`"));
    assert!(manifest_error("{").contains("EOF"));
    load_manifest(&write_manifest(GOOD).path().to_path_buf()).unwrap();
}

#[test]
fn a_published_bug_and_a_configure_path_are_checked() {
    let bug = |b: &str| GOOD.replace(r#"{"name":"python-x"}"#, &format!(r#"{{"name":"python-x@1.0","bug":{b}}}"#));
    let ok = r#"{"title":"aud ignored","url":"https://example.org/advisory","fixed":"python-x@1.1"}"#;
    load_manifest(&write_manifest(&bug(ok)).path().to_path_buf()).unwrap();
    assert!(manifest_error(&bug(&ok.replace("https://example.org/advisory", "javascript:alert(1)"))).contains("field `targets[0].bug.url`"));
    assert!(manifest_error(&bug(&ok.replace("python-x@1.1", "python-x@1.0"))).contains("field `targets[0].bug.fixed`"));
    assert!(manifest_error(&bug(&ok.replace("python-x@1.1", "a` **b**"))).contains("field `targets[0].bug.fixed`"), "a target name, nothing a report would render");
    assert!(manifest_error(&bug(&ok.replace("aud ignored", " "))).contains("field `targets[0].bug.title`"));
    assert!(manifest_error(&bug(r#"{"title":"t","url":"https://e.org"}"#)).contains("fixed"));
    let http = r#"{"format":"audcheck-adapter/1","name":"x","transport":"http","command":["node","s.js"],
        "http":{"library":"l","language":"node","ready_path":"/ready","path":"/p","algorithms":["RS256"],"configure_path":"PATH"},
        "targets":[{"name":"node-x"}]}"#;
    load_manifest(&write_manifest(&http.replace("PATH", "/audcheck/configure")).path().to_path_buf()).unwrap();
    assert!(manifest_error(&http.replace("PATH", "audcheck/configure")).contains("field `http.configure_path`"));
}

#[test]
fn manifest_schema_errors_say_what_the_field_holds() {
    let e = manifest_error(&GOOD.replace(r#","targets":[{"name":"python-x"}]"#, ""));
    assert!(e.contains("field `targets`: missing") && e.contains("a list of targets, each an object such as {\"name\""), "{e}");
    let e = manifest_error(&GOOD.replace(r#"["python3","a.py"]"#, r#""python3 a.py""#));
    assert!(e.contains("field `command`") && e.contains("a list of strings such as [\"node\", \"adapter.js\"]"), "{e}");
    let e = manifest_error(&GOOD.replace(r#"{"name":"python-x"}"#, r#"{"options":{}}"#));
    assert!(e.contains("field `targets[0].name`: missing") && e.contains("<language>-<library>"), "{e}");
    let e = manifest_error(r#"{"name":"x","transport":"process","command":["a"],"targets":[{"name":"x-y"}]}"#);
    assert!(e.contains("field `format`: missing; add \"format\": \"audcheck-adapter/1\""), "{e}");
    // Another audcheck file in the manifest's place is named as such.
    let e = manifest_error(r#"{"format":"audcheck-suite/1","name":"s","cases":[]}"#);
    assert!(e.contains("this is an audcheck suite (audcheck-suite/1), not an adapter manifest"), "{e}");
    assert!(manifest_error("{").contains("not valid JSON"));
}

fn write_manifest(json: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("adapter.json"), json).unwrap();
    dir
}

#[test]
fn a_missing_toolchain_is_named() {
    let dir = write_manifest(&GOOD.replace(r#""targets""#, r#""install":[["no-such-tool-audcheck","ci"]],"targets""#));
    let m = load_manifest(dir.path()).unwrap();
    let e = ensure_installed(dir.path(), &m, false).unwrap_err().to_string();
    assert!(e.contains("`no-such-tool-audcheck`") && e.contains("not on PATH"), "{e}");
}

#[test]
fn a_changed_source_installs_again_and_installed_dependencies_do_not() {
    let dir = write_manifest(&GOOD.replace(r#""targets""#, r#""install":[["sh","-c","echo run >> installs.txt"]],"targets""#));
    let m = load_manifest(dir.path()).unwrap();
    let runs = || std::fs::read_to_string(dir.path().join("installs.txt")).unwrap_or_default().lines().count();
    let touch = |path: &str, text: &str| {
        let file = dir.path().join(path);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(file, text).unwrap();
    };
    touch("src/main/Adapter.java", "class Adapter {}");
    assert!(ensure_installed(dir.path(), &m, false).unwrap());
    assert!(!ensure_installed(dir.path(), &m, false).unwrap(), "installed already");
    touch("node_modules/dep/index.js", "// what npm ci wrote");
    touch("target/classes/Adapter.class", "built");
    assert!(!ensure_installed(dir.path(), &m, false).unwrap(), "what installs fill is not a source");
    touch("src/main/Adapter.java", "class Adapter { /* edited */ }");
    assert!(ensure_installed(dir.path(), &m, false).unwrap(), "a source in a subfolder changed");
    assert_eq!(runs(), 2);
}

use common::audcheck;

/// The Python adapter printed in docs/protocol.md, run with the pyjwt adapter's interpreter.
#[test]
fn the_documented_minimal_adapter_works() {
    let doc = std::fs::read_to_string(common::repo().join("docs/protocol.md")).unwrap();
    let code = doc.split("```python\n").nth(1).unwrap().split("```").next().unwrap();
    let pyjwt = common::repo().join("adapters/python-pyjwt");
    ensure_installed(&pyjwt, &load_manifest(&pyjwt).unwrap(), false).unwrap();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("adapter.py"), code).unwrap();
    let python = pyjwt.join(".venv/bin/python");
    let manifest = serde_json::json!({
        "format": "audcheck-adapter/1", "name": "doc-minimal", "transport": "process",
        "command": [python, "adapter.py"], "targets": [{ "name": "python-doc-minimal", "options": {} }]
    });
    std::fs::write(dir.path().join("adapter.json"), manifest.to_string()).unwrap();
    let t = ProcessTarget::start(Launch {
        name: "python-doc-minimal".into(),
        dir: dir.path().to_path_buf(),
        command: vec![python.display().to_string(), "adapter.py".into()],
        options: Default::default(),
        timeout: Duration::from_secs(5),
        misuse: false,
    });
    assert!(t.unavailable().is_none(), "{:?}", t.unavailable());
    let r = common::report(&t, common::core());
    assert!(r.target.trusted, "{:?}", r.target.untrusted_because);

    // The same folder through the command line, with --adapter.
    let out = tempfile::tempdir().unwrap();
    let o = audcheck(&["run", "--adapter", dir.path().to_str().unwrap(), "--target", "python-doc-minimal", "--out", out.path().to_str().unwrap()]);
    assert!(out.path().join("python-doc-minimal.json").is_file(), "{}", String::from_utf8_lossy(&o.stderr));
    let listed = audcheck(&["targets", "--adapter", dir.path().to_str().unwrap(), "--target", "python-doc-minimal"]);
    assert!(String::from_utf8_lossy(&listed.stdout).contains("python-doc-minimal"));
}

#[test]
fn an_adapter_folder_without_a_manifest_is_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let o = audcheck(&["run", "--adapter", dir.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no adapter.json"));
}

#[test]
fn unknown_options_are_refused_at_hello() {
    let pyjwt = common::repo().join("adapters/python-pyjwt");
    ensure_installed(&pyjwt, &load_manifest(&pyjwt).unwrap(), false).unwrap();
    let t = ProcessTarget::start(Launch {
        name: "python-pyjwt+bogus".into(),
        dir: common::repo().join("adapters/python-pyjwt"),
        command: vec![".venv/bin/python".into(), "adapter.py".into()],
        options: serde_json::json!({ "bogus": 1 }).as_object().unwrap().clone(),
        timeout: Duration::from_secs(5),
        misuse: false,
    });
    let why = t.unavailable().expect("refused");
    assert_eq!(why.kind(), audcheck::model::FailureKind::CannotStart);
    assert!(why.to_string().contains("refused hello") && why.to_string().contains("bogus"), "{why}");
}
