//! The baseline of `audcheck run --baseline`: an earlier report of the same target.

use super::{ReadError, Report, read};
use std::path::Path;

/// The baseline report for `target`: the file itself when it is that target's report, or
/// `<target>.json` in a folder. None when there is no report of that target.
pub fn baseline_for(path: &Path, target: &str) -> Result<Option<Report>, ReadError> {
    if path.is_dir() {
        let p = path.join(format!("{target}.json"));
        return if p.is_file() { read(&p).map(Some) } else { Ok(None) };
    }
    let r = read(path)?;
    Ok((r.target.name == target).then_some(r))
}

#[cfg(test)]
mod tests {
    use super::baseline_for;
    use crate::report::empty_report as report;

    #[test]
    fn a_file_of_the_target_or_the_targets_file_in_a_folder() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.json");
        std::fs::write(&file, report("a").to_json()).unwrap();
        assert_eq!(baseline_for(&file, "a").unwrap().unwrap().target.name, "a");
        assert!(baseline_for(&file, "b").unwrap().is_none(), "a report of another target is no baseline");
        assert_eq!(baseline_for(dir.path(), "a").unwrap().unwrap().target.name, "a");
        assert!(baseline_for(dir.path(), "b").unwrap().is_none());
        std::fs::write(dir.path().join("c.json"), "{\"format\": \"audcheck-suite/1\"}").unwrap();
        assert!(baseline_for(&dir.path().join("c.json"), "c").is_err(), "a file that is not a report is an error");
    }
}
