//! Strategies: a validator input (the expected audiences) and a token `aud` made from it.
//! The `aud` is a recipe over the expected audiences, so both shrink independently.

use super::Mutation;
use crate::model::Family;
use proptest::collection::vec;
use proptest::prelude::*;
use serde_json::{Value, json};

const SCHEMES: [&str; 2] = ["https", "http"];
const LABELS: [&str; 8] = ["a", "api", "auth", "orders", "svc", "b", "id", "x1"];
const DOMAINS: [&str; 3] = ["example.com", "example.org", "api.example.net"];
const PORTS: [&str; 3] = ["", ":8443", ":8080"];
const PATHS: [&str; 6] = ["", "/v1", "/orders", "/x", "/café", "/münchen"];

/// Realistic audience identifiers, and arbitrary Unicode strings. Parts are drawn from
/// small pools by index, which is cheap and shrinks toward the first, simplest entry.
pub fn identifier() -> impl Strategy<Value = String> {
    let pick = |n: usize| 0..n;
    let url = (pick(2), pick(LABELS.len()), pick(DOMAINS.len()), pick(PORTS.len()), pick(PATHS.len()))
        .prop_map(|(s, l, d, p, path)| format!("{}://{}.{}{}{}", SCHEMES[s], LABELS[l], DOMAINS[d], PORTS[p], PATHS[path]));
    prop_oneof![
        4 => url,
        1 => (pick(LABELS.len()), 0u16..1000).prop_map(|(l, n)| format!("{}-client-{n}", LABELS[l])),
        1 => (1u64..1_000_000_000_000).prop_map(|n| n.to_string()),
        1 => any::<u128>().prop_map(|g| {
            let h = format!("{g:032x}");
            format!("api://{}-{}-{}-{}-{}", &h[..8], &h[8..12], &h[12..16], &h[16..20], &h[20..])
        }),
        1 => (pick(LABELS.len()), pick(LABELS.len())).prop_map(|(a, b)| format!("urn:{}:{}", LABELS[a], LABELS[b])),
        1 => (pick(LABELS.len()), pick(LABELS.len())).prop_map(|(ns, sa)| format!("spiffe://example.org/ns/{}/sa/{}", LABELS[ns], LABELS[sa])),
        1 => vec(any::<char>(), 1..=12).prop_map(String::from_iter),
    ]
}

/// One array member of a token `aud`.
#[derive(Debug, Clone, PartialEq)]
pub enum Element {
    Exact(usize),
    Mutated(usize, Mutation),
    Unrelated(String),
}

/// How a token `aud` is made from the expected audiences (members chosen by index).
#[derive(Debug, Clone, PartialEq)]
pub enum Recipe {
    Missing,
    Exact(usize),
    Mutated(usize, Mutation),
    Unrelated(String),
    Array(Vec<Element>),
    Typed(usize, TypeKind),
    /// An array of more members than a validator may bother to check (none expected).
    Many(usize),
    /// One comma-separated piece of an expected audience that holds a comma.
    Piece(usize),
    /// Two `aud` keys: an expected audience first, then another value (what JSON parsers keep).
    Duplicate(usize, String),
    /// No `aud`, and an `azp` naming an expected audience.
    MissingWithAzp(usize),
}

/// `aud` values of another JSON type, or empty ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TypeKind {
    Null,
    EmptyString,
    EmptyArray,
    Number,
    Bool,
    NestedArray,
    Object,
    MixedNumber,
}

const TYPE_KINDS: [TypeKind; 8] = [
    TypeKind::Null,
    TypeKind::EmptyString,
    TypeKind::EmptyArray,
    TypeKind::Number,
    TypeKind::Bool,
    TypeKind::NestedArray,
    TypeKind::Object,
    TypeKind::MixedNumber,
];

/// A generated pair: the validator input and the token `aud` (`None`: no `aud` claim).
#[derive(Debug, Clone, PartialEq)]
pub struct Probe {
    pub audience: Option<Vec<String>>,
    pub recipe: Recipe,
    /// The token's `aud` as JSON parsers read it (the last of duplicate keys).
    pub aud: Option<Value>,
    /// An earlier `aud` key in the same payload, which a first-wins reader sees instead.
    pub first_aud: Option<Value>,
    /// An `azp` claim, which a validator may fall back on when `aud` is missing.
    pub azp: Option<String>,
    /// What kind of pair this is, such as `mutated:trailing-slash` or `type:nested-array`.
    pub label: String,
}

fn element() -> impl Strategy<Value = Element> {
    prop_oneof![
        any::<usize>().prop_map(Element::Exact),
        (any::<usize>(), Mutation::strategy()).prop_map(|(i, m)| Element::Mutated(i, m)),
        identifier().prop_map(Element::Unrelated),
    ]
}

fn recipe() -> impl Strategy<Value = Recipe> {
    prop_oneof![
        1 => Just(Recipe::Missing),
        2 => any::<usize>().prop_map(Recipe::Exact),
        8 => (any::<usize>(), Mutation::strategy()).prop_map(|(i, m)| Recipe::Mutated(i, m)),
        2 => identifier().prop_map(Recipe::Unrelated),
        4 => vec(element(), 1..=4).prop_map(Recipe::Array),
        2 => (any::<usize>(), 0..TYPE_KINDS.len()).prop_map(|(i, k)| Recipe::Typed(i, TYPE_KINDS[k])),
        1 => (101usize..=160).prop_map(Recipe::Many),
        1 => any::<usize>().prop_map(Recipe::Piece),
        1 => (any::<usize>(), identifier()).prop_map(|(i, s)| Recipe::Duplicate(i, s)),
        1 => any::<usize>().prop_map(Recipe::MissingWithAzp),
    ]
}

