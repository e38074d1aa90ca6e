//! Putting a staged build in place, safely: a lock beside the output so one build
//! at a time changes it, a journal written before the first change so that a build
//! stopped at any instant is completed by the next one, and the marker that lists
//! the files builds wrote, so nothing else in the folder (`.git`, `CNAME`, a file
//! added by hand) is ever moved, replaced or deleted.

use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::{OutputError, io_error, read_error};

/// A file marking a folder as Almanac's output, listing the files builds wrote there.
pub const MARKER: &str = ".almanac-build";
/// The marker's first lines; the files follow, one a line, sorted.
const MARKER_HEADER: &str = "# Written by `almanac build`, which replaces or removes only the files listed below.\n# Every other file in this folder (.git, CNAME, files added by hand) is left as it is.\n";
const JOURNAL_HEADER: &str = "almanac-swap 1";

/// The files beside an output folder `dir`, all named after it.
pub struct Beside {
    pub dir: PathBuf,
    pub parent: PathBuf,
    pub name: String,
}

impl Beside {
    pub fn new(dir: &Path) -> Beside {
        let name = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "site".into());
        let parent = dir
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .to_path_buf();
        Beside {
            dir: dir.to_path_buf(),
            parent,
            name,
        }
    }

    pub fn file(&self, suffix: &str) -> PathBuf {
        self.parent.join(format!(".{}{suffix}", self.name))
    }

    pub fn lock(&self) -> PathBuf {
        self.file(".almanac-lock")
    }

    pub fn journal(&self) -> PathBuf {
        self.file(".almanac-swap")
    }

    /// The staging folder of the last build, the next one's starting point.
    pub fn spare(&self) -> PathBuf {
        self.file(".almanac-spare")
    }

    /// The prefix of every staging folder's name.
    pub fn staging_prefix(&self) -> String {
        format!(".{}.almanac-new", self.name)
    }
}

/// Holds the output's lock until dropped. A second build waits for it (saying so),
/// so two builds never stage or swap into one output at once.
pub struct Lock {
    _file: fs::File,
}

impl Lock {
    pub fn take(beside: &Beside) -> Result<Lock, OutputError> {
        let path = beside.lock();
        let mut options = fs::OpenOptions::new();
        options.create(true).truncate(false).write(true);
        // A link in the lock's place is not written through, a FIFO not waited on.
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::custom_flags(
            &mut options,
            libc::O_NONBLOCK | libc::O_NOFOLLOW,
        );
        let file = options.open(&path).map_err(io_error(&path))?;
        if !file.metadata().map_err(io_error(&path))?.is_file() {
            return Err(io_error(&path)(io::Error::new(
                io::ErrorKind::InvalidInput,
                "not a regular file (a pipe, socket or device)",
            )));
        }
        match file.try_lock() {
            Ok(()) => {}
            Err(fs::TryLockError::WouldBlock) => {
                eprintln!(
                    "note: another build is writing {}; waiting for it to finish",
                    beside.dir.display()
                );
                file.lock().map_err(io_error(&path))?;
            }
            Err(fs::TryLockError::Error(e)) => return Err(io_error(&path)(e)),
        }
        // For the tests of concurrent builds: hold the lock a while, so that a
        // second build surely comes while it is held.
        #[cfg(debug_assertions)]
        if let Some(ms) = std::env::var("ALMANAC_HOLD_LOCK_MS")
            .ok()
            .and_then(|ms| ms.parse().ok())
        {
            std::thread::sleep(std::time::Duration::from_millis(ms));
        }
        Ok(Lock { _file: file })
    }
}

/// What the marker of `dir` says: `Some(files)` for a marker that lists them,
/// `None` for a folder without one.
pub enum Marked {
    /// No marker: empty, missing, or a folder that holds only hidden entries (a fresh
    /// checkout). Nothing in it is Almanac's.
    Fresh,
    /// The files an earlier build wrote.
    Listed(HashSet<String>),
    /// A marker of an older version, which did not list its files: every file
    /// but hidden ones was written by a build.
    Unlisted,
}

