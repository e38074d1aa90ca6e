//! Every file a build will write, known before anything is rendered: each page of
//! each language (every page of every paginated list), the redirect of each alias,
//! the files Almanac writes itself (the search index's folder whole), the theme's
//! static files, and the files published as they are (static/, content's assets).
//! Two of them at one path, a file where a folder must be, or a name no file
//! system takes, is a located problem, from `check` as from `build`.

use std::collections::HashMap;
use std::collections::hash_map::Entry as Slot;

use crate::config::RESERVED_SEGMENTS;
use crate::content::{Asset, SourceFile};
use crate::diagnostics::{Diagnostic, Location};
use crate::model::pages::{self, Cells, Page};
use crate::model::{self, Collection, EntryKind};
use crate::output::{MANIFEST, MARKER};
use crate::paths::file_of_url;
use crate::yaml::{Spans, Step};

/// The longest file or folder name the common file systems take, in bytes.
const MAX_NAME_BYTES: usize = 255;

/// Files published as they are, from one folder of the collection (`static`, or
/// `content` for the assets beside the pages).
pub struct Copies<'a> {
    pub folder: &'a str,
    pub files: &'a [Asset],
}

/// Every problem with the files a build of `editions` (the collection in each of its
/// languages, the default first), its theme (`theme`: the paths of the theme's
/// static files) and `copies` would write. The build's own files, the theme's and
/// the vocabulary's pages are claimed first, then the content's pages, then the
/// copies, then the aliases: a clash is reported at the later claim, which is the
/// content's to change. A file of `static/` at a theme file's path replaces it, as
/// the theme is meant to be overridden.
pub fn output_paths(
    editions: &[&Collection],
    theme: &[String],
    copies: &[Copies],
) -> Vec<Diagnostic> {
    let Some(default) = editions.first() else {
        return Vec::new();
    };
    let config = &default.config;
    let config_spans = Spans::parse(&config.source, 0..config.source.text.len())
        .unwrap_or_else(|| Spans::empty(&config.source));
    let in_config = |path: &[Step]| {
        config_spans
            .key(path)
            .unwrap_or_else(|| Location::span(&config.source, 0..0))
    };
    let own = |what: &str| Owner {
        what: what.to_string(),
        at: Location::file("almanac.yaml").into(),
        kind: Kind::Made,
    };
    let mut files = Files::default();
    files.claim(MARKER.into(), own("the marker of Almanac's output"), None);
    files.claim(MANIFEST.into(), own("the list of Almanac's files"), None);
    for path in pages::catalogue_files(editions, false) {
        files.claim(path, own("a file Almanac writes itself"), None);
    }
    // Names kept for what the build may write at the top of the site.
    for segment in RESERVED_SEGMENTS.iter().filter(|s| **s != "search") {
        let file = format!("{segment}/index.html");
        files.claim(file, own("a page Almanac keeps for itself"), None);
    }
    for path in theme {
        let owner = Owner {
            what: format!("the theme's `{path}`"),
            at: Location::file(format!("themes/{}/static/{path}", config.theme)).into(),
            kind: Kind::Made,
        };
        files.claim(path.clone(), owner, None);
    }
    let all: Vec<(&Collection, Vec<Page>)> = editions
        .iter()
        .map(|collection| (*collection, pages::all(collection, &Cells::new(collection))))
        .collect();
    for (collection, pages) in &all {
        for &page in pages {
            let owner = match page {
                Page::Section(..) | Page::Entry(_) => continue,
                Page::Taxonomy(t) => Owner {
                    what: format!("the taxonomy `{}`", collection.taxonomies[t].config.name),
                    at: in_config(&[Step::key("taxonomies"), Step::Item(t), Step::key("name")])
                        .into(),
                    kind: Kind::Made,
                },
                Page::Term(t, i, _) => {
                    let taxonomy = &collection.taxonomies[t];
                    let term = &taxonomy.terms[i];
                    let declared = [
                        Step::key("taxonomies"),
                        Step::Item(t),
                        Step::key("terms"),
                        Step::key(&term.slug),
                    ];
                    // A term of an open vocabulary is declared by the resources
                    // naming it: shown at the first.
                    let named = term
                        .resources
                        .first()
                        .map(|&id| &*collection.entries[id].file);
                    let at = match (config_spans.key(&declared), named) {
                        (Some(location), _) => At::Here(location),
                        (None, Some(file)) => At::Term {
                            file,
                            taxonomy: &taxonomy.config.name,
                            slug: &term.slug,
                        },
                        (None, None) => At::Here(in_config(&[
                            Step::key("taxonomies"),
                            Step::Item(t),
                            Step::key("name"),
                        ])),
                    };
                    Owner {
                        what: format!(
                            "the term `{}` of `{}`",
                            shortened(&term.slug),
                            taxonomy.config.name
                        ),
                        at,
                        kind: Kind::Made,
                    }
                }
                Page::Cell(..) => Owner {
                    what: "a cell of the home page's matrix".into(),
                    at: in_config(&[Step::key("matrix")]).into(),
                    kind: Kind::Made,
                },
                Page::Home | Page::Search | Page::NotFound => own("a page Almanac writes itself"),
            };
            files.claim(page.file(collection), owner, Some(page.url(collection)));
        }
    }
    // The search index's folder in each language: its files are named after a
    // hash of their bytes, so nothing else may be published there.
    for (collection, _) in &all {
        let folder = format!(
            "{}{}",
            collection.config.language_folder(),
            crate::search::FOLDER
        );
        files.kept.push(folder);
    }
    for (collection, pages) in &all {
        for &page in pages {
            let owner = match page {
                Page::Section(id, n) => section_owner(collection, id, n),
                Page::Entry(id) => {
                    let entry = &collection.entries[id];
                    // An explicit slug is the likely cause; otherwise the file as a whole.
                    Owner {
                        what: format!("`content/{}`", entry.file.rel),
                        at: At::Slug(&entry.file),
                        kind: Kind::Made,
                    }
                }
                _ => continue,
            };
            let found = files.problems.len();
            files.claim(
                page.file(collection),
                owner.clone(),
                Some(page.url(collection)),
            );
            // A resource's reference files beside its page: a name too long for
            // the page is said once, for the page.
            if let Page::Entry(id) = page
                && files.problems.len() == found
                && collection.entries[id].kind == EntryKind::Resource
            {
                for (_, ext, _) in pages::CITATION_FORMATS {
                    let url = pages::citation_url(collection, id, ext);
                    let file = file_of_url(&collection.config.base_path, &url);
                    files.claim(file, owner.clone(), Some(url));
                }
            }
        }
    }
    for copies in copies {
        for asset in copies.files {
            // The collection's static/ is the theme's last layer.
            if copies.folder == "static" && theme.contains(&asset.rel) {
                continue;
            }
            let shown = format!("{}/{}", copies.folder, asset.rel);
            let owner = Owner {
                what: format!("`{shown}`"),
                at: Location::file(&shown).into(),
                kind: if copies.folder == "static" {
                    Kind::Layer
                } else {
                    Kind::Copy
                },
            };
            files.claim(asset.rel.clone(), owner, None);
        }
    }
    // Last: an alias only redirects, so it is the one to give way.
    for (collection, _) in &all {
        claim_aliases(collection, &mut files);
    }
    files.problems
}

