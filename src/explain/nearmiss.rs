//! Near misses: how a token's audience differs from an expected one in ways people (and
//! lenient libraries) overlook. Each difference is a normalization; a normalization is
//! named when the two values are equal with every found normalization applied and no
//! longer equal without it.

use crate::model::Family;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Miss {
    /// Zero-width, control or format characters, or a byte-order mark.
    Invisible,
    /// Leading or trailing whitespace.
    Whitespace,
    /// A letter from another script that looks like an ASCII one (Cyrillic а, fullwidth ａ).
    LookAlike,
    /// Percent-encoding of characters that need none.
    Encoding,
    /// Upper and lower case.
    Case,
    /// Another scheme (http for https), or none.
    Scheme,
    /// An explicit or different port.
    Port,
    /// A trailing slash.
    TrailingSlash,
    /// An environment label: staging, dev, test, prod...
    Environment,
    /// One value is the start or end of the other (a suffix attack, a longer path).
    Affix,
}

impl Miss {
    pub fn describe(self) -> &'static str {
        match self {
            Miss::Invisible => "invisible characters (zero-width, control or format characters)",
            Miss::Whitespace => "leading or trailing whitespace",
            Miss::LookAlike => "look-alike characters from another script or width",
            Miss::Encoding => "percent-encoding",
            Miss::Case => "letter case",
            Miss::Scheme => "the scheme (http/https, or none)",
            Miss::Port => "the port",
            Miss::TrailingSlash => "a trailing slash",
            Miss::Environment => "an environment label (staging, dev, test, prod...)",
            Miss::Affix => "one is a prefix or suffix of the other",
        }
    }

    /// The suite family whose cases are tokens with this near miss.
    pub fn family(self) -> Family {
        match self {
            Miss::Invisible | Miss::LookAlike => Family::UNICODE,
            Miss::Whitespace => Family::WHITESPACE,
            Miss::Encoding => Family::ENCODING,
            Miss::Case => Family::CASE,
            Miss::Scheme => Family::SCHEME,
            Miss::Port => Family::PORT,
            Miss::TrailingSlash => Family::TRAILING_SLASH,
            Miss::Environment => Family::CROSS_ENVIRONMENT,
            Miss::Affix => Family::SUBSTRING,
        }
    }
}

const ORDER: [Miss; 10] =
    [Miss::Invisible, Miss::Whitespace, Miss::LookAlike, Miss::Encoding, Miss::Case, Miss::Scheme, Miss::Port, Miss::TrailingSlash, Miss::Environment, Miss::Affix];

/// The near misses that separate `got` from `want`; empty when they are equal or when no
/// set of known normalizations makes them equal.
pub fn near_misses(got: &str, want: &str) -> Vec<Miss> {
    if got == want {
        return Vec::new();
    }
    // The shortest prefix of ORDER whose normalizations make the values equal.
    let Some(k) = (1..=ORDER.len()).find(|&k| same(got, want, &ORDER[..k])) else { return Vec::new() };
    ORDER[..k]
        .iter()
        .filter(|m| {
            let without: Vec<Miss> = ORDER[..k].iter().copied().filter(|x| x != *m).collect();
            !same(got, want, &without)
        })
        .copied()
        .collect()
}

fn same(a: &str, b: &str, steps: &[Miss]) -> bool {
    if steps.contains(&Miss::Affix) {
        let (x, y) = (apply(a, steps), apply(b, steps));
        return !x.is_empty() && !y.is_empty() && (x.starts_with(&y) || y.starts_with(&x) || x.ends_with(&y) || y.ends_with(&x));
    }
    apply(a, steps) == apply(b, steps)
}

fn apply(s: &str, steps: &[Miss]) -> String {
    let mut s = s.to_string();
    for m in steps {
        s = match m {
            Miss::Invisible => s.chars().filter(|c| !invisible(*c)).collect(),
            Miss::Whitespace => s.trim().to_string(),
            Miss::LookAlike => s.chars().map(ascii_twin).collect(),
            Miss::Encoding => percent_decode(&s),
            Miss::Case => s.to_lowercase(),
            Miss::Scheme => s.split_once("://").map_or(s.clone(), |(_, rest)| rest.to_string()),
            Miss::Port => without_port(&s),
            Miss::TrailingSlash => s.trim_end_matches('/').to_string(),
            Miss::Environment => without_environment(&s),
            Miss::Affix => s,
        };
    }
    s
}

fn invisible(c: char) -> bool {
    c.is_control() || matches!(c, '\u{200b}'..='\u{200f}' | '\u{2028}'..='\u{202e}' | '\u{2060}'..='\u{2064}' | '\u{feff}' | '\u{00ad}' | '\u{180e}')
}

