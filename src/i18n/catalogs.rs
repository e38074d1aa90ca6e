//! Loading strings: each `i18n/<code>.yaml` file parsed into dotted keys, and the
//! layers (theme, theme folder, collection) overlaid for one language.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::plural::Category;
use super::{FALLBACK, Strings};
use crate::diagnostics::{Diagnostic, Location, SourceText};
use crate::yaml::{self, Spans};

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
        serde_yaml::Value::Mapping(map) => {
            // Interface strings are put in every page, as they are.
            if let Some(problem) = yaml::escaped_control(&source, 0..text.len(), map) {
                return Err(problem);
            }
            flatten("", map, &mut entries)
        }
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