fn section_owner(collection: &Collection, id: usize, n: usize) -> Owner<'_> {
    let section = &collection.sections[id];
    let what = if n > 1 {
        format!("page {n} of the section `content/{}`", section.dir)
    } else {
        format!("the section `content/{}`", section.dir)
    };
    let at = match &section.file {
        Some(file) => Location::span(&file.source, 0..0),
        None => Location::file(format!("content/{}", section.dir)),
    };
    Owner {
        what,
        at: at.into(),
        kind: Kind::Made,
    }
}

/// The redirect page of every alias, located at the alias as written.
fn claim_aliases(collection: &Collection, files: &mut Files) {
    let config = &collection.config;
    let pages = collection
        .entries
        .iter()
        .map(|e| (Some(&e.file), &e.aliases))
        .chain(
            collection
                .sections
                .iter()
                .map(|s| (s.file.as_ref(), &s.aliases)),
        );
    for (file, aliases) in pages {
        for alias in aliases {
            let at = file
                .map(|f| {
                    f.spans()
                        .find(&[Step::key("aliases")], |written| {
                            model::rooted_alias(config, written.trim()).as_ref() == Some(alias)
                        })
                        .unwrap_or_else(|| Location::span(&f.source, 0..0))
                })
                .unwrap_or_else(|| Location::file("content"));
            let owner = Owner {
                what: format!("an alias in `content/{}`", file.map_or("", |f| &f.rel)),
                at: at.into(),
                kind: Kind::Made,
            };
            files.claim(
                file_of_url(&config.base_path, alias),
                owner,
                Some(alias.clone()),
            );
        }
    }
}

