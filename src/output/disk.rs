//! The disk sink: the files a build changes are staged in a folder of their own
//! beside the output and moved in at the end, so a failed build leaves the
//! previous site untouched. Only files a build wrote are ever replaced or removed
//! (see [`super::swap`]), so the output can be a deploy checkout.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::fs;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

use rayon::slice::ParallelSliceMut;

use super::swap::{self, Beside, Journal, Lock, MARKER, Marked};
use super::{Claims, Contents, OutputError, OutputFile, Sink, io_error, read_error};

/// The list of files a finished build left in the output, with their sizes, times
/// and content hashes, kept beside it (`.<name>.almanac-files`), never in it: it
/// holds times, and the site must be the same bytes on every build. It lets the
/// next build skip unchanged files without reading them back.
pub const MANIFEST: &str = ".almanac-files";

/// Whether `dir` may be written by a build: it does not exist, holds only hidden
/// entries (a fresh deploy checkout), or an earlier build wrote it.
pub fn check_replaceable(dir: &Path) -> Result<(), OutputError> {
    swap::read_marker(dir).map(|_| ())
}

/// A site being written: the files that differ from the output's go into a
/// staging folder beside it as they are made, and `finish` moves them in.
///
/// A build that fails before `finish` leaves the output as it was (and its
/// staging folder is removed). The output's lock is held from `begin` to the end.
pub struct Writer {
    beside: Beside,
    staging: Staging,
    _lock: Lock,
    /// What the output's marker says builds wrote there.
    marked: Marked,
    site_manifest: PathBuf,
    claims: Claims,
    made_dirs: Mutex<HashSet<PathBuf>>,
    /// Folders of the output already seen to be plain folders.
    plain_dirs: Mutex<HashSet<String>>,
    /// What the output held when this build started, if the last build said so.
    previous: Option<HashMap<String, Stamp>>,
    /// What this build wrote or kept, for the next build's manifest.
    stamps: Mutex<Vec<(String, Stamp)>>,
    /// The files written into the staging folder.
    staged: Mutex<Vec<String>>,
    /// The output did not exist when the build took its lock: nothing there to
    /// compare with or to be careful of, the staging folder becomes the site.
    new_output: bool,
    /// The staging folder is the last build's, with files where this build's
    /// may go.
    recycled: bool,
    /// The collection, links resolved: what is copied must still be inside it.
    root: PathBuf,
}

/// The staging folder, kept as the spare (or removed) when the build stops
/// before its swap.
struct Staging {
    path: PathBuf,
    name: String,
    spare: PathBuf,
    armed: bool,
}

impl Drop for Staging {
    fn drop(&mut self) {
        if self.armed
            && (fs::symlink_metadata(&self.spare).is_ok()
                || fs::rename(&self.path, &self.spare).is_err())
        {
            let _ = fs::remove_dir_all(&self.path);
        }
    }
}

/// What the manifest records of one file. Size and modification time tell whether
/// the file is still what the build left (nobody edited it since); the hash tells
/// whether new contents are the same as those.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    len: u64,
    modified: u128,
    hash: u128,
}

fn modified_ns(meta: &fs::Metadata) -> u128 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos())
}

fn read_manifest(path: &Path) -> Option<HashMap<String, Stamp>> {
    // Only saves time: anything but a readable file of its own is no list.
    let bytes = crate::paths::read_own(path, crate::paths::MAX_OWN_BYTES).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let mut lines = text.lines();
    if lines.next()? != MANIFEST_HEADER {
        return None;
    }
    let mut stamps = HashMap::new();
    for line in lines {
        let mut parts = line.splitn(4, ' ');
        let hash = u128::from_str_radix(parts.next()?, 16).ok()?;
        let len = parts.next()?.parse().ok()?;
        let modified = parts.next()?.parse().ok()?;
        let path = parts.next()?;
        stamps.insert(
            path.to_string(),
            Stamp {
                len,
                modified,
                hash,
            },
        );
    }
    Some(stamps)
}

const MANIFEST_HEADER: &str = "almanac-files 1";

