//! Incremental rebuilds for the server. The builder keeps the files it read, the theme
//! and the current build (collection, bodies, matrix, `site` value) and, for a change,
//! does as little as gives the same site as a full build:
//!
//! - an edit of existing entry files: those files are read again and swapped into the
//!   collection (`model::update`), their bodies rendered again, and only the pages the
//!   edit affects (`super::affected`) rendered again, with the feeds and exports; every
//!   page if the `site` value changed. The search index is left to the background
//!   (`super::indexer`);
//! - a template: the theme is compiled again and only the pages whose template uses a
//!   changed one are rendered (every page if one is included through a variable);
//! - a static file: the theme's file list is read again, pages stay;
//! - a file added, removed or renamed, or a section's `_index.md` edited: the entries
//!   inserted or taken out, or the section's text swapped in (`model::update`), the
//!   new bodies rendered, then pages as below;
//! - anything else (an edit that reaches beyond its file such as a new slug, a new
//!   folder or a glossary term's phrases, a content error, `almanac.yaml`): the whole
//!   collection modelled again from the files as read, reusing the bodies that cannot
//!   see the change. Then (and after the changes above) only home, the
//!   404 page and the changed files' pages are rendered at once; every other page is
//!   rendered from this build when first asked for ([`Deferred`], `super::site::Later`),
//!   since nearly every page may show the change (the footer counts the resources)
//!   and rendering them all takes seconds at 10k resources. The first build renders
//!   every page.
//!
//! A failed build drops the current one, so the next change takes the full path.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::affected;
use crate::bodies::{self, Bodies};
use crate::content::{self, Asset, SourceFile};
use crate::diagnostics::Diagnostic;
use crate::model::{self, Collection, Target};
use crate::output::{Contents, OutputFile};
use crate::render::{self, Cells, Page, SearchAssets};
use crate::{BuildOptions, config};

/// What changed on disk, sorted by what it invalidates.
#[derive(Debug, Default)]
pub struct Changes {
    pub config: bool,
    /// Changed paths under `content/` (absolute).
    pub content: Vec<PathBuf>,
    pub templates: bool,
    pub statics: bool,
    /// Top-level folders that the watcher should start following (created late).
    pub new_top_folders: Vec<PathBuf>,
    /// The paths, for the one-line report.
    pub paths: Vec<PathBuf>,
}

impl Changes {
    /// Everything, for the first build.
    pub fn everything() -> Changes {
        Changes {
            config: true,
            ..Changes::default()
        }
    }

    /// Sorts changed paths under `root` by what they invalidate; the others are ignored.
    pub fn classify(root: &Path, paths: &[PathBuf]) -> Changes {
        let mut changes = Changes::default();
        for path in paths {
            let Ok(rel) = path.strip_prefix(root) else {
                continue;
            };
            let parts: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            // Editors' swap and backup files, and hidden folders, never matter.
            if parts.iter().any(|p| p.starts_with('.') || p.ends_with('~')) {
                continue;
            }
            let Some(top) = parts.first() else { continue };
            let relevant = match top.as_str() {
                "almanac.yaml" if parts.len() == 1 => {
                    changes.config = true;
                    true
                }
                "content" => {
                    changes.content.push(path.clone());
                    true
                }
                "templates" => {
                    changes.templates = true;
                    true
                }
                "static" => {
                    changes.statics = true;
                    true
                }
                "themes" => {
                    // `themes/<name>/static/...` only adds or changes files to copy.
                    if parts.get(2).map(String::as_str) == Some("static") {
                        changes.statics = true;
                    } else {
                        changes.templates = true;
                    }
                    true
                }
                _ => false,
            };
            if relevant {
                if parts.len() == 1 && path.is_dir() {
                    changes.new_top_folders.push(path.clone());
                }
                changes.paths.push(path.clone());
            }
        }
        changes
    }

    pub fn is_empty(&self) -> bool {
        !self.config && self.content.is_empty() && !self.templates && !self.statics
    }

    /// "content/guidance/x.md changed", "3 files changed".
    pub fn describe(&self, root: &Path) -> String {
        match self.paths.as_slice() {
            [] => "rebuilt".to_string(),
            [one] => format!("{} changed", super::shown(root, one)),
            many => format!("{} files changed", many.len()),
        }
    }
}

