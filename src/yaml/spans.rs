//! Where each key and value of a YAML document is written, from the marks of the
//! span-keeping parser saphyr-parser (serde_yaml's values carry no positions): a map
//! from each key path to the spans of the key and of its value.

use std::collections::BTreeMap;
use std::ops::{Bound, Range};

use saphyr_parser::{Event, Parser, ScalarStyle};

use crate::diagnostics::{Diagnostic, Location, SourceText};

/// One step of a path into a YAML document.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Step {
    /// A mapping's entry, by its key as text (`title`, or `1` for the key `1`).
    Key(String),
    /// A list's item, counted from 0.
    Item(usize),
}

impl Step {
    pub fn key(key: &str) -> Step {
        Step::Key(key.to_string())
    }
}

/// Where one node is written: its key (for a mapping's entry) and its value.
#[derive(Debug, Clone)]
struct Node {
    key: Option<Range<usize>>,
    value: Range<usize>,
    kind: Kind,
}

#[derive(Debug, Clone)]
enum Kind {
    /// A scalar, with its text as read (quotes and escapes resolved).
    Scalar(String),
    /// `*name`, standing for the node with this anchor id.
    Alias(usize),
    Container,
}

/// A key written twice in one mapping.
#[derive(Debug, Clone)]
struct Duplicate {
    key: String,
    first: Range<usize>,
    second: Range<usize>,
}

/// Where every key and value of one YAML document is written, by path: byte ranges of
/// the file taken from the parser's marks, so a problem found after parsing points at
/// the text that caused it even when the same words appear elsewhere in the file.
#[derive(Debug, Clone)]
pub struct Spans {
    source: SourceText,
    /// The first node at each path (a repeated key's second value is left out).
    nodes: BTreeMap<Vec<Step>, Node>,
    /// Anchor ids to the path of the node that carries the anchor.
    anchors: BTreeMap<usize, Vec<Step>>,
    duplicates: Vec<Duplicate>,
}

impl Spans {
    /// Spans that find nothing, for text the parser cannot read.
    pub fn empty(source: &SourceText) -> Spans {
        Spans {
            source: source.clone(),
            nodes: BTreeMap::new(),
            anchors: BTreeMap::new(),
            duplicates: Vec::new(),
        }
    }

    /// Parses the YAML document at `document` of `source` (front matter is part of a
    /// file). `None` when the parser finds a syntax error; serde_yaml reports those.
    pub fn parse(source: &SourceText, document: Range<usize>) -> Option<Spans> {
        let text = source.text.get(document.clone())?;
        let mut builder = Builder::new(source, text, document.start);
        let mut parser = Parser::new_from_str(text);
        while let Some(next) = parser.next_event() {
            let (event, span) = next.ok()?;
            let range = builder.bytes(span.start.index())..builder.bytes(span.end.index());
            if !builder.event(event, range) {
                break;
            }
        }
        Some(builder.spans)
    }

    /// The text these spans are of.
    pub fn source(&self) -> &SourceText {
        &self.source
    }

    fn node(&self, path: &[Step]) -> Option<&Node> {
        self.nodes.get(path)
    }

    fn location(&self, range: Range<usize>) -> Location {
        Location::span(&self.source, range)
    }

    /// The key of the entry at `path` (`["title"]`, `["taxonomies", 0, "name"]`).
    pub fn key(&self, path: &[Step]) -> Option<Location> {
        let key = self.node(path)?.key.clone()?;
        Some(self.location(key))
    }

    /// The value at `path`: a scalar as written (with its quotes), or a whole list or map.
    pub fn value(&self, path: &[Step]) -> Option<Location> {
        Some(self.location(self.node(path)?.value.clone()))
    }

    /// The whole `key: value` entry at `path`.
    pub fn entry(&self, path: &[Step]) -> Option<Location> {
        let node = self.node(path)?;
        let start = node.key.as_ref().map_or(node.value.start, |k| k.start);
        Some(self.location(start..node.value.end.max(start)))
    }

