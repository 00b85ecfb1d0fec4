//! Mutations of an expected audience: each is one near miss a validator might tolerate.

use crate::model::Family;
use proptest::prelude::*;

const ENVS: [&str; 4] = ["staging", "dev", "sandbox", "qa"];
const SUFFIXES: [&str; 6] = ["/v2", ".evil.example", "x", "-evil", "#a", "?a=1"];
const PREFIXES: [&str; 4] = ["x", "evil.", "https://evil.example/?", "urn:"];
const SPACES: [char; 5] = [' ', '\t', '\n', '\u{a0}', '\u{200b}'];
/// Latin letters and their Cyrillic look-alikes.
const LOOKALIKES: [(char, char); 7] = [('a', 'а'), ('e', 'е'), ('o', 'о'), ('p', 'р'), ('c', 'с'), ('x', 'х'), ('i', 'і')];

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mutation {
    AddSlash,
    DropSlash,
    FlipCase(usize),
    SwapScheme,
    AddPort(u16),
    EnvLabel(usize),
    Prefix(usize),
    Suffix(usize),
    Truncate(usize),
    Whitespace { which: usize, leading: bool },
    Lookalike(usize),
    Decompose(usize),
    PercentEncode(usize),
    /// A dot replaced by another character: what a regular expression's `.` matches.
    DotWildcard(usize),
    /// A NUL and more after the value: what a C-string comparison stops at.
    Nul,
    /// Another audience and the value in one string, joined by a space or a comma.
    Joined { comma: bool },
    /// User information before the host: what a URL parser drops.
    Userinfo,
    /// A letter in its fullwidth form: what NFKC folds back.
    Fullwidth(usize),
    /// What follows the first comma: one piece of a comma-separated configured value.
    AfterComma,
    /// Every `*` replaced by a name: what a wildcard in a configured value lets in.
    FillStar,
}

impl Mutation {
    /// Simplest first: proptest shrinks toward the earlier alternatives.
    pub fn strategy() -> impl Strategy<Value = Mutation> {
        prop_oneof![
            Just(Mutation::AddSlash),
            Just(Mutation::DropSlash),
            any::<usize>().prop_map(Mutation::FlipCase),
            Just(Mutation::SwapScheme),
            prop_oneof![Just(443u16), Just(8443), 1u16..].prop_map(Mutation::AddPort),
            (0..ENVS.len()).prop_map(Mutation::EnvLabel),
            (0..PREFIXES.len()).prop_map(Mutation::Prefix),
            (0..SUFFIXES.len()).prop_map(Mutation::Suffix),
            any::<usize>().prop_map(Mutation::Truncate),
            ((0..SPACES.len()), any::<bool>()).prop_map(|(which, leading)| Mutation::Whitespace { which, leading }),
            any::<usize>().prop_map(Mutation::Lookalike),
            any::<usize>().prop_map(Mutation::Decompose),
            any::<usize>().prop_map(Mutation::PercentEncode),
            any::<usize>().prop_map(Mutation::DotWildcard),
            Just(Mutation::Nul),
            any::<bool>().prop_map(|comma| Mutation::Joined { comma }),
            Just(Mutation::Userinfo),
            any::<usize>().prop_map(Mutation::Fullwidth),
            Just(Mutation::AfterComma),
            Just(Mutation::FillStar),
        ]
    }

    /// The suite family a mutation belongs to.
    pub fn family(&self) -> Family {
        match self {
            Mutation::AddSlash | Mutation::DropSlash => Family::TRAILING_SLASH,
            Mutation::FlipCase(_) => Family::CASE,
            Mutation::SwapScheme => Family::SCHEME,
            Mutation::AddPort(_) => Family::PORT,
            Mutation::EnvLabel(_) => Family::CROSS_ENVIRONMENT,
            Mutation::Prefix(_) | Mutation::Suffix(_) | Mutation::Truncate(_) => Family::SUBSTRING,
            Mutation::Whitespace { .. } => Family::WHITESPACE,
            Mutation::Lookalike(_) | Mutation::Decompose(_) | Mutation::Fullwidth(_) => Family::UNICODE,
            Mutation::PercentEncode(_) => Family::ENCODING,
            Mutation::DotWildcard(_) => Family::REGEX,
            Mutation::Nul => Family::NUL,
            Mutation::Joined { .. } | Mutation::AfterComma => Family::SEPARATOR,
            Mutation::Userinfo => Family::USERINFO,
            Mutation::FillStar => Family::WILDCARD,
        }
    }

