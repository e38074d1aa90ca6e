//! The `regex` API as tantivy uses it, answered by `regex-lite`: same syntax
//! without Unicode classes, a fraction of the size. Nothing of Almanac's matches
//! text with a regex; tantivy only keeps the code reachable (formatting a facet
//! escapes its slashes with one), which put the full crate in the browser module.

pub use regex_lite::*;
