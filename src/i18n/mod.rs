//! Interface strings per language: the theme's `i18n/<code>.yaml` files, overlaid
//! key by key by a theme folder's and the collection's, resolved for one language
//! with English beneath; and the plural rules, number and date formats they carry.
//! Read by `check` (missing strings) and `render` (templates, dates, charts).

pub mod plural;

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::diagnostics::{Diagnostic, Location, SourceText};
use crate::yaml::{self, Spans};
use plural::{Category, Rule};

/// The language every other falls back to, string by string.
pub const FALLBACK: &str = "en";

/// One file of strings, as read: its language (from the file name) and text.
#[derive(Debug, Clone)]
pub struct StringsFile {
    pub code: String,
    pub source: SourceText,
}

/// One file's strings by dotted key (`search.button`): a text, a counted phrase (a
/// map of plural forms), a list (month names) or a setting (a number, a flag).
#[derive(Debug, Clone)]
pub struct Parsed {
    pub code: String,
    pub source: SourceText,
    pub spans: Spans,
    pub entries: BTreeMap<String, Value>,
}

/// Every layer's files, the lowest (the default theme's) first.
#[derive(Debug, Clone, Default)]
pub struct Catalogs {
    layers: Vec<Vec<Parsed>>,
}

impl Catalogs {
    /// Parses each layer's files; a file that is not YAML or not a map is an error,
    /// located, and left out.
    pub fn parse(layers: Vec<Vec<StringsFile>>) -> (Catalogs, Vec<Diagnostic>) {
        let mut problems = Vec::new();
        let layers = layers
            .into_iter()
            .map(|files| {
                files
                    .into_iter()
                    .filter_map(|file| match parse_file(file) {
                        Ok(parsed) => Some(parsed),
                        Err(problem) => {
                            problems.push(problem);
                            None
                        }
                    })
                    .collect()
            })
            .collect();
        (Catalogs { layers }, problems)
    }

    /// The files that speak for `code`, the one that wins first: the collection's
    /// `fr-CA`, the theme's `fr-CA`, …, then the same for `fr`.
    pub fn files_for(&self, code: &str) -> Vec<&Parsed> {
        let mut files = Vec::new();
        for wanted in lookup_codes(code) {
            for layer in self.layers.iter().rev() {
                files.extend(
                    layer
                        .iter()
                        .filter(|f| f.code.eq_ignore_ascii_case(&wanted)),
                );
            }
        }
        files
    }

    /// Every key of the English strings, over all layers: what every language needs.
    pub fn reference_keys(&self) -> BTreeSet<&str> {
        self.files_for(FALLBACK)
            .into_iter()
            .flat_map(|f| f.entries.keys().map(String::as_str))
            .collect()
    }

    /// The English value of `key`, as the layers resolve it.
    pub fn reference(&self, key: &str) -> Option<&Value> {
        self.files_for(FALLBACK)
            .into_iter()
            .find_map(|f| f.entries.get(key))
    }

    /// The strings of `code`: its own where its files have them, English's for the rest.
    pub fn resolve(&self, code: &str) -> Strings {
        let mut entries: BTreeMap<String, Value> = BTreeMap::new();
        let own = self.files_for(code);
        let english = self.files_for(FALLBACK);
        // The lowest-priority file first, so that each later one overrides it.
        for file in english.iter().rev().chain(own.iter().rev()) {
            for (key, value) in &file.entries {
                entries.insert(key.clone(), value.clone());
            }
        }
        Strings::new(code, entries)
    }
}

/// The codes whose files speak for `code`: itself, then its primary subtag (`fr`
/// for `fr-CA`).
fn lookup_codes(code: &str) -> Vec<String> {
    let mut codes = vec![code.to_string()];
    if let Some((primary, _)) = code.split_once('-') {
        codes.push(primary.to_string());
    }
    codes
}

fn parse_file(file: StringsFile) -> Result<Parsed, Diagnostic> {
    let StringsFile { code, source } = file;
    let text = source.text.clone();
    let document: serde_yaml::Value = match serde_yaml::from_str(&text) {
        Ok(value) => value,
        Err(error) => return Err(yaml::error_diagnostic(&source, 0..text.len(), &error, &[])),
    };
    let spans = Spans::parse(&source, 0..text.len()).unwrap_or_else(|| Spans::empty(&source));
    let mut entries = BTreeMap::new();
    match &document {
        serde_yaml::Value::Mapping(map) => flatten("", map, &mut entries),
        // An empty file: no strings of its own.
        serde_yaml::Value::Null => {}
        _ => {
            return Err(Diagnostic::error(
                "i18n",
                "a file of interface strings must be a map of keys to texts",
            )
            .at(Location::span(&source, 0..text.len().min(1)))
            .help("write `key: text` lines, grouped under headings such as `search:`"));
        }
    }
    Ok(Parsed {
        code,
        source,
        spans,
        entries,
    })
}

