//! The search index, written in the background: an edit's pages are served and
//! the tabs reloaded first, then this thread writes the index of the new collection
//! (a second at 10k resources). Edits that arrive meanwhile are coalesced: only the
//! newest collection waiting is indexed. The rebuild thread publishes the result only
//! if it is the newest (see [`Indexer::is_latest`]), together with a search page
//! naming it; the index file's name is a hash of its bytes, so the old name keeps
//! serving the old index until then, and a name never serves other bytes.
//!
//! Rewriting the whole index was chosen over updating it: the index is packed into
//! one content-hashed file with a single merged segment, so that the same collection
//! always gives the same bytes as `almanac build`; a tantivy delete-and-add would
//! leave extra segments and different bytes.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::mpsc;
use std::thread::JoinHandle;

use super::builder::IndexJob;
use crate::diagnostics::{AsDiagnostics, Diagnostic};
use crate::model::Collection;
use crate::search::Index;

/// A finished index, for the build numbered `generation`.
pub struct Written {
    pub generation: u64,
    pub result: Result<Index, Vec<Diagnostic>>,
}

/// The indexing thread; it stops when this is dropped.
pub struct Indexer {
    jobs: Option<mpsc::Sender<(u64, IndexJob)>>,
    latest: u64,
    thread: Option<JoinHandle<()>>,
}

impl Indexer {
    /// Starts the thread; every finished index goes to `done`.
    pub fn start(done: impl Fn(Written) + Send + 'static) -> std::io::Result<Indexer> {
        let (jobs, waiting) = mpsc::channel::<(u64, IndexJob)>();
        let thread = std::thread::Builder::new()
            .name("almanac-index".into())
            .spawn(move || {
                while let Ok(mut job) = waiting.recv() {
                    // Only the newest collection matters.
                    while let Ok(newer) = waiting.try_recv() {
                        job = newer;
                    }
                    let (generation, IndexJob { collection, bodies }) = job;
                    let result = catch_unwind(AssertUnwindSafe(move || {
                        // A copy of its own, made here rather than by an edit that finds
                        // the shared one still held: the rebuild thread can then change
                        // the shared one in place while the index is written.
                        let texts = bodies
                            .entries
                            .iter()
                            .map(|b| almanac_search::Text::from(b.text.clone()))
                            .collect();
                        let own = Collection::clone(&collection);
                        drop((collection, bodies));
                        crate::search::index_texts(&own, texts).map_err(|e| e.diagnostics())
                    }))
                    .unwrap_or_else(|_| {
                        Err(vec![Diagnostic::error(
                            "search-index",
                            "the search index could not be written (an internal error)",
                        )])
                    });
                    done(Written { generation, result });
                }
            })?;
        Ok(Indexer {
            jobs: Some(jobs),
            latest: 0,
            thread: Some(thread),
        })
    }

    /// Asks for the index of a new build; replaces any not yet started.
    pub fn submit(&mut self, job: IndexJob) {
        self.latest += 1;
        if let Some(jobs) = &self.jobs {
            // The thread only ends when this sender is dropped.
            let _ = jobs.send((self.latest, job));
        }
    }

    /// Whether `generation` is the newest build asked for: an older index is not
    /// published, since the search page would then list the wrong filters.
    pub fn is_latest(&self, generation: u64) -> bool {
        generation == self.latest
    }
}

impl Drop for Indexer {
    fn drop(&mut self) {
        self.jobs = None;
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
