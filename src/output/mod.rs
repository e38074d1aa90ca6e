//! The only stage that writes: the built files go into a fresh folder beside the
//! output, which is swapped in whole at the end, so a failed build leaves the previous
//! site untouched. A folder that no build made is never deleted.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

/// A file marking a folder as Almanac's output; without it the folder is not ours to replace.
pub const MARKER: &str = ".almanac-build";
const MARKER_TEXT: &str =
    "This folder is written by `almanac build` and replaced whole on every build.\n";

/// One file of the built site.
#[derive(Debug, Clone)]
pub struct OutputFile {
    /// Path inside the output folder, `/`-separated, never absolute and never with `..`.
    pub path: String,
    pub contents: Contents,
}

#[derive(Debug, Clone)]
pub enum Contents {
    Bytes(Vec<u8>),
    Static(&'static [u8]),
    /// A file to copy as it is (static files, assets beside content).
    Copy(PathBuf),
}

impl OutputFile {
    pub fn text(path: impl Into<String>, text: String) -> OutputFile {
        OutputFile {
            path: path.into(),
            contents: Contents::Bytes(text.into_bytes()),
        }
    }
}

/// Why the output could not be written.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error(
        "{0} holds files that no Almanac build wrote; refusing to replace it (choose another --output, or empty the folder)"
    )]
    NotOurs(PathBuf),
    #[error("cannot write {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
}

fn io_error(path: &Path) -> impl FnOnce(io::Error) -> OutputError + '_ {
    move |source| OutputError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Whether `dir` may be replaced: it does not exist, is empty, or an earlier build made it.
pub fn check_replaceable(dir: &Path) -> Result<(), OutputError> {
    match fs::read_dir(dir) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(io_error(dir)(e)),
        Ok(mut entries) => {
            if entries.next().is_none() || dir.join(MARKER).is_file() {
                Ok(())
            } else {
                Err(OutputError::NotOurs(dir.to_path_buf()))
            }
        }
    }
}

/// Writes the site into `dir`, replacing what an earlier build left there.
pub fn write(dir: &Path, files: &[OutputFile]) -> Result<(), OutputError> {
    check_replaceable(dir)?;
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "site".into());
    let parent = dir
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs::create_dir_all(parent).map_err(io_error(parent))?;
    let staging = parent.join(format!(".{name}.almanac-new"));
    let retired = parent.join(format!(".{name}.almanac-old"));
    for leftover in [&staging, &retired] {
        // Left by a build that was interrupted; they hold nothing but our own output.
        if leftover.exists() {
            fs::remove_dir_all(leftover).map_err(io_error(leftover))?;
        }
    }

    let result = write_all(&staging, files);
    if let Err(e) = result {
        let _ = fs::remove_dir_all(&staging);
        return Err(e);
    }

    if dir.exists() {
        fs::rename(dir, &retired).map_err(io_error(dir))?;
        if let Err(e) = fs::rename(&staging, dir) {
            // Put the previous site back rather than leave no site at all.
            let _ = fs::rename(&retired, dir);
            let _ = fs::remove_dir_all(&staging);
            return Err(io_error(dir)(e));
        }
        fs::remove_dir_all(&retired).map_err(io_error(&retired))?;
    } else {
        fs::rename(&staging, dir).map_err(io_error(dir))?;
    }
    Ok(())
}

fn write_all(root: &Path, files: &[OutputFile]) -> Result<(), OutputError> {
    fs::create_dir_all(root).map_err(io_error(root))?;
    let mut dirs: Vec<PathBuf> = files
        .iter()
        .filter_map(|f| Path::new(&f.path).parent().map(|p| root.join(p)))
        .collect();
    dirs.sort();
    dirs.dedup();
    for d in &dirs {
        fs::create_dir_all(d).map_err(io_error(d))?;
    }
    files.par_iter().try_for_each(|file| {
        let target = root.join(&file.path);
        match &file.contents {
            Contents::Bytes(bytes) => fs::write(&target, bytes),
            Contents::Static(bytes) => fs::write(&target, bytes),
            Contents::Copy(from) => fs::copy(from, &target).map(|_| ()),
        }
        .map_err(io_error(&target))
    })?;
    let marker = root.join(MARKER);
    fs::write(&marker, MARKER_TEXT).map_err(io_error(&marker))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_its_own_output_and_refuses_other_folders() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("site");
        write(&out, &[OutputFile::text("a/index.html", "one".into())]).unwrap();
        assert_eq!(fs::read_to_string(out.join("a/index.html")).unwrap(), "one");
        write(&out, &[OutputFile::text("b.txt", "two".into())]).unwrap();
        assert!(!out.join("a").exists());
        assert!(out.join(MARKER).exists());

        let foreign = tmp.path().join("docs");
        fs::create_dir_all(&foreign).unwrap();
        fs::write(foreign.join("precious.txt"), "keep").unwrap();
        let error = write(&foreign, &[OutputFile::text("x", String::new())]).unwrap_err();
        assert!(matches!(error, OutputError::NotOurs(_)));
        assert_eq!(
            fs::read_to_string(foreign.join("precious.txt")).unwrap(),
            "keep"
        );
    }
}
