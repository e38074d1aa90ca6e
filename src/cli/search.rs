//! `almanac search QUERY`: the collection's search index, written exactly as the
//! build writes it and queried with the same code the browser runs, so the command
//! line and the search page rank alike.

use std::path::PathBuf;
use std::process::ExitCode;

use almanac_search::{IndexFile, Request, Searcher};

use crate::BuildOptions;
use crate::diagnostics::AsDiagnostics;
use crate::output::Contents;

pub struct SearchArgs {
    pub root: PathBuf,
    pub query: String,
    pub filters: Vec<String>,
    pub limit: usize,
    pub json: bool,
}

pub fn run(args: SearchArgs) -> ExitCode {
    let mut filters = Vec::new();
    for filter in &args.filters {
        match filter.split_once('=') {
            Some((taxonomy, term)) if !taxonomy.is_empty() && !term.is_empty() => {
                filters.push((taxonomy.trim().to_string(), term.trim().to_string()));
            }
            _ => {
                eprintln!(
                    "error: --filter takes TAXONOMY=TERM, e.g. --filter principles=transparency"
                );
                return ExitCode::from(2);
            }
        }
    }
    let options = BuildOptions {
        root: args.root,
        ..BuildOptions::default()
    };
    let loaded = match crate::load(&options) {
        Ok(loaded) if !loaded.has_errors() => loaded,
        Ok(loaded) => return report_problems(&loaded.diagnostics),
        Err(error) => return report_problems(&error.diagnostics()),
    };
    let taxonomies: Vec<&str> = loaded
        .collection
        .taxonomies
        .iter()
        .map(|t| t.config.name.as_str())
        .collect();
    for (taxonomy, _) in &filters {
        if !taxonomies.contains(&taxonomy.as_str()) {
            eprintln!(
                "error: `{taxonomy}` is not a taxonomy of this collection; its taxonomies are {}",
                taxonomies.join(", ")
            );
            return ExitCode::from(2);
        }
    }
    let files = match crate::search::index(&loaded.collection, &loaded.bodies) {
        Ok(index) => index.files,
        Err(error) => return report_problems(&error.diagnostics()),
    };
    // Every file at once: the command line has them all, so no search waits for a chunk.
    let files: Vec<IndexFile> = files
        .into_iter()
        .filter_map(|file| match file.contents {
            Contents::Bytes(bytes) => Some(IndexFile {
                name: file
                    .path
                    .strip_prefix(&format!("{}/", crate::search::FOLDER))
                    .unwrap_or(&file.path)
                    .to_owned(),
                bytes,
            }),
            _ => None,
        })
        .collect();
    let searcher = match Searcher::open_files(files) {
        Ok(searcher) => searcher,
        Err(e) => {
            eprintln!("error: the search index cannot be read: {e}");
            return ExitCode::from(super::CONTENT_ERROR);
        }
    };
    let request = Request {
        query: args.query,
        filters,
        limit: args.limit,
        ..Request::default()
    };
    let response = searcher.search(&request);
    if args.json {
        match serde_json::to_string_pretty(&response) {
            Ok(json) => println!("{json}"),
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(super::CONTENT_ERROR);
            }
        }
        return ExitCode::SUCCESS;
    }
    for definition in &response.definitions {
        println!(
            "{} (glossary): {}\n    {}\n",
            definition.title, definition.summary, definition.url
        );
    }
    if response.hits.is_empty() {
        println!("No results.");
    }
    for (i, hit) in response.hits.iter().enumerate() {
        println!(
            "{:>2}. {}  [{}]\n    {}",
            i + 1,
            hit.title,
            hit.kind.as_str(),
            hit.url
        );
        let snippet = plain(&hit.snippet);
        if !snippet.is_empty() {
            println!("    {snippet}");
        }
    }
    if response.total > response.hits.len() {
        println!(
            "\n{} of {} results; --limit shows more.",
            response.hits.len(),
            response.total
        );
    } else {
        println!(
            "\n{} result{}.",
            response.total,
            if response.total == 1 { "" } else { "s" }
        );
    }
    ExitCode::SUCCESS
}

fn report_problems(diagnostics: &[crate::diagnostics::Diagnostic]) -> ExitCode {
    super::print_diagnostics(diagnostics);
    eprintln!(
        "The collection has problems; fix them first ({}).",
        super::count_line(diagnostics)
    );
    ExitCode::from(super::CONTENT_ERROR)
}

/// A snippet's HTML as terminal text: matches between `*`, entities decoded.
fn plain(snippet: &str) -> String {
    snippet
        .replace("<mark>", "*")
        .replace("</mark>", "*")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}
