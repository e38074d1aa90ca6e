//! The term dictionaries as the reader keeps them: each field's terms in
//! order, front-coded, each with what tantivy's dictionary says of it (how
//! many documents hold it, where its postings and positions lie).
//!
//! The writer transcodes tantivy's dictionaries (an FST and bit-packed term
//! infos per field) into this file when it packs an index, and adds the
//! vocabulary it counted itself. Every search
//! downloads the dictionaries, and deflated they are half the size of
//! tantivy's (the example collection's 51 kB become 24 kB): an FST barely
//! deflates, sorted words front-coded do. The browser's module then carries
//! no FST code either.
//!
//! The file holds, for every field of the schema in order, a vint length and
//! that many bytes (none for a field without terms):
//! - a flags byte: bit 0, term infos carry postings lengths; bit 1, positions
//!   lengths (a field whose postings are never read keeps only frequencies);
//! - the number of terms (vint);
//! - every term: the length it shares with the one before, its own length
//!   (vints), its own bytes;
//! - every term's info: its document frequency, then the lengths the flags
//!   name (vints). A field's postings lie end to end in term order, as tantivy
//!   writes them, so lengths say where each starts.
//!
//! Vints are tantivy's: 7 bits a byte, low bits first, the high bit set on
//! the last byte.

use std::io;
use std::ops::Range;

use tantivy::postings::TermInfo;
use tantivy_fst::Automaton;

use super::postings::{Input, corrupt};

const WITH_POSTINGS: u8 = 1;
const WITH_POSITIONS: u8 = 2;

/// One field's terms and their infos.
#[derive(Debug, Default)]
pub(crate) struct Dictionary {
    /// The terms end to end.
    text: Vec<u8>,
    /// Where each term ends in `text`.
    ends: Vec<usize>,
    doc_freqs: Vec<u32>,
    /// Where each term's postings end (empty when the field keeps none).
    postings: Vec<usize>,
    /// Where each term's positions end (empty when the field keeps none).
    positions: Vec<usize>,
}

/// Every field's dictionary, by field number; `None` for a field without terms.
pub(crate) fn open_all(bytes: &[u8]) -> io::Result<Vec<Option<Dictionary>>> {
    let mut input = Input(bytes);
    let mut fields = Vec::new();
    while !input.0.is_empty() {
        let len = input.vint()? as usize;
        let section = input.take(len)?;
        fields.push(if section.is_empty() {
            None
        } else {
            Some(Dictionary::open(section)?)
        });
    }
    Ok(fields)
}

impl Dictionary {
    fn open(bytes: &[u8]) -> io::Result<Dictionary> {
        let mut input = Input(bytes);
        let flags = *input.take(1)?.first().ok_or_else(corrupt)?;
        let count = input.vint()? as usize;
        // Each term takes at least two bytes: a bound that a damaged count
        // cannot turn into a huge allocation.
        if count > bytes.len() {
            return Err(corrupt());
        }
        let mut dictionary = Dictionary {
            ends: Vec::with_capacity(count),
            doc_freqs: Vec::with_capacity(count),
            ..Dictionary::default()
        };
        // Where the term before starts in `text`; it ends at the end.
        let mut previous = 0;
        for _ in 0..count {
            let shared = input.vint()? as usize;
            let own = input.vint()? as usize;
            let start = dictionary.text.len();
            if shared > start - previous {
                return Err(corrupt());
            }
            dictionary
                .text
                .extend_from_within(previous..previous + shared);
            dictionary.text.extend_from_slice(input.take(own)?);
            previous = start;
            dictionary.ends.push(dictionary.text.len());
        }
        let (mut postings, mut positions) = (0usize, 0usize);
        let add = |at: &mut usize, len: u32| at.checked_add(len as usize).ok_or_else(corrupt);
        for _ in 0..count {
            dictionary.doc_freqs.push(input.vint()?);
            if flags & WITH_POSTINGS != 0 {
                postings = add(&mut postings, input.vint()?)?;
                dictionary.postings.push(postings);
            }
            if flags & WITH_POSITIONS != 0 {
                positions = add(&mut positions, input.vint()?)?;
                dictionary.positions.push(positions);
            }
        }
        if !input.0.is_empty() {
            return Err(corrupt());
        }
        Ok(dictionary)
    }

