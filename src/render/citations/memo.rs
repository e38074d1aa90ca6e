//! Formatted references remembered by what they were formatted from, kept beside
//! the output between builds: a CSL processor takes most of a build's time, and
//! most references are the same as last time.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io;
use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde::{Deserialize, Serialize};

/// What a reference was formatted from: its CSL-JSON item and locale, hashed.
pub type Key = u128;

/// The formatter's version: a reference formatted by another version of Almanac
/// (or its CSL processor) is formatted again.
const VERSION: &str = concat!("almanac ", env!("CARGO_PKG_VERSION"), " citations 1");

#[derive(Default)]
pub struct Memo {
    known: Mutex<HashMap<Key, Option<String>>>,
    /// The keys asked for since the memo was made: all that `save` keeps, so the
    /// file holds one build's references, not every one ever formatted.
    asked: Mutex<HashSet<Key>>,
    /// How many references were formatted rather than found.
    formatted: AtomicUsize,
}

/// How a build came by its references: formatted by the CSL processor, or taken
/// up from the memo an earlier build saved (a build into a folder an earlier
/// build filled formats only what changed; one into an empty folder, all).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ReferenceCounts {
    pub formatted: usize,
    pub recalled: usize,
}

#[derive(Serialize, Deserialize)]
struct File {
    version: String,
    style: String,
    /// By key in hex; `null` where the style gives nothing.
    references: BTreeMap<String, Option<String>>,
}

impl Memo {
    pub fn key(item: &serde_json::Value, locale: &str) -> Key {
        let mut bytes = serde_json::to_vec(item).unwrap_or_default();
        bytes.push(0);
        bytes.extend_from_slice(locale.as_bytes());
        xxhash_rust::xxh3::xxh3_128(&bytes)
    }

    /// The reference under `key`, formatting it with `format` the first time.
    pub fn get_or(&self, key: Key, format: impl FnOnce() -> Option<String>) -> Option<String> {
        lock(&self.asked).insert(key);
        if let Some(found) = lock(&self.known).get(&key) {
            return found.clone();
        }
        let made = format();
        // Two threads may format the same new reference at once: count it once.
        if lock(&self.known).insert(key, made.clone()).is_none() {
            self.formatted.fetch_add(1, Ordering::Relaxed);
        }
        made
    }

    /// The references asked for so far, by how they were come by.
    pub fn counts(&self) -> ReferenceCounts {
        let asked = lock(&self.asked).len();
        let formatted = self.formatted.load(Ordering::Relaxed);
        ReferenceCounts {
            formatted,
            recalled: asked - formatted,
        }
    }

    /// The references a build of `style` saved at `path`; none when there is no
    /// such file or it was written for another style or version (never an error:
    /// the memo only saves time).
    pub fn load(path: &Path, style: &str) -> Memo {
        let memo = Memo::default();
        // A link, FIFO or device in its place is no memo, and is not waited on.
        let Ok(text) = crate::paths::read_own(path, crate::paths::MAX_OWN_BYTES) else {
            return memo;
        };
        let Ok(file) = serde_json::from_slice::<File>(&text) else {
            return memo;
        };
        if file.version != VERSION || file.style != style {
            return memo;
        }
        let known = file
            .references
            .into_iter()
            .filter_map(|(key, html)| Some((Key::from_str_radix(&key, 16).ok()?, html)))
            .collect();
        *lock(&memo.known) = known;
        memo
    }

    /// Writes the references asked for since the memo was made to `path`,
    /// through a temporary file so that a stopped build leaves the old file or
    /// the new one.
    pub fn save(&self, path: &Path, style: &str) -> io::Result<()> {
        let asked = lock(&self.asked);
        let known = lock(&self.known);
        let references = asked
            .iter()
            .filter_map(|key| Some((format!("{key:032x}"), known.get(key)?.clone())))
            .collect();
        let file = File {
            version: VERSION.to_string(),
            style: style.to_string(),
            references,
        };
        let text = serde_json::to_vec(&file).map_err(io::Error::other)?;
        crate::paths::write_whole(path, &text)
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}
