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

/// An output path given on the command line that cannot take files, found before any work
/// so that no result is lost at the end.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("{option} {}: cannot create or write in this folder ({why}); choose another folder", path.display())]
    Folder { option: &'static str, path: PathBuf, why: std::io::Error },
    #[error("{option} {}: the folder {} does not exist; create it first, or choose another path", path.display(), parent.display())]
    NoFolder { option: &'static str, path: PathBuf, parent: PathBuf },
    #[error("{option} {}: cannot write in {} ({why}); choose another path", path.display(), parent.display())]
    Unwritable { option: &'static str, path: PathBuf, parent: PathBuf, why: std::io::Error },
    #[error("{option} {}: that is a folder; give a file name in it, say {}", path.display(), path.join("found.json").display())]
    IsFolder { option: &'static str, path: PathBuf },
}

/// Creates the folder `option` names (with its parents) and checks that it takes files.
pub fn ready_folder(option: &'static str, dir: &Path) -> Result<(), OutputError> {
    // Named `why`, not `source`: the message says it once, and no chain repeats it.
    let err = |why| OutputError::Folder { option, path: dir.to_path_buf(), why };
    std::fs::create_dir_all(dir).map_err(err)?;
    probe(dir).map_err(err)
}

/// Checks that the file `option` names can be written: its folder exists and takes files.
/// Nothing is created: a mistyped folder is the user's to fix.
pub fn ready_file(option: &'static str, path: &Path) -> Result<(), OutputError> {
    if path.is_dir() {
        return Err(OutputError::IsFolder { option, path: path.to_path_buf() });
    }
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !parent.is_dir() {
        return Err(OutputError::NoFolder { option, path: path.to_path_buf(), parent });
    }
    probe(&parent).map_err(|why| OutputError::Unwritable { option, path: path.to_path_buf(), parent, why })
}

/// Writes and removes an empty file: permissions alone do not tell (read-only mounts, ACLs).
fn probe(dir: &Path) -> std::io::Result<()> {
    let p = dir.join(format!(".audcheck-write-test-{}", std::process::id()));
    std::fs::write(&p, b"")?;
    std::fs::remove_file(p)
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
    use super::{FilesError, OutputError, ready_file, ready_folder, write_new, write_under};

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

    #[test]
    fn output_paths_are_checked_before_any_work() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a-file");
        std::fs::write(&file, "").unwrap();
        assert!(matches!(ready_folder("--out", &file.join("sub")), Err(OutputError::Folder { .. })));
        ready_folder("--out", &dir.path().join("new/deeper")).unwrap();
        assert!(dir.path().join("new/deeper").is_dir(), "created");
        let e = ready_file("--export-suite", &dir.path().join("missing-dir/x.json")).unwrap_err();
        assert!(matches!(e, OutputError::NoFolder { .. }) && e.to_string().contains("missing-dir"), "{e}");
        assert!(!dir.path().join("missing-dir").exists(), "not created");
        assert!(matches!(ready_file("--export-suite", dir.path()), Err(OutputError::IsFolder { .. })));
        ready_file("--export-suite", &dir.path().join("x.json")).unwrap();
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2, "no probe file left: a-file and new/");
    }
}
