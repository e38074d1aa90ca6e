//! YAML helpers shared by `config` and `content`: where each key and value is written
//! (`Spans`), serde_yaml errors as located diagnostics, and YAML values as JSON for
//! templates.

mod spans;

use std::ops::Range;

use crate::diagnostics::{Diagnostic, Location, SourceText, did_you_mean};

pub use spans::{Spans, Step};

/// A serde_yaml error as diagnostics: every repeated key when keys repeat (serde_yaml
/// stops at the first, and at the first declaration), otherwise the error at the
/// parser's mark. `document` is where the YAML is in `source` (front matter is part of
/// a file).
pub fn error_diagnostics(
    source: &SourceText,
    document: Range<usize>,
    error: &serde_yaml::Error,
    known_keys: &[&str],
) -> Vec<Diagnostic> {
    let spans = Spans::parse(source, document.clone());
    if let Some(spans) = &spans {
        let duplicates = spans.duplicates();
        if !duplicates.is_empty() {
            return duplicates;
        }
    }
    vec![located_error(
        source,
        document,
        error,
        spans.as_ref(),
        known_keys,
    )]
}

/// A character no output may carry ([`crate::paths::forbidden`]) in a string of
/// `map` (the file's own text is refused with them, so only an escape such as
/// `"\u0007"` or `"\0"` writes one), located at the value that holds it.
/// `document` is where the YAML is in `source`.
pub fn escaped_control(
    source: &SourceText,
    document: Range<usize>,
    map: &serde_yaml::Mapping,
) -> Option<Diagnostic> {
    // Only a double-quoted escape writes one: without a backslash there is none,
    // and nearly no front matter has one, so its values are not walked.
    if !source.text.get(document.clone())?.contains('\\') {
        return None;
    }
    let c = map
        .iter()
        .find_map(|(k, v)| forbidden_in(k, 0).or_else(|| forbidden_in(v, 0)))?;
    let location = Spans::parse(source, document.clone())
        .and_then(|spans| spans.find(&[], |text| text.contains(c)))
        .unwrap_or_else(|| Location::span(source, document.start..document.start));
    Some(
        Diagnostic::error(
            "control-character",
            format!(
                "a value is written with the control character U+{:04X} (a YAML escape)",
                u32::from(c)
            ),
        )
        .at(location)
        .label("not text")
        .help("remove the escape: pages, feeds and exports cannot carry the character"),
    )
}

/// The first forbidden character in a string (key or value) of `value`.
fn forbidden_in(value: &serde_yaml::Value, depth: usize) -> Option<char> {
    use serde_yaml::Value;
    // serde_yaml bounds the nesting it reads; this bounds the walk regardless.
    if depth > 256 {
        return None;
    }
    match value {
        Value::String(text) if crate::paths::has_forbidden(text) => {
            text.chars().find(|&c| crate::paths::forbidden(c))
        }
        Value::Sequence(items) => items.iter().find_map(|v| forbidden_in(v, depth + 1)),
        Value::Mapping(map) => map
            .iter()
            .find_map(|(k, v)| forbidden_in(k, depth + 1).or_else(|| forbidden_in(v, depth + 1))),
        Value::Tagged(tagged) => forbidden_in(&tagged.value, depth + 1),
        _ => None,
    }
}

/// The first of [`error_diagnostics`], for a file that reports one problem.
pub fn error_diagnostic(
    source: &SourceText,
    document: Range<usize>,
    error: &serde_yaml::Error,
    known_keys: &[&str],
) -> Diagnostic {
    let spans = Spans::parse(source, document.clone());
    match spans
        .as_ref()
        .and_then(|s| s.duplicates().into_iter().next())
    {
        Some(duplicate) => duplicate,
        None => located_error(source, document, error, spans.as_ref(), known_keys),
    }
}

fn located_error(
    source: &SourceText,
    document: Range<usize>,
    error: &serde_yaml::Error,
    spans: Option<&Spans>,
    known_keys: &[&str],
) -> Diagnostic {
    let (base_line, _) = source.line_col(document.start);
    let mark = error.location().map(|mark| (mark.line(), mark.column()));
    let message = message_of(&error.to_string(), mark, base_line);
    let missing = message.starts_with("missing field");
    let location = match error.location() {
        Some(mark) => {
            let offset = source.offset((base_line + mark.line()).saturating_sub(1), mark.column());
            // The key or value the mark is on, whole; a missing field is missing from
            // the whole map, so only the place is shown.
            spans
                .filter(|_| !missing)
                .and_then(|spans| spans.starting_at(offset))
                .unwrap_or_else(|| Location::span(source, offset..offset))
        }
        None => Location::span(source, document.start..document.start),
    };
    let mut diagnostic = Diagnostic::error("yaml", message.clone()).at(location);
    if let Some(field) = between(&message, "unknown field `", "`") {
        diagnostic = diagnostic.label("unknown field").maybe_help(
            did_you_mean(field, known_keys.iter().copied()).map(|s| format!("did you mean `{s}`?")),
        );
    } else if missing {
        diagnostic = diagnostic.label("required field missing");
    } else if message.contains("invalid type") {
        diagnostic = diagnostic.label("wrong type");
    } else {
        diagnostic = diagnostic
            .label("YAML cannot be read from here")
            .help("check the indentation and quoting; quote values that contain `: ` or start with `[`, `{`, `*`, `&` or `@`");
    }
    diagnostic
}

