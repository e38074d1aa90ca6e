//! The search index beside rendering: the collection's resources, glossary entries
//! and plain pages as plain-text documents for `crates/search`, which writes the
//! packed tantivy index the search page and `almanac search` read.

use almanac_search::{DocKind, Document, IndexConfig, TaxonomyInfo};

use crate::diagnostics::Diagnostic;
use crate::model::{Collection, EntryKind};
use crate::output::{Contents, OutputFile};
use crate::render::SearchAssets;
use crate::render::bodies::Bodies;

/// The folder of the site that holds the index.
pub const FOLDER: &str = "search";

/// Writes the index of the collection: the files to publish, and what the search
/// page needs to find them.
pub fn index(
    collection: &Collection,
    bodies: &Bodies,
) -> Result<(Vec<OutputFile>, SearchAssets), Diagnostic> {
    index_texts(
        collection,
        bodies.entries.iter().map(|b| b.text.clone()).collect(),
    )
}

/// Like [`index`], with the entries' body texts handed over rather than copied: a
/// build that is done with them saves holding every body twice at its peak.
pub fn index_texts(
    collection: &Collection,
    texts: Vec<String>,
) -> Result<(Vec<OutputFile>, SearchAssets), Diagnostic> {
    let config = IndexConfig {
        language: collection.config.language.clone(),
        taxonomies: collection
            .taxonomies
            .iter()
            .map(|t| TaxonomyInfo {
                name: t.config.name.clone(),
                label: t.config.label.clone(),
                terms: t
                    .terms
                    .iter()
                    .map(|term| (term.slug.clone(), term.label.clone()))
                    .collect(),
            })
            .collect(),
    };
    let files =
        almanac_search::write_index_owned(&config, documents(collection, texts)).map_err(|e| {
            Diagnostic::error(
                "search-index",
                format!("the search index could not be written: {e}"),
            )
        })?;
    let files: Vec<OutputFile> = files
        .into_iter()
        .map(|f| OutputFile {
            path: format!("{FOLDER}/{}", f.name),
            contents: Contents::Bytes(f.bytes),
        })
        .collect();
    let assets = SearchAssets {
        index_path: files.first().map(|f| f.path.clone()),
        ..SearchAssets::default()
    };
    Ok((files, assets))
}

/// Every resource, glossary entry and plain page, as the index wants them;
/// `texts` are the entries' body texts, in the order of `Collection::entries`.
pub fn documents(collection: &Collection, texts: Vec<String>) -> Vec<Document> {
    collection
        .entries
        .iter()
        .zip(texts)
        .map(|(entry, body)| Document {
            kind: match entry.kind {
                EntryKind::Resource => DocKind::Resource,
                EntryKind::Glossary => DocKind::Glossary,
                EntryKind::Page => DocKind::Page,
            },
            url: entry.path.clone(),
            title: entry.title.clone(),
            summary: entry.summary.clone().unwrap_or_default(),
            body,
            publisher: entry.publisher.join("; "),
            synonyms: entry.synonyms.clone(),
            facets: collection
                .taxonomies
                .iter()
                .enumerate()
                .flat_map(|(t, taxonomy)| {
                    entry.terms.get(t).into_iter().flatten().map(move |&i| {
                        (taxonomy.config.name.clone(), taxonomy.terms[i].slug.clone())
                    })
                })
                .collect(),
        })
        .collect()
}
