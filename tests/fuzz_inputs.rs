//! Property tests over untrusted input (the fuzz targets of audcheck): suite files and
//! adapter manifests, arbitrary or mutated from real ones, give a result or a clear error
//! naming the file, never a panic. (The protocol reader's are beside it, in
//! src/target/lines.rs and src/target/process.rs.)

mod common;

use proptest::prelude::*;
use std::path::Path;

fn core_suite() -> String {
    std::fs::read_to_string(common::repo().join("suites/core.json")).unwrap()
}

/// A real suite with some bytes replaced, inserted or removed.
fn mutated(text: String) -> impl Strategy<Value = String> {
    let n = text.len();
    proptest::collection::vec((0..n, any::<u8>(), 0u8..3), 1..8).prop_map(move |edits| {
        let mut b = text.clone().into_bytes();
        for (at, byte, op) in edits {
            let at = at.min(b.len().saturating_sub(1));
            match op {
                0 => b[at] = byte,
                1 => b.insert(at, byte),
                _ => {
                    b.remove(at);
                }
            }
        }
        String::from_utf8_lossy(&b).into_owned()
    })
}

/// JSON-ish text: the characters and words suite files are made of.
fn jsonish() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            Just("{".to_string()), Just("}".to_string()), Just("[".to_string()), Just("]".to_string()), Just(",".to_string()),
            Just(":".to_string()), Just("\"format\"".to_string()), Just("\"audcheck-suite/1\"".to_string()), Just("\"cases\"".to_string()),
            Just("\"id\"".to_string()), Just("\"x/y\"".to_string()), Just("\"claims\"".to_string()), Just("\"aud\"".to_string()),
            Just("\"expect\"".to_string()), Just("\"profiles\"".to_string()), Just("\"payload_raw\"".to_string()), Just("null".to_string()),
            Just("1e999".to_string()), Just("-0".to_string()), Just("\"\\ud800\"".to_string()), "\"[a-z{}$]{0,8}\"",
        ],
        0..60,
    )
    .prop_map(|parts| parts.concat())
}

fn loads_or_names_the_file(text: &str) -> Result<(), TestCaseError> {
    let file = Path::new("fuzzed.json");
    if let Err(e) = audcheck::suite::load_str(file, text) {
        let shown = e.to_string();
        prop_assert!(shown.contains("fuzzed.json"), "the error names the file: {shown}");
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn suite_loader_on_mutated_suites(text in mutated(core_suite())) {
        loads_or_names_the_file(&text)?;
    }

    #[test]
    fn suite_loader_on_jsonish_text(text in jsonish()) {
        loads_or_names_the_file(&text)?;
    }

    #[test]
    fn suite_loader_on_any_text(text in any::<String>()) {
        loads_or_names_the_file(&text)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn manifest_loader_on_mutated_manifests(text in mutated(std::fs::read_to_string(common::repo().join("adapters/python-pyjwt/adapter.json")).unwrap())) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("adapter.json"), &text).unwrap();
        if let Err(e) = audcheck::validator::load_manifest(dir.path()) {
            prop_assert!(e.to_string().contains("adapter.json"), "{}", e);
        }
    }
}
