//! Reading a collection from disk: the only stage that reads. A sorted walk of
//! `content/` (links followed inside the collection, loops refused), every Markdown
//! file read and split into front matter and body in parallel, plus the config
//! text, templates and static files, all under the rules of [`Bounds`].

mod bounds;
mod front_matter;
pub mod history;
pub mod links;

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::is_language_code;
use crate::diagnostics::{Diagnostic, Location, SourceText};
use crate::i18n::StringsFile;
use crate::output::OutputFile;
use crate::yaml::Spans;

pub use bounds::Bounds;
pub use front_matter::split;

/// Markdown files larger than this are refused: nobody writes a resource note this
/// long, and reading one would only slow every build down.
pub const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// One Markdown file of `content/`, read and split.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path relative to `content/`, with `/` separators: `guidance/x.md`.
    pub rel: String,
    /// The text (BOM removed, CRLF turned into LF), with the path shown in messages.
    pub source: SourceText,
    /// Where the YAML between the `---` lines is.
    pub front: Range<usize>,
    /// Where the Markdown body is.
    pub body: Range<usize>,
}

impl SourceFile {
    /// The front matter's fields, in the order written. Parsed on demand by the
    /// model, which drops them once read: held for every file at once they would be
    /// the largest part of a big collection's memory.
    pub fn fields(&self) -> Result<serde_yaml::Mapping, Vec<Diagnostic>> {
        front_matter::parse(&self.source, self.front.clone())
    }

    /// Where the front matter's keys and values are written. Parsed again on each
    /// call: only problems need positions, and few files have one.
    pub fn spans(&self) -> Spans {
        Spans::parse(&self.source, self.front.clone()).unwrap_or_else(|| Spans::empty(&self.source))
    }

    pub fn body(&self) -> &str {
        &self.source.text[self.body.clone()]
    }

    /// Lets go of the body's text once nothing will read it again (it is rendered
    /// and checked); the file then reads as its front matter with an empty body.
    /// The front matter stays, at the same offsets: the checks of output paths
    /// place a slug, title or alias there, and it is a small part of a file.
    /// Diagnostics keep their own copy.
    pub fn release_text(&mut self) {
        let kept = self.body.start.min(self.source.text.len());
        if kept < self.source.text.len() {
            self.source.text = Arc::from(&self.source.text[..kept]);
        }
        self.body = kept..kept;
    }

    /// The folder of the file relative to `content/` (`` for the top level).
    pub fn dir(&self) -> &str {
        self.rel.rsplit_once('/').map_or("", |(dir, _)| dir)
    }

    pub fn file_name(&self) -> &str {
        self.rel
            .rsplit_once('/')
            .map_or(&self.rel, |(_, name)| name)
    }
}

/// A file to copy into the output as it is.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Asset {
    /// Where it goes, relative to the output folder, with `/` separators.
    pub rel: String,
    pub path: PathBuf,
}

impl Asset {
    /// The file as published: copied as it is, at the same path.
    pub fn output_file(&self) -> OutputFile {
        OutputFile::copy(&self.rel, &self.path)
    }
}

/// Everything read from `content/`.
#[derive(Debug, Default)]
pub struct Content {
    pub files: Vec<SourceFile>,
    /// Non-Markdown files in `content/`, published beside the pages.
    pub assets: Vec<Asset>,
    /// Sections (folders) found, relative to `content/`, including ones without `_index.md`.
    pub dirs: Vec<String>,
    pub diagnostics: Vec<Diagnostic>,
    /// When each file last changed in git, read only for a collection in several
    /// languages (`None` outside a git checkout, or when not read).
    pub history: Option<history::History>,
    /// The files of the collection's `static/` folder, published as they are (the
    /// theme reads them again; here they are only checked against the pages), as
    /// [`Content::read_statics`] lists them; `load` leaves them to its caller.
    pub statics: Vec<Asset>,
    /// The paths the theme publishes its own static files at (the default theme's
    /// and a theme folder's, the search files aside), to check against the pages;
    /// set by whoever knows the theme.
    pub theme_files: Vec<String>,
    /// What `check --external` last found of each outbound address.
    pub links: links::LinkCache,
}

