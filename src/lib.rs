//! Almanac: a static-site generator for curated digital-ethics resource collections.

pub mod markdown;
