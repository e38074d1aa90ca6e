//! What templates receive: serialisable views of the collection, one shape per
//! value documented in docs/templates.md.

use std::sync::OnceLock;

use serde::Serialize;
use tera::Value;

use crate::i18n::Strings;
use crate::model::date::PartialDate;
use crate::model::lifecycle::Status;
use crate::model::{Collection, Entry, EntryId, EntryKind, SectionId};
use crate::paths::page_url;

/// HTML that templates print as it is (rendered Markdown, SVG).
pub fn safe(html: &str) -> Value {
    Value::safe_string(html)
}

/// How a date reaches templates: as written, in words in the page's language, and
/// the year.
#[derive(Debug, Clone, Serialize)]
pub struct DateView {
    pub iso: String,
    pub display: String,
    pub year: i32,
}

impl DateView {
    pub fn new(date: &PartialDate, strings: &Strings) -> DateView {
        DateView {
            iso: date.to_string(),
            display: strings.date(date.year, date.month, date.day),
            year: date.year,
        }
    }
}

#[derive(Serialize)]
pub struct Link<'a> {
    pub title: &'a str,
    pub url: &'a str,
}

#[derive(Serialize, Clone)]
pub struct TermLink<'a> {
    pub slug: &'a str,
    pub label: &'a str,
    pub url: &'a str,
}

/// An entry as it appears in lists.
#[derive(Serialize)]
pub struct Card<'a> {
    pub title: &'a str,
    pub url: &'a str,
    pub summary: Option<&'a str>,
    /// The outbound address, for printed lists.
    pub link: Option<&'a str>,
    pub publisher: &'a [String],
    pub published: Option<DateView>,
    pub reviewed: Option<DateView>,
    #[serde(rename = "type")]
    pub kind: Option<TermLink<'a>>,
    pub section: Link<'a>,
    /// The language of the entry's page when it is not the list's (an entry
    /// without a translation, listed in another language).
    pub lang: Option<&'a str>,
    /// Superseded, withdrawn or under review; none for a current entry.
    pub status: Option<StatusView>,
}

/// A resource's status as lists and pages show it: its code (for styling) and its
/// name in the page's language.
#[derive(Serialize, Clone)]
pub struct StatusView {
    pub code: &'static str,
    pub label: String,
}

impl StatusView {
    /// `None` for a current entry, which is not marked.
    pub fn new(status: Status, strings: &Strings) -> Option<StatusView> {
        let key = match status {
            Status::Current => return None,
            Status::Superseded => "lifecycle.status_superseded",
            Status::Withdrawn => "lifecycle.status_withdrawn",
            Status::UnderReview => "lifecycle.status_under_review",
        };
        Some(StatusView {
            code: status.as_str(),
            label: strings.text(key),
        })
    }
}

impl<'a> Card<'a> {
    pub fn new(collection: &'a Collection, id: EntryId, strings: &Strings) -> Card<'a> {
        let entry = &collection.entries[id];
        let section = &collection.sections[entry.section];
        Card {
            title: &entry.title,
            url: &entry.path,
            summary: entry.summary.as_deref(),
            link: entry.url.as_deref(),
            publisher: &entry.publisher,
            published: entry.published.as_ref().map(|d| DateView::new(d, strings)),
            reviewed: entry.reviewed.as_ref().map(|d| DateView::new(d, strings)),
            kind: primary_term(collection, entry),
            section: Link {
                title: &section.title,
                url: &section.path,
            },
            lang: elsewhere_language(collection, entry),
            status: StatusView::new(entry.lifecycle.status, strings),
        }
    }
}

/// Each entry's card as a template value, made the first time a list shows it
/// during one render: an entry is on many lists (its section, every term and cell
/// it is on), and converting its card for each was a large part of rendering
/// them. Template values share their contents, so a list takes a handle, not a copy.
pub struct CardValues(Vec<OnceLock<Value>>);

impl CardValues {
    pub fn new(collection: &Collection) -> CardValues {
        CardValues(
            (0..collection.entries.len())
                .map(|_| OnceLock::new())
                .collect(),
        )
    }

    pub fn get(&self, collection: &Collection, id: EntryId, strings: &Strings) -> Value {
        let card = || Value::from_serializable(&Card::new(collection, id, strings));
        match self.0.get(id) {
            Some(slot) => slot.get_or_init(card).clone(),
            None => card(),
        }
    }
}

/// The term of the first single-term taxonomy: what kind of resource this is.
pub fn primary_term<'a>(collection: &'a Collection, entry: &Entry) -> Option<TermLink<'a>> {
    let (t, taxonomy) = collection
        .taxonomies
        .iter()
        .enumerate()
        .find(|(_, t)| t.config.single)?;
    let term = &taxonomy.terms[*entry.terms.get(t)?.first()?];
    Some(TermLink {
        slug: &term.slug,
        label: &term.label,
        url: &term.path,
    })
}

#[derive(Serialize)]
pub struct TaxonomyTerms<'a> {
    pub name: &'a str,
    pub label: &'a str,
    pub terms: Vec<TermLink<'a>>,
}

pub fn term_link(term: &crate::model::Term) -> TermLink<'_> {
    TermLink {
        slug: &term.slug,
        label: &term.label,
        url: &term.path,
    }
}

#[derive(Serialize)]
pub struct PageLink {
    pub number: usize,
    pub url: String,
    pub current: bool,
    /// Pages are left out between this one and the one before it.
    pub gap_before: bool,
}

