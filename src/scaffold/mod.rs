//! `audcheck new adapter <language>-<library>`: a working skeleton of an adapter folder
//! (manifest, protocol loop, install step, and one marked place for the library call) in
//! Node, Python, Java, Go or Rust, or of an HTTP service (`--http`) in Node, Python or Go.
//! The templates are the files beside this one.

use std::fmt;

/// A template: its path in the adapter folder, and its text with `{{name}}`, `{{library}}`
/// and `{{crate}}` to fill in.
type Template = (&'static str, &'static str);

macro_rules! templates {
    ($dir:literal: $($file:literal),+ $(,)?) => {
        &[$(($file, include_str!(concat!($dir, "/", $file)))),+]
    };
}

const NODE: &[Template] = templates!("node": "adapter.json", "adapter.js", "package.json", "package-lock.json");
const PYTHON: &[Template] = templates!("python": "adapter.json", "adapter.py", "requirements.txt");
const JAVA: &[Template] = templates!("java": "adapter.json", "Adapter.java", "pom.xml");
const GO: &[Template] = templates!("go": "adapter.json", "main.go", "go.mod");
const RUST: &[Template] = templates!("rust": "adapter.json", "Cargo.toml", "src/main.rs");
const NODE_HTTP: &[Template] = templates!("node-http": "adapter.json", "server.js", "package.json", "package-lock.json");
const PYTHON_HTTP: &[Template] = templates!("python-http": "adapter.json", "server.py", "requirements.txt");
const GO_HTTP: &[Template] = templates!("go-http": "adapter.json", "main.go", "go.mod");

/// The languages a skeleton can be written in, by the target name's first part.
pub const LANGUAGES: [&str; 5] = ["node", "python", "java", "go", "rust"];

/// The marks around the one place a user changes: the library call.
pub const BEGIN: &str = "AUDCHECK-BEGIN library call";
pub const END: &str = "AUDCHECK-END library call";

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScaffoldError {
    #[error("\"{0}\" is not a target name; use <language>-<library> in lowercase letters, digits and '-' (say node-my-jwt)")]
    BadName(String),
    #[error("\"{language}\" in \"{name}\" is not a language audcheck writes adapters in; use one of: {}", LANGUAGES.join(", "))]
    Language { name: String, language: String },
    #[error("an HTTP service skeleton in {0} is not available yet; use node, python or go, or write the service yourself (docs/http.md)")]
    NoHttp(String),
}

/// A skeleton's files: (relative path, contents).
pub struct Skeleton {
    pub files: Vec<(String, String)>,
}

impl fmt::Debug for Skeleton {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.files.iter().map(|(p, _)| p)).finish()
    }
}

/// The skeleton of the adapter named `name` (`<language>-<library>`), a process adapter or,
/// with `http`, a service.
pub fn skeleton(name: &str, http: bool) -> Result<Skeleton, ScaffoldError> {
    let ok = !name.is_empty() && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    let Some((language, library)) = name.split_once('-').filter(|(l, r)| ok && !l.is_empty() && !r.is_empty()) else {
        return Err(ScaffoldError::BadName(name.to_string()));
    };
    let templates = match (language, http) {
        ("node", false) => NODE,
        ("python", false) => PYTHON,
        ("java", false) => JAVA,
        ("go", false) => GO,
        ("rust", false) => RUST,
        ("node", true) => NODE_HTTP,
        ("python", true) => PYTHON_HTTP,
        ("go", true) => GO_HTTP,
        ("java" | "rust", true) => return Err(ScaffoldError::NoHttp(language.to_string())),
        _ => return Err(ScaffoldError::Language { name: name.to_string(), language: language.to_string() }),
    };
    let fill = |t: &str| t.replace("{{name}}", name).replace("{{library}}", library).replace("{{crate}}", &format!("audcheck-adapter-{name}"));
    Ok(Skeleton { files: templates.iter().map(|(path, text)| (path.to_string(), fill(text))).collect() })
}

#[cfg(test)]
mod tests {
    use super::{BEGIN, END, LANGUAGES, ScaffoldError, skeleton};

    #[test]
    fn every_skeleton_has_a_manifest_and_one_marked_place() {
        for (lang, http) in LANGUAGES.iter().map(|l| (*l, false)).chain([("node", true), ("python", true), ("go", true)]) {
            let s = skeleton(&format!("{lang}-my-jwt"), http).unwrap();
            let manifest = &s.files.iter().find(|(p, _)| p == "adapter.json").expect("a manifest").1;
            let m: serde_json::Value = serde_json::from_str(manifest).unwrap();
            assert_eq!(m["targets"][0]["name"], format!("{lang}-my-jwt"));
            let marked: Vec<_> = s.files.iter().filter(|(_, t)| t.contains(BEGIN) && t.contains(END)).collect();
            assert_eq!(marked.len(), 1, "{lang}: {s:?}");
            assert!(s.files.iter().all(|(_, t)| !t.contains("{{")), "{lang}: a placeholder left");
        }
    }

    #[test]
    fn names_and_languages_are_checked() {
        assert!(matches!(skeleton("cobol-jwt", false), Err(ScaffoldError::Language { .. })));
        assert!(matches!(skeleton("java-jwt", true), Err(ScaffoldError::NoHttp(_))));
        for bad in ["node", "node-", "-jwt", "Node-jwt", "node-jwt/../x", "node jwt"] {
            assert!(matches!(skeleton(bad, false), Err(ScaffoldError::BadName(_))), "{bad}");
        }
    }
}
