//! Near spellings in a term dictionary: an automaton that accepts the words
//! within a few edits of a typed word (two neighbouring letters swapped count
//! as one edit), or, for a word still being typed, the words that begin so.
//!
//! It accepts exactly what tantivy's `FuzzyTermQuery::automaton` accepts (the
//! Schulz and Mihov automaton of the `levenshtein_automata` crate, prefix mode
//! included), but steps through that automaton's sets of nondeterministic
//! states as the dictionary is walked instead of building its deterministic
//! tables first. The browser's module then carries no table builder, and the
//! first misspelt word no longer builds the tables of a distance up front.

use tantivy_fst::Automaton;

/// Where the automaton may be in the typed word: `offset` characters read
/// (relative to the set's base), at `distance` edits, possibly halfway
/// through a swap of two letters.
///
/// The field order gives the order the sets are kept in, as in the crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Position {
    offset: u32,
    distance: u8,
    in_transpose: bool,
}

impl Position {
    /// Whether being at `self` makes being at `other` redundant.
    fn implies(self, other: Position) -> bool {
        let delta = self.offset.abs_diff(other.offset);
        let limit = u32::from(self.distance) + delta;
        if self.in_transpose || !other.in_transpose {
            u32::from(other.distance) >= limit
        } else {
            u32::from(other.distance) > limit
        }
    }
}

/// Words within `max` edits of a word, or starting within `max` edits of it.
#[derive(Debug, Clone)]
pub(crate) struct Levenshtein {
    query: Vec<char>,
    max: u8,
    prefix: bool,
}

/// A state of [`Levenshtein`] after some bytes of a word.
#[derive(Debug, Clone)]
pub(crate) struct State {
    /// The positions, offsets relative to `base`, sorted; empty when no
    /// continuation can match.
    positions: Vec<Position>,
    base: u32,
    /// In prefix mode: the typed word has been matched, whatever follows.
    sink: bool,
    /// A character begun: the bits read so far and the bytes still to come.
    code: u32,
    pending: u8,
}

impl Levenshtein {
    /// `distance` is at most 2, as tantivy allows; `prefix` also accepts
    /// every word that begins with one within that distance.
    pub(crate) fn new(word: &str, distance: u8, prefix: bool) -> Levenshtein {
        Levenshtein {
            query: word.chars().collect(),
            max: distance,
            prefix,
        }
    }

    /// Every word that begins with `prefix` (with "", every word): the
    /// completions of a word still being typed.
    pub(crate) fn starting_with(prefix: &str) -> Levenshtein {
        Levenshtein::new(prefix, 0, true)
    }

    fn diameter(&self) -> u32 {
        2 * u32::from(self.max) + 1
    }

    /// The smallest distance of `positions` to `remaining` characters further
    /// on, or `max + 1` when none is within `max`.
    fn distance_at(&self, positions: &[Position], remaining: u32) -> u8 {
        positions
            .iter()
            .map(|p| u32::from(p.distance) + remaining.abs_diff(p.offset))
            .filter(|d| *d <= u32::from(self.max))
            .min()
            .map_or(self.max + 1, |d| d as u8)
    }

    /// Characters of the typed word not yet read at `base`, when a match can
    /// still be measured from there.
    fn remaining(&self, base: u32) -> Option<u32> {
        let remaining = (self.query.len() as u32).checked_sub(base)?;
        (remaining < self.diameter()).then_some(remaining)
    }

    /// In prefix mode, whether every continuation of `state` matches: the
    /// whole word read within `max` edits, and no shorter reading does better.
    fn is_sink(&self, state: &State) -> bool {
        if state.positions.is_empty() {
            return true;
        }
        let Some(remaining) = self.remaining(state.base) else {
            return false;
        };
        let whole = self.distance_at(&state.positions, remaining);
        whole <= self.max && (0..remaining).all(|k| self.distance_at(&state.positions, k) >= whole)
    }

    /// Adds `new` to `positions` unless one there implies it, dropping those
    /// it implies.
    fn add(positions: &mut Vec<Position>, new: Position) {
        if positions.iter().any(|p| p.implies(new)) {
            return;
        }
        positions.retain(|p| !new.implies(*p));
        positions.push(new);
    }

    /// The positions after reading a character whose matches among the next
    /// characters of the word are the bits of `chi`.
    fn step(&self, positions: &[Position], chi: u64) -> Vec<Position> {
        let mask = (1u64 << self.diameter()) - 1;
        let mut next = Vec::with_capacity(positions.len() * 3);
        for &p in positions {
            let symbol = (chi >> p.offset) & mask;
            let bit = |d: u8| (symbol >> d) & 1 == 1;
            let mut add = |offset, distance, in_transpose| {
                let new = Position {
                    offset,
                    distance,
                    in_transpose,
                };
                Levenshtein::add(&mut next, new);
            };
            if p.distance < self.max {
                // A letter inserted, or one replaced.
                add(p.offset, p.distance + 1, false);
                add(p.offset + 1, p.distance + 1, false);
                // Letters of the word left out before this one.
                for d in 1..=self.max - p.distance {
                    if bit(d) {
                        add(p.offset + 1 + u32::from(d), p.distance + d, false);
                    }
                }
                // The first letter of a swap.
                if bit(1) {
                    add(p.offset, p.distance + 1, true);
                }
            }
            if bit(0) {
                add(p.offset + 1, p.distance, false);
            }
            if p.in_transpose && bit(0) {
                add(p.offset + 2, p.distance, false);
            }
        }
        // Sorted by insertion: the sets are small, and a library sort of this
        // type would add code to the browser's module.
        for i in 1..next.len() {
            let mut j = i;
            while j > 0 && next[j - 1] > next[j] {
                next.swap(j - 1, j);
                j -= 1;
            }
        }
        next
    }

