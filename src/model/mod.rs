//! The collection as curators think of it: sections, resources, glossary entries,
//! plain pages and taxonomies, each with its permalink, built from the parsed files
//! and the config. Fields are typed and checked here; links between entries resolved.

pub mod date;
mod fields;
pub mod update;

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use serde::Serialize;

use crate::config::{
    Config, GLOSSARY_FIELDS, PAGE_FIELDS, RESERVED_SEGMENTS, RESOURCE_FIELDS, SECTION_FIELDS,
    TaxonomyConfig,
};
use crate::content::SourceFile;
use crate::diagnostics::{Diagnostic, Location, did_you_mean};
use crate::paths::{clean_path, slugify};
use crate::yaml::Step;
use date::PartialDate;
use fields::Fields;

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
    /// Resources with this term, by title.
    pub resources: Vec<EntryId>,
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
}

/// What an internal link can point at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Entry(EntryId),
    Section(SectionId),
}

impl Collection {
    pub fn resources(&self) -> impl Iterator<Item = (EntryId, &Entry)> {
        self.entries
            .iter()
            .enumerate()
            .filter(|(_, e)| e.kind == EntryKind::Resource)
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

    // Sections: every folder is one; `_index.md` gives it a title and settings.
    let mut section_dirs: Vec<String> = vec![String::new()];
    section_dirs.extend(dirs.iter().cloned());
    section_dirs.sort();
    section_dirs.dedup();
    let mut index_files: HashMap<String, Arc<SourceFile>> = HashMap::new();
    let mut entry_files = Vec::new();
    for file in files {
        if file.file_name() == "_index.md" {
            index_files.insert(file.dir().to_string(), Arc::new(file));
        } else {
            entry_files.push(Arc::new(file));
        }
    }

    let section_ids: HashMap<String, SectionId> = section_dirs
        .iter()
        .enumerate()
        .map(|(i, d)| (d.clone(), i))
        .collect();
    let mut sections: Vec<Section> = section_dirs
        .iter()
        .map(|dir| read_section(&config, dir, index_files.get(dir).cloned(), &mut problems))
        .collect();
    for id in 1..sections.len() {
        let dir = sections[id].dir.clone();
        let parent_dir = dir.rsplit_once('/').map_or("", |(p, _)| p);
        let parent = section_ids.get(parent_dir).copied().unwrap_or(0);
        sections[id].parent = Some(parent);
        sections[parent].children.push(id);
    }

    // Entries, read in parallel: each file's fields are independent of the others.
    let mut entries: Vec<Entry> = Vec::with_capacity(entry_files.len());
    let read: Vec<Pending> = {
        use rayon::prelude::*;
        entry_files
            .par_iter()
            .map(|file| {
                let section = section_ids.get(file.dir()).copied().unwrap_or(0);
                let kind = if section == 0 {
                    EntryKind::Page
                } else if sections[section].glossary {
                    EntryKind::Glossary
                } else {
                    EntryKind::Resource
                };
                read_entry(&config, file.clone(), kind, section, &sections)
            })
            .collect()
    };
    let mut related_raw: Vec<Vec<String>> = Vec::new();
    let mut term_values: Vec<Vec<Vec<String>>> = Vec::new();
    for (entry, mut diagnostics, related, terms) in read {
        problems.append(&mut diagnostics);
        if let Some(entry) = entry {
            if entry.draft && !options.drafts {
                continue;
            }
            entries.push(entry);
            related_raw.push(related);
            term_values.push(terms);
        }
    }

    // Link targets, and one output path per page.
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

    // Related entries.
    for (id, pending) in related_raw.into_iter().enumerate() {
        for path in pending {
            let key = path.trim_start_matches("@/").trim_start_matches('/');
            match targets.get(key) {
                Some(Target::Entry(target)) => entries[id].related.push(*target),
                _ => {
                    let location = fields::locate_value(&entries[id].file, "related", &path);
                    problems.push(missing_target(&targets, key, location, "`related` names"));
                }
            }
        }
    }

    // Taxonomies: terms checked against the vocabularies, resources listed per term.
    let mut taxonomies: Vec<Taxonomy> = config
        .taxonomies
        .iter()
        .map(|t| Taxonomy {
            path: format!("{}{}/", config.base_path, t.name),
            terms: t
                .terms
                .iter()
                .flatten()
                .map(|term| Term {
                    slug: term.slug.clone(),
                    label: term.label.clone(),
                    description: term.description.clone(),
                    path: format!("{}{}/{}/", config.base_path, t.name, term.slug),
                    resources: Vec::new(),
                })
                .collect(),
            config: t.clone(),
        })
        .collect();
    for (id, values) in term_values.into_iter().enumerate() {
        let mut chosen = vec![Vec::new(); taxonomies.len()];
        for (t, values) in values.into_iter().enumerate() {
            let taxonomy = &mut taxonomies[t];
            for value in values {
                let location =
                    || fields::locate_value(&entries[id].file, &taxonomy.config.name, &value);
                let index = if taxonomy.config.terms.is_some() {
                    match taxonomy.terms.iter().position(|term| term.slug == value) {
                        Some(i) => i,
                        None => {
                            problems.push(unknown_term(taxonomy, &value, location()));
                            continue;
                        }
                    }
                } else {
                    let slug = slugify(&value);
                    if slug.is_empty() {
                        problems.push(
                            Diagnostic::error(
                                "term",
                                format!(
                                    "`{value}` cannot be made into a term of `{}`",
                                    taxonomy.config.name
                                ),
                            )
                            .at(location())
                            .label("no letters or digits"),
                        );
                        continue;
                    }
                    match taxonomy.terms.iter().position(|term| term.slug == slug) {
                        Some(i) => i,
                        None => {
                            taxonomy.terms.push(Term {
                                path: format!("{}{}/", taxonomy.path, slug),
                                slug,
                                label: value.clone(),
                                description: String::new(),
                                resources: Vec::new(),
                            });
                            taxonomy.terms.len() - 1
                        }
                    }
                };
                if !chosen[t].contains(&index) {
                    chosen[t].push(index);
                }
            }
        }
        for (t, terms) in chosen.iter().enumerate() {
            for &term in terms {
                taxonomies[t].terms[term].resources.push(id);
            }
        }
        entries[id].terms = chosen;
    }
    // Every list falls back to title order: rank the entries by title once rather
    // than lowercase two titles in each comparison of each list (millions at 100k).
    let rank = title_ranks(&entries);
    for taxonomy in &mut taxonomies {
        if taxonomy.config.terms.is_none() {
            taxonomy.terms.sort_by(|a, b| {
                a.label
                    .to_lowercase()
                    .cmp(&b.label.to_lowercase())
                    .then_with(|| a.slug.cmp(&b.slug))
            });
        }
        for term in &mut taxonomy.terms {
            term.resources.sort_by_key(|&a| rank[a]);
        }
    }
    // Open vocabularies were re-sorted: map each entry's term indexes to the new order.
    for (t, taxonomy) in taxonomies.iter().enumerate() {
        if taxonomy.config.terms.is_none() {
            for entry in &mut entries {
                entry.terms[t].clear();
            }
            for (i, term) in taxonomy.terms.iter().enumerate() {
                for &r in &term.resources {
                    entries[r].terms[t].push(i);
                }
            }
        }
    }

    // Entries into their sections, in each section's order.
    for (id, entry) in entries.iter().enumerate() {
        sections[entry.section].entries.push(id);
    }
    for section in &mut sections {
        let sort_by = section.sort_by;
        section.entries.sort_by(|&a, &b| {
            first_order(sort_by, &entries[a], &entries[b]).then_with(|| rank[a].cmp(&rank[b]))
        });
    }
    let weights: Vec<(Option<i64>, String)> = sections
        .iter()
        .map(|s| (s.weight, s.title.to_lowercase()))
        .collect();
    for section in &mut sections {
        section
            .children
            .sort_by(|&a, &b| weight_then(&weights[a], &weights[b]));
    }

    problems.extend(check_output_paths(
        &config,
        &sections,
        &entries,
        &taxonomies,
    ));
    problems.extend(check_entries(&entries));

    (
        Collection {
            config,
            sections,
            entries,
            taxonomies,
            targets,
        },
        problems,
    )
}

fn weight_then(a: &(Option<i64>, String), b: &(Option<i64>, String)) -> std::cmp::Ordering {
    match (a.0, b.0) {
        (Some(x), Some(y)) => x.cmp(&y).then_with(|| a.1.cmp(&b.1)),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => a.1.cmp(&b.1),
    }
}

fn title_order(a: &Entry, b: &Entry) -> std::cmp::Ordering {
    a.title
        .to_lowercase()
        .cmp(&b.title.to_lowercase())
        .then_with(|| a.file.rel.cmp(&b.file.rel))
}

/// Each entry's place in [`title_order`].
fn title_ranks(entries: &[Entry]) -> Vec<usize> {
    let keys: Vec<String> = entries.iter().map(|e| e.title.to_lowercase()).collect();
    let mut order: Vec<usize> = (0..entries.len()).collect();
    order.sort_by(|&a, &b| {
        keys[a]
            .cmp(&keys[b])
            .then_with(|| entries[a].file.rel.cmp(&entries[b].file.rel))
    });
    let mut rank = vec![0; entries.len()];
    for (place, &id) in order.iter().enumerate() {
        rank[id] = place;
    }
    rank
}

/// The order of entries in a section; ties always fall back to title, then path.
pub fn entry_order(sort_by: SortBy, a: &Entry, b: &Entry) -> std::cmp::Ordering {
    first_order(sort_by, a, b).then_with(|| title_order(a, b))
}

/// A section's own order, before the fallback to titles.
fn first_order(sort_by: SortBy, a: &Entry, b: &Entry) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    // Newest first; undated entries last.
    let newest = |x: Option<PartialDate>, y: Option<PartialDate>| match (x, y) {
        (Some(x), Some(y)) => y.cmp(&x),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    };
    match sort_by {
        SortBy::Title => Ordering::Equal,
        SortBy::Published => newest(a.published, b.published),
        SortBy::Reviewed => newest(a.reviewed, b.reviewed),
        SortBy::Weight => match (a.weight, b.weight) {
            (Some(x), Some(y)) => x.cmp(&y),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        },
    }
}

