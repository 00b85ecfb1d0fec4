//! Planted validators: each makes one audience mistake seen in the wild (docs/mistakes.md
//! names the class, the sources and the P-number), and is otherwise correct. The token's
//! signature, issuer and lifetime are checked by the real jsonwebtoken crate; only the
//! audience decision is planted. `reference` is the correct decision.
#![allow(dead_code)]

use audcheck::model::{Alg, AudienceMode};
use audcheck::validator::{Failure, Identity, Library, Request, Verdict};
use base64::Engine;
use jsonwebtoken::DecodingKey;
use serde_json::Value;
use std::sync::atomic::{AtomicBool, Ordering};

/// What a validator sees of a token and its configuration.
pub struct Seen<'a> {
    /// The decoded `aud` (the last of duplicate keys, as JSON parsers keep).
    pub aud: Option<&'a Value>,
    /// The payload text as signed.
    pub payload: &'a str,
    pub claims: &'a Value,
    /// The configured expected audiences (None: none configured).
    pub cfg: Option<&'a [String]>,
    pub issuer: Option<&'a str>,
}

pub type Rule = fn(&Seen<'_>) -> bool;

/// One mistake: its P-number in docs/mistakes.md, its name, where it was seen, and whether
/// it accepts too much (a bypass) or too little (a false reject).
pub struct Mistake {
    pub id: &'static str,
    pub name: &'static str,
    pub seen_in: &'static str,
    pub too_much: bool,
    pub accept: Rule,
}

/// A string, or a non-empty array of strings: the members to compare.
fn members(aud: Option<&Value>) -> Option<Vec<&str>> {
    match aud? {
        Value::String(s) => Some(vec![s.as_str()]),
        Value::Array(a) if !a.is_empty() && a.iter().all(Value::is_string) => Some(a.iter().filter_map(Value::as_str).collect()),
        _ => None,
    }
}

/// A usable configuration: some expected audiences, none empty.
fn usable(cfg: Option<&[String]>) -> Option<&[String]> {
    cfg.filter(|c| !c.is_empty() && c.iter().all(|e| !e.is_empty()))
}

/// The correct decision: with none configured, a token without `aud` only; else some
/// member equal to some expected audience, compared exactly; malformed `aud` rejected.
pub fn reference(s: &Seen<'_>) -> bool {
    match_with(s, |m, e| m == e)
}

/// The reference with another comparison of a member `m` and an expected audience `e`.
fn match_with(s: &Seen<'_>, eq: fn(&str, &str) -> bool) -> bool {
    let Some(cfg) = s.cfg else { return s.aud.is_none() };
    let Some(cfg) = usable(Some(cfg)) else { return false };
    members(s.aud).is_some_and(|ms| ms.iter().any(|m| cfg.iter().any(|e| eq(m, e))))
}

/// The reference on another `aud` value.
fn with_aud(s: &Seen<'_>, aud: Option<&Value>) -> bool {
    reference(&Seen { aud, payload: s.payload, claims: s.claims, cfg: s.cfg, issuer: s.issuer })
}

/// The reference with another configuration.
fn with_cfg(s: &Seen<'_>, cfg: Option<&[String]>) -> bool {
    reference(&Seen { aud: s.aud, payload: s.payload, claims: s.claims, cfg, issuer: s.issuer })
}

/// `e` as an anchored regular expression whose `.` matches any character.
fn dot_wildcard(m: &str, e: &str) -> bool {
    let (m, e): (Vec<char>, Vec<char>) = (m.chars().collect(), e.chars().collect());
    m.len() == e.len() && m.iter().zip(&e).all(|(a, b)| *b == '.' || a == b)
}

/// `e` as an unanchored regular expression (found anywhere in `m`), `.` matching any character.
fn regex_unanchored(m: &str, e: &str) -> bool {
    let m: Vec<char> = m.chars().collect();
    let n = e.chars().count();
    n <= m.len() && (0..=m.len() - n).any(|i| dot_wildcard(&m[i..i + n].iter().collect::<String>(), e))
}

/// `e` as a glob: `*` matches any run of characters.
fn glob(m: &str, e: &str) -> bool {
    let parts: Vec<&str> = e.split('*').collect();
    if parts.len() == 1 {
        return m == e;
    }
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !m.starts_with(first) || !m[first.len()..].ends_with(last) || m.len() < first.len() + last.len() {
        return false;
    }
    let mut rest = &m[first.len()..m.len() - last.len()];
    for part in &parts[1..parts.len() - 1] {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    true
}

fn strip_slashes(s: &str) -> &str {
    s.trim_end_matches('/')
}

fn strip_scheme(s: &str) -> &str {
    s.split_once("://").map_or(s, |(_, r)| r)
}

fn lower_host(s: &str) -> String {
    match s.split_once("://") {
        Some((scheme, rest)) => {
            let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
            format!("{scheme}://{}{path}", host.to_lowercase())
        }
        None => s.to_string(),
    }
}

fn drop_default_port(s: &str) -> String {
    s.replacen(":443/", "/", 1).replacen(":80/", "/", 1).trim_end_matches(":443").trim_end_matches(":80").to_string()
}

fn origin(s: &str) -> String {
    match s.split_once("://") {
        Some((scheme, rest)) => format!("{scheme}://{}", rest.split(['/', '?', '#']).next().unwrap_or("")),
        None => s.to_string(),
    }
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match (b[i], b.get(i + 1..i + 3).and_then(|h| u8::from_str_radix(std::str::from_utf8(h).ok()?, 16).ok())) {
            (b'%', Some(v)) => {
                out.push(v);
                i += 3;
            }
            (c, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn no_query(s: &str) -> &str {
    s.split(['?', '#']).next().unwrap_or(s)
}

fn no_userinfo(s: &str) -> String {
    match s.split_once("://") {
        Some((scheme, rest)) => {
            let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
            format!("{scheme}://{}{path}", authority.rsplit('@').next().unwrap_or(authority))
        }
        None => s.to_string(),
    }
}

/// Fullwidth forms to ASCII: what NFKC does to the look-alikes the suites use.
fn nfkc_fullwidth(s: &str) -> String {
    s.chars().map(|c| if ('\u{FF01}'..='\u{FF5E}').contains(&c) { char::from_u32(c as u32 - 0xFEE0).unwrap_or(c) } else { c }).collect()
}

/// JavaScript's `String(v)`, for the JSON values a token holds.
fn js_string(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Array(a) => a.iter().map(|m| if m.is_null() { String::new() } else { js_string(m) }).collect::<Vec<_>>().join(","),
        Value::Object(_) => "[object Object]".into(),
        other => other.to_string(),
    }
}

/// JavaScript's `==` between a token value and an expected string.
fn js_loose_eq(v: &Value, e: &str) -> bool {
    match v {
        Value::String(s) => s == e,
        Value::Number(n) => e.trim().parse::<f64>().is_ok_and(|x| Some(x) == n.as_f64()),
        Value::Bool(b) => e.trim().parse::<f64>().is_ok_and(|x| x == if *b { 1.0 } else { 0.0 }),
        Value::Array(_) => js_string(v) == e,
        _ => false,
    }
}

fn flatten<'a>(v: &'a Value, out: &mut Vec<&'a Value>) {
    match v {
        Value::Array(a) => a.iter().for_each(|m| flatten(m, out)),
        other => out.push(other),
    }
}

/// The first occurrence of `"aud":` in the payload text, decoded.
fn first_aud(payload: &str) -> Option<Value> {
    let at = payload.find("\"aud\"")?;
    let rest = payload[at + 5..].trim_start().strip_prefix(':')?;
    serde_json::Deserializer::from_str(rest).into_iter::<Value>().next()?.ok()
}

/// Every occurrence of `"aud":` in the payload text, decoded.
fn all_auds(payload: &str) -> Vec<Value> {
    let mut out = Vec::new();
    let mut rest = payload;
    while let Some(at) = rest.find("\"aud\"") {
        rest = &rest[at + 5..];
        if let Some(v) = rest.trim_start().strip_prefix(':').and_then(|r| serde_json::Deserializer::from_str(r).into_iter::<Value>().next()?.ok()) {
            out.push(v);
        }
    }
    out
}

/// The mistakes, in the order of docs/mistakes.md.
pub fn all() -> Vec<Mistake> {
    vec![
        Mistake { id: "P1", name: "regex-unanchored", seen_in: "fast-jwt <=1.1.0 (PR #67); RegExp audiences in node-jsonwebtoken, hono", too_much: true,
            accept: |s| match_with(s, regex_unanchored) },
        Mistake { id: "P2", name: "regex-anchored-unescaped", seen_in: "anchored patterns written from a URL (node-jsonwebtoken #1019 style)", too_much: true,
            accept: |s| match_with(s, dot_wildcard) },
        Mistake { id: "P3", name: "stateful-global-regex", seen_in: "fast-jwt <6.2.1 (GHSA-3j8v-cgw4-2g6q): a /g RegExp keeps lastIndex between calls", too_much: false,
            accept: |s| {
                // After a match the next test starts past it and fails, which resets it.
                static PAST_A_MATCH: AtomicBool = AtomicBool::new(false);
                reference(s) && !PAST_A_MATCH.fetch_xor(true, Ordering::SeqCst)
            } },
        Mistake { id: "P4", name: "order-dependent-early-exit", seen_in: "golang-jwt 497a38e (unreleased)", too_much: false,
            accept: |s| match usable(s.cfg) { Some(cfg) => members(s.aud).is_some_and(|ms| ms.contains(&cfg[0].as_str())), None => reference(s) } },
        Mistake { id: "P69", name: "glob-wildcard", seen_in: "wildcard audience allowlists (unitycatalog PR #1690; Apache CXF PR #400)", too_much: true,
            accept: |s| match_with(s, glob) },
        Mistake { id: "P70", name: "star-prefix", seen_in: "prefix wildcards, a lone * allowing all (wso2 agent-manager PR #744)", too_much: true,
            accept: |s| match_with(s, |m, e| match e.strip_suffix('*') { Some(prefix) => m.starts_with(prefix), None => m == e }) },
        Mistake { id: "P6", name: "aud-contains-expected", seen_in: "flask-of-oil <1.2.0", too_much: true,
            accept: |s| match_with(s, |m, e| m.contains(e)) || reference(s) },
        Mistake { id: "P7", name: "expected-contains-aud", seen_in: "node-jsonwebtoken master, Aug 2014 (String.indexOf)", too_much: true,
            accept: |s| match s.cfg { Some(cfg) => members(s.aud).is_some_and(|ms| ms.iter().any(|m| cfg.iter().any(|e| e.contains(m)))), None => reference(s) } },
        Mistake { id: "P8", name: "prefix-match", seen_in: "hypothetical (HAProxy ACL -m beg)", too_much: true,
            accept: |s| match_with(s, |m, e| m.starts_with(e)) },
        Mistake { id: "P9", name: "suffix-match", seen_in: "hypothetical (HAProxy ACL -m end)", too_much: true,
            accept: |s| match_with(s, |m, e| m.ends_with(e)) },
        Mistake { id: "P10", name: "json-text-quoted-first-occurrence", seen_in: "kjdev/nginx-auth-jwt 0.3-0.4 (strstr)", too_much: true,
            accept: |s| match (usable(s.cfg), s.aud) { (Some(cfg), Some(aud)) => cfg.iter().any(|e| aud.to_string().contains(&format!("\"{e}\""))), _ => reference(s) } },
        Mistake { id: "P11", name: "json-text-substring", seen_in: "HAProxy json_query with -m sub", too_much: true,
            accept: |s| match (usable(s.cfg), s.aud) { (Some(cfg), Some(aud)) => cfg.iter().any(|e| aud.to_string().contains(e.as_str())), _ => reference(s) } },
        Mistake { id: "P12", name: "split-token-on-space", seen_in: "strimzi-kafka-oauth", too_much: true,
            accept: |s| match s.aud { Some(Value::String(a)) if a.contains(' ') => with_aud(s, Some(&a.split(' ').map(str::trim).filter(|p| !p.is_empty()).collect::<Vec<_>>().into())), _ => reference(s) } },
        Mistake { id: "P13", name: "split-token-on-comma", seen_in: "openid-client PR #563 (proposal), AlianHub", too_much: true,
            accept: |s| match s.aud { Some(Value::String(a)) if a.contains(',') => with_aud(s, Some(&a.split(',').map(str::trim).collect::<Vec<_>>().into())), _ => reference(s) } },
        Mistake { id: "P14", name: "split-config-on-comma", seen_in: "comma-list configuration options", too_much: true,
            accept: |s| match s.cfg { Some(cfg) => with_cfg(s, Some(&cfg.iter().flat_map(|e| e.split(',').map(|p| p.trim().to_string())).collect::<Vec<_>>())), None => reference(s) } },
        Mistake { id: "P15", name: "nul-truncate", seen_in: "HAProxy jwt_payload_query with -m str (C-string lookup)", too_much: true,
            accept: |s| match_with(s, |m, e| m.split('\0').next() == Some(e)) },
        Mistake { id: "P16", name: "duplicate-first-wins", seen_in: "HAProxy mjson; delphi-jose-jwt #31", too_much: true,
            accept: |s| with_aud(s, first_aud(s.payload).as_ref().or(s.aud)) },
        Mistake { id: "P17", name: "duplicate-union", seen_in: "parser-differential model (two components, two readings)", too_much: true,
            accept: |s| { let auds = all_auds(s.payload); if auds.len() > 1 { auds.iter().any(|a| with_aud(s, Some(a))) } else { reference(s) } } },
        Mistake { id: "P19", name: "stringify-then-equal", seen_in: "ruby-jwt <=1.5.6 (to_s ==); Crypt::JWT", too_much: true,
            accept: |s| match (usable(s.cfg), s.aud) {
                (Some(cfg), Some(Value::Array(a))) => a.iter().any(|m| cfg.iter().any(|e| js_string(m) == *e)),
                (Some(cfg), Some(v @ (Value::Number(_) | Value::Bool(_)))) => cfg.iter().any(|e| v.to_string() == *e),
                _ => reference(s),
            } },
        Mistake { id: "P20", name: "js-loose-equality", seen_in: "jsrsasign (==)", too_much: true,
            accept: |s| match (usable(s.cfg), s.aud) {
                (Some(cfg), Some(Value::Array(a))) if !a.is_empty() => a.iter().any(|m| cfg.iter().any(|e| js_loose_eq(m, e))),
                (Some(cfg), Some(v)) if !v.is_array() => cfg.iter().any(|e| js_loose_eq(v, e)),
                _ => reference(s),
            } },
        Mistake { id: "P22", name: "regex-on-js-string", seen_in: "node-jsonwebtoken RegExp audiences (PR #1038), hono", too_much: true,
            accept: |s| match usable(s.cfg) { Some(cfg) => { let t = s.aud.map(js_string).unwrap_or_else(|| "undefined".into()); cfg.iter().any(|e| t.contains(e.as_str())) } None => reference(s) } },
        Mistake { id: "P23", name: "parse-failure-skips-check", seen_in: "Rust jsonwebtoken >=8.0.0 (FailedToParse)", too_much: true,
            accept: |s| if s.aud.is_some() && members(s.aud).is_none() { true } else { reference(s) } },
        Mistake { id: "P24", name: "jsrsasign-dispatch", seen_in: "jsrsasign verifyJWT", too_much: true,
            accept: |s| match s.aud {
                Some(Value::Number(_) | Value::Bool(_)) => true,
                Some(Value::Array(a)) if a.is_empty() => true,
                Some(Value::Object(o)) if o.get("length") == Some(&Value::from(0)) => true,
                _ => reference(s),
            } },
        Mistake { id: "P25", name: "drop-non-string-members", seen_in: "express-oauth2-jwt-bearer; jwcrypto 1.3-1.5.7", too_much: true,
            accept: |s| match s.aud { Some(Value::Array(a)) => with_aud(s, Some(&a.iter().filter(|m| m.is_string()).cloned().collect::<Vec<_>>().into())), _ => reference(s) } },
        Mistake { id: "P26", name: "js-array-tostring", seen_in: "hono and node-jsonwebtoken RegExp paths", too_much: true,
            accept: |s| match (usable(s.cfg), s.aud) { (Some(cfg), Some(v @ Value::Array(_))) => cfg.iter().any(|e| js_string(v).contains(e.as_str())), _ => reference(s) } },
        Mistake { id: "P28", name: "flatten-nested", seen_in: "jsrsasign == on nested arrays", too_much: true,
            accept: |s| match s.aud { Some(v @ Value::Array(_)) => { let mut f = Vec::new(); flatten(v, &mut f); with_aud(s, Some(&f.into_iter().cloned().collect::<Vec<_>>().into())) } _ => reference(s) } },
        Mistake { id: "P29", name: "string-only", seen_in: "jjwt <=0.11 (#77); google-auth libraries; okta-js <3.2", too_much: false,
            accept: |s| !matches!(s.aud, Some(Value::Array(_))) && reference(s) },
        Mistake { id: "P30", name: "list-equality", seen_in: "jwcrypto <1.3.0", too_much: false,
            accept: |s| match (s.aud, usable(s.cfg)) { (Some(Value::Array(a)), Some(cfg)) => a.iter().map(|m| m.as_str()).collect::<Vec<_>>() == cfg.iter().map(|e| Some(e.as_str())).collect::<Vec<_>>(), _ => reference(s) } },
        Mistake { id: "P31", name: "array-as-empty-when-optional", seen_in: "dgrijalva/jwt-go CVE-2020-26160", too_much: true,
            accept: |s| matches!(s.aud, Some(Value::Array(_))) || reference(s) },
        Mistake { id: "P33", name: "all-of", seen_in: "go-jose <4; go-jwt-middleware v2.0; java-jwt withAudience", too_much: false,
            accept: |s| match (usable(s.cfg), members(s.aud)) { (Some(cfg), Some(ms)) => cfg.iter().all(|e| ms.contains(&e.as_str())), _ => reference(s) } },
        Mistake { id: "P34", name: "last-config-wins", seen_in: "jwx <=v1.2.6", too_much: false,
            accept: |s| match usable(s.cfg) { Some(cfg) => with_cfg(s, Some(&cfg[cfg.len() - 1..])), None => reference(s) } },
        Mistake { id: "P35", name: "subset-vacuous", seen_in: "google-oauth-java-client IdToken.verifyAudience; jsrsasign", too_much: true,
            accept: |s| match (usable(s.cfg), s.aud) { (Some(cfg), Some(Value::Array(a))) => a.iter().all(|m| m.as_str().is_some_and(|m| cfg.iter().any(|e| e == m))), _ => reference(s) } },
        Mistake { id: "P36", name: "subset-strict", seen_in: "OIDC-style validators reused for access tokens", too_much: false,
            accept: |s| match (usable(s.cfg), members(s.aud)) { (Some(cfg), Some(ms)) => ms.iter().all(|m| cfg.iter().any(|e| e == m)), _ => reference(s) } },
        Mistake { id: "P37", name: "empty-list-accepts-all", seen_in: "go-jose; Envoy jwt_verify_lib; authlib", too_much: true,
            accept: |s| s.cfg.is_some_and(<[String]>::is_empty) || reference(s) },
        Mistake { id: "P38", name: "falsy-config-off", seen_in: "golang-jwt 5.0-5.2.2 (#454); jwx <=v1.2.6; node-jsonwebtoken; fast-jwt; PyJWT 0.4.0", too_much: true,
            accept: |s| s.cfg.is_some_and(|c| c.iter().all(String::is_empty)) || reference(s) },
        Mistake { id: "P39", name: "blank-entries-trimmed-then-off", seen_in: "whitespace-collapsing configuration (SAP #62)", too_much: true,
            accept: |s| s.cfg.is_some_and(|c| c.iter().all(|e| e.trim().is_empty())) || reference(s) },
        Mistake { id: "P40", name: "none-accepts-any", seen_in: "PyJWT <=0.4.0 (PR #72); Rust jsonwebtoken <=8.3 (PR #332); hono <=4.10.1 (CVE-2025-62610)", too_much: true,
            accept: |s| s.cfg.is_none() || reference(s) },
        Mistake { id: "P41", name: "none-accepts-strings-only", seen_in: "vault-plugin-auth-jwt #274", too_much: true,
            accept: |s| (s.cfg.is_none() && !matches!(s.aud, Some(Value::Array(_)))) || reference(s) },
        Mistake { id: "P44", name: "missing-accepted", seen_in: "josekit; jsrsasign; python-jose; fast-jwt; java-jwt before #57", too_much: true,
            accept: |s| s.aud.is_none() || reference(s) },
        Mistake { id: "P45", name: "falsy-as-missing", seen_in: "authlib", too_much: true,
            accept: |s| match s.aud {
                Some(Value::Null) | Some(Value::Bool(false)) => true,
                Some(Value::String(a)) if a.is_empty() => true,
                Some(Value::Array(a)) if a.is_empty() => true,
                Some(Value::Object(o)) if o.is_empty() => true,
                Some(Value::Number(n)) if n.as_f64() == Some(0.0) => true,
                _ => reference(s),
            } },
        Mistake { id: "P47", name: "first-member-only", seen_in: "hypothetical hand-written pattern", too_much: false,
            accept: |s| match s.aud { Some(Value::Array(a)) if !a.is_empty() => with_aud(s, Some(&a[0])), _ => reference(s) } },
        Mistake { id: "P48", name: "last-member-only", seen_in: "lib-lti1p3-core (PR #198)", too_much: false,
            accept: |s| match s.aud { Some(Value::Array(a)) if !a.is_empty() => with_aud(s, Some(&a[a.len() - 1])), _ => reference(s) } },
        Mistake { id: "P49", name: "trailing-slash-single", seen_in: "Microsoft.IdentityModel (default)", too_much: true,
            accept: |s| match_with(s, |m, e| m.strip_suffix('/').unwrap_or(m) == e.strip_suffix('/').unwrap_or(e)) },
        Mistake { id: "P50", name: "trailing-slash-greedy", seen_in: "Vault PR #331 draft (TrimRight)", too_much: true,
            accept: |s| match_with(s, |m, e| strip_slashes(m) == strip_slashes(e)) },
        Mistake { id: "P51", name: "scheme-and-slash-stripped", seen_in: "Envoy/Istio jwt_verify_lib", too_much: true,
            accept: |s| match_with(s, |m, e| strip_slashes(strip_scheme(m)) == strip_slashes(strip_scheme(e))) },
        Mistake { id: "P52", name: "host-case-insensitive", seen_in: "URL-parsing validators", too_much: true,
            accept: |s| match_with(s, |m, e| lower_host(m) == lower_host(e)) },
        Mistake { id: "P53", name: "case-insensitive", seen_in: "Azure Functions host; Microsoft opt-in flag; IdentityServer4", too_much: true,
            accept: |s| match_with(s, |m, e| m.to_lowercase() == e.to_lowercase()) },
        Mistake { id: "P54", name: "default-port-elided", seen_in: "Mozilla Persona verifier", too_much: true,
            accept: |s| match_with(s, |m, e| drop_default_port(m) == drop_default_port(e)) },
        Mistake { id: "P55", name: "origin-only", seen_in: "Mozilla Persona verifier (#3888)", too_much: true,
            accept: |s| match_with(s, |m, e| origin(m) == origin(e)) },
        Mistake { id: "P56", name: "percent-decoded", seen_in: "hypothetical", too_much: true,
            accept: |s| match_with(s, |m, e| percent_decode(m) == percent_decode(e)) },
        Mistake { id: "P57", name: "query-fragment-stripped", seen_in: "hypothetical", too_much: true,
            accept: |s| match_with(s, |m, e| no_query(m) == no_query(e)) },
        Mistake { id: "P58", name: "userinfo-stripped", seen_in: "hypothetical", too_much: true,
            accept: |s| match_with(s, |m, e| no_userinfo(m) == no_userinfo(e)) },
        Mistake { id: "P60", name: "whitespace-trimmed", seen_in: "strimzi-kafka-oauth (pieces trimmed)", too_much: true,
            accept: |s| match_with(s, |m, e| m.trim() == e.trim()) },
        Mistake { id: "P61", name: "nfkc-normalised", seen_in: "hypothetical", too_much: true,
            accept: |s| match_with(s, |m, e| nfkc_fullwidth(m) == nfkc_fullwidth(e)) },
        Mistake { id: "P62", name: "skip-when-many-members", seen_in: "hypothetical", too_much: true,
            accept: |s| matches!(s.aud, Some(Value::Array(a)) if a.len() > 100) || reference(s) },
        Mistake { id: "P63", name: "first-n-members", seen_in: "hypothetical", too_much: false,
            accept: |s| match s.aud { Some(Value::Array(a)) if a.len() > 100 => with_aud(s, Some(&a[..100].to_vec().into())), _ => reference(s) } },
        Mistake { id: "P65", name: "issuer-short-circuit", seen_in: "Micronaut Security CVE-2023-36820 (GHSA-qw22-8w9r-864h)", too_much: true,
            accept: |s| s.issuer.is_some_and(|i| s.claims["iss"] == i) || reference(s) },
        Mistake { id: "P66", name: "fallback-claim-when-aud-missing", seen_in: "oauth2-proxy (configurable claims); APIcast", too_much: true,
            accept: |s| match (s.aud, s.claims.get("azp").and_then(Value::as_str)) { (None, Some(azp)) => with_aud(s, Some(&Value::from(azp))), _ => reference(s) } },
    ]
}

/// A validator that decides the audience by `accept` and checks the rest with jsonwebtoken.
pub struct Planted {
    identity: Identity,
    accept: Rule,
}

impl Planted {
    pub fn new(name: &str, accept: Rule) -> Planted {
        Planted { identity: super::common::planted_identity(name, Alg::ALL.to_vec(), AudienceMode::AnyOf), accept }
    }

    pub fn of(m: &Mistake) -> Planted {
        Planted::new(&format!("planted-{}-{}", m.id.to_lowercase(), m.name), m.accept)
    }

    pub fn reference() -> Planted {
        Planted::new("planted-reference", reference)
    }
}

fn key(r: &Request<'_>) -> Result<DecodingKey, Failure> {
    let pem = r.key.pem.as_deref().unwrap_or_default().as_bytes();
    let bad = |e: jsonwebtoken::errors::Error| Failure::CannotStart(e.to_string());
    Ok(match r.alg {
        Alg::HS256 => DecodingKey::from_secret(r.key.secret.as_deref().unwrap_or_default()),
        Alg::RS256 | Alg::PS256 => DecodingKey::from_rsa_pem(pem).map_err(bad)?,
        Alg::ES256 => DecodingKey::from_ec_pem(pem).map_err(bad)?,
        Alg::EdDSA => DecodingKey::from_ed_pem(pem).map_err(bad)?,
    })
}

impl Library for Planted {
    fn identity(&self) -> &Identity {
        &self.identity
    }

    fn parallel(&self) -> bool {
        true
    }

    /// The signature by the real jsonwebtoken crate; the payload read as most JSON parsers
    /// read it (the last of duplicate keys), then lifetime and issuer; then the planted rule.
    fn verify(&self, r: &Request<'_>) -> Result<Verdict, Failure> {
        let reject = |m: &str| Ok(Verdict::rejected(audcheck::model::Reason::Other, m));
        let Some((signed, signature)) = r.token.rsplit_once('.') else { return reject("not a JWS") };
        if !jsonwebtoken::crypto::verify(signature, signed.as_bytes(), &key(r)?, audcheck::token::jwt_alg(r.alg)).unwrap_or(false) {
            return reject("signature");
        }
        let part = signed.split('.').nth(1).unwrap_or("");
        let payload = String::from_utf8_lossy(&base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(part).unwrap_or_default()).into_owned();
        let Ok(claims) = serde_json::from_str::<Value>(&payload) else { return reject("payload") };
        let (now, time) = (r.now as i64, |k: &str| claims.get(k).and_then(Value::as_i64));
        if time("exp").is_none_or(|exp| exp <= now) || time("nbf").is_some_and(|nbf| nbf > now) {
            return reject("lifetime");
        }
        if r.issuer.is_some_and(|i| claims["iss"] != i) {
            return reject("issuer");
        }
        let seen = Seen { aud: claims.get("aud"), payload: &payload, claims: &claims, cfg: r.audience, issuer: r.issuer };
        Ok(if (self.accept)(&seen) { Verdict::accepted() } else { Verdict::rejected(audcheck::model::Reason::Audience, "planted: audience rejected") })
    }
}