fn write_manifest(path: &Path, mut stamps: Vec<(String, Stamp)>) -> io::Result<()> {
    // At 100k resources the site has over 500,000 files; the build waits on this.
    stamps.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let mut out = io::BufWriter::new(crate::paths::create_fresh(path)?);
    writeln!(out, "{MANIFEST_HEADER}")?;
    for (file, stamp) in stamps {
        writeln!(
            out,
            "{:032x} {} {} {file}",
            stamp.hash, stamp.len, stamp.modified
        )?;
    }
    // Not synced: on many file systems that would wait for every page of the site
    // to reach the disk. After a crash, sizes and times still show stale entries.
    out.into_inner().map_err(|e| e.into_error())?;
    Ok(())
}

impl Writer {
    /// Takes the output's lock, finishes what an interrupted build left, and
    /// prepares the staging folder. `root` is the collection, which the output
    /// may not be inside of.
    pub fn begin(dir: &Path, root: &Path) -> Result<Writer, OutputError> {
        let dir = super::place::resolve(dir, root)?;
        let beside = Beside::new(&dir);
        fs::create_dir_all(&beside.parent).map_err(io_error(&beside.parent))?;
        let lock = Lock::take(&beside)?;
        if let Some(note) = swap::recover(&beside)? {
            eprintln!("note: {note}");
        }
        let mut marked = swap::read_marker(&dir)?;
        let site_manifest = beside.file(MANIFEST);
        let previous = read_manifest(&site_manifest);
        if let (Marked::Unlisted, Some(previous)) = (&marked, &previous) {
            // Older versions listed their files only in the manifest.
            marked = Marked::Listed(previous.keys().cloned().collect());
        }
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let name = format!("{}.{}.{nanos}", beside.staging_prefix(), std::process::id());
        let path = beside.parent.join(&name);
        let spare = beside.spare();
        // The last build's staging folder holds the files its site replaced, at
        // their paths: changed files are overwritten there in place. Only for an
        // output that exists: a new one is the staging folder renamed whole.
        let new_output = fs::symlink_metadata(&dir).is_err();
        let mut recycled = !new_output && fs::rename(&spare, &path).is_ok();
        if recycled && !only_plain(&path) {
            // The spare lies beside the output, where anyone may change it: a
            // link in it would have this build write through it, a FIFO wait.
            fs::remove_dir_all(&path).map_err(io_error(&path))?;
            recycled = false;
        }
        if !recycled {
            fs::create_dir(&path).map_err(io_error(&path))?;
        }
        Ok(Writer {
            beside,
            staging: Staging {
                path,
                name,
                spare,
                armed: true,
            },
            _lock: lock,
            marked,
            site_manifest,
            claims: Claims::default(),
            made_dirs: Mutex::new(HashSet::new()),
            plain_dirs: Mutex::new(HashSet::new()),
            previous,
            stamps: Mutex::new(Vec::new()),
            staged: Mutex::new(Vec::new()),
            new_output,
            recycled,
            root: root.canonicalize().unwrap_or_else(|_| root.to_path_buf()),
        })
    }

    /// Refuses a file whose folders in the output are symbolic links (a build
    /// would write through them, outside the output) or files no build wrote.
    fn check_folders(&self, rel: &str) -> Result<(), OutputError> {
        for (at, _) in rel.match_indices('/') {
            let folder = &rel[..at];
            let known = self
                .plain_dirs
                .lock()
                .map_err(|_| OutputError::Poisoned)?
                .contains(folder);
            if known {
                continue;
            }
            let path = self.beside.dir.join(folder);
            match fs::symlink_metadata(&path) {
                Ok(meta) if meta.file_type().is_symlink() => {
                    return Err(OutputError::Symlink(path));
                }
                Ok(meta) if meta.is_dir() => {}
                Ok(_) if self.marked.owns(folder) => {}
                Ok(_) => return Err(OutputError::Foreign(path)),
                Err(_) => return Ok(()),
            }
            self.plain_dirs
                .lock()
                .map_err(|_| OutputError::Poisoned)?
                .insert(folder.to_string());
        }
        Ok(())
    }

