//! Rendering: the collection and its rendered bodies through the theme's Tera
//! templates into output files (pages, feeds, exports, redirects). Never touches the disk.

pub mod bodies;
mod charts;
mod feeds;
pub mod theme;
mod views;

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use crate::diagnostics::{Diagnostic, Location};
use crate::model::date::DateView;
use crate::model::{Collection, EntryId, EntryKind, SectionId};
use crate::output::{OutputError, OutputFile};
use bodies::Bodies;
pub use theme::Theme;
use views::{Card, CardValues, Link, Pagination, TermLink, safe};

/// One page of the site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Page {
    Home,
    /// A section and its page number (1-based).
    Section(SectionId, usize),
    Entry(EntryId),
    Taxonomy(usize),
    /// Taxonomy, term and page number.
    Term(usize, usize, usize),
    /// A cell of the home page's matrix: row term, column term, page number.
    Cell(usize, usize, usize),
    Search,
    NotFound,
}

/// Everything the render stage produces: files, and how many of them are pages.
pub struct Rendered {
    pub files: Vec<OutputFile>,
    pub pages: usize,
}

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
    /// These assets with the theme's search files, as every search page names
    /// them (built or served alike).
    fn with_theme(&self, theme: &Theme) -> SearchAssets {
        SearchAssets {
            files: theme.search_files.clone(),
            ..self.clone()
        }
    }

    /// The address of the theme's search file `path` (e.g. `search/search.js`)
    /// under the base path: its published, hashed name when it has one.
    fn url(&self, base: &str, path: &str) -> String {
        format!(
            "{base}{}",
            self.files.get(path).map_or(path, String::as_str)
        )
    }
}

/// Why rendering stopped: template problems, or the sink refused a file.
#[derive(Debug)]
pub enum RenderError {
    Templates(Vec<Diagnostic>),
    Output(OutputError),
}

/// Where rendered files go as soon as each is ready, so the whole site never has
/// to be held in memory. Called from several threads at once.
pub type Sink<'a> = &'a (dyn Fn(OutputFile) -> Result<(), OutputError> + Sync);

