//! The link cache, `.almanac/links.json`: what `check --external` last learnt of each
//! outbound address, kept in the collection (sorted, pretty JSON) so that it can be
//! committed and shared with CI, and read by the build so pages know which links died.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::diagnostics::{Diagnostic, Location};

/// Where the cache lives, relative to the collection's folder.
pub const CACHE_PATH: &str = ".almanac/links.json";

/// Failing runs after which an address is reported broken: one failure may be a
/// server having a bad minute.
pub const BROKEN_AFTER: u32 = 2;

/// What the last check of an address found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LinkStatus {
    /// Answered, directly or through temporary redirects.
    Ok,
    /// Moved permanently: `moved_to` is where it lives now.
    Redirected,
    /// Failed (an error status, no such host, a redirect loop, no answer in time).
    Failed,
    /// Answered 429 and asked to wait longer than a check waits.
    RateLimited,
    /// Answered 200, but so does a made-up path on the same host: a parked domain
    /// or a catch-all page, not the resource.
    Soft404,
}

/// One address's record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkRecord {
    /// When it was last requested, RFC 3339 in UTC.
    pub checked: String,
    pub status: LinkStatus,
    /// The last HTTP status received, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http_status: Option<u16>,
    /// Where the redirects from the address ended, temporary ones too (none when
    /// it answered without redirecting).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub final_url: Option<String>,
    /// Where the unbroken chain of permanent redirects (301, 308) from the address
    /// led: the address it moved to, which `fix-links` writes in. Set when the
    /// status is `redirected`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub moved_to: Option<String>,
    /// Failing runs in a row (0 once it answers again).
    #[serde(default)]
    pub failures: u32,
    /// Whether the last failure was a timeout: timeouts count once in a row, as a
    /// slow server is not a dead one.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub timed_out: bool,
    /// What went wrong, in words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// A copy in the web archive, found when the address broke.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub archived: Option<String>,
}

impl LinkRecord {
    /// Failed on enough separate runs to call it broken.
    pub fn is_broken(&self) -> bool {
        self.status == LinkStatus::Failed && self.failures >= BROKEN_AFTER
    }
}

/// Every address's record, by address.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkCache {
    #[serde(default)]
    pub links: BTreeMap<String, LinkRecord>,
    /// The web archive's base address (`links.archive` of almanac.yaml), for
    /// suggesting where a copy of a broken link may be; not written to the file.
    #[serde(skip)]
    pub archive_base: Option<String>,
}

/// A broken address, with where an archived copy may be found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BrokenLink {
    pub url: String,
    pub detail: Option<String>,
    pub failures: u32,
    /// A copy the archive confirmed it holds.
    pub archived: Option<String>,
    /// Where to look for a copy: the confirmed one, or the archive's address for
    /// the link (which leads to its newest copy, if there is one).
    pub suggestion: Option<String>,
}

/// An address that moved permanently.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MovedLink {
    pub url: String,
    pub moved_to: String,
}

/// The state of the collection's links, for the curator's report.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct LinkSummary {
    pub checked: usize,
    pub ok: usize,
    pub broken: Vec<BrokenLink>,
    pub redirected: Vec<MovedLink>,
    /// Soft 404s: answered, but as any made-up path on the host does.
    pub suspect: Vec<String>,
    pub rate_limited: usize,
    /// Failed once; broken if they fail again.
    pub failing: usize,
    /// Addresses of the collection the cache does not know yet.
    pub unchecked: usize,
    /// Addresses whose last check is older than the given age.
    pub stale: usize,
}

impl LinkCache {
    pub fn get(&self, url: &str) -> Option<&LinkRecord> {
        self.links.get(url)
    }

    /// Whether the cache says `url` is broken.
    pub fn is_broken(&self, url: &str) -> bool {
        self.get(url).is_some_and(LinkRecord::is_broken)
    }

    /// The state of the addresses `urls` (the collection's as it is now, which
    /// `fix-links` or an edit may have changed since the last check): what the cache
    /// says of them, those it does not know, and those checked longer than
    /// `max_age` before `now`.
    pub fn summary_of<'a>(
        &self,
        urls: impl IntoIterator<Item = &'a str>,
        now: time::OffsetDateTime,
        max_age: Option<std::time::Duration>,
    ) -> LinkSummary {
        let urls: Vec<&str> = urls.into_iter().collect();
        let known = LinkCache {
            links: urls
                .iter()
                .filter_map(|url| Some((url.to_string(), self.links.get(*url)?.clone())))
                .collect(),
            archive_base: self.archive_base.clone(),
        };
        let mut summary = known.summary();
        for url in urls {
            match self.links.get(url) {
                None => summary.unchecked += 1,
                Some(record) => {
                    let age = checked_at(record).map(|at| now - at);
                    if let (Some(age), Some(max)) = (age, max_age)
                        && age > time::Duration::try_from(max).unwrap_or(time::Duration::MAX)
                    {
                        summary.stale += 1;
                    }
                }
            }
        }
        summary
    }

    /// The links' state as the cache knows it.
    pub fn summary(&self) -> LinkSummary {
        let mut summary = LinkSummary {
            checked: self.links.len(),
            ..LinkSummary::default()
        };
        for (url, record) in &self.links {
            match record.status {
                LinkStatus::Ok => summary.ok += 1,
                LinkStatus::Redirected => summary.redirected.push(MovedLink {
                    url: url.clone(),
                    moved_to: record.moved_to.clone().unwrap_or_default(),
                }),
                LinkStatus::Failed if record.is_broken() => summary.broken.push(BrokenLink {
                    url: url.clone(),
                    detail: record.detail.clone(),
                    failures: record.failures,
                    archived: record.archived.clone(),
                    suggestion: record.archived.clone().or_else(|| {
                        self.archive_base
                            .as_ref()
                            .map(|base| format!("{base}{url}"))
                    }),
                }),
                LinkStatus::Failed => summary.failing += 1,
                LinkStatus::RateLimited => summary.rate_limited += 1,
                LinkStatus::Soft404 => summary.suspect.push(url.clone()),
            }
        }
        summary
    }

    /// The cache as written: pretty, sorted, ending with a newline.
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).unwrap_or_else(|_| "{}".to_string());
        text.push('\n');
        text
    }

    /// Writes the cache into the collection, through a temporary file so that an
    /// interrupted write leaves the previous cache whole.
    pub fn write(&self, root: &Path) -> std::io::Result<()> {
        let path = root.join(CACHE_PATH);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir)?;
            // Not through a link out of the collection, which reading refuses too.
            super::Bounds::new(root)
                .admit(dir, Path::new(".almanac"))
                .map_err(|_| std::io::Error::other(".almanac/ is a link out of the collection"))?;
        }
        crate::paths::write_whole(&path, self.to_json().as_bytes())
    }
}