/// A successful build: the files to serve.
pub struct Built {
    /// Files made by this build (pages rendered now, feeds, static files, index).
    pub files: Vec<OutputFile>,
    /// Which files of the previous snapshot are still served.
    pub rest: Rest,
    pub base_path: String,
    pub pages: usize,
    pub pages_rendered: usize,
    pub warnings: Vec<Diagnostic>,
    /// How long each step of the rebuild took, in order.
    pub timings: Vec<(&'static str, Duration)>,
    /// The collection to index in the background, when this build did not write the index.
    pub index: Option<IndexJob>,
    /// Pages left to render when asked for.
    pub later: Option<LaterPages>,
    /// The collection whose catalogue files (feed, sitemap, robots.txt, JSON,
    /// CSV) are still to be made: after the tabs are told, as each goes over
    /// every resource (60 ms of a title edit at 10k, thrice the pages' time).
    pub catalogue: Option<Arc<Collection>>,
}

/// Pages left to render when asked for: their output paths, and what from.
pub struct LaterPages {
    pub pages: Vec<(String, Page)>,
    pub from: Arc<Deferred>,
}

/// What the pages a full rebuild leaves to later are rendered from: that build.
pub struct Deferred {
    collection: Arc<Collection>,
    bodies: Arc<Bodies>,
    theme: Arc<render::Theme>,
    search: SearchAssets,
    cells: Arc<Cells>,
}

impl Deferred {
    /// One page's HTML, as the build would have rendered it.
    pub fn render(&self, page: Page) -> Result<Vec<u8>, Vec<Diagnostic>> {
        let mut files = render::some_pages(
            &self.collection,
            &self.bodies,
            &self.theme,
            &self.search,
            &self.cells,
            &[page],
            &|_, _| {},
        )?;
        match files.pop().map(|f| f.contents) {
            Some(Contents::Bytes(bytes)) => Ok(bytes),
            _ => Err(Vec::new()),
        }
    }
}

/// The files of the previous snapshot a build keeps.
pub enum Rest {
    /// All but these output paths (an edit: what it did not touch stays).
    AllBut(Vec<String>),
    /// Only these (a full build keeps the search index until the new one is written).
    Only(Vec<String>),
}

/// What the background indexer needs: shared, so that handing it over copies nothing.
pub struct IndexJob {
    pub collection: Arc<Collection>,
    pub bodies: Arc<Bodies>,
}

pub enum Outcome {
    Built(Built),
    Failed(Vec<Diagnostic>),
}

/// What a change of `content/` read: content paths of Markdown files re-read, added
/// and removed.
#[derive(Default)]
struct ContentUpdate {
    reread: Vec<String>,
    added: Vec<String>,
    removed: Vec<String>,
}

/// A collection modelled anew, for [`Builder::finish`] to render and keep.
struct Finish {
    collection: Arc<Collection>,
    bodies: Arc<Bodies>,
    warnings: Vec<Diagnostic>,
    /// Content paths of the files that changed: their pages are rendered at once.
    changed: HashSet<String>,
    /// The first build renders every page and writes the index.
    first: bool,
    index_files: Vec<OutputFile>,
    search: SearchAssets,
    /// The bodies memo of a full build, to keep once it is served.
    memo: Option<bodies::Memo>,
}

/// What the last builds read and made.
pub struct Builder {
    root: PathBuf,
    drafts: bool,
    config: Option<config::Config>,
    /// Markdown files under `content/` by path relative to it, as last read.
    files: BTreeMap<String, Result<SourceFile, Vec<Diagnostic>>>,
    dirs: Vec<String>,
    assets: Vec<Asset>,
    /// Problems of the walk itself (symlink loops, unreadable folders).
    walk_problems: Vec<Diagnostic>,
    theme: Option<Arc<render::Theme>>,
    /// Bodies of the last full build, reused by the next one where their inputs match.
    bodies: bodies::Memo,
    /// The last good build, which edits are applied to; `None` after a failure.
    current: Option<Current>,
    /// The search index the served search page names.
    search: SearchAssets,
}

/// The served build's collection and what its pages were rendered from.
struct Current {
    collection: Arc<Collection>,
    bodies: Arc<Bodies>,
    warnings: Vec<Diagnostic>,
    cells: Arc<Cells>,
    site: tera::Value,
    /// Output paths of the files made from the collection (not copied): a theme's
    /// static file of the same path is not served.
    generated: HashSet<String>,
}

impl Builder {
    pub fn new(root: PathBuf, drafts: bool) -> Builder {
        Builder {
            root,
            drafts,
            config: None,
            files: BTreeMap::new(),
            dirs: Vec::new(),
            assets: Vec::new(),
            walk_problems: Vec::new(),
            theme: None,
            bodies: bodies::Memo::default(),
            current: None,
            search: SearchAssets::default(),
        }
    }

    /// Forgets everything, so the next rebuild reads the whole collection again.
    pub fn reset(&mut self) {
        let search = std::mem::take(&mut self.search);
        *self = Builder::new(self.root.clone(), self.drafts);
        // The served search page still names this index.
        self.search = search;
    }

