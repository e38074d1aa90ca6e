//! The report's link-health section: what the last `check --external` runs left in
//! `.almanac/links.json`, at every place the collection writes the address.

use serde_json::json;

use super::{Item, Section};
use crate::bodies::Bodies;
use crate::check::external::addresses;
use crate::content::links::LinkStatus;
use crate::model::Collection;

pub(super) fn links(collection: &Collection, bodies: &Bodies) -> Section {
    let cache = &collection.links;
    let places = addresses(collection, bodies);
    let summary = cache.summary_of(
        places.keys().map(String::as_str),
        time::OffsetDateTime::now_utc(),
        None,
    );
    let mut items = Vec::new();
    for (url, places) in &places {
        let Some(record) = cache.get(url) else {
            continue;
        };
        // The cache is a file anyone may edit: only web addresses are shown.
        let web =
            |url: &Option<String>| url.clone().filter(|url| crate::paths::is_web_address(url));
        let moved_to = web(&record.moved_to);
        let (state, detail) = match record.status {
            LinkStatus::Failed if record.is_broken() => {
                let copy = places
                    .iter()
                    .find_map(|p| {
                        p.entry
                            .and_then(|e| collection.entries[e].archived_url.clone())
                    })
                    .or_else(|| record.archived.clone());
                let what = record.detail.as_deref().unwrap_or("failed");
                let detail = match &copy {
                    Some(copy) => format!(
                        "{url} is broken: it {what} on {} runs in a row; archived copy: {copy}",
                        record.failures
                    ),
                    None => format!(
                        "{url} is broken: it {what} on {} runs in a row; look for a copy at {}{url}",
                        record.failures, collection.config.links.archive
                    ),
                };
                ("broken", detail)
            }
            LinkStatus::Redirected => (
                "moved",
                match &moved_to {
                    Some(moved_to) => format!(
                        "{url} has moved permanently to {moved_to} (`almanac fix-links` rewrites `url:` fields)"
                    ),
                    None => format!(
                        "{url} has moved permanently, to no web address the link cache records (`almanac check --external` asks again)"
                    ),
                },
            ),
            LinkStatus::Soft404 => (
                "suspect",
                format!(
                    "{url} may not be the resource: its host answers any address, even a made-up one"
                ),
            ),
            _ => continue,
        };
        for place in places {
            let entry = &collection.entries[place.file_of];
            items.push(Item {
                title: entry.title.clone(),
                file: Some(format!("content/{}", entry.file.rel)),
                line: Some(place.location.line),
                detail: detail.clone(),
                data: json!({
                    "state": state,
                    "url": url,
                    "field": place.entry.map(|_| "url"),
                    "final_url": web(&record.final_url),
                    "moved_to": moved_to,
                    "archived": record.archived,
                    "failures": record.failures,
                    "checked": record.checked,
                }),
            });
        }
    }
    let never = cache.links.is_empty();
    Section {
        name: "links",
        title: "Links that broke, moved or look parked",
        empty: "Every address answered when it was last checked.",
        skipped: never.then(|| {
            "No link check has been run yet: `almanac check --external` keeps its results in .almanac/links.json.".to_string()
        }),
        note: (!never).then(|| {
            format!(
                "{} of {} addresses checked; {} not checked yet; {} failed once (broken if they fail again); {} asked to be checked later (HTTP 429).",
                places.len() - summary.unchecked,
                places.len(),
                summary.unchecked,
                summary.failing,
                summary.rate_limited
            )
        }),
        items,
    }
}
