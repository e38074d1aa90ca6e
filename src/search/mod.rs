//! The search index beside rendering: the collection's resources, glossary entries
//! and plain pages as plain-text documents for `crates/search`, which writes the
//! packed tantivy index the search page and `almanac search` read.

use almanac_search::{DocKind, Document, IndexConfig, TaxonomyInfo, Text};

use crate::bodies::Bodies;
use crate::diagnostics::{AsDiagnostics, Diagnostic};
use crate::model::lifecycle::Status;
use crate::model::{Collection, EntryKind};
use crate::output::{Contents, OutputFile};

/// The folder of the site that holds the index.
pub const FOLDER: &str = "search";

/// Whether `rest`, a path inside [`FOLDER`], is at a name the index's files take:
/// the hot file `index.<hash>.bin` or a chunk in `index.<hash>/`. Their hash is
/// known only once the index is written, so every such name is the index's.
pub fn index_name(rest: &str) -> bool {
    let (first, inside) = match rest.split_once('/') {
        Some((first, inside)) => (first, Some(inside)),
        None => (rest, None),
    };
    let hashed = |hash: &str| hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit());
    match first.strip_prefix("index.") {
        Some(hash) if inside.is_some() => hashed(hash),
        Some(name) => name.strip_suffix(".bin").is_some_and(hashed),
        None => false,
    }
}

/// A written index: its files, and the one the search page names.
pub struct Index {
    pub files: Vec<OutputFile>,
    /// The hot file's path in the output; the chunks are in the folder beside it.
    pub path: String,
}

/// Why the index could not be written.
#[derive(Debug, thiserror::Error)]
#[error("the search index could not be written: {0}")]
pub struct IndexError(String);

impl AsDiagnostics for IndexError {
    fn diagnostics(&self) -> Vec<Diagnostic> {
        vec![Diagnostic::error("search-index", self.to_string())]
    }
}

/// Writes the index of the collection.
pub fn index(collection: &Collection, bodies: &Bodies) -> Result<Index, IndexError> {
    index_texts(
        collection,
        bodies
            .entries
            .iter()
            .map(|b| Text::from(b.text.clone()))
            .collect(),
    )
}

/// Like [`index`], with the entries' body texts handed over rather than copied: a
/// build that is done with them saves holding every body twice at its peak.
pub fn index_texts(collection: &Collection, texts: Vec<Text>) -> Result<Index, IndexError> {
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
                alt_labels: t
                    .config
                    .terms
                    .iter()
                    .flatten()
                    .filter(|term| !term.alt_labels.is_empty())
                    .map(|term| (term.slug.clone(), term.alt_labels.clone()))
                    .collect(),
            })
            .collect(),
    };
    let files = almanac_search::write_index_owned(&config, documents(collection, texts))
        .map_err(|e| IndexError(e.to_string()))?;
    // Each language's index is in its own folder (`fr/search/`).
    let folder = collection.config.language_folder();
    let files: Vec<OutputFile> = files
        .into_iter()
        .map(|f| OutputFile {
            path: format!("{folder}{FOLDER}/{}", f.name),
            contents: Contents::Bytes(f.bytes),
        })
        .collect();
    let path = files
        .first()
        .map(|f| f.path.clone())
        .ok_or_else(|| IndexError("no file was made".into()))?;
    Ok(Index { files, path })
}

/// Every resource, glossary entry and plain page the collection's language lists
/// (an untranslated one is left out under `untranslated: hide`), as the index wants
/// them; `texts` are the entries' body texts, in the order of `Collection::entries`.
pub fn documents(collection: &Collection, texts: Vec<Text>) -> Vec<Document> {
    collection
        .entries
        .iter()
        .zip(texts)
        .filter(|(entry, _)| collection.lists(entry))
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
            date: entry.published.map(|d| d.to_string()).unwrap_or_default(),
            status: match entry.lifecycle.status {
                Status::Current => String::new(),
                status => status.as_str().to_owned(),
            },
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
