//! Library messages made byte-stable. A message may quote what depends on the run: the
//! time claims the run's clock added, the library's own clock, how long ago a fixed time
//! was, a port a service or the key server listened on, a temporary path. Each is replaced
//! by a name in angle brackets, the same way for every target, so a report of an unchanged
//! library is the same file run after run. `run --raw-messages` keeps the exact text.

use super::Report;
use crate::token::Clock;
use chrono::{DateTime, NaiveDateTime, Utc};
use regex::{Captures, Regex};
use std::sync::LazyLock;

/// How far from the run's clock a time in a message is taken as the library's clock.
const WINDOW: i64 = 2 * 86_400;

/// Replaces run-dependent values in every message of a report (verdicts, details, twins,
/// counterexamples).
pub fn stabilize(report: &mut Report, clock: Clock) {
    let s = Stabilizer::new(clock);
    for r in &mut report.results {
        s.fix_opt(r.verdict.as_mut().and_then(|v| v.error.as_mut()));
        s.fix_opt(r.detail.as_mut());
        if let Some(t) = r.evidence.twin.as_mut() {
            s.fix_opt(t.verdict.as_mut().and_then(|v| v.error.as_mut()));
            s.fix_opt(t.detail.as_mut());
        }
    }
    for r in &mut report.target.untrusted_because {
        *r = s.message(r);
    }
    if let Some(f) = report.fuzz.as_mut() {
        for c in &mut f.counterexamples {
            s.fix_opt(c.verdict.error.as_mut());
        }
    }
}

/// The rules for one run's clock and checkout.
pub struct Stabilizer {
    iat: i64,
    exp: i64,
    now: i64,
    /// The folder audcheck runs in (the checkout): a stack trace quotes adapter paths under it.
    cwd: Option<String>,
}

static KEYED: LazyLock<Regex> = LazyLock::new(|| Regex::new(r#"\b(iat|nbf|exp)("?\s*[:=]\s*)(\d{10}(?:\d{3})?)\b"#).unwrap());
static EPOCH: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\b\d{10}(?:\d{3})?(?:\.\d+)?\b").unwrap());
static ISO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b\d{4}-\d{2}-\d{2}[T ]\d{1,2}:\d{2}:\d{2}(?:\.\d+)?(?:Z| ?[+-]\d{2}(?::?\d{2}){0,2}(?: UTC)?| UTC| GMT)?").unwrap()
});
/// Java's default medium format ("Nov 29, 2026, 1:59:15 PM UTC") and `Date.toString()`.
static ENGLISH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:[A-Z][a-z]{2} \d{1,2}, \d{4},? \d{1,2}:\d{2}:\d{2}[\s\u{202f}][AP]M(?: [A-Z]{3})?|(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) [A-Z][a-z]{2} \d{1,2} \d{2}:\d{2}:\d{2} [A-Z]{3,4} \d{4})").unwrap()
});
static ELAPSED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b\d+(?:\.\d+)?\s*(?:milliseconds?|seconds?|minutes?|hours?|days?|ms|s)\s+ago\b|\b\d+h\d+m[\d.]+(?:s|ms|µs)\b").unwrap()
});
/// jjwt 0.11's "a difference of 295970970000 milliseconds" between the token and its clock.
static DIFFERENCE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\b(a difference of )\d+ milliseconds\b").unwrap());
static PORT: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\b(127\.0\.0\.1|localhost|\[::1\]):(\d{5})\b").unwrap());
/// A compact JWS: its payload holds the clock's claims, and PS256 and ES256 signatures differ
/// at every signing.
static TOKEN: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\beyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*").unwrap());
/// A process id in a service's log line: HAProxy's "[NOTICE]   (16800) :", "pid 123".
static PID: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(\[(?:NOTICE|WARNING|ALERT|INFO|DEBUG)\]\s*)\(\d+\)|\b(pid[ =:]\s*)\d+").unwrap());
static TEMP: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"/tmp/[^/\s\x22'`:;,)\]}]+").unwrap());

