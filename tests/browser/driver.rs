//! Runs the Node.js drivers beside this file (playwright-core, Debian's chromium) and reads
//! what they print. A plan is a list of steps through the page's own controls.

use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::Command;

/// A driver script in tests/browser, its packages installed once for all tests.
fn script(name: &str) -> PathBuf {
    static INSTALL: std::sync::Once = std::sync::Once::new();
    let dir = crate::common::repo().join("tests/browser");
    INSTALL.call_once(|| {
        if !dir.join("node_modules/playwright-core").is_dir() {
            let ok = Command::new("npm").args(["ci", "--no-audit", "--no-fund"]).current_dir(&dir).status().expect("npm runs (install Node.js and npm)");
            assert!(ok.success(), "npm ci in tests/browser failed");
        }
    });
    dir.join(name)
}

fn chromium() -> String {
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    assert!(Path::new(&chromium).exists(), "{chromium} is missing: install Debian's chromium package (.ci/run does) or set CHROMIUM");
    chromium
}

/// Runs a driver script and parses what it prints.
pub fn node(name: &str, args: &[&str]) -> Value {
    let o = Command::new("node").arg(script(name)).args(args).env("CHROMIUM", chromium()).output().unwrap();
    assert!(o.status.success(), "{name}: {}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).unwrap()
}

/// Picks an option of a select.
pub fn select(id: &str, value: &str) -> Value {
    json!({"select": id, "value": value})
}

/// Sets a checkbox.
pub fn check(id: &str, on: bool) -> Value {
    json!({"check": id, "value": on})
}

/// Clicks a column's heading in the summary.
pub fn sort(column: &str) -> Value {
    json!({"sort": column})
}

/// Clicks a case's cell in a target's column of the matrix.
pub fn cell(case: &str, target: &str) -> Value {
    json!({"cell": [case, target]})
}

/// Records what the page shows, under a name.
pub fn view(name: &str) -> Value {
    json!({"view": name})
}

/// What the page showed at each `view` step.
pub struct Views(Vec<Value>);

impl Views {
    pub fn get(&self, name: &str) -> &Value {
        &self.0.iter().find(|v| v["name"] == name).unwrap_or_else(|| panic!("no view {name}"))["view"]
    }
}

/// Follows a plan on a page (and saves a screenshot of the end when `shot` is given).
/// Every recorded view is opened again from its link alone and must show the same; the
/// page must make no request and raise no error.
pub fn follow(page: &Path, shot: Option<&Path>, plan: &[Value]) -> Views {
    let shot = shot.map_or("-".to_string(), |p| p.display().to_string());
    let out = node("check.js", &[page.to_str().unwrap(), &shot, &Value::from(plan.to_vec()).to_string()]);
    let views = out["views"].as_array().unwrap().clone();
    assert_eq!(views.len(), plan.iter().filter(|s| s.get("view").is_some()).count());
    for v in &views {
        for (part, shown) in v["view"].as_object().unwrap() {
            assert_eq!(&v["fromLink"][part], shown, "the link {} reproduces the {part} of the view {}", v["view"]["hash"], v["name"]);
        }
    }
    assert_eq!(out["errors"], json!([]), "the page is self-contained and runs without errors");
    Views(views)
}