    /// How many terms the field holds.
    pub(crate) fn len(&self) -> usize {
        self.ends.len()
    }

    /// Term `i`.
    fn term(&self, i: usize) -> &[u8] {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.text[start..self.ends[i]]
    }

    /// What the dictionary says of term `i`.
    fn info(&self, i: usize) -> TermInfo {
        let range = |ends: &[usize]| -> Range<usize> {
            match ends.get(i) {
                Some(&end) if i == 0 => 0..end,
                Some(&end) => ends[i - 1]..end,
                None => 0..0,
            }
        };
        TermInfo {
            doc_freq: self.doc_freqs[i],
            postings_range: range(&self.postings),
            positions_range: range(&self.positions),
        }
    }

    /// What the dictionary says of `term`, when it holds it.
    pub(crate) fn get(&self, term: &[u8]) -> Option<TermInfo> {
        let i = self.partition(0, |t| t < term);
        (i < self.len() && self.term(i) == term).then(|| self.info(i))
    }

    /// The first term from `from` on for which `before` is false, given that
    /// it holds of every term up to some point and of none after.
    fn partition(&self, from: usize, before: impl Fn(&[u8]) -> bool) -> usize {
        let (mut low, mut high) = (from, self.len());
        while low < high {
            let middle = low + (high - low) / 2;
            if before(self.term(middle)) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        low
    }

    /// Every term with its info, in order.
    pub(crate) fn iter(&self) -> impl DoubleEndedIterator<Item = (&[u8], TermInfo)> {
        (0..self.len()).map(|i| (self.term(i), self.info(i)))
    }

    /// The terms `automaton` accepts with their infos, in order, as an FST's
    /// stream gives them: a prefix the automaton rules out skips every term
    /// that begins with it.
    pub(crate) fn search<A: Automaton>(&self, automaton: A) -> Search<'_, A> {
        let start = automaton.start();
        Search {
            dictionary: self,
            next: if automaton.can_match(&start) {
                0
            } else {
                self.len()
            },
            states: vec![start],
            path: Vec::new(),
            automaton,
        }
    }
}

/// The walk of [`Dictionary::search`]: the automaton's states along the last
/// term read are kept, so a term steps only through the bytes it does not
/// share with that one.
pub(crate) struct Search<'a, A: Automaton> {
    dictionary: &'a Dictionary,
    automaton: A,
    next: usize,
    /// `states[k]` is the state after `path[..k]`.
    states: Vec<A::State>,
    path: Vec<u8>,
}

impl<'a, A: Automaton> Iterator for Search<'a, A> {
    type Item = (&'a [u8], TermInfo);

    fn next(&mut self) -> Option<Self::Item> {
        let dictionary = self.dictionary;
        while self.next < dictionary.len() {
            let i = self.next;
            self.next += 1;
            let term = dictionary.term(i);
            let shared = self
                .path
                .iter()
                .zip(term)
                .take_while(|(a, b)| a == b)
                .count();
            self.path.truncate(shared);
            self.states.truncate(shared + 1);
            let mut dead = false;
            for &byte in &term[shared..] {
                let state = self.automaton.accept(&self.states[self.path.len()], byte);
                self.path.push(byte);
                self.states.push(state);
                if !self.automaton.can_match(&self.states[self.path.len()]) {
                    dead = true;
                    break;
                }
            }
            if dead {
                // Every term that begins with this path is ruled out, and
                // they come next.
                let path = &self.path;
                self.next = dictionary.partition(self.next, |t| t.starts_with(path));
                continue;
            }
            if self.automaton.is_match(&self.states[self.path.len()]) {
                return Some((term, dictionary.info(i)));
            }
        }
        None
    }
}

/// Where the pack takes a field's dictionary from.
#[cfg(feature = "writer")]
pub(crate) enum Terms<'a> {
    /// tantivy's; the infos keep where postings and positions lie when the
    /// reader reads them.
    Tantivy { postings: bool, positions: bool },
    /// Words counted outside tantivy with their document frequencies, in
    /// byte order (see `crate::vocabulary`).
    Counted(&'a [(String, u32)]),
}

/// The dictionary file for a segment whose tantivy `.term` file is
/// `term_file`, each field's terms taken from where `source` says.
#[cfg(feature = "writer")]
pub(crate) fn transcode<'a>(
    term_file: tantivy::directory::FileSlice,
    schema: &tantivy::schema::Schema,
    source: impl Fn(tantivy::schema::Field) -> Terms<'a>,
) -> io::Result<Vec<u8>> {
    let terms = tantivy::directory::CompositeFile::open(&super::without_footer(term_file)?)?;
    let mut out = Vec::new();
    for (field, _) in schema.fields() {
        let section = match (source(field), terms.open_read(field)) {
            (Terms::Counted(words), _) => {
                let mut section = Section::new(false, false);
                for (word, count) in words {
                    let info = TermInfo {
                        doc_freq: *count,
                        postings_range: 0..0,
                        positions_range: 0..0,
                    };
                    section.push(word.as_bytes(), &info)?;
                }
                section.finish()
            }
            (
                Terms::Tantivy {
                    postings,
                    positions,
                },
                Some(slice),
            ) => {
                let dictionary = tantivy::termdict::TermDictionary::open(slice)?;
                let mut section = Section::new(postings, positions);
                let mut stream = dictionary.stream()?;
                while let Some((term, info)) = stream.next() {
                    section.push(term, info)?;
                }
                section.finish()
            }
            (Terms::Tantivy { .. }, None) => Vec::new(),
        };
        push_vint(&mut out, section.len() as u64);
        out.extend_from_slice(&section);
    }
    Ok(out)
}

