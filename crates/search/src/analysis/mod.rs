//! What a search knows of the collection's language beyond its words: the
//! stop words a query drops, the names that mean one thing (a glossary term and
//! its synonyms, a vocabulary term and its alternative labels, an acronym and
//! its long form) and the spelling variants joined before stemming.
//!
//! The writer chooses the stop words for the collection's language and finds
//! the acronyms the collection defines; both travel in the index's header
//! ([`Analysis`]), so the browser's module carries no word lists of its own.
//! The reader turns them, with the glossary and the vocabularies, into a
//! [`Thesaurus`] that query building consults.

#[cfg(feature = "writer")]
mod acronyms;
pub(crate) mod spelling;

#[cfg(feature = "writer")]
use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use tantivy::tokenizer::TextAnalyzer;

use crate::tokenizer::tokens;

/// The language data an index carries for its queries.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Analysis {
    /// Words a query leaves out when it has others (lowercased and folded, as
    /// the vocabulary field holds words).
    #[serde(default)]
    pub stop_words: Vec<String>,
    /// Acronyms the collection defines, each with its long forms.
    #[serde(default)]
    pub acronyms: Vec<Vec<String>>,
}

/// The acronyms `text` defines ("General Data Protection Regulation (GDPR)"),
/// short form first, in the order written.
#[cfg(feature = "writer")]
pub(crate) fn definitions(text: &str) -> Vec<(String, String)> {
    acronyms::definitions(text)
}

/// At most this many long forms per acronym: a short form defined more often
/// than that is a common word or an ambiguous one.
#[cfg(feature = "writer")]
const MAX_LONG_FORMS: usize = 3;

#[cfg(feature = "writer")]
impl Analysis {
    /// The stop words of `language` and the acronyms defined in `texts`.
    #[cfg(test)]
    pub(crate) fn for_collection<'a>(
        language: &str,
        texts: impl Iterator<Item = &'a str>,
    ) -> Analysis {
        Analysis::with_definitions(language, texts.flat_map(definitions))
    }

    /// The stop words of `language` and the acronyms of `definitions`
    /// (short and long forms, as [`definitions`] finds them), the first
    /// spelling of a long form kept.
    pub(crate) fn with_definitions(
        language: &str,
        definitions: impl Iterator<Item = (String, String)>,
    ) -> Analysis {
        use std::collections::BTreeMap;

        let mut words = crate::tokenizer::words_analyzer();
        let stop_words: BTreeSet<String> = stop_words(language)
            .iter()
            .flat_map(|word| tokens(&mut words, word))
            .map(|t| t.0)
            .collect();
        // Keyed by the folded short form, so "GDPR" and "Gdpr" are one acronym;
        // long forms keyed by their folded text, first spelling kept.
        let mut found: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
        for (short, long) in definitions {
            let key: String = long.to_lowercase();
            found
                .entry(short.to_lowercase())
                .or_default()
                .entry(key)
                .or_insert(long);
        }
        let acronyms = found
            .into_iter()
            .filter(|(_, longs)| longs.len() <= MAX_LONG_FORMS)
            .map(|(short, longs)| std::iter::once(short).chain(longs.into_values()).collect())
            .collect();
        Analysis {
            stop_words: stop_words.into_iter().collect(),
            acronyms,
        }
    }
}

/// The stop words of a BCP 47 tag: the Snowball project's lists (as NLTK
/// keeps them), which hold the question words (what, how, which) that make a
/// reader's question; none for a language without a list.
#[cfg(feature = "writer")]
fn stop_words(tag: &str) -> &'static [&'static str] {
    let primary = tag
        .split(['-', '_'])
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    let primary = match primary.as_str() {
        "" => "en",
        "nb" | "nn" => "no",
        other => other,
    };
    stop_words::lookup(primary).unwrap_or(&[])
}

/// One name of a thing: its words' stems with their positions, stop words
/// left out (a phrase query skips their places), and the stems alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Name {
    pub positioned: Vec<(usize, String)>,
}

impl Name {
    pub(crate) fn stems(&self) -> impl Iterator<Item = &str> {
        self.positioned.iter().map(|(_, s)| s.as_str())
    }

    pub(crate) fn len(&self) -> usize {
        self.positioned.len()
    }
}

/// The reader's view of the analysis: stop words, and rings of names that
/// mean the same, each name ready to match against a query's stems. Plain
/// lists, searched in turn: they are short, and sets and sorts of new types
/// would each add code to the browser's module.
#[derive(Debug, Clone, Default)]
pub(crate) struct Thesaurus {
    stop_words: Vec<String>,
    /// The stop words' stems, to leave them out of stemmed names.
    stop_stems: Vec<String>,
    rings: Vec<Vec<Name>>,
}

impl Thesaurus {
    /// `rings` are groups of names as written (a glossary term and its
    /// synonyms, a vocabulary label and its alternatives, an acronym and its
    /// long forms).
    pub(crate) fn new(
        analysis: &Analysis,
        rings: impl Iterator<Item = Vec<String>>,
        stemmed: &mut TextAnalyzer,
        words: &mut TextAnalyzer,
    ) -> Thesaurus {
        let stop_words = analysis.stop_words.clone();
        let stop_stems = stop_words
            .iter()
            .flat_map(|word| tokens(stemmed, word))
            .map(|t| t.0)
            .collect();
        let mut thesaurus = Thesaurus {
            stop_words,
            stop_stems,
            rings: Vec::new(),
        };
        let mut seen: Vec<Vec<Vec<String>>> = Vec::new();
        for ring in rings.chain(analysis.acronyms.iter().cloned()) {
            let mut names: Vec<Name> = Vec::new();
            for text in &ring {
                let name = thesaurus.name(text, stemmed, words);
                if name.len() > 0 && !names.contains(&name) {
                    names.push(name);
                }
            }
            if names.len() < 2 {
                continue;
            }
            let key: Vec<Vec<String>> = names
                .iter()
                .map(|n| n.stems().map(str::to_owned).collect())
                .collect();
            if !seen.contains(&key) {
                seen.push(key);
                thesaurus.rings.push(names);
            }
        }
        thesaurus
    }

