//! reports/index.html: one self-contained page (no external assets) with the matrix, filters
//! by profile, family, outcome, language and importance, a sortable summary, and each
//! result's evidence with the target's advice for a failing family. The data is embedded as
//! JSON; the page's script (index.html beside this file) renders it.

use super::{Report, spec_link, verdict_shown};
use crate::model::{Outcome, Profile};
use serde_json::{Value, json};
use std::collections::BTreeMap;

const TEMPLATE: &str = include_str!("index.html");

pub fn html(reports: &[Report]) -> String {
    let data = serde_json::to_string(&data(reports)).expect("the page data serializes");
    TEMPLATE.replace("/*AUDCHECK-DATA*/null", &script_safe(&data))
}

/// JSON that no string in it can end or open a script element with: every `<`, `>` and `&`
/// written as a JSON escape (so no "</script>", "<!--" or "<script" appears), and the line
/// separators U+2028 and U+2029 too. It parses to the same value.
fn script_safe(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

fn data(reports: &[Report]) -> Value {
    let mut cases: BTreeMap<&str, Value> = BTreeMap::new();
    for row in reports.iter().flat_map(|r| &r.results) {
        cases.entry(&row.id).or_insert_with(|| {
            let spec: Vec<Value> = row.spec.iter().map(|s| json!({"ref": s, "url": spec_link(s)})).collect();
            json!({
                "id": row.id, "family": row.family, "title": row.title, "importance": row.importance,
                "spec": spec, "expect": row.expect, "reason": row.expected_reason, "evidence": row.evidence,
            })
        });
    }
    let index: BTreeMap<&str, usize> = cases.keys().enumerate().map(|(i, id)| (*id, i)).collect();
    let outcome_index = |o: &Outcome| Outcome::ALL.iter().position(|x| x == o).unwrap_or(0);
    let targets: Vec<Value> = reports
        .iter()
        .map(|r| {
            let t = &r.target;
            let mut results = vec![Value::Null; cases.len()];
            for row in &r.results {
                let outcomes: Vec<Value> =
                    Profile::ALL.iter().map(|p| row.outcomes.get(p).map_or(Value::Null, |o| json!(outcome_index(o)))).collect();
                let message = row.verdict.as_ref().and_then(|v| v.error.as_deref()).or(row.detail.as_deref()).map(|m| shorten(m, &t.name));
                results[index[row.id.as_str()]] = json!({"o": outcomes, "v": verdict_shown(row), "m": message});
            }
            json!({
                "name": t.name, "library": t.library, "version": t.version, "language": t.language,
                "transport": t.transport, "options": t.options, "trusted": t.trusted, "misuse": t.misuse,
                "untrusted_because": t.untrusted_because, "remediation": r.remediation, "results": results,
            })
        })
        .collect();
    let bugs: Vec<Value> = super::reproductions(reports)
        .iter()
        .map(|r| {
            let shown: serde_json::Map<String, Value> =
                r.shown.iter().map(|(p, cs)| (p.to_string(), cs.iter().map(|c| json!([c.id, c.vulnerable, c.fixed])).collect())).collect();
            json!({
                "title": r.bug.title, "url": r.bug.url,
                "vulnerable": r.vulnerable.target.name, "vulnerable_version": r.vulnerable.target.version,
                "fixed": r.bug.fixed, "fixed_version": r.fixed.map(|f| f.target.version.clone()), "shown": shown,
            })
        })
        .collect();
    json!({
        "bugs": bugs,
        "profiles": Profile::ALL,
        "outcomes": Outcome::ALL,
        "cases": cases.into_values().collect::<Vec<_>>(),
        "targets": targets,
    })
}

/// Longest library message kept on the page; libraries quote whole tokens, and the page
/// holds every target. The JSON report keeps the whole message.
const MESSAGE_CHARS: usize = 300;

fn shorten(m: &str, target: &str) -> String {
    let n = m.chars().count();
    if n <= MESSAGE_CHARS {
        return m.to_string();
    }
    format!("{}… ({n} chars; the whole message is in {target}.json)", m.chars().take(MESSAGE_CHARS).collect::<String>())
}

#[cfg(test)]
mod tests {
    use super::{data, html, script_safe};
    use crate::model::Family;
    use crate::remediation::Advice;
    use crate::report::Report;
    use proptest::prelude::*;
    use serde_json::json;

    fn report(name: &str, remediation: &[(Family, &str, Option<&str>)]) -> Report {
        let advice = remediation.iter().map(|(f, change, see)| (f.clone(), Advice { change: change.to_string(), see: see.map(str::to_string) }));
        Report { remediation: advice.collect(), ..crate::report::empty_report(name) }
    }

    // Each target carries its own advice, by family, and only the families it has advice on.
    #[test]
    fn the_page_data_holds_each_targets_advice_by_family() {
        let a = report("a", &[(Family::ARRAY, "Pass the audience as a list.", Some("https://example.com/doc")), (Family::CASE, "Compare exactly.", None)]);
        let b = report("b", &[]);
        let d = data(&[a, b]);
        assert_eq!(d["targets"][0]["remediation"], json!({"array": {"change": "Pass the audience as a list.", "see": "https://example.com/doc"}, "case": {"change": "Compare exactly."}}));
        assert_eq!(d["targets"][1]["remediation"], json!({}));
    }

    // Advice is data like any other string: embedded inert, read back unchanged.
    #[test]
    fn hostile_advice_is_embedded_as_data() {
        let change = "</script><script>window.__pwned=1</script>";
        let page = html(&[report("a", &[(Family::WRONG, change, Some("javascript:window.__pwned=1"))])]);
        assert_eq!(page.matches("</script>").count(), 2, "only the page's own two script elements end");
        let start = page.find("id=\"data\">").unwrap() + "id=\"data\">".len();
        let embedded: serde_json::Value = serde_json::from_str(&page[start..start + page[start..].find("</script>").unwrap()]).unwrap();
        assert_eq!(embedded["targets"][0]["remediation"]["wrong"], json!({"change": change, "see": "javascript:window.__pwned=1"}));
    }

    proptest! {
        // Any string survives embedding: the embedded text has no markup character and
        // parses back to the same value.
        #[test]
        fn embedded_json_is_inert(s in ".*", extra in prop_oneof![Just("</script>"), Just("<!--<script>"), Just("]]>"), Just("\u{2028}")]) {
            let v = serde_json::json!({"m": format!("{s}{extra}{s}")});
            let safe = script_safe(&v.to_string());
            let markup = ['<', '>', '&', '\u{2028}', '\u{2029}'];
            prop_assert!(!safe.contains(markup), "{}", safe);
            prop_assert_eq!(serde_json::from_str::<serde_json::Value>(&safe).unwrap(), v);
        }
    }
}
