//! A regex that matches single characters only: a literal character or a
//! class of them (`[\\/]`), the one kind of pattern the browser module's
//! tantivy code compiles. Any other pattern is refused with an [`Error`]
//! rather than matched differently from the real crate.

use std::borrow::Cow;
use std::fmt;

/// A compiled single-character pattern.
#[derive(Clone, Debug)]
pub struct Regex {
    pattern: String,
    chars: Vec<char>,
}

/// Where a pattern matched.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Match<'h> {
    haystack: &'h str,
    start: usize,
    end: usize,
}

impl<'h> Match<'h> {
    /// The byte offset of the match's start.
    pub fn start(&self) -> usize {
        self.start
    }

    /// The byte offset just past the match.
    pub fn end(&self) -> usize {
        self.end
    }

    /// The matched text.
    pub fn as_str(&self) -> &'h str {
        &self.haystack[self.start..self.end]
    }
}

/// A pattern this crate does not support.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error(String);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unsupported regex in the browser build: {}", self.0)
    }
}

impl std::error::Error for Error {}

/// Whether `c` has a meaning in a regex (as the `regex` crate says).
fn is_meta_character(c: char) -> bool {
    matches!(
        c,
        '\\' | '.'
            | '+'
            | '*'
            | '?'
            | '('
            | ')'
            | '|'
            | '['
            | ']'
            | '{'
            | '}'
            | '^'
            | '$'
            | '#'
            | '&'
            | '-'
            | '~'
    )
}

/// `pattern` with every meta character escaped, as the `regex` crate does.
pub fn escape(pattern: &str) -> String {
    let mut escaped = String::with_capacity(pattern.len());
    for c in pattern.chars() {
        if is_meta_character(c) {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}

/// The characters of `pattern` (literals or meta characters escaped with a
/// backslash), or `None` when one is anything else.
fn literals(pattern: &str) -> Option<Vec<char>> {
    let mut chars = Vec::new();
    let mut rest = pattern.chars();
    while let Some(c) = rest.next() {
        match c {
            '\\' => match rest.next() {
                Some(escaped) if is_meta_character(escaped) => chars.push(escaped),
                _ => return None,
            },
            c if is_meta_character(c) => return None,
            c => chars.push(c),
        }
    }
    Some(chars)
}

impl Regex {
    /// Compiles `pattern`: one literal character, or a class of literal
    /// characters (`[ab\\]`). Anything else is an [`Error`].
    pub fn new(pattern: &str) -> Result<Regex, Error> {
        let chars = match pattern.strip_prefix('[').and_then(|p| p.strip_suffix(']')) {
            Some(class) if !class.starts_with('^') => literals(class).filter(|c| !c.is_empty()),
            _ => literals(pattern).filter(|c| c.len() == 1),
        };
        match chars {
            Some(chars) => Ok(Regex {
                pattern: pattern.to_owned(),
                chars,
            }),
            None => Err(Error(pattern.to_owned())),
        }
    }

    /// The pattern this was compiled from.
    pub fn as_str(&self) -> &str {
        &self.pattern
    }

    /// Whether `haystack` has a match.
    pub fn is_match(&self, haystack: &str) -> bool {
        haystack.contains(self.chars.as_slice())
    }

    /// The leftmost match in `haystack`.
    pub fn find<'h>(&self, haystack: &'h str) -> Option<Match<'h>> {
        let start = haystack.find(self.chars.as_slice())?;
        let len = haystack[start..].chars().next().map_or(0, char::len_utf8);
        Some(Match {
            haystack,
            start,
            end: start + len,
        })
    }

    /// `haystack` with every match replaced by `replacement`, which is taken
    /// literally: it must not name capture groups (`$`), which the real crate
    /// would expand.
    pub fn replace_all<'h>(&self, haystack: &'h str, replacement: &str) -> Cow<'h, str> {
        debug_assert!(!replacement.contains('$'), "capture groups are unsupported");
        if !self.is_match(haystack) {
            return Cow::Borrowed(haystack);
        }
        Cow::Owned(haystack.replace(self.chars.as_slice(), replacement))
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn escapes_slashes_as_the_real_crate_does() {
        let ours = Regex::new(r"[\\/]").unwrap();
        let real = regex_lite::Regex::new(r"[\\/]").unwrap();
        for haystack in ["", "plain", "a/b", r"a\b", "é/", r"/\//x\", "ünï/cødé"] {
            assert_eq!(
                ours.replace_all(haystack, "\\/"),
                real.replace_all(haystack, "\\/"),
                "{haystack:?}"
            );
            assert_eq!(ours.is_match(haystack), real.is_match(haystack));
            let ours_found = ours
                .find(haystack)
                .map(|m| (m.start(), m.end(), m.as_str()));
            let real_found = real
                .find(haystack)
                .map(|m| (m.start(), m.end(), m.as_str()));
            assert_eq!(ours_found, real_found);
        }
        assert!(matches!(ours.replace_all("plain", "\\/"), Cow::Borrowed(_)));
    }

    #[test]
    fn escape_matches_the_real_crate() {
        let text = r"a.b*c?(d)|[e]{f}^g$h#i&j-k~l\m/n";
        assert_eq!(escape(text), regex_lite::escape(text));
    }

    #[test]
    fn refuses_what_it_cannot_match() {
        for pattern in ["^a.*$", "ab", "[^a]", "[a-z]", "[]", r"\d", "a+"] {
            assert!(Regex::new(pattern).is_err(), "{pattern:?}");
        }
        assert!(Regex::new("/").unwrap().is_match("a/b"));
        assert!(Regex::new(r"\.").unwrap().is_match("a.b"));
    }
}
