//! `almanac.yaml`: `RawConfig` as the curator typed it (serde, unknown keys refused)
//! becomes a validated `Config` with absolute URLs and resolved taxonomies.

mod exports;
mod languages;
mod links;
mod raw;
mod review;

use std::path::PathBuf;

use crate::diagnostics::{AsDiagnostics, Diagnostic, Location, SourceText, did_you_mean};
use crate::paths::{is_segment, label_from_slug, slugify};
use crate::yaml::{self, Spans, Step};
pub use exports::{CITATION_KINDS, CatalogConfig, CitationConfig, Contact, licence_url};
pub use languages::{Direction, Language, Localized, direction_of, is_language_code};
use languages::{read_languages, read_localized};
pub use links::{ContributeConfig, LinksConfig, contribute_links};
use raw::{CONFIG_KEYS, RawConfig};
pub use review::{Interval, ReviewPolicy, Unit};

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
    "status",
    "superseded_by",
    "changes",
    "archived_url",
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

/// The validated site configuration, as one language sees it: the texts given per
/// language are in `language`'s words ([`Config::for_language`] gives the others).
#[derive(Debug, Clone)]
pub struct Config {
    pub title: String,
    pub description: String,
    /// Absolute, ending in `/`.
    pub base_url: String,
    /// The path part of `base_url`: `/` or `/sub/`.
    pub base_path: String,
    /// Where this language's pages start: `base_path` for the default language,
    /// `base_path` and the language's folder (`/sub/fr/`) for the others.
    pub home_path: String,
    /// The language this configuration is in.
    pub language: String,
    /// Every language of the collection, the default first.
    pub languages: Vec<Language>,
    /// Whether entries without a translation are listed in the other languages' lists.
    pub list_untranslated: bool,
    pub titles: Localized,
    pub descriptions: Localized,
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
    pub citation: CitationConfig,
    pub catalog: CatalogConfig,
    /// The file's text, for locating problems found later in the pipeline.
    pub source: SourceText,
    /// How often resources must be reviewed (`review:`), when the collection says.
    pub review: Option<ReviewPolicy>,
    /// Where archived copies of broken links are found.
    pub links: LinksConfig,
    /// Where readers suggest a change or report a problem.
    pub contribute: ContributeConfig,
}

/// One taxonomy as declared in `almanac.yaml`.
#[derive(Debug, Clone)]
pub struct TaxonomyConfig {
    pub name: String,
    pub label: String,
    pub description: String,
    pub labels: Localized,
    pub descriptions: Localized,
    pub single: bool,
    pub required: bool,
    pub paginate_by: usize,
    /// The controlled vocabulary, in the order written; `None` for an open vocabulary.
    pub terms: Option<Vec<TermConfig>>,
    /// Whether a term's page lists the resources of its narrower terms too.
    pub include_narrower: bool,
}

#[derive(Debug, Clone)]
pub struct TermConfig {
    pub slug: String,
    pub label: String,
    pub description: String,
    pub labels: Localized,
    pub descriptions: Localized,
    /// Other names of the term (acronyms, synonyms, spellings).
    pub alt_labels: Vec<String>,
    /// The more general terms, as (taxonomy, term) places in `Config::taxonomies`:
    /// in this vocabulary or another controlled one.
    pub broader: Vec<(usize, usize)>,
}

impl Config {
    pub fn taxonomy(&self, name: &str) -> Option<&TaxonomyConfig> {
        self.taxonomies.iter().find(|t| t.name == name)
    }

    /// The default language's code.
    pub fn default_language(&self) -> &str {
        &self.languages[0].code
    }

    /// Whether this configuration is the default language's.
    pub fn is_default_language(&self) -> bool {
        self.language == self.languages[0].code
    }

    /// The folder of this language's pages in the output: `` for the default
    /// language, `fr/` for French.
    pub fn language_folder(&self) -> &str {
        self.home_path
            .strip_prefix(self.base_path.as_str())
            .unwrap_or("")
    }

    /// This configuration's language.
    pub fn current_language(&self) -> &Language {
        self.languages
            .iter()
            .find(|l| l.code == self.language)
            .unwrap_or(&self.languages[0])
    }

