//! The search contract shared by the native index writer and the WebAssembly reader.
//!
//! The build turns its collection into [`Document`]s and calls [`write_index`]
//! (feature `writer`), which returns the content-hashed files of the site's
//! `search/` folder: a small hot file and the chunks of the rest. The browser
//! (through `almanac-search-wasm`) opens the hot file with [`Searcher::open`]
//! and adds chunks as searches ask for them ([`Error::NeedChunks`]); the command
//! line opens every file at once. Both answer [`Request`]s with [`Response`]s
//! with the same code, so they rank and highlight alike.

mod analysis;
mod document;
mod engine;
mod error;
#[cfg(feature = "writer")]
mod layout;
mod pack;
mod query;
mod reader;
mod response;
mod schema;
mod segment;
mod snippet;
mod stem;
mod stored;
mod tokenizer;
#[cfg(feature = "writer")]
mod vocabulary;
#[cfg(feature = "writer")]
mod writer;

pub use document::{DocKind, Document, IndexConfig, TaxonomyInfo, Text};
pub use error::Error;
pub use pack::IndexFile;
#[cfg(feature = "files")]
pub use pack::inflate;
pub use reader::Searcher;
pub use response::{Definition, FacetCounts, Hit, Request, Response, Sort, TermCount};
pub use stem::{ALGORITHMS as STEMMER_ALGORITHMS, StemFn, algorithm as stemmer_algorithm};
#[cfg(feature = "writer")]
pub use writer::{PackedIndex, pack_index, write_index, write_index_owned};

/// Version of the packed index format and of the schema inside it.
///
/// A reader refuses an index written with another version rather than
/// misreading it; bump this whenever fields, tokenizers or the pack change.
pub const FORMAT_VERSION: u32 = 8;