    fn put_unchecked(&self, file: &OutputFile) -> Result<(), OutputError> {
        if !self.new_output {
            self.check_folders(&file.path)?;
        }
        let live = self.beside.dir.join(&file.path);
        let bytes: Cow<[u8]> = match &file.contents {
            Contents::Bytes(bytes) => Cow::Borrowed(bytes),
            Contents::Static(bytes) => Cow::Borrowed(bytes),
            Contents::Copy(from) => Cow::Owned(
                crate::paths::read_inside(&self.root, from)
                    .map_err(read_error(from))?
                    .0,
            ),
        };
        let hash = xxhash_rust::xxh3::xxh3_128(&bytes);
        let len = bytes.len() as u64;
        let existing = if self.new_output {
            None
        } else {
            fs::symlink_metadata(&live).ok()
        };
        match existing {
            Some(meta) if meta.file_type().is_symlink() => return Err(OutputError::Symlink(live)),
            Some(meta) if meta.is_file() => {
                if !self.marked.owns(&file.path) {
                    return Err(OutputError::Foreign(live));
                }
                if meta.len() == len {
                    let stamp = Stamp {
                        len,
                        modified: modified_ns(&meta),
                        hash,
                    };
                    let unchanged = match &self.previous {
                        Some(previous) => previous.get(&file.path) == Some(&stamp),
                        None => fs::read(&live).map_err(io_error(&live))? == *bytes,
                    };
                    if unchanged {
                        return self.stamp(&file.path, stamp);
                    }
                }
            }
            _ => {}
        }
        let target = self.staging.path.join(&file.path);
        if let Some(parent) = target.parent() {
            let known = self
                .made_dirs
                .lock()
                .map_err(|_| OutputError::Poisoned)?
                .contains(parent);
            if !known {
                make_dir(&self.staging.path, parent).map_err(io_error(parent))?;
                self.made_dirs
                    .lock()
                    .map_err(|_| OutputError::Poisoned)?
                    .insert(parent.to_path_buf());
            }
        }
        let stamp = write_new(&target, &bytes, hash, self.recycled).map_err(io_error(&target))?;
        self.staged
            .lock()
            .map_err(|_| OutputError::Poisoned)?
            .push(file.path.clone());
        self.stamp(&file.path, stamp)
    }

    fn stamp(&self, rel: &str, stamp: Stamp) -> Result<(), OutputError> {
        self.stamps
            .lock()
            .map_err(|_| OutputError::Poisoned)?
            .push((rel.to_string(), stamp));
        Ok(())
    }

    /// A file of the build's own beside the output (`.<name><suffix>`), never
    /// published, which only builds holding the output's lock read or write.
    pub fn beside(&self, suffix: &str) -> PathBuf {
        self.beside.file(suffix)
    }

