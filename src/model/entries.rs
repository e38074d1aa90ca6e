//! Entries: a resource, glossary term or plain page read from its file's front
//! matter, every field typed and checked; `related` paths and taxonomy values are
//! kept as written until every entry is known.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use super::fields::{self, Fields};
use super::{Entry, EntryKind, Section, SectionId, SourceRef, Target, missing_target};
use crate::config::{Config, GLOSSARY_FIELDS, PAGE_FIELDS, RESOURCE_FIELDS, TaxonomyConfig};
use crate::content::SourceFile;
use crate::diagnostics::{Diagnostic, did_you_mean};
use crate::paths::{clean_path, slugify};

/// An entry as read, its problems, and its `related` paths and taxonomy values
/// (resolved once every entry is known; located only if one is wrong).
pub(super) type Pending = (
    Option<Entry>,
    Vec<Diagnostic>,
    Vec<String>,
    Vec<Vec<String>>,
);

pub(super) fn read_entry(
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
        elsewhere: false,
        file: file.clone(),
        lifecycle: Default::default(),
        superseded_by: None,
        replaces: Vec::new(),
        archived_url: None,
        proposal: None,
    };
    if kind == EntryKind::Resource {
        entry.url = f.url("url");
        entry.publisher = f.list("publisher");
        entry.authors = f.list("authors");
        entry.published = f.date("published");
        entry.licence = f.text("licence").filter(|s| !s.is_empty());
        entry.lifecycle = super::lifecycle::read(&mut f);
        entry.archived_url = f.url("archived_url");
        entry.proposal = super::proposal::read(&mut f);
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

pub(super) fn unknown_fields(f: &mut Fields, allowed: &[&str], taxonomies: &[&str], what: &str) {
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
pub fn rooted_alias(config: &Config, alias: &str) -> Option<String> {
    let clean = clean_path(alias).filter(|clean| !clean.is_empty())?;
    Some(if clean.ends_with(".html") {
        format!("{}{clean}", config.base_path)
    } else {
        format!("{}{clean}/", config.base_path)
    })
}

pub(super) fn aliases(config: &Config, f: &mut Fields) -> Vec<String> {
    let mut out = Vec::new();
    for alias in f.list("aliases") {
        match rooted_alias(config, &alias) {
            // A name starting with `.` is one a build never writes: in a deploy
            // checkout it is `.git/` or the like, which is not the site's.
            Some(_) if clean_path(&alias).is_some_and(|clean| crate::output::hidden(&clean)) => {
                let location = f.value_location("aliases", &alias);
                f.problems.push(
                    Diagnostic::error(
                        "reserved-path",
                        format!("alias `{alias}` names a hidden file or folder (a name starting with `.`), which a build never writes"),
                    )
                    .at(location)
                    .label("a hidden name")
                    .help("hidden files of the output (`.git/`, say) are left as they are; write the old address without a name that starts with `.`"),
                );
            }
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

pub(super) fn sources(f: &mut Fields) -> Vec<SourceRef> {
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
                    && !crate::paths::is_web_address(u)
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

/// The entries of a collection as read, with what each names that is resolved once
/// all are known, in the same order.
pub(super) struct Read {
    pub entries: Vec<Entry>,
    /// Each entry's `related` paths as written.
    pub related: Vec<Vec<String>>,
    /// Each entry's values of each taxonomy as written.
    pub values: Vec<Vec<Vec<String>>>,
    /// The drafts made from proposals, built or not.
    pub proposals: Vec<super::proposal::Proposed>,
}

/// Every entry file read, in parallel (each file's fields are independent of the
/// others), drafts left out unless asked for.
pub(super) fn read_all(
    config: &Config,
    files: &[Arc<SourceFile>],
    sections: &[Section],
    section_ids: &HashMap<String, SectionId>,
    drafts: bool,
    problems: &mut Vec<Diagnostic>,
) -> Read {
    use rayon::prelude::*;
    let read: Vec<Pending> = files
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
            read_entry(config, file.clone(), kind, section, sections)
        })
        .collect();
    let mut all = Read {
        entries: Vec::with_capacity(read.len()),
        related: Vec::with_capacity(read.len()),
        values: Vec::with_capacity(read.len()),
        proposals: Vec::new(),
    };
    for (entry, mut found, related, values) in read {
        problems.append(&mut found);
        if let Some(entry) = entry {
            if entry.draft
                && let Some(proposal) = &entry.proposal
            {
                all.proposals.push(super::proposal::Proposed {
                    title: entry.title.clone(),
                    file: entry.file.clone(),
                    proposal: proposal.clone(),
                });
            }
            if entry.draft && !drafts {
                continue;
            }
            all.entries.push(entry);
            all.related.push(related);
            all.values.push(values);
        }
    }
    all
}

/// Each entry's `related` paths resolved against the collection's files.
pub(super) fn resolve_related(
    entries: &mut [Entry],
    related: Vec<Vec<String>>,
    targets: &BTreeMap<String, Target>,
    problems: &mut Vec<Diagnostic>,
) {
    for (id, pending) in related.into_iter().enumerate() {
        for path in pending {
            let key = path.trim_start_matches("@/").trim_start_matches('/');
            match targets.get(key) {
                Some(Target::Entry(target)) => entries[id].related.push(*target),
                _ => {
                    let location = fields::locate_value(&entries[id].file, "related", &path);
                    problems.push(missing_target(targets, key, location, "`related` names"));
                }
            }
        }
    }
}