    pub fn rebuild(&mut self, changes: &Changes) -> Outcome {
        let mut timings = Timings::start();
        let full = changes.config || self.config.is_none() || changes.templates || changes.statics;
        if changes.config || self.config.is_none() {
            // A new config can change every page: start from nothing.
            self.reset();
            let options = BuildOptions {
                root: self.root.clone(),
                output: None,
                base_url: None,
                drafts: self.drafts,
            };
            match crate::load_config(&options) {
                Ok(config) => self.config = Some(config),
                Err(problems) => return Outcome::Failed(problems),
            }
            self.walk();
        } else if !changes.content.is_empty() {
            let update = self.update_content(&changes.content);
            timings.mark("read");
            if let Some(update) = update
                && !full
            {
                let sections = update.reread.iter().any(|rel| rel.ends_with("_index.md"));
                let outcome = if sections && update.reread.len() == 1 {
                    self.apply_section_edit(&update.reread[0], &mut timings)
                } else if update.added.is_empty() && update.removed.is_empty() {
                    self.apply_edits(&update.reread, &mut timings)
                } else {
                    self.apply_additions(&update, &mut timings)
                };
                if let Some(outcome) = outcome {
                    return outcome;
                }
            }
        } else if let Some(outcome) = self.apply_theme_change(changes.statics, &mut timings) {
            return outcome;
        }
        if changes.templates || changes.statics {
            self.theme = None;
        }
        self.full_build(&changes.content, timings)
    }

    /// Applies edits of existing entry files to the current build and renders only
    /// the pages they affect. `None` when the edit needs a full build.
    fn apply_edits(&mut self, rels: &[String], timings: &mut Timings) -> Option<Outcome> {
        let theme = self.theme.as_ref()?;
        if rels.is_empty() {
            // Only content assets changed. They are read when served; serving them
            // anew makes them count as changed, so the tabs reload.
            let current = self.current.as_ref()?;
            let files = self
                .assets
                .iter()
                .map(|a| OutputFile {
                    path: a.rel.clone(),
                    contents: Contents::Copy(a.path.clone()),
                })
                .collect();
            return Some(Outcome::Built(Built {
                files,
                rest: Rest::AllBut(Vec::new()),
                base_path: current.collection.config.base_path.clone(),
                pages: render::pages(&current.collection, &current.cells).len(),
                pages_rendered: 0,
                warnings: current.warnings.clone(),
                timings: timings.take(),
                index: None,
                later: None,
                catalogue: None,
            }));
        }
        let mut sources = Vec::with_capacity(rels.len());
        for rel in rels {
            // A file that cannot be read or parsed: the full build reports it.
            sources.push(self.files.get(rel)?.as_ref().ok()?.clone());
        }
        let changed_paths: Vec<PathBuf> = sources.iter().map(|f| f.source.path.clone()).collect();
        let replacements = model::update::reread(&self.current.as_ref()?.collection, sources)?;
        // From here on the current build is changed: if anything fails, it is dropped
        // and the next rebuild is a full one.
        let mut current = self.current.take()?;
        let ids: Vec<usize> = replacements.iter().map(|r| r.id).collect();
        let glossary = replacements
            .iter()
            .any(|r| r.entry.kind == model::EntryKind::Glossary);
        let before = affected::before(&current.collection, &replacements);
        timings.mark("model");
        // Copies only if the indexer still holds them (it is still writing the last index).
        let collection = Arc::make_mut(&mut current.collection);
        let bodies = Arc::make_mut(&mut current.bodies);
        timings.mark("copy");
        let old_phrases = glossary.then(|| bodies::phrases(collection));
        let problems = model::update::apply(collection, replacements);
        for &id in &ids {
            bodies.entries[id] = bodies::entry(collection, id);
        }
        // A glossary term's phrases are autolinked in other bodies.
        let (relinked, relinked_sections) = match &old_phrases {
            Some(old) => bodies::rerender_for_glossary(collection, old, bodies),
            None => (Vec::new(), Vec::new()),
        };
        let link_problems = crate::check::links(collection, bodies);
        timings.mark("markdown");
        if link_problems.iter().any(Diagnostic::is_error) {
            // The full build reports every problem.
            return None;
        }
        current.warnings.retain(|d| {
            d.location
                .as_ref()
                .is_none_or(|l| !changed_paths.contains(&l.path))
        });
        current.warnings.extend(problems);
        // Link problems elsewhere are errors today (which take the full path); any
        // other kept from the last build is still there.
        current
            .warnings
            .extend(link_problems.into_iter().filter(|d| {
                d.location
                    .as_ref()
                    .is_some_and(|l| changed_paths.contains(&l.path))
            }));
        crate::diagnostics::sort(&mut current.warnings);

        let cells = Cells::new(collection);
        let site = render::site_value(collection, theme);
        let mut affected = affected::affected(&before, collection, &current.cells, &cells);
        let all = render::pages(collection, &cells);
        // A body is shown on its own page; a section's on each of its pages.
        affected
            .pages
            .extend(relinked.iter().map(|&id| Page::Entry(id)));
        for &id in &relinked_sections {
            affected.pages.extend(all.iter().filter(|page| match page {
                Page::Section(s, _) => *s == id,
                Page::Home => id == 0,
                _ => false,
            }));
        }
        affected.pages.sort_unstable();
        affected.pages.dedup();
        if site != current.site {
            // Every page shows `site`.
            affected.pages = all.clone();
        }
        timings.mark("affected");
        let mut files = match render::some_pages(
            collection,
            bodies,
            theme,
            &self.search,
            &cells,
            &affected.pages,
            &|_, _| {},
        ) {
            Ok(files) => files,
            Err(problems) => return Some(Outcome::Failed(problems)),
        };
        // The feeds and exports show front matter only; the alias pages are made
        // now (an alias may have been added or moved), the catalogue files once
        // the tabs are told (`Built::catalogue`).
        if before.front_matter {
            files.extend(render::redirects(collection));
        }
        timings.mark("render");
        current.cells = Arc::new(cells);
        current.site = site;
        let built = Built {
            files,
            rest: Rest::AllBut(affected.removed),
            base_path: current.collection.config.base_path.clone(),
            pages: all.len(),
            pages_rendered: affected.pages.len(),
            warnings: current.warnings.clone(),
            timings: timings.take(),
            index: Some(IndexJob {
                collection: current.collection.clone(),
                bodies: current.bodies.clone(),
            }),
            later: None,
            catalogue: before.front_matter.then(|| current.collection.clone()),
        };
        self.current = Some(current);
        Some(Outcome::Built(built))
    }