fn read_section(
    config: &Config,
    dir: &str,
    file: Option<Arc<SourceFile>>,
    problems: &mut Vec<Diagnostic>,
) -> Section {
    let segments: Vec<String> = dir
        .split('/')
        .filter(|s| !s.is_empty())
        .map(slugify)
        .collect();
    let path = if segments.is_empty() {
        config.base_path.clone()
    } else {
        format!("{}{}/", config.base_path, segments.join("/"))
    };
    let fallback_title = if dir.is_empty() {
        config.title.clone()
    } else {
        crate::paths::label_from_slug(dir.rsplit('/').next().unwrap_or(dir))
    };
    let mut section = Section {
        dir: dir.to_string(),
        file: file.clone(),
        path,
        title: fallback_title,
        description: String::new(),
        sort_by: SortBy::Title,
        paginate_by: config.paginate_by,
        glossary: false,
        weight: None,
        extra: serde_json::Value::Object(Default::default()),
        aliases: Vec::new(),
        template: None,
        parent: None,
        children: Vec::new(),
        entries: Vec::new(),
    };
    let Some(file) = file else {
        return section;
    };
    let map = match file.fields() {
        Ok(map) => map,
        Err(mut found) => {
            // The section stays, named after its folder, so its entries still build.
            problems.append(&mut found);
            section.file = None;
            return section;
        }
    };
    let mut f = Fields::new(&file, &map);
    unknown_fields(&mut f, SECTION_FIELDS, &[], "a section's _index.md");
    if let Some(title) = f.text("title") {
        section.title = title;
    }
    section.description = f.text("description").unwrap_or_default();
    if let Some(sort_by) = f.text("sort_by") {
        section.sort_by = match sort_by.as_str() {
            "title" => SortBy::Title,
            "published" | "date" => SortBy::Published,
            "reviewed" => SortBy::Reviewed,
            "weight" => SortBy::Weight,
            other => {
                let location = f.value_location("sort_by", other);
                f.problems.push(
                    Diagnostic::error("field-value", format!("`sort_by` cannot be `{other}`"))
                        .at(location)
                        .label("expected title, published, reviewed or weight")
                        .maybe_help(
                            did_you_mean(other, ["title", "published", "reviewed", "weight"])
                                .map(|s| format!("did you mean `{s}`?")),
                        ),
                );
                SortBy::Title
            }
        };
    }
    if let Some(n) = f.positive("paginate_by") {
        section.paginate_by = n;
    }
    if let Some(kind) = f.text("kind") {
        if kind == "glossary" {
            section.glossary = true;
        } else {
            let location = f.value_location("kind", &kind);
            f.problems.push(
                Diagnostic::error("field-value", format!("`kind` cannot be `{kind}`"))
                    .at(location)
                    .label("the only kind is `glossary`")
                    .help("remove the field for an ordinary section"),
            );
        }
    }
    section.weight = f.integer("weight");
    section.extra = f.extra();
    section.template = f.text("template");
    section.aliases = aliases(config, &mut f);
    problems.append(&mut f.problems);
    section
}

