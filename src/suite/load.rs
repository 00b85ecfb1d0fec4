//! Loading: read every file, check everything, and only then hand out cases.

use super::error::{SuiteError, SuiteErrorKind as Kind, SuiteErrors};
use super::file::{CASE_FIELDS, CaseFile, SignFile, SuiteFile};
use super::{Case, FORMAT, Payload, Suite};
use crate::model::{Alg, Family, Importance, KeyChoice, Profile, Reason};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

const PLACEHOLDERS: [&str; 3] = ["iat", "nbf", "exp"];

/// The suite files a path names: the file itself, or a folder's `*.json` files (not its
/// subfolders) whose `format` is a suite format. Other audcheck files there are passed over.
pub fn discover(path: &Path) -> Result<Vec<PathBuf>, SuiteError> {
    let err = |kind| SuiteError { file: path.to_path_buf(), case: None, field: None, kind };
    if !path.is_dir() {
        return if path.exists() { Ok(vec![path.to_path_buf()]) } else {
            Err(err(Kind::Io(std::io::Error::new(std::io::ErrorKind::NotFound, "no such file or folder"))))
        };
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(path)
        .map_err(|e| err(Kind::Io(e)))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json") && is_suite_file(p))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(err(Kind::Empty));
    }
    Ok(files)
}

/// A folder holds other audcheck files too (requirements, say); only suites are loaded.
fn is_suite_file(p: &Path) -> bool {
    let Ok(text) = std::fs::read_to_string(p) else { return true };
    match serde_json::from_str::<Value>(&text) {
        Ok(v) => match v.get("format").and_then(Value::as_str) {
            Some(f) => f.starts_with("audcheck-suite/") || !f.starts_with("audcheck-"),
            None => true,
        },
        Err(_) => true, // let the loader report it
    }
}

/// Loads and checks every suite the paths name. Either all of them, or every problem found.
pub fn load_paths(paths: &[PathBuf]) -> Result<Vec<Suite>, SuiteErrors> {
    let mut errors = Vec::new();
    let mut suites = Vec::new();
    for path in paths {
        match discover(path) {
            Ok(files) => {
                for file in files {
                    match std::fs::read_to_string(&file) {
                        Ok(text) => match load_str(&file, &text) {
                            Ok(s) => suites.push(s),
                            Err(SuiteErrors(mut es)) => errors.append(&mut es),
                        },
                        Err(e) => errors.push(SuiteError { file, case: None, field: None, kind: Kind::Io(e) }),
                    }
                }
            }
            Err(e) => errors.push(e),
        }
    }
    check_unique_ids(&suites, &mut errors);
    if errors.is_empty() { Ok(suites) } else { Err(SuiteErrors(errors)) }
}

fn check_unique_ids(suites: &[Suite], errors: &mut Vec<SuiteError>) {
    let mut seen: HashMap<&str, &str> = HashMap::new();
    for suite in suites {
        for case in &suite.cases {
            if case.id.starts_with("control/") {
                errors.push(SuiteError {
                    file: PathBuf::from(&suite.path),
                    case: Some(case.id.clone()),
                    field: Some("id".into()),
                    kind: Kind::InvalidValue("the control/ namespace is reserved for audcheck's built-in controls; use another".into()),
                });
            }
            if let Some(first) = seen.insert(&case.id, &suite.path) {
                errors.push(SuiteError {
                    file: PathBuf::from(&suite.path),
                    case: Some(case.id.clone()),
                    field: Some("id".into()),
                    kind: Kind::DuplicateId(first.to_string()),
                });
                seen.insert(&case.id, first);
            }
        }
    }
}

