//! From what a reader typed to a tantivy query: words and quoted phrases; stop
//! words dropped when the query has other words ("what is automation bias");
//! the last word completed as a prefix; unknown words widened to near
//! spellings; a name with other names in the collection (a synonym, an
//! alternative label, an acronym) searched under all of them; every word
//! looked up in the weighted fields; and a glossary term the query names
//! raised above the documents that merely use its words.
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

use crate::analysis::{Name, Thesaurus};
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
/// Another name of what the reader named counts almost as much as the name.
const SYNONYM_WEIGHT: f32 = 0.9;
/// How much a glossary term the query names adds, per word of its title.
const NAMED_WEIGHT: f32 = 2.0;
/// How much a word's second-best field or spelling adds to its best one.
const TIE_BREAKER: f32 = 0.1;

/// One piece of the reader's query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Part {
    /// A word, lowercased and folded; `prefix` when the reader may still be
    /// typing it; `capitals` when typed in capitals (WHO, IT), which makes it
    /// a name rather than a stop word.
    Word {
        text: String,
        prefix: bool,
        capitals: bool,
    },
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
        let found = tokens(words, segment);
        if in_quotes && !(is_last && ends_in_word) && found.len() > 1 {
            parts.push(Part::Phrase(found.into_iter().map(|t| t.0).collect()));
            continue;
        }
        // An unclosed phrase still being typed searches its words one by one,
        // so results keep coming while the reader types.
        let count = found.len();
        for (at, (text, from, to)) in found.into_iter().enumerate() {
            parts.push(Part::Word {
                text,
                prefix: is_last && ends_in_word && at + 1 == count,
                capitals: in_capitals(&segment[from..to]),
            });
        }
    }
    parts
}

/// Whether a word is written in capitals (two letters or more, none lowercase).
fn in_capitals(word: &str) -> bool {
    word.chars().filter(|c| c.is_alphabetic()).count() >= 2 && !word.chars().any(char::is_lowercase)
}

/// `parts` without their stop words, unless nothing else would be left.
/// Capitals and quoted phrases keep theirs.
pub(crate) fn without_stop_words(parts: Vec<Part>, thesaurus: &Thesaurus) -> Vec<Part> {
    let is_stop = |part: &Part| match part {
        Part::Word { text, capitals, .. } => !capitals && thesaurus.is_stop_word(text),
        Part::Phrase(_) => false,
    };
    if parts.iter().all(is_stop) {
        return parts;
    }
    parts.into_iter().filter(|p| !is_stop(p)).collect()
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
    pub thesaurus: &'a Thesaurus,
    /// The title stems of the glossary terms the query names.
    pub named: Vec<Vec<String>>,
}

/// A word of the query with what it may be: its stems (its own, completions,
/// near spellings) with their weights, best first.
pub(crate) struct Word {
    stems: Vec<(String, f32)>,
}

impl Word {
    /// The stem the word most likely means, to find names and phrases with.
    fn best(&self) -> Option<&str> {
        self.stems.first().map(|(s, _)| s.as_str())
    }
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

