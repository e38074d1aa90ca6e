//! The glossary autolinker: finds the first whole-word mention of each glossary
//! term on a page and wraps it in a link to the term's page.

use std::borrow::Cow;
use std::collections::BTreeMap;

use aho_corasick::{AhoCorasick, AhoCorasickKind, Anchored, Input, MatchKind, StartKind};

use super::escape::{push_escaped, push_escaped_text, push_url};

/// Glossary terms to link automatically: the first occurrence of each term (or synonym) per page.
///
/// Built once per build and shared by every page render (it is `Send + Sync`).
#[derive(Debug)]
pub struct Autolinker {
    /// ASCII case-insensitive, leftmost-longest; `None` when there are no
    /// phrases or the automaton could not be built (only possible past
    /// aho-corasick's size limits), in which case nothing is linked.
    matcher: Option<AhoCorasick>,
    /// For each pattern of `matcher`, the index of its entry in `targets`.
    pattern_target: Vec<usize>,
    targets: Vec<Target>,
}

#[derive(Debug)]
struct Target {
    url: String,
    definition: String,
}

impl Autolinker {
    /// `entries`: (phrase, url, short definition). Several phrases may share one url (a term and its synonyms).
    ///
    /// The result does not depend on the order of `entries`: phrases are
    /// compared case-insensitively with inner whitespace collapsed, and a
    /// phrase claimed by several urls goes to the smallest url; a url's
    /// definition is the smallest non-empty one given for it.
    pub fn new(mut entries: Vec<(String, String, String)>) -> Autolinker {
        entries.sort_unstable();
        let mut by_url: BTreeMap<&str, &str> = BTreeMap::new();
        for (_, url, definition) in &entries {
            let slot = by_url.entry(url.as_str()).or_insert("");
            if slot.is_empty() {
                *slot = definition.trim();
            }
        }
        let index: BTreeMap<&str, usize> =
            by_url.keys().enumerate().map(|(i, u)| (*u, i)).collect();

        let mut phrases: Vec<(String, usize)> = entries
            .iter()
            .filter_map(|(phrase, url, _)| {
                let key = normalize_phrase(phrase);
                let target = *index.get(url.as_str())?;
                (!key.is_empty()).then_some((key, target))
            })
            .collect();
        phrases.sort_unstable();
        phrases.dedup_by(|later, earlier| later.0 == earlier.0);

        let matcher = if phrases.is_empty() {
            None
        } else {
            AhoCorasick::builder()
                // A full DFA: the crate picks one for small sets only, yet every
                // text of every page is scanned, and a glossary of hundreds of
                // terms made the default NFA the main cost of rendering bodies.
                .kind(Some(AhoCorasickKind::DFA))
                .ascii_case_insensitive(true)
                .match_kind(MatchKind::LeftmostLongest)
                // Anchored searches find a shorter phrase at the same start
                // when the longest one ends inside a word.
                .start_kind(StartKind::Both)
                .build(phrases.iter().map(|(key, _)| key.as_str()))
                .ok()
        };
        let targets = by_url
            .iter()
            .map(|(url, definition)| Target {
                url: (*url).to_owned(),
                definition: (*definition).to_owned(),
            })
            .collect();
        Autolinker {
            matcher,
            pattern_target: phrases.into_iter().map(|(_, target)| target).collect(),
            targets,
        }
    }
}

/// Lower-cased (ASCII) with runs of whitespace collapsed to one space, the form
/// the page text is searched in.
pub fn normalize_phrase(phrase: &str) -> String {
    let mut key = String::with_capacity(phrase.len());
    for word in phrase.split_whitespace() {
        if !key.is_empty() {
            key.push(' ');
        }
        key.push_str(word);
    }
    key.make_ascii_lowercase();
    key
}

/// One page's use of the glossary: which terms are already linked.
#[derive(Debug)]
pub(crate) struct PageGlossary<'g> {
    glossary: &'g Autolinker,
    matcher: Option<&'g AhoCorasick>,
    /// Per target: linked already on this page, or is the page itself.
    done: Vec<bool>,
    remaining: usize,
}

