//! The browser's search reader: a `#[wasm_bindgen]` wrapper around
//! `almanac_search::Searcher`. The hot file's bytes in, then chunks as searches
//! ask for them; request JSON in, response JSON (or the chunks to fetch) out.
//! The stemmer comes from outside (a module per language), so this one holds none.
//!
//! The response crosses as JSON, the serde types of `almanac-search`, so the
//! page and the command line read the same fields.

use std::sync::Arc;

use almanac_search::{Error, Request, Sort, StemFn};
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// The collection's stemmer: an object whose `stem(word)` returns the
    /// stem, from the small module of that one language (search.js loads it).
    pub type Stemmer;

    #[wasm_bindgen(method)]
    fn stem(this: &Stemmer, word: &str) -> String;
}

/// The stemmer where the reader wants one (`Send + Sync`): this module is
/// built without threads, so the JS object is only ever used on its own thread.
struct OneThread(Stemmer);

// SAFETY: wasm32-unknown-unknown without the atomics feature has one thread.
unsafe impl Send for OneThread {}
// SAFETY: as above.
unsafe impl Sync for OneThread {}

/// An opened search index.
#[wasm_bindgen]
pub struct Searcher {
    inner: almanac_search::Searcher,
}

#[wasm_bindgen]
impl Searcher {
    /// Opens the hot file of the index (`index.<hash>.bin` inflated, a
    /// `Uint8Array`), stemming with `stemmer` (needed unless the collection's
    /// language has none).
    #[wasm_bindgen(constructor)]
    pub fn new(index: Vec<u8>, stemmer: Option<Stemmer>) -> Result<Searcher, JsError> {
        let stemmer = stemmer.map(|stemmer| -> StemFn {
            let stemmer = OneThread(stemmer);
            Arc::new(move |word: &str| stemmer.0.stem(word))
        });
        let inner = almanac_search::Searcher::open_with_stemmer(index, stemmer)
            .map_err(|error| JsError::new(&error.to_string()))?;
        Ok(Searcher { inner })
    }

    /// Number of documents in the index.
    #[wasm_bindgen(js_name = numDocs)]
    pub fn num_docs(&self) -> f64 {
        // A JS number holds any realistic count exactly.
        self.inner.num_docs() as f64
    }

    /// Adds chunk `number` of the index (`index.<hash>/<number>.bin`, inflated).
    #[wasm_bindgen(js_name = addChunk)]
    pub fn add_chunk(&self, number: usize, bytes: Vec<u8>) -> Result<(), JsError> {
        self.inner
            .add_chunk(number, bytes)
            .map_err(|error| JsError::new(&error.to_string()))
    }

    /// Answers a search for `query` under `filters` (taxonomy and term slug
    /// after each other: `[taxonomy, slug, taxonomy, slug, …]`), the page of
    /// `limit` results at `offset`, with the taxonomy counts when `facets`,
    /// newest first when `newest`: the response as JSON, or `{"need": [chunk
    /// numbers]}` when those chunks must be added first.
    ///
    /// Arguments rather than a JSON request: reading JSON would bring a JSON
    /// parser into the module for five values.
    pub fn search(
        &self,
        query: String,
        filters: Vec<String>,
        limit: u32,
        offset: u32,
        facets: bool,
        newest: bool,
    ) -> Result<String, JsError> {
        let mut pairs = filters.into_iter();
        let mut filters = Vec::new();
        while let (Some(taxonomy), Some(slug)) = (pairs.next(), pairs.next()) {
            filters.push((taxonomy, slug));
        }
        let request = Request {
            query,
            filters,
            limit: limit as usize,
            offset: offset as usize,
            facets,
            sort: if newest {
                Sort::Newest
            } else {
                Sort::Relevance
            },
        };
        let response = match self.inner.try_search(&request) {
            Ok(response) => response,
            Err(Error::NeedChunks(need)) => {
                let need: Vec<String> = need.iter().map(usize::to_string).collect();
                return Ok(format!("{{\"need\":[{}]}}", need.join(",")));
            }
            // A reader's query never fails; a damaged index finds nothing.
            Err(_) => Default::default(),
        };
        // Only an I/O error could fail this, and a string takes no I/O.
        serde_json::to_string(&response)
            .map_err(|_| JsError::new("the response could not be written"))
    }
}
