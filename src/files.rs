//! Writing a set of files under one folder, and nowhere else: every path must be relative
//! and made of plain names (no `..`, no root), checked before anything is written.

use std::path::{Component, Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum FilesError {
    #[error("cannot write {path}: {source}; choose another folder")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("\"{0}\" would be written outside the folder; paths are relative and made of plain names")]
    Outside(String),
    #[error("{0} already holds files; choose a new folder, or remove it first")]
    NotEmpty(PathBuf),
}

/// Writes `files` (relative path, contents) under `dir`, creating folders as needed;
/// files of the same name are replaced.
pub fn write_under(dir: &Path, files: &[(String, String)]) -> Result<(), FilesError> {
    for (rel, _) in files {
        let plain = Path::new(rel).components().all(|c| matches!(c, Component::Normal(_)));
        if !plain || rel.is_empty() || rel.contains('\\') {
            return Err(FilesError::Outside(rel.clone()));
        }
    }
    for (rel, text) in files {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|source| FilesError::Io { path: parent.to_path_buf(), source })?;
        }
        std::fs::write(&path, text).map_err(|source| FilesError::Io { path: path.clone(), source })?;
    }
    Ok(())
}

/// Like `write_under`, into a folder that is new or empty: nothing of the user's is replaced.
pub fn write_new(dir: &Path, files: &[(String, String)]) -> Result<(), FilesError> {
    if std::fs::read_dir(dir).is_ok_and(|mut d| d.next().is_some()) {
        return Err(FilesError::NotEmpty(dir.to_path_buf()));
    }
    write_under(dir, files)
}

#[cfg(test)]
mod tests {
    use super::{FilesError, write_new, write_under};

    #[test]
    fn nothing_is_written_outside_the_folder() {
        let dir = tempfile::tempdir().unwrap();
        for bad in ["../x", "/etc/x", "a/../../x", "", "a\\b"] {
            let files = vec![("ok.txt".to_string(), "1".to_string()), (bad.to_string(), "2".to_string())];
            assert!(matches!(write_under(dir.path(), &files), Err(FilesError::Outside(_))), "{bad}");
        }
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0, "checked before writing anything");
        write_under(dir.path(), &[("a/b.txt".into(), "x".into())]).unwrap();
        assert!(matches!(write_new(dir.path(), &[("c.txt".into(), "x".into())]), Err(FilesError::NotEmpty(_))));
    }
}
