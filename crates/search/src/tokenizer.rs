//! Text analysis shared by the writer and the reader, so both split words
//! alike: the writer registers the analyzers by the names the schema gives.

use rustc_hash::FxHashMap;
use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer, TokenFilter,
    TokenStream, Tokenizer,
};

use crate::analysis::spelling;
use crate::stem::Stemmer;

/// Words reduced to their stems: what ranking and phrases match on.
pub(crate) const STEMMED: &str = "almanac_stemmed";
/// Whole words, lowercased and folded: the vocabulary that prefixes and typos expand against.
pub(crate) const WORDS: &str = "almanac_words";

/// Longer tokens are almost always URLs or junk, and would bloat the dictionary.
const MAX_TOKEN_BYTES: usize = 40;

/// Registers both analyzers for the index's `language`, stemming with `stemmer`
/// (that language's).
#[cfg(feature = "writer")]
pub(crate) fn register(
    manager: &tantivy::tokenizer::TokenizerManager,
    language: &str,
    stemmer: Option<&Stemmer>,
) {
    manager.register(STEMMED, stemmed_analyzer(language, stemmer));
    manager.register(WORDS, words_analyzer());
}

pub(crate) fn words_analyzer() -> TextAnalyzer {
    // Folding before stemming keeps the two fields aligned: stemming a word from
    // the WORDS vocabulary gives exactly the term the STEMMED field holds.
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

pub(crate) fn stemmed_analyzer(language: &str, stemmer: Option<&Stemmer>) -> TextAnalyzer {
    let builder = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .dynamic();
    let spelling = spelling::for_language(language);
    if !spelling && stemmer.is_none() {
        return builder.build();
    }
    builder
        .filter_dynamic(CachedTerms {
            spelling,
            stemmer: stemmer.cloned(),
        })
        .build()
}

/// Turns each folded word into the term it is indexed under: its spelling
/// variant brought to one form (the stemmer treats "-isation" and "-ization"
/// differently, so this comes first), then its stem. Each word's term is
/// remembered: the same few thousand words make up most of any collection's
/// text, and these two steps were the largest part of indexing it.
#[derive(Clone)]
struct CachedTerms {
    spelling: bool,
    stemmer: Option<Stemmer>,
}

impl CachedTerms {
    fn term(&mut self, word: &str) -> String {
        let variant = if self.spelling {
            spelling::english(word)
        } else {
            None
        };
        let word = variant.as_deref().unwrap_or(word);
        match &mut self.stemmer {
            Some(stemmer) => stemmer.stem(word),
            None => word.to_owned(),
        }
    }
}

/// Enough for the vocabulary of a very large collection; past it, words are
/// analysed each time (a bound on memory for text that is mostly unique tokens).
const TERM_CACHE_LIMIT: usize = 200_000;

impl TokenFilter for CachedTerms {
    type Tokenizer<T: Tokenizer> = CachedTermsFilter<T>;

    fn transform<T: Tokenizer>(self, inner: T) -> CachedTermsFilter<T> {
        CachedTermsFilter {
            inner,
            terms: self,
            cache: FxHashMap::default(),
        }
    }
}

#[derive(Clone)]
struct CachedTermsFilter<T> {
    inner: T,
    terms: CachedTerms,
    cache: FxHashMap<String, String>,
}

impl<T: Tokenizer> Tokenizer for CachedTermsFilter<T> {
    type TokenStream<'a> = CachedTermsStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        CachedTermsStream {
            tail: self.inner.token_stream(text),
            terms: &mut self.terms,
            cache: &mut self.cache,
        }
    }
}

struct CachedTermsStream<'a, S> {
    tail: S,
    terms: &'a mut CachedTerms,
    cache: &'a mut FxHashMap<String, String>,
}

impl<S: TokenStream> TokenStream for CachedTermsStream<'_, S> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        if let Some(term) = self.cache.get(&token.text) {
            token.text.clear();
            token.text.push_str(term);
            return true;
        }
        let term = self.terms.term(&token.text);
        let word = std::mem::replace(&mut token.text, term);
        if self.cache.len() < TERM_CACHE_LIMIT {
            self.cache.insert(word, token.text.clone());
        }
        true
    }

    fn token(&self) -> &tantivy::tokenizer::Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut tantivy::tokenizer::Token {
        self.tail.token_mut()
    }
}

/// The tokens `analyzer` makes of `text`, with byte offsets into `text`.
pub(crate) fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<(String, usize, usize)> {
    let mut out = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while let Some(token) = stream.next() {
        out.push((token.text.clone(), token.offset_from, token.offset_to));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn english() -> Option<Stemmer> {
        Stemmer::for_language("en", None).expect("the linked stemmers")
    }

    #[test]
    fn stemmed_tokens_fold_and_stem() {
        let mut analyzer = stemmed_analyzer("en", english().as_ref());
        let words: Vec<String> = tokens(&mut analyzer, "Assessments of Café-Policies")
            .into_iter()
            .map(|(text, _, _)| text)
            .collect();
        assert_eq!(words, ["assess", "of", "cafe", "polici"]);
    }

    #[test]
    fn remembered_terms_are_the_spelling_and_stemmer_s_own() {
        let text = "Assessments assessing assessed policies policy policies organisations \
                    organisational governing governance governed data datum";
        let mut plain = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(LowerCaser)
            .filter(AsciiFoldingFilter)
            .filter(spelling::SpellingFilter)
            .filter(tantivy::tokenizer::Stemmer::new(
                tantivy::tokenizer::Language::English,
            ))
            .build();
        let mut cached = stemmed_analyzer("en", english().as_ref());
        let expected = tokens(&mut plain, text);
        // The second pass is answered from the cache.
        assert_eq!(tokens(&mut cached, text), expected);
        assert_eq!(tokens(&mut cached, text), expected);
    }
}