    pub fn apply(&self, s: &str) -> String {
        let chars: Vec<char> = s.chars().collect();
        let at = |i: usize| if chars.is_empty() { 0 } else { i % chars.len() };
        match self {
            Mutation::AddSlash => format!("{s}/"),
            Mutation::DropSlash => s.strip_suffix('/').map(str::to_string).unwrap_or_else(|| s.chars().take(chars.len().saturating_sub(1)).collect()),
            Mutation::FlipCase(i) => {
                // The i-th letter whose case can flip; unchanged when there is none.
                let letters: Vec<usize> = (0..chars.len()).filter(|&k| chars[k].is_alphabetic() && flip(chars[k]) != chars[k]).collect();
                let mut out = chars.clone();
                if !letters.is_empty() {
                    let k = letters[i % letters.len()];
                    out[k] = flip(chars[k]);
                }
                out.into_iter().collect()
            }
            Mutation::SwapScheme => match s.split_once("://") {
                Some(("https", rest)) => format!("http://{rest}"),
                Some((_, rest)) => format!("https://{rest}"),
                None => format!("https://{s}"),
            },
            Mutation::AddPort(p) => match s.split_once("://") {
                Some((scheme, rest)) => {
                    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
                    format!("{scheme}://{}:{p}{}", &rest[..end], &rest[end..])
                }
                None => format!("{s}:{p}"),
            },
            Mutation::EnvLabel(e) => match s.split_once("://") {
                Some((scheme, rest)) => format!("{scheme}://{}.{rest}", ENVS[e % ENVS.len()]),
                None => format!("{}-{s}", ENVS[e % ENVS.len()]),
            },
            Mutation::Prefix(k) => format!("{}{s}", PREFIXES[k % PREFIXES.len()]),
            Mutation::Suffix(k) => format!("{s}{}", SUFFIXES[k % SUFFIXES.len()]),
            Mutation::Truncate(k) => chars[..chars.len().saturating_sub(1 + k % chars.len().max(1))].iter().collect(),
            Mutation::Whitespace { which, leading } => {
                let c = SPACES[which % SPACES.len()];
                if *leading { format!("{c}{s}") } else { format!("{s}{c}") }
            }
            Mutation::Lookalike(i) => {
                let spots: Vec<usize> = (0..chars.len()).filter(|&k| LOOKALIKES.iter().any(|(l, _)| *l == chars[k])).collect();
                let mut out = chars.clone();
                match spots.get(i % spots.len().max(1)) {
                    Some(&k) => out[k] = LOOKALIKES.iter().find(|(l, _)| *l == chars[k]).map(|(_, c)| *c).unwrap_or(chars[k]),
                    None => out.push('\u{0430}'),
                }
                out.into_iter().collect()
            }
            Mutation::Decompose(i) => {
                // A precomposed letter becomes base + combining mark; else a mark is added.
                let mut out = String::new();
                let pre = chars.iter().position(|c| decompose(*c).is_some());
                for (k, c) in chars.iter().enumerate() {
                    match (pre, decompose(*c)) {
                        (Some(p), Some((base, mark))) if p == k => {
                            out.push(base);
                            out.push(mark);
                        }
                        _ => out.push(*c),
                    }
                    if pre.is_none() && k == at(*i) {
                        out.push('\u{0301}');
                    }
                }
                out
            }
            Mutation::DotWildcard(i) => {
                let dots: Vec<usize> = (0..chars.len()).filter(|&k| chars[k] == '.').collect();
                let mut out = chars.clone();
                match dots.get(i % dots.len().max(1)) {
                    Some(&k) => out[k] = if i % 2 == 0 { '-' } else { 'x' },
                    None => out.push('x'),
                }
                out.into_iter().collect()
            }
            Mutation::Nul => format!("{s}\u{0}.evil.example"),
            Mutation::Joined { comma } => format!("https://evil.example{}{s}", if *comma { ',' } else { ' ' }),
            Mutation::Userinfo => match s.split_once("://") {
                Some((scheme, rest)) => format!("{scheme}://evil@{rest}"),
                None => format!("evil@{s}"),
            },
            Mutation::Fullwidth(i) => {
                let letters: Vec<usize> = (0..chars.len()).filter(|&k| chars[k].is_ascii_alphanumeric()).collect();
                let mut out = chars.clone();
                if let Some(&k) = letters.get(i % letters.len().max(1)) {
                    out[k] = char::from_u32(chars[k] as u32 + 0xFEE0).unwrap_or(chars[k]);
                }
                out.into_iter().collect()
            }
            Mutation::AfterComma => s.split_once(',').map_or_else(|| s.to_string(), |(_, b)| b.to_string()),
            Mutation::FillStar => s.replace('*', "evil"),
            Mutation::PercentEncode(i) => {
                let k = at(*i);
                let mut out = String::new();
                for (j, c) in chars.iter().enumerate() {
                    if j == k {
                        let mut buf = [0u8; 4];
                        for b in c.encode_utf8(&mut buf).bytes() {
                            out.push_str(&format!("%{b:02X}"));
                        }
                    } else {
                        out.push(*c);
                    }
                }
                out
            }
        }
    }
}

