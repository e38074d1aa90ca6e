//! Render: the collection and its rendered bodies through the theme's Tera
//! templates into files (pages, feeds, exports, redirects), handed to whoever
//! writes them as soon as each is made. Never touches the disk.

pub mod alternates;
mod charts;
pub mod citations;
mod context;
pub mod exports;
mod feeds;
pub mod i18n;
pub mod pages;
pub mod theme;
mod views;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use rayon::prelude::*;

use crate::bodies::Bodies;
use crate::diagnostics::{Diagnostic, Location};
use crate::i18n::Strings;
use crate::model::Collection;
pub use crate::model::pages::{Cells, Page};
use crate::output::OutputFile;
pub use alternates::Alternates;
pub use citations::{Citer, ReferenceCounts};
use context::{Input, Prepared};
pub use feeds::{ExportError, catalogue, catalogue_in_parallel, redirects};
pub use theme::Theme;
use views::CardValues;

/// What the search page needs to know about the index the build wrote.
#[derive(Debug, Clone, Default)]
pub struct SearchAssets {
    /// Path of the index file inside the output folder, if one was written.
    pub index_path: Option<String>,
    /// The theme's search files by theme path, each with its content-hashed
    /// published path (`search/search.js` → `search/search.<hash>.js`).
    pub files: BTreeMap<String, String>,
}

impl SearchAssets {
    /// The address of the theme's search file `path` (e.g. `search/search.js`)
    /// under the base path: its published, hashed name when it has one.
    pub fn url(&self, base: &str, path: &str) -> String {
        format!(
            "{base}{}",
            self.files.get(path).map_or(path, String::as_str)
        )
    }
}

/// Why rendering stopped: template problems (every one, each said once), or the
/// file's receiver refused a file.
#[derive(Debug)]
pub enum RenderError<E> {
    Templates(Vec<Diagnostic>),
    Export(ExportError),
    Output(E),
}

/// The global `site` value every page sees: when it changes, every page may.
pub fn site_value(collection: &Collection, theme: &Theme) -> tera::Value {
    tera::Value::from_serializable(&context::site::SiteView::new(collection, theme))
}

/// Counts pages rendered over one or several [`Renderer::render`] calls.
pub struct Progress<'a> {
    total: usize,
    done: AtomicUsize,
    report: &'a (dyn Fn(usize, usize) + Sync),
}

impl<'a> Progress<'a> {
    pub fn new(total: usize, report: &'a (dyn Fn(usize, usize) + Sync)) -> Progress<'a> {
        Progress {
            total,
            done: AtomicUsize::new(0),
            report,
        }
    }

    /// No one is told.
    pub fn quiet() -> Progress<'static> {
        Progress::new(0, &|_, _| {})
    }

    fn tick(&self) {
        let n = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        if n.is_multiple_of(256) || n == self.total {
            (self.report)(n, self.total);
        }
    }
}

/// Renders pages of one collection with one theme: the templates with `site` and
/// the collection's language's strings (`t`) set, and the card values every list
/// shares, made once for every page it renders.
pub struct Renderer<'a> {
    collection: &'a Collection,
    citer: Option<&'a Citer>,
    cells: &'a Cells,
    alternates: &'a Alternates,
    search: SearchAssets,
    tera: tera::Tera,
    cards: CardValues,
    strings: Arc<Strings>,
    /// `strings` as templates read them (`t`).
    strings_tree: serde_json::Value,
}

