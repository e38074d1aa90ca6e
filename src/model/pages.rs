//! The pages of a site: which there are (every list paginated, every matrix cell),
//! and where each is published. What each shows is render's.

use std::collections::HashMap;

use super::{Collection, EntryId, SectionId};
use crate::paths::{file_of_url, page_url};

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

impl Page {
    /// The page's rooted address (`/guidance/page/2/`).
    pub fn url(self, collection: &Collection) -> String {
        let base = &collection.config.home_path;
        match self {
            Page::Home => base.clone(),
            Page::Section(id, n) => page_url(&collection.sections[id].path, n),
            Page::Entry(id) => collection.entries[id].path.clone(),
            Page::Taxonomy(t) => collection.taxonomies[t].path.clone(),
            Page::Term(t, i, n) => page_url(&collection.taxonomies[t].terms[i].path, n),
            Page::Cell(row, column, n) => {
                page_url(&cell_path(collection, row, column).unwrap_or_default(), n)
            }
            Page::Search => format!("{base}search/"),
            Page::NotFound => format!("{base}404.html"),
        }
    }

    /// The page's file in the output.
    pub fn file(self, collection: &Collection) -> String {
        file_of_url(&collection.config.base_path, &self.url(collection))
    }
}

/// The files Almanac writes for the whole collection in one language: its feed,
/// sitemap, robots.txt and exports.
pub const CATALOGUE: [&str; 5] = [
    "feed.xml",
    "sitemap.xml",
    "robots.txt",
    "resources.json",
    "resources.csv",
];

/// The collection's references and catalogue: for reference managers (BibTeX,
/// RIS, CSL-JSON) and for data portals (DCAT in Turtle and JSON-LD).
pub const EXPORTS: [&str; 5] = [
    "resources.bib",
    "resources.ris",
    "resources.csl.json",
    "catalog.ttl",
    "catalog.jsonld",
];

/// Where the vocabularies are published as SKOS, each in Turtle and JSON-LD.
pub const VOCABULARIES: &str = "vocabularies";

/// The formats a resource's reference can be downloaded in, beside its page:
/// name, file extension, media type.
pub const CITATION_FORMATS: [(&str, &str, &str); 3] = [
    ("BibTeX", "bib", "application/x-bibtex"),
    ("RIS", "ris", "application/x-research-info-systems"),
    (
        "CSL-JSON",
        "csl.json",
        "application/vnd.citationstyles.csl+json",
    ),
];

/// The rooted address of a resource's reference in the format of extension `ext`:
/// beside its page, named after it (`/guidance/x/x.bib`).
pub fn citation_url(collection: &Collection, id: EntryId, ext: &str) -> String {
    let entry = &collection.entries[id];
    format!("{}{}.{ext}", entry.path, entry.slug)
}

/// The names the vocabularies are published under (`vocabularies/<name>.ttl`):
/// each taxonomy with a controlled vocabulary, then the glossary, as (name,
/// what it is).
pub fn vocabularies(collection: &Collection) -> Vec<(String, Vocabulary)> {
    let mut names: Vec<(String, Vocabulary)> = collection
        .taxonomies
        .iter()
        .enumerate()
        .filter(|(_, t)| t.config.terms.is_some())
        .map(|(t, taxonomy)| (taxonomy.config.name.clone(), Vocabulary::Taxonomy(t)))
        .collect();
    if let Some((id, section)) = collection
        .sections
        .iter()
        .enumerate()
        .find(|(_, s)| s.glossary)
    {
        let name = section.dir.rsplit('/').next().unwrap_or("glossary");
        names.push((name.to_string(), Vocabulary::Glossary(id)));
    }
    names
}

/// What a vocabulary file publishes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Vocabulary {
    Taxonomy(usize),
    /// The glossary section.
    Glossary(SectionId),
}

/// The files Almanac writes for the whole collection (`editions`: in each of its
/// languages, the default first): [`CATALOGUE`], each other language's feed in its
/// folder (`fr/feed.xml`), [`EXPORTS`] and the vocabularies; with `references`,
/// each resource's reference files in each language too (made with these, but
/// beside each resource's page).
pub fn catalogue_files(editions: &[&Collection], references: bool) -> Vec<String> {
    let Some(collection) = editions.first() else {
        return Vec::new();
    };
    let config = &collection.config;
    let mut paths: Vec<String> = CATALOGUE.iter().map(|p| p.to_string()).collect();
    paths.extend(
        config
            .languages
            .iter()
            .skip(1)
            .map(|l| format!("{}/feed.xml", l.segment())),
    );
    paths.extend(EXPORTS.iter().map(|p| p.to_string()));
    for (name, _) in vocabularies(collection) {
        paths.push(format!("{VOCABULARIES}/{name}.ttl"));
        paths.push(format!("{VOCABULARIES}/{name}.jsonld"));
    }
    if references {
        for edition in editions {
            paths.extend(citation_files(edition).into_iter().map(|(_, path)| path));
        }
    }
    paths
}

/// Each resource's reference files in one language: entry and output path.
pub fn citation_files(collection: &Collection) -> Vec<(EntryId, String)> {
    let base = &collection.config.base_path;
    collection
        .resources()
        .filter(|(_, e)| !e.elsewhere)
        .flat_map(|(id, _)| {
            CITATION_FORMATS
                .iter()
                .map(move |(_, ext, _)| (id, file_of_url(base, &citation_url(collection, id, ext))))
        })
        .collect()
}

/// Every page of the site, in a stable order.
pub fn all(collection: &Collection, cells: &Cells) -> Vec<Page> {
    let mut pages = vec![Page::Home, Page::Search, Page::NotFound];
    for (id, section) in collection.sections.iter().enumerate().skip(1) {
        let count = if section.glossary {
            1
        } else {
            page_count(section.entries.len(), section.paginate_by)
        };
        pages.extend((1..=count).map(|n| Page::Section(id, n)));
    }
    // An entry without a translation into this language has no page in it.
    pages.extend(
        (0..collection.entries.len())
            .filter(|&id| !collection.entries[id].elsewhere)
            .map(Page::Entry),
    );
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

/// How many pages a list of `items` takes.
pub fn page_count(items: usize, per_page: usize) -> usize {
    items.div_ceil(per_page.max(1)).max(1)
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

/// Where a matrix cell's list lives: under the row term, `/principles/fairness/type/guidance/`.
pub fn cell_path(collection: &Collection, row: usize, column: usize) -> Option<String> {
    let (r, c) = matrix_axes(collection)?;
    let columns = &collection.taxonomies[c];
    Some(format!(
        "{}{}/{}/",
        collection.taxonomies[r].terms[row].path, columns.config.name, columns.terms[column].slug
    ))
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