    /// The first scalar at or under `path`, in the order written, whose text satisfies
    /// `wanted`: an item of a list, a value of a nested map, or `path`'s own value. A
    /// value reached through an alias (`*name`) is found at the alias.
    pub fn find(&self, path: &[Step], wanted: impl Fn(&str) -> bool) -> Option<Location> {
        let range = self.find_range(path, &wanted, 0)?;
        Some(self.location(range))
    }

    fn find_range(
        &self,
        path: &[Step],
        wanted: &dyn Fn(&str) -> bool,
        depth: usize,
    ) -> Option<Range<usize>> {
        // Anchors are defined before their aliases, so aliases cannot loop; the limit
        // only bounds the work on an adversarial file.
        if depth > 16 {
            return None;
        }
        self.nodes
            .range::<[Step], _>((Bound::Included(path), Bound::Unbounded))
            .take_while(|(at, _)| at.starts_with(path))
            .filter(|(_, node)| match &node.kind {
                Kind::Scalar(text) => wanted(text),
                Kind::Alias(id) => self
                    .anchors
                    .get(id)
                    .is_some_and(|target| self.find_range(target, wanted, depth + 1).is_some()),
                Kind::Container => false,
            })
            .map(|(_, node)| node.value.clone())
            .min_by_key(|range| range.start)
    }

    /// The key or value that starts at byte `offset`, preferring a key and then the
    /// innermost value, to give a position another parser reported its whole extent.
    pub fn starting_at(&self, offset: usize) -> Option<Location> {
        let key = self
            .nodes
            .values()
            .filter_map(|node| node.key.clone())
            .find(|key| key.start == offset);
        let value = || {
            self.nodes
                .values()
                .map(|node| node.value.clone())
                .filter(|value| value.start == offset)
                .min_by_key(|value| value.len())
        };
        Some(self.location(key.or_else(value)?))
    }

    /// One error per key written a second time in the same mapping, at the repeated
    /// key, naming the line of the first.
    pub fn duplicates(&self) -> Vec<Diagnostic> {
        self.duplicates
            .iter()
            .map(|duplicate| {
                let (first_line, _) = self.source.line_col(duplicate.first.start);
                Diagnostic::error(
                    "duplicate-key",
                    format!(
                        "`{}` is declared twice; the first is on line {first_line}",
                        duplicate.key
                    ),
                )
                .at(self.location(duplicate.second.clone()))
                .label("declared again here")
                .help(format!(
                    "keep one of the two (line {first_line} or this one); YAML allows a key once per map"
                ))
            })
            .collect()
    }
}

/// A list or map being read.
struct Frame {
    path: Vec<Step>,
    key: Option<Range<usize>>,
    anchor: usize,
    start: usize,
    /// How far the text inside reaches so far: block lists and maps end where their
    /// last item does (their end events carry no text).
    end: usize,
    is_map: bool,
    /// A map's key waiting for its value.
    key_text: Option<(String, Range<usize>)>,
    /// A map's keys with where each was first written.
    seen: BTreeMap<String, Range<usize>>,
    next_item: usize,
}

/// A list or map used as a key (`? [a, b]: x`): skipped, and its text becomes the key.
struct ComplexKey {
    start: usize,
    depth: usize,
}

struct Builder<'a> {
    spans: Spans,
    text: &'a str,
    offset: usize,
    /// Byte offset of each character when the text is not ASCII (the parser's marks
    /// count characters).
    char_bytes: Option<Vec<usize>>,
    stack: Vec<Frame>,
    complex_key: Option<ComplexKey>,
}

