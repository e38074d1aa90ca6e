//! `almanac search QUERY`: answers from the search index of the built site (the
//! `output` folder of `almanac.yaml`), read with the code the browser runs, so
//! the command line and the search page rank alike. When there is no built
//! site, or the collection changed after it was built, the index is written in
//! memory from the collection, exactly as the build writes it, and a note on
//! standard error says so.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::SystemTime;

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
    /// The language whose index to search; the default language's when none.
    pub lang: Option<String>,
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
    let config = match crate::pipeline::load_config(&options) {
        Ok(config) => config,
        Err(error) => return report_problems(&error.diagnostics()),
    };
    let language = match &args.lang {
        None => config.default_language().to_string(),
        Some(lang) => match config
            .languages
            .iter()
            .find(|l| l.code.eq_ignore_ascii_case(lang))
        {
            Some(language) => language.code.clone(),
            None => {
                let codes: Vec<&str> = config.languages.iter().map(|l| l.code.as_str()).collect();
                eprintln!(
                    "error: `{lang}` is not a language of this collection; its languages are {}",
                    codes.join(", ")
                );
                return ExitCode::from(2);
            }
        },
    };
    let folder = config
        .for_language(&language)
        .map(|c| c.language_folder().to_string())
        .unwrap_or_default();
    let output = options.root.join(&config.output);
    let built = match built_index(&options.root, &output.join(&folder)) {
        Ok(built) => built,
        Err(e) => {
            eprintln!("error: the search index cannot be read: {e}");
            return ExitCode::from(super::CONTENT_ERROR);
        }
    };
    let (files, chunk_folder) = match built {
        Built::Current(hot, folder) => (vec![hot], Some(folder)),
        missing_or_stale => {
            let why = match missing_or_stale {
                Built::Stale => "the collection changed after the site was built",
                _ => "there is no built site",
            };
            eprintln!(
                "note: {why} in {}; indexing the collection in memory (`almanac build` makes this instant)",
                crate::diagnostics::display_path(&output)
            );
            match index_in_memory(&options, &language) {
                Ok(files) => (files, None),
                Err(code) => return code,
            }
        }
    };
    let searcher = match Searcher::open_files_partly(files) {
        Ok(searcher) => searcher,
        Err(e) => {
            eprintln!("error: the search index cannot be read: {e}");
            return ExitCode::from(super::CONTENT_ERROR);
        }
    };
    let taxonomies: Vec<&str> = searcher.taxonomies().collect();
    for (taxonomy, _) in &filters {
        if !taxonomies.contains(&taxonomy.as_str()) {
            eprintln!(
                "error: `{taxonomy}` is not a taxonomy of this collection; its taxonomies are {}",
                taxonomies.join(", ")
            );
            return ExitCode::from(2);
        }
    }
    let request = Request {
        query: args.query,
        filters,
        limit: args.limit,
        ..Request::default()
    };
    let response = match answer(&searcher, &request, chunk_folder.as_deref()) {
        Ok(response) => response,
        Err(e) => {
            eprintln!("error: the search index cannot be read: {e}");
            return ExitCode::from(super::CONTENT_ERROR);
        }
    };
    let text = if args.json {
        match serde_json::to_string_pretty(&response) {
            Ok(json) => format!("{json}\n"),
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(super::CONTENT_ERROR);
            }
        }
    } else {
        listing(&response)
    };
    print_all(&text)
}

/// The results as lines of text, as `almanac search` prints them.
fn listing(response: &almanac_search::Response) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    for definition in &response.definitions {
        let _ = writeln!(
            out,
            "{} (glossary): {}\n    {}\n",
            definition.title, definition.summary, definition.url
        );
    }
    if response.hits.is_empty() {
        out.push_str("No results.\n");
    }
    for (i, hit) in response.hits.iter().enumerate() {
        // A status is named only when it is not current: the reader should
        // see at once that a result no longer guides anyone.
        let status = if hit.status.is_empty() {
            String::new()
        } else {
            format!(", {}", hit.status)
        };
        let _ = writeln!(
            out,
            "{:>2}. {}  [{}{status}]\n    {}",
            i + 1,
            hit.title,
            hit.kind.as_str(),
            hit.url
        );
        let snippet = plain(&hit.snippet);
        if !snippet.is_empty() {
            let _ = writeln!(out, "    {snippet}");
        }
    }
    if response.total > response.hits.len() {
        let _ = writeln!(
            out,
            "\n{} of {} results; --limit shows more.",
            response.hits.len(),
            response.total
        );
    } else {
        let _ = writeln!(
            out,
            "\n{} result{}.",
            response.total,
            if response.total == 1 { "" } else { "s" }
        );
    }
    out
}