    /// The configuration as `code` sees it: its texts, and its pages under its folder.
    /// `None` for a language the collection does not have.
    pub fn for_language(&self, code: &str) -> Option<Config> {
        let language = self.languages.iter().find(|l| l.code == code)?;
        let mut config = self.clone();
        config.language = language.code.clone();
        config.home_path = home_path(&config.base_path, &config.languages, code);
        config.title = config.titles.get(code).to_string();
        config.description = config.descriptions.get(code).to_string();
        for taxonomy in &mut config.taxonomies {
            taxonomy.label = taxonomy.labels.get(code).to_string();
            taxonomy.description = taxonomy.descriptions.get(code).to_string();
            for term in taxonomy.terms.iter_mut().flatten() {
                term.label = term.labels.get(code).to_string();
                term.description = term.descriptions.get(code).to_string();
            }
        }
        Some(config)
    }
}

/// Where a language's pages start: the default language's at the site's root.
fn home_path(base_path: &str, languages: &[Language], code: &str) -> String {
    match languages.iter().position(|l| l.code == code) {
        Some(i) if i > 0 => format!("{base_path}{}/", languages[i].segment()),
        _ => base_path.to_string(),
    }
}

/// Where the theme's name is written, for problems with the theme.
pub fn locate_theme(config: &Config) -> Location {
    spans_of(&config.source)
        .value(&[Step::key("theme")])
        .unwrap_or_else(|| Location::span(&config.source, 0..0))
}

/// Where each key and value of the file is written. serde_yaml read the text first, so
/// the parser reads it too; were it not to, problems are shown at the top of the file.
fn spans_of(source: &SourceText) -> Spans {
    Spans::parse(source, 0..source.text.len()).unwrap_or_else(|| Spans::empty(source))
}

