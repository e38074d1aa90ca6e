//! Building tantivy queries from the analysed parts: each word in every weighted
//! field, phrases in the phrase fields, and the collection's other names for a name.

use std::collections::BTreeSet;

use tantivy::query::{
    BooleanQuery, BoostQuery, DisjunctionMaxQuery, EmptyQuery, Occur, PhraseQuery, Query,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Searcher, Term};

use super::Part;
use super::spelling::Word;
use crate::analysis::{Name, Thesaurus};
use crate::schema::{Fields, phrase_fields, weighted_fields};
use crate::term_query::TermQuery;

/// Another name of what the reader named counts almost as much as the name.
const SYNONYM_WEIGHT: f32 = 0.9;
/// How much a glossary term the query names adds, per word of its title.
const NAMED_WEIGHT: f32 = 2.0;
/// How much a word's second-best field or spelling adds to its best one.
const TIE_BREAKER: f32 = 0.1;

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
    pub thesaurus: &'a Thesaurus,
    /// The title stems of the glossary terms the query names.
    pub named: Vec<Vec<String>>,
}

/// Marks a phrase among the words: no name or run of words crosses it.
const BREAK: &str = "\u{0}";

impl QueryBuilder<'_> {
    /// The query for `parts`, or `None` when they hold no word at all.
    pub(crate) fn build(&mut self, parts: &[Part], mode: Mode) -> tantivy::Result<Option<Built>> {
        if parts.is_empty() {
            return Ok(None);
        }
        let mut highlight = BTreeSet::new();
        let mut words: Vec<Option<Word>> = Vec::with_capacity(parts.len());
        for part in parts {
            words.push(match part {
                Part::Word { text, prefix, .. } => Some(self.word(text, *prefix)?),
                Part::Phrase(_) => None,
            });
        }
        let best: Vec<String> = words
            .iter()
            .map(|w| w.as_ref().and_then(Word::best).unwrap_or(BREAK).to_owned())
            .collect();
        // Names of the thesaurus among the words, longest first, not overlapping.
        let mut covered: Vec<Option<usize>> = vec![None; parts.len()];
        let mut named: Vec<(usize, usize, Vec<&Name>)> = Vec::new();
        for (start, len, others) in self.thesaurus.matches(&best) {
            // The same words named in two rings: all their other names count.
            if let Some(same) = named.iter_mut().find(|n| n.0 == start && n.1 == len) {
                for other in others {
                    if !same.2.contains(&other) {
                        same.2.push(other);
                    }
                }
                continue;
            }
            if covered[start..start + len].iter().all(Option::is_none) {
                for slot in &mut covered[start..start + len] {
                    *slot = Some(named.len());
                }
                named.push((start, len, others));
            }
        }

        let mut clauses: Vec<Box<dyn Query>> = Vec::new();
        let mut at = 0;
        while at < parts.len() {
            let clause = if let Some(n) = covered[at] {
                // The named words as typed, or any other name of the same thing.
                let (start, len, others) = &named[n];
                let mut alternatives: Vec<Box<dyn Query>> = Vec::new();
                let own: Vec<Box<dyn Query>> = (*start..start + len)
                    .filter_map(|i| {
                        words[i]
                            .as_ref()
                            .and_then(|w| self.word_query(w, &mut highlight))
                    })
                    .collect();
                if !own.is_empty() {
                    alternatives.push(all_of(own));
                }
                for name in others {
                    highlight.extend(name.stems().map(str::to_owned));
                    alternatives.push(Box::new(BoostQuery::new(
                        self.name_query(name),
                        SYNONYM_WEIGHT,
                    )));
                }
                at = start + len;
                Some(disjunction(alternatives))
            } else {
                let clause = match (&parts[at], &words[at]) {
                    (_, Some(word)) => self.word_query(word, &mut highlight),
                    (Part::Phrase(words), None) => self.phrase(words, &mut highlight),
                    (Part::Word { .. }, None) => None,
                };
                at += 1;
                clause
            };
            // A word found nowhere, even misspelt, is left out rather than
            // emptying every result.
            if let Some(clause) = clause {
                clauses.push(clause);
            }
        }
        let count = clauses.len();
        if count == 0 {
            return Ok(Some(Built {
                query: Box::new(EmptyQuery),
                highlight,
                clauses: 0,
            }));
        }
        let occur = match mode {
            Mode::All => Occur::Must,
            Mode::Any => Occur::Should,
        };
        let mut all: Vec<(Occur, Box<dyn Query>)> =
            clauses.into_iter().map(|c| (occur, c)).collect();
        // A glossary term the query names is what the reader asks about
        // ("what is automation bias"): its title's words, all in a title.
        for title in &self.named {
            let weight = NAMED_WEIGHT * title.len() as f32;
            let in_title = self.all_in(self.fields.title, title.iter().map(String::as_str));
            all.push((Occur::Should, Box::new(BoostQuery::new(in_title, weight))));
        }
        let query: Box<dyn Query> = if all.len() == 1 {
            all.remove(0).1
        } else {
            Box::new(BooleanQuery::new(all))
        };
        Ok(Some(Built {
            query,
            highlight,
            clauses: count,
        }))
    }

    /// Every stem of `stems` in `field`.
    fn all_in<'s>(&self, field: Field, stems: impl Iterator<Item = &'s str>) -> Box<dyn Query> {
        all_of(
            stems
                .map(|stem| -> Box<dyn Query> {
                    let term = Term::from_field_text(field, stem);
                    Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs))
                })
                .collect(),
        )
    }

    /// A name of the thesaurus: its word in every weighted field, or all its
    /// words in one of the phrase fields.
    fn name_query(&self, name: &Name) -> Box<dyn Query> {
        if let [(_, stem)] = name.positioned.as_slice() {
            return self.in_fields(stem);
        }
        let per_field: Vec<Box<dyn Query>> = phrase_fields(self.fields)
            .into_iter()
            .map(|(field, weight)| -> Box<dyn Query> {
                Box::new(BoostQuery::new(self.all_in(field, name.stems()), weight))
            })
            .collect();
        disjunction(per_field)
    }

    /// The clause of a word: any of its stems, each in every weighted field.
    fn word_query(&self, word: &Word, highlight: &mut BTreeSet<String>) -> Option<Box<dyn Query>> {
        if word.stems.is_empty() {
            return None;
        }
        let alternatives: Vec<Box<dyn Query>> = word
            .stems
            .iter()
            .map(|(stem, weight)| -> Box<dyn Query> {
                highlight.insert(stem.clone());
                Box::new(BoostQuery::new(self.in_fields(stem), *weight))
            })
            .collect();
        Some(disjunction(alternatives))
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
}

/// A query every one of `queries` must match, scored by their sum.
fn all_of(mut queries: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    if queries.len() == 1 {
        return queries.remove(0);
    }
    Box::new(BooleanQuery::new(
        queries.into_iter().map(|q| (Occur::Must, q)).collect(),
    ))
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