/// Nested maps become dotted keys; a map of plural forms, a list, a text, a number or
/// a flag is one value. An empty value is left out (and so counts as missing).
fn flatten(prefix: &str, map: &serde_yaml::Mapping, entries: &mut BTreeMap<String, Value>) {
    for (key, value) in map {
        let key = match prefix {
            "" => yaml::scalar_text(key),
            _ => format!("{prefix}.{}", yaml::scalar_text(key)),
        };
        match value {
            serde_yaml::Value::Null => {}
            serde_yaml::Value::Mapping(inner) if !is_plural(inner) => flatten(&key, inner, entries),
            other => {
                entries.insert(key, yaml::to_json(other));
            }
        }
    }
}

/// Whether a map is a counted phrase's forms: `other` and plural categories only.
fn is_plural(map: &serde_yaml::Mapping) -> bool {
    let names: Vec<String> = map.keys().map(yaml::scalar_text).collect();
    names.iter().any(|n| n == "other") && names.iter().all(|n| Category::from_name(n).is_some())
}

/// A value given to a message's placeholder.
#[derive(Debug, Clone)]
pub enum Arg<'a> {
    Text(Cow<'a, str>),
    /// A count: written in the language's number format, and (named `count`) it
    /// picks the plural form.
    Count(u64),
}

/// A piece of a message: text as it is, or a placeholder's name (`{count}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Piece<'a> {
    Literal(&'a str),
    Name(&'a str),
}

/// A message cut at its placeholders: `{name}` with a name of lowercase letters,
/// digits and `_`; any other brace is text.
pub fn pieces(message: &str) -> Vec<Piece<'_>> {
    let mut pieces = Vec::new();
    let mut rest = message;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let name_len = after
            .find(|c: char| !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'))
            .unwrap_or(after.len());
        if name_len > 0 && after[name_len..].starts_with('}') {
            if open > 0 {
                pieces.push(Piece::Literal(&rest[..open]));
            }
            pieces.push(Piece::Name(&after[..name_len]));
            rest = &after[name_len + 1..];
        } else {
            pieces.push(Piece::Literal(&rest[..=open]));
            rest = after;
        }
    }
    if !rest.is_empty() {
        pieces.push(Piece::Literal(rest));
    }
    pieces
}

/// The placeholders of every form of a message.
pub fn placeholders(message: &Value) -> BTreeSet<String> {
    let texts: Vec<&str> = match message {
        Value::String(text) => vec![text.as_str()],
        Value::Object(forms) => forms.values().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    texts
        .into_iter()
        .flat_map(pieces)
        .filter_map(|p| match p {
            Piece::Name(name) => Some(name.to_string()),
            Piece::Literal(_) => None,
        })
        .collect()
}

/// How a language writes whole numbers: a separator between groups of three digits,
/// used from `minimum_grouping` + 3 digits on (Spanish writes 1000 but 10.000).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NumberFormat {
    pub group: String,
    pub minimum_grouping: usize,
}

impl NumberFormat {
    pub fn format(&self, n: u64) -> String {
        let digits = n.to_string();
        if digits.len() < 3 + self.minimum_grouping.max(1) {
            return digits;
        }
        let mut out = String::with_capacity(digits.len() + digits.len() / 3 * self.group.len());
        for (i, digit) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push_str(&self.group);
            }
            out.push(digit);
        }
        out
    }
}

/// How a language writes a date known to the day, the month or the year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateFormat {
    /// January to December.
    pub months: Vec<String>,
    /// With `{day}`, `{month}` and `{year}`: `{day} {month} {year}`.
    pub day: String,
    /// With `{month}` and `{year}`.
    pub month: String,
    /// How the first day of a month is written (`1er` in French).
    pub first_of_month: String,
}

impl DateFormat {
    pub fn format(&self, year: i32, month: Option<u8>, day: Option<u8>) -> String {
        let Some(name) = month.and_then(|m| self.months.get(usize::from(m).checked_sub(1)?)) else {
            return year.to_string();
        };
        let day = day.map(|d| match d {
            1 => self.first_of_month.clone(),
            d => d.to_string(),
        });
        let pattern = if day.is_some() {
            &self.day
        } else {
            &self.month
        };
        substitute(pattern, |name_of| match name_of {
            "day" => day.clone(),
            "month" => Some(name.clone()),
            "year" => Some(year.to_string()),
            _ => None,
        })
    }
}

/// `message` with each placeholder replaced by what `value` gives for its name; a
/// name it gives nothing for is left as written, so the mistake shows.
pub fn substitute(message: &str, value: impl Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(message.len() + 16);
    for piece in pieces(message) {
        match piece {
            Piece::Literal(text) => out.push_str(text),
            Piece::Name(name) => match value(name) {
                Some(v) => out.push_str(&v),
                None => {
                    out.push('{');
                    out.push_str(name);
                    out.push('}');
                }
            },
        }
    }
    out
}

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