/// Reads `almanac.yaml` from the collection root.
pub fn read_config(root: &Path) -> Result<SourceText, Diagnostic> {
    let path = root.join("almanac.yaml");
    match read_text(&path, Path::new("almanac.yaml")) {
        Ok(source) => Ok(source),
        Err(d) if !path.exists() => Err(Diagnostic::error(
            "no-config",
            format!("no almanac.yaml in {}", root.display()),
        )
        .help("run the command in a collection, pass --root, or create one with `almanac init DIR`")
        .label(d.message)),
        Err(d) => Err(d),
    }
}

/// Walks and reads `content/` under `root`. Problems become diagnostics; the files
/// that could be read are returned with them, so one run reports everything.
pub fn load(root: &Path) -> Content {
    let content_dir = root.join("content");
    let mut content = Content::default();
    match links::read(root) {
        Ok(cache) => content.links = cache,
        Err(problem) => content.diagnostics.push(problem),
    }
    if !content_dir.is_dir() {
        content.diagnostics.push(
            Diagnostic::error("no-content", "the collection has no content/ folder")
                .at(Location::file("content"))
                .help("create content/ with an _index.md, or run `almanac init`"),
        );
        return content;
    }

    let mut markdown = Vec::new();
    let bounds = Bounds::new(root);
    let mut walk = walkdir::WalkDir::new(&content_dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter();
    while let Some(entry) = walk.next() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(error) => {
                content.diagnostics.push(walk_error(root, &error));
                continue;
            }
        };
        let rel = relative(&content_dir, entry.path());
        // Hidden files and folders (.git, editor swap files) are never content.
        if rel.split('/').any(|part| part.starts_with('.')) {
            if entry.file_type().is_dir() {
                walk.skip_current_dir();
            }
            continue;
        }
        if let Err(problem) = admit(&bounds, &entry, &Path::new("content").join(&rel)) {
            content.diagnostics.push(problem);
            if entry.file_type().is_dir() {
                walk.skip_current_dir();
            }
            continue;
        }
        if rel.is_empty() {
            continue;
        }
        if entry.file_type().is_dir() {
            content.dirs.push(rel);
        } else if rel.ends_with(".md") {
            markdown.push((rel, entry.into_path()));
        } else if entry.file_type().is_file() {
            let shown = Path::new("content").join(&rel);
            if let Err(problem) = bounds::probe(entry.path(), &shown, crate::paths::MAX_COPY_BYTES)
            {
                content.diagnostics.push(problem);
                continue;
            }
            content.assets.push(Asset {
                rel,
                path: entry.into_path(),
            });
        }
    }

    let read = || -> Vec<Result<SourceFile, Vec<Diagnostic>>> {
        markdown
            .par_iter()
            .map(|(rel, path)| read_markdown(rel, path))
            .collect()
    };
    let results = match io_pool() {
        Some(pool) => pool.install(read),
        None => read(),
    };
    for result in results {
        match result {
            Ok(file) => content.files.push(file),
            Err(mut diagnostics) => content.diagnostics.append(&mut diagnostics),
        }
    }
    content
}

impl Content {
    /// Lists the collection's `static/` folder, with a warning for each hidden file
    /// it leaves out. Problems listing the folder are the theme's to report, when
    /// it reads the folder.
    pub fn read_statics(&mut self, root: &Path) {
        self.statics = statics(root).unwrap_or_default();
        self.diagnostics.extend(hidden_statics(root));
    }
}

/// Admits an entry of a walk: a link resolving inside the collection (its folder
/// then needs no more checks), a plain file or folder.
fn admit(bounds: &Bounds, entry: &walkdir::DirEntry, shown: &Path) -> Result<(), Diagnostic> {
    if entry.path_is_symlink() || entry.depth() == 0 {
        bounds.admit(entry.path(), shown)?;
    }
    bounds::special(&entry.file_type(), shown)
}

/// Threads reading content files: more than there are cores, as a thread mostly
/// waits for the disk (on a cold cache, a collection's files are tens of thousands
/// of small reads), and splitting front matter from body is little work.
const READ_THREADS: usize = 16;

/// A pool of [`READ_THREADS`] for reading files; `None` when the system will not
/// start that many threads (the reads then share the main pool).
fn io_pool() -> Option<rayon::ThreadPool> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(READ_THREADS)
        .thread_name(|i| format!("read-{i}"))
        .build()
        .ok()
}

/// Reads and splits one Markdown file; `rel` is its path under `content/`.
pub fn read_markdown(rel: &str, path: &Path) -> Result<SourceFile, Vec<Diagnostic>> {
    let shown = Path::new("content").join(rel);
    let source = read_text(path, &shown).map_err(|d| vec![d])?;
    parse_markdown(rel, source)
}

