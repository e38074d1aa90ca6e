//! The languages a collection is published in, and texts of `almanac.yaml` given
//! per language (`label: { en: Transparency, fr: Transparence }`).

use std::collections::BTreeMap;

use super::iso639;
use super::raw::{self, RawConfig, RawText};
use crate::diagnostics::{Diagnostic, Location, did_you_mean};
use crate::yaml::{Spans, Step};

/// One language of the collection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Language {
    /// The BCP 47 tag as declared (`en`, `fr`, `pt-BR`).
    pub code: String,
    /// The language's name in itself (`Français`), for the language switcher.
    pub name: String,
    pub direction: Direction,
}

impl Language {
    /// The folder its pages are published under (`fr/`); the tag in lowercase.
    pub fn segment(&self) -> String {
        self.code.to_ascii_lowercase()
    }
}

/// Which way a language's text runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Ltr,
    Rtl,
}

impl Direction {
    /// As HTML's `dir` attribute writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Ltr => "ltr",
            Direction::Rtl => "rtl",
        }
    }
}

/// A text in the default language, and in other languages where one is given.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Localized {
    pub default: String,
    /// By language code.
    pub others: BTreeMap<String, String>,
}

impl Localized {
    pub fn plain(text: String) -> Localized {
        Localized {
            default: text,
            others: BTreeMap::new(),
        }
    }

    /// The text in `language`, or in the default language when it has none.
    pub fn get(&self, language: &str) -> &str {
        self.others
            .get(language)
            .map_or(self.default.as_str(), String::as_str)
    }
}

