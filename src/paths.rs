//! Names and paths every stage shares: slugs for URL segments, clean relative
//! paths, how a page's rooted address becomes a file of the output, writing a
//! file whole, reading a file that may have been replaced by something that is
//! not one (a link, a FIFO, a device) without waiting or reading forever, and the
//! characters no output may carry.

use std::fs;
use std::io::{self, Read as _, Write as _};
use std::path::{Path, PathBuf};

/// The most a build reads of a file it keeps for itself (the output's marker and
/// list of files, the swap journal, the citation memo): far more than any site
/// makes them, and still a read that ends.
pub const MAX_OWN_BYTES: u64 = 256 * 1024 * 1024;

/// The most a build or `serve` reads of a file published as it is (a file of
/// `static/`, an asset beside content): a large video, and still a read that ends.
pub const MAX_COPY_BYTES: u64 = 1024 * 1024 * 1024;

/// The folders outside the collection its links may lead into (`trusted_paths:`
/// of almanac.yaml, resolved), for this process: set once the configuration is
/// read, before any file of the collection is.
static TRUSTED: std::sync::RwLock<Vec<PathBuf>> = std::sync::RwLock::new(Vec::new());

/// Trusts these folders (and only these) from now on.
pub fn trust(folders: &[PathBuf]) {
    let mut trusted = TRUSTED.write().unwrap_or_else(|e| e.into_inner());
    *trusted = folders.to_vec();
}

/// Whether a resolved path lies inside the collection at `root` (resolved) or
/// in a folder it trusts.
pub fn admitted(root: &Path, real: &Path) -> bool {
    real.starts_with(root)
        || TRUSTED
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .any(|folder| real.starts_with(folder))
}

/// Reads a file published as it is, as it is now: it was listed inside the
/// collection at `root` (a resolved path), but may since have become a link out
/// of it, a FIFO or a device, which are refused without being read.
pub fn read_inside(root: &Path, path: &Path) -> io::Result<(Vec<u8>, fs::Metadata)> {
    let real = path.canonicalize()?;
    if !admitted(root, &real) {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "a symbolic link leads outside the collection; it was not read",
        ));
    }
    // Resolved, so a link here has been put in its place since: refused too.
    if !fs::symlink_metadata(&real)?.is_file() {
        return Err(not_regular());
    }
    let file = open_plain(&real, false)?;
    let meta = file.metadata()?;
    Ok((read_opened(file, MAX_COPY_BYTES)?, meta))
}

/// Writes `bytes` to `path` through `<path>.part` renamed over it, so a stopped
/// process leaves the old file or the new one, never half of one. Not synced:
/// the pages beside it are not either, and a killed process loses nothing the
/// system has been given.
pub fn write_whole(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut partial = path.as_os_str().to_owned();
    partial.push(".part");
    let partial = PathBuf::from(partial);
    create_fresh(&partial)?.write_all(bytes)?;
    fs::rename(&partial, path)
}

/// Writes a file that must not exist yet: whatever is there, a link left where it
/// goes (to a file outside the collection, say) included, is an error, and is
/// not written through.
pub fn write_new(path: &Path, text: &str) -> io::Result<()> {
    fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?
        .write_all(text.as_bytes())
}

/// Creates `path` as a new empty file, removing whatever was there first: a
/// link is not written through, a FIFO not waited on.
pub fn create_fresh(path: &Path) -> io::Result<fs::File> {
    match fs::remove_file(path) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
        _ => {}
    }
    fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
}

/// Reads a file a build keeps for itself, which a person or another program may
/// have replaced: a link or anything but a regular file is refused without being
/// followed or opened, and no more than `limit` bytes are read, however large
/// the file says it is. An absent file is `NotFound`.
pub fn read_own(path: &Path, limit: u64) -> io::Result<Vec<u8>> {
    if !fs::symlink_metadata(path)?.is_file() {
        return Err(not_regular());
    }
    read_opened(open_plain(path, false)?, limit)
}

/// Reads a regular file, links followed (the caller has admitted where they
/// lead), of at most `limit` bytes. What is not a regular file is refused before
/// it is opened, and again once opened: it may have been replaced in between.
pub fn read_regular(path: &Path, limit: u64) -> io::Result<Vec<u8>> {
    if !fs::metadata(path)?.is_file() {
        return Err(not_regular());
    }
    read_opened(open_plain(path, true)?, limit)
}

