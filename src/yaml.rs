//! YAML helpers shared by `config` and `content`: serde_yaml errors turned into
//! located diagnostics, and finding where a key or value sits in the text (serde_yaml
//! values carry no positions, so checks that run after parsing look them up here).

use std::ops::Range;

use crate::diagnostics::{Diagnostic, Location, SourceText, did_you_mean};

/// A serde_yaml error as a diagnostic. `start` is the byte offset where the YAML
/// document begins in `source` (front matter starts after its `---` line).
pub fn error_diagnostic(
    source: &SourceText,
    start: usize,
    error: &serde_yaml::Error,
    known_keys: &[&str],
) -> Diagnostic {
    let full = error.to_string();
    // serde_yaml appends " at line L column C"; the location is shown separately.
    let message = match full.rfind(" at line ") {
        Some(i) => full[..i].to_string(),
        None => full.clone(),
    };
    let location = match error.location() {
        Some(l) => {
            let (base_line, _) = source.line_col(start);
            let line = base_line + l.line() - 1;
            let offset = source.offset(line, l.column());
            Location::span(source, offset..offset + word_len(&source.text[offset..]))
        }
        None => Location::span(source, start..start),
    };
    let mut diagnostic = Diagnostic::error("yaml", message.clone()).at(location);
    if let Some(field) = between(&message, "unknown field `", "`") {
        diagnostic = diagnostic.label("unknown field").maybe_help(
            did_you_mean(field, known_keys.iter().copied()).map(|s| format!("did you mean `{s}`?")),
        );
    } else if message.starts_with("missing field") {
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

fn between<'a>(text: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let from = text.find(start)? + start.len();
    let len = text[from..].find(end)?;
    Some(&text[from..from + len])
}

/// Length of the word at the start of `text`, so the underline covers a key or value.
fn word_len(text: &str) -> usize {
    text.find(|c: char| c.is_whitespace() || c == ':' || c == ',' || c == ']' || c == '}')
        .unwrap_or(text.len())
        .max(1)
        .min(text.len())
}

/// The first line of the whole file that declares `key:` (at any indentation).
pub fn locate_key(source: &SourceText, key: &str) -> Location {
    locate_key_in(source, 0..source.text.len(), key).unwrap_or_else(|| Location::span(source, 0..0))
}

/// The span of `key` on the first line within `range` that declares `key:`.
pub fn locate_key_in(source: &SourceText, range: Range<usize>, key: &str) -> Option<Location> {
    let mut offset = range.start;
    for line in source.text[range.clone()].split_inclusive('\n') {
        let trimmed = line.trim_start();
        let trimmed = trimmed.strip_prefix("- ").unwrap_or(trimmed);
        let indent = line.len() - trimmed.len();
        let bare = trimmed.trim_start_matches(['"', '\'']);
        let quote = trimmed.len() - bare.len();
        if let Some(after) = bare.strip_prefix(key)
            && after
                .trim_start_matches(['"', '\''])
                .trim_start()
                .starts_with(':')
        {
            let start = offset + indent + quote;
            return Some(Location::span(source, start..start + key.len()));
        }
        offset += line.len();
    }
    None
}

/// The first place `value` stands as a whole word in the file.
pub fn locate_value(source: &SourceText, value: &str) -> Location {
    locate_value_in(source, 0..source.text.len(), value)
        .unwrap_or_else(|| Location::span(source, 0..0))
}

/// The first place within `range` where `value` stands as a whole word (not part of a longer one).
pub fn locate_value_in(source: &SourceText, range: Range<usize>, value: &str) -> Option<Location> {
    if value.is_empty() {
        return None;
    }
    let text = &source.text[range.clone()];
    let is_word = |c: char| c.is_alphanumeric() || c == '-' || c == '_' || c == '.' || c == '/';
    let mut from = 0;
    while let Some(i) = text[from..].find(value) {
        let start = from + i;
        let end = start + value.len();
        let before_ok = text[..start]
            .chars()
            .next_back()
            .is_none_or(|c| !is_word(c));
        let after_ok = text[end..].chars().next().is_none_or(|c| !is_word(c));
        if before_ok && after_ok {
            return Some(Location::span(
                source,
                range.start + start..range.start + end,
            ));
        }
        from = start + value.len();
    }
    None
}

/// The byte range of a top-level key's entry in a YAML document: from its line to the
/// next line that starts another top-level key.
pub fn field_range(source: &SourceText, document: Range<usize>, key: &str) -> Option<Range<usize>> {
    let text = &source.text[document.clone()];
    let mut offset = 0;
    let mut start = None;
    for line in text.split_inclusive('\n') {
        let top_level = !line.starts_with([' ', '\t', '-', '#', '\n', '\r']);
        match start {
            None if top_level
                && line
                    .strip_prefix(key)
                    .is_some_and(|rest| rest.trim_start().starts_with(':')) =>
            {
                start = Some(offset);
            }
            Some(s) if top_level => return Some(document.start + s..document.start + offset),
            _ => {}
        }
        offset += line.len();
    }
    start.map(|s| document.start + s..document.end)
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

    #[test]
    fn keys_and_values_are_found_as_whole_words() {
        let source = SourceText::new(
            "a.md",
            "title: x\ntopics: [data-ethics, data]\nextra:\n  data: 1\n",
        );
        let loc = locate_value(&source, "data");
        assert_eq!((loc.line, loc.column), (2, 23));
        let loc = locate_key(&source, "extra");
        assert_eq!((loc.line, loc.column), (3, 1));
        let range = field_range(&source, 0..source.text.len(), "topics").unwrap();
        assert_eq!(&source.text[range], "topics: [data-ethics, data]\n");
    }
}
