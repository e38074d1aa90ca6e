//! `almanac.yaml`: `RawConfig` as the curator typed it (serde, unknown keys refused)
//! becomes a validated `Config` with absolute URLs and resolved taxonomies.

mod exports;
mod fields;
pub mod iso639;
mod languages;
mod links;
mod parse;
mod raw;
mod review;
mod taxonomies;

use std::path::PathBuf;

use crate::diagnostics::{AsDiagnostics, Diagnostic, SourceText};
pub use exports::{CITATION_KINDS, CatalogConfig, CitationConfig, Contact, licence_url};
pub use fields::{
    GLOSSARY_FIELDS, PAGE_FIELDS, RESERVED_SEGMENTS, RESOURCE_FIELDS, SECTION_FIELDS, is_built_in,
};
pub use languages::{Direction, Language, Localized, direction_of, is_language_code};
pub use links::{ContributeConfig, LinksConfig, contribute_links};
pub use parse::{locate_output, locate_theme, parse};
use parse::{normalise_base_url, path_of_url};
pub use review::{Interval, ReviewPolicy, Unit};
pub use taxonomies::{TaxonomyConfig, TermConfig};

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
    /// Folders outside the collection that its symbolic links may lead into
    /// (`trusted_paths:`), absolute and resolved.
    pub trusted_paths: Vec<PathBuf>,
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