impl Marked {
    /// Whether a build wrote the file at `rel`.
    pub fn owns(&self, rel: &str) -> bool {
        match self {
            Marked::Fresh => false,
            Marked::Listed(files) => files.contains(rel),
            Marked::Unlisted => !hidden(rel),
        }
    }
}

/// A path with a hidden part: a build never writes one (but its marker).
pub fn hidden(rel: &str) -> bool {
    rel.split('/').any(|part| part.starts_with('.'))
}

/// A file of `.well-known/` (RFC 8615, `security.txt` of RFC 9116): the one hidden
/// folder a build publishes, from the collection's `static/.well-known/`.
pub fn well_known(rel: &str) -> bool {
    rel.strip_prefix(".well-known/")
        .is_some_and(|rest| !rest.is_empty() && !hidden(rest))
}

/// A path no build writes: hidden, but not a file of `.well-known/`.
pub fn never_written(rel: &str) -> bool {
    hidden(rel) && !well_known(rel)
}

/// Reads what `dir` holds and whether a build may write into it: it does not exist,
/// holds only hidden entries, or carries the marker.
pub fn read_marker(dir: &Path) -> Result<Marked, OutputError> {
    let entries = match fs::read_dir(dir) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Marked::Fresh),
        Err(e) => return Err(io_error(dir)(e)),
        Ok(entries) => entries,
    };
    let marker = dir.join(MARKER);
    // A link, FIFO or device put in the marker's place is refused, not followed.
    match read_text(&marker) {
        Ok(text) => {
            return Ok(match text.strip_prefix(MARKER_HEADER) {
                // Only plain paths inside the output: a marker is a file anyone
                // with the deploy branch may edit, and a line such as
                // `/home/me/notes.txt` must not make a build delete that file.
                Some(list) => Marked::Listed(
                    list.lines()
                        .filter(|rel| crate::paths::clean_path(rel).as_deref() == Some(*rel))
                        .map(str::to_string)
                        .collect(),
                ),
                None => Marked::Unlisted,
            });
        }
        Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(read_error(&marker)(e)),
        Err(_) => {}
    }
    for entry in entries {
        let entry = entry.map_err(io_error(dir))?;
        if !entry.file_name().to_string_lossy().starts_with('.') {
            return Err(OutputError::NotOurs(dir.to_path_buf()));
        }
    }
    Ok(Marked::Fresh)
}

/// A file of the build's own, as text: read by [`crate::paths::read_own`].
fn read_text(path: &Path) -> io::Result<String> {
    let bytes = crate::paths::read_own(path, crate::paths::MAX_OWN_BYTES)?;
    String::from_utf8(bytes).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
}

/// The marker's text for a build that wrote `files`.
pub fn marker_text(files: &[&str]) -> String {
    let mut text = String::from(MARKER_HEADER);
    for file in files {
        text.push_str(file);
        text.push('\n');
    }
    text
}

/// What the last step of a build does to the output, written down before it starts.
pub struct Journal {
    /// The staging folder's name, beside the output.
    pub staging: String,
    /// Files of the previous build that this one does not have, to delete.
    pub stale: Vec<String>,
    /// Files staged, to move into the output (the marker last).
    pub moves: Vec<String>,
}

impl Journal {
    pub fn write(&self, path: &Path) -> io::Result<()> {
        let mut text = format!("{JOURNAL_HEADER}\n{}\n", self.staging);
        for file in &self.stale {
            text.push_str(&format!("-{file}\n"));
        }
        for file in &self.moves {
            text.push_str(&format!("+{file}\n"));
        }
        // Written whole: a journal is either there complete or not there.
        crate::paths::write_whole(path, text.as_bytes())
    }