/// Opens `path` to read without waiting: a FIFO opened so returns at once (and
/// its metadata then refuses it) instead of waiting for a writer forever.
pub fn open_plain(path: &Path, follow: bool) -> io::Result<fs::File> {
    let mut options = fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        let nofollow = if follow { 0 } else { libc::O_NOFOLLOW };
        options.custom_flags(libc::O_NONBLOCK | nofollow);
    }
    #[cfg(not(unix))]
    let _ = follow;
    options.open(path)
}

fn read_opened(file: fs::File, limit: u64) -> io::Result<Vec<u8>> {
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(not_regular());
    }
    if meta.len() > limit {
        return Err(too_large(limit));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    // The size said may not be the size read (a file that grows): the limit
    // holds on what is read.
    file.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(too_large(limit));
    }
    Ok(bytes)
}

/// Whether an error of [`read_own`] or [`read_regular`] is the refusal of what
/// is not a regular file.
pub fn is_not_regular(error: &io::Error) -> bool {
    error
        .get_ref()
        .is_some_and(|inner| inner.is::<NotRegular>())
}

/// The refusal of a link, pipe, socket or device where a regular file is read.
#[derive(Debug)]
struct NotRegular;

impl std::fmt::Display for NotRegular {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("not a regular file (a link, pipe, socket or device); it was not read")
    }
}

impl std::error::Error for NotRegular {}

fn not_regular() -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, NotRegular)
}

fn too_large(limit: u64) -> io::Error {
    io::Error::new(
        io::ErrorKind::FileTooLarge,
        format!("larger than {} MiB; it was not read", limit / (1024 * 1024)),
    )
}