    /// Moves the staged files in and removes the files of the previous build this
    /// one no longer has, as a journal says. Gives the number of files the site has.
    pub fn finish(mut self) -> Result<usize, OutputError> {
        let written = self.claims.into_paths()?;
        let count = written.len();
        let dir = self.beside.dir.clone();
        let mut stale: Vec<String> = match &self.marked {
            Marked::Fresh => Vec::new(),
            Marked::Listed(files) => files
                .iter()
                .filter(|f| !written.contains(*f) && !swap::never_written(f))
                .cloned()
                .collect(),
            // A marker of a version that did not list its files, with no list of
            // files beside it (a fresh clone of a deploy branch): which files
            // are an earlier build's is unknown, and a CNAME or a file added by
            // hand must not be taken for one. Nothing is deleted; this build's
            // marker lists its files, so the next build knows.
            Marked::Unlisted => {
                let left = files_in(&dir)
                    .into_iter()
                    .filter(|f| !written.contains(f) && !swap::hidden(f))
                    .count();
                if left > 0 {
                    eprintln!(
                        "note: {} was marked by an older version of Almanac, which did not list the files it wrote: {left} file(s) this build does not write were left in place (delete those of earlier builds by hand)",
                        dir.display()
                    );
                }
                Vec::new()
            }
        };
        stale.sort_unstable();
        let mut moves = self
            .staged
            .into_inner()
            .map_err(|_| OutputError::Poisoned)?;
        // A new output has nothing to collide with and is put in place by one
        // rename (the lock keeps other builds out): its moves need no order.
        let exists = fs::symlink_metadata(&dir).is_ok();
        if exists {
            moves.par_sort_unstable();
            // A staged file where the output has a folder: the folder must go with
            // the stale files, or the move would have to delete what no build wrote.
            let stale_set: HashSet<&str> = stale.iter().map(String::as_str).collect();
            for rel in &moves {
                let live = dir.join(rel);
                if fs::symlink_metadata(&live).is_ok_and(|m| m.is_dir()) {
                    for file in files_in(&live) {
                        if !stale_set.contains(format!("{rel}/{file}").as_str()) {
                            return Err(OutputError::Foreign(live.join(file)));
                        }
                    }
                }
            }
        }
        let mut listed: Vec<&str> = written.iter().map(String::as_str).collect();
        listed.par_sort_unstable();
        let marker = self.staging.path.join(MARKER);
        fs::write(&marker, swap::marker_text(&listed)).map_err(io_error(&marker))?;
        moves.push(MARKER.to_string());
        let stamps = self
            .stamps
            .into_inner()
            .map_err(|_| OutputError::Poisoned)?;
        if !exists {
            // No output yet: the staging folder is the whole site, put in place
            // by one rename, which is never half done.
            fs::rename(&self.staging.path, &dir).map_err(io_error(&dir))?;
            self.staging.armed = false;
            write_manifest(&self.site_manifest, stamps).map_err(io_error(&self.site_manifest))?;
            return Ok(count);
        }
        let journal = Journal {
            staging: self.staging.name.clone(),
            stale,
            moves,
        };
        // The manifest no longer describes the output once it starts changing.
        match fs::remove_file(&self.site_manifest) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => {
                return Err(io_error(&self.site_manifest)(e));
            }
            _ => {}
        }
        let journal_path = self.beside.journal();
        journal
            .write(&journal_path)
            .map_err(io_error(&journal_path))?;
        // From here the next build finishes the swap if this one is stopped.
        self.staging.armed = false;
        journal.apply(&self.beside)?;
        write_manifest(&self.site_manifest, stamps).map_err(io_error(&self.site_manifest))?;
        Ok(count)
    }
}

impl Sink for Writer {
    /// Writes one file (unless the output already holds these bytes).
    fn put(&self, file: OutputFile) -> Result<(), OutputError> {
        self.claims.claim(&file.path)?;
        self.put_unchecked(&file)
    }

    fn put_copy(&self, file: OutputFile) -> Result<(), OutputError> {
        if self.claims.claim_copy(&file.path)? {
            self.put_unchecked(&file)?;
        }
        Ok(())
    }
}

/// Creates a folder of the staging folder `root` and its parents, removing a
/// file a recycled staging folder holds where the folder must be.
fn make_dir(root: &Path, dir: &Path) -> io::Result<()> {
    match fs::create_dir_all(dir) {
        Ok(()) => Ok(()),
        Err(error) => {
            let mut blocker = Some(dir);
            while let Some(path) = blocker.filter(|p| p.starts_with(root) && *p != root) {
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

/// Writes a new file (over what a `recycled` staging folder holds there) and
/// gives its stamp.
fn write_new(target: &Path, bytes: &[u8], hash: u128, recycled: bool) -> io::Result<Stamp> {
    if recycled && fs::symlink_metadata(target).is_ok_and(|m| m.is_dir()) {
        fs::remove_dir_all(target)?;
    }
    let mut file = fs::File::create(target)?;
    file.write_all(bytes)?;
    let meta = file.metadata()?;
    Ok(Stamp {
        len: bytes.len() as u64,
        modified: modified_ns(&meta),
        hash,
    })
}

/// Whether `dir` holds only regular files and folders (links not followed).
fn only_plain(dir: &Path) -> bool {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .all(|entry| entry.is_ok_and(|e| e.file_type().is_file() || e.file_type().is_dir()))
}

/// Every file (and link) under `dir`, relative to it, links not followed.
fn files_in(dir: &Path) -> Vec<String> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| !e.file_type().is_dir())
        .map(|e| crate::content::relative(dir, e.path()))
        .collect()
}

#[cfg(test)]
#[path = "disk_tests.rs"]
mod tests;
