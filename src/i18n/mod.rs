//! Interface strings per language: the theme's `i18n/<code>.yaml` files, overlaid
//! key by key by a theme folder's and the collection's, resolved for one language
//! with English beneath; and the plural rules, number and date formats they carry.
//! Read by `check` (missing strings) and `render` (templates, dates, charts).

mod catalogs;
mod format;
pub mod plural;

use std::collections::BTreeMap;

use serde_json::Value;

pub use catalogs::{Catalogs, Parsed, StringsFile};
pub use format::{Arg, DateFormat, NumberFormat, Piece, pieces, placeholders, substitute};
use plural::{Category, Rule};

/// The language every other falls back to, string by string.
pub const FALLBACK: &str = "en";

/// One language's interface strings, resolved, with its formats.
#[derive(Debug, Clone)]
pub struct Strings {
    pub code: String,
    entries: BTreeMap<String, Value>,
    pub plural: Rule,
    pub number: NumberFormat,
    pub date: DateFormat,
    /// Whether taxonomy labels are lowercased inside a sentence (`Resources by
    /// type`); German keeps its capitals.
    pub lowercase_labels: bool,
}

impl Strings {
    fn new(code: &str, entries: BTreeMap<String, Value>) -> Strings {
        let text = |key: &str, default: &str| {
            entries
                .get(key)
                .and_then(Value::as_str)
                .unwrap_or(default)
                .to_string()
        };
        let months: Vec<String> = entries
            .get("date.months")
            .and_then(Value::as_array)
            .map(|list| {
                list.iter()
                    .filter_map(|m| m.as_str().map(str::to_string))
                    .collect()
            })
            .filter(|list: &Vec<String>| list.len() == 12)
            .unwrap_or_else(|| ENGLISH_MONTHS.iter().map(|m| m.to_string()).collect());
        let date = DateFormat {
            months,
            day: text("date.day", "{day} {month} {year}"),
            month: text("date.month", "{month} {year}"),
            first_of_month: text("date.first_of_month", "1"),
        };
        let number = NumberFormat {
            group: text("number.group", ","),
            minimum_grouping: entries
                .get("number.minimum_grouping")
                .and_then(Value::as_u64)
                .map_or(1, |n| n as usize),
        };
        let lowercase_labels = entries
            .get("style.lowercase_labels")
            .and_then(Value::as_bool)
            .unwrap_or(true);
        Strings {
            code: code.to_string(),
            plural: Rule::of(code),
            number,
            date,
            lowercase_labels,
            entries,
        }
    }

    /// The value at `key`, as resolved.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.entries.get(key)
    }

    /// The text of `key` with `args` in its placeholders; a counted phrase takes the
    /// form for the argument named `count`. A key nothing has gives the key itself.
    pub fn fill(&self, key: &str, args: &[(&str, Arg)]) -> String {
        match self.entries.get(key) {
            Some(message) => self.fill_message(message, args),
            None => key.to_string(),
        }
    }

    /// A text without placeholders.
    pub fn text(&self, key: &str) -> String {
        self.fill(key, &[])
    }

    /// The form of `message` for `count` (the text itself when it has no forms).
    pub fn form<'m>(&self, message: &'m Value, count: Option<u64>) -> &'m str {
        match message {
            Value::String(text) => text,
            Value::Object(forms) => {
                let category = count.map_or(Category::Other, |n| self.plural.category(n));
                forms
                    .get(category.name())
                    .or_else(|| forms.get("other"))
                    .and_then(Value::as_str)
                    .unwrap_or("")
            }
            _ => "",
        }
    }

    pub fn fill_message(&self, message: &Value, args: &[(&str, Arg)]) -> String {
        let count = args.iter().find_map(|(name, arg)| match (name, arg) {
            (&"count", Arg::Count(n)) => Some(*n),
            _ => None,
        });
        substitute(self.form(message, count), |name| {
            args.iter()
                .find(|(n, _)| *n == name)
                .map(|(_, arg)| match arg {
                    Arg::Text(text) => text.to_string(),
                    Arg::Count(n) => self.number.format(*n),
                })
        })
    }

    /// A date in words: `1 September 2020`, `septembre 2020`, `2020`.
    pub fn date(&self, year: i32, month: Option<u8>, day: Option<u8>) -> String {
        self.date.format(year, month, day)
    }

    /// A label as it reads inside a sentence.
    pub fn in_text(&self, label: &str) -> String {
        if self.lowercase_labels {
            label.to_lowercase()
        } else {
            label.to_string()
        }
    }

    /// The name of a language in this language (`languages.<code>`, by primary
    /// subtag), if the strings have one.
    pub fn language_name(&self, code: &str) -> Option<&str> {
        let primary = code.split('-').next().unwrap_or(code).to_ascii_lowercase();
        self.entries
            .get(&format!("languages.{primary}"))
            .and_then(Value::as_str)
    }

    /// The strings as nested maps, for templates (`t.search.button`).
    pub fn tree(&self) -> Value {
        let mut root = serde_json::Map::new();
        for (key, value) in &self.entries {
            let mut node = &mut root;
            let mut parts = key.split('.').peekable();
            while let Some(part) = parts.next() {
                if parts.peek().is_none() {
                    node.insert(part.to_string(), value.clone());
                    break;
                }
                let next = node
                    .entry(part.to_string())
                    .or_insert_with(|| Value::Object(serde_json::Map::new()));
                // A key that is a text in one file and a group in another: the text stays.
                match next {
                    Value::Object(map) => node = map,
                    _ => break,
                }
            }
        }
        Value::Object(root)
    }
}

