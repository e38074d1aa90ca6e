//! The one place where problems in a collection become located, readable messages:
//! `Diagnostic` values collected by every stage, rendered for people (with miette)
//! or as JSON for CI.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, SourceSpan};
use serde::Serialize;

/// An error that stands for problems a person reads: every stage's error is one,
/// so the command line and the dev server show all of them the same way.
pub trait AsDiagnostics {
    fn diagnostics(&self) -> Vec<Diagnostic>;
}

/// How serious a problem is: errors fail `build` and `check`, warnings only with `--deny-warnings`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// A file's text as the diagnostics show it: the path relative to the collection root.
#[derive(Debug, Clone)]
pub struct SourceText {
    pub path: PathBuf,
    pub text: Arc<str>,
}

impl SourceText {
    pub fn new(path: impl Into<PathBuf>, text: impl Into<Arc<str>>) -> SourceText {
        SourceText {
            path: path.into(),
            text: text.into(),
        }
    }

    /// Where a byte range of this text starts, as 1-based line and column (in characters).
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        line_col(&self.text, offset)
    }

    /// The byte offset of a 1-based line and column (in characters), clamped to the text.
    pub fn offset(&self, line: usize, column: usize) -> usize {
        let mut start = 0;
        for _ in 1..line {
            match self.text[start..].find('\n') {
                Some(i) => start += i + 1,
                None => return self.text.len(),
            }
        }
        let rest = &self.text[start..];
        let line_end = rest.find('\n').unwrap_or(rest.len());
        let within = rest[..line_end]
            .char_indices()
            .nth(column.saturating_sub(1))
            .map_or(line_end, |(i, _)| i);
        start + within
    }
}

/// 1-based line and column (in characters) of a byte offset in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = floor_char_boundary(text, offset.min(text.len()));
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Where a problem is: a file, and a span of its text when the problem has one.
#[derive(Debug, Clone)]
pub struct Location {
    pub path: PathBuf,
    pub line: usize,
    pub column: usize,
    /// The span in `source`, when the file's text is known.
    span: Option<Range<usize>>,
    source: Option<Arc<str>>,
}

impl Location {
    /// A span of a file's text.
    pub fn span(source: &SourceText, span: Range<usize>) -> Location {
        let (line, column) = source.line_col(span.start);
        let end = span.end.min(source.text.len()).max(span.start);
        Location {
            path: source.path.clone(),
            line,
            column,
            span: Some(span.start..end),
            source: Some(source.text.clone()),
        }
    }

    /// The span's bytes in the file's text, when it is known.
    pub fn range(&self) -> Option<Range<usize>> {
        self.span.clone()
    }

    /// Where the span ends (exclusive) as 1-based line and column, when the text is known.
    pub fn end(&self) -> Option<(usize, usize)> {
        let span = self.span.as_ref()?;
        Some(line_col(self.source.as_deref()?, span.end))
    }

    /// A whole file, for problems that have no line (a loop of links, unreadable bytes).
    pub fn file(path: impl Into<PathBuf>) -> Location {
        Location {
            path: path.into(),
            line: 1,
            column: 1,
            span: None,
            source: None,
        }
    }

    /// A position in a file whose text is not shown (for example bytes that are not UTF-8).
    pub fn position(path: impl Into<PathBuf>, line: usize, column: usize) -> Location {
        Location {
            path: path.into(),
            line,
            column,
            span: None,
            source: None,
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}",
            display_path(&self.path),
            self.line,
            self.column
        )
    }
}

/// Paths in messages always use `/`, so they read the same on every system.
pub fn display_path(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// One problem found in a collection.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub severity: Severity,
    /// A stable identifier for the kind of problem (`unknown-term`, `yaml`, …).
    pub code: &'static str,
    pub message: String,
    /// Boxed: most results carrying a diagnostic are `Ok`, and should stay small.
    pub location: Option<Box<Location>>,
    /// What the underlined text is, said briefly ("not in the vocabulary").
    pub label: Option<String>,
    /// How to fix it ("did you mean `transparency`?").
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(code: &'static str, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: bounded(message.into(), MAX_MESSAGE),
            location: None,
            label: None,
            help: None,
        }
    }

    pub fn warning(code: &'static str, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, message)
        }
    }

    pub fn at(mut self, location: Location) -> Diagnostic {
        self.location = Some(Box::new(location));
        self
    }

    pub fn label(mut self, label: impl Into<String>) -> Diagnostic {
        self.label = Some(bounded(label.into(), MAX_MESSAGE));
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(bounded(help.into(), MAX_MESSAGE));
        self
    }

    /// Adds a help line only when there is one to give.
    pub fn maybe_help(self, help: Option<String>) -> Diagnostic {
        match help {
            Some(help) => self.help(help),
            None => self,
        }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    fn sort_key(&self) -> (String, usize, usize, Severity, &str) {
        match &self.location {
            Some(l) => (
                display_path(&l.path),
                l.line,
                l.column,
                self.severity,
                &self.message,
            ),
            None => (String::new(), 0, 0, self.severity, &self.message),
        }
    }
}

