//! JUnit XML, for CI systems that show test results: one test suite per profile, one test
//! case per case. A bypass, false reject or wrong reason is a `<failure>`, an error or hang
//! an `<error>`, a skipped case `<skipped>`; failures carry the evidence.

use super::{Report, ResultRow, show_json, shown_aud, verdict_shown};
use crate::model::{Outcome, Profile};
use quick_xml::escape::escape;
use std::fmt::Write;

pub fn junit(r: &Report) -> String {
    let t = &r.target;
    let (mut tests, mut failures, mut errors, mut skipped) = (0, 0, 0, 0);
    let mut suites = String::new();
    for p in &r.profiles {
        let mut body = String::new();
        let (mut f, mut e, mut s) = (0, 0, 0);
        for row in &r.results {
            let Some(o) = row.outcomes.get(p).copied() else { continue };
            match o {
                Outcome::Bypass | Outcome::FalseReject | Outcome::WrongReason => f += 1,
                Outcome::Error | Outcome::Hang => e += 1,
                Outcome::Skipped => s += 1,
                Outcome::Pass | Outcome::Info => {}
            }
            case(&mut body, r, row, *p, o);
        }
        let n = r.results.iter().filter(|row| row.outcomes.contains_key(p)).count();
        let _ = writeln!(
            suites,
            "  <testsuite name=\"{} / {p}\" tests=\"{n}\" failures=\"{f}\" errors=\"{e}\" skipped=\"{s}\">\n{body}  </testsuite>",
            attr(&t.name)
        );
        (tests, failures, errors, skipped) = (tests + n, failures + f, errors + e, skipped + s);
    }
    let untrusted = if t.trusted { String::new() } else { format!(" untrusted=\"{}\"", attr(&t.untrusted_because.join("; "))) };
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"audcheck: {} ({} {})\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\" skipped=\"{skipped}\"{untrusted}>\n{suites}</testsuites>\n",
        attr(&t.name),
        attr(&t.library),
        attr(&t.version)
    )
}

fn case(out: &mut String, r: &Report, row: &ResultRow, p: Profile, o: Outcome) {
    let head = format!("    <testcase classname=\"{}.{p}\" name=\"{}\"", attr(&r.target.name), attr(&row.id));
    let message = format!("{o}: {} ({}); expected {}", verdict_shown(row), row.title, row.expect.get(&p).map(|e| e.to_string()).unwrap_or_default());
    let tag = match o {
        Outcome::Pass | Outcome::Info => {
            let _ = writeln!(out, "{head}/>");
            return;
        }
        Outcome::Skipped => {
            let _ = writeln!(out, "{head}><skipped message=\"{}\"/></testcase>", attr(row.detail.as_deref().unwrap_or("skipped")));
            return;
        }
        Outcome::Error | Outcome::Hang => "error",
        Outcome::Bypass | Outcome::FalseReject | Outcome::WrongReason => "failure",
    };
    let _ = writeln!(out, "{head}>\n      <{tag} type=\"{o}\" message=\"{}\">{}</{tag}>\n    </testcase>", attr(&message), text(&evidence(row)));
}

/// The evidence in lines a person reads in a CI log.
fn evidence(row: &ResultRow) -> String {
    let e = &row.evidence;
    let mut s = format!("aud: {}\n", shown_aud(e));
    let _ = writeln!(s, "expected audience: {}", e.audience.as_ref().map(|a| show_json(&serde_json::json!(a))).unwrap_or_else(|| "(none configured)".into()));
    let _ = writeln!(s, "issuer: {}", e.issuer.as_deref().unwrap_or("(none)"));
    let _ = writeln!(s, "alg: {}, key: {}", e.alg, e.key);
    match (&row.verdict, &row.detail) {
        (Some(v), _) => {
            let _ = writeln!(s, "verdict: {}", verdict_shown(row));
            if let Some(m) = &v.error {
                let _ = writeln!(s, "library says: {m}");
            }
        }
        (None, Some(d)) => {
            let _ = writeln!(s, "no verdict: {d}");
        }
        (None, None) => {}
    }
    let _ = write!(s, "spec: {}", row.spec.join(", "));
    s
}

/// XML 1.0 cannot hold most control characters, even escaped: they are written as `\u{..}`.
fn text(s: &str) -> String {
    let clean: String = s
        .chars()
        .flat_map(|c| if c.is_control() && c != '\n' && c != '\t' { c.escape_unicode().collect::<Vec<_>>() } else { vec![c] })
        .collect();
    escape(clean.as_str()).into_owned()
}

fn attr(s: &str) -> String {
    text(&s.replace(['\n', '\t'], " "))
}
