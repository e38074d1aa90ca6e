//! Query analysis: what the reader typed split into words and quoted phrases,
//! and the stop words a question carries dropped.

use tantivy::tokenizer::TextAnalyzer;

use crate::analysis::Thesaurus;
use crate::tokenizer::tokens;

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
