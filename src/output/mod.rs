//! Output, the only stage that writes: the files a build makes go to a sink, on disk
//! for `build` (beside the output, swapped in whole at the end) or in memory for
//! `serve`. Both sinks apply the same path rules ([`Claims`]).

mod disk;
mod memory;
mod place;
mod swap;

pub use place::read_folder_holding;

use std::collections::HashSet;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

pub use disk::{MANIFEST, Writer, check_replaceable};
pub use memory::Memory;
pub use swap::{MARKER, hidden, well_known};

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

    /// A file of the collection published as it is, at `path`.
    pub fn copy(path: impl Into<String>, from: impl Into<PathBuf>) -> OutputFile {
        OutputFile {
            path: path.into(),
            contents: Contents::Copy(from.into()),
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
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error(
        "refusing to write `{0}`, which is not a plain path inside the output folder or has a hidden part"
    )]
    Escape(String),
    #[error(
        "two files would be written at `{0}`; a page, an alias or a static file share that path"
    )]
    Duplicate(String),
    #[error(
        "{} was not written by an Almanac build; refusing to replace or remove it (to publish a file of your own, put it in static/)",
        .0.display()
    )]
    Foreign(PathBuf),
    #[error(
        "{} is a symbolic link inside the output; a build never writes through one (replace it with a folder)",
        .0.display()
    )]
    Symlink(PathBuf),
    #[error(
        "the output {} is inside the collection's {folder}/ folder, which the build reads; choose an output outside it",
        .output.display()
    )]
    InCollection { output: PathBuf, folder: String },
    #[error("a thread writing the site stopped unexpectedly")]
    Poisoned,
}

pub(crate) fn io_error(path: &Path) -> impl FnOnce(io::Error) -> OutputError + '_ {
    move |source| OutputError::Io {
        path: path.to_path_buf(),
        source,
    }
}

pub(crate) fn read_error(path: &Path) -> impl FnOnce(io::Error) -> OutputError + '_ {
    move |source| OutputError::Read {
        path: path.to_path_buf(),
        source,
    }
}

/// Where the files of a build go as they are made. Called from several threads at once.
pub trait Sink: Sync {
    /// A file the build made (a page, a feed, an index file): its path must be one
    /// no other made file has.
    fn put(&self, file: OutputFile) -> Result<(), OutputError>;

    /// A file published as it is (a theme's static file, an asset beside content).
    /// Given after every made file: it gives way to a made file of the same path, and
    /// the first one given for a path wins.
    fn put_copy(&self, file: OutputFile) -> Result<(), OutputError>;
}

/// The output paths one build has claimed, and the rules every claim obeys: a
/// plain relative path inside the output, not one of the build's own files, given
/// once.
#[derive(Default)]
pub struct Claims {
    paths: Mutex<HashSet<String>>,
}

impl Claims {
    /// Claims the path of a made file.
    pub fn claim(&self, path: &str) -> Result<(), OutputError> {
        check_path(path)?;
        if self.insert(path)? {
            Ok(())
        } else {
            Err(OutputError::Duplicate(path.to_string()))
        }
    }

    /// Claims the path of a copied file: `false` when it is taken already.
    pub fn claim_copy(&self, path: &str) -> Result<bool, OutputError> {
        // Only a published file may be in `.well-known/`: an alias there is refused.
        if !well_known(path) {
            check_path(path)?;
        } else if crate::paths::clean_path(path).as_deref() != Some(path) {
            return Err(OutputError::Escape(path.to_string()));
        }
        self.insert(path)
    }

    fn insert(&self, path: &str) -> Result<bool, OutputError> {
        Ok(self
            .paths
            .lock()
            .map_err(|_| OutputError::Poisoned)?
            .insert(path.to_string()))
    }

    /// Every claimed path.
    pub fn into_paths(self) -> Result<HashSet<String>, OutputError> {
        self.paths.into_inner().map_err(|_| OutputError::Poisoned)
    }
}

/// A path a build may write: plain, relative, inside the output, and without a
/// hidden part (the marker, `.git/` of a deploy checkout), which no build writes.
pub fn check_path(path: &str) -> Result<(), OutputError> {
    let plain = crate::paths::clean_path(path).as_deref() == Some(path);
    if plain && !hidden(path) {
        Ok(())
    } else {
        Err(OutputError::Escape(path.to_string()))
    }
}
