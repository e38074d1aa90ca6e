//! The development server: builds the collection into memory, serves it over HTTP on
//! loopback, watches the collection's files, rebuilds what a change touches and tells
//! open tabs to reload (or shows them what went wrong). Nothing is written to disk.
//!
//! Threads: the HTTP server runs on a small tokio runtime; one plain thread owns the
//! [`builder::Builder`] and the file watcher and publishes every good build as a new
//! [`site::Snapshot`] in the shared [`State`]; another writes the search index after
//! each rebuild ([`indexer`]), which the first one then publishes too. Requests only
//! ever read snapshots; a page a rebuild left to later ([`site::Later`]) is rendered,
//! once, by the first request for it, on the request's thread (a few milliseconds).

mod affected;
mod builder;
mod guard;
mod http;
mod incremental;
mod indexer;
mod mirror;
mod reload;
mod request_path;
mod site;
mod watch;

use std::net::{IpAddr, SocketAddr};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use tokio::sync::{broadcast, watch as tokio_watch};

use crate::diagnostics::{self, Diagnostic};
use crate::render::SearchAssets;
use builder::{Builder, Outcome, Rest};
use indexer::Indexer;
use mirror::Changes;
use site::Snapshot;

/// What the user asked of `almanac serve`.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: IpAddr,
    /// 0 lets the system choose a free port (the address is printed).
    pub port: u16,
    pub drafts: bool,
    /// Colour in the terminal's diagnostics.
    pub color: bool,
    pub quiet: bool,
    /// Print how long each step of every rebuild took.
    pub timings: bool,
}

