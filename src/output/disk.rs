//! The disk sink: the built files go into a fresh folder beside the output, which is
//! swapped in whole at the end, so a failed build leaves the previous site
//! untouched. A folder that no build made is never deleted.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::UNIX_EPOCH;

use super::{Claims, Contents, OutputError, OutputFile, Sink, io_error};

/// A file marking a folder as Almanac's output; without it the folder is not ours to replace.
pub const MARKER: &str = ".almanac-build";
const MARKER_TEXT: &str =
    "This folder is written by `almanac build` and replaced whole on every build.\n";
/// The list of files a finished build left in its folder, with their sizes, times and
/// content hashes. It lets the next build that starts from this folder skip unchanged
/// files without reading them back and find stale ones without walking the tree.
/// The live site's list is kept beside it (`.<name>.almanac-files`), not in it: it
/// holds times, and the site must be the same bytes on every build. It moves into
/// the folder when the folder is set aside as the spare.
pub const MANIFEST: &str = ".almanac-files";

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

/// A site being written: files go into a folder beside the output as they are made,
/// and `finish` swaps that folder in with two renames.
///
/// The site it replaces is kept as the next build's starting point, so a build
/// writes only the files that changed and deletes only those that went away: on
/// many disks removing thousands of files costs more than the whole build. The
/// folder's manifest says what is in it, so neither step has to read the old files
/// or walk the tree; without one (a first or an interrupted build) they do. A
/// build that fails before `finish` leaves the output as it was.
pub struct Writer {
    dir: PathBuf,
    staging: PathBuf,
    spare: PathBuf,
    /// The manifest of the live site, beside it.
    site_manifest: PathBuf,
    claims: Claims,
    made_dirs: Mutex<HashSet<PathBuf>>,
    /// What the folder held when this build started, if a finished build said so.
    previous: Option<HashMap<String, Stamp>>,
    /// What this build wrote or kept, for the next build's manifest.
    stamps: Mutex<Vec<(String, Stamp)>>,
    /// The folder was made empty by this build (a first build, or no spare kept):
    /// files are written without looking for old ones, and nothing is stale.
    fresh: bool,
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
    let text = fs::read_to_string(path).ok()?;
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
    stamps.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let mut out = io::BufWriter::new(fs::File::create(path)?);
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
        let site_manifest = parent.join(format!(".{name}{MANIFEST}"));
        for folder in [&staging, &spare] {
            check_replaceable(folder)?;
        }
        // An interrupted build leaves `staging` behind; otherwise start from the spare.
        let mut fresh = false;
        if !staging.exists() {
            if spare.exists() {
                fs::rename(&spare, &staging).map_err(io_error(&spare))?;
            } else {
                fresh = true;
            }
        }
        fs::create_dir_all(&staging).map_err(io_error(&staging))?;
        // The marker stays while the folder is being updated: a half-updated folder
        // is still ours, and the next build brings it up to date.
        let marker = staging.join(MARKER);
        fs::write(&marker, MARKER_TEXT).map_err(io_error(&marker))?;
        // The manifest describes the folder as a finished build left it; once this
        // build starts changing it, it no longer does, so it goes until `finish`.
        let manifest = staging.join(MANIFEST);
        let previous = read_manifest(&manifest);
        match fs::remove_file(&manifest) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(io_error(&manifest)(e)),
            _ => {}
        }
        Ok(Writer {
            dir: dir.to_path_buf(),
            staging,
            spare,
            site_manifest,
            claims: Claims::default(),
            made_dirs: Mutex::new(HashSet::new()),
            previous,
            stamps: Mutex::new(Vec::new()),
            fresh,
        })
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
        let previous = self.previous.as_ref().map(|p| p.get(&file.path));
        let write = |bytes: &[u8]| {
            if self.fresh {
                write_new(&target, bytes)
            } else {
                write_if_changed(&target, bytes, previous)
            }
        };
        let result = match &file.contents {
            Contents::Bytes(bytes) => write(bytes),
            Contents::Static(bytes) => write(bytes),
            Contents::Copy(from) => fs::read(from).and_then(|bytes| write(&bytes)),
        };
        let stamp = result.map_err(io_error(&target))?;
        self.stamps
            .lock()
            .map_err(|_| OutputError::Poisoned)?
            .push((file.path.clone(), stamp));
        Ok(())
    }

    /// Removes what the new site no longer has, then swaps it in. Gives the number
    /// of files the site has.
    pub fn finish(self) -> Result<usize, OutputError> {
        let written = self.claims.into_paths()?;
        let count = written.len();
        match &self.previous {
            // The folder holds only what this build wrote.
            None if self.fresh => {}
            // The folder holds what the manifest lists plus what this build wrote.
            Some(previous) => {
                let mut stale: Vec<&String> =
                    previous.keys().filter(|p| !written.contains(*p)).collect();
                stale.sort_unstable();
                for path in stale {
                    remove_stale(&self.staging, path)?;
                }
            }
            None => {
                let wanted: HashSet<PathBuf> =
                    written.iter().map(|p| self.staging.join(p)).collect();
                remove_unwanted(&self.staging, &wanted)?;
            }
        }
        let stamps = self
            .stamps
            .into_inner()
            .map_err(|_| OutputError::Poisoned)?;
        let mut next_manifest = self.site_manifest.clone().into_os_string();
        next_manifest.push(".new");
        let next_manifest = PathBuf::from(next_manifest);
        write_manifest(&next_manifest, stamps).map_err(io_error(&next_manifest))?;
        let dir = &self.dir;
        let spare_manifest = self.spare.join(MANIFEST);
        if dir.exists() {
            if self.spare.exists() {
                fs::remove_dir_all(&self.spare).map_err(io_error(&self.spare))?;
            }
            fs::rename(dir, &self.spare).map_err(io_error(dir))?;
            // The site's manifest goes with it; without one the spare is walked.
            let _ = fs::rename(&self.site_manifest, &spare_manifest);
            if let Err(e) = fs::rename(&self.staging, dir) {
                // Put the previous site back rather than leave no site at all.
                let _ = fs::rename(&self.spare, dir);
                let _ = fs::rename(dir.join(MANIFEST), &self.site_manifest);
                return Err(io_error(dir)(e));
            }
        } else {
            fs::rename(&self.staging, dir).map_err(io_error(dir))?;
        }
        fs::rename(&next_manifest, &self.site_manifest).map_err(io_error(&self.site_manifest))?;
        Ok(count)
    }
}