/// Whether `code` is a language tag: a primary subtag of 2 or 3 ASCII letters, then
/// subtags of 1 to 8 letters or digits (`en`, `cy`, `pt-BR`, `zh-Hant`).
pub fn is_language_code(code: &str) -> bool {
    let mut parts = code.split('-');
    let primary = parts.next().unwrap_or("");
    (2..=3).contains(&primary.len())
        && primary.chars().all(|c| c.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// The direction of a language's script, from its primary subtag.
pub fn direction_of(code: &str) -> Direction {
    let primary = code.split('-').next().unwrap_or("").to_ascii_lowercase();
    const RIGHT_TO_LEFT: [&str; 10] = ["ar", "dv", "fa", "he", "ks", "ps", "sd", "ug", "ur", "yi"];
    if RIGHT_TO_LEFT.contains(&primary.as_str()) || code.contains("-Arab") || code.contains("-Hebr")
    {
        Direction::Rtl
    } else {
        Direction::Ltr
    }
}

/// The names of common languages in themselves, for languages declared without one.
pub fn known_name(code: &str) -> Option<&'static str> {
    let primary = code.split('-').next().unwrap_or("").to_ascii_lowercase();
    Some(match primary.as_str() {
        "ar" => "العربية",
        "ca" => "Català",
        "cs" => "Čeština",
        "cy" => "Cymraeg",
        "da" => "Dansk",
        "de" => "Deutsch",
        "el" => "Ελληνικά",
        "en" => "English",
        "es" => "Español",
        "et" => "Eesti",
        "eu" => "Euskara",
        "fi" => "Suomi",
        "fr" => "Français",
        "ga" => "Gaeilge",
        "gd" => "Gàidhlig",
        "he" => "עברית",
        "hu" => "Magyar",
        "it" => "Italiano",
        "lt" => "Lietuvių",
        "lv" => "Latviešu",
        "mt" => "Malti",
        "nb" => "Norsk bokmål",
        "nl" => "Nederlands",
        "nn" => "Norsk nynorsk",
        "pl" => "Polski",
        "pt" => "Português",
        "ro" => "Română",
        "sk" => "Slovenčina",
        "sl" => "Slovenščina",
        "sv" => "Svenska",
        "tr" => "Türkçe",
        "uk" => "Українська",
        _ => return None,
    })
}

/// A text of `almanac.yaml` given once or per language: per language, it may name the
/// collection's languages only.
pub(super) fn read_localized(
    raw: Option<RawText>,
    path: &[Step],
    fallback: String,
    (languages, spans): (&[Language], &Spans),
    problems: &mut Vec<Diagnostic>,
) -> Localized {
    let map = match raw {
        None => return Localized::plain(fallback),
        Some(RawText::One(text)) => return Localized::plain(text),
        Some(RawText::PerLanguage(map)) => map,
    };
    let mut text = Localized::plain(fallback);
    for (code, value) in map {
        if code == languages[0].code {
            text.default = value;
        } else if languages.iter().any(|l| l.code == code) {
            text.others.insert(code, value);
        } else {
            let mut at_key = path.to_vec();
            at_key.push(Step::key(&code));
            problems.push(
                Diagnostic::error(
                    "config",
                    format!("`{code}` is not one of the collection's languages"),
                )
                .at(spans
                    .key(&at_key)
                    .unwrap_or_else(|| Location::span(spans.source(), 0..0)))
                .label("not declared in `languages`")
                .maybe_help(
                    did_you_mean(&code, languages.iter().map(|l| l.code.as_str()))
                        .map(|s| format!("did you mean `{s}`?")),
                ),
            );
        }
    }
    text
}

/// The default language (`language`, `en` when not given) first, then the others
/// of `languages` in the order written.
pub(super) fn read_languages(
    raw: &RawConfig,
    spans: &Spans,
    problems: &mut Vec<Diagnostic>,
) -> Vec<Language> {
    let key = Step::key;
    let default = raw.language.clone().unwrap_or_else(|| "en".to_string());
    let declared = raw.languages.as_ref();
    let mut languages = Vec::new();
    let mut read = |code: &str, path: &[Step], problems: &mut Vec<Diagnostic>| match language(
        code,
        declared.and_then(|map| map.get(code)),
        path,
        spans,
    ) {
        Ok(language) => languages.push(language),
        Err(mut found) => problems.append(&mut found),
    };
    let default_path = if declared.is_some() {
        vec![key("languages"), key(&default)]
    } else {
        vec![key("language")]
    };
    read(&default, &default_path, problems);
    if let Some(map) = declared {
        if !map.contains_key(&default) {
            problems.push(
                Diagnostic::error(
                    "config",
                    format!("`languages` does not list the default language `{default}`"),
                )
                .at(locate(spans, &[key("languages")]))
                .help(format!(
                    "add `{default}: {{ name: … }}` to `languages`, or change `language`"
                )),
            );
        }
        let mut segments = vec![default.to_ascii_lowercase()];
        for code in map.keys().filter(|code| **code != default) {
            let path = [key("languages"), key(code)];
            if segments.contains(&code.to_ascii_lowercase()) {
                problems.push(
                    Diagnostic::error("config", format!("the language `{code}` is declared twice"))
                        .at(locate(spans, &path)),
                );
                continue;
            }
            segments.push(code.to_ascii_lowercase());
            read(code, &path, problems);
        }
    }
    if languages.is_empty() {
        // The default's tag was refused; go on with English to report the rest.
        languages.push(Language {
            code: "en".into(),
            name: "English".into(),
            direction: Direction::Ltr,
        });
    }
    languages
}

/// One declared language, its name and direction filled in where not given.
fn language(
    code: &str,
    raw: Option<&raw::RawLanguage>,
    path: &[Step],
    spans: &Spans,
) -> Result<Language, Vec<Diagnostic>> {
    if !is_language_code(code) {
        return Err(vec![
            Diagnostic::error("config", format!("`{code}` is not a language tag"))
                .at(locate(spans, path))
                .label("expected a BCP 47 tag")
                .help("write a tag such as `en`, `fr`, `cy` or `pt-BR`"),
        ]);
    }
    let mut problems = Vec::new();
    // The catalogue names each language by its ISO 639 code (`catalog.ttl`); a
    // two-letter code ISO 639-1 does not have names no language.
    if iso639::eu_code(code).is_none() {
        let primary = code.split('-').next().unwrap_or(code);
        problems.push(
            Diagnostic::error(
                "config",
                format!("`{primary}` is not a language code of ISO 639"),
            )
            .at(locate(spans, path))
            .label("not an ISO 639 code")
            .help(
                "write the language's two-letter ISO 639-1 code, or its three-letter ISO 639-3 one",
            ),
        );
    }
    let name = raw
        .and_then(|r| r.name.clone())
        .or_else(|| known_name(code).map(str::to_string))
        .unwrap_or_else(|| {
            problems.push(
                Diagnostic::error("config", format!("the language `{code}` needs a `name`"))
                    .at(locate(spans, path))
                    .help(format!(
                        "write its name in itself, e.g. `{code}: {{ name: … }}`"
                    )),
            );
            code.to_string()
        });
    let direction = match raw.and_then(|r| r.direction.as_deref()) {
        None => direction_of(code),
        Some("ltr") => Direction::Ltr,
        Some("rtl") => Direction::Rtl,
        Some(other) => {
            problems.push(
                Diagnostic::error("config", format!("`direction` cannot be `{other}`"))
                    .at(locate(spans, &[path, &[Step::key("direction")]].concat()))
                    .label("expected `ltr` or `rtl`"),
            );
            direction_of(code)
        }
    };
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(Language {
        code: code.to_string(),
        name,
        direction,
    })
}

/// Where a key is written, or its value, or the top of the file.
fn locate(spans: &Spans, path: &[Step]) -> Location {
    spans
        .key(path)
        .or_else(|| spans.value(path))
        .unwrap_or_else(|| Location::span(spans.source(), 0..0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_tags_and_their_direction() {
        for good in ["en", "cy", "fr", "pt-BR", "zh-Hant", "es-419"] {
            assert!(is_language_code(good), "{good}");
        }
        for bad in ["", "e", "english", "en_GB", "fr-", "de/x", "../x"] {
            assert!(!is_language_code(bad), "{bad}");
        }
        assert_eq!(direction_of("ar"), Direction::Rtl);
        assert_eq!(direction_of("he-IL"), Direction::Rtl);
        assert_eq!(direction_of("fr"), Direction::Ltr);
        assert_eq!(known_name("cy"), Some("Cymraeg"));
    }

    #[test]
    fn a_text_falls_back_to_the_default_language() {
        let mut text = Localized::plain("Transparency".into());
        text.others.insert("fr".into(), "Transparence".into());
        assert_eq!(text.get("fr"), "Transparence");
        assert_eq!(text.get("de"), "Transparency");
    }
}
