//! The proposals section: drafts that `almanac new --from-issue` made from
//! colleagues' proposals, waiting for a curator to review and publish them.

use serde_json::json;

use super::{Item, Section};
use crate::model::Collection;
use crate::yaml::Step;

pub(super) fn proposals(collection: &Collection) -> Section {
    let mut waiting: Vec<_> = collection.proposals.iter().collect();
    // The longest waiting first.
    waiting.sort_by(|a, b| (a.proposal.date, &a.file.rel).cmp(&(b.proposal.date, &b.file.rel)));
    let items = waiting
        .into_iter()
        .map(|proposed| {
            let p = &proposed.proposal;
            let spans = proposed.file.spans();
            let line = spans
                .key(&[Step::key("proposed")])
                .or_else(|| spans.key(&[Step::key("title")]))
                .map_or(1, |l| l.line);
            let mut detail = format!("proposed on {}", p.date);
            if let Some(by) = &p.by {
                detail.push_str(&format!(" by {by}"));
            }
            if let Some(issue) = &p.issue {
                detail.push_str(&format!(" in {issue}"));
            }
            detail.push_str("; a draft until `draft: true` is removed");
            Item {
                title: proposed.title.clone(),
                file: Some(format!("content/{}", proposed.file.rel)),
                line: Some(line),
                detail,
                data: json!({
                    "proposed": p.date.to_string(),
                    "by": p.by,
                    "issue": p.issue,
                    "why": p.why,
                }),
            }
        })
        .collect();
    Section {
        name: "proposals",
        title: "Proposals from colleagues awaiting review",
        empty: "No proposal is waiting: every entry made from one has been published or removed.",
        note: None,
        skipped: None,
        items,
    }
}
