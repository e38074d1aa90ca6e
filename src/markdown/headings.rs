//! Heading ids: explicit `{#id}` kept, others slugged from the heading's text
//! and made unique within the page.

use std::collections::{HashMap, HashSet};

/// The ids already taken on one page.
#[derive(Debug, Default)]
pub(crate) struct HeadingIds {
    used: HashSet<String>,
    /// For each slug, the last number tried after it: a page of many headings
    /// with one title counts on from there instead of from 1 each time.
    next: HashMap<String, u32>,
}

impl HeadingIds {
    /// Marks an explicit id as taken before any heading is slugged, so a
    /// generated id never steals an id the curator chose, even a later one.
    pub(crate) fn reserve(&mut self, id: &str) {
        self.used.insert(id.to_owned());
    }

    /// A fresh id for a heading without an explicit one: the slug of `title`,
    /// `section` when the title has no letters or digits, then `-1`, `-2`, …
    /// until unused.
    pub(crate) fn generate(&mut self, title: &str) -> String {
        let mut base = slug::slugify(title);
        if base.is_empty() {
            base.push_str("section");
        }
        let mut id = base.clone();
        let n = self.next.entry(base.clone()).or_insert(0);
        while self.used.contains(&id) {
            *n += 1;
            id = format!("{base}-{n}");
        }
        self.used.insert(id.clone());
        id
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_dedups_and_respects_reserved() {
        let mut ids = HeadingIds::default();
        ids.reserve("scope-1");
        assert_eq!(ids.generate("Scope"), "scope");
        assert_eq!(ids.generate("Scope"), "scope-2");
        assert_eq!(ids.generate("Données & Éthique!"), "donnees-ethique");
        assert_eq!(ids.generate("!!!"), "section");
        assert_eq!(ids.generate(""), "section-1");
    }

    #[test]
    fn many_headings_of_one_title_count_on() {
        let mut ids = HeadingIds::default();
        ids.reserve("notes-3");
        let made: Vec<String> = (0..5).map(|_| ids.generate("Notes")).collect();
        assert_eq!(made, ["notes", "notes-1", "notes-2", "notes-4", "notes-5"]);
        // A title that slugs alike shares the count.
        assert_eq!(ids.generate("NOTES"), "notes-6");
    }
}
