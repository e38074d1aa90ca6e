//! The stages up to check: `almanac.yaml` read, the content walked and modelled,
//! bodies rendered and the collection checked; and the theme and strings loaded.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::{BuildOptions, ThemeError};
use crate::bodies::{self, Bodies};
use crate::check;
use crate::config::{self, Config, ConfigError};
use crate::content::{self, Asset};
use crate::diagnostics::{self, Diagnostic};
use crate::model::{self, Collection};
use crate::render::{self, Theme};

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
    crate::paths::trust(&config.trusted_paths);
    if let Some(url) = &options.base_url {
        config.set_base_url(url).map_err(ConfigError::BaseUrl)?;
    }
    // Said at `output:` by `check` as by `build`, whose writer refuses it too
    // (there also for `--output`, which no file locates).
    let output = options.root.join(&config.output);
    if options.output.is_none()
        && let Some(folder) = crate::output::read_folder_holding(&output, &options.root)
    {
        return Err(ConfigError::Invalid(vec![
            Diagnostic::error(
                "config",
                format!(
                    "`output` is inside the collection's {folder}/ folder, which the build reads"
                ),
            )
            .at(config::locate_output(&config))
            .label(format!("inside {folder}/"))
            .help("the site would be published inside itself and grow with every build; write a folder outside it, e.g. `output: site`"),
        ]));
    }
    Ok(config)
}

/// Reads, models and checks a collection. `Err` only when nothing could be modelled
/// (no or broken config); content problems come back inside `Loaded::diagnostics`.
pub fn load(options: &BuildOptions) -> Result<Loaded, ConfigError> {
    load_rendering(options, Render::Fresh)
}

/// Like [`load`] for a build, which reads no entry's source text once its body is
/// rendered and checked: each is let go as soon as it can be (see
/// [`bodies::render_releasing`]).
pub(super) fn load_for_build(
    options: &BuildOptions,
    packing: bodies::Packing,
) -> Result<Loaded, ConfigError> {
    load_rendering(options, Render::Releasing(packing))
}

/// How the bodies are rendered.
enum Render<'a> {
    Fresh,
    /// Reusing what `serve` rendered last time.
    Memo(&'a bodies::Memo),
    /// Letting go of each entry's source once its body is made (a build).
    Releasing(bodies::Packing),
}

fn load_rendering(options: &BuildOptions, render: Render) -> Result<Loaded, ConfigError> {
    let config = load_config(options)?;
    if matches!(render, Render::Releasing(_)) {
        // A build formats references once the collection is loaded.
        crate::render::citations::prepare(&config.citation.style);
    }
    let started = Instant::now();
    let mut content = content::load(&options.root);
    content.read_statics(&options.root);
    content.theme_files = theme_files(&options.root, &config);
    if config.languages.len() > 1 {
        content.history = content::history::read(&options.root);
    }
    let read = started.elapsed();
    let strings = load_strings(&options.root, &config);
    let (mut loaded, _) = assemble_rendering(config, content, options.drafts, render);
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
    let render = previous.map_or(Render::Fresh, Render::Memo);
    assemble_rendering(config, content, drafts, render)
}

fn assemble_rendering(
    config: Config,
    content: content::Content,
    drafts: bool,
    render: Render,
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
    let (bodies, memo) = match render {
        Render::Memo(previous) => {
            let (bodies, memo) = bodies::render_with_memo(&collection, previous);
            (bodies, Some(memo))
        }
        Render::Fresh => (bodies::render(&collection), None),
        Render::Releasing(packing) => (
            bodies::render_releasing(&mut collection, &check::needs_source, packing),
            None,
        ),
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
        &content.theme_files,
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
        // The history was read once; each translation older than its source is
        // marked for its page's notice, and warned of.
        if let Some(history) = &content.history {
            for (translated, _) in &mut translations {
                translated.outdated = check::translations_behind(&collection, translated, history);
            }
        }
        let translated: Vec<&Collection> = translations.iter().map(|(c, _)| c).collect();
        match &content.history {
            Some(_) => diagnostics.extend(check::outdated_translations(&collection, &translated)),
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

/// The paths the theme of `config` publishes its static files at: the default
/// theme's and its theme folder's, without the search files (published under
/// hashed names in `search/`, a folder the build keeps for itself). Unreadable
/// files are reported when the theme is loaded.
pub fn theme_files(root: &Path, config: &Config) -> Vec<String> {
    let shown = PathBuf::from("themes").join(&config.theme).join("static");
    let folder = content::list_static(&root.join(&shown), &shown).unwrap_or_default();
    let mut files: Vec<String> = render::theme::default_static_paths()
        .into_iter()
        .chain(folder.into_iter().map(|asset| asset.rel))
        .filter(|path| !path.starts_with(&format!("{}/", crate::search::FOLDER)))
        .collect();
    files.sort();
    files.dedup();
    files
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
            // Whatever is there is read by the collection's rules: a FIFO or a
            // link to a device is refused, not passed over as if absent.
            manifest: match std::fs::symlink_metadata(&manifest_path) {
                Err(error) if error.kind() == std::io::ErrorKind::NotFound => None,
                _ => Some(
                    content::read_text(&manifest_path, &shown.join("theme.yaml"))
                        .map_err(|d| ThemeError::Problems(vec![d]))?,
                ),
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

#[cfg(test)]
mod tests {
    use super::*;

    fn basic() -> BuildOptions {
        BuildOptions {
            root: Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/build/basic"),
            ..BuildOptions::default()
        }
    }

    #[test]
    fn a_build_lets_go_of_the_sources_its_check_will_not_read() {
        let kept = load(&basic()).unwrap();
        let mut built = load_for_build(&basic(), bodies::Packing::Always).unwrap();
        // The HTML and the text wait packed, and come back whole.
        assert_eq!(built.bodies.packed.len(), kept.bodies.entries.len());
        assert!(
            built
                .bodies
                .entries
                .iter()
                .all(|b| b.html.is_empty() && b.text.is_empty())
        );
        let ids: Vec<usize> = (0..built.bodies.packed.len()).collect();
        built.bodies.unpack_html(&ids);
        assert!(built.bodies.packed.iter().all(|p| p.html().is_empty()));
        let texts = built.bodies.take_texts();
        for (body, text) in built.bodies.entries.iter_mut().zip(texts) {
            body.text = text.read().into_owned();
        }
        assert_eq!(built.bodies.entries, kept.bodies.entries);
        assert_eq!(
            format!("{:?}", built.diagnostics),
            format!("{:?}", kept.diagnostics)
        );
        let (mut released, mut left) = (0, 0);
        let entries = built
            .collection
            .entries
            .iter()
            .zip(&kept.collection.entries);
        for ((entry, whole), body) in entries.zip(&built.bodies.entries) {
            if check::needs_source(body) {
                // about.md links to a heading: the check places a missing one.
                assert_eq!(entry.file.source.text, whole.file.source.text);
                assert_eq!(entry.file.body(), whole.file.body());
                left += 1;
            } else {
                // The front matter stays where it was, for the output checks.
                let front = &whole.file.source.text[..whole.file.body.start];
                assert_eq!(&*entry.file.source.text, front, "{}", entry.file.rel);
                assert_eq!(entry.file.front, whole.file.front);
                assert_eq!(entry.file.body(), "");
                released += 1;
            }
        }
        assert!(released > 0 && left > 0, "{released} released, {left} left");
    }
}
