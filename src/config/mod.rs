//! `almanac.yaml`: `RawConfig` as the curator typed it (serde, unknown keys refused)
//! becomes a validated `Config` with absolute URLs and resolved taxonomies.

use std::path::PathBuf;

use indexmap::IndexMap;
use serde::Deserialize;

use crate::diagnostics::{Diagnostic, Location, SourceText, did_you_mean};
use crate::yaml;

/// Fields a resource may have (besides its taxonomies).
pub const RESOURCE_FIELDS: &[&str] = &[
    "title",
    "summary",
    "url",
    "publisher",
    "authors",
    "published",
    "updated",
    "reviewed",
    "licence",
    "language",
    "related",
    "aliases",
    "slug",
    "weight",
    "draft",
    "autolink",
    "extra",
    "template",
];
/// Fields a glossary entry may have.
pub const GLOSSARY_FIELDS: &[&str] = &[
    "title", "summary", "synonyms", "sources", "related", "aliases", "slug", "weight", "draft",
    "autolink", "extra", "language", "updated", "reviewed", "template",
];
/// Fields a plain page may have.
pub const PAGE_FIELDS: &[&str] = &[
    "title", "summary", "aliases", "slug", "weight", "draft", "autolink", "extra", "language",
    "updated", "template",
];
/// Fields a section's `_index.md` may have.
pub const SECTION_FIELDS: &[&str] = &[
    "title",
    "description",
    "sort_by",
    "paginate_by",
    "kind",
    "weight",
    "extra",
    "aliases",
    "template",
];

/// Whether a front-matter key is one Almanac reads itself on some kind of page; a
/// taxonomy may not take such a name.
pub fn is_built_in(name: &str) -> bool {
    [
        RESOURCE_FIELDS,
        GLOSSARY_FIELDS,
        PAGE_FIELDS,
        SECTION_FIELDS,
    ]
    .iter()
    .any(|fields| fields.contains(&name))
}