    pub fn read(path: &Path) -> io::Result<Option<Journal>> {
        let text = match read_text(path) {
            Ok(text) => text,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e),
        };
        let mut lines = text.lines();
        let bad = || io::Error::new(io::ErrorKind::InvalidData, "not a journal of Almanac's");
        if lines.next() != Some(JOURNAL_HEADER) {
            return Err(bad());
        }
        let staging = lines.next().ok_or_else(bad)?.to_string();
        if staging.contains(['/', '\\']) || !staging.starts_with('.') {
            return Err(bad());
        }
        let mut journal = Journal {
            staging,
            stale: Vec::new(),
            moves: Vec::new(),
        };
        for line in lines {
            let plain = |rel: &str| crate::paths::clean_path(rel).as_deref() == Some(rel);
            match (line.get(..1), line.get(1..)) {
                (Some("-"), Some(rel)) if plain(rel) => journal.stale.push(rel.to_string()),
                (Some("+"), Some(rel)) if plain(rel) => journal.moves.push(rel.to_string()),
                _ => return Err(bad()),
            }
        }
        Ok(Some(journal))
    }

    /// Deletes the stale files, moves the staged ones in, removes the staging
    /// folder, then the journal. Each step can be done again, so a build stopped
    /// anywhere in here is finished by running this again.
    pub fn apply(&self, beside: &Beside) -> Result<(), OutputError> {
        let dir = &beside.dir;
        let staging = beside.parent.join(&self.staging);
        let mut step = Steps::default();
        for rel in &self.stale {
            let plain = crate::paths::clean_path(rel).as_deref() == Some(rel.as_str());
            if plain && inside_plainly(dir, rel)? {
                remove_file_and_empty_parents(dir, rel)?;
            }
            step.done();
        }
        fs::create_dir_all(dir).map_err(io_error(dir))?;
        let mut asides = Vec::new();
        for rel in &self.moves {
            let from = staging.join(rel);
            if !fs::symlink_metadata(&from).is_ok_and(|m| m.is_file()) {
                // Moved before the interruption.
                continue;
            }
            if !inside_plainly(dir, rel)? {
                return Err(OutputError::Symlink(dir.join(rel)));
            }
            let to = dir.join(rel);
            if let Some(parent) = to.parent() {
                make_dirs(dir, parent)?;
            }
            // The file replaced is moved aside rather than renamed over or deleted:
            // ext4 flushes a file renamed over another to the disk at once, and
            // deleting thousands of files is slow on many disks. Once the journal
            // is gone it takes the new file's place in the staging folder, which
            // the next build starts from and overwrites in place.
            let aside = staging.join(format!("{rel}.almanac-old"));
            let replaced = match fs::symlink_metadata(&to) {
                Ok(meta) if meta.is_dir() => {
                    remove_empty_dirs(&to).map_err(io_error(&to))?;
                    false
                }
                Ok(_) => {
                    fs::rename(&to, &aside).map_err(io_error(&to))?;
                    true
                }
                Err(_) => false,
            };
            fs::rename(&from, &to).map_err(io_error(&to))?;
            if replaced {
                asides.push((aside, from));
            }
            step.done();
        }
        let journal = beside.journal();
        fs::remove_file(&journal).map_err(io_error(&journal))?;
        for (aside, from) in asides {
            fs::rename(&aside, &from).map_err(io_error(&from))?;
        }
        // Kept as the next build's starting point.
        let spare = beside.spare();
        if fs::symlink_metadata(&staging).is_ok() && fs::rename(&staging, &spare).is_err() {
            fs::remove_dir_all(&staging).map_err(io_error(&staging))?;
        }
        Ok(())
    }
}

/// Counts the steps of a swap; in debug builds, `ALMANAC_STOP_SWAP_AFTER=N` ends
/// the process after the Nth, as a kill would, for the tests of recovery.
#[derive(Default)]
struct Steps {
    #[cfg(debug_assertions)]
    done: usize,
}

impl Steps {
    fn done(&mut self) {
        #[cfg(debug_assertions)]
        {
            self.done += 1;
            let stop = std::env::var("ALMANAC_STOP_SWAP_AFTER").ok();
            if stop.and_then(|n| n.parse().ok()) == Some(self.done) {
                std::process::abort();
            }
        }
    }
}