/// Loads one suite from its text; `file` names it in errors.
pub fn load_str(file: &Path, text: &str) -> Result<Suite, SuiteErrors> {
    let top = |field: Option<String>, kind| SuiteErrors(vec![SuiteError { file: file.into(), case: None, field, kind }]);
    let value: Value = serde_json::from_str(text).map_err(|e| {
        top(None, Kind::Json { line: e.line(), column: e.column(), message: strip_position(&e.to_string()) })
    })?;
    let raw: SuiteFile = serde_path_to_error::deserialize(value).map_err(|e| {
        let (field, kind) = schema_error(e.path().to_string(), e.inner().to_string(), "format, name, description, defaults, cases");
        top(field, kind)
    })?;
    if raw.format != FORMAT {
        return Err(top(Some("format".into()), Kind::Format(format!(
            "unknown format \"{}\"; this audcheck reads \"{FORMAT}\"", raw.format))));
    }
    let default_sign = match raw.defaults.sign.as_ref().map(parse_sign).transpose() {
        Ok(s) => s.unwrap_or((Alg::RS256, KeyChoice::Default)),
        Err(kind) => return Err(top(Some("defaults.sign".into()), kind)),
    };
    let mut errors = Vec::new();
    let mut cases = Vec::new();
    for (i, value) in raw.cases.into_iter().enumerate() {
        let label = value.get("id").and_then(Value::as_str).map(str::to_string).unwrap_or(format!("#{}", i + 1));
        let err = |field: &str, kind| SuiteError { file: file.into(), case: Some(label.clone()), field: Some(field.into()), kind };
        let parsed: CaseFile = match serde_path_to_error::deserialize(value) {
            Ok(c) => c,
            Err(e) => {
                let (field, kind) = schema_error(e.path().to_string(), e.inner().to_string(), CASE_FIELDS);
                errors.push(SuiteError { file: file.into(), case: Some(label.clone()), field, kind });
                continue;
            }
        };
        match build_case(parsed, &raw.defaults, default_sign) {
            Ok(case) => cases.push(case),
            Err((field, kind)) => errors.push(err(field, kind)),
        }
    }
    if errors.is_empty() {
        Ok(Suite { name: raw.name, description: raw.description, path: file.display().to_string(), cases })
    } else {
        Err(SuiteErrors(errors))
    }
}

type FieldError = (&'static str, Kind);

fn build_case(c: CaseFile, defaults: &super::file::Defaults, default_sign: (Alg, KeyChoice)) -> Result<Case, FieldError> {
    check_id(&c.id)?;
    let family = Family::new(&c.family).map_err(|e| ("family", Kind::InvalidValue(e.to_string())))?;
    if c.title.trim().is_empty() {
        return Err(("title", Kind::InvalidValue("the title is empty; say in a few words what the case tests".into())));
    }
    let payload = match (c.claims, c.payload_raw) {
        (Some(_), Some(_)) => return Err(("payload_raw", Kind::Conflict(
            "a case gives either `claims` or `payload_raw`, not both; put every claim into the raw text".into()))),
        (None, Some(raw)) => {
            if !c.remove.is_empty() {
                return Err(("remove", Kind::Conflict("`remove` has no meaning with `payload_raw`; leave the claim out of the raw text".into())));
            }
            check_placeholders(&raw)?;
            if let Some(twin) = &c.twin {
                check_placeholders(twin).map_err(|(_, k)| ("twin", k))?;
            }
            Payload::Raw(raw)
        }
        (claims, None) => {
            let mut merged = defaults.claims.clone();
            merged.extend(claims.unwrap_or_default());
            for name in &c.remove {
                merged.shift_remove(name);
            }
            Payload::Claims { claims: merged, remove: c.remove }
        }
    };
    // A case (or its suite) that names an algorithm tests that algorithm; any other case is
    // signed with one the validator takes.
    let alg_given = c.sign.as_ref().is_some_and(|s| s.alg.is_some()) || defaults.sign.as_ref().is_some_and(|s| s.alg.is_some());
    if c.twin.is_some() && !matches!(payload, Payload::Raw(_)) {
        return Err(("twin", Kind::Conflict("`twin` is for `payload_raw` cases; audcheck makes the twin of a case with `claims` itself".into())));
    }
    let (alg, key) = match &c.sign {
        Some(s) => {
            let (dalg, dkey) = default_sign;
            let s = SignFile { alg: s.alg.clone().or(Some(dalg.to_string())), key: s.key.clone().or(Some(dkey.to_string())) };
            parse_sign(&s).map_err(|k| ("sign", k))?
        }
        None => default_sign,
    };
    let mut profiles = BTreeMap::new();
    for (name, expectation) in c.profiles {
        let profile: Profile = name.parse().map_err(|e| ("profiles", Kind::InvalidValue(format!("{e}"))))?;
        profiles.insert(profile, expectation);
    }
    let mut header = defaults.header.clone();
    header.extend(c.header);
    Ok(Case {
        id: c.id,
        family,
        title: c.title,
        description: c.description,
        spec: c.spec,
        importance: c.importance.unwrap_or(Importance::Medium),
        payload,
        header,
        audience: c.audience.unwrap_or_else(|| defaults.audience.clone()),
        issuer: defaults.claims.get("iss").and_then(Value::as_str).map(str::to_string),
        alg,
        alg_given,
        key,
        expect: c.expect,
        profiles,
        reason: c.reason.unwrap_or(Reason::Audience),
        twin_raw: c.twin,
    })
}

/// Ids name files (`audcheck export` writes `cases/<id>.jwt`), so an id is a relative path
/// of plain segments: no empty, `.` or `..` segment, nothing that could leave a folder.
fn check_id(id: &str) -> Result<(), FieldError> {
    let ok_chars = id.chars().all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || "-_./+".contains(ch));
    let bad = |why: &str| Err(("id", Kind::InvalidValue(format!(
        "\"{id}\" is not a case id: {why}; use a namespace and a name of lowercase letters, digits and -_.+, say \"core/array-contains-expected\""))));
    if !ok_chars {
        return bad("it has characters other than lowercase letters, digits and -_./+");
    }
    if !id.contains('/') {
        return bad("it has no namespace");
    }
    if id.split('/').any(|seg| seg.is_empty() || seg.starts_with('.')) {
        return bad("each part between slashes must be non-empty and must not start with '.' (no \".\" or \"..\")");
    }
    Ok(())
}

