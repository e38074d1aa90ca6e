//! The collection as curators think of it: sections, resources, glossary entries,
//! plain pages and taxonomies, each with its permalink, built from the parsed files
//! and the config. Fields are typed and checked here; links between entries resolved.

pub mod date;
mod entries;
mod fields;
pub mod lifecycle;
mod ordering;
pub mod pages;
pub mod proposal;
pub mod review;
mod sections;
mod taxonomies;
pub mod translations;
pub mod update;

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use serde::Serialize;

use crate::config::{Config, TaxonomyConfig};
use crate::content::SourceFile;
use crate::diagnostics::{Diagnostic, Location, did_you_mean};
use date::PartialDate;
pub use entries::rooted_alias;
pub use ordering::entry_order;

pub type EntryId = usize;
pub type SectionId = usize;

/// What kind of page an entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    /// A catalogued resource in a section.
    Resource,
    /// A term in a section with `kind: glossary`.
    Glossary,
    /// A plain page at the top of `content/` (about, contact).
    Page,
}

/// A source cited by a glossary entry.
#[derive(Debug, Clone, Serialize)]
pub struct SourceRef {
    pub title: String,
    pub url: Option<String>,
    pub locator: Option<String>,
}

/// One page of content: a resource, a glossary entry or a plain page.
#[derive(Debug, Clone)]
pub struct Entry {
    pub kind: EntryKind,
    pub file: Arc<SourceFile>,
    pub section: SectionId,
    pub slug: String,
    /// Rooted URL of the page: `/guidance/x/` (with the base path).
    pub path: String,
    pub title: String,
    pub summary: Option<String>,
    /// The outbound address of a resource.
    pub url: Option<String>,
    pub publisher: Vec<String>,
    pub authors: Vec<String>,
    pub published: Option<PartialDate>,
    pub updated: Option<PartialDate>,
    pub reviewed: Option<PartialDate>,
    pub licence: Option<String>,
    pub language: Option<String>,
    pub related: Vec<EntryId>,
    /// Rooted URLs that redirect here.
    pub aliases: Vec<String>,
    pub weight: Option<i64>,
    pub draft: bool,
    pub autolink: bool,
    pub extra: serde_json::Value,
    pub synonyms: Vec<String>,
    pub sources: Vec<SourceRef>,
    pub template: Option<String>,
    /// Per taxonomy (same order as `Collection::taxonomies`), the indexes of its terms.
    pub terms: Vec<Vec<usize>>,
    /// In a language other than the default: the entry has no translation, so it has
    /// no page here; lists link to its own page, in its own language.
    pub elsewhere: bool,
    /// `status`, `superseded_by` as written, and the change notes.
    pub lifecycle: lifecycle::Lifecycle,
    /// The entry that replaces this one, resolved from `superseded_by`.
    pub superseded_by: Option<EntryId>,
    /// The entries this one replaces (those naming it in `superseded_by`), by file.
    pub replaces: Vec<EntryId>,
    /// A copy of the resource in a web archive, offered when its address breaks.
    pub archived_url: Option<String>,
    /// Who proposed the resource, when and why (`proposed:`), never published.
    pub proposal: Option<proposal::Proposal>,
}

/// How a section orders its entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortBy {
    Title,
    Published,
    Reviewed,
    Weight,
}

/// A folder of `content/`, with or without an `_index.md`.
#[derive(Debug, Clone)]
pub struct Section {
    /// Folder relative to `content/` (`` for the home page).
    pub dir: String,
    pub file: Option<Arc<SourceFile>>,
    pub path: String,
    pub title: String,
    pub description: String,
    pub sort_by: SortBy,
    pub paginate_by: usize,
    pub glossary: bool,
    pub weight: Option<i64>,
    pub extra: serde_json::Value,
    pub aliases: Vec<String>,
    pub template: Option<String>,
    pub parent: Option<SectionId>,
    pub children: Vec<SectionId>,
    /// Entries directly in this folder, in the section's order.
    pub entries: Vec<EntryId>,
}

/// A taxonomy with the terms in use (or, for a controlled vocabulary, all of them).
#[derive(Debug, Clone)]
pub struct Taxonomy {
    pub config: TaxonomyConfig,
    pub path: String,
    pub terms: Vec<Term>,
}

