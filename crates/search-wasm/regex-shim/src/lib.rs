//! The `regex` API as the browser module's dependencies use it, answered by
//! `regex-lite`: same syntax without Unicode classes, a fraction of the size.
//! Nothing on the reader's path matches text with a regex; tantivy only keeps
//! the code reachable (formatting a facet escapes its slashes with one).

pub use regex_lite::*;