/// Orders diagnostics by file, line and column, so reports read top to bottom and
/// are the same on every run whatever order the parallel stages found them in.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
}

/// Sorts and says each problem once: the same check run over each language's
/// collection finds a problem of an untranslated file in every one of them.
pub fn sort_unique(diagnostics: &mut Vec<Diagnostic>) {
    sort(diagnostics);
    diagnostics.dedup_by(|b, a| a.sort_key() == b.sort_key() && a.code == b.code);
}

/// The closest candidate to a misspelt word, if one is close enough to be a likely fix.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    let lower = word.to_lowercase();
    let mut best: Option<(f64, &str)> = None;
    for candidate in candidates {
        let score = strsim::jaro_winkler(&lower, &candidate.to_lowercase());
        if score > 0.8 && best.is_none_or(|(s, c)| score > s || (score == s && candidate < c)) {
            best = Some((score, candidate));
        }
    }
    best.map(|(_, c)| c.to_string())
}

/// The longest message, label or help kept, in bytes: they quote what was
/// written, and a value of megabytes would flood a terminal or CI log.
const MAX_MESSAGE: usize = 2000;
/// The longest stretch of source shown around a problem, in bytes; a longer one
/// (a line of megabytes) is named by its place only.
const MAX_SNIPPET: usize = 2000;

/// `text` cut to at most `max` bytes (at a character boundary), marked with `…`.
fn bounded(mut text: String, max: usize) -> String {
    if text.len() > max {
        text.truncate(floor_char_boundary(&text, max));
        text.push('…');
    }
    text
}

/// Whether the lines around `span` in `text` are short enough to show.
fn snippet_fits(text: &str, span: &Range<usize>) -> bool {
    if span.len() > MAX_SNIPPET {
        return false;
    }
    let start = floor_char_boundary(text, span.start.min(text.len()));
    let end = floor_char_boundary(text, span.end.min(text.len()));
    // The line before and the line after are shown too.
    let before = text[..start]
        .rmatch_indices('\n')
        .nth(1)
        .map_or(0, |(at, _)| at);
    let after = text[end..]
        .match_indices('\n')
        .nth(1)
        .map_or(text.len(), |(at, _)| end + at);
    after - before <= MAX_SNIPPET
}

/// How diagnostics are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Source snippets with underlines; colour when `color` is set.
    Human {
        color: bool,
    },
    Json,
}

/// Renders diagnostics for people: the message, `path:line:column`, the line itself
/// with the problem underlined, and the suggested fix.
pub fn render_human(diagnostics: &[Diagnostic], color: bool) -> String {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_links(false)
        .with_context_lines(1)
        .with_width(100);
    let mut out = String::new();
    for diagnostic in diagnostics {
        let report = Report(diagnostic);
        // Rendering into a String cannot fail for lack of space; a miette formatting
        // error would only lose the snippet, so fall back to the plain line.
        if handler.render_report(&mut out, &report).is_err() {
            out.push_str(&plain_line(diagnostic));
        }
        if let Some(location) = &diagnostic.location
            && (location.source.is_none() || !shows_snippet(location))
        {
            // miette names the file only beside a snippet; say where it is anyway.
            out.push_str(&format!("  at {location}\n"));
        }
        out.push('\n');
    }
    out
}

/// One line per diagnostic, `path:line:column: severity: message`.
pub fn plain_line(diagnostic: &Diagnostic) -> String {
    let severity = match diagnostic.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    match &diagnostic.location {
        Some(l) => format!("{l}: {severity}: {}\n", diagnostic.message),
        None => format!("{severity}: {}\n", diagnostic.message),
    }
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    severity: Severity,
    code: &'a str,
    message: &'a str,
    file: Option<String>,
    line: Option<usize>,
    column: Option<usize>,
    end_line: Option<usize>,
    end_column: Option<usize>,
    label: Option<&'a str>,
    help: Option<&'a str>,
}