/// Why the server could not start (content problems never stop it).
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("cannot listen on {address}: {source}")]
    Bind {
        address: SocketAddr,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot start the server: {0}")]
    Runtime(#[source] std::io::Error),
    #[error("cannot watch the collection's files: {0}")]
    Watch(#[from] notify::Error),
}

/// A message for the open tabs.
#[derive(Debug, Clone)]
pub enum Event {
    /// A good rebuild: load the page again.
    Reload,
    /// A failed rebuild: the diagnostics as JSON (see `diagnostics::render_json`).
    Error(String),
    /// The problems are gone (the rebuild that fixed them also sends `Reload`).
    Ok,
    /// A new search index is served: the search page loads again to use it.
    Index,
}

/// What the server shares between the rebuild thread and the request handlers.
pub struct State {
    site: RwLock<Arc<Snapshot>>,
    /// The current build problems as JSON, shown to tabs that connect while they last.
    problems: RwLock<Option<String>>,
    events: broadcast::Sender<Event>,
    /// Tells long-lived responses (event streams) that the server is stopping.
    stopping: tokio_watch::Receiver<bool>,
    /// Differs between runs of the server, so a tab that reconnects to a new
    /// server knows to reload.
    instance: String,
    /// The collection's folder, resolved: files copied from disk must lie inside it.
    root: PathBuf,
    /// The address listened on, a name requests may give in `Host`.
    bind: IpAddr,
}

impl State {
    fn site(&self) -> Arc<Snapshot> {
        // A poisoned lock only means a panic elsewhere while publishing; the
        // snapshot inside is still a whole one.
        self.site.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    fn publish(&self, snapshot: Snapshot) {
        *self.site.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(snapshot);
    }

    fn problems(&self) -> Option<String> {
        self.problems
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    fn set_problems(&self, problems: Option<String>) {
        *self.problems.write().unwrap_or_else(|e| e.into_inner()) = problems;
    }
}

/// Builds, serves and watches until Ctrl-C.
pub fn run(options: ServeOptions) -> Result<(), ServeError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .thread_name("almanac-serve")
        .build()
        .map_err(ServeError::Runtime)?;
    runtime.block_on(serve(options))
}

async fn serve(mut options: ServeOptions) -> Result<(), ServeError> {
    // Watch events come with absolute paths; compare them with an absolute root.
    if let Ok(root) = std::fs::canonicalize(&options.root) {
        options.root = root;
    }
    let address = SocketAddr::new(options.bind, options.port);
    let listener = tokio::net::TcpListener::bind(address)
        .await
        .map_err(|source| ServeError::Bind { address, source })?;
    let address = listener
        .local_addr()
        .map_err(|source| ServeError::Bind { address, source })?;

    let (stop_tx, stop_rx) = tokio_watch::channel(false);
    let (events, _) = broadcast::channel(64);
    let mut builder = Builder::new(options.root.clone(), options.drafts);
    let started = Instant::now();
    let first = rebuild_guarded(&mut builder, &Changes::everything());
    let (snapshot, problems) = match first {
        Outcome::Built(built) => {
            let line = format!(
                "Built {} pages ({} files) in {} ms",
                built.pages,
                built.files.len(),
                started.elapsed().as_millis()
            );
            print_warnings(&options, &built.warnings);
            if !options.quiet {
                eprintln!("{line}");
            }
            let base_path = built.base_path.clone();
            (
                Snapshot::build(None, built.files, &built.rest, base_path, built.later),
                None,
            )
        }
        Outcome::Failed(problems) => {
            report_failure(&options, &problems, "The collection could not be built");
            (
                Snapshot::failed(&problems),
                Some(diagnostics::render_json(&problems)),
            )
        }
    };
    let base_path = snapshot.base_path.clone();
    let state = Arc::new(State {
        site: RwLock::new(Arc::new(snapshot)),
        problems: RwLock::new(problems),
        events,
        stopping: stop_rx,
        instance: instance_id(),
        root: options.root.clone(),
        bind: options.bind,
    });

    // The watcher's events go to a plain thread that owns the builder: rebuilds are
    // CPU work and must not hold up request handling.
    let (messages, inbox) = mpsc::channel();
    let debouncer = {
        let messages = messages.clone();
        // The receiver is gone only when the server is stopping.
        watch::start(&options.root, move |batch| {
            let _ = messages.send(Message::Changes(batch));
        })?
    };
    let indexer = Indexer::start(move |written| {
        let _ = messages.send(Message::Index(written));
    })
    .map_err(ServeError::Runtime)?;
    let rebuilder = {
        let state = state.clone();
        let options = options.clone();
        std::thread::Builder::new()
            .name("almanac-rebuild".into())
            .spawn(move || rebuild_loop(builder, indexer, debouncer, inbox, &state, &options))
            .map_err(ServeError::Runtime)?
    };

    if !options.quiet {
        let host = match address.ip() {
            IpAddr::V6(ip) => format!("[{ip}]"),
            IpAddr::V4(ip) => ip.to_string(),
        };
        eprintln!(
            "Serving {} at http://{host}:{}{base_path}",
            options.root.display(),
            address.port()
        );
        eprintln!("Watching for changes; press Ctrl-C to stop");
    }

    let app = http::router(state);
    let shutdown = async move {
        // Without a signal handler there is no clean way to stop; wait forever then.
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
        // Event streams end when this flips, so the graceful shutdown can finish.
        let _ = stop_tx.send(true);
    };
    let served = axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await;

    // The rebuild thread sees `stopping` within 200 ms (a rebuild in progress may
    // finish first), then drops the watcher, which stops it.
    let _ = rebuilder.join();
    if !options.quiet {
        eprintln!("Stopped");
    }
    served.map_err(ServeError::Runtime)
}

/// What the rebuild thread waits for.
enum Message {
    Changes(watch::Batch),
    Index(indexer::Written),
}

/// The rebuild thread: waits for changed paths, rebuilds, publishes, tells the tabs;
/// publishes the search indexes written in the background.
fn rebuild_loop(
    mut builder: Builder,
    mut indexer: Indexer,
    mut debouncer: watch::Watcher,
    inbox: mpsc::Receiver<Message>,
    state: &State,
    options: &ServeOptions,
) {
    let mut pending: Vec<Message> = Vec::new();
    loop {
        if *state.stopping.borrow() {
            break;
        }
        let message = match pending.pop() {
            Some(message) => message,
            // Wake up now and then to notice that the server is stopping.
            None => match inbox.recv_timeout(Duration::from_millis(200)) {
                Ok(message) => message,
                Err(mpsc::RecvTimeoutError::Timeout) => continue,
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
            },
        };
        let mut batch = match message {
            Message::Changes(batch) => batch,
            Message::Index(written) => {
                if indexer.is_latest(written.generation) {
                    publish_index(&mut builder, written, state, options);
                }
                continue;
            }
        };
        // Editors save in bursts: take whatever else is already waiting too.
        while let Ok(more) = inbox.try_recv() {
            match more {
                Message::Changes(more) => batch.merge(more),
                index => pending.push(index),
            }
        }
        let changes = Changes::classify(&options.root, &batch.paths);
        debouncer.follow(&changes.new_top_folders);
        if changes.is_empty() {
            continue;
        }
        let started = Instant::now();
        let outcome = rebuild_guarded(&mut builder, &changes);
        let elapsed = started.elapsed();
        match outcome {
            Outcome::Built(built) => {
                let rendered = built.pages_rendered;
                let pages = built.pages;
                let mut timings = built.timings;
                let previous = state.site();
                let published = Instant::now();
                let snapshot = Snapshot::build(
                    Some(&previous),
                    built.files,
                    &built.rest,
                    built.base_path,
                    built.later,
                );
                let changed_files = snapshot.changed_since(&previous);
                state.publish(snapshot);
                let had_problems = state.problems().is_some();
                state.set_problems(None);
                if had_problems {
                    let _ = state.events.send(Event::Ok);
                }
                // Nothing to reload when a save left every byte as it was.
                if changed_files > 0 || had_problems {
                    let _ = state.events.send(Event::Reload);
                }
                let publish_took = published.elapsed();
                timings.push(("publish", publish_took));
                // The tabs are told first, then the terminal; the rest follows.
                drop(previous);
                print_warnings(options, &built.warnings);
                if !options.quiet {
                    eprintln!(
                        "{}: {rendered} of {pages} pages re-rendered, {changed_files} files changed, {} ms",
                        changes.describe(&options.root),
                        (elapsed + publish_took).as_millis()
                    );
                }
                if let Some(editions) = built.catalogue {
                    let started = Instant::now();
                    let made = {
                        let editions: Vec<&crate::model::Collection> =
                            editions.iter().map(|c| c.as_ref()).collect();
                        crate::render::catalogue_in_parallel(&editions)
                    };
                    // Held no longer: the next edit changes the collection in place.
                    drop(editions);
                    let files = match made {
                        Ok(files) => files,
                        Err(error) => {
                            let problem = Diagnostic::error("export", error.to_string());
                            report_failure(options, &[problem], "The catalogue");
                            Vec::new()
                        }
                    };
                    let previous = state.site();
                    let snapshot = Snapshot::build(
                        Some(&previous),
                        files,
                        &Rest::AllBut(Vec::new()),
                        previous.base_path.clone(),
                        Vec::new(),
                    );
                    state.publish(snapshot);
                    timings.push(("then catalogue", started.elapsed()));
                }
                if let Some(job) = built.index {
                    indexer.submit(job);
                }
                if options.timings {
                    eprintln!("  {}", describe_timings(&timings));
                }
            }
            Outcome::Failed(problems) => {
                report_failure(options, &problems, &changes.describe(&options.root));
                let json = diagnostics::render_json(&problems);
                state.set_problems(Some(json.clone()));
                let _ = state.events.send(Event::Error(json));
            }
        }
    }
    drop(debouncer);
    drop(indexer);
}

/// Serves a search index written in the background, with the search page naming it.
fn publish_index(
    builder: &mut Builder,
    written: indexer::Written,
    state: &State,
    options: &ServeOptions,
) {
    let (files, search) = match written.result {
        Ok(index) => (
            index.files,
            SearchAssets {
                index_path: Some(index.path),
                ..SearchAssets::default()
            },
        ),
        Err(problems) => {
            report_failure(options, &problems, "The search index");
            return;
        }
    };
    let old = builder.index_path().map(str::to_string);
    if old == search.index_path {
        return;
    }
    let new = search.index_path.clone();
    let Some(page) = builder.index_written(search) else {
        return;
    };
    let previous = state.site();
    // The old hot file goes (the search page names the new one); the old
    // chunks stay, for a tab that opened the old index before its reload,
    // and any older index's chunks go, or every save would keep a copy.
    let kept = old.as_deref().and_then(site::chunk_folder);
    let indexes = new
        .as_deref()
        .and_then(|hot| hot.rsplit_once('/'))
        .map(|(folder, _)| format!("{folder}/index."));
    let is_older_chunk = |path: &str| {
        indexes.as_deref().is_some_and(|prefix| {
            path.strip_prefix(prefix)
                .is_some_and(|rest| rest.contains('/'))
        }) && kept
            .as_deref()
            .is_none_or(|folder| !path.starts_with(folder))
    };
    let removed: Vec<String> = previous
        .files
        .keys()
        .filter(|path| is_older_chunk(path))
        .map(|path| path.to_string())
        .chain(old)
        .collect();
    let files = files.into_iter().chain([page]).collect();
    let snapshot = Snapshot::build(
        Some(&previous),
        files,
        &Rest::AllBut(removed),
        previous.base_path.clone(),
        Vec::new(),
    );
    state.publish(snapshot);
    let _ = state.events.send(Event::Index);
    if options.timings {
        eprintln!("  search index written");
    }
}

fn describe_timings(timings: &[(&str, Duration)]) -> String {
    timings
        .iter()
        .map(|(step, time)| format!("{step} {:.1} ms", time.as_secs_f64() * 1000.0))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A rebuild that panics (a bug, not a content problem) becomes a failed build: the
/// server keeps serving the last good site and the next change starts afresh.
fn rebuild_guarded(builder: &mut Builder, changes: &Changes) -> Outcome {
    match catch_unwind(AssertUnwindSafe(|| builder.rebuild(changes))) {
        Ok(outcome) => outcome,
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown cause".into());
            builder.reset();
            Outcome::Failed(vec![
                Diagnostic::error(
                    "internal",
                    format!("the rebuild failed unexpectedly: {what}"),
                )
                .help("this is a bug in Almanac; save a file to try again, and please report it"),
            ])
        }
    }
}

fn print_warnings(options: &ServeOptions, warnings: &[Diagnostic]) {
    if !options.quiet && !warnings.is_empty() {
        eprint!("{}", diagnostics::render_human(warnings, options.color));
    }
}

fn report_failure(options: &ServeOptions, problems: &[Diagnostic], what: &str) {
    eprint!("{}", diagnostics::render_human(problems, options.color));
    let errors = problems.iter().filter(|d| d.is_error()).count();
    eprintln!(
        "{what}: {errors} error{}; still serving the last good version",
        if errors == 1 { "" } else { "s" }
    );
}

/// An identifier for this run of the server: the start time and the process id.
fn instance_id() -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!("{:x}-{:x}", nanos, std::process::id())
}

/// The collection's root as given, for messages.
fn shown(root: &Path, path: &Path) -> String {
    crate::content::relative(root, path)
}
