//! The browser's search reader: a `#[wasm_bindgen]` wrapper around
//! `almanac_search::Searcher`. Index bytes in; request JSON in, response JSON out.
//!
//! JSON keeps the boundary narrow: the shapes are the serde types of
//! `almanac-search`, so the page and the command line read the same fields.

use almanac_search::Request;
use wasm_bindgen::prelude::*;

/// An opened search index.
#[wasm_bindgen]
pub struct Searcher {
    inner: almanac_search::Searcher,
}

#[wasm_bindgen]
impl Searcher {
    /// Opens the packed index fetched from the site (a `Uint8Array`).
    #[wasm_bindgen(constructor)]
    pub fn new(index: Vec<u8>) -> Result<Searcher, JsError> {
        let inner = almanac_search::Searcher::open_owned(index)
            .map_err(|error| JsError::new(&error.to_string()))?;
        Ok(Searcher { inner })
    }

    /// Number of documents in the index.
    #[wasm_bindgen(js_name = numDocs)]
    pub fn num_docs(&self) -> f64 {
        // A JS number holds any realistic count exactly.
        self.inner.num_docs() as f64
    }

    /// Answers a request given as JSON (`{"query", "filters": [[taxonomy, slug]],
    /// "limit", "offset"}`, every key optional) with the response as JSON.
    pub fn search(&self, request: &str) -> Result<String, JsError> {
        let request: Request = serde_json::from_str(request)
            .map_err(|error| JsError::new(&format!("malformed search request: {error}")))?;
        let response = self.inner.search(&request);
        serde_json::to_string(&response).map_err(|error| JsError::new(&error.to_string()))
    }
}
