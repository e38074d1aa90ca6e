//! From what a reader typed to a tantivy query: words and quoted phrases; stop
//! words dropped when the query has other words ("what is automation bias");
//! the last word completed as a prefix; unknown words widened to near
//! spellings; a name with other names in the collection (a synonym, an
//! alternative label, an acronym) searched under all of them; every word
//! looked up in the weighted fields; and a glossary term the query names
//! raised above the documents that merely use its words.
//!
//! Parsing never fails: quotes may be unbalanced and punctuation is ignored.

mod build;
mod fuzzy;
mod parse;
mod spelling;

pub(crate) use build::{Built, Mode, QueryBuilder, facet_term};
#[cfg(test)]
pub(crate) use fuzzy::Levenshtein;
pub(crate) use parse::{Part, parse, without_stop_words};
