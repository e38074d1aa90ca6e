//! Front matter: finding the YAML between the `---` lines and reading it as a mapping,
//! with spans kept so every later problem can point at its line.

use std::ops::Range;

use crate::diagnostics::{Diagnostic, Location, SourceText};
use crate::yaml::Spans;

/// Where the two parts of a Markdown file are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parts {
    pub front: Range<usize>,
    pub body: Range<usize>,
}

/// Splits a file into front matter and body. The file must open with a `---` line and
/// the front matter must be closed by another.
pub fn split(source: &SourceText) -> Result<Parts, Diagnostic> {
    let text = &*source.text;
    if text.trim().is_empty() {
        return Err(Diagnostic::error("empty-file", "the file is empty")
            .at(Location::span(source, 0..0))
            .label("expected front matter here")
            .help(
                "start the file with a front matter block:\n---\ntitle: The entry's title\n---",
            ));
    }
    let Some(after_open) = strip_fence(text) else {
        let first_line = text.find('\n').unwrap_or(text.len());
        return Err(Diagnostic::error("no-front-matter", "the file does not start with front matter")
            .at(Location::span(source, 0..first_line))
            .label("expected a line `---` here")
            .help("put the entry's fields between two `---` lines at the top:\n---\ntitle: The entry's title\n---"));
    };
    let front_start = text.len() - after_open.len();
    let mut offset = front_start;
    for line in after_open.split_inclusive('\n') {
        if line.trim_end() == "---" {
            return Ok(Parts {
                front: front_start..offset,
                body: offset + line.len()..text.len(),
            });
        }
        offset += line.len();
    }
    Err(
        Diagnostic::error("front-matter-not-closed", "the front matter is not closed")
            .at(Location::span(source, 0..3))
            .label("opened here, but no closing `---` line follows")
            .help("add a line with only `---` after the last field"),
    )
}

/// The text after an opening `---` line, if the file starts with one.
fn strip_fence(text: &str) -> Option<&str> {
    let rest = text.strip_prefix("---")?;
    let rest = rest.trim_start_matches([' ', '\t']);
    if rest.is_empty() {
        Some(rest)
    } else {
        rest.strip_prefix('\n')
    }
}

/// Reads the front matter as a YAML mapping (an empty block is an empty mapping). Every
/// repeated key is reported, else the one error that stopped the reading.
pub fn parse(
    source: &SourceText,
    front: Range<usize>,
) -> Result<serde_yaml::Mapping, Vec<Diagnostic>> {
    let yaml = &source.text[front.clone()];
    if yaml.trim().is_empty() {
        return Ok(serde_yaml::Mapping::new());
    }
    match serde_yaml::from_str::<serde_yaml::Value>(yaml) {
        Ok(serde_yaml::Value::Mapping(map)) => {
            match crate::yaml::escaped_control(source, front, &map) {
                Some(problem) => Err(vec![problem]),
                None => Ok(map),
            }
        }
        Ok(serde_yaml::Value::Null) => Ok(serde_yaml::Mapping::new()),
        Ok(_) => Err(vec![
            Diagnostic::error(
                "front-matter-shape",
                "the front matter is not a list of fields",
            )
            .at(Spans::parse(source, front.clone())
                .and_then(|spans| spans.value(&[]))
                .unwrap_or_else(|| Location::span(source, front.start..front.start)))
            .label("expected `field: value` lines")
            .help("write one field per line, e.g. `title: Data Ethics Framework`"),
        ]),
        Err(error) => Err(crate::yaml::error_diagnostics(source, front, &error, &[])),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn src(text: &str) -> SourceText {
        SourceText::new("content/a.md", text)
    }

    #[test]
    fn splits_front_matter_and_body() {
        let s = src("---\ntitle: A\n---\nBody\n");
        let parts = split(&s).unwrap();
        assert_eq!(&s.text[parts.front.clone()], "title: A\n");
        assert_eq!(&s.text[parts.body], "Body\n");
    }

    #[test]
    fn a_file_may_end_at_the_closing_line() {
        let s = src("---\ntitle: A\n---");
        let parts = split(&s).unwrap();
        assert_eq!(&s.text[parts.front], "title: A\n");
        assert!(parts.body.is_empty());
    }

    /// Code, start line and column, end line and column of a diagnostic.
    fn place(d: &Diagnostic) -> (&str, usize, usize, usize, usize) {
        let location = d.location.as_deref().expect("a location");
        let (end_line, end_column) = location.end().expect("a span");
        (d.code, location.line, location.column, end_line, end_column)
    }

    #[test]
    fn unclosed_front_matter_points_at_the_opening_line() {
        let e = split(&src("---\ntitle: A\nBody\n")).unwrap_err();
        assert_eq!(place(&e), ("front-matter-not-closed", 1, 1, 1, 4));
    }

    #[test]
    fn invalid_yaml_is_located_in_the_file() {
        let s = src("---\ntitle: A\ntopics: [a, b\nsummary: x\n---\n");
        let parts = split(&s).unwrap();
        let e = parse(&s, parts.front).unwrap_err();
        assert_eq!(e.len(), 1);
        // libyaml stops at the `:` of the line after the unclosed list.
        assert_eq!(place(&e[0]), ("yaml", 4, 8, 4, 8));
        assert!(e[0].message.starts_with("did not find expected ',' or ']'"));
    }

    #[test]
    fn every_repeated_key_is_shown_at_the_repeat() {
        let s = src("---\ntitle: A\ntopics: [a]\ntitle: B\n  # note\ntopics: [b]\n---\n");
        let parts = split(&s).unwrap();
        let e = parse(&s, parts.front).unwrap_err();
        let places: Vec<_> = e.iter().map(place).collect();
        assert_eq!(
            places,
            [("duplicate-key", 4, 1, 4, 6), ("duplicate-key", 6, 1, 6, 7)]
        );
        assert_eq!(
            e[0].message,
            "`title` is declared twice; the first is on line 2"
        );
        assert_eq!(
            e[1].message,
            "`topics` is declared twice; the first is on line 3"
        );
    }

    #[test]
    fn front_matter_that_is_not_a_map_is_shown_whole() {
        let s = src("---\n- title: A\n- summary: B\n---\n");
        let parts = split(&s).unwrap();
        let e = parse(&s, parts.front).unwrap_err();
        assert_eq!(place(&e[0]), ("front-matter-shape", 2, 1, 3, 13));
    }

    #[test]
    fn empty_and_missing_front_matter_are_errors() {
        assert_eq!(split(&src("")).unwrap_err().code, "empty-file");
        assert_eq!(
            split(&src("# Title\n")).unwrap_err().code,
            "no-front-matter"
        );
    }
}