#[derive(Debug, Clone)]
pub struct Term {
    pub slug: String,
    pub label: String,
    pub description: String,
    pub path: String,
    /// Resources with this term, by title; with the taxonomy's `include_narrower`,
    /// those of its narrower terms too.
    pub resources: Vec<EntryId>,
    /// The more general terms and the more specific ones, as (taxonomy, term)
    /// places in `Collection::taxonomies`.
    pub broader: Vec<(usize, usize)>,
    pub narrower: Vec<(usize, usize)>,
}

/// The whole collection, ready to render.
#[derive(Debug, Clone)]
pub struct Collection {
    pub config: Config,
    pub sections: Vec<Section>,
    pub entries: Vec<Entry>,
    pub taxonomies: Vec<Taxonomy>,
    /// Content paths (`guidance/x.md`, `guidance/_index.md`) to what they are, for links.
    pub targets: BTreeMap<String, Target>,
    /// What the last link check found of each outbound address.
    pub links: Arc<crate::content::links::LinkCache>,
    /// Drafts made from colleagues' proposals, waiting for review, in file order
    /// (whether or not drafts are built).
    pub proposals: Vec<proposal::Proposed>,
    /// In a language other than the default, the translated entries and sections
    /// whose source was committed in git after the translation was last committed
    /// (none outside git), for the notice on their pages.
    pub outdated: BTreeMap<Target, Outdated>,
}

/// A translation older than its source: the commit times (seconds since 1970, UTC)
/// of the last change of each file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outdated {
    pub source_changed: i64,
    pub translated: i64,
}

impl Outdated {
    /// A commit time as the day it was made (UTC).
    pub fn day(seconds: i64) -> PartialDate {
        let date = time::OffsetDateTime::from_unix_timestamp(seconds)
            .unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
            .date();
        PartialDate {
            year: date.year(),
            month: Some(u8::from(date.month())),
            day: Some(date.day()),
        }
    }
}

/// What an internal link can point at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Target {
    Entry(EntryId),
    Section(SectionId),
}

impl Collection {
    /// The entries' ids in title order. The search index keeps its documents in
    /// about this order and lets go of each once it is indexed, so they are made
    /// in it: a page of memory holds what was made together, and is handed back
    /// as indexing goes rather than only at its end (at 100,000 realistic
    /// resources, about 50 MB of the build's peak).
    pub fn work_order(&self) -> Vec<EntryId> {
        ordering::by_title(&self.entries)
    }

    pub fn resources(&self) -> impl Iterator<Item = (EntryId, &Entry)> {
        self.entries
            .iter()
            .enumerate()
            .filter(|(_, e)| e.kind == EntryKind::Resource)
    }

    /// Whether this language's edition lists and counts the entry: always when it is
    /// translated (or in the default language); an entry without a translation only
    /// unless the collection says `untranslated: hide`. Lists, counts, charts and
    /// the search index of a language all follow this one rule.
    pub fn lists(&self, entry: &Entry) -> bool {
        !entry.elsewhere || self.config.list_untranslated
    }

    /// The resources this edition lists (see [`Collection::lists`]).
    pub fn listed_resources(&self) -> impl Iterator<Item = (EntryId, &Entry)> {
        self.resources().filter(|(_, e)| self.lists(e))
    }

    pub fn target_path(&self, target: Target) -> &str {
        match target {
            Target::Entry(id) => &self.entries[id].path,
            Target::Section(id) => &self.sections[id].path,
        }
    }

    /// Lets go of the source texts that nothing else holds: a build is done with them
    /// once the bodies are rendered and checked, and in a large collection they are
    /// a fifth of its memory. (`serve` keeps its own handles, so its texts stay.)
    pub fn release_sources(&mut self) {
        let entries = self.entries.iter_mut().map(|e| &mut e.file);
        let sections = self.sections.iter_mut().filter_map(|s| s.file.as_mut());
        for file in entries.chain(sections) {
            if let Some(file) = Arc::get_mut(file) {
                file.release_text();
            }
        }
    }

    /// The URL of an internal link target such as `guidance/x.md`.
    pub fn resolve(&self, link: &str) -> Option<&str> {
        let key = link.trim_start_matches('/');
        self.targets.get(key).map(|t| self.target_path(*t))
    }