/// Renders diagnostics as a JSON array, one object per problem, for CI annotations.
pub fn render_json(diagnostics: &[Diagnostic]) -> String {
    let items: Vec<JsonDiagnostic> = diagnostics
        .iter()
        .map(|d| {
            let end = d.location.as_ref().and_then(|l| l.end());
            JsonDiagnostic {
                severity: d.severity,
                code: d.code,
                message: &d.message,
                file: d.location.as_ref().map(|l| display_path(&l.path)),
                line: d.location.as_ref().map(|l| l.line),
                column: d.location.as_ref().map(|l| l.column),
                end_line: end.map(|e| e.0),
                end_column: end.map(|e| e.1),
                label: d.label.as_deref(),
                help: d.help.as_deref(),
            }
        })
        .collect();
    // Serialising plain strings and numbers cannot fail.
    serde_json::to_string_pretty(&items).unwrap_or_else(|_| "[]".to_string()) + "\n"
}

/// Whether a location's source is shown: it has one, and its lines are short.
fn shows_snippet(location: &Location) -> bool {
    match (&location.source, &location.span) {
        (Some(source), Some(span)) => snippet_fits(source, span),
        (Some(source), None) => source.len() <= MAX_SNIPPET,
        (None, _) => false,
    }
}

/// Adapts a `Diagnostic` to miette's renderer.
struct Report<'a>(&'a Diagnostic);

impl fmt::Debug for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.message)
    }
}

impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.message)
    }
}

impl std::error::Error for Report<'_> {}

impl miette::Diagnostic for Report<'_> {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.0.code))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.0.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.0
            .help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        let location = self.0.location.as_ref()?;
        shows_snippet(location).then_some(self as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let location = self.0.location.as_ref()?;
        let span = location.span.clone()?;
        if !shows_snippet(location) {
            return None;
        }
        let span = SourceSpan::new(span.start.into(), span.len());
        Some(Box::new(std::iter::once(LabeledSpan::new_with_span(
            self.0.label.clone(),
            span,
        ))))
    }
}

impl miette::SourceCode for Report<'_> {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        let location = self
            .0
            .location
            .as_ref()
            .ok_or(miette::MietteError::OutOfBounds)?;
        let text = location
            .source
            .as_deref()
            .ok_or(miette::MietteError::OutOfBounds)?;
        let contents = text.read_span(span, context_lines_before, context_lines_after)?;
        Ok(Box::new(miette::MietteSpanContents::new_named(
            display_path(&location.path),
            contents.data(),
            *contents.span(),
            contents.line(),
            contents.column(),
            contents.line_count(),
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_characters() {
        let text = "a: 1\nbé: x\n";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 5), (2, 1));
        // 'x' sits after a two-byte character.
        assert_eq!(line_col(text, text.find('x').unwrap()), (2, 5));
        let source = SourceText::new("f.md", text);
        assert_eq!(source.offset(2, 5), text.find('x').unwrap());
        assert_eq!(source.offset(9, 1), text.len());
    }

    #[test]
    fn suggestions_pick_the_closest_candidate() {
        let terms = ["transparency", "accountability", "fairness"];
        assert_eq!(
            did_you_mean("transparancy", terms),
            Some("transparency".into())
        );
        assert_eq!(did_you_mean("Fairnes", terms), Some("fairness".into()));
        assert_eq!(did_you_mean("zebra", terms), None);
    }

    #[test]
    fn human_report_names_file_line_and_column() {
        let source = SourceText::new("content/a.md", "---\ntitle: A\ntype: gudiance\n---\n");
        let start = source.text.find("gudiance").unwrap();
        let d = Diagnostic::error("unknown-term", "`gudiance` is not a term of `type`")
            .at(Location::span(&source, start..start + 8))
            .label("not in the vocabulary")
            .help("did you mean `guidance`?");
        let out = render_human(&[d], false);
        assert!(out.contains("content/a.md:3:7"), "{out}");
        assert!(out.contains("type: gudiance"), "{out}");
        assert!(out.contains("did you mean `guidance`?"), "{out}");
    }
}
