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
