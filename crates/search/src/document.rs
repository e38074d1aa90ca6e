//! What the build hands to the index writer: documents and the collection's settings.

use std::collections::BTreeMap;

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
    pub body: Text,
    pub publisher: String,
    /// Other names of a glossary term; they also make the query name the term.
    pub synonyms: Vec<String>,
    /// `(taxonomy name, term slug)` pairs.
    pub facets: Vec<(String, String)>,
    /// When it was published, as `YYYY`, `YYYY-MM` or `YYYY-MM-DD`; empty
    /// when it has no date (results sorted by newest list it last).
    pub date: String,
    /// The resource's status (`superseded`, `withdrawn`, `under-review`, …),
    /// empty when it is current. Superseded and withdrawn ones rank last.
    pub status: String,
}

/// A document's body text, which may wait packed: a build hands every body to
/// the index writer at once, and at 100,000 realistic resources the texts alone
/// were over 300 MB. The writer unpacks each as it reads it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Text(Repr);

#[derive(Debug, Clone, PartialEq, Eq)]
enum Repr {
    Plain(String),
    /// zstd, and the text's length in bytes (only the writer reads it).
    #[cfg(feature = "writer")]
    Packed(Box<[u8]>, usize),
}

impl Default for Repr {
    fn default() -> Repr {
        Repr::Plain(String::new())
    }
}

impl From<String> for Text {
    fn from(text: String) -> Text {
        Text(Repr::Plain(text))
    }
}

impl From<&str> for Text {
    fn from(text: &str) -> Text {
        Text(Repr::Plain(text.to_owned()))
    }
}

#[cfg(feature = "writer")]
impl Text {
    /// `text` packed at zstd's fastest level: it is kept for minutes at most,
    /// and packing every body of a build must cost little beside rendering it.
    pub fn packed(text: &str) -> Text {
        if text.is_empty() {
            return Text::default();
        }
        let bytes = PACK.with_borrow_mut(|packer| packer.compress(text.as_bytes()));
        // Into memory from memory: only a failed allocation could stop it.
        let bytes = bytes.expect("packing a text in memory");
        Text(Repr::Packed(bytes.into_boxed_slice(), text.len()))
    }

    /// The text, unpacked when it waits packed.
    pub fn read(&self) -> std::borrow::Cow<'_, str> {
        match &self.0 {
            Repr::Plain(text) => std::borrow::Cow::Borrowed(text),
            Repr::Packed(bytes, len) => {
                let text = UNPACK.with_borrow_mut(|unpacker| unpacker.decompress(bytes, *len));
                // Packed from a `str` by this process, in memory.
                std::borrow::Cow::Owned(
                    text.ok()
                        .and_then(|text| String::from_utf8(text).ok())
                        .expect("a text packed in this build unpacks"),
                )
            }
        }
    }
}

#[cfg(feature = "writer")]
thread_local! {
    // A context's tables are made once per thread, not once per body.
    static PACK: std::cell::RefCell<zstd::bulk::Compressor<'static>> = std::cell::RefCell::new(
        zstd::bulk::Compressor::new(1).expect("a zstd context"),
    );
    static UNPACK: std::cell::RefCell<zstd::bulk::Decompressor<'static>> = std::cell::RefCell::new(
        zstd::bulk::Decompressor::new().expect("a zstd context"),
    );
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
    /// Other names of terms, by slug: a query naming one finds the term's
    /// resources as its label would.
    #[serde(default)]
    pub alt_labels: BTreeMap<String, Vec<String>>,
}

/// The number a date sorts by: `YYYYMMDD`, missing parts as 0, 0 for none or
/// for text that is not a date.
#[cfg(any(feature = "writer", test))]
pub(crate) fn date_key(date: &str) -> u64 {
    let mut parts = date.trim().splitn(3, '-');
    let mut part = |digits: usize| -> Option<u64> {
        match parts.next() {
            None => Some(0),
            Some(p) if p.len() == digits && p.bytes().all(|b| b.is_ascii_digit()) => p.parse().ok(),
            Some(_) => None,
        }
    };
    match (part(4), part(2), part(2)) {
        (Some(year), Some(month), Some(day)) => year * 10_000 + month * 100 + day,
        _ => 0,
    }
}

/// The date of a key as `date_key` made it, as short as it was written.
pub(crate) fn date_text(key: u64) -> String {
    let (year, month, day) = (key / 10_000, key / 100 % 100, key % 100);
    match (year, month, day) {
        (0, _, _) => String::new(),
        (y, 0, _) => format!("{y:04}"),
        (y, m, 0) => format!("{y:04}-{m:02}"),
        (y, m, d) => format!("{y:04}-{m:02}-{d:02}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_sort_by_their_parts_and_read_back_as_written() {
        assert_eq!(date_key("2020-09-13"), 20_200_913);
        assert_eq!(date_key("2020-09"), 20_200_900);
        assert_eq!(date_key("2019"), 20_190_000);
        assert!(date_key("2019") < date_key("2019-01"));
        for bad in ["", "soon", "20-1", "2020-9", "2020-09-13-1"] {
            assert_eq!(date_key(bad), 0, "{bad}");
        }
        for date in ["2020-09-13", "2020-09", "2019", ""] {
            assert_eq!(date_text(date_key(date)), date);
        }
    }
}

#[cfg(all(test, feature = "writer"))]
mod text_tests {
    use super::*;

    #[test]
    fn a_packed_text_reads_as_it_was_written() {
        let text = "Algorithmic impact assessment — ünïcode, twice. ".repeat(50);
        let packed = Text::packed(&text);
        assert!(matches!(&packed.0, Repr::Packed(bytes, _) if bytes.len() < text.len() / 4));
        let read = packed.read();
        assert_eq!((read.as_ref(), read.len()), (text.as_str(), text.len()));
        assert_eq!(Text::packed("").read(), "");
        assert_eq!(Text::from("plain").read(), "plain");
    }
}
