//! The only stage that writes: the built files go into a fresh folder beside the
//! output, which is swapped in whole at the end, so a failed build leaves the previous
//! site untouched. A folder that no build made is never deleted.

use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

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
    #[error("refusing to write `{0}`, which is not a plain path inside the output folder")]
    Escape(String),
    #[error(
        "two files would be written at `{0}`; a page, an alias or a static file share that path"
    )]
    Duplicate(String),
    #[error("a thread writing the site stopped unexpectedly")]
    Poisoned,
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
    let writer = Writer::begin(dir)?;
    files
        .par_iter()
        .try_for_each(|file| writer.put(file.clone()))?;
    writer.finish().map(|_| ())
}

/// A site being written: files go into a folder beside the output as they are made,
/// and `finish` swaps that folder in with two renames.
///
/// The site it replaces is kept as the next build's starting point, so a build
/// writes only the files that changed and deletes only those that went away: on
/// many disks removing thousands of files costs more than the whole build. A
/// build that fails before `finish` leaves the output as it was.
pub struct Writer {
    dir: PathBuf,
    staging: PathBuf,
    spare: PathBuf,
    written: Mutex<HashSet<String>>,
    made_dirs: Mutex<HashSet<PathBuf>>,
}

impl Writer {
    /// Prepares the folder the new site is assembled in.
    pub fn begin(dir: &Path) -> Result<Writer, OutputError> {
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
        let spare = parent.join(format!(".{name}.almanac-old"));
        for folder in [&staging, &spare] {
            check_replaceable(folder)?;
        }
        // An interrupted build leaves `staging` behind; otherwise start from the spare.
        if !staging.exists() && spare.exists() {
            fs::rename(&spare, &staging).map_err(io_error(&spare))?;
        }
        fs::create_dir_all(&staging).map_err(io_error(&staging))?;
        // The marker stays while the folder is being updated: a half-updated folder
        // is still ours, and the next build brings it up to date.
        let marker = staging.join(MARKER);
        fs::write(&marker, MARKER_TEXT).map_err(io_error(&marker))?;
        Ok(Writer {
            dir: dir.to_path_buf(),
            staging,
            spare,
            written: Mutex::new(HashSet::new()),
            made_dirs: Mutex::new(HashSet::new()),
        })
    }

    /// Writes one file (unless it already holds these bytes). Safe to call from
    /// several threads; a path may be written only once.
    pub fn put(&self, file: OutputFile) -> Result<(), OutputError> {
        if crate::model::clean_path(&file.path).as_deref() != Some(file.path.as_str())
            || file.path == MARKER
        {
            return Err(OutputError::Escape(file.path));
        }
        if !self
            .written
            .lock()
            .map_err(|_| OutputError::Poisoned)?
            .insert(file.path.clone())
        {
            return Err(OutputError::Duplicate(file.path));
        }
        self.put_unchecked(&file)
    }

    /// Writes a file unless one was already written at its path (static files give
    /// way to pages).
    pub fn put_if_absent(&self, file: OutputFile) -> Result<(), OutputError> {
        match self.put(file) {
            Err(OutputError::Duplicate(_)) => Ok(()),
            other => other,
        }
    }

    fn put_unchecked(&self, file: &OutputFile) -> Result<(), OutputError> {
        let target = self.staging.join(&file.path);
        if let Some(parent) = target.parent() {
            let known = self
                .made_dirs
                .lock()
                .map_err(|_| OutputError::Poisoned)?
                .contains(parent);
            if !known {
                make_dir(parent).map_err(io_error(parent))?;
                self.made_dirs
                    .lock()
                    .map_err(|_| OutputError::Poisoned)?
                    .insert(parent.to_path_buf());
            }
        }
        let result = match &file.contents {
            Contents::Bytes(bytes) => write_if_changed(&target, bytes),
            Contents::Static(bytes) => write_if_changed(&target, bytes),
            Contents::Copy(from) => {
                fs::read(from).and_then(|bytes| write_if_changed(&target, &bytes))
            }
        };
        result.map_err(io_error(&target))
    }

    /// Removes what the new site no longer has, then swaps it in. Gives the number
    /// of files the site has.
    pub fn finish(self) -> Result<usize, OutputError> {
        let written = self
            .written
            .into_inner()
            .map_err(|_| OutputError::Poisoned)?;
        let count = written.len();
        let wanted: HashSet<PathBuf> = written.iter().map(|p| self.staging.join(p)).collect();
        remove_unwanted(&self.staging, &wanted)?;
        let dir = &self.dir;
        if dir.exists() {
            if self.spare.exists() {
                fs::remove_dir_all(&self.spare).map_err(io_error(&self.spare))?;
            }
            fs::rename(dir, &self.spare).map_err(io_error(dir))?;
            if let Err(e) = fs::rename(&self.staging, dir) {
                // Put the previous site back rather than leave no site at all.
                let _ = fs::rename(&self.spare, dir);
                return Err(io_error(dir)(e));
            }
        } else {
            fs::rename(&self.staging, dir).map_err(io_error(dir))?;
        }
        Ok(count)
    }
}

/// Creates a folder and its parents, replacing a file that stands in the way
/// (a page of the previous site where this one has a folder).
fn make_dir(dir: &Path) -> io::Result<()> {
    match fs::create_dir_all(dir) {
        Ok(()) => Ok(()),
        Err(error) => {
            let mut blocker = Some(dir);
            while let Some(path) = blocker {
                if fs::symlink_metadata(path).is_ok_and(|m| !m.is_dir()) {
                    fs::remove_file(path)?;
                    return fs::create_dir_all(dir);
                }
                blocker = path.parent();
            }
            Err(error)
        }
    }
}

/// Writes `bytes` unless the file already holds exactly them.
fn write_if_changed(target: &Path, bytes: &[u8]) -> io::Result<()> {
    if let Ok(meta) = fs::symlink_metadata(target) {
        if meta.is_file() && meta.len() == bytes.len() as u64 && fs::read(target)? == bytes {
            return Ok(());
        }
        if meta.is_dir() {
            fs::remove_dir_all(target)?;
        }
    }
    fs::write(target, bytes)
}

/// Removes every file under `dir` that is not wanted, and folders left empty.
fn remove_unwanted(dir: &Path, wanted: &HashSet<PathBuf>) -> Result<bool, OutputError> {
    let mut empty = true;
    for entry in fs::read_dir(dir).map_err(io_error(dir))? {
        let entry = entry.map_err(io_error(dir))?;
        let path = entry.path();
        let kind = entry.file_type().map_err(io_error(&path))?;
        if kind.is_dir() {
            if remove_unwanted(&path, wanted)? {
                fs::remove_dir(&path).map_err(io_error(&path))?;
            } else {
                empty = false;
            }
        } else if wanted.contains(&path) || path.file_name() == Some(std::ffi::OsStr::new(MARKER)) {
            empty = false;
        } else {
            fs::remove_file(&path).map_err(io_error(&path))?;
        }
    }
    Ok(empty)
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
        // The spare kept beside the site becomes the next build's starting point.
        write(&out, &[OutputFile::text("a/index.html", "three".into())]).unwrap();
        assert_eq!(
            fs::read_to_string(out.join("a/index.html")).unwrap(),
            "three"
        );
        assert!(!out.join("b.txt").exists());
        write(&out, &[OutputFile::text("a/index.html", "three".into())]).unwrap();
        assert_eq!(fs::read_dir(&out).unwrap().count(), 2);

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
