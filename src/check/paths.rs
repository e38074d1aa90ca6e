//! Checks of the modelled collection as a whole: every page at a path of its own
//! (and none at one the build writes itself), and entries that are valid but
//! likely mistakes.

use std::collections::BTreeMap;

use crate::config::RESERVED_SEGMENTS;
use crate::diagnostics::{Diagnostic, Location};
use crate::model::{self, Collection, Entry, EntryKind};
use crate::yaml::Step;

/// Two pages may not share an output path, and no page may take one the build writes itself.
pub fn output_paths(collection: &Collection) -> Vec<Diagnostic> {
    let Collection {
        config,
        sections,
        entries,
        taxonomies,
        ..
    } = collection;
    let mut problems = Vec::new();
    let mut owners: BTreeMap<String, String> = BTreeMap::new();
    let base = &config.base_path;
    for reserved in RESERVED_SEGMENTS {
        owners.insert(
            format!("{base}{reserved}/"),
            "a page Almanac writes itself".into(),
        );
    }
    for language in config.languages.iter().skip(1) {
        owners.insert(
            format!("{base}{}/", language.segment()),
            format!("the pages in `{}`", language.code),
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
                            model::rooted_alias(config, written.trim()).as_ref() == Some(alias)
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

/// The codes of [`entries`]' warnings.
pub const ENTRY_WARNINGS: [&str; 2] = ["missing-summary", "duplicate-url"];

/// Warnings about entries that are valid but likely mistakes: no summary, and two
/// entries for one outbound address.
pub fn entries(entries: &[Entry]) -> Vec<Diagnostic> {
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