/// The validator input: one to three expected audiences, sometimes none configured.
/// Also configurations a validator may mishandle: an empty list, an empty or blank
/// value, one value holding a comma, one holding a `*`.
fn audience() -> impl Strategy<Value = Option<Vec<String>>> {
    prop_oneof![
        3 => Just(None),
        24 => vec(identifier(), 1..=3).prop_map(Some),
        1 => Just(Some(vec![])),
        1 => prop_oneof![Just(""), Just(" ")].prop_map(|blank| Some(vec![blank.to_string()])),
        2 => (identifier(), identifier()).prop_map(|(a, b)| Some(vec![format!("{a},{b}")])),
        2 => (0..DOMAINS.len(), 0..3usize).prop_map(|(d, shape)| Some(vec![match shape {
            0 => format!("https://*.{}", DOMAINS[d]),
            1 => format!("https://api.{}/*", DOMAINS[d]),
            _ => "*".to_string(),
        }])),
    ]
}

/// Pairs of validator input and token `aud`.
pub fn probe() -> impl Strategy<Value = Probe> {
    (audience(), recipe()).prop_map(|(audience, recipe)| Probe::new(audience, recipe))
}

impl Probe {
    pub fn new(audience: Option<Vec<String>>, recipe: Recipe) -> Probe {
        let (label, aud) = materialize(&recipe, audience.as_deref());
        let (first_aud, azp) = match &recipe {
            Recipe::Duplicate(i, _) => (Some(Value::String(member(audience.as_deref(), *i))), None),
            Recipe::MissingWithAzp(i) => (None, Some(member(audience.as_deref(), *i))),
            _ => (None, None),
        };
        Probe { audience, recipe, aud, first_aud, azp, label }
    }

    /// The suite family this pair belongs to.
    pub fn family(&self) -> Family {
        match &self.recipe {
            Recipe::Missing => Family::MISSING,
            Recipe::Exact(_) => if self.audience.is_none() { Family::NO_CONFIG } else { Family::VALID },
            Recipe::Mutated(_, m) => m.family(),
            Recipe::Unrelated(_) => Family::WRONG,
            Recipe::Array(_) => Family::ARRAY,
            Recipe::Typed(_, TypeKind::EmptyString | TypeKind::EmptyArray) => Family::EMPTY,
            Recipe::Typed(..) => Family::TYPE,
            Recipe::Many(_) => Family::SIZE,
            Recipe::Piece(_) => Family::SEPARATOR,
            Recipe::Duplicate(..) => Family::DUPLICATE,
            Recipe::MissingWithAzp(_) => Family::MISSING,
        }
    }
}

/// The expected audience a recipe's index picks; a fixed one when none is configured.
fn member(audience: Option<&[String]>, i: usize) -> String {
    match audience {
        Some(list) if !list.is_empty() => list[i % list.len()].clone(),
        _ => "https://api.example.com".into(),
    }
}

fn materialize(recipe: &Recipe, audience: Option<&[String]>) -> (String, Option<Value>) {
    let m = |i| member(audience, i);
    match recipe {
        Recipe::Missing => ("missing".into(), None),
        Recipe::Exact(i) => ("exact".into(), Some(Value::String(m(*i)))),
        Recipe::Mutated(i, mu) => {
            let (original, mutated) = (m(*i), mu.apply(&m(*i)));
            // A mutation that changes nothing (a case flip of "{") gave the expected value.
            let label = if mutated == original { "exact".into() } else { format!("mutated:{}", mu.family()) };
            (label, Some(Value::String(mutated)))
        }
        Recipe::Unrelated(s) => ("unrelated".into(), Some(Value::String(s.clone()))),
        Recipe::Array(elements) => {
            let values = elements
                .iter()
                .map(|e| match e {
                    Element::Exact(i) => m(*i),
                    Element::Mutated(i, mu) => mu.apply(&m(*i)),
                    Element::Unrelated(s) => s.clone(),
                })
                .collect::<Vec<_>>();
            ("array".into(), Some(json!(values)))
        }
        Recipe::Duplicate(_, other) => ("duplicate".into(), Some(Value::String(other.clone()))),
        Recipe::MissingWithAzp(_) => ("missing-azp".into(), None),
        Recipe::Piece(i) => match m(*i).split_once(',') {
            Some((_, piece)) => ("piece".into(), Some(Value::String(piece.to_string()))),
            None => ("exact".into(), Some(Value::String(m(*i)))),
        },
        Recipe::Many(n) => ("size:many".into(), Some(json!((0..*n).map(|k| format!("https://m{k}.example.com")).collect::<Vec<_>>()))),
        Recipe::Typed(i, kind) => {
            let s = m(*i);
            let number = || s.parse::<u64>().map(Value::from).unwrap_or_else(|_| Value::from(s.len()));
            let (name, v) = match kind {
                TypeKind::Null => ("null", Value::Null),
                TypeKind::EmptyString => ("empty-string", json!("")),
                TypeKind::EmptyArray => ("empty-array", json!([])),
                TypeKind::Number => ("number", number()),
                TypeKind::Bool => ("bool", json!(true)),
                TypeKind::NestedArray => ("nested-array", json!([[s]])),
                TypeKind::Object => ("object", json!({ s: true })),
                TypeKind::MixedNumber => ("mixed-number", json!([number(), s])),
            };
            (format!("type:{name}"), Some(v))
        }
    }
}