/// When a record was checked.
pub fn checked_at(record: &LinkRecord) -> Option<time::OffsetDateTime> {
    time::OffsetDateTime::parse(
        &record.checked,
        &time::format_description::well_known::Rfc3339,
    )
    .ok()
}

/// The cache's path in a collection.
pub fn path(root: &Path) -> PathBuf {
    root.join(CACHE_PATH)
}

/// Reads the collection's cache: empty when there is none; a located error when it
/// is not a cache (a merge left conflict markers in it, say).
pub fn read(root: &Path) -> Result<LinkCache, Diagnostic> {
    let file = path(root);
    match fs::symlink_metadata(&file) {
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            return Ok(LinkCache::default());
        }
        Err(error) => {
            return Err(Diagnostic::error(
                "link-cache",
                format!("{CACHE_PATH} could not be read: {error}"),
            )
            .at(Location::file(CACHE_PATH)));
        }
        Ok(_) => {}
    }
    // By the collection's rules, as its other files: a link out of it, a FIFO
    // or an endless device in the cache's place is refused, not read.
    let bytes =
        super::Bounds::new(root).read(&file, Path::new(CACHE_PATH), crate::paths::MAX_OWN_BYTES)?;
    let mut cache: LinkCache = serde_json::from_slice(&bytes).map_err(|error| {
        Diagnostic::error(
            "link-cache",
            format!("{CACHE_PATH} is not a link cache: {error}"),
        )
        .at(Location::position(
            CACHE_PATH,
            error.line().max(1),
            error.column().max(1),
        ))
        .label("not valid here")
        .help("fix the file, or delete it: `almanac check --external` writes it again")
    })?;
    // Caches written before `moved_to` was kept apart kept the move in `final_url`.
    // An archived copy is offered on pages: only a web address is (the file may
    // be edited by hand, or have been written from an archive's odd answer).
    for record in cache.links.values_mut() {
        record.archived = record
            .archived
            .take()
            .filter(|url| crate::paths::is_web_address(url));
        if record.status == LinkStatus::Redirected && record.moved_to.is_none() {
            record.moved_to = record.final_url.clone();
        }
    }
    Ok(cache)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(status: LinkStatus, failures: u32) -> LinkRecord {
        LinkRecord {
            checked: "2026-03-01T09:00:00Z".to_string(),
            status,
            http_status: None,
            final_url: None,
            moved_to: None,
            failures,
            timed_out: false,
            detail: None,
            archived: None,
        }
    }

    #[test]
    fn one_failure_is_not_broken_two_are() {
        let mut cache = LinkCache::default();
        cache
            .links
            .insert("https://a.test/".into(), record(LinkStatus::Failed, 1));
        cache
            .links
            .insert("https://b.test/".into(), record(LinkStatus::Failed, 2));
        let summary = cache.summary();
        assert_eq!(summary.failing, 1);
        assert_eq!(summary.broken.len(), 1);
        assert_eq!(summary.broken[0].url, "https://b.test/");
    }

    #[test]
    fn the_written_cache_reads_back_the_same_and_sorted() {
        let mut cache = LinkCache::default();
        cache
            .links
            .insert("https://z.test/".into(), record(LinkStatus::Ok, 0));
        cache
            .links
            .insert("https://a.test/".into(), record(LinkStatus::Ok, 0));
        let json = cache.to_json();
        assert!(json.find("a.test").unwrap() < json.find("z.test").unwrap());
        let back: LinkCache = serde_json::from_str(&json).unwrap();
        assert_eq!(back, cache);
    }

    #[test]
    fn stale_and_unchecked_are_counted() {
        let mut cache = LinkCache::default();
        cache
            .links
            .insert("https://a.test/".into(), record(LinkStatus::Ok, 0));
        let now = time::OffsetDateTime::parse(
            "2026-03-10T09:00:00Z",
            &time::format_description::well_known::Rfc3339,
        )
        .unwrap();
        let week = std::time::Duration::from_secs(7 * 86400);
        cache
            .links
            .insert("https://gone.test/".into(), record(LinkStatus::Failed, 2));
        let summary = cache.summary_of(["https://a.test/", "https://new.test/"], now, Some(week));
        assert_eq!((summary.stale, summary.unchecked), (1, 1));
        assert!(
            summary.broken.is_empty(),
            "no longer an address of the collection"
        );
        assert_eq!(cache.summary().broken.len(), 1);
    }
}