    /// Loads the theme again after a template or static file changed, and renders only
    /// the pages whose template uses a changed one (every page if `site` changed).
    /// `None` when there is no current build to apply it to.
    fn apply_theme_change(&mut self, statics: bool, timings: &mut Timings) -> Option<Outcome> {
        let current = self.current.as_mut()?;
        let old = self.theme.as_ref()?;
        let collection = &current.collection;
        // On failure the old theme stays: the served pages were made with it, and the
        // next change is compared with it.
        let theme = match crate::load_theme(&self.root, collection) {
            Ok(theme) => theme,
            Err(problems) => return Some(Outcome::Failed(problems)),
        };
        let names: BTreeSet<&String> = old.sources.keys().chain(theme.sources.keys()).collect();
        let changed: BTreeSet<String> = names
            .into_iter()
            .filter(|name| old.sources.get(*name) != theme.sources.get(*name))
            .cloned()
            .collect();
        let users = users_of(&theme.sources, changed);
        let site = render::site_value(collection, &theme);
        let all = render::pages(collection, &current.cells);
        let total = all.len();
        let pages: Vec<Page> = if site != current.site {
            all
        } else {
            all.into_iter()
                .filter(|&page| users.contains(render::template_of(collection, page)))
                .collect()
        };
        timings.mark("theme");
        let mut files = match render::some_pages(
            collection,
            &current.bodies,
            &theme,
            &self.search,
            &current.cells,
            &pages,
            &|_, _| {},
        ) {
            Ok(files) => files,
            Err(problems) => return Some(Outcome::Failed(problems)),
        };
        let mut removed = Vec::new();
        if statics {
            let served = |file: &&OutputFile| !current.generated.contains(&file.path);
            let now: HashSet<&str> = theme.statics.iter().map(|f| f.path.as_str()).collect();
            removed = old
                .statics
                .iter()
                .filter(served)
                .filter(|f| !now.contains(f.path.as_str()))
                .map(|f| f.path.clone())
                .collect();
            files.extend(theme.statics.iter().filter(served).cloned());
        }
        timings.mark("render");
        current.site = site;
        let built = Built {
            files,
            rest: Rest::AllBut(removed),
            base_path: collection.config.base_path.clone(),
            pages: total,
            pages_rendered: pages.len(),
            warnings: current.warnings.clone(),
            timings: timings.take(),
            index: None,
            later: None,
            catalogue: None,
        };
        self.theme = Some(Arc::new(theme));
        Some(Outcome::Built(built))
    }