/// Renders every page of the site plus feeds, exports and redirects into memory.
pub fn site(
    collection: &Collection,
    bodies: &Bodies,
    theme: &Theme,
    search: &SearchAssets,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<Rendered, Vec<Diagnostic>> {
    let cells = Cells::new(collection);
    let pages = pages(collection, &cells);
    let mut files = some_pages(collection, bodies, theme, search, &cells, &pages, progress)?;
    let page_count = files.len();
    files.extend(feeds::all(collection));
    files.extend(theme.statics.iter().cloned());
    Ok(Rendered {
        files,
        pages: page_count,
    })
}

/// Renders the given pages only (`serve` re-renders what an edit affects). `cells`
/// must be the collection's.
pub fn some_pages(
    collection: &Collection,
    bodies: &Bodies,
    theme: &Theme,
    search: &SearchAssets,
    cells: &Cells,
    pages: &[Page],
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
    let tera = with_site(collection, theme);
    let cards = CardValues::new(collection);
    let search = &search.with_theme(theme);
    let total = pages.len();
    let done = AtomicUsize::new(0);
    let results: Vec<Result<OutputFile, Diagnostic>> = pages
        .par_iter()
        .map(|page| {
            let result = prepare_page(collection, bodies, search, cells, &cards, *page).and_then(
                |prepared| {
                    let path = file_for(collection, &prepared.url);
                    render_prepared(&tera, &prepared, path)
                },
            );
            let n = done.fetch_add(1, Ordering::Relaxed) + 1;
            if n.is_multiple_of(256) || n == total {
                progress(n, total);
            }
            result
        })
        .collect();
    let mut files = Vec::with_capacity(results.len());
    let mut problems: Vec<Diagnostic> = Vec::new();
    for result in results {
        match result {
            Ok(file) => files.push(file),
            // One broken template fails every page that uses it: say it once.
            Err(d) if problems.iter().any(|p| p.message == d.message) => {}
            Err(d) => problems.push(d),
        }
    }
    if problems.is_empty() {
        Ok(files)
    } else {
        Err(problems)
    }
}

/// The global `site` value every page sees: when it changes, every page may.
pub fn site_value(collection: &Collection, theme: &Theme) -> tera::Value {
    tera::Value::from_serializable(&SiteView::new(collection, theme))
}

/// The template a page is rendered with.
pub fn template_of(collection: &Collection, page: Page) -> &str {
    match page {
        Page::Home => "home.html",
        Page::Section(id, _) => {
            let section = &collection.sections[id];
            if section.glossary {
                "glossary.html"
            } else {
                section.template.as_deref().unwrap_or("section.html")
            }
        }
        Page::Entry(id) => {
            let entry = &collection.entries[id];
            entry.template.as_deref().unwrap_or(match entry.kind {
                EntryKind::Resource => "resource.html",
                EntryKind::Glossary => "glossary_term.html",
                EntryKind::Page => "page.html",
            })
        }
        Page::Taxonomy(_) => "taxonomy.html",
        Page::Term(..) | Page::Cell(..) => "term.html",
        Page::Search => "search.html",
        Page::NotFound => "404.html",
    }
}

/// The output file of a page, without rendering it.
pub fn page_file(collection: &Collection, page: Page) -> String {
    let base = &collection.config.base_path;
    let url = match page {
        Page::Home => base.clone(),
        Page::Section(id, n) => views::page_url(&collection.sections[id].path, n),
        Page::Entry(id) => collection.entries[id].path.clone(),
        Page::Taxonomy(t) => collection.taxonomies[t].path.clone(),
        Page::Term(t, i, n) => views::page_url(&collection.taxonomies[t].terms[i].path, n),
        Page::Cell(row, column, n) => {
            views::page_url(&cell_path(collection, row, column).unwrap_or_default(), n)
        }
        Page::Search => format!("{base}search/"),
        Page::NotFound => format!("{base}404.html"),
    };
    file_for(collection, &url)
}

/// The machine-readable outputs: feeds, sitemap, exports, redirects.
pub fn feeds(collection: &Collection) -> Vec<OutputFile> {
    feeds::all(collection)
}

/// The paths of [`catalogue`]'s files.
pub use feeds::CATALOGUE;

/// The feeds and exports that list the whole collection, without the alias pages.
pub fn catalogue(collection: &Collection) -> Vec<OutputFile> {
    feeds::catalogue(collection)
}

/// The alias pages alone.
pub fn redirects(collection: &Collection) -> Vec<OutputFile> {
    feeds::redirects(collection)
}

/// The theme's templates with `site` set, ready for pages.
fn with_site(collection: &Collection, theme: &Theme) -> tera::Tera {
    let mut tera = theme.tera.clone();
    tera.global_context()
        .insert("site", &SiteView::new(collection, theme));
    tera
}

/// The search page, which names the index file written for this build.
pub fn search_page(
    collection: &Collection,
    bodies: &Bodies,
    theme: &Theme,
    search: &SearchAssets,
) -> Result<OutputFile, Diagnostic> {
    let tera = with_site(collection, theme);
    let cards = CardValues::new(collection);
    let search = search.with_theme(theme);
    let prepared = prepare_page(
        collection,
        bodies,
        &search,
        &Cells::default(),
        &cards,
        Page::Search,
    )?;
    let path = file_for(collection, &prepared.url);
    render_prepared(&tera, &prepared, path)
}

/// Renders every page but the search page, every feed, export and redirect, handing each file to `sink` as
/// soon as it is made, so the whole site is never held in memory. Gives the number
/// of pages. The theme's static files are the caller's to copy (pages win over
/// static files of the same path).
pub fn site_into(
    collection: &Collection,
    bodies: &mut Bodies,
    theme: &Theme,
    sink: Sink,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<usize, RenderError> {
    let tera = with_site(collection, theme);
    // The search page names the index, which may still be being written: it is
    // rendered on its own by `search_page`.
    let cells = Cells::new(collection);
    let cards = CardValues::new(collection);
    let mut pages = pages(collection, &cells);
    pages.retain(|page| !matches!(page, Page::Search));
    let (entries, others): (Vec<Page>, Vec<Page>) = pages
        .into_iter()
        .partition(|page| matches!(page, Page::Entry(_)));
    let search = SearchAssets::default();
    let search = &search;
    let total = entries.len() + others.len();
    let done = AtomicUsize::new(0);
    let problems = std::sync::Mutex::new(Vec::<Diagnostic>::new());
    let render_one = |bodies: &Bodies, page: &Page| -> Result<(), RenderError> {
        let rendered =
            prepare_page(collection, bodies, search, &cells, &cards, *page).and_then(|prepared| {
                let path = file_for(collection, &prepared.url);
                render_prepared(&tera, &prepared, path)
            });
        match rendered {
            Ok(file) => sink(file).map_err(RenderError::Output)?,
            Err(d) => {
                if let Ok(mut problems) = problems.lock()
                    // One broken template fails every page that uses it: say it once.
                    && !problems.iter().any(|p| p.message == d.message)
                {
                    problems.push(d);
                }
            }
        }
        let n = done.fetch_add(1, Ordering::Relaxed) + 1;
        if n.is_multiple_of(256) || n == total {
            progress(n, total);
        }
        Ok(())
    };
    // An entry's body is shown on its own page only, so each body's HTML is let go
    // once that page is made: entry pages go first, a slice at a time, and in a
    // large collection the HTML is a fifth of the memory.
    for slice in entries.chunks(ENTRY_SLICE) {
        slice
            .par_iter()
            .try_for_each(|page| render_one(bodies, page))?;
        for page in slice {
            if let Page::Entry(id) = page {
                bodies.entries[*id].html = String::new();
            }
        }
    }
    others
        .par_iter()
        .try_for_each(|page| render_one(bodies, page))?;
    // The cards and the catalogue files are each a few hundred MB at 100k resources.
    drop(cards);
    let problems = problems.into_inner().unwrap_or_default();
    if !problems.is_empty() {
        return Err(RenderError::Templates(problems));
    }
    feeds::each(collection, |file| sink(file).map_err(RenderError::Output))?;
    Ok(total)
}

/// Entry pages rendered between two releases of their bodies: large enough that
/// the threads rarely wait on each other at the end of a slice.
const ENTRY_SLICE: usize = 2048;

/// Every page of the site, in a stable order.
pub fn pages(collection: &Collection, cells: &Cells) -> Vec<Page> {
    let mut pages = vec![Page::Home, Page::Search, Page::NotFound];
    for (id, section) in collection.sections.iter().enumerate().skip(1) {
        let count = if section.glossary {
            1
        } else {
            page_count(section.entries.len(), section.paginate_by)
        };
        pages.extend((1..=count).map(|n| Page::Section(id, n)));
    }
    pages.extend((0..collection.entries.len()).map(Page::Entry));
    for (t, taxonomy) in collection.taxonomies.iter().enumerate() {
        pages.push(Page::Taxonomy(t));
        for (i, term) in taxonomy.terms.iter().enumerate() {
            let count = page_count(term.resources.len(), taxonomy.config.paginate_by);
            pages.extend((1..=count).map(|n| Page::Term(t, i, n)));
        }
    }
    if let Some((r, c)) = matrix_axes(collection) {
        let per_page = collection.taxonomies[r].config.paginate_by;
        for row in 0..collection.taxonomies[r].terms.len() {
            for column in 0..collection.taxonomies[c].terms.len() {
                let count = cells.get(row, column).len();
                if count > 0 {
                    pages.extend(
                        (1..=page_count(count, per_page)).map(|n| Page::Cell(row, column, n)),
                    );
                }
            }
        }
    }
    pages
}

/// The taxonomies of the matrix's rows and columns, by index.
pub fn matrix_axes(collection: &Collection) -> Option<(usize, usize)> {
    let (rows, columns) = collection.config.matrix.as_ref()?;
    let r = collection
        .taxonomies
        .iter()
        .position(|t| &t.config.name == rows)?;
    let c = collection
        .taxonomies
        .iter()
        .position(|t| &t.config.name == columns)?;
    (r != c).then_some((r, c))
}

/// The resources of every non-empty matrix cell (row term, column term), in the
/// row term's order. Worked out once per render: a cell's pages all need its list.
#[derive(Debug, Default)]
pub struct Cells(HashMap<(usize, usize), Vec<EntryId>>);

impl Cells {
    pub fn new(collection: &Collection) -> Cells {
        let mut cells: HashMap<(usize, usize), Vec<EntryId>> = HashMap::new();
        if let Some((r, c)) = matrix_axes(collection) {
            for (row, term) in collection.taxonomies[r].terms.iter().enumerate() {
                for &id in &term.resources {
                    for &column in &collection.entries[id].terms[c] {
                        cells.entry((row, column)).or_default().push(id);
                    }
                }
            }
        }
        Cells(cells)
    }

    pub fn get(&self, row: usize, column: usize) -> &[EntryId] {
        self.0.get(&(row, column)).map_or(&[], Vec::as_slice)
    }

    /// The non-empty cells: (row term, column term) and their resources.
    pub fn iter(&self) -> impl Iterator<Item = (&(usize, usize), &Vec<EntryId>)> {
        self.0.iter()
    }
}

/// Where a matrix cell's list lives: under the row term, `/principles/fairness/type/guidance/`.
fn cell_path(collection: &Collection, row: usize, column: usize) -> Option<String> {
    let (r, c) = matrix_axes(collection)?;
    let columns = &collection.taxonomies[c];
    Some(format!(
        "{}{}/{}/",
        collection.taxonomies[r].terms[row].path, columns.config.name, columns.terms[column].slug
    ))
}

/// How many pages a list of `items` takes.
pub fn page_count(items: usize, per_page: usize) -> usize {
    items.div_ceil(per_page.max(1)).max(1)
}

/// The output file of a rooted URL: `/base/a/b/` → `a/b/index.html`.
pub fn file_for(collection: &Collection, url: &str) -> String {
    let rel = url
        .strip_prefix(collection.config.base_path.as_str())
        .unwrap_or(url.trim_start_matches('/'));
    if rel.is_empty() {
        "index.html".to_string()
    } else if rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel.to_string()
    }
}

#[derive(Serialize)]
struct Common<'a> {
    current_url: &'a str,
    current_permalink: String,
    page_kind: &'static str,
    page_title: &'a str,
    page_description: &'a str,
}

