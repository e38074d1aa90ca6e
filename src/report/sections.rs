//! Each section of the curator's report, computed from the collection.

use serde_json::json;
use time::Date;

use super::{Item, Section};
use crate::bodies::Bodies;
use crate::diagnostics::Location;
use crate::markdown::LinkKind;
use crate::model::pages::{Cells, matrix_axes};
use crate::model::review::{self, ReviewState};
use crate::model::{Collection, Entry, Target};
use crate::yaml::{Spans, Step};

fn content_file(entry: &Entry) -> String {
    format!("content/{}", entry.file.rel)
}

/// The line of `key` in an entry's front matter, else of its title.
fn line_of(entry: &Entry, key: &str) -> usize {
    let spans = entry.file.spans();
    spans
        .key(&[Step::key(key)])
        .or_else(|| spans.key(&[Step::key("title")]))
        .map_or(1, |l| l.line)
}

pub(super) fn review(collection: &Collection, today: Date) -> Section {
    let items = review::due(collection, today)
        .into_iter()
        .map(|due| {
            let entry = &collection.entries[due.id];
            let when = due.date.map(review::iso);
            let detail = match (due.state, &when) {
                (ReviewState::Overdue, Some(date)) => {
                    format!("overdue since {date} (reviewed every {})", due.interval)
                }
                (ReviewState::Overdue, None) => "never reviewed".to_string(),
                (ReviewState::Soon, Some(date)) => {
                    format!("due on {date} (reviewed every {})", due.interval)
                }
                (ReviewState::Soon, None) => "due soon".to_string(),
            };
            Item {
                title: entry.title.clone(),
                file: Some(content_file(entry)),
                line: Some(line_of(entry, "reviewed")),
                detail,
                data: json!({
                    "state": match due.state { ReviewState::Overdue => "overdue", ReviewState::Soon => "soon" },
                    "due": when,
                    "reviewed": entry.reviewed.map(|d| d.to_string()),
                    "interval": due.interval.to_string(),
                    "path": entry.path,
                }),
            }
        })
        .collect();
    Section {
        name: "review",
        title: "Reviews overdue or due soon",
        empty: "Every resource has been reviewed within its interval.",
        note: None,
        skipped: collection.config.review.is_none().then(|| {
            "The collection sets no review policy (`review:` in almanac.yaml).".to_string()
        }),
        items,
    }
}

pub(super) fn missing(collection: &Collection) -> Section {
    let items = collection
        .resources()
        .filter(|(_, e)| !e.elsewhere)
        .filter_map(|(_, entry)| {
            let mut absent = Vec::new();
            if entry.summary.is_none() {
                absent.push("summary");
            }
            if entry.publisher.is_empty() {
                absent.push("publisher");
            }
            if entry.published.is_none() {
                absent.push("published");
            }
            (!absent.is_empty()).then(|| Item {
                title: entry.title.clone(),
                file: Some(content_file(entry)),
                line: Some(line_of(entry, "title")),
                detail: format!("no {}", absent.join(", no ")),
                data: json!({ "missing": absent, "path": entry.path }),
            })
        })
        .collect();
    Section {
        name: "missing",
        title: "Resources missing recommended fields",
        empty: "Every resource has a summary, a publisher and a date of publication.",
        note: None,
        skipped: None,
        items,
    }
}

pub(super) fn vocabulary(collection: &Collection) -> Section {
    let config = &collection.config;
    let spans = Spans::parse(&config.source, 0..config.source.text.len());
    let mut items = Vec::new();
    for (t, taxonomy) in collection.taxonomies.iter().enumerate() {
        if taxonomy.config.terms.is_none() {
            continue;
        }
        for term in taxonomy
            .terms
            .iter()
            .filter(|term| term.resources.is_empty())
        {
            let line = spans
                .as_ref()
                .and_then(|s| {
                    s.key(&[
                        Step::key("taxonomies"),
                        Step::Item(t),
                        Step::key("terms"),
                        Step::key(&term.slug),
                    ])
                })
                .map(|l: Location| l.line);
            items.push(Item {
                title: format!("{}: {}", taxonomy.config.label, term.label),
                file: Some("almanac.yaml".to_string()),
                line,
                detail: format!("no resource has `{}: {}`", taxonomy.config.name, term.slug),
                data: json!({ "taxonomy": taxonomy.config.name, "term": term.slug }),
            });
        }
    }
    Section {
        name: "vocabulary",
        title: "Vocabulary terms with no resources",
        empty: "Every term of every controlled vocabulary has at least one resource.",
        note: None,
        skipped: None,
        items,
    }
}

