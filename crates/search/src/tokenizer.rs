//! Text analysis shared by the writer and the reader: registered by name so the
//! schema stored in the index names them and both sides split words alike.

use std::collections::HashMap;

use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer, TokenFilter,
    TokenStream, Tokenizer, TokenizerManager,
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
pub(crate) fn register(manager: &TokenizerManager, language: &str, stemmer: Option<&Stemmer>) {
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
    let mut builder = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .dynamic();
    // Spelling variants meet before stemming: the stemmer treats "-isation"
    // and "-ization" differently.
    if let Some(spelling) = spelling::for_language(language) {
        builder = builder.filter_dynamic(spelling);
    }
    match stemmer {
        Some(stemmer) => builder
            .filter_dynamic(CachedStemmer(stemmer.clone()))
            .build(),
        None => builder.build(),
    }
}

/// Stems with the language's [`Stemmer`], remembering each word's stem: the
/// same few thousand words make up most of any collection's text, and stemming
/// was the largest part of indexing it.
#[derive(Clone)]
struct CachedStemmer(Stemmer);

/// Enough for the vocabulary of a very large collection; past it, words are
/// stemmed each time (a bound on memory for text that is mostly unique tokens).
const STEM_CACHE_LIMIT: usize = 200_000;

impl TokenFilter for CachedStemmer {
    type Tokenizer<T: Tokenizer> = CachedStemmerFilter<T>;

    fn transform<T: Tokenizer>(self, inner: T) -> CachedStemmerFilter<T> {
        CachedStemmerFilter {
            inner,
            stemmer: self.0,
            cache: HashMap::new(),
        }
    }
}

#[derive(Clone)]
struct CachedStemmerFilter<T> {
    inner: T,
    stemmer: Stemmer,
    cache: HashMap<String, String>,
}

impl<T: Tokenizer> Tokenizer for CachedStemmerFilter<T> {
    type TokenStream<'a> = CachedStemmerStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        CachedStemmerStream {
            tail: self.inner.token_stream(text),
            stemmer: &mut self.stemmer,
            cache: &mut self.cache,
        }
    }
}

struct CachedStemmerStream<'a, S> {
    tail: S,
    stemmer: &'a mut Stemmer,
    cache: &'a mut HashMap<String, String>,
}

impl<S: TokenStream> TokenStream for CachedStemmerStream<'_, S> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        if let Some(stem) = self.cache.get(&token.text) {
            token.text.clear();
            token.text.push_str(stem);
            return true;
        }
        let stem = self.stemmer.stem(&token.text);
        let word = std::mem::replace(&mut token.text, stem);
        if self.cache.len() < STEM_CACHE_LIMIT {
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
    fn remembered_stems_are_the_stemmer_s_own() {
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