/// URL segments the build writes itself, which neither a taxonomy nor a section may take.
pub const RESERVED_SEGMENTS: &[&str] = &["search", "static", "page"];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: String,
    #[serde(default)]
    description: String,
    base_url: String,
    #[serde(default)]
    language: Option<String>,
    #[serde(default)]
    theme: Option<String>,
    #[serde(default)]
    output: Option<String>,
    #[serde(default)]
    paginate_by: Option<usize>,
    #[serde(default)]
    taxonomies: Vec<RawTaxonomy>,
    #[serde(default)]
    glossary: RawGlossary,
    #[serde(default)]
    feed: RawFeed,
    #[serde(default)]
    matrix: Option<RawMatrix>,
    #[serde(default)]
    markdown: RawMarkdown,
    #[serde(default)]
    extra: Option<serde_yaml::Value>,
    #[serde(default)]
    theme_options: Option<serde_yaml::Mapping>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTaxonomy {
    name: String,
    #[serde(default)]
    label: Option<String>,
    #[serde(default)]
    description: String,
    #[serde(default)]
    single: bool,
    #[serde(default)]
    required: bool,
    #[serde(default)]
    paginate_by: Option<usize>,
    #[serde(default)]
    terms: Option<IndexMap<String, RawTerm>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTerm {
    #[serde(default)]
    label: Option<String>,
    #[serde(default)]
    description: String,
    #[serde(default)]
    alt_labels: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGlossary {
    #[serde(default)]
    autolink: bool,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFeed {
    #[serde(default)]
    limit: Option<usize>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMatrix {
    rows: String,
    columns: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMarkdown {
    #[serde(default)]
    allow_html: bool,
}

/// The validated site configuration.
#[derive(Debug, Clone)]
pub struct Config {
    pub title: String,
    pub description: String,
    /// Absolute, ending in `/`.
    pub base_url: String,
    /// The path part of `base_url`: `/` or `/sub/`.
    pub base_path: String,
    pub language: String,
    pub theme: String,
    pub output: PathBuf,
    pub paginate_by: usize,
    pub taxonomies: Vec<TaxonomyConfig>,
    pub glossary_autolink: bool,
    pub feed_limit: usize,
    pub matrix: Option<(String, String)>,
    pub allow_html: bool,
    pub extra: serde_json::Value,
    pub theme_options: serde_json::Map<String, serde_json::Value>,
    /// The file's text, for locating problems found later in the pipeline.
    pub source: SourceText,
}

/// One taxonomy as declared in `almanac.yaml`.
#[derive(Debug, Clone)]
pub struct TaxonomyConfig {
    pub name: String,
    pub label: String,
    pub description: String,
    pub single: bool,
    pub required: bool,
    pub paginate_by: usize,
    /// The controlled vocabulary, in the order written; `None` for an open vocabulary.
    pub terms: Option<Vec<TermConfig>>,
}

#[derive(Debug, Clone)]
pub struct TermConfig {
    pub slug: String,
    pub label: String,
    pub description: String,
    /// Other names readers search the term by (acronyms, synonyms, spellings).
    pub alt_labels: Vec<String>,
}

impl Config {
    pub fn taxonomy(&self, name: &str) -> Option<&TaxonomyConfig> {
        self.taxonomies.iter().find(|t| t.name == name)
    }
}

/// Where `theme:` is written, for problems with the theme.
pub fn locate_theme(config: &Config) -> Location {
    yaml::locate_key(&config.source, "theme")
}

/// Parses and validates `almanac.yaml`, reporting every problem found rather than the first.
pub fn parse(source: SourceText) -> Result<Config, Vec<Diagnostic>> {
    let text = source.text.clone();
    let raw: RawConfig = match serde_yaml::from_str(&text) {
        Ok(raw) => raw,
        Err(error) => {
            return Err(vec![yaml::error_diagnostic(
                &source,
                0,
                &error,
                CONFIG_KEYS,
            )]);
        }
    };
    let mut problems = Vec::new();
    let at = |needle: &str| yaml::locate_key(&source, needle);

    let base_url = normalise_base_url(&raw.base_url);
    let base_path = match &base_url {
        Some(url) => path_of_url(url),
        None => {
            problems.push(
                Diagnostic::error(
                    "config",
                    format!("`base_url` must be an absolute http(s) URL, not `{}`", raw.base_url),
                )
                .at(at("base_url"))
                .label("not an absolute URL")
                .help("write the address the site will be published at, e.g. `https://ethics.example.org/`"),
            );
            "/".to_string()
        }
    };

    let default_paginate = raw.paginate_by.unwrap_or(20);
    if default_paginate == 0 {
        problems.push(
            Diagnostic::error("config", "`paginate_by` must be at least 1").at(at("paginate_by")),
        );
    }

    let mut taxonomies: Vec<TaxonomyConfig> = Vec::new();
    for raw_taxonomy in raw.taxonomies {
        let name = raw_taxonomy.name.clone();
        let location = yaml::locate_value(&source, &name);
        if !is_segment(&name) {
            problems.push(
                Diagnostic::error(
                    "config",
                    format!("taxonomy name `{name}` must be lowercase letters, digits and `-`"),
                )
                .at(location.clone())
                .help(format!("try `{}`", crate::model::slugify(&name))),
            );
        }
        if is_built_in(&name) || RESERVED_SEGMENTS.contains(&name.as_str()) {
            problems.push(
                Diagnostic::error(
                    "config",
                    format!("taxonomy name `{name}` is taken by a built-in field or page"),
                )
                .at(location.clone())
                .help(
                    "choose another name, e.g. `{name}s` or `resource-{name}`"
                        .replace("{name}", &name),
                ),
            );
        }
        if taxonomies.iter().any(|t| t.name == name) {
            problems.push(
                Diagnostic::error("config", format!("taxonomy `{name}` is declared twice"))
                    .at(location.clone()),
            );
            continue;
        }
        let terms = raw_taxonomy.terms.map(|terms| {
            terms
                .into_iter()
                .map(|(slug, term)| {
                    if !is_segment(&slug) {
                        problems.push(
                            Diagnostic::error(
                                "config",
                                format!("term `{slug}` of `{name}` must be lowercase letters, digits and `-`"),
                            )
                            .at(yaml::locate_value(&source, &slug))
                            .help(format!("try `{}`", crate::model::slugify(&slug))),
                        );
                    }
                    TermConfig {
                        label: term.label.unwrap_or_else(|| label_from_slug(&slug)),
                        slug,
                        description: term.description,
                        alt_labels: term.alt_labels,
                    }
                })
                .collect()
        });
        taxonomies.push(TaxonomyConfig {
            label: raw_taxonomy.label.unwrap_or_else(|| label_from_slug(&name)),
            description: raw_taxonomy.description,
            single: raw_taxonomy.single,
            required: raw_taxonomy.required,
            paginate_by: raw_taxonomy.paginate_by.unwrap_or(default_paginate).max(1),
            terms,
            name,
        });
    }

    let matrix = match raw.matrix {
        Some(m) => {
            for name in [&m.rows, &m.columns] {
                if !taxonomies.iter().any(|t| &t.name == name) {
                    problems.push(
                        Diagnostic::error(
                            "config",
                            format!("`matrix` names `{name}`, which is not a taxonomy"),
                        )
                        .at(yaml::locate_value(&source, name))
                        .maybe_help(
                            did_you_mean(name, taxonomies.iter().map(|t| t.name.as_str()))
                                .map(|s| format!("did you mean `{s}`?")),
                        ),
                    );
                }
            }
            Some((m.rows, m.columns))
        }
        // Without a choice, the first two taxonomies make the matrix.
        None if taxonomies.len() >= 2 => {
            Some((taxonomies[1].name.clone(), taxonomies[0].name.clone()))
        }
        None => None,
    };

    let theme = raw.theme.unwrap_or_else(|| "default".to_string());
    if !is_segment(&theme) {
        problems.push(
            Diagnostic::error(
                "config",
                format!("theme name `{theme}` must be a plain folder name"),
            )
            .at(at("theme")),
        );
    }
    let output = raw.output.unwrap_or_else(|| "site".to_string());
    if output.trim().is_empty() {
        problems.push(Diagnostic::error("config", "`output` may not be empty").at(at("output")));
    }

    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(Config {
        title: raw.title,
        description: raw.description,
        base_url: base_url.unwrap_or_default(),
        base_path,
        language: raw.language.unwrap_or_else(|| "en".to_string()),
        theme,
        output: PathBuf::from(output),
        paginate_by: default_paginate,
        taxonomies,
        glossary_autolink: raw.glossary.autolink,
        feed_limit: raw.feed.limit.unwrap_or(20),
        matrix,
        allow_html: raw.markdown.allow_html,
        extra: match raw.extra.map(|v| yaml::to_json(&v)) {
            Some(serde_json::Value::Object(map)) => serde_json::Value::Object(map),
            _ => serde_json::Value::Object(serde_json::Map::new()),
        },
        theme_options: raw
            .theme_options
            .map(|m| match yaml::to_json(&serde_yaml::Value::Mapping(m)) {
                serde_json::Value::Object(map) => map,
                _ => serde_json::Map::new(),
            })
            .unwrap_or_default(),
        source,
    })
}

impl Config {
    /// Points the site at another address (the `--base-url` flag).
    pub fn set_base_url(&mut self, url: &str) -> Result<(), String> {
        let url = normalise_base_url(url)
            .ok_or_else(|| format!("`{url}` is not an absolute http(s) URL"))?;
        self.base_path = path_of_url(&url);
        self.base_url = url;
        Ok(())
    }

    /// The absolute URL of a rooted site path (`/guidance/x/`).
    pub fn permalink(&self, rooted: &str) -> String {
        let origin = &self.base_url[..self.base_url.len() - self.base_path.len()];
        format!("{origin}{rooted}")
    }
}

/// Every key `almanac.yaml` accepts, for did-you-mean on unknown ones.
const CONFIG_KEYS: &[&str] = &[
    "title",
    "description",
    "base_url",
    "language",
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

fn normalise_base_url(url: &str) -> Option<String> {
    let url = url.trim();
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let host = rest.split('/').next().unwrap_or("");
    if host.is_empty() || url.contains(['?', '#', ' ']) {
        return None;
    }
    Some(if url.ends_with('/') {
        url.to_string()
    } else {
        format!("{url}/")
    })
}

fn path_of_url(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    match rest.find('/') {
        Some(i) => rest[i..].to_string(),
        None => "/".to_string(),
    }
}

/// Whether a name can be used as one URL segment as it is.
pub fn is_segment(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
        && !name.starts_with('-')
}

/// `public-servants` → `Public servants`, for terms declared without a label.
pub fn label_from_slug(slug: &str) -> String {
    let words = slug.replace(['-', '_'], " ");
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(text: &str) -> Result<Config, Vec<Diagnostic>> {
        parse(SourceText::new("almanac.yaml", text))
    }

    #[test]
    fn base_url_gains_a_slash_and_gives_the_path() {
        let config = parse_str("title: T\nbase_url: https://example.org/ethics\n").unwrap();
        assert_eq!(config.base_url, "https://example.org/ethics/");
        assert_eq!(config.base_path, "/ethics/");
        assert_eq!(
            config.permalink("/ethics/a/"),
            "https://example.org/ethics/a/"
        );
    }

    #[test]
    fn unknown_keys_are_refused_with_a_suggestion() {
        let errors = parse_str("title: T\nbase_url: https://e.org/\ntaxonomy: []\n").unwrap_err();
        assert_eq!(errors.len(), 1);
        let e = &errors[0];
        assert!(
            e.message.contains("unknown field `taxonomy`"),
            "{}",
            e.message
        );
        assert_eq!(e.help.as_deref(), Some("did you mean `taxonomies`?"));
        assert_eq!(e.location.as_ref().unwrap().line, 3);
    }

    #[test]
    fn taxonomies_keep_their_vocabulary_in_order() {
        let config = parse_str(
            "title: T\nbase_url: https://e.org/\ntaxonomies:\n  - name: type\n    single: true\n    terms:\n      zeta: { label: Zeta }\n      alpha: {}\n",
        )
        .unwrap();
        let terms = config.taxonomies[0].terms.as_ref().unwrap();
        assert_eq!(terms[0].slug, "zeta");
        assert_eq!(terms[1].label, "Alpha");
    }

    #[test]
    fn a_taxonomy_may_not_shadow_a_field() {
        let errors =
            parse_str("title: T\nbase_url: https://e.org/\ntaxonomies:\n  - name: summary\n")
                .unwrap_err();
        assert!(errors[0].message.contains("taken by a built-in field"));
        assert_eq!(errors[0].location.as_ref().unwrap().line, 4);
    }
}
