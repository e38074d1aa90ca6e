//! Which pages an edit of some entries affects: the entries' own pages, the pages of
//! every list they are or were on whose slice of the list changed (sections, taxonomy
//! terms, matrix cells), the taxonomy pages whose counts changed, the pages whose
//! related lists show them, and home. What each page shows is in `render`; this
//! module must follow it (the served-equals-built test is the safety net).
//!
//! An edit of bodies alone affects the entries' own pages only.
//!
//! Lists keep their length when entries are only edited (adding or removing files
//! takes the full path), so a page of a list changes exactly when its slice of ids
//! changes or shows a changed entry; a list whose length changed (an entry moved to
//! another term) changes on every page, and may lose its last ones.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use crate::content::SourceFile;
use crate::model::pages;
use crate::model::update::Replacement;
use crate::model::{Collection, EntryId, SectionId};
use crate::render::{Cells, Page};

/// The lists an edit may change, as they were before it.
pub struct Before {
    changed: HashSet<EntryId>,
    sections: BTreeMap<SectionId, Vec<EntryId>>,
    terms: BTreeMap<(usize, usize), Vec<EntryId>>,
    /// Each taxonomy's term counts.
    counts: Vec<Vec<usize>>,
    /// Whether any front matter changed. If not, only the bodies did, and a body is
    /// shown on its own page only (lists, feeds and exports show front matter).
    pub front_matter: bool,
}

/// What to render again and what is gone.
#[derive(Debug, Default)]
pub struct Affected {
    pub pages: Vec<Page>,
    /// Output files of pages that no longer exist.
    pub removed: Vec<String>,
}

fn front(file: &SourceFile) -> &str {
    &file.source.text[file.front.clone()]
}

/// Remembers the lists that `replacements` may change, before they are applied.
pub fn before(collection: &Collection, replacements: &[Replacement]) -> Before {
    let mut sections = BTreeMap::new();
    let mut terms = BTreeMap::new();
    for r in replacements {
        let old = &collection.entries[r.id];
        sections
            .entry(old.section)
            .or_insert_with(|| collection.sections[old.section].entries.clone());
        for (t, taxonomy) in collection.taxonomies.iter().enumerate() {
            let old_terms = old.terms.get(t).into_iter().flatten();
            let new_terms = r.entry.terms.get(t).into_iter().flatten();
            for &i in old_terms.chain(new_terms) {
                terms
                    .entry((t, i))
                    .or_insert_with(|| taxonomy.terms[i].resources.clone());
            }
        }
    }
    let front_matter = replacements
        .iter()
        .any(|r| front(&collection.entries[r.id].file) != front(&r.entry.file));
    Before {
        front_matter,
        changed: replacements.iter().map(|r| r.id).collect(),
        sections,
        terms,
        counts: counts(collection),
    }
}

fn counts(collection: &Collection) -> Vec<Vec<usize>> {
    collection
        .taxonomies
        .iter()
        .map(|t| t.terms.iter().map(|term| term.resources.len()).collect())
        .collect()
}