/// Characters no page, feed or export may carry (XML 1.0 refuses them, HTML
/// calls them errors): the C0 controls but tab and line breaks, and the two
/// non-characters U+FFFE and U+FFFF.
pub fn forbidden(c: char) -> bool {
    (c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || c == '\u{fffe}' || c == '\u{ffff}'
}

/// Whether `text` holds a [`forbidden`] character: its bytes scanned first, as
/// nearly every text has none.
pub fn has_forbidden(text: &str) -> bool {
    // U+FFFE and U+FFFF start with the byte 0xEF in UTF-8.
    text.bytes()
        .any(|b| (b < b' ' && !matches!(b, b'\t' | b'\n' | b'\r')) || b == 0xEF)
        && text.contains(forbidden)
}

/// Slug of a name for a URL: lowercase ASCII letters, digits and `-`.
pub fn slugify(text: &str) -> String {
    slug::slugify(text)
}

/// Whether a name can be used as one URL segment as it is.
pub fn is_segment(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
        && !name.starts_with('-')
}

/// `public-servants` → `Public servants`, for names given without a label.
pub fn label_from_slug(slug: &str) -> String {
    let words = slug.replace(['-', '_'], " ");
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A site path without `.`/`..` segments, leading or trailing slashes; `None` if it
/// tries to climb out of the output folder.
pub fn clean_path(path: &str) -> Option<String> {
    let mut parts = Vec::new();
    for part in path.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." => return None,
            p if p.contains(':') || p.chars().any(char::is_control) => return None,
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

/// The rooted address of page `n` (1-based) of a paginated list rooted at `base`.
pub fn page_url(base: &str, n: usize) -> String {
    if n <= 1 {
        base.to_string()
    } else {
        format!("{base}page/{n}/")
    }
}

/// The output file of a rooted address under `base_path`: `/base/a/b/` →
/// `a/b/index.html`, `/base/404.html` → `404.html`.
pub fn file_of_url(base_path: &str, url: &str) -> String {
    let rel = url
        .strip_prefix(base_path)
        .unwrap_or(url.trim_start_matches('/'));
    if rel.is_empty() {
        "index.html".to_string()
    } else if rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel.to_string()
    }
}

/// Whether `text` is an absolute http(s) address with a host that every sink can
/// carry as written: no spaces, controls, quotes or angle brackets, which an
/// attribute, a feed or a CSV cell would otherwise have to escape or mangle.
pub fn is_web_address(text: &str) -> bool {
    let unsafe_char = |c: char| c.is_whitespace() || c.is_control() || "\"<>\\^`{|}".contains(c);
    if text.chars().any(unsafe_char) {
        return false;
    }
    match url::Url::parse(text) {
        // The open data exports name it as an IRI, which is stricter than a
        // browser (no `[` outside an IPv6 host, no `%` without two hex digits).
        Ok(url) => {
            matches!(url.scheme(), "http" | "https")
                && url.host_str().is_some_and(|h| !h.is_empty())
                && oxrdf::NamedNode::new(text).is_ok()
        }
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_that_climb_out_are_refused() {
        assert_eq!(clean_path("/old/page/"), Some("old/page".into()));
        assert_eq!(clean_path("./a//b"), Some("a/b".into()));
        assert_eq!(clean_path("../etc/passwd"), None);
        assert_eq!(clean_path("a/../../b"), None);
        assert_eq!(clean_path("C:\\x"), None);
    }

    #[test]
    fn slugs_are_lowercase_ascii() {
        assert_eq!(slugify("Data Ethics Framework"), "data-ethics-framework");
        assert_eq!(slugify("Éthique & IA"), "ethique-ia");
        assert_eq!(slugify("  --x--  "), "x");
    }

    #[cfg(unix)]
    #[test]
    fn own_files_are_read_only_when_regular_and_within_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("list");
        fs::write(&file, b"abc").unwrap();
        assert_eq!(read_own(&file, 3).unwrap(), b"abc");
        assert_eq!(
            read_own(&file, 2).unwrap_err().kind(),
            io::ErrorKind::FileTooLarge
        );
        let absent = read_own(&dir.path().join("absent"), 3).unwrap_err();
        assert_eq!(absent.kind(), io::ErrorKind::NotFound);
        // Neither followed nor opened: a link (to a file, to an endless device)
        // and a FIFO, which would wait for a writer forever.
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&file, &link).unwrap();
        assert!(is_not_regular(&read_own(&link, 3).unwrap_err()));
        assert_eq!(read_regular(&link, 3).unwrap(), b"abc");
        let zero = dir.path().join("zero");
        std::os::unix::fs::symlink("/dev/zero", &zero).unwrap();
        assert!(is_not_regular(&read_own(&zero, 3).unwrap_err()));
        assert!(is_not_regular(&read_regular(&zero, 3).unwrap_err()));
        let fifo = dir.path().join("fifo");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        assert!(made.unwrap().success());
        assert!(is_not_regular(&read_own(&fifo, 3).unwrap_err()));
        assert!(is_not_regular(&read_regular(&fifo, 3).unwrap_err()));
        // Written over without waiting on it or writing through the link.
        write_whole(&dir.path().join("out"), b"x").unwrap();
        fs::rename(&fifo, dir.path().join("out.part")).unwrap();
        write_whole(&dir.path().join("out"), b"y").unwrap();
        assert_eq!(fs::read(dir.path().join("out")).unwrap(), b"y");
        fs::rename(&link, dir.path().join("memo.part")).unwrap();
        write_whole(&dir.path().join("memo"), b"z").unwrap();
        assert_eq!(fs::read(&file).unwrap(), b"abc");
    }

    #[test]
    fn addresses_become_files_under_the_base_path() {
        assert_eq!(file_of_url("/", "/"), "index.html");
        assert_eq!(file_of_url("/ethics/", "/ethics/a/b/"), "a/b/index.html");
        assert_eq!(file_of_url("/ethics/", "/ethics/404.html"), "404.html");
        assert_eq!(page_url("/ethics/a/", 1), "/ethics/a/");
        assert_eq!(page_url("/ethics/a/", 3), "/ethics/a/page/3/");
    }

    #[test]
    fn web_addresses_are_ones_every_export_takes() {
        assert!(is_web_address("https://example.org/a?b=c#d"));
        assert!(is_web_address("http://[::1]:8080/x/"));
        for bad in [
            "https://example.org/[library/",
            "https://example.org/%zz",
            "https://example.org/\"x",
            "https://example.org/<b>",
            "https://example.org/a b",
            "ftp://example.org/",
            "javascript:alert(1)",
        ] {
            assert!(!is_web_address(bad), "{bad}");
        }
    }
}