fn check_placeholders(raw: &str) -> Result<(), FieldError> {
    let mut rest = raw;
    while let Some(start) = rest.find("${") {
        let after = &rest[start + 2..];
        let name = after.split('}').next().unwrap_or("");
        if !after.contains('}') || !PLACEHOLDERS.contains(&name) {
            return Err(("payload_raw", Kind::InvalidValue(format!(
                "unknown placeholder \"${{{name}}}\"; the placeholders are ${{iat}}, ${{nbf}} and ${{exp}}"))));
        }
        rest = &after[name.len() + 1..];
    }
    Ok(())
}

fn parse_sign(s: &SignFile) -> Result<(Alg, KeyChoice), Kind> {
    let alg = s.alg.as_deref().unwrap_or("RS256").parse::<Alg>().map_err(|e| Kind::InvalidValue(e.to_string()))?;
    let key = s.key.as_deref().unwrap_or("default").parse::<KeyChoice>().map_err(|e| Kind::InvalidValue(e.to_string()))?;
    Ok((alg, key))
}

/// Turns serde's message and path into a field and a kind with a fix.
fn schema_error(path: String, message: String, fields: &str) -> (Option<String>, Kind) {
    let message = strip_position(&message);
    let field = if path.is_empty() || path == "." { None } else { Some(path) };
    if let Some(name) = message.strip_prefix("missing field `").and_then(|m| m.split('`').next()) {
        let field = Some(match field { Some(p) => format!("{p}.{name}"), None => name.to_string() });
        return (field, Kind::MissingField);
    }
    if let Some(name) = message.strip_prefix("unknown field `").and_then(|m| m.split('`').next()) {
        let field = Some(match field {
            Some(p) if !p.ends_with(name) => format!("{p}.{name}"),
            Some(p) => p,
            None => name.to_string(),
        });
        return (field, Kind::UnknownField(format!("the known fields are: {fields}")));
    }
    (field, Kind::InvalidValue(message))
}

fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}
