//! Interface strings a declared language lacks: no file at all, a key without a
//! text, a counted phrase without a form the language's plural rule needs, a
//! placeholder the English text does not have, a key that looks like a misspelt
//! one. Each is a warning: the page shows English (or the text as written) instead.

use std::path::PathBuf;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Location, did_you_mean};
use crate::i18n::plural::Rule;
use crate::i18n::{Catalogs, FALLBACK, Parsed, placeholders};
use crate::yaml::Step;

/// Every warning about the strings of the collection's languages.
pub fn strings(catalogs: &Catalogs, config: &Config) -> Vec<Diagnostic> {
    let reference = catalogs.reference_keys();
    let mut problems = Vec::new();
    for language in &config.languages {
        let code = &language.code;
        if code.split('-').next() == Some(FALLBACK) {
            continue;
        }
        // Where a curator adds what is missing: the collection's own file.
        let expected = PathBuf::from("i18n").join(format!("{code}.yaml"));
        let files = catalogs.files_for(code);
        if files.is_empty() {
            problems.push(
                Diagnostic::warning(
                    "i18n-missing",
                    format!(
                        "the theme has no interface strings in {} (`{code}`): its pages show the English ones",
                        language.name
                    ),
                )
                .at(Location::file(&expected))
                .help(format!(
                    "write {} with a translation of every key of the theme's en.yaml (docs/templates.md lists them)",
                    expected.display()
                )),
            );
            continue;
        }
        for key in &reference {
            let Some((file, value)) = files
                .iter()
                .find_map(|f| f.entries.get(*key).map(|v| (*f, v)))
            else {
                problems.push(
                    Diagnostic::warning(
                        "i18n-missing",
                        format!(
                            "the interface string `{key}` has no text in {} (`{code}`): English is shown",
                            language.name
                        ),
                    )
                    .at(Location::file(&expected))
                    .help(format!("add `{key}` to {}", expected.display())),
                );
                continue;
            };
            if let serde_json::Value::Object(forms) = value {
                for category in Rule::of(code).categories() {
                    if !forms.contains_key(category.name()) {
                        problems.push(
                            Diagnostic::warning(
                                "i18n-plural",
                                format!(
                                    "`{key}` has no `{}` form, which {} needs for some counts",
                                    category.name(),
                                    language.name
                                ),
                            )
                            .at(locate(file, key, false))
                            .label("counted phrase")
                            .help(format!(
                                "give `{key}` the forms {}",
                                Rule::of(code)
                                    .categories()
                                    .iter()
                                    .map(|c| format!("`{}`", c.name()))
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            )),
                        );
                    }
                }
            }
            let known = catalogs
                .reference(key)
                .map(placeholders)
                .unwrap_or_default();
            for name in placeholders(value).difference(&known) {
                problems.push(
                    Diagnostic::warning(
                        "i18n-placeholder",
                        format!("`{key}` uses `{{{name}}}`, which the English text does not have"),
                    )
                    .at(locate(file, key, false))
                    .label("shown as written")
                    .help(if known.is_empty() {
                        "this text takes no placeholders".to_string()
                    } else {
                        format!(
                            "the placeholders are {}",
                            known
                                .iter()
                                .map(|k| format!("`{{{k}}}`"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        )
                    }),
                );
            }
        }
        for file in &files {
            for key in file.entries.keys() {
                if reference.contains(key.as_str()) {
                    continue;
                }
                if let Some(near) = did_you_mean(key, reference.iter().copied()) {
                    problems.push(
                        Diagnostic::warning(
                            "i18n-unknown",
                            format!("`{key}` is not one of the theme's interface strings"),
                        )
                        .at(locate(file, key, true))
                        .label("unknown key")
                        .help(format!("did you mean `{near}`?")),
                    );
                }
            }
        }
    }
    problems
}

/// Where `key` (`search.button`) is written in `file`: its key or its value, or the
/// file when the parser could not say.
fn locate(file: &Parsed, key: &str, at_key: bool) -> Location {
    let path: Vec<Step> = key.split('.').map(Step::key).collect();
    let found = if at_key {
        file.spans.key(&path)
    } else {
        file.spans.value(&path)
    };
    found.unwrap_or_else(|| Location::file(&file.source.path))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::SourceText;

    fn config(languages: &str) -> Config {
        crate::config::parse(SourceText::new(
            "almanac.yaml",
            format!("title: T\nbase_url: https://e.org/\nlanguage: en\nlanguages:\n{languages}"),
        ))
        .expect("a valid config")
    }

    /// The default theme's own files: every language complete, every counted
    /// phrase with the forms its rule needs, no placeholder English lacks.
    #[test]
    fn the_default_theme_s_languages_lack_nothing() {
        let (catalogs, problems) = Catalogs::parse(vec![crate::render::theme::default_strings()]);
        assert!(problems.is_empty(), "{problems:?}");
        let config = config("  en: {}\n  fr: {}\n  de: {}\n  nl: {}\n  es: {}\n  cy: {}\n");
        let found = strings(&catalogs, &config);
        assert!(found.is_empty(), "{found:#?}");
        let english = catalogs.reference_keys();
        for code in ["fr", "de", "nl", "es", "cy"] {
            let file = catalogs.files_for(code)[0];
            let extra: Vec<&String> = file
                .entries
                .keys()
                .filter(|k| !english.contains(k.as_str()))
                .collect();
            assert!(
                extra.is_empty(),
                "{code}.yaml has keys English lacks: {extra:?}"
            );
        }
    }

    #[test]
    fn a_language_without_any_file_is_said_once() {
        let (catalogs, _) = Catalogs::parse(vec![crate::render::theme::default_strings()]);
        let found = strings(&catalogs, &config("  en: {}\n  pl: {}\n"));
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(found[0].code, "i18n-missing");
        assert_eq!(
            found[0].location.as_deref().map(|l| l.path.clone()),
            Some(PathBuf::from("i18n/pl.yaml"))
        );
    }
}
