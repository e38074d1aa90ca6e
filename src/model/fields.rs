//! Front-matter fields read with their types: each reader takes the YAML value of a
//! field and either gives the typed value or a diagnostic pointing at the field.

use crate::content::SourceFile;
use crate::diagnostics::{Diagnostic, Location};
use crate::model::date::PartialDate;
use crate::yaml;

/// Reads the fields of one file, collecting every problem instead of stopping at the first.
pub struct Fields<'a> {
    pub file: &'a SourceFile,
    /// The parsed front matter of `file`.
    pub map: &'a serde_yaml::Mapping,
    pub problems: Vec<Diagnostic>,
}

impl<'a> Fields<'a> {
    pub fn new(file: &'a SourceFile, map: &'a serde_yaml::Mapping) -> Fields<'a> {
        Fields {
            file,
            map,
            problems: Vec::new(),
        }
    }

    pub fn get(&self, key: &str) -> Option<&'a serde_yaml::Value> {
        self.map.get(key)
    }

    /// The whole `key: value` entry, for underlining a field.
    pub fn key_location(&self, key: &str) -> Location {
        yaml::locate_key_in(&self.file.source, self.file.front.clone(), key)
            .unwrap_or_else(|| self.start())
    }

    /// Where `needle` is written inside the entry of `key` (a term in a list, say).
    pub fn value_location(&self, key: &str, needle: &str) -> Location {
        yaml::field_range(&self.file.source, self.file.front.clone(), key)
            .and_then(|range| yaml::locate_value_in(&self.file.source, range, needle))
            .unwrap_or_else(|| self.key_location(key))
    }

    /// The opening `---` line, for problems about what is missing.
    pub fn start(&self) -> Location {
        Location::span(&self.file.source, 0..3)
    }

    fn wrong_type(&mut self, key: &str, expected: &str, value: &serde_yaml::Value) {
        let found = describe(value);
        let location = self.key_location(key);
        self.problems.push(
            Diagnostic::error(
                "field-type",
                format!("`{key}` must be {expected}, not {found}"),
            )
            .at(location)
            .label(format!("expected {expected}")),
        );
    }

    /// A text field. Numbers and booleans are taken as written (`title: 1984`).
    pub fn text(&mut self, key: &str) -> Option<String> {
        let value = self.get(key)?;
        match value {
            serde_yaml::Value::String(s) => Some(s.trim().to_string()),
            serde_yaml::Value::Number(_) | serde_yaml::Value::Bool(_) => {
                Some(yaml::scalar_text(value))
            }
            serde_yaml::Value::Null => None,
            other => {
                self.wrong_type(key, "text", other);
                None
            }
        }
    }

    /// A list of texts; a single text is a list of one.
    pub fn list(&mut self, key: &str) -> Vec<String> {
        let Some(value) = self.get(key) else {
            return Vec::new();
        };
        match value {
            serde_yaml::Value::Null => Vec::new(),
            serde_yaml::Value::Sequence(items) => {
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    match item {
                        serde_yaml::Value::String(_)
                        | serde_yaml::Value::Number(_)
                        | serde_yaml::Value::Bool(_) => {
                            let text = yaml::scalar_text(item);
                            if !text.trim().is_empty() {
                                out.push(text.trim().to_string());
                            }
                        }
                        serde_yaml::Value::Null => {}
                        other => {
                            self.wrong_type(key, "a list of texts", other);
                            return Vec::new();
                        }
                    }
                }
                out
            }
            serde_yaml::Value::String(_) | serde_yaml::Value::Number(_) => {
                let text = yaml::scalar_text(value);
                if text.trim().is_empty() {
                    Vec::new()
                } else {
                    vec![text.trim().to_string()]
                }
            }
            other => {
                self.wrong_type(key, "a list of texts", other);
                Vec::new()
            }
        }
    }

    pub fn bool(&mut self, key: &str) -> Option<bool> {
        match self.get(key)? {
            serde_yaml::Value::Bool(b) => Some(*b),
            serde_yaml::Value::Null => None,
            other => {
                self.wrong_type(key, "`true` or `false`", other);
                None
            }
        }
    }

    pub fn integer(&mut self, key: &str) -> Option<i64> {
        match self.get(key)? {
            serde_yaml::Value::Number(n) if n.as_i64().is_some() => n.as_i64(),
            serde_yaml::Value::Null => None,
            other => {
                self.wrong_type(key, "a whole number", other);
                None
            }
        }
    }

    pub fn positive(&mut self, key: &str) -> Option<usize> {
        let n = self.integer(key)?;
        if n < 1 {
            let location = self.key_location(key);
            self.problems.push(
                Diagnostic::error("field-type", format!("`{key}` must be at least 1"))
                    .at(location)
                    .label("expected a number of 1 or more"),
            );
            return None;
        }
        Some(n as usize)
    }

    /// A date written `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    pub fn date(&mut self, key: &str) -> Option<PartialDate> {
        let value = self.get(key)?;
        let text = match value {
            serde_yaml::Value::String(s) => s.clone(),
            serde_yaml::Value::Number(n) if n.as_u64().is_some() => n.to_string(),
            serde_yaml::Value::Null => return None,
            other => {
                self.wrong_type(key, "a date (YYYY, YYYY-MM or YYYY-MM-DD)", other);
                return None;
            }
        };
        match text.parse::<PartialDate>() {
            Ok(date) => Some(date),
            Err(error) => {
                let location = self.value_location(key, text.trim());
                self.problems.push(
                    Diagnostic::error("date", format!("`{key}`: {}", error.0))
                        .at(location)
                        .label("not a date")
                        .help("write the date as YYYY, YYYY-MM or YYYY-MM-DD, e.g. `2020-09`"),
                );
                None
            }
        }
    }

    /// An outbound address: http or https only, so no `javascript:` ever reaches a page.
    pub fn url(&mut self, key: &str) -> Option<String> {
        let text = self.text(key)?;
        if text.is_empty() {
            return None;
        }
        let lower = text.to_ascii_lowercase();
        let rest = lower
            .strip_prefix("https://")
            .or_else(|| lower.strip_prefix("http://"));
        let ok = rest.is_some_and(|r| {
            let host = r.split(['/', '?', '#']).next().unwrap_or("");
            !host.is_empty() && !text.chars().any(|c| c.is_whitespace() || c.is_control())
        });
        if ok {
            return Some(text);
        }
        let location = self.value_location(key, &text);
        self.problems.push(
            Diagnostic::error("url-scheme", format!("`{key}` must be an http or https address, not `{text}`"))
                .at(location)
                .label("not an http(s) address")
                .help("write the full address starting with https://, or leave the field empty (\"\") when it is not known"),
        );
        None
    }

    /// The free `extra` map, as JSON for templates.
    pub fn extra(&mut self) -> serde_json::Value {
        match self.get("extra") {
            None | Some(serde_yaml::Value::Null) => serde_json::Value::Object(Default::default()),
            Some(value @ serde_yaml::Value::Mapping(_)) => yaml::to_json(value),
            Some(other) => {
                self.wrong_type("extra", "a map of fields", other);
                serde_json::Value::Object(Default::default())
            }
        }
    }
}

/// A YAML value's kind in words, for "expected X, not Y" messages.
fn describe(value: &serde_yaml::Value) -> String {
    match value {
        serde_yaml::Value::Null => "nothing".into(),
        serde_yaml::Value::Bool(b) => format!("`{b}`"),
        serde_yaml::Value::Number(n) => format!("the number {n}"),
        serde_yaml::Value::String(s) => format!("the text `{s}`"),
        serde_yaml::Value::Sequence(_) => "a list".into(),
        serde_yaml::Value::Mapping(_) => "a map".into(),
        serde_yaml::Value::Tagged(_) => "a tagged value".into(),
    }
}
