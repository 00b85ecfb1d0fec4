//! The standard suites: they load, cover every requirement and every family the profiles
//! need, and keep their ids stable.

mod common;

use audcheck::model::{Expectation, Family, Profile};
use audcheck::suite::{self, Case};
use std::collections::{BTreeMap, BTreeSet};

fn standard() -> Vec<Case> {
    let suites = suite::load_paths(&[common::repo().join("suites")]).unwrap_or_else(|e| panic!("{e}"));
    suites.into_iter().flat_map(|s| s.cases).collect()
}

#[test]
fn at_least_150_cases() {
    assert!(standard().len() >= 150, "{} cases", standard().len());
}

#[test]
fn every_requirement_is_cited_and_every_citation_is_a_requirement() {
    let reqs = suite::load_requirements(&common::repo().join("suites/requirements.json")).unwrap();
    let ids: BTreeSet<&str> = reqs.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids.len(), reqs.len(), "requirement ids must be unique");
    let cases = standard();
    let cited: BTreeSet<&str> = cases.iter().flat_map(|c| c.spec.iter().map(String::as_str)).collect();
    let uncited: Vec<_> = ids.difference(&cited).collect();
    assert!(uncited.is_empty(), "requirements no case cites: {uncited:?}");
    for c in &cases {
        assert!(!c.spec.is_empty(), "{} cites nothing", c.id);
        for s in &c.spec {
            assert!(ids.contains(s.as_str()), "{} cites {s}, which is not in suites/requirements.json", c.id);
        }
    }
    for p in Profile::ALL {
        assert!(reqs.iter().any(|r| r.profile == *p), "no requirement for {p}");
    }
}

/// The vocabulary in `Family` (which generators, near misses and `explain` use) and the
/// standard suites name the same families: renaming one in suites/ fails here.
#[test]
fn the_family_vocabulary_is_the_standard_suites_families() {
    let controls = audcheck::session::controls().unwrap();
    let cases: Vec<Case> = standard().into_iter().chain(controls).collect();
    let used: BTreeSet<&Family> = cases.iter().map(|c| &c.family).collect();
    let named: BTreeSet<&Family> = Family::STANDARD.iter().collect();
    assert_eq!(used, named, "families used in suites/ (left) and named in src/model/family.rs (right) differ");
}

#[test]
fn families_have_both_verdicts_where_it_makes_sense() {
    let mut by_family: BTreeMap<Family, BTreeSet<Expectation>> = BTreeMap::new();
    for c in standard() {
        by_family.entry(c.family.clone()).or_default().insert(c.expectation(Profile::Rfc7519));
    }
    for f in [Family::ARRAY, Family::TRAILING_SLASH, Family::MULTI_CONFIG, Family::CASE, Family::PORT, Family::ENCODING, Family::UNICODE, Family::SIZE, Family::TYP, Family::IDP_SHAPE] {
        let e = &by_family[&f];
        assert!(e.contains(&Expectation::Accept) && e.contains(&Expectation::Reject), "{f} lacks an accepting or a rejecting case: {e:?}");
    }
}

#[test]
fn every_profile_has_accepting_and_rejecting_cases() {
    let cases = standard();
    for p in Profile::ALL {
        let seen: BTreeSet<Expectation> = cases.iter().map(|c| c.expectation(*p)).collect();
        assert!(seen.contains(&Expectation::Accept) && seen.contains(&Expectation::Reject), "{p}: {seen:?}");
    }
}

#[test]
fn critical_cases_cover_the_real_attacks() {
    let cases = standard();
    for f in [Family::WRONG, Family::CROSS_ENVIRONMENT, Family::SUBSTRING, Family::TYPE] {
        assert!(cases.iter().any(|c| c.family == f && c.importance == audcheck::model::Importance::Critical), "{f}");
    }
}

/// Ids are stable: a renamed or removed case shows up here. Add new ids freely.
#[test]
fn case_ids_are_stable() {
    let ids: Vec<String> = standard().iter().map(|c| format!("{}  [{}]", c.id, c.family)).collect();
    insta::assert_snapshot!("standard-case-ids", ids.join("\n"));
}