/// Writes `text` to standard output. A reader that stops reading early (`| head`)
/// closes the pipe: that ends the command quietly, as it does for other tools.
fn print_all(text: &str) -> ExitCode {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: the results could not be written: {e}");
            ExitCode::from(super::CONTENT_ERROR)
        }
    }
}

/// What the output folder holds of the search index.
enum Built {
    /// The hot file and the folder of its chunks, newer than anything in the collection.
    Current(IndexFile, PathBuf),
    /// An index older than some file of the collection.
    Stale,
    Missing,
}

/// The built site's index (`search/index.<hash>.bin` and the chunks in
/// `search/index.<hash>/`), if it is newer than `almanac.yaml` and every file
/// and folder of `content/` (a folder changes when a file is added or removed).
fn built_index(root: &Path, output: &Path) -> std::io::Result<Built> {
    let folder = output.join(crate::search::FOLDER);
    let Ok(entries) = std::fs::read_dir(&folder) else {
        return Ok(Built::Missing);
    };
    let mut hot_files = Vec::new();
    for entry in entries {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with("index.") && name.ends_with(".bin") && entry.file_type()?.is_file() {
            hot_files.push(name);
        }
    }
    // A build leaves exactly one; anything else is not the build's doing.
    let [hot] = &hot_files[..] else {
        return Ok(Built::Missing);
    };
    let hot_path = folder.join(hot);
    let built_at = std::fs::metadata(&hot_path)?.modified()?;
    if newest_source(root)? > built_at {
        return Ok(Built::Stale);
    }
    let file = IndexFile {
        name: hot.clone(),
        bytes: crate::paths::read_own(&hot_path, crate::paths::MAX_OWN_BYTES)?,
    };
    Ok(Built::Current(
        file,
        folder.join(hot.trim_end_matches(".bin")),
    ))
}

/// The answer to `request`, reading from `chunks` (the built site's chunk
/// folder) only the chunks the search asks for, as the search page fetches them.
fn answer(
    searcher: &Searcher,
    request: &Request,
    chunks: Option<&Path>,
) -> Result<almanac_search::Response, almanac_search::Error> {
    loop {
        match searcher.try_search(request) {
            Err(almanac_search::Error::NeedChunks(needed)) => {
                let Some(folder) = chunks else {
                    return Err(almanac_search::Error::NeedChunks(needed));
                };
                for number in needed {
                    // Files of the build's own: a FIFO or link in their place
                    // is refused, not waited on or followed.
                    let chunk = folder.join(format!("{number}.bin"));
                    let bytes = crate::paths::read_own(&chunk, crate::paths::MAX_OWN_BYTES)?;
                    searcher.add_chunk(number, almanac_search::inflate(&bytes)?)?;
                }
            }
            other => return other,
        }
    }
}

/// When `almanac.yaml` or anything under `content/` last changed.
fn newest_source(root: &Path) -> std::io::Result<SystemTime> {
    let mut newest = std::fs::metadata(root.join("almanac.yaml"))?.modified()?;
    for entry in walkdir::WalkDir::new(root.join("content")) {
        let Ok(entry) = entry else { continue };
        if let Some(modified) = entry.metadata().ok().and_then(|m| m.modified().ok()) {
            newest = newest.max(modified);
        }
    }
    Ok(newest)
}

/// The index of `language`'s collection written from the collection, as the build
/// writes it.
fn index_in_memory(options: &BuildOptions, language: &str) -> Result<Vec<IndexFile>, ExitCode> {
    let loaded = match crate::load(options) {
        Ok(loaded) if !loaded.has_errors() => loaded,
        Ok(loaded) => return Err(report_problems(&loaded.diagnostics)),
        Err(error) => return Err(report_problems(&error.diagnostics())),
    };
    let (collection, bodies) = std::iter::once((&loaded.collection, &loaded.bodies))
        .chain(loaded.translations.iter().map(|(c, b)| (c, b)))
        .find(|(c, _)| c.config.language == language)
        .unwrap_or((&loaded.collection, &loaded.bodies));
    let index = match crate::search::index(collection, bodies) {
        Ok(index) => index,
        Err(error) => return Err(report_problems(&error.diagnostics())),
    };
    let prefix = format!(
        "{}{}/",
        collection.config.language_folder(),
        crate::search::FOLDER
    );
    Ok(index
        .files
        .into_iter()
        .filter_map(|file| match file.contents {
            Contents::Bytes(bytes) => Some(IndexFile {
                name: file
                    .path
                    .strip_prefix(&prefix)
                    .unwrap_or(&file.path)
                    .to_owned(),
                bytes,
            }),
            _ => None,
        })
        .collect())
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