/// One field's section as its terms are added in order.
#[cfg(feature = "writer")]
struct Section {
    flags: u8,
    count: u64,
    terms: Vec<u8>,
    infos: Vec<u8>,
    last: Vec<u8>,
    postings_end: usize,
    positions_end: usize,
}

#[cfg(feature = "writer")]
impl Section {
    /// `postings` and `positions`: whether the infos keep where the term's
    /// lists lie.
    fn new(postings: bool, positions: bool) -> Section {
        Section {
            flags: (u8::from(postings) * WITH_POSTINGS) | (u8::from(positions) * WITH_POSITIONS),
            count: 0,
            terms: Vec::new(),
            infos: Vec::new(),
            last: Vec::new(),
            postings_end: 0,
            positions_end: 0,
        }
    }

    fn push(&mut self, term: &[u8], info: &TermInfo) -> io::Result<()> {
        if self.count > 0 && term <= self.last.as_slice() {
            return Err(io::Error::other("the terms are not in order"));
        }
        self.count += 1;
        let shared = self
            .last
            .iter()
            .zip(term)
            .take_while(|(a, b)| a == b)
            .count();
        push_vint(&mut self.terms, shared as u64);
        push_vint(&mut self.terms, (term.len() - shared) as u64);
        self.terms.extend_from_slice(&term[shared..]);
        self.last.clear();
        self.last.extend_from_slice(term);
        push_vint(&mut self.infos, u64::from(info.doc_freq));
        if self.flags & WITH_POSTINGS != 0 {
            contiguous(&info.postings_range, &mut self.postings_end)?;
            push_vint(&mut self.infos, info.postings_range.len() as u64);
        }
        if self.flags & WITH_POSITIONS != 0 {
            contiguous(&info.positions_range, &mut self.positions_end)?;
            push_vint(&mut self.infos, info.positions_range.len() as u64);
        }
        Ok(())
    }

    fn finish(self) -> Vec<u8> {
        let mut out = vec![self.flags];
        push_vint(&mut out, self.count);
        out.extend_from_slice(&self.terms);
        out.extend_from_slice(&self.infos);
        out
    }
}

/// Checks that `range` starts where the term before ended, as tantivy lays a
/// field's lists out; only lengths are kept.
#[cfg(feature = "writer")]
fn contiguous(range: &Range<usize>, end: &mut usize) -> io::Result<()> {
    if range.start != *end {
        return Err(io::Error::other(
            "a term's postings do not follow the term before's",
        ));
    }
    *end = range.end;
    Ok(())
}

#[cfg(feature = "writer")]
fn push_vint(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value & 0x7f) as u8);
        value >>= 7;
    }
    out.push(value as u8 | 0x80);
}
