//! The vocabulary (writer only): every word of every document, lowercased and
//! folded, with how many documents hold it; completions and near spellings
//! walk it. It is counted here rather than indexed by tantivy as a field:
//! nothing reads that field's postings, and writing them for every word of
//! every text was about a third of the indexing work.

use rustc_hash::FxHashMap;
use tantivy::tokenizer::TextAnalyzer;

use crate::tokenizer::words_analyzer;

/// The words counted so far.
pub(crate) struct Vocabulary {
    analyzer: TextAnalyzer,
    /// Each word's number, in the order first met.
    numbers: FxHashMap<String, u32>,
    /// By word number: how many documents hold it.
    counts: Vec<u32>,
    /// The current document's words, by number (reused).
    document: Vec<u32>,
}

impl Vocabulary {
    pub(crate) fn new() -> Vocabulary {
        Vocabulary {
            analyzer: words_analyzer(),
            numbers: FxHashMap::default(),
            counts: Vec::new(),
            document: Vec::new(),
        }
    }

    /// Counts the words of one document's `texts`.
    pub(crate) fn add<'a>(&mut self, texts: impl IntoIterator<Item = &'a str>) {
        self.document.clear();
        for text in texts {
            let mut stream = self.analyzer.token_stream(text);
            while let Some(token) = stream.next() {
                let number = match self.numbers.get(token.text.as_str()) {
                    Some(&number) => number,
                    None => {
                        let number = self.counts.len() as u32;
                        self.numbers.insert(token.text.clone(), number);
                        self.counts.push(0);
                        number
                    }
                };
                self.document.push(number);
            }
        }
        self.document.sort_unstable();
        self.document.dedup();
        for &number in &self.document {
            self.counts[number as usize] += 1;
        }
    }

    /// Every word with its document frequency, in byte order (the order of a
    /// term dictionary).
    pub(crate) fn into_sorted(self) -> Vec<(String, u32)> {
        let counts = self.counts;
        let mut words: Vec<(String, u32)> = self
            .numbers
            .into_iter()
            .map(|(word, number)| (word, counts[number as usize]))
            .collect();
        words.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        words
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_document_counts_a_word_once() {
        let mut vocabulary = Vocabulary::new();
        vocabulary.add(["Data ethics", "data, DATA and Café"]);
        vocabulary.add(["ethics of data"]);
        vocabulary.add([]);
        assert_eq!(
            vocabulary.into_sorted(),
            [
                ("and".to_owned(), 1),
                ("cafe".to_owned(), 1),
                ("data".to_owned(), 2),
                ("ethics".to_owned(), 2),
                ("of".to_owned(), 1),
            ]
        );
    }
}