/// A page ready for its template: everything its HTML depends on besides `site`.
struct Prepared {
    template: String,
    url: String,
    /// The content file shown in error messages.
    source: Option<String>,
    cx: Context,
}

fn prepare_page(
    collection: &Collection,
    bodies: &Bodies,
    search: &SearchAssets,
    cells: &Cells,
    cards: &CardValues,
    page: Page,
) -> Result<Prepared, Diagnostic> {
    let config = &collection.config;
    let mut cx = Context::new();
    let (cell_title, cell_description): (String, String);
    let (template, url, kind, title, description, source): (
        &str,
        String,
        &str,
        &str,
        &str,
        Option<String>,
    );
    match page {
        Page::Home => {
            let root = &collection.sections[0];
            template = "home.html";
            url = config.base_path.clone();
            kind = "home";
            title = &root.title;
            description = &config.description;
            source = root.file.as_ref().map(|f| format!("content/{}", f.rel));
            cx.insert("home", &home_view(collection, bodies, cells));
        }
        Page::Section(id, n) => {
            let section = &collection.sections[id];
            url = views::page_url(&section.path, n);
            title = &section.title;
            description = &section.description;
            source = Some(format!("content/{}/_index.md", section.dir));
            let body = bodies.sections[id]
                .as_ref()
                .map_or_else(|| safe(""), |b| safe(&b.html));
            if section.glossary {
                template = "glossary.html";
                kind = "glossary";
                cx.insert(
                    "glossary",
                    &GlossaryView {
                        title: &section.title,
                        description: &section.description,
                        body,
                        url: &section.path,
                        permalink: config.permalink(&section.path),
                        letters: views::letters(collection, &section.entries),
                    },
                );
            } else {
                template = section.template.as_deref().unwrap_or("section.html");
                kind = "section";
                let per_page = section.paginate_by.max(1);
                let ids: Vec<EntryId> = section
                    .entries
                    .iter()
                    .copied()
                    .skip((n - 1) * per_page)
                    .take(per_page)
                    .collect();
                cx.insert(
                    "section",
                    &SectionView {
                        title: &section.title,
                        description: &section.description,
                        body,
                        url: &section.path,
                        permalink: config.permalink(&section.path),
                        ancestors: views::ancestors(collection, section.parent.unwrap_or(0)),
                        subsections: section
                            .children
                            .iter()
                            .map(|&c| views::section_link(collection, c))
                            .collect(),
                        resources: ids.iter().map(|&e| cards.get(collection, e)).collect(),
                        pagination: Pagination::new(
                            &section.path,
                            n,
                            page_count(section.entries.len(), per_page),
                            section.entries.len(),
                        ),
                    },
                );
            }
        }
        Page::Entry(id) => {
            let entry = &collection.entries[id];
            let body = safe(&bodies.entries[id].html);
            url = entry.path.clone();
            title = &entry.title;
            description = entry.summary.as_deref().unwrap_or("");
            source = Some(format!("content/{}", entry.file.rel));
            match entry.kind {
                EntryKind::Resource => {
                    template = entry.template.as_deref().unwrap_or("resource.html");
                    kind = "resource";
                    cx.insert("resource", &resource_view(collection, bodies, id, body));
                }
                EntryKind::Glossary => {
                    template = entry.template.as_deref().unwrap_or("glossary_term.html");
                    kind = "glossary_term";
                    let section = &collection.sections[entry.section];
                    cx.insert(
                        "entry",
                        &EntryView {
                            title: &entry.title,
                            summary: entry.summary.as_deref(),
                            body,
                            synonyms: &entry.synonyms,
                            sources: &entry.sources,
                            related: entry
                                .related
                                .iter()
                                .map(|&r| Link {
                                    title: &collection.entries[r].title,
                                    url: &collection.entries[r].path,
                                })
                                .collect(),
                            url: &entry.path,
                            permalink: config.permalink(&entry.path),
                            glossary: Link {
                                title: &section.title,
                                url: &section.path,
                            },
                        },
                    );
                }
                EntryKind::Page => {
                    template = entry.template.as_deref().unwrap_or("page.html");
                    kind = "page";
                    cx.insert(
                        "page",
                        &PlainPageView {
                            title: &entry.title,
                            summary: entry.summary.as_deref(),
                            body,
                            url: &entry.path,
                            permalink: config.permalink(&entry.path),
                            extra: &entry.extra,
                        },
                    );
                }
            }
        }
        Page::Taxonomy(t) => {
            let taxonomy = &collection.taxonomies[t];
            template = "taxonomy.html";
            kind = "taxonomy";
            url = taxonomy.path.clone();
            title = &taxonomy.config.label;
            description = &taxonomy.config.description;
            source = None;
            cx.insert("taxonomy", &taxonomy_view(collection, t));
        }
        Page::Term(t, i, n) => {
            let taxonomy = &collection.taxonomies[t];
            let term = &taxonomy.terms[i];
            template = "term.html";
            kind = "term";
            url = views::page_url(&term.path, n);
            title = &term.label;
            description = &term.description;
            source = None;
            let per_page = taxonomy.config.paginate_by.max(1);
            cx.insert("taxonomy", &taxonomy_view(collection, t));
            cx.insert(
                "term",
                &TermView {
                    slug: &term.slug,
                    label: &term.label,
                    description: &term.description,
                    url: &term.path,
                    permalink: config.permalink(&term.path),
                    count: term.resources.len(),
                    resources: term
                        .resources
                        .iter()
                        .skip((n - 1) * per_page)
                        .take(per_page)
                        .map(|&e| cards.get(collection, e))
                        .collect(),
                    pagination: Pagination::new(
                        &term.path,
                        n,
                        page_count(term.resources.len(), per_page),
                        term.resources.len(),
                    ),
                    filter: None,
                },
            );
        }
        Page::Cell(row, column, n) => {
            let (r, c) = matrix_axes(collection).ok_or_else(|| {
                Diagnostic::error("matrix", "a matrix cell was rendered without a matrix")
            })?;
            let row_taxonomy = &collection.taxonomies[r];
            let column_taxonomy = &collection.taxonomies[c];
            let row_term = &row_taxonomy.terms[row];
            let column_term = &column_taxonomy.terms[column];
            let path = cell_path(collection, row, column).unwrap_or_default();
            let ids = cells.get(row, column);
            let per_page = row_taxonomy.config.paginate_by.max(1);
            template = "term.html";
            kind = "term";
            url = views::page_url(&path, n);
            cell_title = format!("{} · {}", row_term.label, column_term.label);
            title = &cell_title;
            cell_description = format!(
                "Resources under “{}” ({}) and “{}” ({}).",
                row_term.label,
                row_taxonomy.config.label,
                column_term.label,
                column_taxonomy.config.label
            );
            description = &cell_description;
            source = None;
            cx.insert("taxonomy", &taxonomy_view(collection, r));
            cx.insert(
                "term",
                &TermView {
                    slug: &row_term.slug,
                    label: &cell_title,
                    description: &cell_description,
                    url: &path,
                    permalink: config.permalink(&path),
                    count: ids.len(),
                    resources: ids
                        .iter()
                        .skip((n - 1) * per_page)
                        .take(per_page)
                        .map(|&e| cards.get(collection, e))
                        .collect(),
                    pagination: Pagination::new(
                        &path,
                        n,
                        page_count(ids.len(), per_page),
                        ids.len(),
                    ),
                    filter: Some(Filter {
                        name: &column_taxonomy.config.name,
                        label: &column_taxonomy.config.label,
                        term: term_link(column_term),
                    }),
                },
            );
        }
        Page::Search => {
            template = "search.html";
            kind = "search";
            url = format!("{}search/", config.base_path);
            title = "Search";
            description = "";
            source = None;
            cx.insert("search", &search_view(collection, search));
        }
        Page::NotFound => {
            template = "404.html";
            kind = "not_found";
            url = format!("{}404.html", config.base_path);
            title = "Page not found";
            description = "";
            source = None;
        }
    }
    cx.insert(
        "common",
        &Common {
            current_url: &url,
            current_permalink: config.permalink(&url),
            page_kind: kind,
            page_title: title,
            page_description: description,
        },
    );
    // The documented names are top-level values; `common` only groups their construction.
    if let Some(common) = cx.remove("common")
        && let Some(map) = common.as_map()
    {
        for (key, value) in map.iter() {
            cx.insert_value(key.to_string(), value.clone());
        }
    }
    Ok(Prepared {
        template: template.to_string(),
        url,
        source,
        cx,
    })
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

/// `site.*`: the same for every page, set once as Tera's global context.
#[derive(Serialize)]
struct SiteView<'a> {
    title: &'a str,
    description: &'a str,
    language: &'a str,
    base_url: &'a str,
    base_path: &'a str,
    sections: Vec<views::SectionLink<'a>>,
    taxonomies: Vec<TaxonomyLink<'a>>,
    glossary: Option<GlossaryLink<'a>>,
    counts: Counts,
    search_url: String,
    /// The script that starts fetching the search reader when a reader
    /// focuses a search box (content-hashed), on every page but the search page.
    search_prefetch_url: Option<String>,
    feed_url: String,
    extra: &'a serde_json::Value,
    theme: &'a serde_json::Map<String, serde_json::Value>,
}

