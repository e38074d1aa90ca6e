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

impl Response {
    /// The response as JSON, exactly as `serde_json::to_string` writes it.
    ///
    /// Written by hand for the browser's module: serde's serializer and the
    /// impls derived for every type of the response were several kilobytes
    /// of the module for a shape this simple.
    pub fn to_json(&self) -> String {
        let mut out = String::with_capacity(256 + self.hits.len() * 512);
        out.push_str("{\"total\":");
        push_number(&mut out, self.total as u64);
        out.push_str(",\"hits\":[");
        for (i, hit) in self.hits.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str("{\"kind\":");
            push_string(&mut out, hit.kind.as_str());
            for (key, value) in [
                ("title", &hit.title),
                ("url", &hit.url),
                ("summary", &hit.summary),
                ("snippet", &hit.snippet),
                ("date", &hit.date),
                ("status", &hit.status),
            ] {
                push_key(&mut out, key);
                push_string(&mut out, value);
            }
            out.push('}');
        }
        out.push_str("],\"facets\":[");
        for (i, facet) in self.facets.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str("{\"name\":");
            push_string(&mut out, &facet.name);
            push_key(&mut out, "label");
            push_string(&mut out, &facet.label);
            out.push_str(",\"terms\":[");
            for (j, term) in facet.terms.iter().enumerate() {
                if j > 0 {
                    out.push(',');
                }
                out.push_str("{\"slug\":");
                push_string(&mut out, &term.slug);
                push_key(&mut out, "label");
                push_string(&mut out, &term.label);
                out.push_str(",\"count\":");
                push_number(&mut out, term.count);
                out.push('}');
            }
            out.push_str("]}");
        }
        out.push_str("],\"definitions\":[");
        for (i, definition) in self.definitions.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str("{\"title\":");
            push_string(&mut out, &definition.title);
            push_key(&mut out, "url");
            push_string(&mut out, &definition.url);
            push_key(&mut out, "summary");
            push_string(&mut out, &definition.summary);
            out.push('}');
        }
        for (key, list) in [
            ("suggestions", &self.suggestions),
            ("highlight", &self.highlight),
        ] {
            out.push_str("],\"");
            out.push_str(key);
            out.push_str("\":[");
            for (i, item) in list.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                push_string(&mut out, item);
            }
        }
        out.push_str("]}");
        out
    }
}

/// `{"need":[…]}`: the chunks a search must have added before it can answer.
pub fn need_json(chunks: &[usize]) -> String {
    let mut out = String::from("{\"need\":[");
    for (i, chunk) in chunks.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_number(&mut out, *chunk as u64);
    }
    out.push_str("]}");
    out
}

fn push_key(out: &mut String, key: &str) {
    out.push_str(",\"");
    out.push_str(key);
    out.push_str("\":");
}

fn push_number(out: &mut String, mut n: u64) {
    // Digits written backwards into a buffer: no formatting machinery.
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &digit in &digits[at..] {
        out.push(char::from(digit));
    }
}

/// `text` as a JSON string, escaped as serde_json escapes it.
fn push_string(out: &mut String, text: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 => {
                let byte = c as usize;
                out.push_str("\\u00");
                out.push(char::from(HEX[byte >> 4]));
                out.push(char::from(HEX[byte & 0xf]));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_json_written_by_hand_is_what_serde_json_writes() {
        let awkward = "quote \" backslash \\ tab \t line \n return \r bell \u{7} \u{8}\u{c}\u{1f} é — 漢 🦀 <mark>&amp;</mark> \u{7f} \u{2028}";
        let response = Response {
            total: 12_345_678_901,
            hits: vec![
                Hit {
                    kind: DocKind::Glossary,
                    title: awkward.to_owned(),
                    url: "/glossary/x/".to_owned(),
                    summary: String::new(),
                    snippet: "a <mark>b</mark>".to_owned(),
                    date: "2024-05".to_owned(),
                    status: "withdrawn".to_owned(),
                },
                Hit {
                    kind: DocKind::Page,
                    title: "t".to_owned(),
                    url: "u".to_owned(),
                    summary: awkward.to_owned(),
                    snippet: String::new(),
                    date: String::new(),
                    status: String::new(),
                },
            ],
            facets: vec![
                FacetCounts {
                    name: "type".to_owned(),
                    label: awkward.to_owned(),
                    terms: vec![
                        TermCount {
                            slug: "tool".to_owned(),
                            label: "Tool".to_owned(),
                            count: 0,
                        },
                        TermCount {
                            slug: "law".to_owned(),
                            label: "Law".to_owned(),
                            count: u64::MAX,
                        },
                    ],
                },
                FacetCounts {
                    name: "empty".to_owned(),
                    label: String::new(),
                    terms: Vec::new(),
                },
            ],
            definitions: vec![Definition {
                title: "AI".to_owned(),
                url: "/g/ai/".to_owned(),
                summary: awkward.to_owned(),
            }],
            suggestions: vec!["data ethics".to_owned(), awkward.to_owned()],
            highlight: vec!["privaci".to_owned()],
        };
        assert_eq!(
            response.to_json(),
            serde_json::to_string(&response).unwrap()
        );
        let empty = Response::default();
        assert_eq!(empty.to_json(), serde_json::to_string(&empty).unwrap());
        assert_eq!(need_json(&[]), r#"{"need":[]}"#);
        assert_eq!(need_json(&[0, 7, 42]), r#"{"need":[0,7,42]}"#);
        for kind in [DocKind::Resource, DocKind::Page, DocKind::Glossary] {
            assert_eq!(
                serde_json::to_string(&kind).unwrap(),
                format!("\"{}\"", kind.as_str())
            );
        }
    }
}