    /// Models, checks and renders the whole collection from the files as last read.
    fn full_build(&mut self, changed: &[PathBuf], mut timings: Timings) -> Outcome {
        self.current = None;
        let Some(config) = self.config.clone() else {
            return Outcome::Failed(Vec::new());
        };
        let (loaded, bodies) =
            crate::assemble(config, self.content(), self.drafts, Some(&self.bodies));
        timings.mark("assemble");
        if loaded.has_errors() {
            return Outcome::Failed(loaded.diagnostics);
        }
        if self.theme.is_none() {
            match crate::load_theme(&self.root, &loaded.collection) {
                Ok(theme) => self.theme = Some(Arc::new(theme)),
                Err(problems) => return Outcome::Failed(problems),
            }
        }
        // The first build writes the index before serving, so the search works from the
        // start; later ones leave it to the background and keep the old one meanwhile.
        let first = self.search.index_path.is_none();
        let mut index_files = Vec::new();
        let mut search = self.search.clone();
        if first {
            match crate::search::index(&loaded.collection, &loaded.bodies) {
                Ok((files, assets)) => {
                    index_files = files;
                    search = assets;
                }
                Err(problem) => return Outcome::Failed(vec![problem]),
            }
        }
        let content_dir = self.root.join("content");
        let rels: HashSet<String> = changed
            .iter()
            .map(|path| content::relative(&content_dir, path))
            .collect();
        let crate::Loaded {
            collection,
            bodies: rendered,
            diagnostics,
            timings: stages,
            ..
        } = loaded;
        let finished = Finish {
            collection: Arc::new(collection),
            bodies: Arc::new(rendered),
            warnings: diagnostics,
            changed: rels,
            first,
            index_files,
            search,
            memo: Some(bodies.unwrap_or_default()),
        };
        let mut outcome = self.finish(finished, &mut timings);
        if let Outcome::Built(built) = &mut outcome {
            built.timings.extend(stages);
        }
        outcome
    }

    /// Renders home, the 404 page and the changed files' pages of a build whose
    /// collection was modelled anew (the first build: every page), leaves the rest
    /// to later, and makes it the current build.
    fn finish(&mut self, build: Finish, timings: &mut Timings) -> Outcome {
        let Finish {
            collection,
            bodies,
            warnings,
            changed,
            first,
            index_files,
            search,
            memo,
        } = build;
        let Some(theme) = self.theme.clone() else {
            return Outcome::Failed(Vec::new());
        };
        let cells = Cells::new(&collection);
        let all = render::pages(&collection, &cells);
        let page_count = all.len();
        let (now, later): (Vec<Page>, Vec<Page>) = if first {
            (all, Vec::new())
        } else {
            // Home and the changed files' pages at once, so that a template failing
            // on what changed is reported like any other problem of the build.
            let changed: HashSet<usize> = collection
                .entries
                .iter()
                .enumerate()
                .filter(|(_, e)| changed.contains(&e.file.rel))
                .map(|(id, _)| id)
                .collect();
            all.into_iter().partition(|page| match page {
                Page::Home | Page::NotFound => true,
                Page::Entry(id) => changed.contains(id),
                _ => false,
            })
        };
        let mut files = match render::some_pages(
            &collection,
            &bodies,
            &theme,
            &search,
            &cells,
            &now,
            &|_, _| {},
        ) {
            Ok(files) => files,
            Err(problems) => return Outcome::Failed(problems),
        };
        let later: Vec<(String, Page)> = later
            .into_iter()
            .map(|page| (render::page_file(&collection, page), page))
            .collect();
        // Stand-ins, so that paths are checked as the full build checks them. The
        // catalogue files of a rebuild are made after the reload, as after an edit.
        let deferred_catalogue: &[&str] = if first { &[] } else { &render::CATALOGUE };
        files.extend(
            later
                .iter()
                .map(|(path, _)| path.as_str())
                .chain(deferred_catalogue.iter().copied())
                .map(|path| OutputFile::text(path, String::new())),
        );
        if first {
            files.extend(render::feeds(&collection));
        } else {
            files.extend(render::redirects(&collection));
        }
        files.extend(theme.statics.iter().cloned());
        files.extend(index_files);
        files.extend(self.assets.iter().map(|a| OutputFile {
            path: a.rel.clone(),
            contents: Contents::Copy(a.path.clone()),
        }));
        let mut files = match crate::check_file_paths(files) {
            Ok(files) => files,
            Err(problems) => return Outcome::Failed(problems),
        };
        timings.mark("render");
        // Only a build that will be served may become the reference for the next one.
        if let Some(memo) = memo {
            self.bodies = memo;
        }
        self.search = search;
        let site = render::site_value(&collection, &theme);
        let generated = files
            .iter()
            .filter(|f| matches!(f.contents, Contents::Bytes(_)))
            .map(|f| f.path.clone())
            .collect();
        let later_paths: HashSet<&str> = later
            .iter()
            .map(|(path, _)| path.as_str())
            .chain(deferred_catalogue.iter().copied())
            .collect();
        files.retain(|f| !later_paths.contains(f.path.as_str()));
        let current = Current {
            collection,
            bodies,
            warnings,
            cells: Arc::new(cells),
            site,
            generated,
        };
        let deferred = Arc::new(Deferred {
            collection: current.collection.clone(),
            bodies: current.bodies.clone(),
            theme: theme.clone(),
            search: self.search.clone(),
            cells: current.cells.clone(),
        });
        // The index's files, and the last catalogue until the new one is made.
        let kept = self
            .search
            .index_path
            .iter()
            .cloned()
            .chain(deferred_catalogue.iter().map(|path| path.to_string()))
            .collect();
        let built = Built {
            files,
            rest: Rest::Only(kept),
            base_path: current.collection.config.base_path.clone(),
            pages: page_count,
            pages_rendered: page_count - later.len(),
            warnings: current.warnings.clone(),
            timings: timings.take(),
            index: (!first).then(|| IndexJob {
                collection: current.collection.clone(),
                bodies: current.bodies.clone(),
            }),
            later: (!later.is_empty()).then_some(LaterPages {
                pages: later,
                from: deferred,
            }),
            catalogue: (!first).then(|| current.collection.clone()),
        };
        self.current = Some(current);
        Outcome::Built(built)
    }