#[derive(Serialize)]
struct TaxonomyLink<'a> {
    name: &'a str,
    label: &'a str,
    url: &'a str,
    count: usize,
}

#[derive(Serialize)]
struct GlossaryLink<'a> {
    title: &'a str,
    url: &'a str,
    count: usize,
}

#[derive(Serialize)]
struct Counts {
    resources: usize,
    glossary: usize,
    pages: usize,
    sections: usize,
}

impl<'a> SiteView<'a> {
    fn new(collection: &'a Collection, theme: &'a Theme) -> SiteView<'a> {
        let config = &collection.config;
        let count = |kind| collection.entries.iter().filter(|e| e.kind == kind).count();
        SiteView {
            title: &config.title,
            description: &config.description,
            language: &config.language,
            base_url: &config.base_url,
            base_path: &config.base_path,
            sections: collection.sections[0]
                .children
                .iter()
                .map(|&id| views::section_link(collection, id))
                .collect(),
            taxonomies: collection
                .taxonomies
                .iter()
                .map(|t| TaxonomyLink {
                    name: &t.config.name,
                    label: &t.config.label,
                    url: &t.path,
                    count: t
                        .terms
                        .iter()
                        .filter(|term| !term.resources.is_empty())
                        .count(),
                })
                .collect(),
            glossary: collection
                .sections
                .iter()
                .find(|s| s.glossary)
                .map(|s| GlossaryLink {
                    title: &s.title,
                    url: &s.path,
                    count: s.entries.len(),
                }),
            counts: Counts {
                resources: count(EntryKind::Resource),
                glossary: count(EntryKind::Glossary),
                pages: count(EntryKind::Page),
                sections: collection.sections.len() - 1,
            },
            search_url: format!("{}search/", config.base_path),
            search_prefetch_url: theme
                .search_files
                .get("search/prefetch.js")
                .map(|path| format!("{}{path}", config.base_path)),
            feed_url: format!("{}feed.xml", config.base_path),
            extra: &config.extra,
            theme: &theme.options,
        }
    }
}