/// serde_yaml's message with the error's own position left out (it is shown
/// separately) and any other position (where the list being read opened, say) made the
/// file's: front matter starts below the opening `---`.
fn message_of(full: &str, mark: Option<(usize, usize)>, base_line: usize) -> String {
    let mut message = String::with_capacity(full.len());
    let mut rest = full;
    while let Some(i) = rest.find(" at line ") {
        message.push_str(&rest[..i]);
        let after = &rest[i + " at line ".len()..];
        let position = after.split_once(" column ").and_then(|(line, tail)| {
            let digits = tail.len() - tail.trim_start_matches(|c: char| c.is_ascii_digit()).len();
            let line: usize = line.parse().ok()?;
            let column: usize = tail[..digits].parse().ok()?;
            Some((line, column, &tail[digits..]))
        });
        match position {
            Some((line, column, tail)) => {
                if Some((line, column)) != mark {
                    message.push_str(&format!(
                        " at line {} column {column}",
                        (base_line + line).saturating_sub(1)
                    ));
                }
                rest = tail;
            }
            None => {
                message.push_str(" at line ");
                rest = after;
            }
        }
    }
    message.push_str(rest);
    message
}

fn between<'a>(text: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let from = text.find(start)? + start.len();
    let len = text[from..].find(end)?;
    Some(&text[from..from + len])
}

/// Converts YAML values to JSON for templates and exports. Keys that are not strings
/// are written as their YAML text.
pub fn to_json(value: &serde_yaml::Value) -> serde_json::Value {
    use serde_json::Value as J;
    use serde_yaml::Value as Y;
    match value {
        Y::Null => J::Null,
        Y::Bool(b) => J::Bool(*b),
        Y::Number(n) => {
            if let Some(i) = n.as_i64() {
                J::from(i)
            } else if let Some(u) = n.as_u64() {
                J::from(u)
            } else {
                n.as_f64()
                    .and_then(serde_json::Number::from_f64)
                    .map_or(J::Null, J::Number)
            }
        }
        Y::String(s) => J::String(s.clone()),
        Y::Sequence(items) => J::Array(items.iter().map(to_json).collect()),
        Y::Mapping(map) => J::Object(
            map.iter()
                .map(|(k, v)| (scalar_text(k), to_json(v)))
                .collect(),
        ),
        Y::Tagged(tagged) => to_json(&tagged.value),
    }
}

/// The text of a scalar as written (`2020` for a number, `true` for a bool).
pub fn scalar_text(value: &serde_yaml::Value) -> String {
    match value {
        serde_yaml::Value::String(s) => s.clone(),
        serde_yaml::Value::Number(n) => n.to_string(),
        serde_yaml::Value::Bool(b) => b.to_string(),
        serde_yaml::Value::Null => String::new(),
        other => serde_yaml::to_string(other)
            .unwrap_or_default()
            .trim()
            .to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Start line, start column, end line and end column.
    fn place(location: Option<Location>) -> (usize, usize, usize, usize) {
        let location = location.expect("a location");
        let (end_line, end_column) = location.end().expect("a span");
        (location.line, location.column, end_line, end_column)
    }

    #[test]
    fn a_serde_error_is_shown_over_the_key_or_value_at_its_mark() {
        let text = "title: T\nbase_url: https://e.org/\npaginate: 2\n";
        let source = SourceText::new("almanac.yaml", text);
        #[derive(Debug, serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct Raw {
            title: String,
            base_url: String,
        }
        let error = serde_yaml::from_str::<Raw>(text).unwrap_err();
        let d = error_diagnostic(&source, 0..text.len(), &error, &["paginate_by"]);
        assert_eq!(place(d.location.as_deref().cloned()), (3, 1, 3, 9));
        assert_eq!(d.help.as_deref(), Some("did you mean `paginate_by`?"));
    }

    #[test]
    fn a_syntax_error_is_shown_at_the_parser_mark() {
        let text = "title: A\nsummary: [unclosed\ntype: guidance\n";
        let source = SourceText::new("a.yaml", text);
        let error = serde_yaml::from_str::<serde_yaml::Value>(text).unwrap_err();
        let d = error_diagnostic(&source, 0..text.len(), &error, &[]);
        assert_eq!(d.code, "yaml");
        assert_eq!(place(d.location.as_deref().cloned()), (3, 5, 3, 5));
    }

    #[test]
    fn positions_in_a_message_are_the_files() {
        // The front matter's line 3 is the file's line 4.
        assert_eq!(
            message_of(
                "did not find expected ',' or ']' at line 3 column 5, while parsing a flow sequence at line 2 column 10",
                Some((3, 5)),
                2
            ),
            "did not find expected ',' or ']', while parsing a flow sequence at line 3 column 10"
        );
        assert_eq!(
            message_of("unknown anchor at line 1 column 4", Some((1, 4)), 1),
            "unknown anchor"
        );
        assert_eq!(message_of("title at line x", None, 1), "title at line x");
    }
}
