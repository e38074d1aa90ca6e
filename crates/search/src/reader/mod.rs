//! Opening a packed index and answering requests: the code the browser runs
//! (through `almanac-search-wasm`) and the command line runs alike.
//!
//! The browser opens the hot file alone; a search that reads a chunk not yet
//! fetched answers [`Error::NeedChunks`] with every chunk it will read next, so
//! the page fetches them side by side and searches again (twice at most for a
//! new query: postings and norms, then the stored results).

use std::sync::Arc;

use tantivy::directory::OwnedBytes;
use tantivy::tokenizer::TextAnalyzer;

use crate::Error;
use crate::analysis::Thesaurus;
#[cfg(feature = "files")]
use crate::pack::IndexFile;
use crate::pack::{self, Header, Stream};
use crate::response::Definition;
use crate::schema::{self, Fields};
use crate::segment::Segment;
use crate::stem::{StemFn, Stemmer};
use crate::tokenizer::{self, tokens};

#[cfg(all(test, feature = "writer"))]
mod agreement;
mod facets;
mod glossary;
mod search;
mod status;

/// An opened index, ready to answer requests.
pub struct Searcher {
    segment: Segment,
    fields: Fields,
    header: Header,
    stream: Arc<Stream>,
    stemmed: TextAnalyzer,
    words: TextAnalyzer,
    /// Each glossary term (its summary not read yet), its document, and the
    /// stems of its title and synonyms.
    glossary: Vec<(Definition, u32, Vec<Vec<String>>)>,
    /// Stop words and the collection's other names for things.
    thesaurus: Thesaurus,
}

impl std::fmt::Debug for Searcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Searcher")
            .field("documents", &self.segment.documents())
            .field("language", &self.header.language)
            .finish_non_exhaustive()
    }
}

impl Searcher {
    /// Opens the hot file written by `write_index` (the first of its files),
    /// inflated; chunks are added, inflated too, as searches ask for them.
    pub fn open(bytes: &[u8]) -> Result<Searcher, Error> {
        Searcher::open_owned(bytes.to_vec())
    }

    /// Opens every file `write_index` wrote (names and deflated bytes as it
    /// gave them, the hot file first): a searcher that never needs to fetch anything.
    #[cfg(feature = "files")]
    pub fn open_files(files: Vec<IndexFile>) -> Result<Searcher, Error> {
        let searcher = Searcher::open_files_partly(files)?;
        if !searcher.stream.is_complete() {
            return Err(Error::Corrupt("chunks of the index are missing".to_owned()));
        }
        Ok(searcher)
    }

    /// Like [`Searcher::open_files`], but some chunks may be left out: a
    /// search that needs them answers [`Error::NeedChunks`], as in the browser.
    #[cfg(feature = "files")]
    pub fn open_files_partly(files: Vec<IndexFile>) -> Result<Searcher, Error> {
        let mut files = files.into_iter();
        let hot = files.next().ok_or(Error::NotAnIndex)?;
        let searcher = Searcher::open_owned(pack::inflate(&hot.bytes)?)?;
        for file in files {
            let chunk = chunk_number(&file.name).ok_or_else(|| {
                Error::Corrupt(format!("{} is not a chunk of the index", file.name))
            })?;
            searcher.add_chunk(chunk, pack::inflate(&file.bytes)?)?;
        }
        Ok(searcher)
    }

    /// Like [`Searcher::open`], taking ownership to avoid copying the bytes.
    pub fn open_owned(bytes: Vec<u8>) -> Result<Searcher, Error> {
        Searcher::open_with_stemmer(bytes, None)
    }

    /// Like [`Searcher::open_owned`], stemming with `stemmer` rather than the
    /// linked stemmers (which the browser module leaves out): it must be the
    /// algorithm [`crate::stemmer_algorithm`] names for the index's language.
    pub fn open_with_stemmer(bytes: Vec<u8>, stemmer: Option<StemFn>) -> Result<Searcher, Error> {
        let (header, directory) = pack::decode(OwnedBytes::new(bytes))?;
        let stemmer = Stemmer::for_language(&header.language, stemmer)?;
        let stream = Arc::clone(directory.stream());
        let schema = schema::build();
        let fields = Fields::resolve(&schema)?;
        let segment = Segment::open(&directory, &schema, header.documents)?;
        let mut stemmed = tokenizer::stemmed_analyzer(&header.language, stemmer.as_ref());
        let glossary = header
            .glossary
            .iter()
            .map(|entry| {
                let names = std::iter::once(&entry.title)
                    .chain(&entry.synonyms)
                    .map(|name| {
                        tokens(&mut stemmed, name)
                            .into_iter()
                            .map(|t| t.0)
                            .collect()
                    })
                    .filter(|stems: &Vec<String>| !stems.is_empty())
                    .collect();
                let definition = Definition {
                    title: entry.title.clone(),
                    url: entry.url.clone(),
                    summary: String::new(),
                };
                (definition, entry.doc, names)
            })
            .collect();
        let mut words = tokenizer::words_analyzer();
        // A glossary term and its synonyms, a vocabulary term and its
        // alternative labels: names of one thing.
        let rings = header
            .glossary
            .iter()
            .map(|entry| {
                std::iter::once(entry.title.clone())
                    .chain(entry.synonyms.iter().cloned())
                    .collect::<Vec<String>>()
            })
            .chain(header.taxonomies.iter().flat_map(|taxonomy| {
                taxonomy.terms.iter().filter_map(|(slug, label)| {
                    let alternatives = taxonomy.alt_labels.get(slug)?;
                    Some(
                        std::iter::once(label.clone())
                            .chain(alternatives.iter().cloned())
                            .collect(),
                    )
                })
            }))
            .collect::<Vec<Vec<String>>>();
        let thesaurus = Thesaurus::new(
            &header.analysis,
            rings.into_iter(),
            &mut stemmed,
            &mut words,
        );
        Ok(Searcher {
            segment,
            fields,
            header,
            stream,
            stemmed,
            words,
            glossary,
            thesaurus,
        })
    }

    /// The names of the taxonomies the index counts and filters by.
    pub fn taxonomies(&self) -> impl Iterator<Item = &str> {
        self.header.taxonomies.iter().map(|t| t.name.as_str())
    }

    /// Number of documents in the index.
    pub fn num_docs(&self) -> u64 {
        u64::from(self.segment.documents())
    }

    /// How many chunks the index is cut into (numbered from 0).
    pub fn chunk_count(&self) -> usize {
        self.stream.chunk_count()
    }

    /// Adds chunk `number` (the file `index.<hash>/<number>.bin`, inflated).
    pub fn add_chunk(&self, number: usize, bytes: Vec<u8>) -> Result<(), Error> {
        self.stream.add(number, bytes)
    }
}

/// The number of a chunk file named `index.<hash>/<number>.bin`.
#[cfg(feature = "files")]
fn chunk_number(name: &str) -> Option<usize> {
    let (_, file) = name.rsplit_once('/')?;
    file.strip_suffix(".bin")?.parse().ok()
}
