//! What a reader asks and what the search answers; JSON on the way to the browser.

use serde::{Deserialize, Serialize};

use crate::document::DocKind;

/// Results per page when a request does not say.
pub const DEFAULT_LIMIT: usize = 20;
/// More results than this per request are never useful and only cost time.
pub const MAX_LIMIT: usize = 200;

/// A reader's search: free text plus `(taxonomy, term slug)` filters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Request {
    pub query: String,
    pub filters: Vec<(String, String)>,
    /// Results wanted (at most [`MAX_LIMIT`]); 0 asks only for the total and
    /// the counts.
    pub limit: usize,
    pub offset: usize,
    /// Whether to count the taxonomy terms. The browser asks for results
    /// first and counts after: counting reads every term's postings, which
    /// would otherwise delay the first results.
    pub facets: bool,
    /// The order of the results.
    pub sort: Sort,
}

/// How results are ordered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Sort {
    /// Best match first.
    #[default]
    Relevance,
    /// Most recently published first; documents with one date, and those
    /// without a date (last), in title order.
    Newest,
}

impl Default for Request {
    fn default() -> Self {
        Request {
            query: String::new(),
            filters: Vec::new(),
            limit: DEFAULT_LIMIT,
            offset: 0,
            facets: true,
            sort: Sort::Relevance,
        }
    }
}

impl Request {
    /// A request for `query` with no filters and the default page size.
    pub fn new(query: impl Into<String>) -> Request {
        Request {
            query: query.into(),
            ..Request::default()
        }
    }
}

/// The answer to a [`Request`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Response {
    /// How many documents match, beyond the page in `hits`.
    pub total: usize,
    pub hits: Vec<Hit>,
    /// Every taxonomy with its terms, counted for the current query (empty
    /// when the request asked for no counts).
    pub facets: Vec<FacetCounts>,
    /// Glossary terms the query names, to show above the results.
    pub definitions: Vec<Definition>,
    /// When nothing matches: queries made of the index's own words that
    /// would find something ("Did you mean …").
    pub suggestions: Vec<String>,
    /// The stems the results were found by, for marking them on the page a
    /// reader opens: a word of the page whose lowercased, folded form starts
    /// with one of them (or, for stems under four letters, is one) matched.
    pub highlight: Vec<String>,
}

/// One result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hit {
    pub kind: DocKind,
    pub title: String,
    pub url: String,
    pub summary: String,
    /// HTML: escaped text with `<mark>` around the words that matched.
    pub snippet: String,
    /// When it was published (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`), or empty.
    pub date: String,
    /// The resource's status when it is not current (`superseded`,
    /// `withdrawn`, `under-review`), or empty.
    #[serde(default)]
    pub status: String,
}

/// A taxonomy's terms with how many results each would have.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FacetCounts {
    pub name: String,
    pub label: String,
    pub terms: Vec<TermCount>,
}

/// A term and its count. For a taxonomy the reader is filtering by, the count
/// ignores that taxonomy's own filter (terms of one taxonomy widen the results).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TermCount {
    pub slug: String,
    pub label: String,
    pub count: u64,
}

/// A glossary term named by the query.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Definition {
    pub title: String,
    pub url: String,
    pub summary: String,
}
