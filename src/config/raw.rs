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
    #[serde(default)]
    pub(super) citation: RawCitation,
    #[serde(default)]
    pub(super) catalog: RawCatalog,
    #[serde(default)]
    pub(super) review: Option<super::review::RawReview>,
    #[serde(default)]
    pub(super) links: RawLinks,
    #[serde(default)]
    pub(super) edit_url: Option<String>,
    #[serde(default)]
    pub(super) issue_url: Option<String>,
    #[serde(default)]
    pub(super) trusted_paths: Vec<String>,
}

/// Where archived copies of broken links are looked for.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawLinks {
    #[serde(default)]
    pub(super) archive: Option<String>,
    #[serde(default)]
    pub(super) archive_api: Option<String>,
}

/// How resources are cited: the CSL style, and which citation type each resource
/// type is.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawCitation {
    #[serde(default)]
    pub(super) style: Option<String>,
    #[serde(default)]
    pub(super) types: Option<IndexMap<String, String>>,
}

/// The collection as a data catalogue (DCAT): who publishes it, under which licence,
/// since when, and whom to ask.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawCatalog {
    #[serde(default)]
    pub(super) publisher: Option<RawText>,
    #[serde(default)]
    pub(super) publisher_url: Option<String>,
    #[serde(default)]
    pub(super) licence: Option<String>,
    #[serde(default)]
    pub(super) issued: Option<String>,
    #[serde(default)]
    pub(super) contact: Option<RawContact>,
    #[serde(default)]
    pub(super) themes: Option<Vec<String>>,
    #[serde(default)]
    pub(super) publisher_type: Option<String>,
    #[serde(default)]
    pub(super) spatial: Option<Vec<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawContact {
    #[serde(default)]
    pub(super) name: Option<String>,
    #[serde(default)]
    pub(super) email: Option<String>,
    #[serde(default)]
    pub(super) url: Option<String>,
}

/// One term or several (`broader: explicability` or `broader: [autonomy, justice]`).
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub(super) enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    pub(super) fn into_vec(self) -> Vec<String> {
        match self {
            OneOrMany::One(one) => vec![one],
            OneOrMany::Many(many) => many,
        }
    }
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
    #[serde(default)]
    pub(super) include_narrower: bool,
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
    #[serde(default)]
    pub(super) broader: Option<OneOrMany>,
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
    "broader",
    "include_narrower",
    "citation",
    "style",
    "types",
    "catalog",
    "publisher",
    "publisher_url",
    "licence",
    "issued",
    "contact",
    "email",
    "url",
    "review",
    "every",
    "soon",
    "sections",
    "links",
    "archive",
    "archive_api",
    "edit_url",
    "issue_url",
    "trusted_paths",
];
