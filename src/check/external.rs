//! `check --external`: every outbound address (resources' `url` and links in bodies)
//! requested, at most a few at a time per host, and what was found kept in the link
//! cache. An address is called broken only once it has failed on two separate runs;
//! the findings are warnings at every place the address is written, as other
//! people's sites come and go: only `--deny-warnings` makes them fail a check.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::{Condvar, Mutex};
use std::time::Duration;

use super::probe::{Outcome, Prober};
use crate::bodies::Bodies;
use crate::content::links::{LinkCache, LinkRecord, LinkStatus, checked_at};
use crate::diagnostics::{Diagnostic, Location};
use crate::markdown::LinkKind;
use crate::model::Collection;
use crate::yaml::Step;

/// Requests at once in all: the work is waiting on the network, not the processor.
const CONCURRENCY: usize = 16;
/// Requests at once to one host, so that a check never looks like an attack.
const PER_HOST: usize = 3;

/// How a check requests addresses.
#[derive(Debug, Clone)]
pub struct Options {
    /// How long to wait for each answer.
    pub timeout: Duration,
    /// Skip addresses that answered within this time.
    pub max_age: Option<Duration>,
    /// The longest `Retry-After` to wait for.
    pub max_wait: Duration,
}

/// What a check did.
pub struct Checked {
    /// What the cache says of each address, at every place it is written.
    pub diagnostics: Vec<Diagnostic>,
    /// Addresses requested.
    pub requested: usize,
    /// Addresses left alone, as they answered within `--max-age`.
    pub skipped: usize,
}

/// Checks every external address of the collection not checked recently, updates
/// the cache, and reports what it says of each address.
pub fn check(
    collection: &Collection,
    bodies: &Bodies,
    cache: &mut LinkCache,
    options: &Options,
) -> Checked {
    let places = addresses(collection, bodies);
    let now = time::OffsetDateTime::now_utc();
    let due: Vec<String> = places
        .keys()
        .filter(|url| !fresh(cache.get(url), now, options.max_age))
        .cloned()
        .collect();
    let (requested, skipped) = (due.len(), places.len() - due.len());
    let mut prober = Prober::new(options.timeout, &collection.config.base_url);
    prober.max_wait = options.max_wait;
    let outcomes = probe_all(&prober, due);
    let stamp = now
        .replace_nanosecond(0)
        .unwrap_or(now)
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default();
    let links = &collection.config.links;
    for (url, outcome) in outcomes {
        let previous = cache.links.remove(&url);
        let mut record = update(previous, outcome, stamp.clone());
        if record.is_broken()
            && record.archived.is_none()
            && let Some(api) = &links.archive_api
        {
            record.archived = archived_copy(&prober, api, &url);
        }
        cache.links.insert(url, record);
    }
    // Addresses the collection no longer has (fixed, or their entry removed) go.
    cache.links.retain(|url, _| places.contains_key(url));
    Checked {
        diagnostics: diagnostics(collection, cache, &places),
        requested,
        skipped,
    }
}

/// Whether an address answered within `max_age`.
fn fresh(
    record: Option<&LinkRecord>,
    now: time::OffsetDateTime,
    max_age: Option<Duration>,
) -> bool {
    let (Some(record), Some(max_age)) = (record, max_age) else {
        return false;
    };
    if !matches!(record.status, LinkStatus::Ok | LinkStatus::Redirected) {
        return false;
    }
    let max_age = time::Duration::try_from(max_age).unwrap_or(time::Duration::MAX);
    checked_at(record).is_some_and(|at| now - at <= max_age)
}

