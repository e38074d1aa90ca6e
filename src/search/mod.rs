//! The search index beside rendering: the collection's resources, glossary entries
//! and plain pages as plain-text documents for `crates/search`, which writes the
//! packed tantivy index the search page and `almanac search` read.

use almanac_search::{DocKind, Document, IndexConfig, TaxonomyInfo, Text};
use rayon::prelude::*;

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
    let packed = pack_texts(collection, texts)?;
    let files = packed.files().collect::<Result<Vec<_>, _>>()?;
    Ok(Index {
        files,
        path: packed.path(),
    })
}

/// A packed index whose files are made as they are taken (see [`Packed::files`]).
pub struct Packed {
    index: almanac_search::PackedIndex,
    /// Where the index's files go: each language's index is in its own folder
    /// (`fr/search/`).
    folder: String,
}

impl Packed {
    /// The hot file's path in the output; the chunks are in the folder beside it.
    pub fn path(&self) -> String {
        format!("{}{}", self.folder, self.index.hot_name())
    }

    /// The index's files, each deflated as it is taken: a build that writes each as
    /// it comes holds the index once, not twice (at 100k resources it is over
    /// 100 MB).
    pub fn files(&self) -> impl ParallelIterator<Item = Result<OutputFile, IndexError>> + '_ {
        self.index.files().map(|file| {
            let file = file.map_err(|e| IndexError(e.to_string()))?;
            Ok(OutputFile {
                path: format!("{}{}", self.folder, file.name),
                contents: Contents::Bytes(file.bytes),
            })
        })
    }
}

/// Like [`index_texts`], the files left to be made as they are written.
pub fn pack_texts(collection: &Collection, texts: Vec<Text>) -> Result<Packed, IndexError> {
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
    let index = almanac_search::pack_index(&config, documents(collection, texts))
        .map_err(|e| IndexError(e.to_string()))?;
    Ok(Packed {
        index,
        folder: format!("{}{FOLDER}/", collection.config.language_folder()),
    })
}

/// Every resource, glossary entry and plain page the collection's language lists
/// (an untranslated one is left out under `untranslated: hide`), as the index wants
/// them, in the work order; `texts` are the entries' body texts, in the order of
/// `Collection::entries`.
pub fn documents(collection: &Collection, texts: Vec<Text>) -> Vec<Document> {
    // In the work order, about the index's own: each document is let go of
    // once it is indexed, in the order it was made (see `Collection::work_order`).
    let mut texts: Vec<Option<Text>> = texts.into_iter().map(Some).collect();
    collection
        .work_order()
        .into_iter()
        .map(|id| {
            let text = texts.get_mut(id).and_then(Option::take);
            (&collection.entries[id], text.unwrap_or_default())
        })
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
