//! Spelling variants of one language brought to one form before stemming, so
//! that a British and an American spelling of a word match each other
//! (anonymisation, anonymization; catalogue, catalog; behaviour, behavior).
//!
//! The rules are the regular patterns that separate the two spellings, not a
//! list of words: each rewrites a word's ending, only where the rest of the
//! word is long enough that no other common word is made (four, hour and your
//! keep their "our"; rise and wise their "ise"). The same rules run on the
//! indexed text and on queries, so a word they rewrite that has no variant
//! (exercise, exercize) still matches itself. Words that differ in the middle
//! (modelled, modeled) need no rule: the stemmer already joins them.

#[cfg(test)]
use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

/// Whether the language of a BCP 47 tag has spelling variants that [`english`]
/// joins (only English for now).
pub(crate) fn for_language(tag: &str) -> bool {
    let primary = tag.split(['-', '_']).next().unwrap_or_default();
    primary.is_empty() || primary.eq_ignore_ascii_case("en")
}

/// Rewrites British spellings of lowercased, folded English words to the
/// American ones; the American forms are the ones the patterns can derive.
pub(crate) fn english(word: &str) -> Option<String> {
    // -ise, -isation, -yse and their inflections: organise, organisation, analyse.
    for (from, to) in [("is", "iz"), ("ys", "yz")] {
        for suffix in [
            "e", "ed", "es", "er", "ers", "ing", "ation", "ations", "ational", "able", "ability",
        ] {
            if let Some(stem) = ending(word, from, suffix, 3) {
                return Some(format!("{stem}{to}{suffix}"));
            }
        }
    }
    // -our: behaviour, colour, labour, favourable.
    for suffix in [
        "", "s", "ed", "ing", "able", "ably", "ite", "ites", "ful", "er", "ers", "al", "ally",
        "less", "hood", "hoods",
    ] {
        if let Some(stem) = ending(word, "our", suffix, 2) {
            return Some(format!("{stem}or{suffix}"));
        }
    }
    // -re after b or t: centre, fibre, metre, theatre (not acre or genre).
    for suffix in ["", "s"] {
        if let Some(stem) = ending(word, "re", suffix, 3)
            && stem.ends_with(['b', 't'])
        {
            return Some(format!("{stem}er{suffix}"));
        }
    }
    // -ogue: catalogue, dialogue, analogue (not rogue or vogue).
    for (suffix, to) in [("", ""), ("s", "s"), ("d", "ed"), ("ing", "ing")] {
        if let Some(stem) = ending(word, "ogue", suffix, 3) {
            return Some(format!("{stem}og{to}"));
        }
    }
    // -ence after c, f or t for the nouns the verb spells -ense: licence, defence.
    for suffix in ["", "s"] {
        if let Some(stem) = ending(word, "ence", suffix, 2)
            && stem.ends_with(['c', 'f', 't'])
        {
            return Some(format!("{stem}ense{suffix}"));
        }
    }
    // -mme: programme, gramme.
    for suffix in ["", "s"] {
        if let Some(stem) = ending(word, "mme", suffix, 4) {
            return Some(format!("{stem}m{suffix}"));
        }
    }
    // -dgement: judgement, acknowledgement.
    for suffix in ["", "s"] {
        if let Some(stem) = ending(word, "dgement", suffix, 2) {
            return Some(format!("{stem}dgment{suffix}"));
        }
    }
    None
}

/// The part of `word` before `infix` + `suffix` at its end, when that part
/// has at least `min` bytes.
fn ending<'a>(word: &'a str, infix: &str, suffix: &str, min: usize) -> Option<&'a str> {
    let stem = word.strip_suffix(suffix)?.strip_suffix(infix)?;
    (stem.len() >= min && stem.is_char_boundary(stem.len())).then_some(stem)
}

/// A token filter applying [`english`] to every token, uncached: what the
/// indexing analyzer's cached terms are checked against.
#[cfg(test)]
#[derive(Clone, Copy)]
pub(crate) struct SpellingFilter;

#[cfg(test)]
impl TokenFilter for SpellingFilter {
    type Tokenizer<T: Tokenizer> = SpellingTokenizer<T>;

    fn transform<T: Tokenizer>(self, inner: T) -> SpellingTokenizer<T> {
        SpellingTokenizer(inner)
    }
}

#[cfg(test)]
#[derive(Clone)]
pub(crate) struct SpellingTokenizer<T>(T);

#[cfg(test)]
impl<T: Tokenizer> Tokenizer for SpellingTokenizer<T> {
    type TokenStream<'a> = SpellingStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        SpellingStream(self.0.token_stream(text))
    }
}

#[cfg(test)]
pub(crate) struct SpellingStream<S>(S);

#[cfg(test)]
impl<S: TokenStream> TokenStream for SpellingStream<S> {
    fn advance(&mut self) -> bool {
        if !self.0.advance() {
            return false;
        }
        let token = self.0.token_mut();
        if let Some(variant) = english(&token.text) {
            token.text = variant;
        }
        true
    }

    fn token(&self) -> &Token {
        self.0.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.0.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same(british: &str, american: &str) {
        let normal = |w: &str| english(w).unwrap_or_else(|| w.to_owned());
        assert_eq!(normal(british), normal(american), "{british} / {american}");
    }

    #[test]
    fn british_and_american_spellings_meet() {
        for (british, american) in [
            ("anonymisation", "anonymization"),
            ("pseudonymised", "pseudonymized"),
            ("organisations", "organizations"),
            ("minimising", "minimizing"),
            ("recognisable", "recognizable"),
            ("analyse", "analyze"),
            ("analysing", "analyzing"),
            ("behaviour", "behavior"),
            ("behavioural", "behavioral"),
            ("labour", "labor"),
            ("favourable", "favorable"),
            ("neighbourhood", "neighborhood"),
            ("centre", "center"),
            ("centres", "centers"),
            ("fibre", "fiber"),
            ("catalogue", "catalog"),
            ("catalogued", "cataloged"),
            ("dialogues", "dialogs"),
            ("licence", "license"),
            ("defence", "defense"),
            ("programme", "program"),
            ("programmes", "programs"),
            ("judgement", "judgment"),
        ] {
            same(british, american);
        }
    }

    #[test]
    fn words_that_only_look_alike_are_left_alone() {
        for word in [
            "four", "hour", "your", "our", "tour", "pour", "rise", "wise", "raise", "noise",
            "acre", "genre", "ogre", "rogue", "vogue", "hence", "analysis", "basis", "crisis",
            "decision", "visible", "journal", "resource", "are", "more",
        ] {
            assert_eq!(english(word), None, "{word}");
        }
    }

    #[test]
    fn distinct_words_stay_distinct() {
        let normal = |w: &str| english(w).unwrap_or_else(|| w.to_owned());
        for (a, b) in [
            ("four", "for"),
            ("our", "or"),
            ("prise", "prize"),
            ("hours", "hors"),
        ] {
            assert_ne!(normal(a), normal(b), "{a} / {b}");
        }
    }
}