impl<'a> Renderer<'a> {
    /// `cells` must be the collection's; `alternates` has every language's pages.
    pub fn new(
        collection: &'a Collection,
        theme: &'a Theme,
        cells: &'a Cells,
        alternates: &'a Alternates,
        search: &SearchAssets,
        citer: Option<&'a Citer>,
    ) -> Renderer<'a> {
        let mut tera = theme.tera.clone();
        tera.global_context()
            .insert("site", &context::site::SiteView::new(collection, theme));
        let strings = theme.strings(&collection.config.language);
        i18n::install(&mut tera, strings.clone(), &collection.config.languages);
        Renderer {
            collection,
            citer,
            cells,
            alternates,
            // Every search page names the theme's hashed search files, built or served.
            search: SearchAssets {
                files: theme.search_files.clone(),
                ..search.clone()
            },
            tera,
            cards: CardValues::new(collection),
            strings_tree: strings.tree(),
            strings,
        }
    }

    /// Renders `pages` in parallel, handing each file to `emit` as soon as it is
    /// made, so the pages are never all held at once. A broken template fails every
    /// page that uses it: each problem is said once, in the order of `pages`.
    pub fn render<E: Send>(
        &self,
        bodies: &Bodies,
        pages: &[Page],
        emit: &(dyn Fn(OutputFile) -> Result<(), E> + Sync),
        progress: &Progress,
    ) -> Result<(), RenderError<E>> {
        let input = Input {
            collection: self.collection,
            bodies,
            search: &self.search,
            cells: self.cells,
            cards: &self.cards,
            alternates: self.alternates,
            strings: &self.strings,
            citer: self.citer,
        };
        let stopped = AtomicBool::new(false);
        let outcomes: Vec<Result<Diagnostic, E>> = pages
            .par_iter()
            .map_init(
                // Each thread reads its own copy of the strings: every page looks `t`
                // up dozens of times, and each lookup counts a reference to the value
                // it finds, which threads sharing one copy would contend for.
                || tera::Value::from_serializable(&self.strings_tree),
                |strings, &page| {
                    // After a file was refused nothing more is written.
                    if stopped.load(Ordering::Relaxed) {
                        return None;
                    }
                    let rendered = context::prepare(&input, page).and_then(|mut prepared| {
                        prepared.cx.insert_value("t", strings.clone());
                        let path = page.file(self.collection);
                        render_prepared(&self.tera, &prepared, path)
                    });
                    progress.tick();
                    match rendered {
                        Ok(file) => emit(file).err().map(|error| {
                            stopped.store(true, Ordering::Relaxed);
                            Err(error)
                        }),
                        Err(problem) => Some(Ok(problem)),
                    }
                },
            )
            .flatten()
            .collect();
        let mut problems: Vec<Diagnostic> = Vec::new();
        for outcome in outcomes {
            match outcome {
                Err(error) => return Err(RenderError::Output(error)),
                Ok(d) if problems.iter().any(|p| p.message == d.message) => {}
                Ok(d) => problems.push(d),
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(RenderError::Templates(problems))
        }
    }

    /// One page's HTML.
    pub fn render_one(&self, bodies: &Bodies, page: Page) -> Result<Vec<u8>, Vec<Diagnostic>> {
        let file = std::sync::Mutex::new(None);
        let keep = |made: OutputFile| {
            if let (Ok(mut slot), crate::output::Contents::Bytes(bytes)) =
                (file.lock(), made.contents)
            {
                *slot = Some(bytes);
            }
            Ok::<(), ()>(())
        };
        match self.render(bodies, &[page], &keep, &Progress::quiet()) {
            Err(RenderError::Templates(problems)) => return Err(problems),
            Err(RenderError::Output(()) | RenderError::Export(_)) | Ok(()) => {}
        }
        file.into_inner().ok().flatten().ok_or_else(Vec::new)
    }
}

fn render_prepared(
    tera: &tera::Tera,
    page: &Prepared,
    path: String,
) -> Result<OutputFile, Diagnostic> {
    let Prepared {
        template,
        url,
        source,
        cx,
        ..
    } = page;
    match tera.render(template, cx) {
        Ok(html) => Ok(OutputFile::text(path, html)),
        Err(error) => {
            let what = source
                .as_deref()
                .map_or_else(|| format!("the page {url}"), |s| format!("{s} ({url})"));
            Err(Diagnostic::error(
                "template",
                format!("`{template}` failed to render {what}: {}", theme::full_error(&error)),
            )
            .at(Location::file(format!("templates/{template}")))
            .help("check the template against docs/templates.md; override templates in the collection's templates/ folder"))
        }
    }
}