impl Sink for Writer {
    /// Writes one file (unless it already holds these bytes).
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

/// Writes `bytes` unless the file already holds exactly them, and gives its stamp.
/// `previous` is `None` without a manifest (the file is then read back and compared)
/// and `Some(None)` when the manifest does not list the file.
fn write_if_changed(
    target: &Path,
    bytes: &[u8],
    previous: Option<Option<&Stamp>>,
) -> io::Result<Stamp> {
    let hash = xxhash_rust::xxh3::xxh3_128(bytes);
    let len = bytes.len() as u64;
    if let Ok(meta) = fs::symlink_metadata(target) {
        if meta.is_file() && meta.len() == len {
            let stamp = Stamp {
                len,
                modified: modified_ns(&meta),
                hash,
            };
            let unchanged = match previous {
                Some(listed) => listed == Some(&stamp),
                None => fs::read(target)? == bytes,
            };
            if unchanged {
                return Ok(stamp);
            }
        }
        if meta.is_dir() {
            fs::remove_dir_all(target)?;
        }
    }
    create(target, bytes, hash)
}

/// Writes a file into a folder this build made empty (no old file to compare
/// with or to clear away), and gives its stamp.
fn write_new(target: &Path, bytes: &[u8]) -> io::Result<Stamp> {
    create(target, bytes, xxhash_rust::xxh3::xxh3_128(bytes))
}

fn create(target: &Path, bytes: &[u8], hash: u128) -> io::Result<Stamp> {
    let mut file = fs::File::create(target)?;
    file.write_all(bytes)?;
    let meta = file.metadata()?;
    Ok(Stamp {
        len: bytes.len() as u64,
        modified: modified_ns(&meta),
        hash,
    })
}

/// Removes one file the new site no longer has, and the folders it leaves empty.
fn remove_stale(root: &Path, rel: &str) -> Result<(), OutputError> {
    let path = match crate::paths::clean_path(rel) {
        Some(clean) if clean == rel && rel != MARKER && rel != MANIFEST => root.join(rel),
        // A manifest is only ever written by a build, but it is read from disk.
        _ => return Ok(()),
    };
    match fs::symlink_metadata(&path) {
        // A folder there now holds pages of this build (it replaced the old file).
        Ok(meta) if meta.is_dir() => return Ok(()),
        Ok(_) => fs::remove_file(&path).map_err(io_error(&path))?,
        // Gone, or a file of this build stands where its folder was.
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
    while let Some(dir) = parent.filter(|d| *d != root) {
        // Fails while the folder still holds something, which is what stops the climb.
        if fs::remove_dir(dir).is_err() {
            break;
        }
        parent = dir.parent();
    }
    Ok(())
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

    /// Writes the site into `dir`, replacing what an earlier build left there.
    fn write(dir: &Path, files: &[OutputFile]) -> Result<(), OutputError> {
        let writer = Writer::begin(dir)?;
        for file in files {
            writer.put(file.clone())?;
        }
        writer.finish().map(|_| ())
    }

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
        let mut names: Vec<String> = fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, [MARKER, "a"]);
        assert!(read_manifest(&tmp.path().join(".site.almanac-files")).is_some());

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

    fn files_under(dir: &Path) -> Vec<(String, String)> {
        let mut files: Vec<(String, String)> = walkdir::WalkDir::new(dir)
            .into_iter()
            .map(|e| e.unwrap())
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let rel = e.path().strip_prefix(dir).unwrap();
                let rel = rel.to_string_lossy().replace('\\', "/");
                (rel, fs::read_to_string(e.path()).unwrap())
            })
            .filter(|(rel, _)| rel != MARKER && rel != MANIFEST)
            .collect();
        files.sort();
        files
    }

    fn site(files: &[(&str, &str)]) -> Vec<OutputFile> {
        files
            .iter()
            .map(|(path, text)| OutputFile::text(*path, text.to_string()))
            .collect()
    }

    #[test]
    fn the_manifest_keeps_the_folder_exactly_the_site() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("site");
        let spare = tmp.path().join(".site.almanac-old");
        let one = [
            ("a/index.html", "one"),
            ("b/c/index.html", "bc"),
            ("x", "x"),
        ];
        let two = [("a/index.html", "two"), ("x/index.html", "folder now")];
        let three = [("a/index.html", "two"), ("b/c/index.html", "back")];
        for files in [&one[..], &two[..], &three[..], &one[..], &two[..]] {
            write(&out, &site(files)).unwrap();
            let expected: Vec<(String, String)> = files
                .iter()
                .map(|(p, t)| (p.to_string(), t.to_string()))
                .collect();
            let mut expected = expected;
            expected.sort();
            assert_eq!(files_under(&out), expected);
            assert!(!out.join(MANIFEST).exists());
            assert!(read_manifest(&spare.join(MANIFEST)).is_some() || !spare.exists());
        }
        // Stale folders went with their last file.
        assert!(!out.join("b").exists());
        // A file edited by hand in the spare is put right although its size is the
        // same: its time no longer matches the manifest.
        std::thread::sleep(std::time::Duration::from_millis(20));
        fs::write(spare.join("a/index.html"), "TWO").unwrap();
        write(&out, &site(&three)).unwrap();
        write(&out, &site(&two)).unwrap();
        assert_eq!(fs::read_to_string(out.join("a/index.html")).unwrap(), "two");
    }

    #[test]
    fn an_interrupted_build_leaves_no_manifest_and_the_next_one_walks_the_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("site");
        write(&out, &site(&[("a/index.html", "one"), ("z.txt", "z")])).unwrap();
        write(&out, &site(&[("a/index.html", "two")])).unwrap();
        // A build that starts from the spare and stops before `finish`.
        let writer = Writer::begin(&out).unwrap();
        writer.put(OutputFile::text("new.txt", "n".into())).unwrap();
        drop(writer);
        let staging = tmp.path().join(".site.almanac-new");
        assert!(staging.join(MARKER).exists());
        assert!(!staging.join(MANIFEST).exists());
        write(&out, &site(&[("a/index.html", "three")])).unwrap();
        assert_eq!(
            files_under(&out),
            [("a/index.html".to_string(), "three".to_string())]
        );
    }
}
