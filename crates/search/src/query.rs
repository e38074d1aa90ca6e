//! From what a reader typed to a tantivy query: words and quoted phrases, the
//! last word completed as a prefix, unknown words widened to near spellings,
//! every word looked up in the weighted fields.
//!
//! Parsing never fails: quotes may be unbalanced and punctuation is ignored.

use std::collections::{BTreeMap, BTreeSet};

use tantivy::query::{
    BooleanQuery, BoostQuery, DisjunctionMaxQuery, EmptyQuery, FuzzyTermQuery, Occur, PhraseQuery,
    Query,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Searcher, Term};

use crate::schema::{Fields, phrase_fields, weighted_fields};
use crate::term_query::TermQuery;
use crate::tokenizer::tokens;

/// A prefix expands to at most this many words (the most frequent ones).
const MAX_PREFIX_EXPANSIONS: usize = 24;
/// A misspelt word expands to at most this many near spellings.
const MAX_FUZZY_EXPANSIONS: usize = 8;
/// Stop scanning the dictionary after this many candidates: a short prefix
/// could otherwise walk the whole vocabulary on every keystroke.
const MAX_SCANNED_TERMS: usize = 4_000;
/// Completions and corrections rank below what the reader actually typed.
const PREFIX_WEIGHT: f32 = 0.8;
const FUZZY_WEIGHT: f32 = 0.5;
/// How much a word's second-best field or spelling adds to its best one.
const TIE_BREAKER: f32 = 0.1;

/// One piece of the reader's query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Part {
    /// A word, lowercased and folded; `prefix` when the reader may still be typing it.
    Word { text: String, prefix: bool },
    /// The words of a quoted phrase, in order.
    Phrase(Vec<String>),
}

/// Splits a query into words and phrases with the vocabulary analyzer.
pub(crate) fn parse(query: &str, words: &mut TextAnalyzer) -> Vec<Part> {
    // The reader may still be typing the last word unless a space, a closing
    // quote or punctuation ends the query.
    let ends_in_word = query.chars().last().is_some_and(char::is_alphanumeric);
    let mut parts = Vec::new();
    let mut segments = query.split('"').enumerate().peekable();
    while let Some((index, segment)) = segments.next() {
        let is_last = segments.peek().is_none();
        let in_quotes = index % 2 == 1;
        let mut found: Vec<String> = tokens(words, segment).into_iter().map(|t| t.0).collect();
        if in_quotes && !(is_last && ends_in_word) && found.len() > 1 {
            parts.push(Part::Phrase(found));
            continue;
        }
        // An unclosed phrase still being typed searches its words one by one,
        // so results keep coming while the reader types.
        let last = if is_last && ends_in_word {
            found.pop()
        } else {
            None
        };
        parts.extend(found.into_iter().map(|text| Part::Word {
            text,
            prefix: false,
        }));
        if let Some(text) = last {
            parts.push(Part::Word { text, prefix: true });
        }
    }
    parts
}

/// Whether all words must match or any.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    All,
    Any,
}

/// A query ready to run, and the stems to highlight in results.
pub(crate) struct Built {
    pub query: Box<dyn Query>,
    pub highlight: BTreeSet<String>,
    /// How many words and phrases the query combines.
    pub clauses: usize,
}

/// Builds queries against one opened index.
pub(crate) struct QueryBuilder<'a> {
    pub searcher: &'a Searcher,
    pub fields: &'a Fields,
    pub stemmed: TextAnalyzer,
}