#[derive(Serialize)]
struct SectionView<'a> {
    title: &'a str,
    description: &'a str,
    body: tera::Value,
    url: &'a str,
    permalink: String,
    ancestors: Vec<Link<'a>>,
    subsections: Vec<views::SectionLink<'a>>,
    /// Cards (`views::Card`), shared between the lists that show them.
    resources: Vec<tera::Value>,
    pagination: Pagination,
}

#[derive(Serialize)]
struct GlossaryView<'a> {
    title: &'a str,
    description: &'a str,
    body: tera::Value,
    url: &'a str,
    permalink: String,
    letters: Vec<views::Letter<'a>>,
}

#[derive(Serialize)]
struct EntryView<'a> {
    title: &'a str,
    summary: Option<&'a str>,
    body: tera::Value,
    synonyms: &'a [String],
    sources: &'a [crate::model::SourceRef],
    related: Vec<Link<'a>>,
    url: &'a str,
    permalink: String,
    glossary: Link<'a>,
}

#[derive(Serialize)]
struct PlainPageView<'a> {
    title: &'a str,
    summary: Option<&'a str>,
    body: tera::Value,
    url: &'a str,
    permalink: String,
    extra: &'a serde_json::Value,
}

#[derive(Serialize)]
struct TaxonomyTerms<'a> {
    name: &'a str,
    label: &'a str,
    terms: Vec<TermLink<'a>>,
}