    /// Sections from the top down to `id`, excluding the home page.
    pub fn ancestors(&self, id: SectionId) -> Vec<SectionId> {
        let mut chain = Vec::new();
        let mut current = Some(id);
        while let Some(s) = current {
            if s != 0 {
                chain.push(s);
            }
            current = self.sections[s].parent;
        }
        chain.reverse();
        chain
    }

    /// Resources in a section and all of its subsections.
    pub fn resource_count(&self, id: SectionId) -> usize {
        let section = &self.sections[id];
        section
            .entries
            .iter()
            .filter(|&&e| self.entries[e].kind == EntryKind::Resource)
            .count()
            + section
                .children
                .iter()
                .map(|&c| self.resource_count(c))
                .sum::<usize>()
    }
}

/// Options that change what goes into the collection.
#[derive(Debug, Clone, Copy, Default)]
pub struct ModelOptions {
    pub drafts: bool,
}

/// Builds the collection from parsed files. Every problem found becomes a diagnostic;
/// the collection is still returned so that later checks can run and report theirs.
pub fn build(
    config: Config,
    files: Vec<SourceFile>,
    dirs: &[String],
    options: ModelOptions,
) -> (Collection, Vec<Diagnostic>) {
    let mut problems = Vec::new();
    let mut index_files: HashMap<String, Arc<SourceFile>> = HashMap::new();
    let mut entry_files = Vec::new();
    for file in files {
        if file.file_name() == "_index.md" {
            index_files.insert(file.dir().to_string(), Arc::new(file));
        } else {
            entry_files.push(Arc::new(file));
        }
    }
    let (mut sections, section_ids) =
        sections::read_all(&config, dirs, &index_files, &mut problems);
    let entries::Read {
        mut entries,
        related,
        values,
        proposals,
    } = entries::read_all(
        &config,
        &entry_files,
        &sections,
        &section_ids,
        options.drafts,
        &mut problems,
    );
    let targets = targets(&sections, &entries);
    entries::resolve_related(&mut entries, related, &targets, &mut problems);
    lifecycle::resolve(&mut entries, &targets, &mut problems);
    let mut taxonomies = taxonomies::resolve(&config, &mut entries, values, &mut problems);
    // Every list falls back to title order: rank the entries by title once rather
    // than lowercase two titles in each comparison of each list (millions at 100k).
    let rank = ordering::title_ranks(&entries);
    taxonomies::order(&mut taxonomies, &mut entries, &rank);
    taxonomies::include_narrower(&mut taxonomies, &rank);
    sections::fill(&mut sections, &entries, &rank, |_| true);
    let collection = Collection {
        config,
        sections,
        entries,
        taxonomies,
        targets,
        links: Arc::default(),
        proposals,
        outdated: BTreeMap::new(),
    };
    (collection, problems)
}

/// Every file an internal link may name (`guidance/x.md`, `guidance/_index.md`).
fn targets(sections: &[Section], entries: &[Entry]) -> BTreeMap<String, Target> {
    let mut targets = BTreeMap::new();
    for (id, section) in sections.iter().enumerate() {
        let key = if section.dir.is_empty() {
            "_index.md".to_string()
        } else {
            format!("{}/_index.md", section.dir)
        };
        targets.insert(key, Target::Section(id));
    }
    for (id, entry) in entries.iter().enumerate() {
        targets.insert(entry.file.rel.clone(), Target::Entry(id));
    }
    targets
}

/// A diagnostic for a link or `related` path that names no file of the collection.
pub fn missing_target(
    targets: &BTreeMap<String, Target>,
    key: &str,
    location: Location,
    what: &str,
) -> Diagnostic {
    let suggestion = did_you_mean(key, targets.keys().map(String::as_str)).or_else(|| {
        // A right file name in the wrong folder is the most common slip.
        let name = key.rsplit('/').next().unwrap_or(key);
        targets
            .keys()
            .find(|k| k.rsplit('/').next() == Some(name))
            .cloned()
    });
    Diagnostic::error("broken-link", format!("{what} `{key}`, which is not in the collection"))
        .at(location)
        .label("no such entry")
        .help(match suggestion {
            Some(s) => format!("did you mean `{s}`?"),
            None => "write the path of a Markdown file relative to content/, e.g. `guidance/data-ethics-framework.md`".into(),
        })
}