impl Stabilizer {
    pub fn new(clock: Clock) -> Stabilizer {
        let cwd = std::env::current_dir().ok().map(|d| d.to_string_lossy().into_owned()).filter(|d| d.len() > 1);
        Stabilizer { iat: clock.iat() as i64, exp: clock.exp() as i64, now: clock.now() as i64, cwd }
    }

    fn fix_opt(&self, m: Option<&mut String>) {
        if let Some(m) = m {
            *m = self.message(m);
        }
    }

    /// The message with every run-dependent value named.
    pub fn message(&self, m: &str) -> String {
        let m = TOKEN.replace_all(m, "<token>");
        let m = KEYED.replace_all(&m, |c: &Captures| match self.seconds(&c[3]) {
            Some(t) if self.near(t) => format!("{}{}<{}>", &c[1], &c[2], &c[1]),
            _ => c[0].to_string(),
        });
        let m = EPOCH.replace_all(&m, |c: &Captures| self.name_or(self.seconds(&c[0]), &c[0]));
        let m = ISO.replace_all(&m, |c: &Captures| self.name_or(iso_seconds(&c[0]), &c[0]));
        let m = ENGLISH.replace_all(&m, |c: &Captures| self.name_or(english_seconds(&c[0]), &c[0]));
        let m = ELAPSED.replace_all(&m, |c: &Captures| if c[0].ends_with("ago") { "<elapsed> ago".to_string() } else { "<elapsed>".to_string() });
        let m = DIFFERENCE.replace_all(&m, "${1}<elapsed>");
        let m = PORT.replace_all(&m, |c: &Captures| if c[2].parse::<u32>().is_ok_and(|p| p >= 10_000) { format!("{}:<port>", &c[1]) } else { c[0].to_string() });
        let m = PID.replace_all(&m, |c: &Captures| match (c.get(1), c.get(2)) {
            (Some(level), _) => format!("{}(<pid>)", level.as_str()),
            (_, Some(word)) => format!("{}<pid>", word.as_str()),
            _ => c[0].to_string(),
        });
        // The checkout first: it may itself be under /tmp.
        let m = match &self.cwd {
            Some(cwd) => m.replace(&format!("{cwd}/"), "<cwd>/"),
            None => m.into_owned(),
        };
        TEMP.replace_all(&m, "<tmp>").into_owned()
    }

    /// Unix seconds of a 10-digit (seconds) or 13-digit (milliseconds) number, with or
    /// without a fraction.
    fn seconds(&self, text: &str) -> Option<i64> {
        let digits = text.split('.').next()?;
        let n: i64 = digits.parse().ok()?;
        Some(if digits.len() == 13 { n / 1000 } else { n })
    }

    fn near(&self, t: i64) -> bool {
        (t - self.now).abs() <= WINDOW
    }

    /// `<iat>` or `<exp>` for the claims' own values, `<now>` for another time near the
    /// run (the library's clock), the text itself otherwise.
    fn name_or(&self, t: Option<i64>, text: &str) -> String {
        match t {
            Some(t) if t == self.iat => "<iat>".into(),
            Some(t) if t == self.exp => "<exp>".into(),
            Some(t) if self.near(t) => "<now>".into(),
            _ => text.into(),
        }
    }
}

fn iso_seconds(text: &str) -> Option<i64> {
    let head: String = text.chars().take(19).map(|c| if c == ' ' { 'T' } else { c }).collect();
    if let Ok(t) = DateTime::parse_from_rfc3339(text.trim_end_matches(" UTC").trim_end_matches(" GMT")) {
        return Some(t.timestamp());
    }
    NaiveDateTime::parse_from_str(&head, "%Y-%m-%dT%H:%M:%S").ok().map(|t| t.and_utc().timestamp())
}

