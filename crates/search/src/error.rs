//! Errors of writing and opening an index; a reader's query never fails.

/// What can go wrong writing an index or opening one.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("not an Almanac search index (the file does not start with the expected marker)")]
    NotAnIndex,
    #[error(
        "the search index has format version {found}, this reader reads version {expected}; rebuild the site"
    )]
    UnsupportedVersion { found: u32, expected: u32 },
    #[error("the search index is truncated or corrupt: {0}")]
    Corrupt(String),
    #[error(
        "document {url} uses taxonomy `{taxonomy}`, which the index configuration does not list"
    )]
    UnknownTaxonomy { url: String, taxonomy: String },
    #[error("the search index header could not be read or written: {0}")]
    Header(#[from] postcard::Error),
    /// Tantivy's `meta.json` could not be read or written.
    #[cfg(feature = "writer")]
    #[error("the index metadata could not be read or written: {0}")]
    Meta(#[from] serde_json::Error),
    /// The search needs these chunks of the index, not fetched yet; add them
    /// with `Searcher::add_chunk` and search again.
    #[error("the search needs index chunks {0:?}, which have not been loaded")]
    NeedChunks(Vec<usize>),
    /// A reader built without the stemmers opened an index whose language is
    /// stemmed, and was not given that language's stemmer.
    #[error("the index is stemmed with the {0} stemmer, which this reader was not given")]
    NoStemmer(String),
    #[error("the search index could not be read: {0}")]
    Io(#[from] std::io::Error),
    /// Tantivy failed to write the index.
    #[cfg(feature = "writer")]
    #[error("search engine error: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
}
