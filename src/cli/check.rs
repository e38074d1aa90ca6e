//! `almanac check`: every problem in the collection, for people or as JSON for CI;
//! with `--external`, outbound addresses are requested too.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use super::Format;
use crate::BuildOptions;
use crate::diagnostics::AsDiagnostics;

pub struct CheckArgs {
    pub root: PathBuf,
    pub format: Format,
    pub drafts: bool,
    /// Request external addresses, waiting this long for each.
    pub external: Option<Duration>,
    pub deny_warnings: bool,
    /// With `external`: skip addresses that answered within this time.
    pub max_age: Option<Duration>,
    /// The day reviews are counted on (`--today`).
    pub today: Option<String>,
}

pub fn run(args: CheckArgs, quiet: bool) -> ExitCode {
    let today = match super::today_or_exit(args.today.as_deref()) {
        Ok(today) => today,
        Err(code) => return code,
    };
    let options_root = args.root.clone();
    let options = BuildOptions {
        root: args.root,
        drafts: args.drafts,
        ..BuildOptions::default()
    };
    let (diagnostics, files) = match crate::load(&options) {
        Ok(mut loaded) => {
            let files = loaded.collection.entries.len()
                + loaded.collection.sections.len()
                + loaded
                    .translations
                    .iter()
                    .map(|(c, _)| c.entries.iter().filter(|e| !e.elsewhere).count())
                    .sum::<usize>();
            if !quiet && args.format == Format::Human {
                for note in &loaded.notes {
                    eprintln!("note: {note}");
                }
            }
            // What the build reads of the theme and static/ (templates that do
            // not compile, links out of the collection) is checked as it reads it.
            if let Err(error) =
                crate::pipeline::load_theme(&options.root, &loaded.collection.config)
            {
                loaded.diagnostics.extend(error.diagnostics());
                crate::diagnostics::sort_unique(&mut loaded.diagnostics);
            }
            let mut overdue = crate::check::reviews(&loaded.collection, today);
            if !overdue.is_empty() {
                loaded.diagnostics.append(&mut overdue);
                crate::diagnostics::sort(&mut loaded.diagnostics);
            }
            // A cache that cannot be read is left as it is, for the curator to mend.
            // So is one refused by the collection's rules (a link out of it, a FIFO):
            // writing it would replace what the link leads to.
            let cache_unreadable = loaded.diagnostics.iter().any(|d| {
                d.code == "link-cache"
                    || d.location.as_ref().is_some_and(|at| {
                        at.path == std::path::Path::new(crate::content::links::CACHE_PATH)
                    })
            });
            if let Some(timeout) = args.external.filter(|_| !cache_unreadable) {
                if !quiet && args.format == Format::Human {
                    eprintln!("Requesting external addresses…");
                }
                let options = crate::check::external::Options {
                    timeout,
                    max_age: args.max_age,
                    max_wait: Duration::from_secs(30),
                };
                let mut cache = (*loaded.collection.links).clone();
                let checked = crate::check::external::check(
                    &loaded.collection,
                    &loaded.bodies,
                    &mut cache,
                    &options,
                );
                let mut found = checked.diagnostics;
                if !quiet && args.format == Format::Human {
                    eprintln!(
                        "Requested {} address(es); {} answered recently and were left alone",
                        checked.requested, checked.skipped
                    );
                    let summary = cache.summary();
                    if summary.failing > 0 {
                        eprintln!(
                            "note: {} address(es) failed, but not yet on two runs (or only by timing out); they are reported broken once they have",
                            summary.failing
                        );
                    }
                    if summary.rate_limited > 0 {
                        eprintln!(
                            "note: {} address(es) asked to be checked later (HTTP 429); they are not counted as broken",
                            summary.rate_limited
                        );
                    }
                }
                if let Err(error) = cache.write(&options_root) {
                    found.push(crate::diagnostics::Diagnostic::error(
                        "link-cache",
                        format!(
                            "{} could not be written: {error}",
                            crate::content::links::CACHE_PATH
                        ),
                    ));
                }
                loaded.diagnostics.append(&mut found);
                crate::diagnostics::sort(&mut loaded.diagnostics);
            }
            (loaded.diagnostics, files)
        }
        Err(error) => (error.diagnostics(), 0),
    };
    match args.format {
        Format::Json => print!("{}", crate::diagnostics::render_json(&diagnostics)),
        Format::Human => {
            super::print_diagnostics(&diagnostics);
            if !quiet {
                eprintln!("Checked {files} pages: {}", super::count_line(&diagnostics));
            }
        }
    }
    let failed =
        diagnostics.iter().any(|d| d.is_error()) || (args.deny_warnings && !diagnostics.is_empty());
    if failed {
        ExitCode::from(super::CONTENT_ERROR)
    } else {
        ExitCode::SUCCESS
    }
}