    /// A background index is written: the search page to serve with it, if the build
    /// it was made from is still the current one (the caller checks it is the latest).
    pub fn index_written(&mut self, search: SearchAssets) -> Option<OutputFile> {
        let current = self.current.as_ref()?;
        let theme = self.theme.as_ref()?;
        let page = render::some_pages(
            &current.collection,
            &current.bodies,
            theme,
            &search,
            &current.cells,
            &[Page::Search],
            &|_, _| {},
        )
        .ok()?
        .pop()?;
        self.search = search;
        Some(page)
    }

    /// The index file the search page names now.
    pub fn index_path(&self) -> Option<&str> {
        self.search.index_path.as_deref()
    }

    /// Reads the whole of `content/`.
    fn walk(&mut self) {
        let content = content::load(&self.root);
        self.files.clear();
        for file in content.files {
            self.files.insert(file.rel.clone(), Ok(file));
        }
        // File problems belong to their file, so that re-reading it clears them.
        self.walk_problems.clear();
        for problem in content.diagnostics {
            match problem
                .location
                .as_ref()
                .and_then(|l| markdown_rel(&l.path))
            {
                Some(rel) => match self.files.entry(rel) {
                    std::collections::btree_map::Entry::Occupied(mut e) => {
                        if let Err(list) = e.get_mut() {
                            list.push(problem);
                        } else {
                            self.walk_problems.push(problem);
                        }
                    }
                    std::collections::btree_map::Entry::Vacant(e) => {
                        e.insert(Err(vec![problem]));
                    }
                },
                None => self.walk_problems.push(problem),
            }
        }
        self.dirs = content.dirs;
        self.assets = content.assets;
    }

    /// Re-reads changed Markdown files, reads new ones and forgets removed ones; walks
    /// the folder again when anything else came or went (a folder, an asset). Gives
    /// the content paths of each, or `None` when the folder was walked again.
    fn update_content(&mut self, paths: &[PathBuf]) -> Option<ContentUpdate> {
        let content_dir = self.root.join("content");
        let mut update = ContentUpdate::default();
        let mut reread = Vec::new();
        for path in paths {
            let rel = content::relative(&content_dir, path);
            let known = self.files.contains_key(&rel);
            let is_file = path.is_file();
            let is_markdown = rel.ends_with(".md");
            let dir = rel.rsplit_once('/').map_or("", |(dir, _)| dir);
            let known_dir = dir.is_empty() || self.dirs.iter().any(|d| d == dir);
            if update.added.contains(&rel) || update.removed.contains(&rel) {
                // Another event of a file seen in this batch.
                if is_file != update.added.contains(&rel) {
                    self.walk();
                    return None;
                }
            } else if is_markdown && known && is_file {
                if !reread.iter().any(|(r, _)| *r == rel) {
                    reread.push((rel, path.clone()));
                }
            } else if is_markdown && !known && is_file && known_dir {
                self.files
                    .insert(rel.clone(), content::read_markdown(&rel, path));
                update.added.push(rel);
            } else if is_markdown && known && !path.exists() {
                self.files.remove(&rel);
                update.removed.push(rel);
            } else if !is_markdown && is_file && self.assets.iter().any(|a| a.path == *path) {
                // An asset's bytes are read when served: nothing to do.
            } else if path.is_dir() && (rel.is_empty() || self.dirs.contains(&rel)) {
                // A known folder whose listing changed: its files have their own events.
            } else {
                // Something came or went (or a folder changed): the walk decides.
                self.walk();
                return None;
            }
        }
        for (rel, path) in reread {
            let result = content::read_markdown(&rel, &path);
            self.files.insert(rel.clone(), result);
            update.reread.push(rel);
        }
        Some(update)
    }