fn unknown_fields(f: &mut Fields, allowed: &[&str], taxonomies: &[&str], what: &str) {
    for key in f.map.keys() {
        let key = crate::yaml::scalar_text(key);
        if allowed.contains(&key.as_str()) || taxonomies.contains(&key.as_str()) {
            continue;
        }
        let candidates = allowed.iter().chain(taxonomies.iter()).copied();
        let location = f.key_location(&key);
        let known_elsewhere = crate::config::is_built_in(&key);
        let message = if known_elsewhere {
            format!("`{key}` is not a field of {what}")
        } else {
            format!("unknown field `{key}`")
        };
        let help = did_you_mean(&key, candidates)
            .map(|s| format!("did you mean `{s}`?"))
            .or_else(|| {
                (!known_elsewhere && !taxonomies.is_empty()).then(|| {
                    "declare it as a taxonomy in almanac.yaml, or put free fields under `extra:`".to_string()
                })
            });
        f.problems.push(
            Diagnostic::error("unknown-field", message)
                .at(location)
                .label("not a field here")
                .maybe_help(help),
        );
    }
}

/// An alias as the rooted address it redirects from; `None` if it leaves the site.
fn rooted_alias(config: &Config, alias: &str) -> Option<String> {
    let clean = clean_path(alias).filter(|clean| !clean.is_empty())?;
    Some(if clean.ends_with(".html") {
        format!("{}{clean}", config.base_path)
    } else {
        format!("{}{clean}/", config.base_path)
    })
}