/// Splits already-read text into front matter and body (no disk, for tests and serve).
pub fn parse_markdown(rel: &str, source: SourceText) -> Result<SourceFile, Vec<Diagnostic>> {
    let parts = split(&source).map_err(|d| vec![d])?;
    Ok(SourceFile {
        rel: rel.to_string(),
        source,
        front: parts.front,
        body: parts.body,
    })
}

/// Reads a text file: refuses very large files and bytes that are not UTF-8, drops
/// a byte-order mark and turns CRLF line ends into LF (lines and columns stay the same).
/// `shown` is the path from the collection root, which the file must resolve inside.
pub fn read_text(path: &Path, shown: &Path) -> Result<SourceText, Diagnostic> {
    let bytes = Bounds::of(path, shown).read(path, shown, MAX_FILE_BYTES)?;
    decode(bytes, shown)
}

/// Turns bytes into text, locating the first invalid UTF-8 sequence if there is one.
pub fn decode(bytes: Vec<u8>, shown: &Path) -> Result<SourceText, Diagnostic> {
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(error) => {
            let bytes = error.as_bytes();
            let bad = error.utf8_error().valid_up_to();
            let valid = String::from_utf8_lossy(&bytes[..bad]);
            let (line, column) = crate::diagnostics::line_col(&valid, valid.len());
            return Err(Diagnostic::error(
                "not-utf8",
                format!(
                    "the file is not UTF-8 text (byte 0x{:02X} at line {line}, column {column})",
                    bytes[bad]
                ),
            )
            .at(Location::position(shown, line, column))
            .help(
                "save the file as UTF-8 (most editors offer this under \"Save with encoding\")",
            ));
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let text = if text.contains('\r') {
        text.replace("\r\n", "\n")
    } else {
        text.to_string()
    };
    let source = SourceText::new(shown, text);
    let forbidden = crate::paths::has_forbidden(&source.text)
        .then(|| {
            source
                .text
                .char_indices()
                .find(|(_, c)| crate::paths::forbidden(*c))
        })
        .flatten();
    if let Some((at, c)) = forbidden {
        return Err(Diagnostic::error(
            "control-character",
            format!("the file holds the control character U+{:04X}", u32::from(c)),
        )
        .at(Location::span(&source, at..at + c.len_utf8()))
        .label("not text")
        .help("remove it: pages, feeds and exports cannot carry it (an editor's \"show invisibles\" finds it)"));
    }
    Ok(source)
}

fn walk_error(root: &Path, error: &walkdir::Error) -> Diagnostic {
    let path = error.path().map(|p| relative(root, p)).unwrap_or_default();
    match error.loop_ancestor() {
        Some(ancestor) => Diagnostic::error(
            "symlink-loop",
            format!(
                "a symbolic link loops back to `{}`; it was not followed",
                relative(root, ancestor)
            ),
        )
        .at(Location::file(path))
        .help("remove the link, or point it at a folder outside its own ancestors"),
        None => Diagnostic::error("io", format!("cannot read: {error}")).at(Location::file(path)),
    }
}

/// `path` relative to `base`, with `/` separators.
pub fn relative(base: &Path, path: &Path) -> String {
    path.strip_prefix(base)
        .unwrap_or(path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Templates of a folder (`templates/` of the collection or of a theme): name → text.
pub fn read_templates(
    dir: &Path,
    shown: &Path,
) -> Result<Vec<(String, SourceText)>, Vec<Diagnostic>> {
    let mut problems = Vec::new();
    let mut templates = Vec::new();
    for asset in list_files(dir, shown, false)? {
        match read_text(&asset.path, &shown.join(&asset.rel)) {
            Ok(text) => templates.push((asset.rel, text)),
            Err(d) => problems.push(d),
        }
    }
    if problems.is_empty() {
        Ok(templates)
    } else {
        Err(problems)
    }
}

/// The `<code>.yaml` files of an `i18n/` folder (none if it does not exist), and the
/// problems of the others: a file named otherwise, or one that cannot be read.
pub fn read_strings(dir: &Path, shown: &Path) -> (Vec<StringsFile>, Vec<Diagnostic>) {
    let mut files = Vec::new();
    let (assets, mut problems) = match list_files(dir, shown, false) {
        Ok(assets) => (assets, Vec::new()),
        Err(problems) => (Vec::new(), problems),
    };
    for asset in assets {
        let shown = shown.join(&asset.rel);
        let code = asset
            .rel
            .strip_suffix(".yaml")
            .filter(|c| is_language_code(c));
        let Some(code) = code else {
            problems.push(
                Diagnostic::error(
                    "i18n",
                    format!("`{}` is not a file of interface strings", asset.rel),
                )
                .at(Location::file(&shown))
                .help("name each file after its language: `fr.yaml`, `cy.yaml`, `pt-BR.yaml`"),
            );
            continue;
        };
        match read_text(&asset.path, &shown) {
            Ok(source) => files.push(StringsFile {
                code: code.to_string(),
                source,
            }),
            Err(d) => problems.push(d),
        }
    }
    (files, problems)
}

/// Files of a `static/` folder (`shown` from the collection root), to be copied as they are.
pub fn list_static(dir: &Path, shown: &Path) -> Result<Vec<Asset>, Vec<Diagnostic>> {
    list_files(dir, shown, false)
}

/// The files of the collection's own `static/` folder, those of `.well-known/`
/// included (a site's `security.txt` is published there).
pub fn statics(root: &Path) -> Result<Vec<Asset>, Vec<Diagnostic>> {
    list_files(&root.join("static"), Path::new("static"), true)
}

/// A warning for each hidden file or folder of the collection's `static/` that is
/// not published (all but `.well-known/`): a curator who put one there expects it
/// on the site.
fn hidden_statics(root: &Path) -> Vec<Diagnostic> {
    let dir = root.join("static");
    let mut warnings = Vec::new();
    if !dir.is_dir() {
        return warnings;
    }
    let mut walk = walkdir::WalkDir::new(&dir).sort_by_file_name().into_iter();
    while let Some(Ok(entry)) = walk.next() {
        let rel = relative(&dir, entry.path());
        let name = entry.file_name().to_string_lossy();
        if !name.starts_with('.') || entry.depth() == 0 || crate::output::well_known(&rel) {
            continue;
        }
        if rel == ".well-known" && entry.file_type().is_dir() {
            continue;
        }
        let what = if entry.file_type().is_dir() {
            walk.skip_current_dir();
            "folder"
        } else {
            "file"
        };
        warnings.push(
            Diagnostic::warning(
                "hidden-static",
                format!("`static/{rel}` is not published: it is a hidden {what} (its name starts with `.`), and of those only `static/.well-known/` is published"),
            )
            .at(Location::file(Path::new("static").join(&rel)))
            .help("hidden files (`.git/`, `.env`, editor files) are kept off the site; rename it without the leading `.` to publish it"),
        );
    }
    warnings
}

/// Every file under `dir` (none if it does not exist), sorted, hidden ones left
/// out (but those of `.well-known/` when `well_known`); links leading outside the
/// collection and special files are problems.
fn list_files(dir: &Path, shown: &Path, well_known: bool) -> Result<Vec<Asset>, Vec<Diagnostic>> {
    let mut files = Vec::new();
    let mut problems = Vec::new();
    if !dir.is_dir() {
        return Ok(files);
    }
    let bounds = Bounds::of(dir, shown);
    let mut walk = walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter();
    while let Some(entry) = walk.next() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(error) => {
                // Located from the collection's root, as `shown` is.
                let mut problem = walk_error(dir, &error);
                if let Some(at) = problem.location.as_mut() {
                    at.path = shown.join(&at.path);
                }
                problems.push(problem);
                continue;
            }
        };
        let rel = relative(dir, entry.path());
        let published = well_known
            && (crate::output::well_known(&rel)
                || (rel == ".well-known" && entry.file_type().is_dir()));
        if rel.split('/').any(|p| p.starts_with('.')) && !published {
            if entry.file_type().is_dir() {
                walk.skip_current_dir();
            }
            continue;
        }
        if let Err(problem) = admit(&bounds, &entry, &shown.join(&rel)) {
            problems.push(problem);
            if entry.file_type().is_dir() {
                walk.skip_current_dir();
            }
            continue;
        }
        if entry.file_type().is_file() {
            let shown = shown.join(&rel);
            if let Err(problem) = bounds::probe(entry.path(), &shown, crate::paths::MAX_COPY_BYTES)
            {
                problems.push(problem);
                continue;
            }
            files.push(Asset {
                rel,
                path: entry.into_path(),
            });
        }
    }
    if problems.is_empty() {
        Ok(files)
    } else {
        Err(problems)
    }
}
