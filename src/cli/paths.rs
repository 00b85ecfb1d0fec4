//! Where the standard suites are: ./suites when run from a checkout, else the build's own.

use std::path::PathBuf;

pub fn standard_suites() -> PathBuf {
    let local = PathBuf::from("suites");
    if local.join("core.json").is_file() {
        local
    } else {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("suites")
    }
}

/// The suites to load: the ones given, or the standard suites.
pub fn suites_or_standard(given: &[PathBuf]) -> Vec<PathBuf> {
    if given.is_empty() { vec![standard_suites()] } else { given.to_vec() }
}

/// Where the shipped adapters are: ./adapters in a checkout, else the build's own.
pub fn adapters_root() -> PathBuf {
    let local = PathBuf::from("adapters");
    if local.is_dir() && PathBuf::from("suites").join("core.json").is_file() {
        local
    } else {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("adapters")
    }
}