fn aliases(config: &Config, f: &mut Fields) -> Vec<String> {
    let mut out = Vec::new();
    for alias in f.list("aliases") {
        match rooted_alias(config, &alias) {
            Some(rooted) => out.push(rooted),
            None => {
                let location = f.value_location("aliases", &alias);
                f.problems.push(
                    Diagnostic::error("path-escape", format!("alias `{alias}` would be written outside the site"))
                        .at(location)
                        .label("not a path inside the site")
                        .help("write the old address as a path from the site's root, e.g. `/old-section/old-name/`"),
                );
            }
        }
    }
    out
}

/// An entry as read, its problems, and its `related` paths and taxonomy values
/// (resolved once every entry is known; located only if one is wrong).
type Pending = (
    Option<Entry>,
    Vec<Diagnostic>,
    Vec<String>,
    Vec<Vec<String>>,
);

fn read_entry(
    config: &Config,
    file: Arc<SourceFile>,
    kind: EntryKind,
    section: SectionId,
    sections: &[Section],
) -> Pending {
    let map = match file.fields() {
        Ok(map) => map,
        Err(found) => return (None, found, Vec::new(), Vec::new()),
    };
    let mut f = Fields::new(&file, &map);
    let taxonomy_names: Vec<&str> = config.taxonomies.iter().map(|t| t.name.as_str()).collect();
    match kind {
        EntryKind::Resource => {
            unknown_fields(&mut f, RESOURCE_FIELDS, &taxonomy_names, "a resource")
        }
        EntryKind::Glossary => unknown_fields(&mut f, GLOSSARY_FIELDS, &[], "a glossary entry"),
        EntryKind::Page => unknown_fields(
            &mut f,
            PAGE_FIELDS,
            &[],
            "a plain page (a file at the top of content/)",
        ),
    }
    let title = f.text("title").unwrap_or_default();
    if title.is_empty() {
        let location = if f.get("title").is_some() {
            f.key_location("title")
        } else {
            f.start()
        };
        f.problems.push(
            Diagnostic::error("missing-title", "the entry has no title")
                .at(location)
                .label("a `title:` field is required")
                .help("add a line such as `title: Data Ethics Framework` to the front matter"),
        );
    }
    let stem = file.file_name().trim_end_matches(".md");
    let slug = match f.text("slug") {
        Some(slug) => {
            if slug.contains(['/', '\\']) || slug == ".." || slug == "." || slug.contains("..") {
                let location = f.value_location("slug", &slug);
                f.problems.push(
                    Diagnostic::error(
                        "path-escape",
                        format!("slug `{slug}` would put the page outside its section"),
                    )
                    .at(location)
                    .label("a slug is one part of an address")
                    .help(format!("use a plain name such as `{}`", slugify(&slug))),
                );
                slugify(stem)
            } else {
                slugify(&slug)
            }
        }
        None => slugify(stem),
    };
    let slug = if slug.is_empty() {
        "entry".to_string()
    } else {
        slug
    };
    let path = format!("{}{slug}/", sections[section].path);

    let mut entry = Entry {
        kind,
        section,
        slug,
        path,
        title,
        summary: f.text("summary").filter(|s| !s.is_empty()),
        url: None,
        publisher: Vec::new(),
        authors: Vec::new(),
        published: None,
        updated: f.date("updated"),
        reviewed: f.date("reviewed"),
        licence: None,
        language: f.text("language").filter(|s| !s.is_empty()),
        related: Vec::new(),
        aliases: aliases(config, &mut f),
        weight: f.integer("weight"),
        draft: f.bool("draft").unwrap_or(false),
        autolink: f.bool("autolink").unwrap_or(true),
        extra: f.extra(),
        synonyms: Vec::new(),
        sources: Vec::new(),
        template: f.text("template"),
        terms: Vec::new(),
        file: file.clone(),
    };
    if kind == EntryKind::Resource {
        entry.url = f.url("url");
        entry.publisher = f.list("publisher");
        entry.authors = f.list("authors");
        entry.published = f.date("published");
        entry.licence = f.text("licence").filter(|s| !s.is_empty());
    }
    if kind == EntryKind::Glossary {
        entry.synonyms = f.list("synonyms");
        entry.sources = sources(&mut f);
    }
    if kind != EntryKind::Page {
        // Checked for shape now; resolved once every entry is known.
        f.list("related");
    }
    if kind == EntryKind::Resource {
        for taxonomy in &config.taxonomies {
            let values = f.list(&taxonomy.name);
            if taxonomy.required && values.is_empty() {
                let location = if f.get(&taxonomy.name).is_some() {
                    f.key_location(&taxonomy.name)
                } else {
                    f.start()
                };
                f.problems.push(
                    Diagnostic::error(
                        "missing-term",
                        format!(
                            "the resource has no `{}` ({})",
                            taxonomy.name, taxonomy.label
                        ),
                    )
                    .at(location)
                    .label(format!("`{}` is required", taxonomy.name))
                    .help(suggest_terms(taxonomy)),
                );
            }
            if taxonomy.single && values.len() > 1 {
                let location = f.key_location(&taxonomy.name);
                f.problems.push(
                    Diagnostic::error(
                        "single-term",
                        format!("`{}` takes one term, not {}", taxonomy.name, values.len()),
                    )
                    .at(location)
                    .label("only one term allowed")
                    .help(format!(
                        "keep the main one, e.g. `{}: {}`",
                        taxonomy.name, values[0]
                    )),
                );
            }
        }
    }
    let related = pending_related(&mut f, kind);
    let terms = pending_terms(&mut f, config, kind);
    (Some(entry), f.problems, related, terms)
}

