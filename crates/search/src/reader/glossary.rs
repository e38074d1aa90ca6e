//! The glossary terms a query names: shown beside the results as definitions, and
//! ranked first when the query asks about the term and nothing more.

use super::Searcher;
use crate::query::Part;
use crate::response::Definition;
use crate::tokenizer::tokens;

impl Searcher {
    /// Glossary terms whose title or a synonym appears, word for word, in the
    /// query. Each summary is read from the term's stored document: a chunk
    /// not fetched yet is noted (the search fetches it with the postings and
    /// is tried again), and the summary left empty meanwhile.
    pub(super) fn definitions(&self, query: &str) -> Vec<Definition> {
        self.named(query)
            .into_iter()
            .map(|(definition, doc, _)| {
                let mut definition = definition.clone();
                if let Ok(stored) = self.segment.doc(doc) {
                    let summary = stored.get_first(self.fields.summary).unwrap_or_default();
                    definition.summary = summary.to_owned();
                }
                definition
            })
            .collect()
    }

    /// The title stems of the glossary terms that `parts` name and nothing
    /// more ("what is automation bias"): a query with more words than a term's
    /// name ("digital rights for cities") asks about something narrower.
    pub(super) fn asked_about(&self, parts: &[Part]) -> Vec<Vec<String>> {
        let mut stemmed = self.stemmed.clone();
        let mut query: Vec<String> = Vec::new();
        for part in parts {
            match part {
                Part::Word { text, .. } => {
                    query.extend(tokens(&mut stemmed, text).into_iter().map(|t| t.0));
                }
                Part::Phrase(_) => return Vec::new(),
            }
        }
        let query = self.thesaurus.content(&query);
        self.glossary
            .iter()
            .filter(|(_, _, names)| {
                names
                    .iter()
                    .any(|name| !query.is_empty() && self.thesaurus.content(name) == query)
            })
            .filter_map(|(_, _, names)| names.first().cloned())
            .collect()
    }

    /// The glossary terms whose title or a synonym appears, word for word, in
    /// the query, in the order it names them, with their names' stems (the
    /// title's first).
    fn named(&self, query: &str) -> Vec<(&Definition, u32, &Vec<Vec<String>>)> {
        let query: Vec<String> = tokens(&mut self.stemmed.clone(), query)
            .into_iter()
            .map(|t| t.0)
            .collect();
        let named: Vec<(usize, &Definition, u32, &Vec<Vec<String>>)> = self
            .glossary
            .iter()
            .filter_map(|(definition, doc, names)| {
                names
                    .iter()
                    .filter_map(|name| position(&query, name))
                    .min()
                    .map(|at| (at, definition, *doc, names))
            })
            .collect();
        // Position by position rather than sorted (glossary order within one):
        // a query has few words, and a sort of this type would add code to
        // the browser's module.
        (0..query.len())
            .flat_map(|at| named.iter().filter(move |n| n.0 == at))
            .map(|&(_, d, doc, n)| (d, doc, n))
            .collect()
    }
}

/// Where `needle` first occurs as a run of whole words in `haystack`.
fn position(haystack: &[String], needle: &[String]) -> Option<usize> {
    if needle.is_empty() || needle.len() > haystack.len() {
        return None;
    }
    haystack.windows(needle.len()).position(|w| w == needle)
}
