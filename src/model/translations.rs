//! Translations: `name.<code>.md` beside its source (or a file of another name that
//! says `translation_of: section/name.md`) gives an entry's or a section's text in
//! another language. Each language other than the default gets a collection of its
//! own, made from the default language's: the translated texts in, every page under
//! the language's folder (`/fr/guidance/x/`), the vocabulary's labels in the
//! language, and the lists in the language's title order. An entry without a
//! translation has no page there: it is listed (or left out, `untranslated: hide`)
//! and linked to its own page, marked as being elsewhere.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::entries::{sources, unknown_fields};
use super::fields::Fields;
use super::{Collection, EntryKind, ModelOptions, Target, ordering, sections};
use crate::config::Config;
use crate::content::SourceFile;
use crate::diagnostics::{Diagnostic, Location};
use crate::paths::slugify;

/// Fields a translation of a resource may set (besides the source's own taxonomy
/// terms, written again): what is said in words, and where the translated document is.
const RESOURCE_FIELDS: &[&str] = &[
    "title",
    "summary",
    "url",
    "publisher",
    "authors",
    "licence",
    "reviewed",
    "updated",
    "extra",
    "draft",
    "translation_of",
    "changes",
];
/// Fields a translation of a glossary term may set.
const GLOSSARY_FIELDS: &[&str] = &[
    "title",
    "summary",
    "synonyms",
    "sources",
    "reviewed",
    "updated",
    "extra",
    "draft",
    "translation_of",
];
/// Fields a translation of a plain page may set.
const PAGE_FIELDS: &[&str] = &[
    "title",
    "summary",
    "updated",
    "extra",
    "draft",
    "translation_of",
];
/// Fields a translation of a section's `_index.md` may set.
const SECTION_FIELDS: &[&str] = &["title", "description", "draft", "translation_of"];

/// The content files split by language: the default language's, and the
/// translations of each other language. A file is a translation when its name ends
/// in `.<code>.md` for a declared language.
pub struct Split {
    pub files: Vec<SourceFile>,
    pub translations: BTreeMap<String, Vec<SourceFile>>,
    pub problems: Vec<Diagnostic>,
}

/// Sorts the files of `content/` by language.
pub fn split(config: &Config, files: Vec<SourceFile>) -> Split {
    let mut split = Split {
        files: Vec::with_capacity(files.len()),
        translations: BTreeMap::new(),
        problems: Vec::new(),
    };
    for file in files {
        match language_of(config, &file) {
            None => split.files.push(file),
            Some(code) if code == config.default_language() => {
                let source = source_name(&file.rel);
                split.problems.push(
                    Diagnostic::error(
                        "translation",
                        format!(
                            "`{code}` is the default language: its text is in the file without a language"
                        ),
                    )
                    .at(Location::file(file.source.path.clone()))
                    .help(format!("rename the file to content/{source}")),
                );
            }
            Some(code) => split
                .translations
                .entry(code.to_string())
                .or_default()
                .push(file),
        }
    }
    split
}

/// The declared language whose code the file's name ends with (`x.fr.md`).
fn language_of<'a>(config: &'a Config, file: &SourceFile) -> Option<&'a str> {
    let stem = file.file_name().strip_suffix(".md")?;
    let (_, suffix) = stem.rsplit_once('.')?;
    config
        .languages
        .iter()
        .find(|l| l.code.eq_ignore_ascii_case(suffix))
        .map(|l| l.code.as_str())
}

/// `guidance/x.fr.md` → `guidance/x.md`.
fn source_name(rel: &str) -> String {
    let stem = rel.strip_suffix(".md").unwrap_or(rel);
    match stem.rsplit_once('.') {
        Some((name, _)) => format!("{name}.md"),
        None => rel.to_string(),
    }
}

