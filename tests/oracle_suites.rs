//! The oracle, written from the specification rules, agrees with every standard-suite case
//! it can express (a claims payload, no header or typ changes, the default key, no `azp`).

mod common;

use audcheck::generate::oracle;
use audcheck::model::{KeyChoice, Profile};
use audcheck::suite::{self, Case};

fn expressible(c: &Case) -> bool {
    // typ cases judge the token type, which the oracle does not model.
    c.family != "typ" && c.header.is_empty() && c.key == KeyChoice::Default && c.claims().is_some_and(|cl| !cl.contains_key("azp"))
}

#[test]
fn oracle_agrees_with_the_suites() {
    let suites = suite::load_paths(&[common::repo().join("suites")]).unwrap();
    let cases: Vec<Case> = suites.into_iter().flat_map(|s| s.cases).collect();
    let mut checked = 0;
    let mut disagreements = vec![];
    for c in cases.iter().filter(|c| expressible(c)) {
        checked += 1;
        for p in Profile::ALL {
            let o = oracle::expect(*p, c.claims().unwrap().get("aud"), c.audience.as_deref());
            if o != c.expectation(*p) {
                disagreements.push(format!("{} under {p}: suite {}, oracle {o}", c.id, c.expectation(*p)));
            }
        }
    }
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n"));
    assert!(checked >= 180, "only {checked} cases were expressible");
}