impl<'g> PageGlossary<'g> {
    pub(crate) fn new(glossary: &'g Autolinker, self_url: &str) -> PageGlossary<'g> {
        let done: Vec<bool> = glossary.targets.iter().map(|t| t.url == self_url).collect();
        let remaining = done.iter().filter(|d| !**d).count();
        PageGlossary {
            glossary,
            matcher: glossary.matcher.as_ref(),
            done,
            remaining,
        }
    }

    /// The HTML for `text` with glossary mentions linked, or `None` when
    /// nothing was linked (the caller then renders the text as usual).
    pub(crate) fn link(&mut self, text: &str) -> Option<String> {
        let matcher = self.matcher?;
        if self.remaining == 0 {
            return None;
        }
        // Phrases are stored with single spaces; a soft line break or tab
        // inside a mention must still match. Same length, so offsets agree.
        let haystack: Cow<str> = if text.bytes().any(|b| matches!(b, b'\n' | b'\r' | b'\t')) {
            Cow::Owned(text.replace(['\n', '\r', '\t'], " "))
        } else {
            Cow::Borrowed(text)
        };
        let hay = haystack.as_ref();

        let mut html: Option<String> = None;
        let mut copied = 0;
        let mut at = 0;
        while at < hay.len() && self.remaining > 0 {
            let Some(found) = matcher.find(Input::new(hay).range(at..)) else {
                break;
            };
            let start = found.start();
            if !boundary_before(hay, start) {
                at = next_char(hay, start);
                continue;
            }
            let Some((end, pattern)) =
                whole_word_at(matcher, hay, start, found.end(), found.pattern().as_usize())
            else {
                at = next_char(hay, start);
                continue;
            };
            // The longest whole-word phrase claims the text even when its term
            // is already linked, so a shorter term inside it is never linked.
            at = end;
            let Some(&target) = self.glossary.pattern_target.get(pattern) else {
                continue;
            };
            if self.done.get(target).copied().unwrap_or(true) {
                continue;
            }
            self.done[target] = true;
            self.remaining -= 1;
            let out = html.get_or_insert_with(|| String::with_capacity(text.len() + 128));
            push_escaped_text(out, &text[copied..start]);
            self.push_link(out, target, &text[start..end]);
            copied = end;
        }
        let mut out = html?;
        push_escaped_text(&mut out, &text[copied..]);
        Some(out)
    }

    fn push_link(&self, out: &mut String, target: usize, mention: &str) {
        let target = &self.glossary.targets[target];
        out.push_str("<a class=\"glossary-term\" href=\"");
        push_url(out, &target.url);
        out.push('"');
        if !target.definition.is_empty() {
            out.push_str(" title=\"");
            push_escaped(out, &target.definition);
            out.push('"');
        }
        out.push('>');
        push_escaped_text(out, mention);
        out.push_str("</a>");
    }
}

/// The longest phrase starting at `start` that also ends at a word boundary:
/// `(end, pattern)`. Tries shorter phrases at the same start when the longest
/// ends inside a word ("open data portal" in "open data portals" still lets
/// "open data" match).
fn whole_word_at(
    matcher: &AhoCorasick,
    hay: &str,
    start: usize,
    mut end: usize,
    mut pattern: usize,
) -> Option<(usize, usize)> {
    loop {
        if boundary_after(hay, end) {
            return Some((end, pattern));
        }
        let shorter = Input::new(hay)
            .range(start..end - 1)
            .anchored(Anchored::Yes);
        let found = matcher.find(shorter)?;
        end = found.end();
        pattern = found.pattern().as_usize();
    }
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

fn boundary_before(hay: &str, at: usize) -> bool {
    hay.get(..at)
        .is_some_and(|before| !before.chars().next_back().is_some_and(is_word_char))
}

fn boundary_after(hay: &str, at: usize) -> bool {
    hay.get(at..)
        .is_some_and(|after| !after.chars().next().is_some_and(is_word_char))
}

/// The byte offset of the character after the one at `at`.
fn next_char(hay: &str, at: usize) -> usize {
    hay.get(at..)
        .and_then(|rest| rest.chars().next())
        .map_or(hay.len(), |c| at + c.len_utf8())
}