impl<'a> Builder<'a> {
    fn new(source: &SourceText, text: &'a str, offset: usize) -> Builder<'a> {
        let char_bytes = (!text.is_ascii()).then(|| {
            text.char_indices()
                .map(|(i, _)| i)
                .chain(std::iter::once(text.len()))
                .collect()
        });
        Builder {
            spans: Spans::empty(source),
            text,
            offset,
            char_bytes,
            stack: Vec::new(),
            complex_key: None,
        }
    }

    /// The byte offset in the file of the parser's character index.
    fn bytes(&self, index: usize) -> usize {
        let within = match &self.char_bytes {
            None => index.min(self.text.len()),
            Some(table) => table[index.min(table.len() - 1)],
        };
        self.offset + within
    }

    /// Takes one event; `false` once the first document is over.
    fn event(&mut self, event: Event, range: Range<usize>) -> bool {
        if let Some(complex) = &mut self.complex_key {
            match event {
                Event::SequenceStart(..) | Event::MappingStart(..) => complex.depth += 1,
                Event::SequenceEnd | Event::MappingEnd => complex.depth -= 1,
                _ => {}
            }
            if complex.depth == 0 {
                let key = complex.start..range.end;
                self.complex_key = None;
                let text = self.text_of(&key);
                self.set_key(text, key);
            }
            return true;
        }
        match event {
            Event::DocumentEnd | Event::StreamEnd => return false,
            Event::Scalar(text, style, anchor, _) => {
                let range = match style {
                    // Block scalars' spans take in the line breaks after the text.
                    ScalarStyle::Literal | ScalarStyle::Folded => self.trim_end(range),
                    // Quoted scalars' spans run on over the spaces and the comment
                    // after the closing quote.
                    ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => {
                        self.to_closing_quote(range)
                    }
                    _ => range,
                };
                self.node(Kind::Scalar(text.into_owned()), anchor, range);
            }
            Event::Alias(id) => {
                if self.wants_key() {
                    let text = self.text_of(&range);
                    self.set_key(text, range);
                } else {
                    self.node(Kind::Alias(id), 0, range);
                }
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                let is_map = matches!(event, Event::MappingStart(..));
                if self.wants_key() {
                    self.complex_key = Some(ComplexKey {
                        start: range.start,
                        depth: 1,
                    });
                    return true;
                }
                let (path, key) = self.next_place();
                self.stack.push(Frame {
                    path,
                    key,
                    anchor,
                    start: range.start,
                    end: range.end,
                    is_map,
                    key_text: None,
                    seen: BTreeMap::new(),
                    next_item: 0,
                });
            }
            Event::SequenceEnd | Event::MappingEnd => {
                if let Some(frame) = self.stack.pop() {
                    let end = if range.is_empty() {
                        frame.end.max(frame.start)
                    } else {
                        range.end
                    };
                    self.insert(
                        frame.path,
                        Node {
                            key: frame.key,
                            value: frame.start..end,
                            kind: Kind::Container,
                        },
                        frame.anchor,
                    );
                }
            }
            Event::StreamStart | Event::DocumentStart(_) | Event::Nothing => {}
        }
        true
    }

    /// The source's bytes in `range` (nothing for a range off the text).
    fn slice(&self, range: &Range<usize>) -> &str {
        self.spans
            .source
            .text
            .get(range.clone())
            .unwrap_or_default()
    }

    fn text_of(&self, range: &Range<usize>) -> String {
        self.slice(range).to_string()
    }

    fn trim_end(&self, range: Range<usize>) -> Range<usize> {
        let text = self.slice(&range);
        range.start..range.start + text.trim_end().len()
    }

    /// A quoted scalar's range cut after its closing quote (a doubled `''` in single
    /// quotes and a backslash escape in double quotes do not close it).
    fn to_closing_quote(&self, range: Range<usize>) -> Range<usize> {
        let text = self.slice(&range);
        let mut chars = text.char_indices();
        let Some((_, quote @ ('"' | '\''))) = chars.next() else {
            return range;
        };
        while let Some((i, c)) = chars.next() {
            if quote == '"' && c == '\\' {
                chars.next();
            } else if c == quote {
                if quote == '\'' && text[i + 1..].starts_with('\'') {
                    chars.next();
                    continue;
                }
                return range.start..range.start + i + 1;
            }
        }
        range
    }

    /// Whether the next node is a map's key.
    fn wants_key(&self) -> bool {
        self.stack
            .last()
            .is_some_and(|frame| frame.is_map && frame.key_text.is_none())
    }

    fn set_key(&mut self, text: String, range: Range<usize>) {
        let Some(frame) = self.stack.last_mut() else {
            return;
        };
        frame.end = frame.end.max(range.end);
        match frame.seen.get(&text) {
            Some(first) => self.spans.duplicates.push(Duplicate {
                key: text.clone(),
                first: first.clone(),
                second: range.clone(),
            }),
            None => {
                frame.seen.insert(text.clone(), range.clone());
            }
        }
        frame.key_text = Some((text, range));
    }

    /// The path and key span of the next value: the document itself, a map's value or
    /// a list's item.
    fn next_place(&mut self) -> (Vec<Step>, Option<Range<usize>>) {
        let Some(frame) = self.stack.last_mut() else {
            return (Vec::new(), None);
        };
        let mut path = frame.path.clone();
        if frame.is_map {
            let (text, key) = frame.key_text.take().unwrap_or_default();
            path.push(Step::Key(text));
            (path, Some(key))
        } else {
            path.push(Step::Item(frame.next_item));
            frame.next_item += 1;
            (path, None)
        }
    }

    /// A scalar (a map's key or a value) or an alias used as a value.
    fn node(&mut self, kind: Kind, anchor: usize, range: Range<usize>) {
        if self.wants_key() {
            if let Kind::Scalar(text) = kind {
                self.set_key(text, range);
            }
            return;
        }
        let (path, key) = self.next_place();
        self.insert(
            path,
            Node {
                key,
                value: range,
                kind,
            },
            anchor,
        );
    }

    fn insert(&mut self, path: Vec<Step>, node: Node, anchor: usize) {
        if let Some(parent) = self.stack.last_mut() {
            parent.end = parent.end.max(node.value.end);
        }
        if anchor != 0 {
            self.spans.anchors.insert(anchor, path.clone());
        }
        self.spans.nodes.entry(path).or_insert(node);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> (SourceText, Spans) {
        let source = SourceText::new("a.md", text);
        let spans = Spans::parse(&source, 0..text.len()).expect("valid YAML");
        (source, spans)
    }

    /// Start line, start column, end line and end column.
    fn place(location: Option<Location>) -> (usize, usize, usize, usize) {
        let location = location.expect("a location");
        let (end_line, end_column) = location.end().expect("a span");
        (location.line, location.column, end_line, end_column)
    }

    fn path(steps: &[&str]) -> Vec<Step> {
        steps
            .iter()
            .map(|s| match s.parse() {
                Ok(i) => Step::Item(i),
                Err(_) => Step::key(s),
            })
            .collect()
    }

    #[test]
    fn keys_values_and_items_have_their_own_spans() {
        let (_, spans) = parse(
            "title: A\ntopics: [data-ethics, data]\nprinciples:\n  - fairness\n  - privacy\nextra:\n  data: 1\n",
        );
        assert_eq!(place(spans.key(&path(&["topics"]))), (2, 1, 2, 7));
        assert_eq!(place(spans.value(&path(&["topics"]))), (2, 9, 2, 28));
        assert_eq!(place(spans.value(&path(&["topics", "1"]))), (2, 23, 2, 27));
        // A block list runs from its first dash to the end of its last item.
        assert_eq!(place(spans.value(&path(&["principles"]))), (4, 3, 5, 12));
        assert_eq!(
            place(spans.value(&path(&["principles", "1"]))),
            (5, 5, 5, 12)
        );
        assert_eq!(place(spans.key(&path(&["extra", "data"]))), (7, 3, 7, 7));
        assert_eq!(place(spans.entry(&path(&["title"]))), (1, 1, 1, 9));
        assert!(spans.key(&path(&["principles", "0"])).is_none());
        assert!(spans.value(&path(&["nothing"])).is_none());
    }

    #[test]
    fn a_value_is_found_where_it_is_written_not_where_its_text_first_appears() {
        let text = "title: privacy\n# privacy comes up in a comment\nsummary: |\n  privacy again,\n  in a block\ntopics: [data-privacy]\nprinciples:\n  - fairness\n  - privacy\n";
        let (_, spans) = parse(text);
        let wanted = |t: &str| t == "privacy";
        assert_eq!(
            place(spans.find(&path(&["principles"]), wanted)),
            (9, 5, 9, 12)
        );
        assert!(spans.find(&path(&["topics"]), wanted).is_none());
        // A single scalar is its own value.
        assert_eq!(place(spans.find(&path(&["title"]), wanted)), (1, 8, 1, 15));
    }

    #[test]
    fn flow_lists_and_quoted_values_are_located_as_written() {
        let (_, spans) =
            parse("principles: [fairness, \"transparancy\"]\nurl: 'javascript:alert(1)'\n");
        assert_eq!(
            place(spans.find(&path(&["principles"]), |t| t == "transparancy")),
            (1, 24, 1, 38)
        );
        assert_eq!(
            place(spans.find(&path(&["url"]), |t| t == "javascript:alert(1)")),
            (2, 6, 2, 27)
        );
    }

    #[test]
    fn quoted_values_end_at_their_closing_quote_not_at_a_comment_after() {
        let (_, spans) = parse(
            "a: \"x \\\" y\" # note\nb: 'it''s'   # note\nc: \"two\n  lines\"  \nd: plain # note\n",
        );
        assert_eq!(place(spans.value(&path(&["a"]))), (1, 4, 1, 12));
        assert_eq!(place(spans.value(&path(&["b"]))), (2, 4, 2, 11));
        assert_eq!(place(spans.value(&path(&["c"]))), (3, 4, 4, 9));
        assert_eq!(place(spans.value(&path(&["d"]))), (5, 4, 5, 9));
    }

    #[test]
    fn multi_line_scalars_end_where_their_text_does() {
        let (_, spans) =
            parse("summary: >\n  folded text\n  goes on\nnote: plain text\n  continued\nnext: x\n");
        assert_eq!(place(spans.value(&path(&["summary"]))), (2, 3, 3, 10));
        assert_eq!(place(spans.value(&path(&["note"]))), (4, 7, 5, 12));
        assert_eq!(place(spans.key(&path(&["next"]))), (6, 1, 6, 5));
    }

    #[test]
    fn a_value_reached_through_an_alias_is_found_at_the_alias() {
        let (_, spans) = parse("principles: &chosen [fairness, privasy]\ntopics: *chosen\n");
        let wanted = |t: &str| t == "privasy";
        assert_eq!(place(spans.find(&path(&["topics"]), wanted)), (2, 9, 2, 16));
        assert_eq!(
            place(spans.find(&path(&["principles"]), wanted)),
            (1, 32, 1, 39)
        );
    }

    #[test]
    fn positions_count_characters_and_follow_the_document_start() {
        let text = "---\ntitle: Éthique des données\ntopics: [données, privasy]\n---\nBody\n";
        let source = SourceText::new("a.md", text);
        let front = 4..text.find("\n---\n").unwrap() + 1;
        let spans = Spans::parse(&source, front).expect("valid YAML");
        let found = spans.find(&path(&["topics"]), |t| t == "privasy");
        assert_eq!(place(found.clone()), (3, 19, 3, 26));
        let found = found.unwrap();
        let start = source.offset(found.line, found.column);
        assert!(text[start..].starts_with("privasy"));
    }

    #[test]
    fn a_repeated_key_is_reported_at_the_repeat_naming_the_first_line() {
        let (_, spans) = parse("title: A\nsummary: B\ntitle: C\nextra: { a: 1, b: 2, a: 3 }\n");
        let duplicates = spans.duplicates();
        assert_eq!(duplicates.len(), 2);
        let first = &duplicates[0];
        assert_eq!(first.code, "duplicate-key");
        assert_eq!(
            first.message,
            "`title` is declared twice; the first is on line 1"
        );
        assert_eq!(place(first.location.as_deref().cloned()), (3, 1, 3, 6));
        assert_eq!(
            place(duplicates[1].location.as_deref().cloned()),
            (4, 22, 4, 23)
        );
        // The first declaration is the one kept.
        assert_eq!(place(spans.value(&path(&["title"]))), (1, 8, 1, 9));
    }

    #[test]
    fn lists_and_maps_as_keys_do_not_upset_the_paths_after_them() {
        let (_, spans) = parse("? [a, b]\n: c\nd: e\n");
        assert_eq!(place(spans.key(&path(&["d"]))), (3, 1, 3, 2));
        assert_eq!(place(spans.value(&path(&["[a, b]"]))), (2, 3, 2, 4));
    }
}
