//! Watching the collection: `almanac.yaml` and the root folder itself (not
//! recursively, to see folders appear), and `content/`, `templates/`, `static/`,
//! `themes/` and `i18n/` recursively. Events are debounced briefly, since one save is often
//! several file-system events, and handed on as batches of paths.

use std::path::{Path, PathBuf};
use std::time::Duration;

use notify::{EventKind, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};

/// Short enough to feel instant, long enough to join an editor's write-and-rename.
const DEBOUNCE: Duration = Duration::from_millis(50);

/// The folders watched recursively, relative to the collection's root.
pub const FOLDERS: [&str; 5] = ["content", "templates", "static", "themes", "i18n"];

/// Changed paths, one debounced batch.
#[derive(Debug, Default)]
pub struct Batch {
    pub paths: Vec<PathBuf>,
}

impl Batch {
    pub fn merge(&mut self, other: Batch) {
        self.paths.extend(other.paths);
        self.paths.sort();
        self.paths.dedup();
    }
}

/// The running watcher; dropping it stops it.
pub struct Watcher {
    debouncer: Debouncer<RecommendedWatcher, RecommendedCache>,
    root: PathBuf,
}

impl Watcher {
    /// Starts following folders created after the server started (say `templates/`).
    pub fn follow(&mut self, folders: &[PathBuf]) {
        for folder in folders {
            let watched = FOLDERS.iter().any(|name| *folder == self.root.join(name));
            if watched {
                // Already followed (or gone again): either way nothing to do.
                let _ = self.debouncer.watch(folder, RecursiveMode::Recursive);
            }
        }
    }
}

/// Starts watching `root`; batches of changed paths go to `send`.
pub fn start(root: &Path, send: impl Fn(Batch) + Send + 'static) -> Result<Watcher, notify::Error> {
    let handler = move |result: DebounceEventResult| {
        // A watcher error (say, too many files for inotify) cannot be fixed here; the
        // server goes on serving what it has.
        if let Ok(events) = result {
            // Reading a file is an event too (the rebuild reads every file it
            // changed); only writes, creations, removals and renames are changes.
            let mut paths: Vec<PathBuf> = events
                .into_iter()
                .filter(|e| !matches!(e.kind, EventKind::Access(_)))
                .flat_map(|e| e.event.paths)
                .collect();
            paths.sort();
            paths.dedup();
            if !paths.is_empty() {
                send(Batch { paths });
            }
        }
    };
    let mut debouncer = new_debouncer(DEBOUNCE, None, handler)?;
    // Absolute paths, so events can be matched against the root.
    let root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    debouncer.watch(&root, RecursiveMode::NonRecursive)?;
    for name in FOLDERS {
        let folder = root.join(name);
        if folder.is_dir() {
            debouncer.watch(&folder, RecursiveMode::Recursive)?;
        }
    }
    Ok(Watcher { debouncer, root })
}