const ENGLISH_MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::SourceText;

    fn catalogs(layers: &[&[(&str, &str)]]) -> Catalogs {
        let layers = layers
            .iter()
            .enumerate()
            .map(|(i, files)| {
                files
                    .iter()
                    .map(|(code, text)| StringsFile {
                        code: code.to_string(),
                        source: SourceText::new(format!("layer{i}/{code}.yaml"), *text),
                    })
                    .collect()
            })
            .collect();
        let (catalogs, problems) = Catalogs::parse(layers);
        assert!(problems.is_empty(), "{problems:?}");
        catalogs
    }

    #[test]
    fn a_language_falls_back_to_english_key_by_key_and_layers_override() {
        let c = catalogs(&[
            &[
                (
                    "en",
                    "search:\n  button: Search\n  label: Search the collection\nhome: Home\n",
                ),
                ("fr", "search:\n  button: Rechercher\n"),
            ],
            &[("fr", "home: Accueil\n"), ("en", "home: Start\n")],
        ]);
        let fr = c.resolve("fr");
        assert_eq!(fr.text("search.button"), "Rechercher");
        assert_eq!(fr.text("search.label"), "Search the collection");
        assert_eq!(fr.text("home"), "Accueil");
        assert_eq!(c.resolve("en").text("home"), "Start");
        // A regional tag takes its language's file, then English.
        assert_eq!(c.resolve("fr-CA").text("search.button"), "Rechercher");
        assert_eq!(c.resolve("de").text("home"), "Start");
        assert_eq!(
            fr.tree()["search"]["button"],
            Value::String("Rechercher".into())
        );
    }

    #[test]
    fn counted_phrases_take_the_language_s_form_and_number_format() {
        let c = catalogs(&[&[
            (
                "en",
                "n:\n  one: \"{count} resource\"\n  other: \"{count} resources\"\n",
            ),
            (
                "fr",
                "number: { group: \"\u{202f}\" }\nn:\n  one: \"{count} ressource\"\n  other: \"{count} ressources\"\n",
            ),
            (
                "es",
                "number: { group: \".\", minimum_grouping: 2 }\nn:\n  one: \"{count} recurso\"\n  other: \"{count} recursos\"\n",
            ),
        ]]);
        let count = |code: &str, n| c.resolve(code).fill("n", &[("count", Arg::Count(n))]);
        assert_eq!(count("en", 1), "1 resource");
        assert_eq!(count("en", 10_000), "10,000 resources");
        assert_eq!(count("fr", 0), "0 ressource");
        assert_eq!(count("fr", 10_000), "10\u{202f}000 ressources");
        assert_eq!(count("es", 1000), "1000 recursos");
        assert_eq!(count("es", 10_000), "10.000 recursos");
        // Spanish has a `many` form; without it, `other` is used.
        assert_eq!(count("es", 1_000_000), "1.000.000 recursos");
    }

    #[test]
    fn dates_follow_the_language_s_pattern() {
        let c = catalogs(&[&[(
            "fr",
            "date:\n  months: [janvier, février, mars, avril, mai, juin, juillet, août, septembre, octobre, novembre, décembre]\n  first_of_month: 1er\n",
        )]]);
        let fr = c.resolve("fr");
        assert_eq!(fr.date(2020, Some(9), Some(1)), "1er septembre 2020");
        assert_eq!(fr.date(2020, Some(9), Some(12)), "12 septembre 2020");
        assert_eq!(fr.date(2020, Some(2), None), "février 2020");
        assert_eq!(fr.date(2020, None, None), "2020");
        assert_eq!(
            c.resolve("en").date(2020, Some(9), Some(1)),
            "1 September 2020"
        );
    }

    #[test]
    fn placeholders_are_lowercase_names_in_braces() {
        assert_eq!(
            pieces("Page {current} of {total}"),
            [
                Piece::Literal("Page "),
                Piece::Name("current"),
                Piece::Literal(" of "),
                Piece::Name("total")
            ]
        );
        assert_eq!(
            substitute("{a} {B} {} {a", |n| (n == "a").then(|| "x".into())),
            "x {B} {} {a"
        );
        assert_eq!(
            substitute("{missing}", |_| None),
            "{missing}",
            "an unknown name shows"
        );
    }
}