#[derive(Serialize)]
struct Heading<'a> {
    level: u8,
    id: &'a str,
    title: &'a str,
}

#[derive(Serialize)]
struct ResourceView<'a> {
    title: &'a str,
    summary: Option<&'a str>,
    url: Option<&'a str>,
    permalink: String,
    path: &'a str,
    body: tera::Value,
    publisher: &'a [String],
    authors: &'a [String],
    published: Option<DateView>,
    updated: Option<DateView>,
    reviewed: Option<DateView>,
    licence: Option<&'a str>,
    language: Option<&'a str>,
    section: Link<'a>,
    #[serde(rename = "type")]
    kind: Option<TermLink<'a>>,
    ancestors: Vec<Link<'a>>,
    taxonomies: Vec<TaxonomyTerms<'a>>,
    related: Vec<Card<'a>>,
    headings: Vec<Heading<'a>>,
    extra: &'a serde_json::Value,
    source: String,
}

fn resource_view<'a>(
    collection: &'a Collection,
    bodies: &'a Bodies,
    id: EntryId,
    body: tera::Value,
) -> ResourceView<'a> {
    let entry = &collection.entries[id];
    let section = &collection.sections[entry.section];
    ResourceView {
        title: &entry.title,
        summary: entry.summary.as_deref(),
        url: entry.url.as_deref(),
        permalink: collection.config.permalink(&entry.path),
        path: &entry.path,
        body,
        publisher: &entry.publisher,
        authors: &entry.authors,
        published: entry.published.as_ref().map(DateView::from),
        updated: entry.updated.as_ref().map(DateView::from),
        reviewed: entry.reviewed.as_ref().map(DateView::from),
        licence: entry.licence.as_deref(),
        language: entry.language.as_deref(),
        section: Link {
            title: &section.title,
            url: &section.path,
        },
        kind: views::primary_term(collection, entry),
        ancestors: views::ancestors(collection, entry.section),
        taxonomies: collection
            .taxonomies
            .iter()
            .enumerate()
            .filter(|(t, _)| entry.terms.get(*t).is_some_and(|terms| !terms.is_empty()))
            .map(|(t, taxonomy)| TaxonomyTerms {
                name: &taxonomy.config.name,
                label: &taxonomy.config.label,
                terms: entry.terms[t]
                    .iter()
                    .map(|&i| term_link(&taxonomy.terms[i]))
                    .collect(),
            })
            .collect(),
        related: entry
            .related
            .iter()
            .map(|&r| Card::new(collection, r))
            .collect(),
        headings: bodies.entries[id]
            .headings
            .iter()
            .map(|h| Heading {
                level: h.level,
                id: &h.id,
                title: &h.title,
            })
            .collect(),
        extra: &entry.extra,
        source: format!("content/{}", entry.file.rel),
    }
}