pub(super) fn matrix(collection: &Collection) -> Section {
    let mut section = Section {
        name: "matrix",
        title: "Empty cells of the home page's matrix",
        empty: "Every cell of the matrix has at least one resource.",
        note: None,
        skipped: None,
        items: Vec::new(),
    };
    let Some((r, c)) = matrix_axes(collection) else {
        section.skipped = Some("The collection has no matrix.".to_string());
        return section;
    };
    let cells = Cells::new(collection);
    let (rows, columns) = (&collection.taxonomies[r], &collection.taxonomies[c]);
    // The home page shows the rows and columns that have resources.
    let used = |terms: &[crate::model::Term]| -> Vec<usize> {
        (0..terms.len())
            .filter(|&i| !terms[i].resources.is_empty())
            .collect()
    };
    for row in used(&rows.terms) {
        for &column in &used(&columns.terms) {
            if cells.get(row, column).is_empty() {
                let (row_term, column_term) = (&rows.terms[row], &columns.terms[column]);
                section.items.push(Item {
                    title: format!("{} × {}", row_term.label, column_term.label),
                    file: None,
                    line: None,
                    detail: format!(
                        "no resource has both `{}: {}` and `{}: {}`",
                        rows.config.name, row_term.slug, columns.config.name, column_term.slug
                    ),
                    data: json!({
                        "row": { "taxonomy": rows.config.name, "term": row_term.slug },
                        "column": { "taxonomy": columns.config.name, "term": column_term.slug },
                    }),
                });
            }
        }
    }
    section
}

pub(super) fn superseded_links(collection: &Collection, bodies: &Bodies) -> Section {
    let mut items = Vec::new();
    let retired = |id: usize| collection.entries[id].lifecycle.status.is_retired();
    // A successor may well name what it replaces: that link is history, not a slip.
    let succeeds = |id: usize, old: usize| {
        let mut next = collection.entries[old].superseded_by;
        for _ in 0..collection.entries.len() {
            match next {
                Some(n) if n == id => return true,
                Some(n) => next = collection.entries[n].superseded_by,
                None => return false,
            }
        }
        false
    };
    let stale = |id: usize, target: usize| retired(target) && target != id && !succeeds(id, target);
    for (id, entry) in collection.entries.iter().enumerate() {
        if entry.elsewhere || retired(id) {
            continue;
        }
        let mut item = |target: usize, line: usize, how: &str| {
            let old = &collection.entries[target];
            let successor = old
                .superseded_by
                .map(|s| content_file(&collection.entries[s]));
            let status = old.lifecycle.status.as_str();
            let detail = match &successor {
                Some(s) => format!(
                    "{how} `{}`, {status}: link to `{s}` instead",
                    content_file(old)
                ),
                None => format!("{how} `{}`, {status}", content_file(old)),
            };
            items.push(Item {
                title: entry.title.clone(),
                file: Some(content_file(entry)),
                line: Some(line),
                detail,
                data: json!({
                    "target": content_file(old),
                    "status": status,
                    "successor": successor,
                }),
            });
        };
        for &r in entry.related.iter().filter(|&&r| stale(id, r)) {
            let rel = &collection.entries[r].file.rel;
            let line = entry
                .file
                .spans()
                .find(&[Step::key("related")], |t| {
                    t.trim().trim_start_matches("@/").trim_start_matches('/') == rel
                })
                .map_or_else(|| line_of(entry, "related"), |l| l.line);
            item(r, line, "`related` names");
        }
        let Some(body) = bodies.entries.get(id) else {
            continue;
        };
        for link in &body.links {
            let LinkKind::Internal { path, .. } = &link.kind else {
                continue;
            };
            if let Some(Target::Entry(target)) =
                collection.targets.get(path.trim_start_matches('/'))
                && stale(id, *target)
            {
                let offset = entry.file.body.start + link.span.start;
                let line = entry.file.source.line_col(offset).0;
                item(*target, line, "the notes link to");
            }
        }
    }
    Section {
        name: "superseded_links",
        title: "Links from current entries to superseded or withdrawn ones",
        empty: "No current entry links to a superseded or withdrawn one.",
        note: None,
        skipped: None,
        items,
    }
}
