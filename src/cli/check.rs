//! `almanac check`: every problem in the collection, for people or as JSON for CI.

use std::path::PathBuf;
use std::process::ExitCode;

use super::Format;
use crate::BuildOptions;

pub fn run(
    root: PathBuf,
    format: Format,
    drafts: bool,
    deny_warnings: bool,
    quiet: bool,
) -> ExitCode {
    let options = BuildOptions {
        root,
        drafts,
        ..BuildOptions::default()
    };
    let (diagnostics, files) = match crate::load(&options) {
        Ok(loaded) => {
            let files = loaded.collection.entries.len() + loaded.collection.sections.len();
            (loaded.diagnostics, files)
        }
        Err(diagnostics) => (diagnostics, 0),
    };
    match format {
        Format::Json => print!("{}", crate::diagnostics::render_json(&diagnostics)),
        Format::Human => {
            super::print_diagnostics(&diagnostics);
            if !quiet {
                eprintln!("Checked {files} pages: {}", super::count_line(&diagnostics));
            }
        }
    }
    let failed =
        diagnostics.iter().any(|d| d.is_error()) || (deny_warnings && !diagnostics.is_empty());
    if failed {
        ExitCode::from(super::CONTENT_ERROR)
    } else {
        ExitCode::SUCCESS
    }
}
