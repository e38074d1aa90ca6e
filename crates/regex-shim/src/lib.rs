//! The `regex` API as tantivy uses it. Nothing of Almanac's matches text with a
//! regex; tantivy keeps one reachable: formatting a facet escapes its slashes
//! with `[\\/]`. Natively that is `regex-lite` (same syntax without Unicode
//! classes). The browser module takes `chars`, which knows only patterns of
//! that kind: regex-lite's parser and engine were about 30 kB of the module
//! for that one class.

#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
mod chars;

#[cfg(target_arch = "wasm32")]
pub use chars::*;
#[cfg(not(target_arch = "wasm32"))]
pub use regex_lite::*;