fn english_seconds(text: &str) -> Option<i64> {
    let text = text.replace('\u{202f}', " ");
    let parse = |s: &str, f: &str| NaiveDateTime::parse_from_str(s, f).ok().map(|t| t.and_utc().timestamp());
    let trimmed = text.trim_end_matches(" UTC").trim_end_matches(" GMT");
    parse(trimmed, "%b %d, %Y, %I:%M:%S %p")
        .or_else(|| parse(trimmed, "%b %d, %Y %I:%M:%S %p"))
        .or_else(|| parse(&text, "%a %b %d %H:%M:%S UTC %Y"))
        .or_else(|| parse(&text, "%a %b %d %H:%M:%S GMT %Y"))
        .or_else(|| DateTime::parse_from_str(&text, "%a %b %d %H:%M:%S %Z %Y").ok().map(|t| t.with_timezone(&Utc).timestamp()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s() -> Stabilizer {
        Stabilizer::new(Clock::at(1_795_960_755).unwrap())
    }

    #[test]
    fn names_clock_claims_by_key_and_value() {
        let m = r#"JWT (claims->{"aud":"x","iat":1795960695,"nbf":1795960695,"exp":1795964355}) rejected"#;
        assert_eq!(s().message(m), r#"JWT (claims->{"aud":"x","iat":<iat>,"nbf":<nbf>,"exp":<exp>}) rejected"#);
        assert_eq!(s().message("Expired at 1500003600, time: 1795960822(leeway: 60)"), "Expired at 1500003600, time: <now>(leeway: 60)");
        assert_eq!(s().message("issued 1795960695000 ms"), "issued <iat> ms");
        assert_eq!(s().message("Token used too late, 1795960822.347 > 1500003900"), "Token used too late, <now> > 1500003900");
        assert_eq!(s().message("JsonWebSignature{}->eyJhbGciOiJIUzI1NiJ9.eyJpYXQiOjF9.c2ln]"), "JsonWebSignature{}-><token>]");
    }

    #[test]
    fn names_the_library_clock_in_dates() {
        assert_eq!(
            s().message("JWT expired 295957155000 milliseconds ago at 2017-07-14T03:40:00.000Z. Current time: 2026-11-29T13:59:15.000Z."),
            "JWT expired <elapsed> ago at 2017-07-14T03:40:00.000Z. Current time: <now>."
        );
        assert_eq!(
            s().message("the evaluation time NumericDate{1795960755 -> Nov 29, 2026, 1:59:15 PM UTC} is on or after"),
            "the evaluation time NumericDate{<now> -> <now>} is on or after"
        );
        assert_eq!(s().message("oidc: token is expired (Token Expiry: 2017-07-14 03:40:00 +0000 UTC)"), "oidc: token is expired (Token Expiry: 2017-07-14 03:40:00 +0000 UTC)");
        assert_eq!(s().message("at Sun Nov 29 14:59:15 UTC 2026 and 2026-11-29 14:59:15 +0000 UTC"), "at <exp> and <exp>");
        assert_eq!(s().message("token is expired by 82208h19m15.5s"), "token is expired by <elapsed>");
        assert_eq!(
            s().message("JWT expired at 2017-07-14T03:40:00Z. Current time: 2026-11-29T13:59:15Z, a difference of 295970970000 milliseconds."),
            "JWT expired at 2017-07-14T03:40:00Z. Current time: <now>, a difference of <elapsed>."
        );
    }

    #[test]
    fn names_ports_and_temporary_paths_but_keeps_case_values() {
        assert_eq!(
            s().message(r#"resource_metadata="http://127.0.0.1:33715/.well-known/x" from /tmp/.tmpAbC123/key.pem; aud http://localhost:3000"#),
            r#"resource_metadata="http://127.0.0.1:<port>/.well-known/x" from <tmp>/key.pem; aud http://localhost:3000"#
        );
        assert_eq!(s().message("12345 and 1234567890123456"), "12345 and 1234567890123456");
        assert_eq!(s().message("[NOTICE]   (16800) : haproxy; started pid 4242"), "[NOTICE]   (<pid>) : haproxy; started pid <pid>");
        let here = std::env::current_dir().unwrap();
        let trace = format!("at {}/adapters/x/index.js:5:1", here.display());
        assert_eq!(s().message(&trace), "at <cwd>/adapters/x/index.js:5:1");
    }
}
