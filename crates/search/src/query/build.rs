//! Building tantivy queries from the analysed parts: each word in every weighted
//! field, phrases in the phrase fields, and the collection's other names for a name.

use std::collections::BTreeSet;

use tantivy::schema::Field;
use tantivy::tokenizer::TextAnalyzer;

use super::Part;
use super::spelling::Word;
use crate::analysis::{Name, Thesaurus};
use crate::engine::Query;
use crate::schema::{Fields, phrase_fields, weighted_fields};
use crate::segment::Segment;

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
    pub query: Query,
    pub highlight: BTreeSet<String>,
    /// How many words and phrases the query combines.
    pub clauses: usize,
}

/// Builds queries against one opened index.
pub(crate) struct QueryBuilder<'a> {
    pub segment: &'a Segment,
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
    pub(crate) fn build(&mut self, parts: &[Part], mode: Mode) -> std::io::Result<Option<Built>> {
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

        let mut clauses: Vec<Query> = Vec::new();
        let mut at = 0;
        while at < parts.len() {
            let clause = if let Some(n) = covered[at] {
                // The named words as typed, or any other name of the same thing.
                let (start, len, others) = &named[n];
                let mut alternatives: Vec<Query> = Vec::new();
                let own: Vec<Query> = (*start..start + len)
                    .filter_map(|i| {
                        words[i]
                            .as_ref()
                            .and_then(|w| self.word_query(w, &mut highlight))
                    })
                    .collect();
                if !own.is_empty() {
                    alternatives.push(Query::all(own));
                }
                for name in others {
                    highlight.extend(name.stems().map(str::to_owned));
                    alternatives.push(Query::Boost(
                        Box::new(self.name_query(name)),
                        SYNONYM_WEIGHT,
                    ));
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
                query: Query::Nothing,
                highlight,
                clauses: 0,
            }));
        }
        let (mut must, mut should) = match mode {
            Mode::All => (clauses, Vec::new()),
            Mode::Any => (Vec::new(), clauses),
        };
        // A glossary term the query names is what the reader asks about
        // ("what is automation bias"): its title's words, all in a title.
        for title in &self.named {
            let weight = NAMED_WEIGHT * title.len() as f32;
            let in_title = self.all_in(self.fields.title, title.iter().map(String::as_str));
            should.push(Query::Boost(Box::new(in_title), weight));
        }
        let query = match (must.len(), should.len()) {
            (1, 0) => must.remove(0),
            (0, 1) => should.remove(0),
            _ => Query::Bool {
                must,
                should,
                not: Vec::new(),
            },
        };
        Ok(Some(Built {
            query,
            highlight,
            clauses: count,
        }))
    }

    /// Every stem of `stems` in `field`.
    fn all_in<'s>(&self, field: Field, stems: impl Iterator<Item = &'s str>) -> Query {
        Query::all(
            stems
                .map(|stem| Query::Term(field, stem.as_bytes().to_vec()))
                .collect(),
        )
    }

    /// A name of the thesaurus: its word in every weighted field, or all its
    /// words in one of the phrase fields.
    fn name_query(&self, name: &Name) -> Query {
        if let [(_, stem)] = name.positioned.as_slice() {
            return self.in_fields(stem);
        }
        let per_field: Vec<Query> = phrase_fields(self.fields)
            .into_iter()
            .map(|(field, weight)| Query::Boost(Box::new(self.all_in(field, name.stems())), weight))
            .collect();
        disjunction(per_field)
    }

    /// The clause of a word: any of its stems, each in every weighted field.
    fn word_query(&self, word: &Word, highlight: &mut BTreeSet<String>) -> Option<Query> {
        if word.stems.is_empty() {
            return None;
        }
        let alternatives: Vec<Query> = word
            .stems
            .iter()
            .map(|(stem, weight)| {
                highlight.insert(stem.clone());
                Query::Boost(Box::new(self.in_fields(stem)), *weight)
            })
            .collect();
        Some(disjunction(alternatives))
    }

    /// `stem` looked up in every weighted field, scored by its best field.
    fn in_fields(&self, stem: &str) -> Query {
        let per_field: Vec<Query> = weighted_fields(self.fields)
            .into_iter()
            .map(|(field, weight)| {
                Query::Boost(
                    Box::new(Query::Term(field, stem.as_bytes().to_vec())),
                    weight,
                )
            })
            .collect();
        disjunction(per_field)
    }

    fn phrase(&mut self, words: &[String], highlight: &mut BTreeSet<String>) -> Option<Query> {
        let stems: Vec<String> = words.iter().flat_map(|w| self.stems(w)).collect();
        highlight.extend(stems.iter().cloned());
        if stems.len() < 2 {
            // A quoted single word asks for that word exactly, without
            // completions or corrections.
            let stem = stems.first()?;
            return Some(self.in_fields(stem));
        }
        let per_field: Vec<Query> = phrase_fields(self.fields)
            .into_iter()
            .map(|(field, weight)| {
                let terms = stems.iter().map(|s| s.as_bytes().to_vec()).collect();
                Query::Boost(Box::new(Query::Phrase(field, terms)), weight)
            })
            .collect();
        Some(disjunction(per_field))
    }
}

fn disjunction(mut queries: Vec<Query>) -> Query {
    if queries.len() == 1 {
        return queries.remove(0);
    }
    Query::Max(queries, TIE_BREAKER)
}

/// The dictionary key of facet `/<taxonomy>/<slug>`, which a filter on that term matches.
pub(crate) fn facet_term(taxonomy: &str, slug: &str) -> Vec<u8> {
    tantivy::schema::Facet::from_path([taxonomy, slug])
        .encoded_str()
        .as_bytes()
        .to_vec()
}
