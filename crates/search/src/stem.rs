//! Stemmers for the analyzers. The native build links every Snowball stemmer
//! (tantivy's, feature `stemmers`); the browser module links none and is handed
//! the one its collection's language needs, a small module of its own
//! (`crates/search-stemmer`), so a reader downloads one language's stemmer
//! rather than eighteen.

use std::fmt;
use std::sync::Arc;

use crate::Error;

/// A stemmer supplied by the caller: one lowercased, folded word in, its stem
/// out. It must be the Snowball algorithm [`algorithm`] names for the index's
/// language, as the build stemmed with it.
pub type StemFn = Arc<dyn Fn(&str) -> String + Send + Sync>;

/// The Snowball algorithm for a BCP 47 tag: English when none is given, none
/// at all for a language without one (an English stemmer would mangle it).
pub fn algorithm(tag: &str) -> Option<&'static str> {
    let primary = tag
        .split(['-', '_'])
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    let name = match primary.as_str() {
        "" | "en" => "english",
        "ar" => "arabic",
        "da" => "danish",
        "nl" => "dutch",
        "fi" => "finnish",
        "fr" => "french",
        "de" => "german",
        "el" => "greek",
        "hu" => "hungarian",
        "it" => "italian",
        "no" | "nb" | "nn" => "norwegian",
        "pt" => "portuguese",
        "ro" => "romanian",
        "ru" => "russian",
        "es" => "spanish",
        "sv" => "swedish",
        "ta" => "tamil",
        "tr" => "turkish",
        _ => return None,
    };
    Some(name)
}

/// Every algorithm [`algorithm`] can name, for the build of the stemmer modules.
pub const ALGORITHMS: [&str; 18] = [
    "arabic",
    "danish",
    "dutch",
    "english",
    "finnish",
    "french",
    "german",
    "greek",
    "hungarian",
    "italian",
    "norwegian",
    "portuguese",
    "romanian",
    "russian",
    "spanish",
    "swedish",
    "tamil",
    "turkish",
];

/// One language's stemmer, linked in or supplied.
#[derive(Clone)]
pub(crate) enum Stemmer {
    #[cfg(feature = "stemmers")]
    Linked(tantivy::tokenizer::TextAnalyzer),
    Given(StemFn),
}

impl fmt::Debug for Stemmer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            #[cfg(feature = "stemmers")]
            Stemmer::Linked(_) => f.write_str("Stemmer::Linked"),
            Stemmer::Given(_) => f.write_str("Stemmer::Given"),
        }
    }
}

impl Stemmer {
    /// The stemmer for language `tag`: `given` if any, else the linked one;
    /// `None` for a language that is not stemmed.
    pub(crate) fn for_language(tag: &str, given: Option<StemFn>) -> Result<Option<Stemmer>, Error> {
        let Some(name) = algorithm(tag) else {
            return Ok(None);
        };
        if let Some(given) = given {
            return Ok(Some(Stemmer::Given(given)));
        }
        linked(name).map(Some)
    }

    pub(crate) fn stem(&mut self, word: &str) -> String {
        match self {
            #[cfg(feature = "stemmers")]
            Stemmer::Linked(analyzer) => {
                use tantivy::tokenizer::TokenStream;
                let mut stream = analyzer.token_stream(word);
                if stream.advance() {
                    stream.token().text.clone()
                } else {
                    word.to_owned()
                }
            }
            Stemmer::Given(stem) => stem(word),
        }
    }
}

#[cfg(feature = "stemmers")]
fn linked(name: &str) -> Result<Stemmer, Error> {
    use tantivy::tokenizer::{Language, RawTokenizer, TextAnalyzer};
    let language = match name {
        "arabic" => Language::Arabic,
        "danish" => Language::Danish,
        "dutch" => Language::Dutch,
        "finnish" => Language::Finnish,
        "french" => Language::French,
        "german" => Language::German,
        "greek" => Language::Greek,
        "hungarian" => Language::Hungarian,
        "italian" => Language::Italian,
        "norwegian" => Language::Norwegian,
        "portuguese" => Language::Portuguese,
        "romanian" => Language::Romanian,
        "russian" => Language::Russian,
        "spanish" => Language::Spanish,
        "swedish" => Language::Swedish,
        "tamil" => Language::Tamil,
        "turkish" => Language::Turkish,
        _ => Language::English,
    };
    // One word in, one token out: the filter stems that token.
    let analyzer = TextAnalyzer::builder(RawTokenizer::default())
        .filter(tantivy::tokenizer::Stemmer::new(language))
        .build();
    Ok(Stemmer::Linked(analyzer))
}

#[cfg(not(feature = "stemmers"))]
fn linked(name: &str) -> Result<Stemmer, Error> {
    Err(Error::NoStemmer(name.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_tags_pick_algorithms() {
        assert_eq!(algorithm(""), Some("english"));
        assert_eq!(algorithm("fr-CA"), Some("french"));
        assert_eq!(algorithm("DE"), Some("german"));
        assert_eq!(algorithm("nb"), Some("norwegian"));
        assert_eq!(algorithm("pl"), None);
        for tag in ["ar", "da", "nl", "en", "fi", "fr", "de", "el", "hu", "it"] {
            assert!(ALGORITHMS.contains(&algorithm(tag).unwrap_or_default()));
        }
        for tag in ["no", "pt", "ro", "ru", "es", "sv", "ta", "tr"] {
            assert!(ALGORITHMS.contains(&algorithm(tag).unwrap_or_default()));
        }
    }

    #[test]
    fn a_given_stemmer_is_used_and_unstemmed_languages_get_none() {
        let given: StemFn = Arc::new(|word: &str| word.trim_end_matches('s').to_owned());
        let mut stemmer = Stemmer::for_language("en", Some(given))
            .expect("a stemmer")
            .expect("English is stemmed");
        assert_eq!(stemmer.stem("policies"), "policie");
        assert!(Stemmer::for_language("pl", None).expect("fine").is_none());
    }

    #[test]
    fn the_linked_stemmers_are_snowball_s() {
        let mut english = Stemmer::for_language("en", None)
            .expect("linked")
            .expect("stemmed");
        assert_eq!(english.stem("assessments"), "assess");
        let mut french = Stemmer::for_language("fr", None)
            .expect("linked")
            .expect("stemmed");
        assert_eq!(french.stem("évaluations"), "évalu");
    }
}