    /// `state` after reading the character `c`.
    fn read(&self, state: &State, c: u32) -> State {
        let mut chi = 0u64;
        for i in 0..self.diameter() {
            let at = (state.base + i) as usize;
            if self.query.get(at).is_some_and(|&q| q as u32 == c) {
                chi |= 1 << i;
            }
        }
        let mut positions = self.step(&state.positions, chi);
        let lowest = positions.iter().map(|p| p.offset).min().unwrap_or(0);
        for p in &mut positions {
            p.offset -= lowest;
        }
        let base = if positions.is_empty() {
            0
        } else {
            state.base + lowest
        };
        let mut next = State {
            positions,
            base,
            sink: false,
            code: 0,
            pending: 0,
        };
        next.sink = self.prefix && self.is_sink(&next);
        next
    }
}

impl Automaton for Levenshtein {
    type State = State;

    fn start(&self) -> State {
        let mut start = State {
            positions: vec![Position {
                offset: 0,
                distance: 0,
                in_transpose: false,
            }],
            base: 0,
            sink: false,
            code: 0,
            pending: 0,
        };
        start.sink = self.prefix && self.is_sink(&start);
        start
    }

    fn is_match(&self, state: &State) -> bool {
        if state.pending > 0 || state.positions.is_empty() {
            return false;
        }
        if state.sink {
            return true;
        }
        self.remaining(state.base)
            .is_some_and(|remaining| self.distance_at(&state.positions, remaining) <= self.max)
    }

    fn can_match(&self, state: &State) -> bool {
        !state.positions.is_empty()
    }

    fn accept(&self, state: &State, byte: u8) -> State {
        if state.sink || state.positions.is_empty() {
            return state.clone();
        }
        // The dictionary's words are UTF-8: a character is read whole.
        let (code, pending) = if state.pending > 0 {
            (
                (state.code << 6) | u32::from(byte & 0x3f),
                state.pending - 1,
            )
        } else {
            match byte {
                0xc0..=0xdf => (u32::from(byte & 0x1f), 1),
                0xe0..=0xef => (u32::from(byte & 0x0f), 2),
                0xf0..=0xff => (u32::from(byte & 0x07), 3),
                _ => (u32::from(byte), 0),
            }
        };
        if pending > 0 {
            let mut next = state.clone();
            next.code = code;
            next.pending = pending;
            return next;
        }
        self.read(state, code)
    }
}

#[cfg(test)]
mod tests {
    use tantivy::Term;
    use tantivy::query::FuzzyTermQuery;
    use tantivy::schema::{STRING, Schema};

    use super::*;

    fn run<A: Automaton>(automaton: &A, word: &str) -> bool {
        let mut state = automaton.start();
        for &byte in word.as_bytes() {
            state = automaton.accept(&state, byte);
        }
        automaton.is_match(&state)
    }

    /// Every word over `letters` of up to `len` letters.
    fn words(letters: &[&str], len: usize) -> Vec<String> {
        let mut all = vec![String::new()];
        let mut last = vec![String::new()];
        for _ in 0..len {
            last = last
                .iter()
                .flat_map(|w| letters.iter().map(move |l| format!("{w}{l}")))
                .collect();
            all.extend(last.iter().cloned());
        }
        all
    }

    #[test]
    fn it_accepts_what_tantivys_fuzzy_automaton_accepts() {
        let mut schema = Schema::builder();
        let field = schema.add_text_field("w", STRING);
        let queries = [
            "a", "ab", "abc", "abca", "baab", "cabé", "aébc", "abcab", "bacca", "aabbcc", "cbaabc",
        ];
        let candidates = words(&["a", "b", "c", "é"], 6);
        for query in queries {
            for distance in 0..=2 {
                for prefix in [false, true] {
                    let term = Term::from_field_text(field, query);
                    let theirs = if prefix {
                        FuzzyTermQuery::new_prefix(term, distance, true)
                    } else {
                        FuzzyTermQuery::new(term, distance, true)
                    }
                    .automaton()
                    .unwrap();
                    let ours = Levenshtein::new(query, distance, prefix);
                    for word in &candidates {
                        assert_eq!(
                            run(&ours, word),
                            run(&theirs, word),
                            "{word:?} against {query:?}, distance {distance}, prefix {prefix}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn near_spellings_and_beginnings_match() {
        let near = Levenshtein::new("privacy", 2, false);
        assert!(run(&near, "privacy"));
        assert!(run(&near, "pirvacy"));
        assert!(run(&near, "privcy"));
        assert!(run(&near, "privatcy"));
        assert!(!run(&near, "piracy-x"));
        assert!(!run(&near, "secrecy"));
        let begun = Levenshtein::new("algoritm", 1, true);
        assert!(run(&begun, "algorithmic"));
        assert!(run(&begun, "algorithm"));
        assert!(!run(&begun, "logarithm"));
    }

    #[test]
    fn a_beginning_matches_the_words_it_begins_and_nothing_else() {
        let begun = Levenshtein::starting_with("anonym");
        for word in ["anonym", "anonymous", "anonymisation", "anonymité"] {
            assert!(run(&begun, word), "{word}");
        }
        for word in ["anony", "pseudonym", "anonimous", ""] {
            assert!(!run(&begun, word), "{word}");
        }
        let every = Levenshtein::starting_with("");
        for word in ["", "a", "données", "20240105"] {
            assert!(run(&every, word), "{word}");
        }
    }
}