/// The record after one more run.
fn update(previous: Option<LinkRecord>, outcome: Outcome, checked: String) -> LinkRecord {
    // Being asked to wait says nothing of a link already known broken: it stays so.
    if let (Some(previous), Outcome::RateLimited { .. }) = (&previous, &outcome)
        && previous.is_broken()
    {
        return previous.clone();
    }
    let (failures, timed_out, archived) = previous
        .map(|p| (p.failures, p.timed_out, p.archived))
        .unwrap_or((0, false, None));
    let mut record = LinkRecord {
        checked,
        status: LinkStatus::Ok,
        http_status: None,
        final_url: None,
        moved_to: None,
        failures: 0,
        timed_out: false,
        detail: None,
        archived: None,
    };
    match outcome {
        Outcome::Ok {
            status,
            moved_to,
            final_url,
        } => {
            record.http_status = Some(status);
            record.final_url = final_url;
            if moved_to.is_some() {
                record.status = LinkStatus::Redirected;
                record.moved_to = moved_to;
            }
        }
        Outcome::Soft404 { status } => {
            record.status = LinkStatus::Soft404;
            record.http_status = Some(status);
            record.detail = Some("answers a made-up path on its host too".to_string());
        }
        Outcome::RateLimited { retry_after } => {
            // Neither a success nor a failure: what was known before stands.
            record.status = LinkStatus::RateLimited;
            record.http_status = Some(429);
            record.failures = failures;
            record.archived = archived;
            record.detail = Some(match retry_after {
                Some(seconds) => format!("asked to wait {seconds} seconds"),
                None => "asked to wait".to_string(),
            });
        }
        Outcome::Timeout => {
            record.status = LinkStatus::Failed;
            // A second timeout in a row adds nothing: slow is not gone.
            record.failures = if timed_out { failures } else { failures + 1 };
            record.timed_out = true;
            record.archived = archived;
            record.detail = Some("did not answer in time".to_string());
        }
        Outcome::Failed { status, detail } => {
            record.status = LinkStatus::Failed;
            record.http_status = status;
            record.failures = failures + 1;
            record.archived = archived;
            record.detail = Some(detail);
        }
    }
    record
}

/// Asks the archive's availability service for its copy of `url`.
fn archived_copy(prober: &Prober, api: &str, url: &str) -> Option<String> {
    let encoded = percent_encoding::utf8_percent_encode(url, percent_encoding::NON_ALPHANUMERIC);
    let answer = prober.get_json(&format!("{api}{encoded}"))?;
    let closest = &answer["archived_snapshots"]["closest"];
    // Offered on pages as a link: an answer that is no web address is none.
    (closest["available"].as_bool() != Some(false))
        .then(|| closest["url"].as_str().map(str::to_string))
        .flatten()
        .filter(|url| crate::paths::is_web_address(url))
}

/// Requests every address, at most [`PER_HOST`] at once to a host and
/// [`CONCURRENCY`] in all; results in the order of `urls`' addresses.
fn probe_all(prober: &Prober, urls: Vec<String>) -> BTreeMap<String, Outcome> {
    struct Queue {
        pending: VecDeque<String>,
        busy: HashMap<String, usize>,
        done: BTreeMap<String, Outcome>,
    }
    let queue = Mutex::new(Queue {
        pending: urls.into(),
        busy: HashMap::new(),
        done: BTreeMap::new(),
    });
    let changed = Condvar::new();
    let workers = CONCURRENCY.min(queue.lock().map_or(0, |q| q.pending.len()));
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let Ok(mut q) = queue.lock() else { return };
                    let (url, host) = loop {
                        if q.pending.is_empty() {
                            return;
                        }
                        let ready = q.pending.iter().position(|url| {
                            q.busy.get(&host_of(url)).copied().unwrap_or(0) < PER_HOST
                        });
                        match ready {
                            Some(i) => {
                                let url = q.pending.remove(i).unwrap_or_default();
                                let host = host_of(&url);
                                *q.busy.entry(host.clone()).or_default() += 1;
                                break (url, host);
                            }
                            None => match changed.wait(q) {
                                Ok(guard) => q = guard,
                                Err(_) => return,
                            },
                        }
                    };
                    drop(q);
                    let outcome = prober.probe(&url);
                    let Ok(mut q) = queue.lock() else { return };
                    if let Some(busy) = q.busy.get_mut(&host) {
                        *busy -= 1;
                    }
                    q.done.insert(url, outcome);
                    changed.notify_all();
                }
            });
        }
    });
    queue.into_inner().map(|q| q.done).unwrap_or_default()
}

fn host_of(url: &str) -> String {
    url::Url::parse(url)
        .ok()
        .and_then(|u| {
            u.host_str()
                .map(|h| format!("{h}:{}", u.port_or_known_default().unwrap_or(0)))
        })
        .unwrap_or_default()
}

