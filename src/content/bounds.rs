//! The one rule for what a build, `check` and `serve` may read of a collection:
//! files and folders inside its root (links are followed only when they resolve
//! inside it), regular files only (a FIFO or device is refused without being
//! opened), and never more than the size limit, counted as the bytes are read.

use std::fs;
use std::path::{Path, PathBuf};

use crate::diagnostics::{Diagnostic, Location};

/// The collection root a read must stay inside, with its links resolved.
pub struct Bounds {
    root: PathBuf,
}

impl Bounds {
    /// The bounds of the collection at `root`.
    pub fn new(root: &Path) -> Bounds {
        Bounds {
            root: root.canonicalize().unwrap_or_else(|_| root.to_path_buf()),
        }
    }

    /// The bounds of the collection a file belongs to, from the file's path and
    /// its path as shown (relative to the collection root).
    pub fn of(path: &Path, shown: &Path) -> Bounds {
        let depth = shown.components().count();
        Bounds::new(path.ancestors().nth(depth).unwrap_or(Path::new(".")))
    }

    /// Refuses `path` (shown as `shown`) when it resolves outside the root.
    pub fn admit(&self, path: &Path, shown: &Path) -> Result<(), Diagnostic> {
        self.admit_for(path, shown, Use::Read)
    }

    /// Refuses to write into `path` (shown as `shown`) when it resolves outside
    /// the root: the message says nothing was written, as nothing was.
    pub fn admit_write(&self, path: &Path, shown: &Path) -> Result<(), Diagnostic> {
        self.admit_for(path, shown, Use::Write)
    }

    fn admit_for(&self, path: &Path, shown: &Path, used: Use) -> Result<(), Diagnostic> {
        let (cannot, refused) = match used {
            Use::Read => ("cannot read", "it was not read"),
            Use::Write => ("cannot write into it", "nothing was written through it"),
        };
        let real = path.canonicalize().map_err(|e| {
            Diagnostic::error("io", format!("{cannot}: {e}"))
                .at(Location::file(shown))
                .help("a link whose target is missing leads nowhere: remove it or fix it")
        })?;
        if crate::paths::admitted(&self.root, &real) {
            Ok(())
        } else {
            Err(Diagnostic::error(
                "outside-collection",
                format!("a symbolic link leads outside the collection; {refused}"),
            )
            .at(Location::file(shown))
            .label("links out of the collection")
            .help(
                "copy the file or folder into the collection (only what is inside it is published), or list the folder it leads into under `trusted_paths:` in almanac.yaml",
            ))
        }
    }

    /// Reads a regular file inside the root, of at most `limit` bytes.
    pub fn read(&self, path: &Path, shown: &Path, limit: u64) -> Result<Vec<u8>, Diagnostic> {
        let io = |e: std::io::Error| {
            Diagnostic::error("io", format!("cannot read the file: {e}")).at(Location::file(shown))
        };
        self.admit(path, shown)?;
        let meta = fs::metadata(path).map_err(io)?;
        if meta.is_dir() {
            return Err(Diagnostic::error(
                "not-a-file",
                "this is a folder where a file is expected; it was not read",
            )
            .at(Location::file(shown))
            .help("put the file in its place, or remove the folder"));
        }
        special(&meta.file_type(), shown)?;
        if meta.len() > limit {
            return Err(too_large(meta.len(), shown, limit));
        }
        // Opened without waiting and checked again once open: the file may have
        // become a FIFO since; and the limit holds on what is read.
        crate::paths::read_regular(path, limit).map_err(|e| match e.kind() {
            std::io::ErrorKind::FileTooLarge => too_large(limit + 1, shown, limit),
            _ if crate::paths::is_not_regular(&e) => not_regular(shown),
            _ => io(e),
        })
    }
}

/// What a path is admitted for, said in the refusal.
#[derive(Clone, Copy)]
enum Use {
    Read,
    Write,
}

/// Whether the file at `path` (listed and admitted), to be published as it is,
/// can be read whole: a file too large or that will not open is refused where it
/// is, by `check` too, not only once the build copies it.
pub fn probe(path: &Path, shown: &Path, limit: u64) -> Result<(), Diagnostic> {
    let io = |e: std::io::Error| {
        Diagnostic::error("io", format!("cannot read the file: {e}")).at(Location::file(shown))
    };
    let meta = fs::metadata(path).map_err(io)?;
    special(&meta.file_type(), shown)?;
    if meta.len() > limit {
        return Err(too_large(meta.len(), shown, limit));
    }
    crate::paths::open_plain(path, true).map(drop).map_err(io)
}

/// Refuses what is neither a file nor a folder: reading a FIFO waits forever,
/// a device may never end.
pub fn special(kind: &fs::FileType, shown: &Path) -> Result<(), Diagnostic> {
    if kind.is_file() || kind.is_dir() {
        return Ok(());
    }
    Err(not_regular(shown))
}

fn not_regular(shown: &Path) -> Diagnostic {
    Diagnostic::error(
        "special-file",
        "this is not a regular file (a pipe, socket or device); it was not read",
    )
    .at(Location::file(shown))
    .help("remove it from the collection: only files and folders are published")
}

fn too_large(len: u64, shown: &Path, limit: u64) -> Diagnostic {
    Diagnostic::error(
        "too-large",
        format!(
            "the file is over {:.1} MiB; Almanac reads text files of up to {} MiB",
            len as f64 / 1048576.0,
            limit / 1048576
        ),
    )
    .at(Location::file(shown))
    .help("split it into several entries, or move large material to static/ and link to it")
}