/// What asks for a file: said in messages, and where to point when it clashes.
#[derive(Clone)]
struct Owner<'a> {
    what: String,
    at: At<'a>,
    kind: Kind,
}

/// How an owner's file is published.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    /// Made by the build.
    Made,
    /// Published as it is, and left out by the build on a clash.
    Copy,
    /// A file of `static/`, a copy too, and the theme's last layer: it may replace
    /// the theme's search files, in the folder kept for the index.
    Layer,
}

/// Where a problem with what an owner publishes is shown. An entry's `slug` is
/// looked up only for a problem: finding it parses the front matter again.
#[derive(Clone)]
enum At<'a> {
    Here(Location),
    /// The entry's `slug` value if it sets one, else the file as a whole.
    Slug(&'a SourceFile),
    /// Where a resource names the term `slug` of the taxonomy named `taxonomy`.
    Term {
        file: &'a SourceFile,
        taxonomy: &'a str,
        slug: &'a str,
    },
}

impl At<'_> {
    fn location(self) -> Location {
        match self {
            At::Here(location) => location,
            At::Slug(file) => file
                .spans()
                .value(&[Step::key("slug")])
                .unwrap_or_else(|| Location::span(&file.source, 0..0)),
            At::Term {
                file,
                taxonomy,
                slug,
            } => file
                .spans()
                .find(&[Step::key(taxonomy)], |written| {
                    crate::paths::slugify(written.trim()) == slug
                })
                .unwrap_or_else(|| Location::span(&file.source, 0..0)),
        }
    }
}

impl From<Location> for At<'_> {
    fn from(location: Location) -> Self {
        At::Here(location)
    }
}

/// The files claimed so far, the folders they need, and the problems found.
#[derive(Default)]
struct Files {
    owners: HashMap<String, String>,
    /// Every folder a claimed file is in, with the first file's owner: a file may
    /// not stand where a folder must be, nor the reverse.
    folders: HashMap<String, String>,
    /// The claimed files with capitals in their paths, in lower case, each with
    /// its path as claimed and its owner; and the folders they need.
    folded: HashMap<String, (String, String)>,
    folded_folders: HashMap<String, (String, String)>,
    /// Folders the build keeps for itself: claims inside them from here on are
    /// refused.
    kept: Vec<String>,
    problems: Vec<Diagnostic>,
}

impl Files {
    /// Claims `file` (published at `url`, for pages and aliases) for `owner`.
    fn claim(&mut self, file: String, owner: Owner<'_>, url: Option<String>) {
        let shown = url.unwrap_or_else(|| file.clone());
        if let Some(name) = file.split('/').find(|name| name.len() > MAX_NAME_BYTES) {
            self.problems.push(
                Diagnostic::error(
                    "path-too-long",
                    format!(
                        "{} would be published at an address with a name of {} bytes (`{}…`)",
                        owner.what,
                        name.len(),
                        name.chars().take(40).collect::<String>()
                    ),
                )
                .at(owner.at.location())
                .label("too long a name for a file")
                .help(format!(
                    "file systems take names of at most {MAX_NAME_BYTES} bytes; give it a shorter `slug`, title or term"
                )),
            );
            return;
        }
        // A file of static/ may replace the theme's search files, but never the
        // index's, which are written first and would silently win.
        if let Some(folder) = self.kept.iter().find(|folder| {
            file.strip_prefix(folder.as_str())
                .and_then(|rest| rest.strip_prefix('/'))
                .is_some_and(|rest| owner.kind != Kind::Layer || crate::search::index_name(rest))
        }) {
            self.problems.push(
                Diagnostic::error(
                    "reserved-path",
                    format!(
                        "{} would be published at `{shown}`, in `{folder}/`, which holds the search index and its files",
                        owner.what
                    ),
                )
                .at(owner.at.location())
                .label("a folder the build keeps")
                .help(format!("nothing but the search may be published in `{folder}/`; give it another address")),
            );
            return;
        }
        let first = file.split('/').next().unwrap_or("");
        if (first == MARKER || first == MANIFEST) && file != first {
            self.problems.push(
                Diagnostic::error(
                    "reserved-path",
                    format!(
                        "{} would be published at `{shown}`, under a name Almanac keeps for its own files",
                        owner.what
                    ),
                )
                .at(owner.at.location())
                .label("a name the build keeps")
                .help(format!("addresses may not start with `{MARKER}` or `{MANIFEST}`")),
            );
            return;
        }
        let folder_clash = self
            .folders
            .get(&file)
            .cloned()
            .or_else(|| parents(&file).find_map(|folder| self.owners.get(folder).cloned()));
        if let Some(other) = folder_clash {
            let problem = Diagnostic::error(
                "duplicate-path",
                format!(
                    "{} would be published at `{shown}`, where {other} needs a file and a folder of one name",
                    owner.what
                ),
            )
            .at(owner.at.location());
            self.problems.push(if owner.kind != Kind::Made {
                left_out(problem)
            } else {
                problem
                    .label("a file and a folder at one path")
                    .help("give one of them another `slug` or address")
            });
            return;
        }
        for folder in parents(&file) {
            self.folders
                .entry(folder.to_string())
                .or_insert_with(|| owner.what.clone());
        }
        match self.owners.entry(file) {
            Slot::Occupied(first) => {
                let problem = Diagnostic::error(
                    "duplicate-path",
                    format!(
                        "{} would be published at `{shown}`, which {} already uses",
                        owner.what,
                        first.get()
                    ),
                )
                .at(owner.at.location());
                self.problems.push(if owner.kind != Kind::Made {
                    left_out(problem)
                } else {
                    problem
                        .label("same output path")
                        .help("give one of them another `slug`, or rename the file")
                });
            }
            // Most collections have no capitals in their paths: nothing to fold.
            Slot::Vacant(slot) if self.folded.is_empty() && !has_capitals(slot.key()) => {
                slot.insert(owner.what);
            }
            Slot::Vacant(slot) => {
                let file = slot.key().clone();
                slot.insert(owner.what.clone());
                self.fold(file, owner, &shown);
            }
        }
    }