#[derive(Serialize)]
struct TermCount<'a> {
    slug: &'a str,
    label: &'a str,
    description: &'a str,
    url: &'a str,
    count: usize,
}

#[derive(Serialize)]
struct TaxonomyView<'a> {
    name: &'a str,
    label: &'a str,
    description: &'a str,
    url: &'a str,
    terms: Vec<TermCount<'a>>,
}

fn taxonomy_view(collection: &Collection, t: usize) -> TaxonomyView<'_> {
    let taxonomy = &collection.taxonomies[t];
    TaxonomyView {
        name: &taxonomy.config.name,
        label: &taxonomy.config.label,
        description: &taxonomy.config.description,
        url: &taxonomy.path,
        terms: taxonomy
            .terms
            .iter()
            .map(|term| TermCount {
                slug: &term.slug,
                label: &term.label,
                description: &term.description,
                url: &term.path,
                count: term.resources.len(),
            })
            .collect(),
    }
}

#[derive(Serialize)]
struct TermView<'a> {
    slug: &'a str,
    label: &'a str,
    description: &'a str,
    url: &'a str,
    permalink: String,
    count: usize,
    /// Cards (`views::Card`), shared between the lists that show them.
    resources: Vec<tera::Value>,
    pagination: Pagination,
    /// On a matrix cell's page: the second term the list is narrowed by.
    filter: Option<Filter<'a>>,
}

#[derive(Serialize)]
struct Filter<'a> {
    name: &'a str,
    label: &'a str,
    term: TermLink<'a>,
}

#[derive(Serialize)]
struct SearchView<'a> {
    index_url: Option<String>,
    wasm_url: String,
    glue_url: String,
    script_url: String,
    css_url: String,
    /// The stemmer module of the collection's language; none for a language
    /// that is not stemmed.
    stemmer_url: Option<String>,
    taxonomies: Vec<TaxonomyTerms<'a>>,
}

fn search_view<'a>(collection: &'a Collection, search: &SearchAssets) -> SearchView<'a> {
    let base = &collection.config.base_path;
    let stemmer = almanac_search::stemmer_algorithm(&collection.config.language);
    SearchView {
        index_url: search.index_path.as_ref().map(|p| format!("{base}{p}")),
        wasm_url: search.url(base, "search/almanac_search_wasm_bg.wasm"),
        glue_url: search.url(base, "search/almanac_search_wasm.js"),
        script_url: search.url(base, "search/search.js"),
        css_url: search.url(base, "search/search.css"),
        stemmer_url: stemmer.map(|name| search.url(base, &format!("search/stemmers/{name}.wasm"))),
        taxonomies: collection
            .taxonomies
            .iter()
            .map(|t| TaxonomyTerms {
                name: &t.config.name,
                label: &t.config.label,
                terms: t
                    .terms
                    .iter()
                    .filter(|term| !term.resources.is_empty())
                    .map(term_link)
                    .collect(),
            })
            .collect(),
    }
}