    /// Applies an edit of a section's `_index.md` (its title, description or body) to
    /// the current build: the section's text swapped in (`model::update`), its body
    /// rendered, and home rendered, the rest left to later as after a full build,
    /// since the section's title shows in the menu of every page. `None` when the edit
    /// needs a full build (then the current build is dropped).
    fn apply_section_edit(&mut self, rel: &str, timings: &mut Timings) -> Option<Outcome> {
        let file = self.files.get(rel)?.as_ref().ok()?.clone();
        let path = file.source.path.clone();
        self.theme.as_ref()?;
        let mut current = self.current.take()?;
        let collection = Arc::make_mut(&mut current.collection);
        let bodies = Arc::make_mut(&mut current.bodies);
        timings.mark("copy");
        let (id, problems) = model::update::reread_section(collection, file)?;
        bodies.sections[id] = bodies::section(collection, id);
        let link_problems = crate::check::links(collection, bodies);
        timings.mark("markdown");
        if link_problems.iter().any(Diagnostic::is_error) {
            return None;
        }
        let mut warnings = std::mem::take(&mut current.warnings);
        warnings.retain(|d| d.location.as_ref().is_none_or(|l| l.path != path));
        warnings.extend(problems);
        warnings.extend(
            link_problems
                .into_iter()
                .filter(|d| d.location.as_ref().is_some_and(|l| l.path == path)),
        );
        crate::diagnostics::sort(&mut warnings);
        let finished = Finish {
            collection: current.collection,
            bodies: current.bodies,
            warnings,
            changed: HashSet::new(),
            first: false,
            index_files: Vec::new(),
            search: self.search.clone(),
            memo: None,
        };
        Some(self.finish(finished, timings))
    }

    /// Applies files added and removed (with nothing else changed) to the current
    /// build: their entries inserted into or taken out of the collection
    /// (`model::update`), new bodies rendered, and home and the new pages rendered,
    /// the rest left to later as after a full build. `None` when the change needs a
    /// full build (then the current build is dropped).
    fn apply_additions(
        &mut self,
        update: &ContentUpdate,
        timings: &mut Timings,
    ) -> Option<Outcome> {
        if !update.reread.is_empty() || self.theme.is_none() {
            return None;
        }
        let mut added_files = Vec::with_capacity(update.added.len());
        for rel in &update.added {
            // A file that cannot be read or parsed: the full build reports it.
            added_files.push(self.files.get(rel)?.as_ref().ok()?.clone());
        }
        // From here on the current build is changed: if anything fails, it is dropped
        // and the next rebuild is a full one.
        let mut current = self.current.take()?;
        let collection = Arc::make_mut(&mut current.collection);
        let bodies = Arc::make_mut(&mut current.bodies);
        timings.mark("copy");
        let mut gone = Vec::new();
        for rel in &update.removed {
            if let Some(Target::Entry(id)) = collection.targets.get(rel.as_str()) {
                gone.push(collection.entries[*id].file.source.path.clone());
            }
            let id = model::update::remove(collection, rel)?;
            bodies.entries.remove(id);
        }
        let mut added: Vec<usize> = Vec::new();
        let mut problems = Vec::new();
        for file in added_files {
            gone.push(file.source.path.clone());
            let (id, mut read) = model::update::add(collection, file, self.drafts)?;
            for other in &mut added {
                if *other >= id {
                    *other += 1;
                }
            }
            added.push(id);
            problems.append(&mut read);
            bodies.entries.insert(id, bodies::entry(collection, id));
        }
        timings.mark("model");
        // A body linking to a new file would have failed the last build; its page
        // would change now. The full build sorts that out.
        let links_to_new = |rendered: &crate::markdown::Rendered| {
            rendered.links.iter().any(|link| {
                matches!(&link.kind, crate::markdown::LinkKind::Internal { path, .. }
                    if update.added.iter().any(|rel| rel == path.trim_start_matches('/')))
            })
        };
        let others = bodies
            .entries
            .iter()
            .enumerate()
            .filter(|(id, _)| !added.contains(id))
            .map(|(_, b)| b)
            .chain(bodies.sections.iter().flatten());
        if others.clone().any(links_to_new) {
            return None;
        }
        // New entries may link to each other.
        if added.len() > 1 {
            for &id in &added {
                bodies.entries[id] = bodies::entry(collection, id);
            }
        }
        let link_problems = crate::check::links(collection, bodies);
        timings.mark("markdown");
        if link_problems.iter().any(Diagnostic::is_error) {
            return None;
        }
        let (entry_warnings, codes) = model::update::entry_warnings(collection);
        let mut warnings = std::mem::take(&mut current.warnings);
        warnings.retain(|d| {
            !codes.contains(&d.code) && d.location.as_ref().is_none_or(|l| !gone.contains(&l.path))
        });
        warnings.extend(problems);
        warnings.extend(entry_warnings);
        warnings.extend(
            link_problems
                .into_iter()
                .filter(|d| d.location.as_ref().is_some_and(|l| gone.contains(&l.path))),
        );
        crate::diagnostics::sort(&mut warnings);
        let finished = Finish {
            collection: current.collection,
            bodies: current.bodies,
            warnings,
            changed: update.added.iter().cloned().collect(),
            first: false,
            index_files: Vec::new(),
            search: self.search.clone(),
            memo: None,
        };
        Some(self.finish(finished, timings))
    }