/// The pages to render again now that the edit is applied to `collection`;
/// `old_cells` and `cells` are the matrix before and after.
pub fn affected(
    before: &Before,
    collection: &Collection,
    old_cells: &Cells,
    cells: &Cells,
) -> Affected {
    let changed = &before.changed;
    if !before.front_matter {
        return Affected {
            pages: changed.iter().map(|&id| Page::Entry(id)).collect(),
            removed: Vec::new(),
        };
    }
    let mut pages: BTreeSet<Page> = BTreeSet::new();
    let mut removed = Vec::new();
    pages.insert(Page::Home);
    pages.extend(changed.iter().map(|&id| Page::Entry(id)));
    // Related lists show the entries' cards (titles for glossary entries).
    for (id, entry) in collection.entries.iter().enumerate() {
        if entry.related.iter().any(|r| changed.contains(r)) {
            pages.insert(Page::Entry(id));
        }
    }
    for (&id, old) in &before.sections {
        let section = &collection.sections[id];
        // The top folder's plain pages are listed by no section page (home is above).
        if id == 0 {
            continue;
        }
        if section.glossary {
            pages.insert(Page::Section(id, 1));
            continue;
        }
        let list = List::diff(old, &section.entries, section.paginate_by, changed);
        pages.extend(list.dirty.iter().map(|&n| Page::Section(id, n)));
    }
    let counts = counts(collection);
    for (&(t, i), old) in &before.terms {
        let taxonomy = &collection.taxonomies[t];
        let per_page = taxonomy.config.paginate_by;
        let list = List::diff(old, &taxonomy.terms[i].resources, per_page, changed);
        pages.extend(list.dirty.iter().map(|&n| Page::Term(t, i, n)));
        removed.extend(
            (list.pages + 1..=list.old_pages)
                .map(|n| (t, i, n))
                .map(|(t, i, n)| Page::Term(t, i, n).file(collection)),
        );
    }
    let axes = pages::matrix_axes(collection);
    for (t, taxonomy) in collection.taxonomies.iter().enumerate() {
        if before.counts.get(t) == counts.get(t) {
            continue;
        }
        // Term pages show their taxonomy with every term's count.
        pages.insert(Page::Taxonomy(t));
        for (i, term) in taxonomy.terms.iter().enumerate() {
            let n = pages::page_count(term.resources.len(), taxonomy.config.paginate_by);
            pages.extend((1..=n).map(|n| Page::Term(t, i, n)));
        }
        if axes.is_some_and(|(rows, _)| rows == t) {
            for (&(row, column), ids) in cells.iter() {
                let n = pages::page_count(ids.len(), taxonomy.config.paginate_by);
                pages.extend((1..=n).map(|n| Page::Cell(row, column, n)));
            }
        }
    }
    if let Some((rows, _)) = axes {
        let per_page = collection.taxonomies[rows].config.paginate_by;
        let keys: BTreeSet<(usize, usize)> = old_cells
            .iter()
            .chain(cells.iter())
            .map(|(key, _)| *key)
            .collect();
        for (row, column) in keys {
            let old = old_cells.get(row, column);
            let new = cells.get(row, column);
            let list = List::diff(old, new, per_page, changed);
            // An empty cell has no page at all.
            let (pages_now, dirty) = if new.is_empty() {
                (0, Vec::new())
            } else {
                (list.pages, list.dirty)
            };
            let pages_then = if old.is_empty() { 0 } else { list.old_pages };
            pages.extend(dirty.into_iter().map(|n| Page::Cell(row, column, n)));
            removed.extend(
                (pages_now + 1..=pages_then).map(|n| Page::Cell(row, column, n).file(collection)),
            );
        }
    }
    Affected {
        pages: pages.into_iter().collect(),
        removed,
    }
}

/// The pages of one paginated list that differ between two versions of it.
struct List {
    dirty: Vec<usize>,
    pages: usize,
    old_pages: usize,
}

impl List {
    fn diff(old: &[EntryId], new: &[EntryId], per_page: usize, changed: &HashSet<EntryId>) -> List {
        let per_page = per_page.max(1);
        let pages = pages::page_count(new.len(), per_page);
        let old_pages = pages::page_count(old.len(), per_page);
        let dirty = if old.len() != new.len() {
            // Every page says how many items the list has.
            (1..=pages).collect()
        } else {
            (1..=pages)
                .filter(|&n| {
                    let slice = (n - 1) * per_page..(n * per_page).min(new.len());
                    old[slice.clone()] != new[slice.clone()]
                        || new[slice].iter().any(|id| changed.contains(id))
                })
                .collect()
        };
        List {
            dirty,
            pages,
            old_pages,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_moved_entry_dirties_the_pages_between_its_places() {
        let old: Vec<usize> = (0..10).collect();
        // Entry 1 moves from page 1 to page 4 (three per page).
        let new = vec![0, 2, 3, 4, 5, 6, 7, 8, 9, 1];
        let changed = HashSet::from([1]);
        let list = List::diff(&old, &new, 3, &changed);
        assert_eq!(list.dirty, [1, 2, 3, 4]);
        // Only a title changed, in place: its page alone.
        let list = List::diff(&old, &old, 3, &HashSet::from([4]));
        assert_eq!(list.dirty, [2]);
        // One fewer item: every page, and the last one is gone.
        let list = List::diff(&old, &old[..9], 3, &changed);
        assert_eq!((list.dirty.len(), list.pages, list.old_pages), (3, 3, 4));
    }
}