fn suggest_terms(taxonomy: &TaxonomyConfig) -> String {
    match &taxonomy.terms {
        Some(terms) => {
            let names: Vec<&str> = terms.iter().take(8).map(|t| t.slug.as_str()).collect();
            let more = if terms.len() > 8 { ", …" } else { "" };
            format!(
                "add e.g. `{}: {}`; terms: {}{more}",
                taxonomy.name,
                names.first().unwrap_or(&""),
                names.join(", ")
            )
        }
        None => format!("add a line `{}: <term>`", taxonomy.name),
    }
}

fn sources(f: &mut Fields) -> Vec<SourceRef> {
    let Some(value) = f.get("sources") else {
        return Vec::new();
    };
    let items: Vec<&serde_yaml::Value> = match value {
        serde_yaml::Value::Sequence(items) => items.iter().collect(),
        serde_yaml::Value::Null => return Vec::new(),
        other => vec![other],
    };
    let mut out = Vec::new();
    for item in items {
        match item {
            serde_yaml::Value::String(title) => out.push(SourceRef {
                title: title.clone(),
                url: None,
                locator: None,
            }),
            serde_yaml::Value::Mapping(map) => {
                let text = |k: &str| {
                    map.get(k)
                        .map(crate::yaml::scalar_text)
                        .filter(|s| !s.is_empty())
                };
                let url = text("url");
                if let Some(u) = &url
                    && !(u.starts_with("http://") || u.starts_with("https://"))
                {
                    let location = f.value_location("sources", u);
                    f.problems.push(
                        Diagnostic::error(
                            "url-scheme",
                            format!("a source's `url` must be an http or https address, not `{u}`"),
                        )
                        .at(location)
                        .label("not an http(s) address"),
                    );
                    continue;
                }
                match text("title") {
                    Some(title) => out.push(SourceRef {
                        title,
                        url,
                        locator: text("locator"),
                    }),
                    None => {
                        let location = f.key_location("sources");
                        f.problems.push(
                            Diagnostic::error("field-type", "each source needs a `title`")
                                .at(location)
                                .label("a source without a title")
                                .help("write sources as `- title: …` with optional `url:` and `locator:`"),
                        );
                    }
                }
            }
            _ => {
                let location = f.key_location("sources");
                f.problems.push(
                    Diagnostic::error(
                        "field-type",
                        "`sources` must be a list of titles or of `title`/`url` maps",
                    )
                    .at(location)
                    .label("expected a list of sources"),
                );
            }
        }
    }
    out
}