fn flip(c: char) -> char {
    if c.is_lowercase() { c.to_uppercase().next().unwrap_or(c) } else { c.to_lowercase().next().unwrap_or(c) }
}

fn decompose(c: char) -> Option<(char, char)> {
    match c {
        'é' => Some(('e', '\u{0301}')),
        'è' => Some(('e', '\u{0300}')),
        'à' => Some(('a', '\u{0300}')),
        'ü' => Some(('u', '\u{0308}')),
        'ö' => Some(('o', '\u{0308}')),
        'ñ' => Some(('n', '\u{0303}')),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::Mutation::*;

    const U: &str = "https://api.example.com/orders";

    #[test]
    fn each_mutation_changes_an_url() {
        let cases = [
            (AddSlash, "https://api.example.com/orders/"),
            (DropSlash, "https://api.example.com/order"),
            (FlipCase(0), "https://api.example.com/orders"),
            (SwapScheme, "http://api.example.com/orders"),
            (AddPort(443), "https://api.example.com:443/orders"),
            (EnvLabel(0), "https://staging.api.example.com/orders"),
            (Prefix(1), "evil.https://api.example.com/orders"),
            (Suffix(1), "https://api.example.com/orders.evil.example"),
            (Truncate(0), "https://api.example.com/order"),
            (Whitespace { which: 4, leading: false }, "https://api.example.com/orders\u{200b}"),
            (Lookalike(0), "httрs://api.example.com/orders"),
            (PercentEncode(8), "https://%61pi.example.com/orders"),
            (DotWildcard(0), "https://api-example.com/orders"),
            (Nul, "https://api.example.com/orders\u{0}.evil.example"),
            (Joined { comma: true }, "https://evil.example,https://api.example.com/orders"),
            (Userinfo, "https://evil@api.example.com/orders"),
            (Fullwidth(0), "\u{ff48}ttps://api.example.com/orders"),
        ];
        for (m, want) in cases {
            if m == FlipCase(0) {
                assert_eq!(m.apply(U), "Https://api.example.com/orders");
            } else {
                assert_eq!(m.apply(U), want, "{m:?}");
            }
        }
        assert_eq!(Decompose(0).apply("https://x.example/café"), "https://x.example/cafe\u{301}");
        assert_ne!(Decompose(3).apply("client"), "client");
    }

    #[test]
    fn mutations_never_panic_on_odd_input() {
        for s in ["", "a", "://", "é", "\u{200b}"] {
            for m in [AddSlash, DropSlash, FlipCase(9), SwapScheme, AddPort(1), EnvLabel(7), Prefix(9), Suffix(9), Truncate(99),
                Whitespace { which: 9, leading: true }, Lookalike(5), Decompose(5), PercentEncode(5), DotWildcard(3), Nul,
                Joined { comma: true }, Userinfo, Fullwidth(4), AfterComma, FillStar] {
                let _ = m.apply(s);
            }
        }
    }
}