    /// `stems` without those of stop words.
    pub(crate) fn content<'s>(&self, stems: &'s [String]) -> Vec<&'s str> {
        stems
            .iter()
            .map(String::as_str)
            .filter(|s| !self.stop_stems.iter().any(|stop| stop == s))
            .collect()
    }

    /// Whether `word` (lowercased and folded) is a stop word.
    pub(crate) fn is_stop_word(&self, word: &str) -> bool {
        self.stop_words.iter().any(|stop| stop == word)
    }

    /// `text` as a name: the stems of its words that are not stop words, at
    /// their positions.
    fn name(&self, text: &str, stemmed: &mut TextAnalyzer, words: &mut TextAnalyzer) -> Name {
        let folded = tokens(words, text);
        let stems = tokens(stemmed, text);
        // Both analyzers split alike, so the n-th word has the n-th stem.
        let positioned = folded
            .into_iter()
            .zip(stems)
            .enumerate()
            .filter(|(_, (word, _))| !self.is_stop_word(&word.0))
            .map(|(at, (_, stem))| (at, stem.0))
            .collect();
        Name { positioned }
    }

    /// Every name that occurs, word for word, in `stems` (a query's words, stop
    /// words left out): where it starts, how many words it covers, and the
    /// ring's other names. Longer matches come first.
    pub(crate) fn matches(&self, stems: &[String]) -> Vec<(usize, usize, Vec<&Name>)> {
        let mut found = Vec::new();
        let longest = self
            .rings
            .iter()
            .flatten()
            .map(Name::len)
            .max()
            .unwrap_or(0)
            .min(stems.len());
        for len in (1..=longest).rev() {
            for start in 0..=stems.len() - len {
                let words = &stems[start..start + len];
                for ring in &self.rings {
                    for (i, name) in ring.iter().enumerate() {
                        if name.len() != len || !name.stems().eq(words.iter().map(String::as_str)) {
                            continue;
                        }
                        let others = ring
                            .iter()
                            .enumerate()
                            .filter(|(j, _)| *j != i)
                            .map(|(_, n)| n)
                            .collect();
                        found.push((start, len, others));
                    }
                }
            }
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokenizer::{stemmed_analyzer, words_analyzer};

    fn thesaurus(analysis: &Analysis, rings: &[&[&str]]) -> Thesaurus {
        Thesaurus::new(
            analysis,
            rings
                .iter()
                .map(|r| r.iter().map(|s| (*s).to_owned()).collect()),
            &mut stemmed_analyzer(
                "en",
                crate::stem::Stemmer::for_language("en", None)
                    .expect("the linked stemmers")
                    .as_ref(),
            ),
            &mut words_analyzer(),
        )
    }

    fn stems(text: &str) -> Vec<String> {
        tokens(
            &mut stemmed_analyzer(
                "en",
                crate::stem::Stemmer::for_language("en", None)
                    .expect("the linked stemmers")
                    .as_ref(),
            ),
            text,
        )
        .into_iter()
        .map(|t| t.0)
        .collect()
    }

    #[cfg(feature = "writer")]
    #[test]
    fn the_writer_picks_stop_words_by_language_and_finds_acronyms() {
        let english = Analysis::for_collection(
            "en-GB",
            ["The General Data Protection Regulation (GDPR) applies."].into_iter(),
        );
        for word in ["what", "is", "how", "do", "the", "a", "which"] {
            assert!(english.stop_words.iter().any(|w| w == word), "{word}");
        }
        assert!(!english.stop_words.iter().any(|w| w == "data"));
        assert_eq!(
            english.acronyms,
            [vec![
                "gdpr".to_owned(),
                "General Data Protection Regulation".to_owned()
            ]]
        );
        let french = Analysis::for_collection("fr", std::iter::empty());
        assert!(french.stop_words.iter().any(|w| w == "les"));
        assert!(
            Analysis::for_collection("x-klingon", std::iter::empty())
                .stop_words
                .is_empty()
        );
    }

    #[test]
    fn names_match_a_query_word_for_word_without_stop_words() {
        let analysis = Analysis {
            stop_words: vec!["by".into(), "and".into(), "the".into()],
            acronyms: vec![vec![
                "dpia".into(),
                "data protection impact assessment".into(),
            ]],
        };
        let t = thesaurus(
            &analysis,
            &[&[
                "Data protection by design and by default",
                "privacy by design",
            ]],
        );
        let found = t.matches(&stems("privacy design checklist"));
        assert_eq!(found.len(), 1);
        let (start, len, others) = &found[0];
        assert_eq!((*start, *len), (0, 2));
        // The long name keeps the places of its stop words.
        assert_eq!(
            others[0].positioned,
            [
                (0, "data".to_owned()),
                (1, "protect".to_owned()),
                (3, "design".to_owned()),
                (6, "default".to_owned())
            ]
        );
        let found = t.matches(&stems("dpia template"));
        assert_eq!(found[0].0..found[0].1, 0..1);
        assert_eq!(found[0].2[0].len(), 4);
        assert!(t.matches(&stems("design privacy")).is_empty());
    }

    #[test]
    fn a_ring_of_one_name_is_no_ring() {
        let t = thesaurus(
            &Analysis::default(),
            &[&["Algorithm", "algorithms"], &["AI"]],
        );
        assert!(t.matches(&stems("algorithm")).is_empty());
    }
}