/// The ASCII letter a character is easily taken for, or the character itself.
fn ascii_twin(c: char) -> char {
    match c {
        // Fullwidth forms.
        '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
        'а' => 'a', 'е' => 'e', 'о' => 'o', 'р' => 'p', 'с' => 'c', 'у' => 'y', 'х' => 'x', 'і' => 'i', 'ј' => 'j', 'ѕ' => 's',
        'ԁ' => 'd', 'ԛ' => 'q', 'ԝ' => 'w', 'һ' => 'h', 'ӏ' => 'l', 'А' => 'A', 'Е' => 'E', 'О' => 'O', 'Р' => 'P', 'С' => 'C',
        'Т' => 'T', 'Х' => 'X', 'К' => 'K', 'М' => 'M', 'Н' => 'H', 'В' => 'B',
        'ο' => 'o', 'α' => 'a', 'ε' => 'e', 'ρ' => 'p', 'τ' => 't', 'ν' => 'v', 'ι' => 'i', 'κ' => 'k', 'Ο' => 'O', 'Α' => 'A',
        'ı' => 'i', 'ℓ' => 'l', '\u{2044}' | '\u{2215}' => '/', '\u{2024}' => '.',
        '\u{00a0}' | '\u{2000}'..='\u{200a}' | '\u{3000}' => ' ',
        other => other,
    }
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |x: u8| (x as char).to_digit(16);
        match (b[i], b.get(i + 1).copied().and_then(hex), b.get(i + 2).copied().and_then(hex)) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (x, _, _) => {
                out.push(x);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The value with `:digits` after its host removed.
fn without_port(s: &str) -> String {
    let (scheme, rest) = s.split_once("://").map_or(("", s), |(a, b)| (a, b));
    let (authority, path) = rest.find(['/', '?', '#']).map_or((rest, ""), |i| rest.split_at(i));
    let host = match authority.rsplit_once(':') {
        Some((h, p)) if !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()) => h,
        _ => authority,
    };
    if scheme.is_empty() { format!("{host}{path}") } else { format!("{scheme}://{host}{path}") }
}

const ENVIRONMENTS: [&str; 22] = [
    "dev", "development", "develop", "staging", "stage", "stg", "test", "testing", "qa", "uat", "sandbox", "sbx", "preprod",
    "pre-prod", "prod", "production", "int", "integration", "demo", "perf", "local", "localhost",
];

/// The value with every environment label (a dot-, dash-, slash- or underscore-separated
/// word such as `staging`) removed, with the separator that joined it.
fn without_environment(s: &str) -> String {
    let mut out = String::new();
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        if ENVIRONMENTS.contains(&word.to_ascii_lowercase().as_str()) {
            if out.ends_with(['.', '-', '_']) {
                out.pop();
            }
        } else {
            out.push_str(word);
        }
        word.clear();
    };
    for c in s.chars() {
        if matches!(c, '.' | '-' | '_' | '/' | ':') {
            flush(&mut word, &mut out);
            let after_removed = out.is_empty() || out.ends_with('/') || out.ends_with(['.', '-', '_']);
            if matches!(c, '/' | ':') || !after_removed {
                out.push(c);
            }
        } else {
            word.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::{Miss::*, near_misses};

    const API: &str = "https://api.example.com";

    #[test]
    fn each_near_miss_alone() {
        let cases = [
            ("https://api.example.com/", vec![TrailingSlash]),
            ("http://api.example.com", vec![Scheme]),
            ("api.example.com", vec![Scheme]),
            ("https://API.example.com", vec![Case]),
            ("https://api.example.com:443", vec![Port]),
            ("https://api.staging.example.com", vec![Environment]),
            ("https://api-staging.example.com", vec![Environment]),
            ("https://staging.api.example.com", vec![Environment]),
            ("https://api.example.com/dev", vec![Affix]),
            (" https://api.example.com", vec![Whitespace]),
            ("https://api.example.com\u{200b}", vec![Invisible]),
            ("\u{feff}https://api.example.com", vec![Invisible]),
            ("https://аpi.example.com", vec![LookAlike]),
            ("https://api.example.com%2F", vec![Encoding, TrailingSlash]),
            ("https://api.example.com.evil.com", vec![Affix]),
            ("https://api.example.com/admin", vec![Affix]),
        ];
        for (got, want) in cases {
            assert_eq!(near_misses(got, API), want, "{got:?}");
        }
    }

    #[test]
    fn several_at_once_and_none() {
        assert_eq!(near_misses("http://API.example.com:8443/", API), vec![Case, Scheme, Port, TrailingSlash]);
        assert_eq!(near_misses(API, API), vec![]);
        assert_eq!(near_misses("https://billing.example.org", API), vec![]);
        assert_eq!(near_misses("", API), vec![]);
    }
}
