//! Snippets: the stretch of a result's text with the most query words, HTML
//! escaped, with `<mark>` around each word that matched.

use std::collections::BTreeSet;

use tantivy::tokenizer::TextAnalyzer;

use crate::tokenizer::tokens;

/// Length of a snippet, in bytes of source text (about two lines).
const SNIPPET_BYTES: usize = 200;
/// Context kept before the first match so it does not open the snippet.
const LEAD_BYTES: usize = 40;

/// A text's best window: how many matches it holds, the text, where the
/// window's first match starts, and every match in the text.
type Candidate<'a> = (usize, &'a str, usize, Vec<(usize, usize)>);

/// The best snippet of `texts` (tried in order; the first wins a tie) for the
/// stems in `highlight`; the start of the first non-empty text when nothing matches.
pub(crate) fn snippet(
    analyzer: &mut TextAnalyzer,
    texts: &[&str],
    highlight: &BTreeSet<String>,
) -> String {
    let mut best: Option<Candidate<'_>> = None;
    for text in texts {
        let matches: Vec<(usize, usize)> = tokens(analyzer, text)
            .into_iter()
            .filter(|(stem, _, _)| highlight.contains(stem))
            .map(|(_, from, to)| (from, to))
            .collect();
        let (first, score) = best_window(&matches);
        if score > best.as_ref().map_or(0, |b| b.0) {
            best = Some((score, text, first, matches));
        }
    }
    match best {
        Some((_, text, first, matches)) => {
            let window = window_at(text, first);
            render(text, window, &clip(&matches, window))
        }
        None => {
            let text = texts
                .iter()
                .find(|t| !t.trim().is_empty())
                .copied()
                .unwrap_or("");
            render(text, window_at(text, 0), &[])
        }
    }
}

/// The match to start from that puts the most distinct matches in one window.
fn best_window(matches: &[(usize, usize)]) -> (usize, usize) {
    let mut best = (0, 0);
    for (i, &(from, _)) in matches.iter().enumerate() {
        let inside = matches[i..]
            .iter()
            .take_while(|m| m.1 <= from + SNIPPET_BYTES - LEAD_BYTES)
            .count();
        if inside > best.1 {
            best = (from, inside);
        }
    }
    best
}

/// The byte range to show for a window whose first match starts at `first`:
/// some context before it, cut at word boundaries and char boundaries.
fn window_at(text: &str, first: usize) -> (usize, usize) {
    let mut start = first.saturating_sub(LEAD_BYTES);
    if start > 0 {
        start = floor_char(text, start);
        // Begin at the next word rather than in the middle of one.
        if let Some(space) = text[start..first].find(char::is_whitespace) {
            start += space + 1;
        }
    }
    let mut end = floor_char(text, (start + SNIPPET_BYTES).min(text.len()));
    if end < text.len()
        && let Some(space) = text[start..end].rfind(char::is_whitespace)
        && start + space > first
    {
        end = start + space;
    }
    (start, end)
}

fn floor_char(text: &str, mut index: usize) -> usize {
    while index > 0 && !text.is_char_boundary(index) {
        index -= 1;
    }
    index
}

fn clip(matches: &[(usize, usize)], window: (usize, usize)) -> Vec<(usize, usize)> {
    matches
        .iter()
        .copied()
        .filter(|m| m.0 >= window.0 && m.1 <= window.1)
        .collect()
}

fn render(text: &str, (start, end): (usize, usize), matches: &[(usize, usize)]) -> String {
    let mut html = String::with_capacity(end - start + 32);
    if start > 0 {
        html.push('…');
    }
    let mut at = start;
    for &(from, to) in matches {
        if from < at || to > end {
            continue;
        }
        escape_into(&mut html, &text[at..from]);
        html.push_str("<mark>");
        escape_into(&mut html, &text[from..to]);
        html.push_str("</mark>");
        at = to;
    }
    escape_into(&mut html, &text[at..end]);
    if end < text.len() {
        html.push('…');
    }
    html
}

/// Escapes text for HTML content and attribute values alike.
pub(crate) fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stem::Stemmer;
    use crate::tokenizer::stemmed_analyzer;

    fn english() -> Option<Stemmer> {
        Stemmer::for_language("en", None).expect("the linked stemmers")
    }

    fn stems(words: &[&str]) -> BTreeSet<String> {
        words.iter().map(|w| (*w).to_owned()).collect()
    }

    #[test]
    fn marks_matches_and_escapes_the_rest() {
        let html = snippet(
            &mut stemmed_analyzer("en", english().as_ref()),
            &["Audits <b>& assessments</b> of algorithms"],
            &stems(&["assess", "algorithm"]),
        );
        assert_eq!(
            html,
            "Audits &lt;b&gt;&amp; <mark>assessments</mark>&lt;/b&gt; of <mark>algorithms</mark>"
        );
    }

    #[test]
    fn picks_the_text_and_window_with_most_matches() {
        let long = format!("{} privacy impact here", "filler words ".repeat(40));
        let html = snippet(
            &mut stemmed_analyzer("en", english().as_ref()),
            &["nothing relevant", &long],
            &stems(&["privaci", "impact"]),
        );
        assert!(html.starts_with('…'), "{html}");
        assert!(
            html.contains("<mark>privacy</mark> <mark>impact</mark> here"),
            "{html}"
        );
    }

    #[test]
    fn falls_back_to_the_start_of_the_text() {
        let html = snippet(
            &mut stemmed_analyzer("en", english().as_ref()),
            &["", "Plain é text"],
            &stems(&["x"]),
        );
        assert_eq!(html, "Plain é text");
    }
}