    /// Reports a claimed `file` that differs from another file, or from a folder
    /// another file needs, only in case: a disk that ignores case (macOS,
    /// Windows) would keep one of the two. Only paths with capitals are kept in
    /// lower case, as few have them.
    fn fold(&mut self, file: String, owner: Owner<'_>, shown: &str) {
        let capitals = has_capitals(&file);
        let lower = if capitals {
            file.to_lowercase()
        } else {
            file.clone()
        };
        // Lower-case paths are found as they are claimed; others in `folded`.
        let file_at = |path: &str| {
            self.folded
                .get(path)
                .cloned()
                .or_else(|| match self.owners.get(path) {
                    Some(what) if capitals => Some((path.to_string(), what.clone())),
                    _ => None,
                })
        };
        let folder_at = |path: &str| {
            self.folded_folders
                .get(path)
                .cloned()
                .or_else(|| match self.folders.get(path) {
                    Some(what) if capitals => Some((format!("{path}/"), what.clone())),
                    _ => None,
                })
        };
        let other = file_at(&lower)
            .or_else(|| folder_at(&lower))
            .or_else(|| parents(&lower).find_map(file_at));
        if let Some((path, what)) = other {
            self.problems.push(case_clash(&owner, shown, &path, &what));
            return;
        }
        if capitals {
            for (folder, written) in parents(&lower).zip(parents(&file)) {
                self.folded_folders
                    .entry(folder.to_string())
                    .or_insert_with(|| (format!("{written}/"), owner.what.clone()));
            }
            self.folded.insert(lower, (file, owner.what));
        }
    }
}

/// Whether `path` has a capital letter: its bytes looked at first.
fn has_capitals(path: &str) -> bool {
    path.bytes().any(|b| b.is_ascii_uppercase())
        || (!path.is_ascii() && path.chars().any(char::is_uppercase))
}

/// A file whose path differs from `path`, which `what` uses, only in case.
fn case_clash(owner: &Owner<'_>, shown: &str, path: &str, what: &str) -> Diagnostic {
    Diagnostic::error(
        "duplicate-path",
        format!(
            "{} would be published at `{shown}`, which differs only in case from `{path}`, which {what} uses",
            owner.what
        ),
    )
    .at(owner.at.clone().location())
    .label("the same path but for case")
    .help("a disk that ignores case (macOS, Windows) keeps one of the two; give it another address")
}

/// `text`, or its first 40 characters and `…` when longer.
fn shortened(text: &str) -> String {
    match text.char_indices().nth(40) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_string(),
    }
}

/// A clash of a file published as it is, which the build would leave out.
fn left_out(problem: Diagnostic) -> Diagnostic {
    problem
        .label("the build would leave this file out")
        .help("rename or move the file: what the build makes keeps its path")
}

/// The folders a file is in: `a/b/c.html` → `a`, `a/b`.
fn parents(file: &str) -> impl Iterator<Item = &str> {
    file.match_indices('/').map(move |(at, _)| &file[..at])
}
