//! What the build hands to the index writer: documents and the collection's settings.

use serde::{Deserialize, Serialize};

/// What an indexed document is; results show it and the page groups by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DocKind {
    Resource,
    Page,
    Glossary,
}

impl DocKind {
    /// The name stored in the index and sent to the browser.
    pub fn as_str(self) -> &'static str {
        match self {
            DocKind::Resource => "resource",
            DocKind::Page => "page",
            DocKind::Glossary => "glossary",
        }
    }

    pub(crate) fn from_stored(name: &str) -> DocKind {
        match name {
            "glossary" => DocKind::Glossary,
            "page" => DocKind::Page,
            _ => DocKind::Resource,
        }
    }
}

/// One entry of the collection, as plain text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    pub kind: DocKind,
    /// The page's URL rooted at the site's base path, e.g. `/ethics/guidance/x/`.
    pub url: String,
    pub title: String,
    pub summary: String,
    /// Body text without markup.
    pub body: String,
    pub publisher: String,
    /// Other names of a glossary term; they also make the query name the term.
    pub synonyms: Vec<String>,
    /// `(taxonomy name, term slug)` pairs.
    pub facets: Vec<(String, String)>,
}

/// Collection-wide settings the index needs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexConfig {
    /// BCP 47 language tag of the collection (`en`, `fr-CA`, …); picks the stemmer.
    pub language: String,
    /// Taxonomies in display order, with the labels the search page shows.
    pub taxonomies: Vec<TaxonomyInfo>,
}

/// A taxonomy and its vocabulary, in display order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaxonomyInfo {
    pub name: String,
    pub label: String,
    /// `(slug, label)` pairs.
    pub terms: Vec<(String, String)>,
}