/// What the cache says of each address, at every place it is written.
fn diagnostics(
    collection: &Collection,
    cache: &LinkCache,
    places: &BTreeMap<String, Vec<Place>>,
) -> Vec<Diagnostic> {
    let archive = &collection.config.links.archive;
    let mut problems = Vec::new();
    for (url, places) in places {
        let Some(record) = cache.get(url) else {
            continue;
        };
        let detail = record.detail.as_deref().unwrap_or("failed");
        for place in places {
            let found = match record.status {
                LinkStatus::Failed if record.is_broken() => {
                    let own = place
                        .entry
                        .and_then(|e| collection.entries[e].archived_url.as_deref());
                    let help = match (own, &record.archived) {
                        (Some(own), _) => format!(
                            "the entry's `archived_url` ({own}) is offered beside it; update the address, or remove the entry"
                        ),
                        (None, Some(copy)) => format!(
                            "an archived copy: {copy} (add it as `archived_url:` to offer it to readers)"
                        ),
                        (None, None) => format!(
                            "look for an archived copy at {archive}{url}; update the address, or find where the resource moved"
                        ),
                    };
                    Diagnostic::warning(
                        "broken-link-external",
                        format!(
                            "`{url}` is broken: it {detail} (failed on {} runs in a row)",
                            record.failures
                        ),
                    )
                    .label("this address no longer works")
                    .help(help)
                }
                LinkStatus::Redirected => Diagnostic::warning(
                    "moved-link",
                    format!(
                        "`{url}` has moved permanently to `{}`",
                        record.moved_to.as_deref().unwrap_or("?")
                    ),
                )
                .label("moved")
                .help("`almanac fix-links` writes the new address into `url:` fields"),
                LinkStatus::Soft404 => Diagnostic::warning(
                    "soft-404",
                    format!("`{url}` may not be the resource: its host answers any address, even a made-up one"),
                )
                .label("a parked domain or a catch-all page?")
                .help("open it in a browser; if the resource is gone, update the address"),
                _ => continue,
            };
            problems.push(found.at(place.location.clone()));
        }
    }
    problems
}

/// A place an address is written, and the entry it is in.
pub struct Place {
    pub location: Location,
    /// The entry whose `url:` this is (none for a link in a body).
    pub entry: Option<usize>,
    /// The entry whose file holds it.
    pub file_of: usize,
}

/// Every external address with the places it is written, in a stable order.
pub fn addresses(collection: &Collection, bodies: &Bodies) -> BTreeMap<String, Vec<Place>> {
    let mut places: BTreeMap<String, Vec<Place>> = BTreeMap::new();
    for (id, (entry, body)) in collection.entries.iter().zip(&bodies.entries).enumerate() {
        let file = &entry.file;
        if let Some(url) = &entry.url {
            let location = file
                .spans()
                .find(&[Step::key("url")], |text| text.trim() == url)
                .unwrap_or_else(|| Location::span(&file.source, 0..0));
            places.entry(url.clone()).or_default().push(Place {
                location,
                entry: Some(id),
                file_of: id,
            });
        }
        for link in &body.links {
            if let LinkKind::External(url) = &link.kind
                && (url.starts_with("http://") || url.starts_with("https://"))
            {
                let span = file.body.start + link.span.start..file.body.start + link.span.end;
                places.entry(url.clone()).or_default().push(Place {
                    location: Location::span(&file.source, span),
                    entry: None,
                    file_of: id,
                });
            }
        }
    }
    places
}

/// Every external address of the collection.
pub fn collection_addresses(collection: &Collection, bodies: &Bodies) -> Vec<String> {
    addresses(collection, bodies).into_keys().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failed() -> Outcome {
        Outcome::Failed {
            status: Some(404),
            detail: "answered with HTTP status 404".into(),
        }
    }

    #[test]
    fn broken_after_two_failing_runs_and_whole_again_after_an_answer() {
        let once = update(None, failed(), "t1".into());
        assert!(!once.is_broken());
        let twice = update(Some(once), failed(), "t2".into());
        assert!(twice.is_broken());
        let back = update(
            Some(twice),
            Outcome::Ok {
                status: 200,
                moved_to: None,
                final_url: None,
            },
            "t3".into(),
        );
        assert_eq!((back.status, back.failures), (LinkStatus::Ok, 0));
    }

    #[test]
    fn timeouts_in_a_row_count_once() {
        let one = update(None, Outcome::Timeout, "t1".into());
        let two = update(Some(one), Outcome::Timeout, "t2".into());
        assert_eq!(two.failures, 1);
        assert!(!two.is_broken());
        let then_gone = update(Some(two), failed(), "t3".into());
        assert!(then_gone.is_broken());
    }

    #[test]
    fn being_asked_to_wait_keeps_what_was_known() {
        let once = update(None, failed(), "t1".into());
        let limited = update(
            Some(once),
            Outcome::RateLimited {
                retry_after: Some(600),
            },
            "t2".into(),
        );
        assert_eq!(
            (limited.status, limited.failures),
            (LinkStatus::RateLimited, 1)
        );
        let broken = update(
            Some(update(None, failed(), "t1".into())),
            failed(),
            "t2".into(),
        );
        let still = update(
            Some(broken),
            Outcome::RateLimited { retry_after: None },
            "t3".into(),
        );
        assert!(still.is_broken());
    }
}
