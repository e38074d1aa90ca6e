//! Front-matter fields read with their types: each reader takes the YAML value of a
//! field and either gives the typed value or a diagnostic pointing at the field.

use std::cell::OnceCell;

use crate::content::SourceFile;
use crate::diagnostics::{Diagnostic, Location};
use crate::model::date::PartialDate;
use crate::yaml::{self, Spans, Step};

/// Reads the fields of one file, collecting every problem instead of stopping at the first.
pub struct Fields<'a> {
    pub file: &'a SourceFile,
    /// The parsed front matter of `file`.
    pub map: &'a serde_yaml::Mapping,
    pub problems: Vec<Diagnostic>,
    /// Where the fields are written, parsed on the first problem (most files have none).
    spans: OnceCell<Spans>,
}

impl<'a> Fields<'a> {
    pub fn new(file: &'a SourceFile, map: &'a serde_yaml::Mapping) -> Fields<'a> {
        Fields {
            file,
            map,
            problems: Vec::new(),
            spans: OnceCell::new(),
        }
    }

    pub fn get(&self, key: &str) -> Option<&'a serde_yaml::Value> {
        self.map.get(key)
    }

    fn spans(&self) -> &Spans {
        self.spans.get_or_init(|| self.file.spans())
    }

    /// The key of a field, for underlining the field (the opening line if it is absent).
    pub fn key_location(&self, key: &str) -> Location {
        key_location(self.file, self.spans(), key)
    }

    /// Where `needle` is written in the value of `key` (a term in a list, say).
    pub fn value_location(&self, key: &str, needle: &str) -> Location {
        value_location(self.file, self.spans(), key, needle)
    }

    /// The key at a nested `path` (`proposed`, `from`), else as [`Self::path_location`].
    pub fn path_key_location(&self, path: &[Step]) -> Location {
        self.spans()
            .key(path)
            .unwrap_or_else(|| self.path_location(path))
    }

    /// The value at a nested `path` (`changes`, item 2, `date`); the first key of the
    /// path when it is not written.
    pub fn path_location(&self, path: &[Step]) -> Location {
        self.spans()
            .value(path)
            .or_else(|| self.spans().key(path))
            .unwrap_or_else(|| match path.first() {
                Some(Step::Key(key)) => self.key_location(key),
                _ => self.start(),
            })
    }

    /// The opening `---` line, for problems about what is missing.
    pub fn start(&self) -> Location {
        start(self.file)
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

    /// A date written inside the field `key` at `path` (a change note's `date`),
    /// reported there when it is not one.
    pub fn nested_date(&mut self, key: &str, path: &[Step], text: &str) -> Option<PartialDate> {
        match text.parse::<PartialDate>() {
            Ok(date) => Some(date),
            Err(error) => {
                let location = self.path_location(path);
                self.problems.push(
                    Diagnostic::error("date", format!("`{key}`: {}", error.0))
                        .at(location)
                        .label("not a date")
                        .help("write the date as YYYY-MM-DD, e.g. `2026-03-03`"),
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
        if crate::paths::is_web_address(&text) {
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

/// Where `needle` is written in the value of `key` in `file`, for a problem found once
/// every file is read (a `related` path to nothing, a term outside the vocabulary).
pub fn locate_value(file: &SourceFile, key: &str, needle: &str) -> Location {
    value_location(file, &file.spans(), key, needle)
}

fn start(file: &SourceFile) -> Location {
    Location::span(&file.source, 0..3)
}

fn key_location(file: &SourceFile, spans: &Spans, key: &str) -> Location {
    spans.key(&[Step::key(key)]).unwrap_or_else(|| start(file))
}

/// The item, nested value or scalar of `key` that reads `needle`; the key when none
/// does (a number written `1.50` is read as `1.5`).
fn value_location(file: &SourceFile, spans: &Spans, key: &str, needle: &str) -> Location {
    let needle = needle.trim();
    spans
        .find(&[Step::key(key)], |text| text.trim() == needle)
        .unwrap_or_else(|| key_location(file, spans, key))
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::SourceText;

    fn file(front: &str) -> SourceFile {
        let text = format!("---\n{front}---\nBody\n");
        crate::content::parse_markdown(
            "guidance/a.md",
            SourceText::new("content/guidance/a.md", text),
        )
        .expect("front matter")
    }

    /// Start line and column, end line and column.
    type Place = (usize, usize, usize, usize);

    fn place(location: &Location) -> Place {
        let (end_line, end_column) = location.end().expect("a span");
        (location.line, location.column, end_line, end_column)
    }

    /// Runs `read` over the fields of `front` and gives the problems as (code, place).
    fn problems(front: &str, read: impl FnOnce(&mut Fields)) -> Vec<(&'static str, Place)> {
        let file = file(front);
        let map = file.fields().expect("valid YAML");
        let mut f = Fields::new(&file, &map);
        read(&mut f);
        f.problems
            .iter()
            .map(|d| (d.code, place(d.location.as_deref().expect("located"))))
            .collect()
    }

    #[test]
    fn a_list_where_text_is_expected_is_shown_at_its_key() {
        let found = problems("title: [A, B]\nsummary: x\n", |f| {
            f.text("title");
        });
        assert_eq!(found, [("field-type", (2, 1, 2, 6))]);
    }

    #[test]
    fn a_scalar_where_a_list_is_expected_is_shown_at_its_key() {
        let found = problems("title: A\nauthors: true\n", |f| {
            f.list("authors");
        });
        assert_eq!(found, [("field-type", (3, 1, 3, 8))]);
        // A single text is a list of one, so it is not a problem.
        assert!(problems("authors: Ada\n", |f| assert_eq!(f.list("authors"), ["Ada"])).is_empty());
    }

    #[test]
    fn a_bad_date_is_shown_at_its_value() {
        let found = problems(
            "title: A\n# published: spring\npublished: last spring\n",
            |f| {
                f.date("published");
            },
        );
        assert_eq!(found, [("date", (4, 12, 4, 23))]);
    }

    #[test]
    fn an_address_that_is_not_http_is_shown_with_its_quotes() {
        let found = problems(
            "summary: javascript:alert(1)\nurl: \"javascript:alert(1)\"\n",
            |f| {
                f.url("url");
            },
        );
        assert_eq!(found, [("url-scheme", (3, 6, 3, 27))]);
    }

    #[test]
    fn a_list_item_is_found_in_block_and_flow_lists_and_single_scalars() {
        let file = file(
            "title: fairness\nprinciples:\n  - privacy\n  - fairness\ntopics: [privacy, fairness]\ntype: fairness\n",
        );
        let map = file.fields().expect("valid YAML");
        let f = Fields::new(&file, &map);
        assert_eq!(
            place(&f.value_location("principles", "fairness")),
            (5, 5, 5, 13)
        );
        assert_eq!(
            place(&f.value_location("topics", "fairness")),
            (6, 19, 6, 27)
        );
        assert_eq!(place(&f.value_location("type", "fairness")), (7, 7, 7, 15));
        // Text that is not there falls back to the key, then to the opening line.
        assert_eq!(place(&f.value_location("topics", "safety")), (6, 1, 6, 7));
        assert_eq!(place(&f.value_location("audience", "x")), (1, 1, 1, 4));
        assert_eq!(
            place(&locate_value(&file, "principles", "fairness")),
            (5, 5, 5, 13)
        );
    }
}