#[derive(Serialize)]
struct HomeView<'a> {
    title: &'a str,
    body: tera::Value,
    counts: Vec<HomeCount<'a>>,
    matrix: Option<Matrix<'a>>,
    newest: Vec<Card<'a>>,
    recently_reviewed: Vec<Card<'a>>,
    charts: Vec<charts::Chart>,
}

#[derive(Serialize)]
struct HomeCount<'a> {
    label: &'a str,
    count: usize,
    url: Option<&'a str>,
}

#[derive(Serialize)]
struct Matrix<'a> {
    rows_label: &'a str,
    columns_label: &'a str,
    columns: Vec<TermLink<'a>>,
    rows: Vec<MatrixRow<'a>>,
}

#[derive(Serialize)]
struct MatrixRow<'a> {
    term: TermLink<'a>,
    cells: Vec<MatrixCell>,
    total: usize,
}

#[derive(Serialize)]
struct MatrixCell {
    count: usize,
    /// The list of the cell's resources; none when it has none.
    url: Option<String>,
}

fn home_view<'a>(collection: &'a Collection, bodies: &'a Bodies, cells: &Cells) -> HomeView<'a> {
    let root = &collection.sections[0];
    let resources: Vec<EntryId> = collection.resources().map(|(id, _)| id).collect();
    let newest_first = |key: &dyn Fn(EntryId) -> Option<crate::model::date::PartialDate>| {
        let mut ids: Vec<EntryId> = resources
            .iter()
            .copied()
            .filter(|&id| key(id).is_some())
            .collect();
        ids.sort_by(|&a, &b| {
            key(b).cmp(&key(a)).then_with(|| {
                collection.entries[a]
                    .title
                    .cmp(&collection.entries[b].title)
            })
        });
        ids.truncate(6);
        ids.into_iter()
            .map(|id| Card::new(collection, id))
            .collect::<Vec<_>>()
    };
    let mut counts = vec![HomeCount {
        label: "Resources",
        count: resources.len(),
        url: None,
    }];
    if let Some(g) = collection.sections.iter().find(|s| s.glossary) {
        counts.push(HomeCount {
            label: "Glossary terms",
            count: g.entries.len(),
            url: Some(&g.path),
        });
    }
    for taxonomy in &collection.taxonomies {
        counts.push(HomeCount {
            label: &taxonomy.config.label,
            count: taxonomy
                .terms
                .iter()
                .filter(|t| !t.resources.is_empty())
                .count(),
            url: Some(&taxonomy.path),
        });
    }
    HomeView {
        title: &root.title,
        body: bodies.sections[0]
            .as_ref()
            .map_or_else(|| safe(""), |b| safe(&b.html)),
        counts,
        matrix: matrix(collection, cells),
        newest: newest_first(&|id| collection.entries[id].published),
        recently_reviewed: newest_first(&|id| collection.entries[id].reviewed),
        charts: charts::home(collection),
    }
}

fn matrix<'a>(collection: &'a Collection, cells: &Cells) -> Option<Matrix<'a>> {
    let (r, c) = matrix_axes(collection)?;
    let rows_tax = &collection.taxonomies[r];
    let cols_tax = &collection.taxonomies[c];
    let used_columns: Vec<usize> = (0..cols_tax.terms.len())
        .filter(|&i| !cols_tax.terms[i].resources.is_empty())
        .collect();
    Some(Matrix {
        rows_label: &rows_tax.config.label,
        columns_label: &cols_tax.config.label,
        columns: used_columns
            .iter()
            .map(|&i| term_link(&cols_tax.terms[i]))
            .collect(),
        rows: rows_tax
            .terms
            .iter()
            .enumerate()
            .filter(|(_, term)| !term.resources.is_empty())
            .map(|(row, term)| MatrixRow {
                term: term_link(term),
                cells: used_columns
                    .iter()
                    .map(|&column| {
                        let count = cells.get(row, column).len();
                        MatrixCell {
                            count,
                            url: (count > 0)
                                .then(|| cell_path(collection, row, column))
                                .flatten(),
                        }
                    })
                    .collect(),
                total: term.resources.len(),
            })
            .collect(),
    })
}

fn term_link(term: &crate::model::Term) -> TermLink<'_> {
    TermLink {
        slug: &term.slug,
        label: &term.label,
        url: &term.path,
    }
}
