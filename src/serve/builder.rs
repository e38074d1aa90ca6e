//! Rebuilds for the server: the [`Builder`] keeps the files it read ([`Mirror`]),
//! the theme and the current build (a [`Site`] and the warnings it had), and for
//! each change does as little as gives the same site as a full build. Every file is
//! made by the pipeline's own steps into a memory sink, under the same path rules
//! as `almanac build`. Which steps an edit needs is in [`super::incremental`];
//! everything else takes [`Builder::full_build`]:
//!
//! the whole collection modelled again from the files as read, reusing the bodies
//! that cannot see the change. Then (and after the incremental changes that move
//! entries) only home, the 404 page and the changed files' pages are rendered at
//! once; every other page is rendered from this build when first asked for
//! ([`LaterPages`], `super::site::Later`), since nearly every page may show the
//! change (the footer counts the resources) and rendering them all takes seconds at
//! 10k resources. The first build renders every page.
//!
//! A failed build drops the current one, so the next change takes the full path.

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::mirror::{Changes, Mirror};
use crate::bodies::{self, Bodies};
use crate::config::Config;
use crate::diagnostics::{AsDiagnostics, Diagnostic};
use crate::model::Collection;
use crate::output::{Contents, Memory, OutputFile, Sink};
use crate::pipeline::{self, BuildOptions, Site};
use crate::render::{self, Page, Progress, SearchAssets, Theme};

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
    /// Pages left to render when asked for, by language.
    pub later: Vec<LaterPages>,
    /// The collection whose catalogue files (feed, sitemap, robots.txt, JSON,
    /// CSV) are still to be made: after the tabs are told, as each goes over
    /// every resource (60 ms of a title edit at 10k, thrice the pages' time).
    pub catalogue: Option<Vec<Arc<Collection>>>,
}

impl Built {
    /// A build of `current` that made `files`, rendering `rendered` of its `pages`.
    pub(super) fn of(
        current: &Current,
        files: Vec<OutputFile>,
        rest: Rest,
        (pages, rendered): (usize, usize),
        timings: &mut Timings,
    ) -> Built {
        Built {
            files,
            rest,
            base_path: current.site.collection.config.base_path.clone(),
            pages,
            pages_rendered: rendered,
            warnings: current.warnings.clone(),
            timings: timings.take(),
            index: None,
            later: Vec::new(),
            catalogue: None,
        }
    }

    /// The background index job for `current`'s collection.
    pub(super) fn indexed(mut self, current: &Current) -> Built {
        self.index = Some(IndexJob {
            collection: current.site.collection.clone(),
            bodies: current.site.bodies.clone(),
        });
        self
    }
}

/// Pages left to render when asked for: their output paths, and the build they
/// are rendered from.
pub struct LaterPages {
    pub pages: Vec<(String, Page)>,
    pub from: Arc<Site>,
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

/// What the last builds read and made.
pub struct Builder {
    pub(super) options: BuildOptions,
    pub(super) config: Option<Config>,
    pub(super) mirror: Mirror,
    pub(super) theme: Option<Arc<Theme>>,
    /// Bodies of the last full build, reused by the next one where their inputs match.
    pub(super) memo: bodies::Memo,
    /// The last good build, which edits are applied to; `None` after a failure.
    pub(super) current: Option<Current>,
    /// The search index the served search page names.
    pub(super) search: SearchAssets,
    /// The citation style of the config, read once (its locales take a while).
    pub(super) citer: Option<Arc<render::Citer>>,
}

/// The served build and what its pages were rendered with.
pub(super) struct Current {
    /// The default language's site.
    pub site: Site,
    /// Each other language's site. A collection in several languages is built in
    /// full on every change (its indexes too), with pages left to later as usual.
    pub others: Vec<Site>,
    pub warnings: Vec<Diagnostic>,
    /// `site.*` of the served pages: when it changes, every page may.
    pub site_value: tera::Value,
    /// Output paths of the files made from the collection (not copied): a theme's
    /// static file of the same path is not served.
    pub generated: HashSet<String>,
}

/// A collection modelled anew, for [`Builder::finish`] to render and keep.
pub(super) struct Finish {
    /// The collection in each language, the default first, with its bodies.
    pub editions: Vec<(Arc<Collection>, Arc<Bodies>)>,
    pub warnings: Vec<Diagnostic>,
    /// Content paths of the files that changed: their pages are rendered at once.
    pub changed: HashSet<String>,
    /// The first build renders every page and writes the index.
    pub first: bool,
    /// Each language's index written by this build (by the first, or for a
    /// collection in several languages); otherwise the background writes it.
    pub indexes: Vec<crate::search::Index>,
    /// The bodies memo of a full build, to keep once it is served.
    pub memo: Option<bodies::Memo>,
}

impl Builder {
    pub fn new(root: PathBuf, drafts: bool) -> Builder {
        Builder {
            options: BuildOptions {
                root,
                drafts,
                ..BuildOptions::default()
            },
            config: None,
            mirror: Mirror::default(),
            theme: None,
            memo: bodies::Memo::default(),
            current: None,
            search: SearchAssets::default(),
            citer: None,
        }
    }

