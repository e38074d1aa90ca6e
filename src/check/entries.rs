//! Entries that are valid but likely mistakes: no summary, and two entries for one
//! outbound address. Warnings only.

use std::collections::BTreeMap;

use crate::diagnostics::{Diagnostic, Location};
use crate::model::{Entry, EntryKind};
use crate::yaml::Step;

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
