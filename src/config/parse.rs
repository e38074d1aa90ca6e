//! Reading `almanac.yaml`: the text parsed into a `RawConfig`, then each key checked
//! and resolved into a `Config`, every problem located where it is written.

use std::path::PathBuf;

use super::languages::{read_languages, read_localized};
use super::raw::{CONFIG_KEYS, RawConfig};
use super::{Config, exports, links, review, taxonomies};
use crate::diagnostics::{Diagnostic, Location, SourceText, did_you_mean};
use crate::paths::is_segment;
use crate::yaml::{self, Spans, Step};

/// Where the theme's name is written, for problems with the theme.
pub fn locate_theme(config: &Config) -> Location {
    spans_of(&config.source)
        .value(&[Step::key("theme")])
        .unwrap_or_else(|| Location::span(&config.source, 0..0))
}

/// Where `output` is written, for problems with the output folder.
pub fn locate_output(config: &Config) -> Location {
    spans_of(&config.source)
        .value(&[Step::key("output")])
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
    // Escapes write what the file's text may not hold.
    if let Ok(map) = serde_yaml::from_str::<serde_yaml::Mapping>(&text)
        && let Some(problem) = yaml::escaped_control(&source, 0..text.len(), &map)
    {
        return Err(vec![problem]);
    }
    let spans = spans_of(&source);
    // serde keeps the last of two equal keys in a taxonomy's `terms` without a word.
    let mut problems = spans.duplicates();
    let key = Step::key;
    let at = |path: &[Step]| {
        spans
            .value(path)
            .unwrap_or_else(|| Location::span(&source, 0..0))
    };

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
    let taxonomies = taxonomies::read_taxonomies(
        raw.taxonomies,
        default_paginate,
        (&languages, &spans),
        &source,
        &mut problems,
    );
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
    let trusted_paths = read_trusted(&raw.trusted_paths, &at, &mut problems);
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
        trusted_paths,
    })
}

/// The folders of `trusted_paths:`, resolved: each must be written as an absolute
/// path (a relative one would depend on where the command runs) and be a folder,
/// and none may be the file system's root, which would trust everything.
fn read_trusted(
    paths: &[String],
    at: &impl Fn(&[Step]) -> Location,
    problems: &mut Vec<Diagnostic>,
) -> Vec<PathBuf> {
    let mut trusted = Vec::new();
    for (i, written) in paths.iter().enumerate() {
        let here = || at(&[Step::key("trusted_paths"), Step::Item(i)]);
        let path = std::path::Path::new(written);
        if !path.is_absolute() {
            problems.push(
                Diagnostic::error(
                    "config",
                    format!("`trusted_paths` lists `{written}`, which is not an absolute path"),
                )
                .at(here())
                .help("write the whole path of the folder, such as `/srv/shared-assets`"),
            );
            continue;
        }
        match path.canonicalize() {
            Ok(real) if real.is_dir() && real.parent().is_some() => trusted.push(real),
            Ok(real) if real.is_dir() => problems.push(
                Diagnostic::error(
                    "config",
                    "`trusted_paths` may not list the root folder, which would trust every file",
                )
                .at(here()),
            ),
            Ok(_) => problems.push(
                Diagnostic::error(
                    "config",
                    format!("`trusted_paths` lists `{written}`, which is not a folder"),
                )
                .at(here()),
            ),
            Err(error) => problems.push(
                Diagnostic::error(
                    "config",
                    format!("`trusted_paths` lists `{written}`, which cannot be read: {error}"),
                )
                .at(here()),
            ),
        }
    }
    trusted
}

pub(super) fn normalise_base_url(url: &str) -> Option<String> {
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

pub(super) fn path_of_url(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    match rest.find('/') {
        Some(i) => rest[i..].to_string(),
        None => "/".to_string(),
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