/// The collection in `config`'s language, made from the default language's
/// collection and the language's translation files.
pub fn translate(
    default: &Collection,
    config: Config,
    files: Vec<SourceFile>,
    options: ModelOptions,
) -> (Collection, Vec<Diagnostic>) {
    let mut problems = Vec::new();
    let mut collection = default.clone();
    let base = config.base_path.clone();
    let home = config.home_path.clone();
    let relocate = |path: &str| match path.strip_prefix(base.as_str()) {
        Some(rest) => format!("{home}{rest}"),
        None => path.to_string(),
    };
    for section in &mut collection.sections {
        section.path = relocate(&section.path);
        // Old addresses redirect once, to the default language's page.
        section.aliases.clear();
    }
    for (t, taxonomy) in collection.taxonomies.iter_mut().enumerate() {
        taxonomy.config = config.taxonomies[t].clone();
        taxonomy.path = relocate(&taxonomy.path);
        let vocabulary = taxonomy.config.terms.as_deref().unwrap_or_default();
        for (i, term) in taxonomy.terms.iter_mut().enumerate() {
            term.path = relocate(&term.path);
            if let Some(declared) = vocabulary.get(i) {
                term.label = declared.label.clone();
                term.description = declared.description.clone();
            }
        }
    }
    for entry in &mut collection.entries {
        entry.elsewhere = true;
        entry.aliases.clear();
    }
    collection.config = config;

    let mut translated: BTreeMap<Target, String> = BTreeMap::new();
    for file in files {
        let map = match file.fields() {
            Ok(map) => map,
            Err(mut found) => {
                problems.append(&mut found);
                continue;
            }
        };
        let file = Arc::new(file);
        let mut f = Fields::new(&file, &map);
        let source = f
            .text("translation_of")
            .map(|path| {
                path.trim_start_matches("@/")
                    .trim_start_matches('/')
                    .to_string()
            })
            .unwrap_or_else(|| source_name(&file.rel));
        let Some(&target) = collection.targets.get(&source) else {
            let location = if f.get("translation_of").is_some() {
                f.value_location("translation_of", &source)
            } else {
                f.start()
            };
            problems.push(
                super::missing_target(&collection.targets, &source, location, "this translates")
                    .help(format!(
                        "a translation sits beside its source with the language before `.md` (content/{}), or names it with `translation_of:`",
                        source_name(&file.rel)
                    )),
            );
            continue;
        };
        if let Some(first) = translated.get(&target) {
            problems.push(
                Diagnostic::error(
                    "translation",
                    format!("`content/{first}` already translates `content/{source}`"),
                )
                .at(f.start())
                .help("keep one translation per language of each file"),
            );
            continue;
        }
        translated.insert(target, file.rel.clone());
        match target {
            Target::Entry(id) => {
                translate_entry(&mut collection, id, &mut f, options);
                problems.append(&mut f.problems);
                let entry = &mut collection.entries[id];
                if !entry.elsewhere {
                    entry.path = relocate(&entry.path);
                    entry.file = file.clone();
                }
            }
            Target::Section(id) => {
                unknown_fields(&mut f, SECTION_FIELDS, &[], "a translated _index.md");
                // A draft translation leaves the section in its source's words.
                if f.bool("draft").unwrap_or(false) && !options.drafts {
                    problems.append(&mut f.problems);
                    continue;
                }
                let section = &mut collection.sections[id];
                if let Some(title) = f.text("title") {
                    section.title = title;
                }
                if let Some(description) = f.text("description") {
                    section.description = description;
                }
                problems.append(&mut f.problems);
                section.file = Some(file.clone());
            }
        }
    }
    order(&mut collection);
    (collection, problems)
}

/// Reads a translation's fields over its entry's. A draft translation leaves the
/// entry untranslated unless drafts are built.
fn translate_entry(collection: &mut Collection, id: usize, f: &mut Fields, options: ModelOptions) {
    let kind = collection.entries[id].kind;
    let taxonomy_names: Vec<&str> = collection
        .config
        .taxonomies
        .iter()
        .map(|t| t.name.as_str())
        .collect();
    match kind {
        EntryKind::Resource => {
            unknown_fields(f, RESOURCE_FIELDS, &taxonomy_names, "a translated resource")
        }
        EntryKind::Glossary => {
            unknown_fields(f, GLOSSARY_FIELDS, &[], "a translated glossary entry")
        }
        EntryKind::Page => unknown_fields(f, PAGE_FIELDS, &[], "a translated page"),
    }
    if kind == EntryKind::Resource {
        same_terms(collection, id, f);
        same_change_dates(collection, id, f);
    }
    if f.bool("draft").unwrap_or(false) && !options.drafts {
        return;
    }
    let entry = &mut collection.entries[id];
    entry.elsewhere = false;
    if let Some(title) = f.text("title").filter(|t| !t.is_empty()) {
        entry.title = title;
    }
    if let Some(summary) = f.text("summary").filter(|s| !s.is_empty()) {
        entry.summary = Some(summary);
    }
    if let Some(date) = f.date("updated") {
        entry.updated = Some(date);
    }
    if let Some(date) = f.date("reviewed") {
        entry.reviewed = Some(date);
    }
    if f.get("extra").is_some() {
        entry.extra = f.extra();
    }
    match kind {
        EntryKind::Resource => {
            if let Some(url) = f.url("url") {
                entry.url = Some(url);
            }
            if f.get("publisher").is_some() {
                entry.publisher = f.list("publisher");
            }
            if f.get("authors").is_some() {
                entry.authors = f.list("authors");
            }
            if let Some(licence) = f.text("licence").filter(|s| !s.is_empty()) {
                entry.licence = Some(licence);
            }
        }
        EntryKind::Glossary => {
            if f.get("synonyms").is_some() {
                entry.synonyms = f.list("synonyms");
            }
            if f.get("sources").is_some() {
                entry.sources = sources(f);
            }
        }
        EntryKind::Page => {}
    }
}

