//! Writing reports: each format to `<target>.<ext>` in one folder, atomically, and the
//! matrix over the folder. Nothing is written outside the folder: a file name is one plain
//! path component.

use super::{Report, html, junit, markdown, matrix_markdown, read_dir, step_summary};
use std::io::Write;
use std::path::{Component, Path, PathBuf};

/// A report format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `<target>.json`: the full report (contract audcheck-report/1).
    Json,
    /// `<target>.md`: the report for people.
    Md,
    /// `<target>.junit.xml`: JUnit XML for CI test views.
    Junit,
    /// `<target>.summary.md`: a short summary for a CI step summary.
    Github,
}

impl Format {
    fn extension(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Md => "md",
            Format::Junit => "junit.xml",
            Format::Github => "summary.md",
        }
    }

    fn render(self, r: &Report) -> String {
        match self {
            Format::Json => r.to_json(),
            Format::Md => markdown(r, true),
            Format::Junit => junit(r),
            Format::Github => step_summary(r),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("cannot write {path}: {source}; choose another folder with --out")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("\"{name}\" cannot be a file name in {dir}; a target name is one path component")]
    Name { name: String, dir: PathBuf },
    #[error("cannot append to the step summary {path}: {source}")]
    StepSummary { path: PathBuf, source: std::io::Error },
    #[error(transparent)]
    Read(#[from] super::ReadError),
    #[error("{target} has a report in both {} and {}; each target belongs to one shard: merge folders of one run's shards", first.display(), second.display())]
    Duplicate { target: String, first: PathBuf, second: PathBuf },
}

/// Where reports go: a folder, the formats, and a file the `github` format also appends to
/// (GitHub Actions' `$GITHUB_STEP_SUMMARY`).
#[derive(Debug, Clone)]
pub struct Writer {
    pub dir: PathBuf,
    pub formats: Vec<Format>,
    pub step_summary: Option<PathBuf>,
}

impl Writer {
    /// Creates the folder and checks it takes files, before any work is done.
    pub fn ready(&self) -> Result<(), WriteError> {
        let io = |source| WriteError::Io { path: self.dir.clone(), source };
        std::fs::create_dir_all(&self.dir).map_err(io)?;
        let probe = self.dir.join(".audcheck-write-test");
        std::fs::write(&probe, b"").map_err(io)?;
        let _ = std::fs::remove_file(probe);
        Ok(())
    }

    /// Writes one report in every format.
    pub fn write(&self, r: &Report) -> Result<(), WriteError> {
        for f in &self.formats {
            let text = f.render(r);
            write_atomic(&inside(&self.dir, &format!("{}.{}", r.target.name, f.extension()))?, &text)?;
            if let (Format::Github, Some(path)) = (f, &self.step_summary) {
                append(path, &text)?;
            }
        }
        Ok(())
    }
}

/// `dir/name`, when `name` is one plain component.
fn inside(dir: &Path, name: &str) -> Result<PathBuf, WriteError> {
    let mut parts = Path::new(name).components();
    match (parts.next(), parts.next()) {
        (Some(Component::Normal(_)), None) if !name.contains(['/', '\\']) => Ok(dir.join(name)),
        _ => Err(WriteError::Name { name: name.to_string(), dir: dir.to_path_buf() }),
    }
}

fn append(path: &Path, text: &str) -> Result<(), WriteError> {
    let err = |source| WriteError::StepSummary { path: path.to_path_buf(), source };
    let mut f = std::fs::OpenOptions::new().create(true).append(true).open(path).map_err(err)?;
    f.write_all(text.as_bytes()).map_err(err)
}

/// Writes through a temporary file so a crash leaves the old file whole.
pub fn write_atomic(path: &Path, text: &str) -> Result<(), WriteError> {
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".tmp");
    let tmp = PathBuf::from(tmp);
    std::fs::write(&tmp, text).map_err(|source| WriteError::Io { path: tmp.clone(), source })?;
    std::fs::rename(&tmp, path).map_err(|source| WriteError::Io { path: path.to_path_buf(), source })
}

/// Merges folders of reports (the shards of one run) into `out`: each target's files in
/// every format are copied, then the matrix and the page are written over `out`. Returns
/// how many reports `out` then holds.
pub fn merge(dirs: &[PathBuf], out: &Path) -> Result<usize, WriteError> {
    let mut seen: std::collections::BTreeMap<String, PathBuf> = std::collections::BTreeMap::new();
    let mut copies = Vec::new();
    for dir in dirs {
        for r in read_dir(dir)? {
            let name = r.target.name;
            if let Some(first) = seen.insert(name.clone(), dir.clone()) {
                return Err(WriteError::Duplicate { target: name, first, second: dir.clone() });
            }
            for f in [Format::Json, Format::Md, Format::Junit, Format::Github] {
                let file = inside(dir, &format!("{name}.{}", f.extension()))?;
                if file.is_file() {
                    copies.push((file, inside(out, &format!("{name}.{}", f.extension()))?));
                }
            }
        }
    }
    std::fs::create_dir_all(out).map_err(|source| WriteError::Io { path: out.to_path_buf(), source })?;
    for (from, to) in copies {
        if std::path::absolute(&from).ok() != std::path::absolute(&to).ok() {
            let text = std::fs::read_to_string(&from).map_err(|source| WriteError::Io { path: from.clone(), source })?;
            write_atomic(&to, &text)?;
        }
    }
    write_index(out)
}

/// Writes README.md (the matrix) and index.html (the page) over the reports in `dir`;
/// returns how many reports there were (none: nothing written).
pub fn write_index(dir: &Path) -> Result<usize, WriteError> {
    let reports = read_dir(dir)?;
    if !reports.is_empty() {
        write_atomic(&dir.join("README.md"), &matrix_markdown(&reports))?;
        write_atomic(&dir.join("index.html"), &html(&reports))?;
    }
    Ok(reports.len())
}

#[cfg(test)]
mod tests {
    use super::inside;
    use std::path::Path;

    #[test]
    fn names_stay_inside_the_folder() {
        let dir = Path::new("out");
        assert_eq!(inside(dir, "node-jose.json").unwrap(), dir.join("node-jose.json"));
        assert_eq!(inside(dir, "x@1.2.json").unwrap(), dir.join("x@1.2.json"));
        for bad in ["../x.json", "a/b.json", "/etc/x", "..", ".", "", "a\\b"] {
            assert!(inside(dir, bad).is_err(), "{bad}");
        }
    }
}
