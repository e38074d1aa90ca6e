//! The orders lists of entries and sections follow: a section's own order
//! (`sort_by`), falling back to title then file path; sections by weight then title.

use std::cmp::Ordering;

use super::date::PartialDate;
use super::{Entry, SortBy};

pub(super) fn weight_then(a: &(Option<i64>, String), b: &(Option<i64>, String)) -> Ordering {
    match (a.0, b.0) {
        (Some(x), Some(y)) => x.cmp(&y).then_with(|| a.1.cmp(&b.1)),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => a.1.cmp(&b.1),
    }
}

pub(super) fn title_order(a: &Entry, b: &Entry) -> Ordering {
    a.title
        .to_lowercase()
        .cmp(&b.title.to_lowercase())
        .then_with(|| a.file.rel.cmp(&b.file.rel))
}

/// The entries' ids in [`title_order`].
pub(super) fn by_title(entries: &[Entry]) -> Vec<usize> {
    let keys: Vec<String> = entries.iter().map(|e| e.title.to_lowercase()).collect();
    let mut order: Vec<usize> = (0..entries.len()).collect();
    order.sort_by(|&a, &b| {
        keys[a]
            .cmp(&keys[b])
            .then_with(|| entries[a].file.rel.cmp(&entries[b].file.rel))
    });
    order
}

/// Each entry's place in [`title_order`].
pub(super) fn title_ranks(entries: &[Entry]) -> Vec<usize> {
    let order = by_title(entries);
    let mut rank = vec![0; entries.len()];
    for (place, &id) in order.iter().enumerate() {
        rank[id] = place;
    }
    rank
}

/// The order of entries in a section; ties always fall back to title, then path.
pub fn entry_order(sort_by: SortBy, a: &Entry, b: &Entry) -> Ordering {
    first_order(sort_by, a, b).then_with(|| title_order(a, b))
}

/// A section's own order, before the fallback to titles.
pub(super) fn first_order(sort_by: SortBy, a: &Entry, b: &Entry) -> Ordering {
    // Newest first; undated entries last.
    let newest = |x: Option<PartialDate>, y: Option<PartialDate>| match (x, y) {
        (Some(x), Some(y)) => y.cmp(&x),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    };
    match sort_by {
        SortBy::Title => Ordering::Equal,
        SortBy::Published => newest(a.published, b.published),
        SortBy::Reviewed => newest(a.reviewed, b.reviewed),
        SortBy::Weight => match (a.weight, b.weight) {
            (Some(x), Some(y)) => x.cmp(&y),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        },
    }
}