/// A translation words its source's change notes in its language, or leaves them
/// in the source's: the same notes, so the same dates in the same order.
fn same_change_dates(collection: &mut Collection, id: usize, f: &mut Fields) {
    if f.get("changes").is_none() {
        return;
    }
    let translated = super::lifecycle::changes(f);
    let entry = &mut collection.entries[id];
    let own = &entry.lifecycle.changes;
    if translated
        .iter()
        .map(|n| n.date)
        .eq(own.iter().map(|n| n.date))
    {
        entry.lifecycle.changes = translated;
        return;
    }
    let location = f.key_location("changes");
    let listed = if own.is_empty() {
        "none".to_string()
    } else {
        let dates: Vec<String> = own.iter().map(|n| n.date.to_string()).collect();
        dates.join(", ")
    };
    f.problems.push(
        Diagnostic::error(
            "translation-changes",
            format!("a translation words its source's change notes, dated {listed}"),
        )
        .at(location)
        .label("not the source's dates")
        .help(format!(
            "give the notes of content/{} in the same order with the same dates, or remove `changes:` to show the source's",
            entry.file.rel
        )),
    );
}

/// A translation may write its source's taxonomy terms again, but not other ones:
/// an entry is filed under the same terms in every language.
fn same_terms(collection: &Collection, id: usize, f: &mut Fields) {
    let entry = &collection.entries[id];
    for (t, taxonomy) in collection.taxonomies.iter().enumerate() {
        let name = &taxonomy.config.name;
        if f.get(name).is_none() {
            continue;
        }
        let mut written: Vec<String> = f
            .list(name)
            .iter()
            .map(|value| {
                if taxonomy.config.terms.is_some() {
                    value.clone()
                } else {
                    slugify(value)
                }
            })
            .collect();
        let mut own: Vec<String> = entry.terms[t]
            .iter()
            .map(|&i| taxonomy.terms[i].slug.clone())
            .collect();
        written.sort();
        written.dedup();
        own.sort();
        if written != own {
            let location = f.key_location(name);
            f.problems.push(
                Diagnostic::error(
                    "translation-terms",
                    format!(
                        "a translation is filed under its source's `{name}` terms ({})",
                        own.join(", ")
                    ),
                )
                .at(location)
                .label("not the source's terms")
                .help(format!(
                    "remove `{name}:` from the translation, or change the terms in content/{}",
                    entry.file.rel
                )),
            );
        }
    }
}

/// Puts every list in the language's order: sections and terms list their entries
/// by the translated titles; entries without a translation are left out of the lists
/// when the collection says so.
fn order(collection: &mut Collection) {
    let keep: Vec<bool> = collection
        .entries
        .iter()
        .map(|e| collection.lists(e))
        .collect();
    let rank = ordering::title_ranks(&collection.entries);
    for taxonomy in &mut collection.taxonomies {
        for term in &mut taxonomy.terms {
            term.resources.retain(|&id| keep[id]);
            term.resources.sort_by_key(|&id| rank[id]);
        }
    }
    for section in &mut collection.sections {
        section.entries.clear();
    }
    sections::fill(&mut collection.sections, &collection.entries, &rank, |id| {
        keep[id]
    });
}