    /// Forgets everything, so the next rebuild reads the whole collection again.
    pub fn reset(&mut self) {
        let search = std::mem::take(&mut self.search);
        *self = Builder::new(self.options.root.clone(), self.options.drafts);
        // The served search page still names this index.
        self.search = search;
    }

    pub fn rebuild(&mut self, changes: &Changes) -> Outcome {
        let mut timings = Timings::start();
        let full = changes.config || self.config.is_none() || changes.templates || changes.statics;
        if changes.config || self.config.is_none() {
            // A new config can change every page: start from nothing.
            self.reset();
            match pipeline::load_config(&self.options) {
                Ok(config) => self.config = Some(config),
                Err(error) => return Outcome::Failed(error.diagnostics()),
            }
            self.mirror.walk(&self.options.root);
        } else if !changes.content.is_empty() {
            let update = self.mirror.update(&self.options.root, &changes.content);
            timings.mark("read");
            if let Some(update) = update
                && !full
                && let Some(outcome) = self.apply_content(&update, &mut timings)
            {
                return outcome;
            }
        } else if let Some(outcome) = self.apply_theme_change(changes.statics, &mut timings) {
            return outcome;
        }
        if changes.templates || changes.statics {
            self.theme = None;
        }
        self.full_build(&changes.content, timings)
    }

    /// A background index is written: the search page to serve with it, if the build
    /// it was made from is still the current one (the caller checks it is the latest).
    pub fn index_written(&mut self, search: SearchAssets) -> Option<OutputFile> {
        let current = self.current.as_mut()?;
        let mut site = current.site.clone();
        site.search = search.clone();
        let sink = Memory::new();
        site.render(&[Page::Search], &sink, &Progress::quiet())
            .ok()?;
        current.site.search = search.clone();
        self.search = search;
        sink.into_files().ok()?.pop()
    }

    /// The index file the search page names now.
    pub fn index_path(&self) -> Option<&str> {
        self.search.index_path.as_deref()
    }

    /// Models, checks and renders the whole collection from the files as last read.
    fn full_build(&mut self, changed: &[PathBuf], mut timings: Timings) -> Outcome {
        self.current = None;
        let Some(config) = self.config.clone() else {
            return Outcome::Failed(Vec::new());
        };
        let mut content = self.mirror.content();
        // Read again on each full build, so a renamed hidden file's warning goes.
        content.read_statics(&self.options.root);
        content.theme_files = pipeline::theme_files(&self.options.root, &config);
        if config.languages.len() > 1 {
            content.history = crate::content::history::read(&self.options.root);
        }
        // Read on each full build: `check --external` in another terminal updates it.
        match crate::content::links::read(&self.options.root) {
            Ok(links) => content.links = links,
            Err(problem) => content.diagnostics.push(problem),
        }
        let (loaded, memo) =
            pipeline::assemble(config, content, self.options.drafts, Some(&self.memo));
        timings.mark("assemble");
        if loaded.has_errors() {
            return Outcome::Failed(loaded.diagnostics);
        }
        if self.theme.is_none() {
            match pipeline::load_theme(&self.options.root, &loaded.collection.config) {
                Ok(theme) => self.theme = Some(Arc::new(theme)),
                Err(error) => return Outcome::Failed(error.diagnostics()),
            }
        }
        // The first build writes the index before serving, so the search works from the
        // start; later ones leave it to the background and keep the old one meanwhile.
        // The background writes one index: a collection in several languages has each
        // language's written here.
        let first = self.search.index_path.is_none();
        let editions: Vec<(&Collection, &Bodies)> =
            std::iter::once((&loaded.collection, &loaded.bodies))
                .chain(loaded.translations.iter().map(|(c, b)| (c, b)))
                .collect();
        let mut indexes = Vec::new();
        if first || editions.len() > 1 {
            for (collection, bodies) in editions {
                match crate::search::index(collection, bodies) {
                    Ok(index) => indexes.push(index),
                    Err(error) => return Outcome::Failed(error.diagnostics()),
                }
            }
        }
        let content_dir = self.options.root.join("content");
        let changed: HashSet<String> = changed
            .iter()
            .map(|path| crate::content::relative(&content_dir, path))
            .collect();
        let pipeline::Loaded {
            collection,
            bodies,
            translations,
            diagnostics,
            timings: stages,
            ..
        } = loaded;
        let editions = std::iter::once((collection, bodies))
            .chain(translations)
            .map(|(c, b)| (Arc::new(c), Arc::new(b)))
            .collect();
        let finished = Finish {
            editions,
            warnings: diagnostics,
            changed,
            first,
            indexes,
            memo: Some(memo.unwrap_or_default()),
        };
        let mut outcome = self.finish(finished, &mut timings);
        if let Outcome::Built(built) = &mut outcome {
            built.timings.extend(stages);
        }
        outcome
    }