/// `related` paths, resolved once all entries are read.
fn pending_related(f: &mut Fields, kind: EntryKind) -> Vec<String> {
    if kind == EntryKind::Page {
        return Vec::new();
    }
    f.list("related")
}

/// Each taxonomy's values.
fn pending_terms(f: &mut Fields, config: &Config, kind: EntryKind) -> Vec<Vec<String>> {
    config
        .taxonomies
        .iter()
        .map(|taxonomy| {
            if kind != EntryKind::Resource {
                return Vec::new();
            }
            let mut values = f.list(&taxonomy.name);
            if taxonomy.single {
                values.truncate(1);
            }
            values
        })
        .collect()
}

fn unknown_term(taxonomy: &Taxonomy, value: &str, location: Location) -> Diagnostic {
    let by_slug = did_you_mean(value, taxonomy.terms.iter().map(|t| t.slug.as_str()));
    let by_label = taxonomy
        .terms
        .iter()
        .find(|t| t.label.eq_ignore_ascii_case(value))
        .map(|t| t.slug.clone());
    let help = by_label
        .or(by_slug)
        .map(|s| format!("did you mean `{s}`?"))
        .unwrap_or_else(|| {
            format!(
                "use one of the terms declared for `{}` in almanac.yaml, or add `{value}` there",
                taxonomy.config.name
            )
        });
    Diagnostic::error(
        "unknown-term",
        format!(
            "`{value}` is not a term of `{}` ({})",
            taxonomy.config.name, taxonomy.config.label
        ),
    )
    .at(location)
    .label("not in the vocabulary")
    .help(help)
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

/// Two pages may not share an output path, and no page may take one the build writes itself.
fn check_output_paths(
    config: &Config,
    sections: &[Section],
    entries: &[Entry],
    taxonomies: &[Taxonomy],
) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let mut owners: BTreeMap<String, String> = BTreeMap::new();
    let base = &config.base_path;
    for reserved in RESERVED_SEGMENTS {
        owners.insert(
            format!("{base}{reserved}/"),
            "a page Almanac writes itself".into(),
        );
    }
    for taxonomy in taxonomies {
        owners.insert(
            taxonomy.path.clone(),
            format!("the taxonomy `{}`", taxonomy.config.name),
        );
    }
    // Located only on a clash: finding where a key is written parses the front matter.
    let mut claim = |path: &str, owner: String, location: &dyn Fn() -> Location, what: &str| {
        if let Some(previous) = owners.get(path) {
            problems.push(
                Diagnostic::error(
                    "duplicate-path",
                    format!("{what} would be written at `{path}`, which {previous} already uses"),
                )
                .at(location())
                .label("same output path")
                .help("give one of them another `slug`, or rename the file"),
            );
        } else {
            owners.insert(path.to_string(), owner);
        }
    };
    for section in sections.iter().skip(1) {
        let location = || match &section.file {
            Some(file) => Location::span(&file.source, 0..0),
            None => Location::file(format!("content/{}", section.dir)),
        };
        claim(
            &section.path,
            format!("the section `content/{}`", section.dir),
            &location,
            "the section",
        );
    }
    for entry in entries {
        // An explicit slug is the likely cause; otherwise the file as a whole.
        let location = || {
            entry
                .file
                .spans()
                .key(&[Step::key("slug")])
                .unwrap_or_else(|| Location::span(&entry.file.source, 0..0))
        };
        claim(
            &entry.path,
            format!("`content/{}`", entry.file.rel),
            &location,
            "this entry",
        );
    }
    for (owner, file, aliases) in entries
        .iter()
        .map(|e| (&e.path, Some(&e.file), &e.aliases))
        .chain(
            sections
                .iter()
                .map(|s| (&s.path, s.file.as_ref(), &s.aliases)),
        )
    {
        let _ = owner;
        for alias in aliases {
            let location = || {
                file.map(|f| {
                    f.spans()
                        .find(&[Step::key("aliases")], |written| {
                            rooted_alias(config, written.trim()).as_ref() == Some(alias)
                        })
                        .unwrap_or_else(|| Location::span(&f.source, 0..0))
                })
                .unwrap_or_else(|| Location::file("content"))
            };
            claim(
                alias,
                format!("an alias in `content/{}`", file.map_or("", |f| &f.rel)),
                &location,
                "this alias",
            );
        }
    }
    problems
}

