//! The pipeline that `build` and `serve` both drive, stage after stage:
//! config → content → model → bodies → check → render | search → output.
//! [`load`] runs the stages up to check; a [`Site`] holds what every file is made
//! from and makes them into a sink (on disk for `build`, in memory for `serve`), so
//! the two make the same files by construction.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::bodies::{self, Bodies};
use crate::config::{self, Config, ConfigError};
use crate::content::{self, Asset};
use crate::diagnostics::{self, AsDiagnostics, Diagnostic, Location};
use crate::model::{self, Collection};
use crate::output::{self, OutputError, Sink};
use crate::render::{
    self, Alternates, Cells, Citer, Page, Progress, RenderError, Renderer, SearchAssets, Theme,
};
use crate::{check, search};

/// What the user asked of a build.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Overrides `output` of `almanac.yaml` (relative to the current directory).
    pub output: Option<PathBuf>,
    pub base_url: Option<String>,
    pub drafts: bool,
}

/// Why a stage stopped. The previous output is untouched in every case.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// Problems in the collection (every one found, sorted by file and line).
    #[error("the collection has problems")]
    Content(Vec<Diagnostic>),
    #[error(transparent)]
    Theme(#[from] ThemeError),
    #[error("the theme's templates failed to render")]
    Templates(Vec<Diagnostic>),
    #[error(transparent)]
    Export(#[from] render::ExportError),
    #[error(transparent)]
    Index(#[from] search::IndexError),
    #[error(transparent)]
    Output(#[from] OutputError),
}

impl From<RenderError<OutputError>> for Error {
    fn from(error: RenderError<OutputError>) -> Error {
        match error {
            RenderError::Templates(problems) => Error::Templates(problems),
            RenderError::Export(error) => Error::Export(error),
            RenderError::Output(error) => Error::Output(error),
        }
    }
}

impl AsDiagnostics for Error {
    fn diagnostics(&self) -> Vec<Diagnostic> {
        match self {
            Error::Config(error) => error.diagnostics(),
            Error::Theme(error) => error.diagnostics(),
            Error::Content(problems) | Error::Templates(problems) => problems.clone(),
            Error::Index(error) => error.diagnostics(),
            Error::Export(error) => vec![Diagnostic::error("export", error.to_string())],
            Error::Output(error) => vec![Diagnostic::error("output", error.to_string())],
        }
    }
}

/// Why the theme could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum ThemeError {
    #[error("the theme `{name}` is not in themes/{name}/")]
    Missing { name: String, location: Location },
    /// Files that could not be read, templates that do not compile, a bad theme.yaml.
    #[error("the theme has problems")]
    Problems(Vec<Diagnostic>),
}

impl AsDiagnostics for ThemeError {
    fn diagnostics(&self) -> Vec<Diagnostic> {
        match self {
            ThemeError::Missing { location, .. } => vec![
                Diagnostic::error("theme", self.to_string())
                    .at(location.clone())
                    .help("put the theme in themes/<name>/, or use `theme: default`"),
            ],
            ThemeError::Problems(problems) => problems.clone(),
        }
    }
}

/// A collection read, modelled, its bodies rendered, and checked.
pub struct Loaded {
    /// The collection in its default language.
    pub collection: Collection,
    pub bodies: Bodies,
    /// The collection in each other language, with its bodies, in the order of
    /// `config.languages`.
    pub translations: Vec<(Collection, Bodies)>,
    pub assets: Vec<Asset>,
    /// Every problem found, sorted by file and line; may hold warnings only.
    pub diagnostics: Vec<Diagnostic>,
    /// Checks that could not be made, said in a sentence each (a collection in
    /// several languages outside git cannot tell an outdated translation).
    pub notes: Vec<String>,
    /// How long each loading stage took.
    pub timings: Vec<(&'static str, Duration)>,
}

impl Loaded {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Reads and validates `almanac.yaml`, with the options' overrides applied.
pub fn load_config(options: &BuildOptions) -> Result<Config, ConfigError> {
    let text = content::read_config(&options.root).map_err(ConfigError::Unreadable)?;
    let mut config = config::parse(text).map_err(ConfigError::Invalid)?;
    if let Some(url) = &options.base_url {
        config.set_base_url(url).map_err(ConfigError::BaseUrl)?;
    }
    Ok(config)
}

/// Reads, models and checks a collection. `Err` only when nothing could be modelled
/// (no or broken config); content problems come back inside `Loaded::diagnostics`.
pub fn load(options: &BuildOptions) -> Result<Loaded, ConfigError> {
    let config = load_config(options)?;
    let started = Instant::now();
    let mut content = content::load(&options.root);
    if config.languages.len() > 1 {
        content.history = content::history::read(&options.root);
    }
    let read = started.elapsed();
    let strings = load_strings(&options.root, &config);
    let (mut loaded, _) = assemble(config, content, options.drafts, None);
    loaded.timings.insert(0, ("read content", read));
    let found = match strings {
        Ok(catalogs) => check::strings(&catalogs, &loaded.collection.config),
        Err(problems) => problems,
    };
    if !found.is_empty() {
        loaded.diagnostics.extend(found);
        diagnostics::sort_unique(&mut loaded.diagnostics);
    }
    Ok(loaded)
}

/// The interface strings the collection's pages are rendered with: the default
/// theme's, a theme folder's and the collection's `i18n/` files, for `check`.
/// Unreadable or malformed files are errors.
pub fn load_strings(
    root: &Path,
    config: &Config,
) -> Result<crate::i18n::Catalogs, Vec<Diagnostic>> {
    let theme = PathBuf::from("themes").join(&config.theme).join("i18n");
    let (theme_files, mut problems) = content::read_strings(&root.join(&theme), &theme);
    let (own_files, mut more) = content::read_strings(&root.join("i18n"), Path::new("i18n"));
    problems.append(&mut more);
    let layers = vec![render::theme::default_strings(), theme_files, own_files];
    let (catalogs, mut more) = crate::i18n::Catalogs::parse(layers);
    problems.append(&mut more);
    if problems.is_empty() {
        Ok(catalogs)
    } else {
        Err(problems)
    }
}

/// Models, renders the bodies of and checks content already read. `serve` keeps the
/// files between rebuilds and passes the bodies it rendered last time (`previous`);
/// it then gets the memo for the next rebuild back.
pub fn assemble(
    config: Config,
    content: content::Content,
    drafts: bool,
    previous: Option<&bodies::Memo>,
) -> (Loaded, Option<bodies::Memo>) {
    let mut timings = Vec::new();
    let mut lap = Instant::now();
    let mut mark = |stage: &'static str| {
        timings.push((stage, lap.elapsed()));
        lap = Instant::now();
    };
    let mut diagnostics = content.diagnostics;
    let options = model::ModelOptions { drafts };
    let mut split = model::translations::split(&config, content.files);
    diagnostics.append(&mut split.problems);
    let (mut collection, mut problems) = model::build(config, split.files, &content.dirs, options);
    let mut links = content.links;
    links.archive_base = Some(collection.config.links.archive.clone());
    collection.links = Arc::new(links);
    diagnostics.append(&mut problems);
    diagnostics.extend(check::entries(&collection.entries));
    mark("model");
    let (bodies, memo) = match previous {
        Some(previous) => {
            let (bodies, memo) = bodies::render_with_memo(&collection, previous);
            (bodies, Some(memo))
        }
        None => (bodies::render(&collection), None),
    };
    mark("markdown");
    diagnostics.extend(check::links(&collection, &bodies));
    mark("check");
    let mut translations = Vec::new();
    for language in &collection.config.languages[1..] {
        let Some(config) = collection.config.for_language(&language.code) else {
            continue;
        };
        let files = split
            .translations
            .remove(&language.code)
            .unwrap_or_default();
        let (translated, mut problems) =
            model::translations::translate(&collection, config, files, options);
        diagnostics.append(&mut problems);
        let bodies = bodies::render_translation(&translated, &bodies);
        diagnostics.extend(check::links(&translated, &bodies));
        translations.push((translated, bodies));
    }
    let editions: Vec<&Collection> = std::iter::once(&collection)
        .chain(translations.iter().map(|(c, _)| c))
        .collect();
    diagnostics.extend(check::output_paths(
        &editions,
        &[
            check::Copies {
                folder: "static",
                files: &content.statics,
            },
            check::Copies {
                folder: "content",
                files: &content.assets,
            },
        ],
    ));
    let mut notes = Vec::new();
    if !translations.is_empty() {
        let translated: Vec<&Collection> = translations.iter().map(|(c, _)| c).collect();
        match &content.history {
            Some(history) => diagnostics.extend(check::outdated_translations(
                &collection,
                &translated,
                history,
            )),
            None => notes.push(
                "not a git checkout: whether translations are older than their sources was not checked"
                    .to_string(),
            ),
        }
        mark("translations");
    }
    diagnostics::sort_unique(&mut diagnostics);
    let loaded = Loaded {
        collection,
        bodies,
        translations,
        notes,
        assets: content.assets,
        diagnostics,
        timings,
    };
    (loaded, memo)
}

/// The theme layers on disk for a collection: `themes/<name>/`, then its own
/// `templates/` and `static/`, over the default theme.
pub fn load_theme(root: &Path, config: &Config) -> Result<Theme, ThemeError> {
    let name = &config.theme;
    let theme_dir = root.join("themes").join(name);
    let mut layers = Vec::new();
    if theme_dir.is_dir() {
        let shown = PathBuf::from("themes").join(name);
        let manifest_path = theme_dir.join("theme.yaml");
        layers.push(render::theme::Layer {
            templates: content::read_templates(
                &theme_dir.join("templates"),
                &shown.join("templates"),
            )
            .map_err(ThemeError::Problems)?,
            statics: content::list_static(&theme_dir.join("static"), &shown.join("static"))
                .map_err(ThemeError::Problems)?,
            strings: strings_or_problems(content::read_strings(
                &theme_dir.join("i18n"),
                &shown.join("i18n"),
            ))?,
            manifest: if manifest_path.is_file() {
                Some(
                    content::read_text(&manifest_path, &shown.join("theme.yaml"))
                        .map_err(|d| ThemeError::Problems(vec![d]))?,
                )
            } else {
                None
            },
        });
    } else if name != "default" {
        return Err(ThemeError::Missing {
            name: name.clone(),
            location: config::locate_theme(config),
        });
    }
    layers.push(render::theme::Layer {
        templates: content::read_templates(&root.join("templates"), Path::new("templates"))
            .map_err(ThemeError::Problems)?,
        statics: content::statics(root).map_err(ThemeError::Problems)?,
        strings: strings_or_problems(content::read_strings(&root.join("i18n"), Path::new("i18n")))?,
        manifest: None,
    });
    render::theme::assemble(&layers, &config.theme_options, &config.base_path)
        .map_err(ThemeError::Problems)
}

/// A layer's strings files, or the problems of the files that could not be read.
fn strings_or_problems(
    (files, problems): (Vec<crate::i18n::StringsFile>, Vec<Diagnostic>),
) -> Result<Vec<crate::i18n::StringsFile>, ThemeError> {
    if problems.is_empty() {
        Ok(files)
    } else {
        Err(ThemeError::Problems(problems))
    }
}

/// What every file of a site is made from: a checked collection, its bodies, its
/// theme and the search index the search page names. Cheap to clone: `serve`
/// keeps one to render pages from when they are first asked for.
#[derive(Clone)]
pub struct Site {
    pub collection: Arc<Collection>,
    pub bodies: Arc<Bodies>,
    pub theme: Arc<Theme>,
    /// The collection's matrix cells: kept with it, as every list page needs them.
    pub cells: Arc<Cells>,
    pub search: SearchAssets,
    /// Every language's pages, for the links between translations.
    pub alternates: Arc<Alternates>,
    /// The citation style the resource pages format their references in.
    pub citer: Option<Arc<Citer>>,
}

impl Site {
    pub fn new(
        collection: Arc<Collection>,
        bodies: Arc<Bodies>,
        theme: Arc<Theme>,
        search: SearchAssets,
        citer: Option<Arc<Citer>>,
    ) -> Site {
        let cells = Arc::new(Cells::new(&collection));
        Site {
            collection,
            bodies,
            theme,
            cells,
            search,
            alternates: Arc::new(Alternates::default()),
            citer,
        }
    }

    /// Every page of the site, in a stable order.
    pub fn pages(&self) -> Vec<Page> {
        crate::model::pages::all(&self.collection, &self.cells)
    }

    pub fn renderer(&self) -> Renderer<'_> {
        Renderer::new(
            &self.collection,
            &self.theme,
            &self.cells,
            &self.alternates,
            &self.search,
            self.citer.as_deref(),
        )
    }

    /// Renders `pages` into `sink`.
    pub fn render(
        &self,
        pages: &[Page],
        sink: &dyn Sink,
        progress: &Progress,
    ) -> Result<(), Error> {
        let put = |file| sink.put(file);
        Ok(self
            .renderer()
            .render(&self.bodies, pages, &put, progress)?)
    }

    /// The collection in each of its languages, the default first (this one alone
    /// when it has one language).
    pub fn editions(&self) -> Vec<Arc<Collection>> {
        let all: Vec<Arc<Collection>> = self.alternates.collections().cloned().collect();
        if all.is_empty() {
            vec![self.collection.clone()]
        } else {
            all
        }
    }

    /// The files that list the whole collection: each language's feed, the sitemap,
    /// robots.txt, JSON, CSV. Made once, by the default language's site.
    pub fn catalogue(&self, sink: &dyn Sink) -> Result<(), Error> {
        let editions = self.editions();
        let editions: Vec<&Collection> = editions.iter().map(|c| c.as_ref()).collect();
        Ok(render::catalogue(&editions, |file| sink.put(file))?)
    }

    /// The redirect pages of the aliases.
    pub fn redirects(&self, sink: &dyn Sink) -> Result<(), OutputError> {
        let strings = self.theme.strings(&self.collection.config.language);
        render::redirects(&self.collection, &strings)
            .into_iter()
            .try_for_each(|file| sink.put(file))
    }

    /// The files published as they are: the theme's static files, then the assets
    /// beside the content. Given after every made file (they give way to those).
    pub fn copies(&self, assets: &[Asset], sink: &dyn Sink) -> Result<(), OutputError> {
        let statics = self.theme.statics.iter().cloned();
        statics
            .chain(assets.iter().map(Asset::output_file))
            .try_for_each(|file| sink.put_copy(file))
    }
}

/// What a finished build did.
#[derive(Debug)]
pub struct BuildReport {
    pub output: PathBuf,
    pub pages: usize,
    pub files: usize,
    pub elapsed: Duration,
    /// How long each stage took, in pipeline order.
    pub timings: Vec<(&'static str, Duration)>,
    pub warnings: Vec<Diagnostic>,
}

/// The output folder a build writes to.
pub fn output_dir(options: &BuildOptions, config: &Config) -> PathBuf {
    match &options.output {
        Some(dir) => dir.clone(),
        None => options.root.join(&config.output),
    }
}

/// Entry pages rendered between two releases of their bodies: large enough that
/// the threads rarely wait on each other at the end of a slice.
const ENTRY_SLICE: usize = 2048;

/// Loads, checks, renders and writes a collection. Pages go to disk as they are
/// rendered, so memory holds the collection, not the site.
pub fn build(
    options: &BuildOptions,
    deny_warnings: bool,
    report: &(dyn Fn(usize, usize) + Sync),
) -> Result<BuildReport, Error> {
    let started = Instant::now();
    let loaded = load(options)?;
    let mut timings = loaded.timings.clone();
    let mut lap = Instant::now();
    let mut mark = |stage: &'static str| {
        timings.push((stage, lap.elapsed()));
        lap = Instant::now();
    };
    if loaded.has_errors() || (deny_warnings && !loaded.diagnostics.is_empty()) {
        return Err(Error::Content(loaded.diagnostics));
    }
    let output = output_dir(options, &loaded.collection.config);
    let theme = Arc::new(load_theme(&options.root, &loaded.collection.config)?);
    let writer = output::Writer::begin(&output, &options.root)?;
    let citer = Citer::new(&loaded.collection.config.citation.style).map(Arc::new);
    // The bodies stay apart from their sites while the pages render, to be let go
    // of one by one.
    let editions = std::iter::once((loaded.collection, loaded.bodies)).chain(loaded.translations);
    let mut sites: Vec<(Site, Bodies)> = editions
        .map(|(mut collection, bodies)| {
            collection.release_sources();
            let site = Site::new(
                Arc::new(collection),
                Arc::new(Bodies::default()),
                theme.clone(),
                SearchAssets::default(),
                citer.clone(),
            );
            (site, bodies)
        })
        .collect();
    if sites.len() > 1 {
        let alternates = Arc::new(Alternates::new(
            sites
                .iter()
                .map(|(site, _)| (site.collection.clone(), site.pages())),
        ));
        for (site, _) in &mut sites {
            site.alternates = alternates.clone();
        }
    }
    let total = sites.iter().map(|(site, _)| site.pages().len()).sum();
    let progress = Progress::new(total, report);
    let mut pages = 0;
    let mut first = None;
    for (mut site, mut bodies) in sites {
        // The index is the last reader of the plain texts; hand them over.
        let texts = bodies
            .entries
            .iter_mut()
            .map(|b| std::mem::take(&mut b.text))
            .collect();
        let catalogue = first.is_none();
        // The index is written on one thread while the pages render on the others.
        let (index, rendered) = rayon::join(
            || search::index_texts(&site.collection, texts),
            || render_releasing_bodies(&site, &mut bodies, &writer, &progress, catalogue),
        );
        pages += rendered? + 1;
        let index = index?;
        site.bodies = Arc::new(bodies);
        // The search page names the index, so it comes once the index is written.
        site.search.index_path = Some(index.path);
        put_all(index.files, &writer)?;
        site.render(&[Page::Search], &writer, &progress)?;
        first.get_or_insert(site);
    }
    mark("render and index");
    if let Some(site) = &first {
        site.copies(&loaded.assets, &writer)?;
    }
    let files = writer.finish()?;
    mark("write");
    Ok(BuildReport {
        output,
        pages,
        files,
        elapsed: started.elapsed(),
        timings,
        warnings: loaded.diagnostics,
    })
}

/// Renders every page but the search page, the redirects and (for the default
/// language's site) the catalogue into `sink`. An entry's body is shown on its own
/// page only, so each body's HTML is let go once that page is made: entry pages go
/// first, a slice at a time (in a large collection the HTML is a fifth of the
/// memory). Gives the number of pages.
fn render_releasing_bodies(
    site: &Site,
    bodies: &mut Bodies,
    sink: &dyn Sink,
    progress: &Progress,
    catalogue: bool,
) -> Result<usize, Error> {
    let (entries, others): (Vec<Page>, Vec<Page>) = site
        .pages()
        .into_iter()
        .filter(|page| *page != Page::Search)
        .partition(|page| matches!(page, Page::Entry(_)));
    let put = |file| sink.put(file);
    // The catalogue is made on a thread of its own beside the pages: its files are
    // each one long serial task, which would otherwise run after them.
    let (pages, catalogue) = rayon::join(
        || render_pages(site, bodies, &entries, &others, &put, progress),
        || {
            if catalogue {
                site.catalogue(sink)
            } else {
                Ok(())
            }
        },
    );
    pages?;
    catalogue?;
    site.redirects(sink)?;
    Ok(entries.len() + others.len())
}

/// Renders the entry pages a slice at a time, letting go of each body once its
/// page is made, then the other pages.
fn render_pages(
    site: &Site,
    bodies: &mut Bodies,
    entries: &[Page],
    others: &[Page],
    put: &(dyn Fn(crate::output::OutputFile) -> Result<(), OutputError> + Sync),
    progress: &Progress,
) -> Result<(), Error> {
    let renderer = site.renderer();
    let mut problems = Vec::new();
    for slice in entries.chunks(ENTRY_SLICE) {
        match renderer.render(bodies, slice, put, progress) {
            Err(RenderError::Templates(mut found)) => problems.append(&mut found),
            other => other?,
        }
        for page in slice {
            if let Page::Entry(id) = page {
                bodies.entries[*id].html = String::new();
            }
        }
    }
    match renderer.render(bodies, others, put, progress) {
        Err(RenderError::Templates(mut found)) => problems.append(&mut found),
        other => other?,
    }
    if !problems.is_empty() {
        // A template that fails every slice's pages is said once.
        let mut said = std::collections::HashSet::new();
        problems.retain(|d| said.insert(d.message.clone()));
        return Err(Error::Templates(problems));
    }
    Ok(())
}

/// Writes files that are ready all at once (the index's) on every thread.
fn put_all(files: Vec<crate::output::OutputFile>, sink: &dyn Sink) -> Result<(), OutputError> {
    use rayon::prelude::*;
    files.into_par_iter().try_for_each(|file| sink.put(file))
}
