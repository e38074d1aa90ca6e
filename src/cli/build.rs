//! `almanac build`: the whole pipeline, with a progress bar on a terminal and a
//! one-line summary at the end.

use std::io::IsTerminal;
use std::process::ExitCode;

use indicatif::{ProgressBar, ProgressStyle};

use crate::BuildOptions;
use crate::diagnostics::AsDiagnostics;

pub fn run(options: BuildOptions, deny_warnings: bool, timings: bool, quiet: bool) -> ExitCode {
    let bar = (!quiet && std::io::stderr().is_terminal()).then(|| {
        let bar = ProgressBar::new(0);
        bar.set_style(
            ProgressStyle::with_template("{spinner} rendering {pos}/{len} pages {wide_bar}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar
    });
    let progress = |done: usize, total: usize| {
        if let Some(bar) = &bar {
            bar.set_length(total as u64);
            bar.set_position(done as u64);
        }
    };
    let result = crate::build(&options, deny_warnings, &progress);
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    match result {
        Ok(report) => {
            if !quiet {
                super::print_diagnostics(&report.warnings);
                let warnings = match report.warnings.len() {
                    0 => String::new(),
                    1 => ", 1 warning".to_string(),
                    n => format!(", {n} warnings"),
                };
                if timings {
                    for (stage, time) in &report.timings {
                        eprintln!("{stage:>16}: {:>8.3} s", time.as_secs_f64());
                    }
                    // A build into a folder an earlier one filled takes up its
                    // references: say so, as it is most of the difference in time.
                    if let Some(counts) = report.references {
                        eprintln!(
                            "{:>16}: {} formatted, {} from the last build",
                            "references", counts.formatted, counts.recalled
                        );
                    }
                }
                eprintln!(
                    "Built {} pages ({} files) in {:.2} s into {}{warnings}",
                    report.pages,
                    report.files,
                    report.elapsed.as_secs_f64(),
                    report.output.display(),
                );
            }
            ExitCode::SUCCESS
        }
        Err(error) => {
            let diagnostics = error.diagnostics();
            super::print_diagnostics(&diagnostics);
            eprintln!(
                "Build failed: {}; the previous output was left as it was",
                super::count_line(&diagnostics)
            );
            ExitCode::from(super::CONTENT_ERROR)
        }
    }
}
