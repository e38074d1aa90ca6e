//! `almanac.yaml` as the curator typed it: serde reads it into these, refusing unknown
//! keys, before `parse` checks and resolves it.

use indexmap::IndexMap;
use serde::Deserialize;

/// A text given once, or per language (`{ en: Transparency, fr: Transparence }`).
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub(super) enum RawText {
    One(String),
    PerLanguage(IndexMap<String, String>),
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawLanguage {
    #[serde(default)]
    pub(super) name: Option<String>,
    #[serde(default)]
    pub(super) direction: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawConfig {
    pub(super) title: RawText,
    #[serde(default)]
    pub(super) description: Option<RawText>,
    pub(super) base_url: String,
    #[serde(default)]
    pub(super) language: Option<String>,
    #[serde(default)]
    pub(super) languages: Option<IndexMap<String, RawLanguage>>,
    #[serde(default)]
    pub(super) untranslated: Option<String>,
    #[serde(default)]
    pub(super) theme: Option<String>,
    #[serde(default)]
    pub(super) output: Option<String>,
    #[serde(default)]
    pub(super) paginate_by: Option<usize>,
    #[serde(default)]
    pub(super) taxonomies: Vec<RawTaxonomy>,
    #[serde(default)]
    pub(super) glossary: RawGlossary,
    #[serde(default)]
    pub(super) feed: RawFeed,
    #[serde(default)]
    pub(super) matrix: Option<RawMatrix>,
    #[serde(default)]
    pub(super) markdown: RawMarkdown,
    #[serde(default)]
    pub(super) extra: Option<serde_yaml::Value>,
    #[serde(default)]
    pub(super) theme_options: Option<serde_yaml::Mapping>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawTaxonomy {
    pub(super) name: String,
    #[serde(default)]
    pub(super) label: Option<RawText>,
    #[serde(default)]
    pub(super) description: Option<RawText>,
    #[serde(default)]
    pub(super) single: bool,
    #[serde(default)]
    pub(super) required: bool,
    #[serde(default)]
    pub(super) paginate_by: Option<usize>,
    #[serde(default)]
    pub(super) terms: Option<IndexMap<String, RawTerm>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawTerm {
    #[serde(default)]
    pub(super) label: Option<RawText>,
    #[serde(default)]
    pub(super) description: Option<RawText>,
    #[serde(default)]
    pub(super) alt_labels: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawGlossary {
    #[serde(default)]
    pub(super) autolink: bool,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawFeed {
    #[serde(default)]
    pub(super) limit: Option<usize>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawMatrix {
    pub(super) rows: String,
    pub(super) columns: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawMarkdown {
    #[serde(default)]
    pub(super) allow_html: bool,
}

/// Every key `almanac.yaml` accepts, for did-you-mean on unknown ones.
pub(super) const CONFIG_KEYS: &[&str] = &[
    "title",
    "description",
    "base_url",
    "language",
    "languages",
    "untranslated",
    "direction",
    "theme",
    "output",
    "paginate_by",
    "taxonomies",
    "glossary",
    "feed",
    "matrix",
    "markdown",
    "extra",
    "theme_options",
    "name",
    "label",
    "single",
    "required",
    "terms",
    "alt_labels",
    "autolink",
    "limit",
    "rows",
    "columns",
    "allow_html",
];