    /// Renders home, the 404 page and the changed files' pages of a build whose
    /// collection was modelled anew (the first build: every page), in every
    /// language, leaves the rest to later, and makes it the current build.
    pub(super) fn finish(&mut self, build: Finish, timings: &mut Timings) -> Outcome {
        let Finish {
            editions,
            warnings,
            changed,
            first,
            indexes,
            memo,
        } = build;
        let Some(theme) = self.theme.clone() else {
            return Outcome::Failed(Vec::new());
        };
        let mut index_files = Vec::new();
        let mut searches = Vec::new();
        for index in indexes {
            searches.push(SearchAssets {
                index_path: Some(index.path),
                ..SearchAssets::default()
            });
            index_files.extend(index.files);
        }
        if let Some(search) = searches.first() {
            self.search = search.clone();
        }
        if self.citer.is_none() {
            let style = &editions[0].0.config.citation.style;
            self.citer = render::Citer::new(style).map(Arc::new);
        }
        let citer = self.citer.clone();
        let mut sites: Vec<Site> = editions
            .into_iter()
            .enumerate()
            .map(|(i, (collection, bodies))| {
                let search = searches.get(i).unwrap_or(&self.search).clone();
                Site::new(collection, bodies, theme.clone(), search, citer.clone())
            })
            .collect();
        if sites.len() > 1 {
            let alternates = Arc::new(render::Alternates::new(
                sites
                    .iter()
                    .map(|site| (site.collection.clone(), site.pages())),
            ));
            for site in &mut sites {
                site.alternates = alternates.clone();
            }
        }
        let several = sites.len() > 1;
        let sink = Memory::new();
        let mut page_count = 0;
        let mut later = Vec::new();
        let mut later_paths: Vec<String> = Vec::new();
        // The catalogue files of a rebuild are made after the reload, as after an
        // edit; their paths are claimed now, as are the pages left to later.
        let deferred_catalogue: Vec<String> = if first {
            Vec::new()
        } else {
            let editions: Vec<&Collection> = sites.iter().map(|s| s.collection.as_ref()).collect();
            crate::model::pages::catalogue_files(&editions, true)
        };
        let made = (|| -> Result<(), pipeline::Error> {
            for site in &sites {
                let all = site.pages();
                page_count += all.len();
                let (now, rest): (Vec<Page>, Vec<Page>) = if first {
                    (all, Vec::new())
                } else {
                    // Home and the changed files' pages at once, so that a template
                    // failing on what changed is reported like any other problem.
                    let changed: HashSet<usize> = site
                        .collection
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
                site.render(&now, &sink, &Progress::quiet())?;
                let rest: Vec<(String, Page)> = rest
                    .into_iter()
                    .map(|page| (page.file(&site.collection), page))
                    .collect();
                for (path, _) in &rest {
                    sink.reserve(path)?;
                    later_paths.push(path.clone());
                }
                if !rest.is_empty() {
                    later.push(LaterPages {
                        pages: rest,
                        from: Arc::new(site.clone()),
                    });
                }
                site.redirects(&sink)?;
            }
            for path in &deferred_catalogue {
                sink.reserve(path)?;
            }
            if first {
                sites[0].catalogue(&sink)?;
            }
            for file in index_files {
                sink.put(file)?;
            }
            sites[0].copies(&self.mirror.assets, &sink)?;
            Ok(())
        })();
        let files = match made.and_then(|()| Ok(sink.into_files()?)) {
            Ok(files) => files,
            Err(error) => return Outcome::Failed(error.diagnostics()),
        };
        timings.mark("render");
        // Only a build that will be served may become the reference for the next one.
        if let Some(memo) = memo {
            self.memo = memo;
        }
        let generated = files
            .iter()
            .filter(|f| matches!(f.contents, Contents::Bytes(_)))
            .map(|f| f.path.clone())
            .chain(later_paths.iter().cloned())
            .chain(deferred_catalogue.iter().cloned())
            .collect();
        let mut sites = sites.into_iter();
        let Some(site) = sites.next() else {
            return Outcome::Failed(Vec::new());
        };
        let current = Current {
            site_value: render::site_value(&site.collection, &site.theme),
            site,
            others: sites.collect(),
            warnings,
            generated,
        };
        // The index's files (written in the background after an edit in one
        // language), and the last catalogue until the new one is made.
        let kept = self
            .search
            .index_path
            .iter()
            .filter(|_| !several)
            .cloned()
            .chain(deferred_catalogue.iter().cloned())
            .collect();
        let rendered = page_count - later_paths.len();
        let mut built = Built::of(
            &current,
            files,
            Rest::Only(kept),
            (page_count, rendered),
            timings,
        );
        if !first {
            if !several {
                built = built.indexed(&current);
            }
            built.catalogue = Some(current.site.editions());
        }
        built.later = later;
        self.current = Some(current);
        Outcome::Built(built)
    }
}

/// How long each step of a rebuild took.
pub(super) struct Timings {
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

    pub fn mark(&mut self, step: &'static str) {
        self.steps.push((step, self.lap.elapsed()));
        self.lap = Instant::now();
    }

    fn take(&mut self) -> Vec<(&'static str, Duration)> {
        std::mem::take(&mut self.steps)
    }
}
