//! What a typed word may be: its stems, completions of a word still being typed,
//! near spellings of one the index lacks, and the suggestion shown when nothing is found.

use std::collections::BTreeMap;

use super::fuzzy::Levenshtein;
use super::{Part, QueryBuilder};
use crate::schema::weighted_fields;
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

/// A word of the query with what it may be: its stems (its own, completions,
/// near spellings) with their weights, best first.
pub(crate) struct Word {
    pub(super) stems: Vec<(String, f32)>,
}

impl Word {
    /// The stem the word most likely means, to find names and phrases with.
    pub(super) fn best(&self) -> Option<&str> {
        self.stems.first().map(|(s, _)| s.as_str())
    }
}

impl QueryBuilder<'_> {
    /// What a typed word may be, best first.
    pub(crate) fn word(&mut self, text: &str, prefix: bool) -> std::io::Result<Word> {
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

    /// `parts` written again with every word the index lacks replaced by the
    /// most frequent word of its vocabulary within one or two edits, or split
    /// into two words it has ("dataethics"); `None` when no word changed.
    pub(crate) fn suggestion(&mut self, parts: &[Part]) -> std::io::Result<Option<String>> {
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
    fn nearest(&self, word: &str) -> std::io::Result<Option<String>> {
        let length = word.chars().count();
        let distance = match length {
            0..=2 => return Ok(None),
            3..=4 => 1,
            _ => 2,
        };
        let fuzzy = Levenshtein::new(word, distance, false);
        let mut found: BTreeMap<String, u64> = BTreeMap::new();
        let index = self.segment.field(self.fields.words)?;
        let Some(terms) = index.terms() else {
            return Ok(None);
        };
        for (key, info) in terms.search(fuzzy) {
            if let Ok(near) = std::str::from_utf8(key)
                && !self.thesaurus.is_stop_word(near)
            {
                *found.entry(near.to_owned()).or_default() += u64::from(info.doc_freq);
            }
        }
        if let Some(best) = most_frequent(found, 1).pop() {
            return Ok(Some(best));
        }
        // Two words run together: the split whose rarer half is most frequent.
        let mut best: Option<(u32, String)> = None;
        for (at, _) in word.char_indices().skip(2) {
            let (left, right) = word.split_at(at);
            if right.chars().count() < 2 {
                break;
            }
            let frequency = |w: &str| -> std::io::Result<u32> {
                self.segment
                    .field(self.fields.words)?
                    .doc_freq(w.as_bytes())
            };
            let rarer = frequency(left)?.min(frequency(right)?);
            if rarer > 0 && best.as_ref().is_none_or(|(f, _)| rarer > *f) {
                best = Some((rarer, format!("{left} {right}")));
            }
        }
        Ok(best.map(|(_, split)| split))
    }

    pub(super) fn stems(&mut self, word: &str) -> Vec<String> {
        tokens(&mut self.stemmed, word)
            .into_iter()
            .map(|t| t.0)
            .collect()
    }

    /// Whether any weighted field holds `stem`.
    fn is_indexed(&self, stem: &str) -> std::io::Result<bool> {
        for (field, _) in weighted_fields(self.fields) {
            if self.segment.field(field)?.doc_freq(stem.as_bytes())? > 0 {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// Words of the vocabulary that start with `prefix`, the most frequent first.
    fn completions(&self, prefix: &str) -> std::io::Result<Vec<String>> {
        self.most_frequent_of(Levenshtein::starting_with(prefix), MAX_PREFIX_EXPANSIONS)
    }

    /// Words of the vocabulary within one or two edits of `word` (more for
    /// longer words), or that start with such a spelling when `prefix`.
    fn near_spellings(&self, word: &str, prefix: bool) -> std::io::Result<Vec<String>> {
        let distance = match word.chars().count() {
            0..=3 => return Ok(Vec::new()),
            4..=7 => 1,
            _ => 2,
        };
        self.most_frequent_of(
            Levenshtein::new(word, distance, prefix),
            MAX_FUZZY_EXPANSIONS,
        )
    }

    /// The `limit` most frequent words of the vocabulary that `automaton`
    /// accepts, among the first [`MAX_SCANNED_TERMS`] it accepts.
    fn most_frequent_of(
        &self,
        automaton: Levenshtein,
        limit: usize,
    ) -> std::io::Result<Vec<String>> {
        let index = self.segment.field(self.fields.words)?;
        let Some(terms) = index.terms() else {
            return Ok(Vec::new());
        };
        let mut found: BTreeMap<String, u64> = BTreeMap::new();
        for (key, info) in terms.search(automaton).take(MAX_SCANNED_TERMS) {
            if let Ok(word) = std::str::from_utf8(key) {
                *found.entry(word.to_owned()).or_default() += u64::from(info.doc_freq);
            }
        }
        Ok(most_frequent(found, limit))
    }
}

/// The `limit` most frequent words; ties go to the alphabetically first.
///
/// Picked one at a time rather than sorted: `limit` is small, and a sort of
/// this type would add code to the browser's module.
fn most_frequent(found: BTreeMap<String, u64>, limit: usize) -> Vec<String> {
    // In alphabetical order, so the first of the most frequent wins a tie.
    let mut left: Vec<(String, u64)> = found.into_iter().collect();
    let mut ranked = Vec::with_capacity(limit.min(left.len()));
    while ranked.len() < limit && !left.is_empty() {
        let mut best = 0;
        for (i, (_, count)) in left.iter().enumerate() {
            if *count > left[best].1 {
                best = i;
            }
        }
        ranked.push(left.remove(best).0);
    }
    ranked
}

/// Adds `stem` with `weight`, or raises the weight it already has.
fn keep_best(stems: &mut Vec<(String, f32)>, stem: String, weight: f32) {
    match stems.iter_mut().find(|(s, _)| *s == stem) {
        Some(entry) => entry.1 = entry.1.max(weight),
        None => stems.push((stem, weight)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_most_frequent_words_come_first_and_ties_go_alphabetically() {
        let found: BTreeMap<String, u64> = [
            ("delta", 2),
            ("alpha", 5),
            ("echo", 9),
            ("bravo", 5),
            ("charlie", 1),
        ]
        .into_iter()
        .map(|(w, n)| (w.to_owned(), n))
        .collect();
        assert_eq!(
            most_frequent(found.clone(), 4),
            ["echo", "alpha", "bravo", "delta"]
        );
        assert_eq!(most_frequent(found.clone(), 1), ["echo"]);
        assert_eq!(most_frequent(found.clone(), 10).len(), 5);
        assert!(most_frequent(found, 0).is_empty());
        assert!(most_frequent(BTreeMap::new(), 3).is_empty());
    }
}
