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
    /// The day reviews are counted on (`--today`).
    pub today: Option<String>,
}

pub fn run(args: CheckArgs, quiet: bool) -> ExitCode {
    let today = match crate::model::review::today(args.today.as_deref()) {
        Ok(today) => today,
        Err(message) => {
            super::print_diagnostics(&[crate::diagnostics::Diagnostic::error("usage", message)
                .help("pass the day as YYYY-MM-DD, e.g. --today 2026-03-03")]);
            return ExitCode::from(2);
        }
    };
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
            if let Some(timeout) = args.external {
                if !quiet && args.format == Format::Human {
                    eprintln!("Requesting external addresses…");
                }
                let mut found =
                    crate::check::external::check(&loaded.collection, &loaded.bodies, timeout);
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