impl QueryBuilder<'_> {
    /// The query for `parts`, or `None` when they hold no word at all.
    pub(crate) fn build(&mut self, parts: &[Part], mode: Mode) -> tantivy::Result<Option<Built>> {
        if parts.is_empty() {
            return Ok(None);
        }
        let mut highlight = BTreeSet::new();
        let mut clauses: Vec<Box<dyn Query>> = Vec::new();
        for part in parts {
            let clause = match part {
                Part::Word { text, prefix } => self.word(text, *prefix, &mut highlight)?,
                Part::Phrase(words) => self.phrase(words, &mut highlight),
            };
            // A word found nowhere, even misspelt, is left out rather than
            // emptying every result.
            if let Some(clause) = clause {
                clauses.push(clause);
            }
        }
        let count = clauses.len();
        let query: Box<dyn Query> = match count {
            0 => Box::new(EmptyQuery),
            1 => clauses.remove(0),
            _ => {
                let occur = match mode {
                    Mode::All => Occur::Must,
                    Mode::Any => Occur::Should,
                };
                Box::new(BooleanQuery::new(
                    clauses.into_iter().map(|c| (occur, c)).collect(),
                ))
            }
        };
        Ok(Some(Built {
            query,
            highlight,
            clauses: count,
        }))
    }

    fn word(
        &mut self,
        text: &str,
        prefix: bool,
        highlight: &mut BTreeSet<String>,
    ) -> tantivy::Result<Option<Box<dyn Query>>> {
        // Spellings of the word, each with its weight; the stems they share
        // keep the best weight.
        let mut spellings: Vec<(String, f32)> = vec![(text.to_owned(), 1.0)];
        if prefix && text.chars().count() >= 2 {
            spellings.extend(
                self.completions(text)?
                    .into_iter()
                    .map(|w| (w, PREFIX_WEIGHT)),
            );
        }
        let mut stems: BTreeMap<String, f32> = BTreeMap::new();
        for (spelling, weight) in &spellings {
            for stem in self.stems(spelling) {
                if self.is_indexed(&stem)? {
                    let best = stems.entry(stem).or_insert(0.0);
                    *best = best.max(*weight);
                }
            }
        }
        if stems.is_empty() {
            for spelling in self.near_spellings(text, prefix)? {
                for stem in self.stems(&spelling) {
                    stems.entry(stem).or_insert(FUZZY_WEIGHT);
                }
            }
        }
        if stems.is_empty() {
            return Ok(None);
        }
        let mut alternatives: Vec<Box<dyn Query>> = Vec::with_capacity(stems.len());
        for (stem, weight) in stems {
            let in_fields = self.in_fields(&stem);
            highlight.insert(stem);
            alternatives.push(Box::new(BoostQuery::new(in_fields, weight)));
        }
        Ok(Some(disjunction(alternatives)))
    }

    /// `stem` looked up in every weighted field, scored by its best field.
    fn in_fields(&self, stem: &str) -> Box<dyn Query> {
        let per_field: Vec<Box<dyn Query>> = weighted_fields(self.fields)
            .into_iter()
            .map(|(field, weight)| -> Box<dyn Query> {
                let term = Term::from_field_text(field, stem);
                let query = TermQuery::new(term, IndexRecordOption::WithFreqs);
                Box::new(BoostQuery::new(Box::new(query), weight))
            })
            .collect();
        disjunction(per_field)
    }

    fn phrase(
        &mut self,
        words: &[String],
        highlight: &mut BTreeSet<String>,
    ) -> Option<Box<dyn Query>> {
        let stems: Vec<String> = words.iter().flat_map(|w| self.stems(w)).collect();
        highlight.extend(stems.iter().cloned());
        if stems.len() < 2 {
            // A quoted single word asks for that word exactly, without
            // completions or corrections.
            let stem = stems.first()?;
            return Some(self.in_fields(stem));
        }
        let per_field: Vec<Box<dyn Query>> = phrase_fields(self.fields)
            .into_iter()
            .map(|(field, weight)| -> Box<dyn Query> {
                let terms = stems
                    .iter()
                    .map(|s| Term::from_field_text(field, s))
                    .collect();
                Box::new(BoostQuery::new(Box::new(PhraseQuery::new(terms)), weight))
            })
            .collect();
        Some(disjunction(per_field))
    }

    fn stems(&mut self, word: &str) -> Vec<String> {
        tokens(&mut self.stemmed, word)
            .into_iter()
            .map(|t| t.0)
            .collect()
    }

    /// Whether any weighted field holds `stem`.
    fn is_indexed(&self, stem: &str) -> tantivy::Result<bool> {
        for (field, _) in weighted_fields(self.fields) {
            if self
                .searcher
                .doc_freq(&Term::from_field_text(field, stem))?
                > 0
            {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// Words of the vocabulary that start with `prefix`, the most frequent first.
    fn completions(&self, prefix: &str) -> tantivy::Result<Vec<String>> {
        let mut found: BTreeMap<String, u64> = BTreeMap::new();
        for segment in self.searcher.segment_readers() {
            let index = segment.inverted_index(self.fields.words)?;
            let mut stream = index.terms().range().ge(prefix.as_bytes()).into_stream()?;
            let mut scanned = 0;
            while let Some((key, info)) = stream.next() {
                if !key.starts_with(prefix.as_bytes()) || scanned >= MAX_SCANNED_TERMS {
                    break;
                }
                scanned += 1;
                if let Ok(word) = std::str::from_utf8(key) {
                    *found.entry(word.to_owned()).or_default() += u64::from(info.doc_freq);
                }
            }
        }
        Ok(most_frequent(found, MAX_PREFIX_EXPANSIONS))
    }

    /// Words of the vocabulary within one or two edits of `word` (more for
    /// longer words), or that start with such a spelling when `prefix`.
    fn near_spellings(&self, word: &str, prefix: bool) -> tantivy::Result<Vec<String>> {
        let distance = match word.chars().count() {
            0..=3 => return Ok(Vec::new()),
            4..=7 => 1,
            _ => 2,
        };
        let term = Term::from_field_text(self.fields.words, word);
        let fuzzy = if prefix {
            FuzzyTermQuery::new_prefix(term, distance, true)
        } else {
            FuzzyTermQuery::new(term, distance, true)
        };
        let mut found: BTreeMap<String, u64> = BTreeMap::new();
        for segment in self.searcher.segment_readers() {
            let index = segment.inverted_index(self.fields.words)?;
            let mut stream = index.terms().search(fuzzy.automaton()?).into_stream()?;
            let mut scanned = 0;
            while let Some((key, info)) = stream.next() {
                if scanned >= MAX_SCANNED_TERMS {
                    break;
                }
                scanned += 1;
                if let Ok(word) = std::str::from_utf8(key) {
                    *found.entry(word.to_owned()).or_default() += u64::from(info.doc_freq);
                }
            }
        }
        Ok(most_frequent(found, MAX_FUZZY_EXPANSIONS))
    }
}

/// The `limit` most frequent words; ties go to the alphabetically first.
fn most_frequent(found: BTreeMap<String, u64>, limit: usize) -> Vec<String> {
    let mut ranked: Vec<(String, u64)> = found.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    ranked.into_iter().take(limit).map(|(w, _)| w).collect()
}

fn disjunction(mut queries: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    if queries.len() == 1 {
        return queries.remove(0);
    }
    Box::new(DisjunctionMaxQuery::with_tie_breaker(queries, TIE_BREAKER))
}

/// The term of facet `/<taxonomy>/<slug>`, which a filter on that term matches.
pub(crate) fn facet_term(field: Field, taxonomy: &str, slug: &str) -> Term {
    Term::from_facet(field, &tantivy::schema::Facet::from_path([taxonomy, slug]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokenizer::words_analyzer;

    fn word(text: &str, prefix: bool) -> Part {
        Part::Word {
            text: text.to_owned(),
            prefix,
        }
    }

    fn parsed(query: &str) -> Vec<Part> {
        parse(query, &mut words_analyzer())
    }

    #[test]
    fn last_word_is_a_prefix_while_typing() {
        assert_eq!(
            parsed("Impact assess"),
            [word("impact", false), word("assess", true)]
        );
        assert_eq!(parsed("impact "), [word("impact", false)]);
        assert_eq!(parsed("impact."), [word("impact", false)]);
    }

    #[test]
    fn quotes_make_phrases_and_odd_quotes_are_forgiven() {
        assert_eq!(
            parsed("\"impact assessment\" bias"),
            [
                Part::Phrase(vec!["impact".into(), "assessment".into()]),
                word("bias", true)
            ]
        );
        assert_eq!(
            parsed("\"algorithmic imp"),
            [word("algorithmic", false), word("imp", true)]
        );
        assert_eq!(parsed("\"one\""), [word("one", false)]);
        assert_eq!(parsed("\"\"\" -- ()"), []);
    }
}