/// Parses and validates `almanac.yaml`, reporting every problem found rather than the first.
pub fn parse(source: SourceText) -> Result<Config, Vec<Diagnostic>> {
    let text = source.text.clone();
    let mut raw: RawConfig = match serde_yaml::from_str(&text) {
        Ok(raw) => raw,
        Err(error) => {
            return Err(yaml::error_diagnostics(
                &source,
                0..text.len(),
                &error,
                CONFIG_KEYS,
            ));
        }
    };
    let spans = spans_of(&source);
    // serde keeps the last of two equal keys in a taxonomy's `terms` without a word.
    let mut problems = spans.duplicates();
    let key = Step::key;
    let at = |path: &[Step]| {
        spans
            .value(path)
            .unwrap_or_else(|| Location::span(&source, 0..0))
    };
    let names: Vec<String> = raw.taxonomies.iter().map(|t| t.name.clone()).collect();

    let base_url = normalise_base_url(&raw.base_url);
    let base_path = match &base_url {
        Some(url) => path_of_url(url),
        None => {
            problems.push(
                Diagnostic::error(
                    "config",
                    format!("`base_url` must be an absolute http(s) URL, not `{}`", raw.base_url),
                )
                .at(at(&[key("base_url")]))
                .label("not an absolute URL")
                .help("write the address the site will be published at, e.g. `https://ethics.example.org/`"),
            );
            "/".to_string()
        }
    };

    let default_paginate = raw.paginate_by.unwrap_or(20);
    if default_paginate == 0 {
        problems.push(
            Diagnostic::error("config", "`paginate_by` must be at least 1")
                .at(at(&[key("paginate_by")])),
        );
    }

    let languages = read_languages(&raw, &spans, &mut problems);
    let titles = read_localized(
        Some(raw.title),
        &[key("title")],
        String::new(),
        (&languages, &spans),
        &mut problems,
    );
    let descriptions = read_localized(
        raw.description,
        &[key("description")],
        String::new(),
        (&languages, &spans),
        &mut problems,
    );

    let mut taxonomies: Vec<TaxonomyConfig> = Vec::new();
    let mut pending_broader = Vec::new();
    for (i, raw_taxonomy) in raw.taxonomies.into_iter().enumerate() {
        let name = raw_taxonomy.name.clone();
        let location = at(&[key("taxonomies"), Step::Item(i), key("name")]);
        if !is_segment(&name) {
            problems.push(
                Diagnostic::error(
                    "config",
                    format!("taxonomy name `{name}` must be lowercase letters, digits and `-`"),
                )
                .at(location.clone())
                .help(format!("try `{}`", slugify(&name))),
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
        if let Some(first) = names[..i].iter().position(|n| *n == name) {
            let first_line = at(&[key("taxonomies"), Step::Item(first), key("name")]).line;
            problems.push(
                Diagnostic::error(
                    "config",
                    format!(
                        "taxonomy `{name}` is declared twice; the first is on line {first_line}"
                    ),
                )
                .at(location.clone())
                .label("declared again here")
                .help("remove one of the two, or give this one another name"),
            );
            continue;
        }
        let kept = taxonomies.len();
        let terms = raw_taxonomy.terms.map(|terms| {
            terms
                .into_iter()
                .enumerate()
                .map(|(term_index, (slug, term))| {
                    if !is_segment(&slug) {
                        problems.push(
                            Diagnostic::error(
                                "config",
                                format!("term `{slug}` of `{name}` must be lowercase letters, digits and `-`"),
                            )
                            .at(spans
                                .key(&[key("taxonomies"), Step::Item(i), key("terms"), key(&slug)])
                                .unwrap_or_else(|| location.clone()))
                            .help(format!("try `{}`", slugify(&slug))),
                        );
                    }
                    let at_term = [key("taxonomies"), Step::Item(i), key("terms"), key(&slug)];
                    let labels = read_localized(
                        term.label,
                        &[&at_term[..], &[key("label")]].concat(),
                        label_from_slug(&slug),
                        (&languages, &spans),
                        &mut problems,
                    );
                    let descriptions = read_localized(
                        term.description,
                        &[&at_term[..], &[key("description")]].concat(),
                        String::new(),
                        (&languages, &spans),
                        &mut problems,
                    );
                    if let Some(broader) = term.broader {
                        pending_broader.push(exports::PendingBroader {
                            raw_index: i,
                            taxonomy: kept,
                            term: term_index,
                            values: broader.into_vec(),
                        });
                    }
                    TermConfig {
                        label: labels.default.clone(),
                        description: descriptions.default.clone(),
                        labels,
                        descriptions,
                        alt_labels: term.alt_labels,
                        broader: Vec::new(),
                        slug,
                    }
                })
                .collect()
        });
        let labels = read_localized(
            raw_taxonomy.label,
            &[key("taxonomies"), Step::Item(i), key("label")],
            label_from_slug(&name),
            (&languages, &spans),
            &mut problems,
        );
        let descriptions = read_localized(
            raw_taxonomy.description,
            &[key("taxonomies"), Step::Item(i), key("description")],
            String::new(),
            (&languages, &spans),
            &mut problems,
        );
        if raw_taxonomy.paginate_by == Some(0) {
            problems.push(
                Diagnostic::error("config", "`paginate_by` must be at least 1").at(at(&[
                    key("taxonomies"),
                    Step::Item(i),
                    key("paginate_by"),
                ])),
            );
        }
        taxonomies.push(TaxonomyConfig {
            label: labels.default.clone(),
            description: descriptions.default.clone(),
            labels,
            descriptions,
            single: raw_taxonomy.single,
            required: raw_taxonomy.required,
            paginate_by: raw_taxonomy.paginate_by.unwrap_or(default_paginate).max(1),
            terms,
            include_narrower: raw_taxonomy.include_narrower,
            name,
        });
    }
    exports::resolve_broader(&mut taxonomies, pending_broader, &spans, &mut problems);
    let citation = exports::read_citation(raw.citation, &spans, &mut problems);
    let publisher = raw.catalog.publisher.take().map(|text| {
        read_localized(
            Some(text),
            &[key("catalog"), key("publisher")],
            String::new(),
            (&languages, &spans),
            &mut problems,
        )
    });
    let catalog = exports::read_catalog(raw.catalog, publisher, &spans, &mut problems);
    let review = review::read_review(raw.review.take(), &spans, &mut problems);
    if let Some(policy) = &review {
        review::check_types(policy, &taxonomies, &spans, &mut problems);
    }
    let links = links::read_links(raw.links, &source, &spans, &mut problems);
    let contribute =
        links::read_contribute(raw.edit_url, raw.issue_url, &source, &spans, &mut problems);

    let matrix = match raw.matrix {
        Some(m) => {
            for (field, name) in [("rows", &m.rows), ("columns", &m.columns)] {
                if !taxonomies.iter().any(|t| &t.name == name) {
                    problems.push(
                        Diagnostic::error(
                            "config",
                            format!("`matrix` names `{name}`, which is not a taxonomy"),
                        )
                        .at(at(&[key("matrix"), key(field)]))
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
            .at(at(&[key("theme")])),
        );
    }
    let output = raw.output.unwrap_or_else(|| "site".to_string());
    if output.trim().is_empty() {
        problems.push(
            Diagnostic::error("config", "`output` may not be empty").at(at(&[key("output")])),
        );
    }

    if !problems.is_empty() {
        return Err(problems);
    }
    let list_untranslated = match raw.untranslated.as_deref() {
        None | Some("list") => true,
        Some("hide") => false,
        Some(other) => {
            problems.push(
                Diagnostic::error("config", format!("`untranslated` cannot be `{other}`"))
                    .at(at(&[key("untranslated")]))
                    .label("expected `list` or `hide`")
                    .help("`list` shows entries without a translation in every language's lists, marked with their language; `hide` leaves them out"),
            );
            true
        }
    };
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(Config {
        title: titles.default.clone(),
        description: descriptions.default.clone(),
        titles,
        descriptions,
        base_url: base_url.unwrap_or_default(),
        home_path: base_path.clone(),
        base_path,
        language: languages[0].code.clone(),
        languages,
        list_untranslated,
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
        citation,
        catalog,
        source,
        review,
        links,
        contribute,
    })
}

impl Config {
    /// Points the site at another address (the `--base-url` flag).
    pub fn set_base_url(&mut self, url: &str) -> Result<(), String> {
        let url = normalise_base_url(url)
            .ok_or_else(|| format!("`{url}` is not an absolute http(s) URL"))?;
        self.base_path = path_of_url(&url);
        self.home_path = home_path(&self.base_path, &self.languages, &self.language);
        self.base_url = url;
        Ok(())
    }

    /// The absolute URL of a rooted site path (`/guidance/x/`).
    pub fn permalink(&self, rooted: &str) -> String {
        let origin = &self.base_url[..self.base_url.len() - self.base_path.len()];
        format!("{origin}{rooted}")
    }
}

fn normalise_base_url(url: &str) -> Option<String> {
    let url = url.trim();
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let host = rest.split('/').next().unwrap_or("");
    if host.is_empty() || url.contains(['?', '#']) || !crate::paths::is_web_address(url) {
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

/// Why `almanac.yaml` could not become a [`Config`].
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("almanac.yaml could not be read")]
    Unreadable(Diagnostic),
    #[error("almanac.yaml has problems")]
    Invalid(Vec<Diagnostic>),
    /// The `--base-url` given instead of the file's.
    #[error("{0}")]
    BaseUrl(String),
}

impl AsDiagnostics for ConfigError {
    fn diagnostics(&self) -> Vec<Diagnostic> {
        match self {
            ConfigError::Unreadable(problem) => vec![problem.clone()],
            ConfigError::Invalid(problems) => problems.clone(),
            ConfigError::BaseUrl(message) => vec![
                Diagnostic::error("usage", message.clone())
                    .help("pass an absolute address such as https://example.org/ethics/"),
            ],
        }
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

    /// Code, start line and column, end line and column of each problem.
    fn places(errors: &[Diagnostic]) -> Vec<(&str, usize, usize, usize, usize)> {
        errors
            .iter()
            .map(|d| {
                let location = d.location.as_deref().expect("a location");
                let (end_line, end_column) = location.end().expect("a span");
                (d.code, location.line, location.column, end_line, end_column)
            })
            .collect()
    }

    #[test]
    fn unknown_keys_are_refused_with_a_suggestion() {
        let errors = parse_str("title: T\nbase_url: https://e.org/\ntaxonomy: []\n").unwrap_err();
        assert_eq!(places(&errors), [("yaml", 3, 1, 3, 9)]);
        let e = &errors[0];
        assert!(
            e.message.contains("unknown field `taxonomy`"),
            "{}",
            e.message
        );
        assert_eq!(e.help.as_deref(), Some("did you mean `taxonomies`?"));
    }

    #[test]
    fn an_unknown_key_of_a_taxonomy_is_shown_where_it_is() {
        let errors = parse_str(
            "title: T\nbase_url: https://e.org/\n# label: in a comment\ntaxonomies:\n  - name: type\n    lable: Type\n",
        )
        .unwrap_err();
        assert_eq!(places(&errors), [("yaml", 6, 5, 6, 10)]);
        assert_eq!(errors[0].help.as_deref(), Some("did you mean `label`?"));
    }

    #[test]
    fn a_value_of_the_wrong_type_is_shown_at_the_value() {
        let errors =
            parse_str("title: T\nbase_url: https://e.org/\npaginate_by: many\n").unwrap_err();
        assert_eq!(places(&errors), [("yaml", 3, 14, 3, 18)]);
        assert_eq!(errors[0].label.as_deref(), Some("wrong type"));
    }

    #[test]
    fn every_repeated_key_is_shown_at_the_repeat() {
        let errors = parse_str(
            "title: T\nbase_url: https://e.org/\ntitle: U\ntaxonomies:\n  - name: type\n    terms:\n      tool: {}\n      tool: { label: Tools }\n",
        )
        .unwrap_err();
        assert_eq!(
            places(&errors),
            [
                ("duplicate-key", 3, 1, 3, 6),
                ("duplicate-key", 8, 7, 8, 11)
            ]
        );
        assert_eq!(
            errors[0].message,
            "`title` is declared twice; the first is on line 1"
        );
        // serde keeps the last of two equal terms without a word; they are refused too.
        let errors = parse_str(
            "title: T\nbase_url: https://e.org/\ntaxonomies:\n  - name: type\n    terms: { tool: {}, tool: {} }\n",
        )
        .unwrap_err();
        assert_eq!(places(&errors), [("duplicate-key", 5, 24, 5, 28)]);
        assert_eq!(
            errors[0].message,
            "`tool` is declared twice; the first is on line 5"
        );
    }

    #[test]
    fn a_bad_taxonomy_name_is_shown_where_it_is_declared() {
        // `Topics` is the title too, and comes first in the file.
        let errors = parse_str(
            "title: Topics\nbase_url: https://e.org/\ntaxonomies:\n  - name: type\n  - name: Topics\n",
        )
        .unwrap_err();
        assert_eq!(places(&errors), [("config", 5, 11, 5, 17)]);
        assert_eq!(errors[0].help.as_deref(), Some("try `topics`"));
    }

    #[test]
    fn a_taxonomy_declared_twice_is_shown_at_the_second() {
        let errors = parse_str(
            "title: T\nbase_url: https://e.org/\nmatrix: { rows: type, columns: topics }\ntaxonomies:\n  - name: type\n  - name: topics\n  - name: type\n",
        )
        .unwrap_err();
        assert_eq!(places(&errors), [("config", 7, 11, 7, 15)]);
        assert_eq!(
            errors[0].message,
            "taxonomy `type` is declared twice; the first is on line 5"
        );
    }

    #[test]
    fn other_values_are_shown_where_they_are_written() {
        let errors = parse_str(
            "title: T\nbase_url: e.org\nmatrix: { rows: type, columns: topic }\ntheme: ../x\ntaxonomies:\n  - name: type\n    terms: { Tool: {} }\n  - name: topics\n",
        )
        .unwrap_err();
        assert_eq!(
            places(&errors),
            [
                ("config", 2, 11, 2, 16),
                ("config", 7, 14, 7, 18),
                ("config", 3, 32, 3, 37),
                ("config", 4, 8, 4, 12),
            ]
        );
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
        assert_eq!(places(&errors), [("config", 4, 11, 4, 18)]);
    }
}