/// Warnings about entries that are valid but likely mistakes.
fn check_entries(entries: &[Entry]) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let mut seen_urls: BTreeMap<String, &Entry> = BTreeMap::new();
    for entry in entries {
        if entry.kind != EntryKind::Page && entry.summary.is_none() && !entry.title.is_empty() {
            problems.push(
                Diagnostic::warning("missing-summary", "the entry has no summary")
                    .at(entry
                        .file
                        .spans()
                        .key(&[Step::key("title")])
                        .unwrap_or_else(|| Location::span(&entry.file.source, 0..0)))
                    .label("readers see the summary in lists and search results")
                    .help("add a one-sentence `summary:`"),
            );
        }
        if let Some(url) = &entry.url {
            let key = url.trim_end_matches('/').to_ascii_lowercase();
            if let Some(first) = seen_urls.get(&key) {
                let location = entry
                    .file
                    .spans()
                    .entry(&[Step::key("url")])
                    .unwrap_or_else(|| Location::span(&entry.file.source, 0..0));
                problems.push(
                    Diagnostic::warning(
                        "duplicate-url",
                        format!("`content/{}` already links to this address", first.file.rel),
                    )
                    .at(location)
                    .label("the same resource twice?")
                    .help("merge the two entries, or list one as `related` of the other"),
                );
            } else {
                seen_urls.insert(key, entry);
            }
        }
    }
    problems
}