/// Page links shown around the current one; the first and last are always shown.
const PAGE_WINDOW: usize = 2;

#[derive(Serialize)]
pub struct Pagination {
    pub current: usize,
    pub total_pages: usize,
    pub total_items: usize,
    pub previous_url: Option<String>,
    pub next_url: Option<String>,
    pub pages: Vec<PageLink>,
}

impl Pagination {
    pub fn new(base: &str, current: usize, total_pages: usize, total_items: usize) -> Pagination {
        Pagination {
            current,
            total_pages,
            total_items,
            previous_url: (current > 1).then(|| page_url(base, current - 1)),
            next_url: (current < total_pages).then(|| page_url(base, current + 1)),
            // A window, not every page: a list of 20,000 entries has 1,000 pages,
            // and listing them all on each would make the site grow with the square.
            pages: (1..=total_pages)
                .filter(|&n| n == 1 || n == total_pages || n.abs_diff(current) <= PAGE_WINDOW)
                .scan(0, |previous, n| {
                    let link = PageLink {
                        number: n,
                        url: page_url(base, n),
                        current: n == current,
                        gap_before: n > *previous + 1 && *previous > 0,
                    };
                    *previous = n;
                    Some(link)
                })
                .collect(),
        }
    }
}

#[derive(Serialize)]
pub struct SectionLink<'a> {
    pub title: &'a str,
    pub url: &'a str,
    pub description: &'a str,
    pub count: usize,
}

pub fn section_link(collection: &Collection, id: SectionId) -> SectionLink<'_> {
    let s = &collection.sections[id];
    SectionLink {
        title: &s.title,
        url: &s.path,
        description: &s.description,
        // A glossary counts its terms; other sections count resources, subsections included.
        count: if s.glossary {
            s.entries.len()
        } else {
            collection.resource_count(id)
        },
    }
}

pub fn ancestors(collection: &Collection, id: SectionId) -> Vec<Link<'_>> {
    collection
        .ancestors(id)
        .into_iter()
        .map(|s| Link {
            title: &collection.sections[s].title,
            url: &collection.sections[s].path,
        })
        .collect()
}

/// Glossary entries of a section grouped under their first letter.
#[derive(Serialize)]
pub struct Letter<'a> {
    pub letter: String,
    pub id: String,
    pub entries: Vec<GlossaryItem<'a>>,
}

#[derive(Serialize)]
pub struct GlossaryItem<'a> {
    pub title: &'a str,
    pub url: &'a str,
    pub summary: Option<&'a str>,
    pub synonyms: &'a [String],
    /// As for a card: the language of an entry without a translation.
    pub lang: Option<&'a str>,
}

/// The language an entry's page is in when it has no page in the collection's own
/// (it is listed from the default language).
pub fn elsewhere_language<'a>(collection: &'a Collection, entry: &Entry) -> Option<&'a str> {
    entry
        .elsewhere
        .then(|| collection.config.default_language())
}

pub fn letters<'a>(collection: &'a Collection, ids: &[EntryId]) -> Vec<Letter<'a>> {
    let mut sorted: Vec<&Entry> = ids
        .iter()
        .map(|&id| &collection.entries[id])
        .filter(|e| e.kind == EntryKind::Glossary)
        .collect();
    // Sorted as they are filed: `Équité` with the other E's, not after Z, where it
    // would open a second E group.
    sorted.sort_by_cached_key(|e| {
        (
            deunicode_first(&e.title),
            e.title.to_lowercase(),
            e.file.rel.clone(),
        )
    });
    let mut letters: Vec<Letter> = Vec::new();
    for entry in sorted {
        let first = deunicode_first(&entry.title);
        if letters.last().is_none_or(|l| l.letter != first) {
            letters.push(Letter {
                id: format!("letter-{}", first.to_lowercase().replace('#', "other")),
                letter: first.clone(),
                entries: Vec::new(),
            });
        }
        if let Some(last) = letters.last_mut() {
            last.entries.push(GlossaryItem {
                title: &entry.title,
                url: &entry.path,
                summary: entry.summary.as_deref(),
                synonyms: &entry.synonyms,
                lang: elsewhere_language(collection, entry),
            });
        }
    }
    letters
}

/// The letter an A–Z index files a title under: `É` under `E`, digits and symbols under `#`.
fn deunicode_first(title: &str) -> String {
    let folded = crate::paths::slugify(title);
    match folded.chars().next() {
        Some(c) if c.is_ascii_alphabetic() => c.to_ascii_uppercase().to_string(),
        _ => "#".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pagination_shows_a_window_with_gaps() {
        let p = Pagination::new("/a/", 10, 40, 800);
        let numbers: Vec<usize> = p.pages.iter().map(|l| l.number).collect();
        assert_eq!(numbers, [1, 8, 9, 10, 11, 12, 40]);
        let gaps: Vec<bool> = p.pages.iter().map(|l| l.gap_before).collect();
        assert_eq!(gaps, [false, true, false, false, false, false, true]);
        assert_eq!(p.previous_url.as_deref(), Some("/a/page/9/"));
        assert_eq!(p.pages[0].url, "/a/");
        let short = Pagination::new("/a/", 1, 3, 50);
        assert_eq!(short.pages.len(), 3);
        assert!(short.pages.iter().all(|l| !l.gap_before));
    }
}