    /// The content as the pipeline expects it, from what is cached.
    fn content(&self) -> content::Content {
        let mut files = Vec::with_capacity(self.files.len());
        let mut diagnostics = self.walk_problems.clone();
        for result in self.files.values() {
            match result {
                Ok(file) => files.push(file.clone()),
                Err(problems) => diagnostics.extend(problems.iter().cloned()),
            }
        }
        content::Content {
            files,
            assets: self.assets.clone(),
            dirs: self.dirs.clone(),
            diagnostics,
        }
    }
}

/// The templates that use one of `changed` (by extending, including or importing it,
/// which name it in quotes), directly or through others, and those themselves.
fn users_of(sources: &BTreeMap<String, String>, changed: BTreeSet<String>) -> BTreeSet<String> {
    // An include of a name held in a variable could be any template.
    let dynamic = sources.values().any(|text| {
        ["{% include ", "{%- include "].iter().any(|tag| {
            text.match_indices(tag)
                .any(|(at, _)| !text[at + tag.len()..].starts_with(['"', '\'']))
        })
    });
    if dynamic {
        return sources.keys().cloned().collect();
    }
    let mut users = changed;
    loop {
        let more: Vec<String> = sources
            .iter()
            .filter(|(name, _)| !users.contains(*name))
            .filter(|(_, text)| {
                users.iter().any(|used| {
                    text.contains(&format!("\"{used}\"")) || text.contains(&format!("'{used}'"))
                })
            })
            .map(|(name, _)| name.clone())
            .collect();
        if more.is_empty() {
            return users;
        }
        users.extend(more);
    }
}

/// How long each step of a rebuild took.
struct Timings {
    lap: Instant,
    steps: Vec<(&'static str, Duration)>,
}

impl Timings {
    fn start() -> Timings {
        Timings {
            lap: Instant::now(),
            steps: Vec::new(),
        }
    }

    fn mark(&mut self, step: &'static str) {
        self.steps.push((step, self.lap.elapsed()));
        self.lap = Instant::now();
    }

    fn take(&mut self) -> Vec<(&'static str, Duration)> {
        std::mem::take(&mut self.steps)
    }
}

/// `content/a/b.md` → `a/b.md`; other paths → `None`.
fn markdown_rel(path: &Path) -> Option<String> {
    let rel = path.strip_prefix("content").ok()?;
    let rel = content::relative(Path::new(""), rel);
    rel.ends_with(".md").then_some(rel)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sources(list: &[(&str, &str)]) -> BTreeMap<String, String> {
        list.iter()
            .map(|(name, text)| (name.to_string(), text.to_string()))
            .collect()
    }

    #[test]
    fn a_template_is_used_by_what_extends_or_includes_it() {
        let theme = sources(&[
            ("base.html", "{% include \"partials/nav.html\" %}"),
            ("partials/nav.html", "<nav></nav>"),
            ("partials/card.html", "<article></article>"),
            (
                "section.html",
                "{% extends \"base.html\" %}{% include 'partials/card.html' %}",
            ),
            ("resource.html", "{% extends \"base.html\" %}"),
        ]);
        let changed = |name: &str| BTreeSet::from([name.to_string()]);
        let names = |set: BTreeSet<String>| set.into_iter().collect::<Vec<_>>();
        assert_eq!(
            names(users_of(&theme, changed("partials/card.html"))),
            ["partials/card.html", "section.html"]
        );
        assert_eq!(
            names(users_of(&theme, changed("partials/nav.html"))),
            [
                "base.html",
                "partials/nav.html",
                "resource.html",
                "section.html"
            ]
        );
        let mut dynamic = theme.clone();
        dynamic.insert("page.html".into(), "{% include which %}".into());
        assert_eq!(users_of(&dynamic, changed("resource.html")).len(), 6);
    }
}