    /// What a typed word may be, best first.
    pub(crate) fn word(&mut self, text: &str, prefix: bool) -> tantivy::Result<Word> {
        // Spellings of the word, each with its weight; the stems they share
        // keep the best weight.
        let mut spellings: Vec<(String, f32)> = vec![(text.to_owned(), 1.0)];
        if prefix && text.chars().count() >= 2 {
            spellings.extend(
                self.completions(text)?
                    .into_iter()
                    .filter(|w| !self.thesaurus.is_stop_word(w))
                    .map(|w| (w, PREFIX_WEIGHT)),
            );
        }
        let mut stems: Vec<(String, f32)> = Vec::new();
        for (spelling, weight) in &spellings {
            for stem in self.stems(spelling) {
                if self.is_indexed(&stem)? {
                    keep_best(&mut stems, stem, *weight);
                }
            }
        }
        if stems.is_empty() {
            for spelling in self.near_spellings(text, prefix)? {
                for stem in self.stems(&spelling) {
                    keep_best(&mut stems, stem, FUZZY_WEIGHT);
                }
            }
        }
        // Already best first: the word itself (1.0) leads, then completions
        // (below it) or, only when neither is indexed, corrections, each in
        // the order of their frequency.
        Ok(Word { stems })
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

    /// `parts` written again with every word the index lacks replaced by the
    /// most frequent word of its vocabulary within one or two edits, or split
    /// into two words it has ("dataethics"); `None` when no word changed.
    pub(crate) fn suggestion(&mut self, parts: &[Part]) -> tantivy::Result<Option<String>> {
        let mut changed = false;
        let mut out: Vec<String> = Vec::new();
        for part in parts {
            match part {
                Part::Phrase(words) => out.push(format!("\"{}\"", words.join(" "))),
                Part::Word { text, .. } => {
                    let mut known = false;
                    for stem in self.stems(text) {
                        known |= self.is_indexed(&stem)?;
                    }
                    if known {
                        out.push(text.clone());
                        continue;
                    }
                    changed = true;
                    if let Some(word) = self.nearest(text)? {
                        out.push(word);
                    }
                }
            }
        }
        Ok((changed && !out.is_empty()).then(|| out.join(" ")))
    }

    /// The vocabulary's most frequent word near `word`, or the best split of
    /// it into two words of the vocabulary.
    fn nearest(&self, word: &str) -> tantivy::Result<Option<String>> {
        let length = word.chars().count();
        let distance = match length {
            0..=2 => return Ok(None),
            3..=4 => 1,
            _ => 2,
        };
        let term = Term::from_field_text(self.fields.words, word);
        let fuzzy = FuzzyTermQuery::new(term, distance, true);
        let mut found: BTreeMap<String, u64> = BTreeMap::new();
        for segment in self.searcher.segment_readers() {
            let index = segment.inverted_index(self.fields.words)?;
            let mut stream = index.terms().search(fuzzy.automaton()?).into_stream()?;
            while let Some((key, info)) = stream.next() {
                if let Ok(near) = std::str::from_utf8(key)
                    && !self.thesaurus.is_stop_word(near)
                {
                    *found.entry(near.to_owned()).or_default() += u64::from(info.doc_freq);
                }
            }
        }
        if let Some(best) = most_frequent(found, 1).pop() {
            return Ok(Some(best));
        }
        // Two words run together: the split whose rarer half is most frequent.
        let mut best: Option<(u64, String)> = None;
        for (at, _) in word.char_indices().skip(2) {
            let (left, right) = word.split_at(at);
            if right.chars().count() < 2 {
                break;
            }
            let frequency = |w: &str| -> tantivy::Result<u64> {
                self.searcher
                    .doc_freq(&Term::from_field_text(self.fields.words, w))
            };
            let rarer = frequency(left)?.min(frequency(right)?);
            if rarer > 0 && best.as_ref().is_none_or(|(f, _)| rarer > *f) {
                best = Some((rarer, format!("{left} {right}")));
            }
        }
        Ok(best.map(|(_, split)| split))
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

/// Adds `stem` with `weight`, or raises the weight it already has.
fn keep_best(stems: &mut Vec<(String, f32)>, stem: String, weight: f32) {
    match stems.iter_mut().find(|(s, _)| *s == stem) {
        Some(entry) => entry.1 = entry.1.max(weight),
        None => stems.push((stem, weight)),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::Analysis;
    use crate::tokenizer::{stemmed_analyzer, words_analyzer};

    fn word(text: &str, prefix: bool) -> Part {
        Part::Word {
            text: text.to_owned(),
            prefix,
            capitals: false,
        }
    }

    fn parsed(query: &str) -> Vec<Part> {
        parse(query, &mut words_analyzer())
    }

    fn english() -> Thesaurus {
        let analysis = Analysis {
            stop_words: [
                "what", "is", "the", "how", "do", "i", "a", "an", "who", "it",
            ]
            .map(str::to_owned)
            .to_vec(),
            acronyms: Vec::new(),
        };
        Thesaurus::new(
            &analysis,
            std::iter::empty(),
            &mut stemmed_analyzer(
                "en",
                crate::stem::Stemmer::for_language("en", None)
                    .expect("the linked stemmers")
                    .as_ref(),
            ),
            &mut words_analyzer(),
        )
    }

    fn texts(parts: &[Part]) -> Vec<&str> {
        parts
            .iter()
            .map(|p| match p {
                Part::Word { text, .. } => text.as_str(),
                Part::Phrase(_) => "(phrase)",
            })
            .collect()
    }

    #[test]
    fn questions_lose_their_stop_words() {
        let parts = without_stop_words(parsed("What is automation bias?"), &english());
        assert_eq!(texts(&parts), ["automation", "bias"]);
        let parts = without_stop_words(parsed("how do I assess an algorithm"), &english());
        assert_eq!(texts(&parts), ["assess", "algorithm"]);
    }

    #[test]
    fn stop_words_stay_when_nothing_else_is_left_or_in_capitals_or_quotes() {
        let parts = without_stop_words(parsed("what is it"), &english());
        assert_eq!(texts(&parts), ["what", "is", "it"]);
        // WHO the organisation and IT the department are names, not stop words.
        let parts = without_stop_words(parsed("WHO guidance on IT"), &english());
        assert_eq!(texts(&parts), ["who", "guidance", "on", "it"]);
        let parts = without_stop_words(parsed("\"the global landscape\" of"), &english());
        assert_eq!(texts(&parts), ["(phrase)", "of"]);
    }

    #[test]
    fn capitals_are_noticed_per_word() {
        assert_eq!(
            parsed("AI act"),
            [
                Part::Word {
                    text: "ai".into(),
                    prefix: false,
                    capitals: true
                },
                word("act", true)
            ]
        );
        assert!(!in_capitals("A"));
        assert!(in_capitals("AIF360"));
        assert!(!in_capitals("GenAI"));
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
