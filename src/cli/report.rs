//! `almanac report`: the curator's report on the collection, as text, JSON or an
//! HTML page, on standard output or into a file outside the published site.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::ValueEnum;

use crate::BuildOptions;
use crate::diagnostics::Diagnostic;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Text,
    Json,
    Html,
}

pub struct ReportArgs {
    pub root: PathBuf,
    pub format: ReportFormat,
    pub output: Option<PathBuf>,
    pub today: Option<String>,
}

pub fn run(args: ReportArgs) -> ExitCode {
    let today = match super::today_or_exit(args.today.as_deref()) {
        Ok(today) => today,
        Err(code) => return code,
    };
    let options = BuildOptions {
        root: args.root.clone(),
        ..BuildOptions::default()
    };
    let loaded = match super::load_or_exit(&options) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    if let Some(file) = &args.output {
        let site = args.root.join(&loaded.collection.config.output);
        if inside(file, &site) {
            super::print_diagnostics(&[Diagnostic::error(
                "usage",
                format!(
                    "the report would be written into the site's output folder ({})",
                    site.display()
                ),
            )
            .help("the report is for curators, not readers: write it elsewhere, e.g. --output report.html")]);
            return ExitCode::from(super::CONTENT_ERROR);
        }
    }
    let errors = loaded.diagnostics.iter().filter(|d| d.is_error()).count();
    if errors > 0 {
        eprintln!(
            "note: the collection has {errors} error(s), which `almanac check` lists; the report may be incomplete"
        );
    }
    let report = crate::report::make(&loaded.collection, &loaded.bodies, today);
    let text = match args.format {
        ReportFormat::Text => crate::report::text::render(&report),
        ReportFormat::Json => crate::report::json(&report),
        ReportFormat::Html => crate::report::html::render(&report),
    };
    match &args.output {
        None => {
            print!("{text}");
            ExitCode::SUCCESS
        }
        Some(file) => match std::fs::write(file, text) {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => {
                super::print_diagnostics(&[Diagnostic::error(
                    "output",
                    format!("cannot write {}: {error}", file.display()),
                )]);
                ExitCode::from(super::CONTENT_ERROR)
            }
        },
    }
}

/// Whether `file` would land inside `folder`, comparing absolute paths with `..`
/// and symbolic links of the existing part resolved.
fn inside(file: &Path, folder: &Path) -> bool {
    let resolve = |path: &Path| -> PathBuf {
        let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        // The longest part that exists is resolved; the rest is appended as written.
        let mut existing = absolute.clone();
        let mut rest = Vec::new();
        while !existing.exists() {
            match (existing.file_name(), existing.parent()) {
                (Some(name), Some(parent)) => {
                    rest.push(name.to_owned());
                    existing = parent.to_path_buf();
                }
                _ => break,
            }
        }
        let mut out = existing.canonicalize().unwrap_or(existing);
        for part in rest.into_iter().rev() {
            if part == ".." {
                out.pop();
            } else if part != "." {
                out.push(part);
            }
        }
        out
    };
    resolve(file).starts_with(resolve(folder))
}