/// Whether every folder between `dir` and `dir/rel` is a plain folder (or missing):
/// `false` when one is a symbolic link, which a build never follows.
pub fn inside_plainly(dir: &Path, rel: &str) -> Result<bool, OutputError> {
    let mut path = dir.to_path_buf();
    let parts: Vec<&str> = rel.split('/').collect();
    for part in &parts[..parts.len().saturating_sub(1)] {
        path.push(part);
        match fs::symlink_metadata(&path) {
            Ok(meta) if meta.file_type().is_symlink() => return Ok(false),
            Ok(_) => {}
            Err(_) => return Ok(true),
        }
    }
    Ok(true)
}

/// Creates `folder` (inside `dir`) and its parents, removing a file of a previous
/// build that stands where a folder must be; refusing a symbolic link.
fn make_dirs(dir: &Path, folder: &Path) -> Result<(), OutputError> {
    match fs::symlink_metadata(folder) {
        Ok(meta) if meta.is_dir() => return Ok(()),
        Ok(meta) if meta.file_type().is_symlink() => {
            return Err(OutputError::Symlink(folder.to_path_buf()));
        }
        Ok(_) => fs::remove_file(folder).map_err(io_error(folder))?,
        Err(_) => {}
    }
    if let Some(parent) = folder.parent().filter(|p| p.starts_with(dir) && *p != dir) {
        make_dirs(dir, parent)?;
    }
    match fs::create_dir(folder) {
        Err(e) if e.kind() != io::ErrorKind::AlreadyExists => Err(io_error(folder)(e)),
        _ => Ok(()),
    }
}

/// Removes a folder holding only empty folders (what a build's stale files left).
fn remove_empty_dirs(dir: &Path) -> io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_type()?.is_dir() {
            remove_empty_dirs(&entry.path())?;
        }
    }
    fs::remove_dir(dir)
}

/// Removes one file of a previous build, and the folders it leaves empty.
fn remove_file_and_empty_parents(root: &Path, rel: &str) -> Result<(), OutputError> {
    let path = root.join(rel);
    match fs::symlink_metadata(&path) {
        // A folder of this build where the old file was: it is not the file.
        Ok(meta) if meta.is_dir() => return Ok(()),
        Ok(_) => fs::remove_file(&path).map_err(io_error(&path))?,
        Err(e)
            if matches!(
                e.kind(),
                io::ErrorKind::NotFound | io::ErrorKind::NotADirectory
            ) =>
        {
            return Ok(());
        }
        Err(e) => return Err(io_error(&path)(e)),
    }
    let mut parent = path.parent();
    while let Some(dir) = parent.filter(|d| *d != root && d.starts_with(root)) {
        // Fails while the folder still holds something, which stops the climb.
        if fs::remove_dir(dir).is_err() {
            break;
        }
        parent = dir.parent();
    }
    Ok(())
}

/// Finishes a swap an earlier build was stopped in, and removes staging folders
/// that builds stopped before their swap left behind. Called under the lock, so
/// no build is using them. Gives a sentence for the user when it did something.
pub fn recover(beside: &Beside) -> Result<Option<String>, OutputError> {
    let journal_path = beside.journal();
    let journal = Journal::read(&journal_path).map_err(read_error(&journal_path))?;
    let mut said = None;
    if let Some(journal) = &journal {
        journal.apply(beside)?;
        said = Some(format!(
            "a build of {} was stopped while putting its site in place; it has been completed",
            beside.dir.display()
        ));
    }
    // Named `<prefix>.<pid>.<nanos>`; the unsuffixed folder of older versions may
    // hold what they moved aside, so it is left alone.
    let prefix = format!("{}.", beside.staging_prefix());
    let entries = match fs::read_dir(&beside.parent) {
        Ok(entries) => entries,
        Err(e) => return Err(io_error(&beside.parent)(e)),
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with(&prefix) && entry.file_type().is_ok_and(|t| t.is_dir()) {
            // Staging folders hold only files a build wrote.
            fs::remove_dir_all(entry.path()).map_err(io_error(&entry.path()))?;
        }
    }
    Ok(said)
}
