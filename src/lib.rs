//! Almanac turns a curated collection (`almanac.yaml` + Markdown in `content/`) into a
//! static site. The pipeline: config → content → model → bodies → check → render
//! (with the search index beside it) → output. `cli` and `serve` sit on top.

pub mod bodies;
pub mod check;
pub mod cli;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod markdown;
pub mod model;
pub mod output;
pub mod paths;
pub mod render;
pub mod search;
pub mod serve;
pub mod yaml;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use bodies::Bodies;
use diagnostics::{Diagnostic, Location};
use model::Collection;
use output::{Contents, OutputFile};

/// What the user asked of a build.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Overrides `output` of `almanac.yaml` (relative to the current directory).
    pub output: Option<PathBuf>,
    pub base_url: Option<String>,
    pub drafts: bool,
}

/// A loaded and checked collection, ready to render.
pub struct Loaded {
    pub collection: Collection,
    pub bodies: Bodies,
    pub assets: Vec<content::Asset>,
    /// Every problem found, sorted by file and line; may hold warnings only.
    pub diagnostics: Vec<Diagnostic>,
    /// How long each loading stage took.
    pub timings: Vec<(&'static str, Duration)>,
}

impl Loaded {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Reads, models and checks a collection. `Err` only when nothing could be modelled
/// (no or broken config); content problems come back inside `Loaded::diagnostics`.
pub fn load(options: &BuildOptions) -> Result<Loaded, Vec<Diagnostic>> {
    let config = load_config(options)?;
    let started = Instant::now();
    let content = content::load(&options.root);
    let read = started.elapsed();
    let (mut loaded, _) = assemble(config, content, options.drafts, None);
    loaded.timings.insert(0, ("read content", read));
    Ok(loaded)
}

/// Reads and validates `almanac.yaml`, with the options' overrides applied.
pub fn load_config(options: &BuildOptions) -> Result<config::Config, Vec<Diagnostic>> {
    let config_text = content::read_config(&options.root).map_err(|d| vec![d])?;
    let mut config = config::parse(config_text)?;
    if let Some(url) = &options.base_url {
        config.set_base_url(url).map_err(|message| {
            vec![
                Diagnostic::error("usage", message)
                    .help("pass an absolute address such as https://example.org/ethics/"),
            ]
        })?;
    }
    Ok(config)
}

/// Models, renders the bodies of and checks content already read. `serve` keeps the
/// files between rebuilds and passes the bodies it rendered last time (`previous`);
/// it then gets the memo for the next rebuild back.
pub fn assemble(
    config: config::Config,
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
    let (collection, mut problems) = model::build(
        config,
        content.files,
        &content.dirs,
        model::ModelOptions { drafts },
    );
    diagnostics.append(&mut problems);
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
    diagnostics::sort(&mut diagnostics);
    mark("check");
    let loaded = Loaded {
        collection,
        bodies,
        assets: content.assets,
        diagnostics,
        timings,
    };
    (loaded, memo)
}

/// The theme layers on disk for a collection: `themes/<name>/`, then its own
/// `templates/` and `static/`.
pub fn load_theme(root: &Path, collection: &Collection) -> Result<render::Theme, Vec<Diagnostic>> {
    let name = &collection.config.theme;
    let theme_dir = root.join("themes").join(name);
    let mut layers = Vec::new();
    if theme_dir.is_dir() {
        let shown = PathBuf::from("themes").join(name);
        let manifest_path = theme_dir.join("theme.yaml");
        layers.push(render::theme::Layer {
            templates: content::read_templates(
                &theme_dir.join("templates"),
                &shown.join("templates"),
            )?,
            statics: content::list_static(&theme_dir.join("static"))?,
            manifest: if manifest_path.is_file() {
                Some(
                    content::read_text(&manifest_path, &shown.join("theme.yaml"))
                        .map_err(|d| vec![d])?,
                )
            } else {
                None
            },
        });
    } else if name != "default" {
        return Err(vec![
            Diagnostic::error(
                "theme",
                format!("the theme `{name}` is not in themes/{name}/"),
            )
            .at(config::locate_theme(&collection.config))
            .help("put the theme in themes/<name>/, or use `theme: default`"),
        ]);
    }
    layers.push(render::theme::Layer {
        templates: content::read_templates(&root.join("templates"), Path::new("templates"))?,
        statics: content::list_static(&root.join("static"))?,
        manifest: None,
    });
    render::theme::assemble(
        &layers,
        &collection.config.theme_options,
        &collection.config.base_path,
    )
}

/// Renders a loaded collection into the files of the site (nothing is written).
pub fn render(
    root: &Path,
    loaded: &Loaded,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<render::Rendered, Vec<Diagnostic>> {
    let theme = load_theme(root, &loaded.collection)?;
    render_with(loaded, &theme, progress)
}

/// Renders with a theme already loaded.
pub fn render_with(
    loaded: &Loaded,
    theme: &render::Theme,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<render::Rendered, Vec<Diagnostic>> {
    let (index_files, search) =
        search::index(&loaded.collection, &loaded.bodies).map_err(|d| vec![d])?;
    let mut rendered = render::site(&loaded.collection, &loaded.bodies, theme, &search, progress)?;
    rendered.files.extend(index_files);
    rendered
        .files
        .extend(loaded.assets.iter().map(|a| OutputFile {
            path: a.rel.clone(),
            contents: Contents::Copy(a.path.clone()),
        }));
    Ok(rendered)
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

/// Why a build stopped. The previous output is untouched in every case.
#[derive(Debug)]
pub enum BuildError {
    /// Problems in the collection (every one found, sorted).
    Content(Vec<Diagnostic>),
    Output(output::OutputError),
}

/// The output folder a build writes to.
pub fn output_dir(options: &BuildOptions, collection: &Collection) -> PathBuf {
    match &options.output {
        Some(dir) => dir.clone(),
        None => options.root.join(&collection.config.output),
    }
}

/// Loads, checks, renders and writes a collection. Pages go to disk as they are
/// rendered, so memory holds the collection, not the site.
pub fn build(
    options: &BuildOptions,
    deny_warnings: bool,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<BuildReport, BuildError> {
    let started = Instant::now();
    let mut loaded = load(options).map_err(BuildError::Content)?;
    let mut timings = loaded.timings.clone();
    let mut lap = Instant::now();
    let mut mark = |stage: &'static str| {
        timings.push((stage, lap.elapsed()));
        lap = Instant::now();
    };
    let failing = loaded.has_errors() || (deny_warnings && !loaded.diagnostics.is_empty());
    if failing {
        return Err(BuildError::Content(loaded.diagnostics));
    }
    loaded.collection.release_sources();
    let output = output_dir(options, &loaded.collection);
    let theme = load_theme(&options.root, &loaded.collection).map_err(BuildError::Content)?;
    let writer = output::Writer::begin(&output).map_err(BuildError::Output)?;
    // The index is the last reader of the plain texts; hand them over.
    let body_texts = loaded
        .bodies
        .entries
        .iter_mut()
        .map(|b| std::mem::take(&mut b.text))
        .collect();
    let sink = |file: OutputFile| writer.put(file);
    // The index is written on one thread while the pages render on the others.
    let (index, pages) = rayon::join(
        || search::index_texts(&loaded.collection, body_texts),
        || {
            render::site_into(
                &loaded.collection,
                &mut loaded.bodies,
                &theme,
                &sink,
                progress,
            )
        },
    );
    let pages = pages.map_err(|e| match e {
        render::RenderError::Templates(problems) => BuildError::Content(problems),
        render::RenderError::Output(error) => BuildError::Output(error),
    })?;
    let (index_files, search) = index.map_err(|d| BuildError::Content(vec![d]))?;
    for file in index_files {
        writer.put(file).map_err(BuildError::Output)?;
    }
    let search_page = render::search_page(&loaded.collection, &loaded.bodies, &theme, &search)
        .map_err(|d| BuildError::Content(vec![d]))?;
    writer.put(search_page).map_err(BuildError::Output)?;
    let pages = pages + 1;
    mark("render and index");
    let extras = theme
        .statics
        .iter()
        .cloned()
        .chain(loaded.assets.iter().map(|a| OutputFile {
            path: a.rel.clone(),
            contents: Contents::Copy(a.path.clone()),
        }));
    for file in extras {
        writer.put_if_absent(file).map_err(BuildError::Output)?;
    }
    let files = writer.finish().map_err(BuildError::Output)?;
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

/// Every output path stays inside the output folder, and no two files share one.
pub fn check_file_paths(mut files: Vec<OutputFile>) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
    let mut problems = Vec::new();
    for file in &files {
        if paths::clean_path(&file.path).as_deref() != Some(file.path.as_str()) {
            problems.push(
                Diagnostic::error(
                    "path-escape",
                    format!(
                        "refusing to write `{}` outside the output folder",
                        file.path
                    ),
                )
                .at(Location::file(&file.path)),
            );
        }
    }
    // Sorting makes duplicates neighbours, and the write order the same on every run.
    files.sort_by(|a, b| a.path.cmp(&b.path));
    for pair in files.windows(2) {
        if pair[0].path == pair[1].path
            && !matches!(pair[1].contents, Contents::Static(_) | Contents::Copy(_))
        {
            problems.push(
                Diagnostic::error(
                    "duplicate-path",
                    format!("two pages would be written at `{}`", pair[0].path),
                )
                .at(Location::file(&pair[0].path))
                .help("a static file or an alias has the same path as a page; rename one"),
            );
        }
    }
    files.dedup_by(|b, a| a.path == b.path);
    if problems.is_empty() {
        Ok(files)
    } else {
        Err(problems)
    }
}
