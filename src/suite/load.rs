//! Loading: read every file, check everything, and only then hand out cases.

use super::error::{SuiteError, SuiteErrorKind as Kind, SuiteErrors};
use super::file::{CASE_FIELDS, CaseFile, SignFile, SuiteFile};
use super::schema::{self, strip_position};
use super::{Case, FORMAT, Payload, Suite};
use crate::model::{Alg, Family, Importance, KeyChoice, Profile, Reason};
use serde_json::{Value, json};
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
    let problem = |field: Option<String>, kind| SuiteError { file: file.into(), case: None, field, kind };
    let value: Value = serde_json::from_str(text).map_err(|e| {
        SuiteErrors(vec![problem(None, Kind::Json { line: e.line(), column: e.column(), message: strip_position(&e.to_string()) })])
    })?;
    // Another kind of file is named as such, not as a list of unknown fields.
    match value.get("format").and_then(Value::as_str) {
        Some(f) if f != FORMAT => {
            let hint = match crate::formats::describe(f) {
                Some(what) => format!("this is {what} ({f}), not a suite; a suite file has \"format\": \"{FORMAT}\""),
                None => format!("unknown format \"{f}\"; this audcheck reads \"{FORMAT}\""),
            };
            return Err(SuiteErrors(vec![problem(Some("format".into()), Kind::Format(hint))]));
        }
        _ => {}
    }
    let template = json!({"format": FORMAT, "name": "-", "cases": []});
    let (raw, problems) = schema::check::<SuiteFile>(value, &template, "format, name, description, defaults, cases");
    let mut errors: Vec<SuiteError> = problems.into_iter().map(|(field, kind)| problem(field, kind)).collect();
    let Some(raw) = raw.filter(|_| !errors.iter().any(|e| e.field.as_deref().is_some_and(|f| f.starts_with("cases")))) else {
        return Err(SuiteErrors(errors));
    };
    let default_sign = match raw.defaults.sign.as_ref().map(parse_sign).transpose() {
        Ok(s) => s.unwrap_or((Alg::RS256, KeyChoice::Default)),
        Err(kind) => {
            errors.push(problem(Some("defaults.sign".into()), kind));
            (Alg::RS256, KeyChoice::Default)
        }
    };
    let case_template = json!({"id": "x/y", "family": "valid", "title": "-", "expect": "accept"});
    let mut cases = Vec::new();
    for (i, value) in raw.cases.into_iter().enumerate() {
        let label = value.get("id").and_then(Value::as_str).map(str::to_string).unwrap_or(format!("#{}", i + 1));
        let err = |field: Option<String>, kind| SuiteError { file: file.into(), case: Some(label.clone()), field, kind };
        let (parsed, problems) = schema::check::<CaseFile>(value, &case_template, CASE_FIELDS);
        let reported: Vec<Option<String>> = problems.iter().map(|(f, _)| f.clone()).collect();
        let fine = problems.is_empty();
        errors.extend(problems.into_iter().map(|(f, k)| err(f, k)));
        // The checks beyond the schema run on what the schema left, for every problem at once.
        match parsed.map(|c| build_case(c, &raw.defaults, default_sign)) {
            Some(Ok(case)) if fine => cases.push(case),
            Some(Err(more)) => errors.extend(more.into_iter().filter(|(f, _)| !reported.contains(&Some(f.to_string()))).map(|(f, k)| err(Some(f.into()), k))),
            _ => {}
        }
    }
    if errors.is_empty() {
        Ok(Suite { name: raw.name, description: raw.description, path: file.display().to_string(), cases })
    } else {
        Err(SuiteErrors(errors))
    }
}

type FieldError = (&'static str, Kind);

fn build_case(c: CaseFile, defaults: &super::file::Defaults, default_sign: (Alg, KeyChoice)) -> Result<Case, Vec<FieldError>> {
    // Every check runs; the case is built only when none found a problem.
    let mut errs: Vec<FieldError> = Vec::new();
    errs.extend(check_id(&c.id).err());
    let family = Family::new(&c.family).map_err(|e| errs.push(("family", Kind::InvalidValue(e.to_string())))).ok();
    if c.title.trim().is_empty() {
        errs.push(("title", Kind::InvalidValue("the title is empty; say in a few words what the case tests".into())));
    }
    let payload = match (c.claims, c.payload_raw) {
        (Some(_), Some(_)) => {
            errs.push(("payload_raw", Kind::Conflict("a case gives either `claims` or `payload_raw`, not both; put every claim into the raw text".into())));
            None
        }
        (None, Some(raw)) => {
            if !c.remove.is_empty() {
                errs.push(("remove", Kind::Conflict("`remove` has no meaning with `payload_raw`; leave the claim out of the raw text".into())));
            }
            errs.extend(check_placeholders(&raw).err());
            if let Some(twin) = &c.twin {
                errs.extend(check_placeholders(twin).err().map(|(_, k)| ("twin", k)));
            }
            Some(Payload::Raw(raw))
        }
        (claims, None) => {
            let mut merged = defaults.claims.clone();
            merged.extend(claims.unwrap_or_default());
            for name in &c.remove {
                merged.shift_remove(name);
            }
            if c.twin.is_some() {
                errs.push(("twin", Kind::Conflict("`twin` is for `payload_raw` cases; audcheck makes the twin of a case with `claims` itself".into())));
            }
            Some(Payload::Claims { claims: merged, remove: c.remove })
        }
    };
    // A case (or its suite) that names an algorithm tests that algorithm; any other case is
    // signed with one the validator takes.
    let alg_given = c.sign.as_ref().is_some_and(|s| s.alg.is_some()) || defaults.sign.as_ref().is_some_and(|s| s.alg.is_some());
    let (alg, key) = match &c.sign {
        Some(s) => {
            let (dalg, dkey) = default_sign;
            let s = SignFile { alg: s.alg.clone().or(Some(dalg.to_string())), key: s.key.clone().or(Some(dkey.to_string())) };
            parse_sign(&s).unwrap_or_else(|k| {
                errs.push(("sign", k));
                default_sign
            })
        }
        None => default_sign,
    };
    let mut profiles = BTreeMap::new();
    for (name, expectation) in c.profiles {
        match name.parse::<Profile>() {
            Ok(profile) => {
                profiles.insert(profile, expectation);
            }
            Err(e) => errs.push(("profiles", Kind::InvalidValue(e.to_string()))),
        }
    }
    let (Some(family), Some(payload), true) = (family, payload, errs.is_empty()) else { return Err(errs) };
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
