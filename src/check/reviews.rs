//! Reviews that are overdue under the collection's `review:` policy, as warnings at
//! the resource's `reviewed:` line (or its title when it has none).

use time::Date;

use crate::diagnostics::{Diagnostic, Location};
use crate::model::Collection;
use crate::model::review::{self, ReviewState};
use crate::yaml::Step;

/// One warning per resource whose review is overdue on `today`.
pub fn reviews(collection: &Collection, today: Date) -> Vec<Diagnostic> {
    review::due(collection, today)
        .into_iter()
        .filter(|due| due.state == ReviewState::Overdue)
        .map(|due| {
            let entry = &collection.entries[due.id];
            let spans = entry.file.spans();
            let location = spans
                .entry(&[Step::key("reviewed")])
                .or_else(|| spans.entry(&[Step::key("title")]))
                .unwrap_or_else(|| Location::span(&entry.file.source, 0..3));
            let (message, label) = match (due.date, entry.reviewed) {
                (Some(date), Some(_)) => (
                    format!("the review fell due on {}", review::iso(date)),
                    format!("reviewed every {}", due.interval),
                ),
                (Some(date), None) => (
                    format!(
                        "the review fell due on {} and the resource has never been reviewed",
                        review::iso(date)
                    ),
                    format!("{} after it was published", due.interval),
                ),
                (None, _) => (
                    "the resource has never been reviewed".to_string(),
                    "no `reviewed:` date".to_string(),
                ),
            };
            Diagnostic::warning("review-overdue", message)
                .at(location)
                .label(label)
                .help("check the resource is still accurate, then set `reviewed:` to today's date")
        })
        .collect()
}
