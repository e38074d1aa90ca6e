//! The languages a collection is published in, and texts of `almanac.yaml` given
//! per language (`label: { en: Transparency, fr: Transparence }`).

use std::collections::BTreeMap;

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
