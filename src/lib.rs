//! Almanac turns a curated collection (`almanac.yaml` + Markdown in `content/`) into a
//! static site. The pipeline ([`pipeline`]): config → content → model → bodies →
//! check → render | search → output, over the ground floor of [`paths`],
//! [`diagnostics`], [`yaml`], [`markdown`] and [`i18n`]. `cli` and `serve` sit on top.

pub mod bodies;
pub mod check;
pub mod cli;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod i18n;
pub mod markdown;
pub mod model;
pub mod output;
pub mod paths;
pub mod pipeline;
pub mod render;
pub mod report;
pub mod search;
pub mod serve;
pub mod yaml;

pub use pipeline::{BuildOptions, BuildReport, Error, Loaded, Site, build, load};
