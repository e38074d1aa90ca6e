//! Plain text collected beside the HTML: words joined by single spaces, blocks by newlines.

/// The separator owed before the next word.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Gap {
    None,
    Space,
    Line,
}

/// Builds whitespace-normalised text: separators are only written between
/// words, so the result never starts or ends with one and never doubles them.
#[derive(Debug)]
pub(crate) struct PlainText {
    buf: String,
    gap: Gap,
}

impl PlainText {
    pub(crate) fn with_capacity(capacity: usize) -> PlainText {
        PlainText {
            buf: String::with_capacity(capacity),
            gap: Gap::None,
        }
    }

    pub(crate) fn push(&mut self, s: &str) {
        if s.is_ascii() {
            // Bytes rather than decoded characters: most text is ASCII, and every
            // piece of every body comes through here. A vertical tab is whitespace
            // to `char::is_whitespace`, not to `u8::is_ascii_whitespace`.
            let mut start = 0;
            let words = s
                .bytes()
                .enumerate()
                .filter(|(_, b)| b.is_ascii_whitespace() || *b == 0x0b)
                .map(|(at, _)| at)
                .chain(std::iter::once(s.len()))
                .map(|end| {
                    let word = &s[start..end];
                    start = end + 1;
                    word
                });
            self.push_words(words);
        } else {
            self.push_words(s.split(char::is_whitespace));
        }
    }

    fn push_words<'a>(&mut self, mut words: impl Iterator<Item = &'a str>) {
        if let Some(first) = words.next() {
            self.word(first);
        }
        for word in words {
            self.gap = self.gap.max(Gap::Space);
            self.word(word);
        }
    }

    /// Ends a block (paragraph, list item, table row …).
    pub(crate) fn line(&mut self) {
        self.gap = Gap::Line;
    }

    /// Separates inline neighbours that are not separated in the source (table cells).
    pub(crate) fn space(&mut self) {
        self.gap = self.gap.max(Gap::Space);
    }

    pub(crate) fn into_string(self) -> String {
        self.buf
    }

    fn word(&mut self, word: &str) {
        if word.is_empty() {
            return;
        }
        if !self.buf.is_empty() {
            match self.gap {
                Gap::None => {}
                Gap::Space => self.buf.push(' '),
                Gap::Line => self.buf.push('\n'),
            }
        }
        self.gap = Gap::None;
        self.buf.push_str(word);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_whitespace() {
        let mut text = PlainText::with_capacity(0);
        text.line();
        text.push("  a  b\n");
        text.push("c");
        text.line();
        text.push("d");
        text.space();
        text.push("e ");
        text.line();
        assert_eq!(text.into_string(), "a b c\nd e");
    }

    #[test]
    fn ascii_and_other_text_split_alike() {
        for piece in ["\x0bx\x0cy\r\n z\t", "é\x0bx\x0cy\r\n z\t", "  ", ""] {
            let mut fast = PlainText::with_capacity(0);
            fast.push("a");
            fast.push(piece);
            fast.push("b");
            let expected = format!("a{piece}b")
                .split(char::is_whitespace)
                .filter(|w| !w.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
            assert_eq!(fast.into_string(), expected, "{piece:?}");
        }
    }
}
