//! The judged queries of bench/relevance/queries.json against a built site's
//! index, read natively with the code the browser runs: MRR@10 and top-1 per
//! part of the set, and every query whose first result is not accepted. A
//! quick way to see what a change to the engine does before building the
//! module; bench/relevance/run.mjs measures the search page itself, beside
//! Pagefind.
//!
//!   cargo run -p almanac-search --example relevance -- SITE_DIR [QUERIES_JSON]

use std::path::{Path, PathBuf};

use almanac_search::{IndexFile, Request, Searcher};

fn main() {
    let mut args = std::env::args().skip(1);
    let site = PathBuf::from(
        args.next()
            .expect("usage: relevance SITE_DIR [QUERIES_JSON]"),
    );
    let queries = args
        .next()
        .unwrap_or_else(|| "bench/relevance/queries.json".to_owned());
    let set: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&queries).expect("queries file"))
            .expect("queries JSON");
    let searcher = Searcher::open_files(index_files(&site.join("search"))).expect("index");
    let catalogue: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(site.join("resources.json")).expect("resources.json"),
    )
    .expect("resources.json");
    let base_url = catalogue["base_url"].as_str().unwrap_or("/");
    let base = base_url
        .splitn(4, '/')
        .nth(3)
        .map_or("/".to_owned(), |p| format!("/{p}"));

    let mut ranks: Vec<(String, usize)> = Vec::new();
    for item in set["queries"].as_array().expect("queries") {
        let query = item["query"].as_str().unwrap_or_default();
        let accepted: Vec<String> = item["accept"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|a| a.as_str())
            .map(|a| format!("{base}{a}"))
            .collect();
        let mut request = Request::new(query);
        request.limit = 10;
        request.facets = false;
        let response = searcher.search(&request);
        let rank = response
            .hits
            .iter()
            .position(|h| accepted.contains(&h.url))
            .map_or(0, |at| at + 1);
        let part = item["part"].as_str().unwrap_or("tuning").to_owned();
        if rank != 1 {
            let first: Vec<&str> = response
                .hits
                .iter()
                .take(3)
                .map(|h| h.url.as_str())
                .collect();
            println!("[{part}] {query:?}: rank {rank}; first {first:?}");
        }
        ranks.push((part, rank));
    }
    for part in ["tuning", "held-out", "all"] {
        let list: Vec<usize> = ranks
            .iter()
            .filter(|(p, _)| part == "all" || p == part)
            .map(|(_, r)| *r)
            .collect();
        let n = list.len().max(1) as f64;
        let mrr: f64 = list
            .iter()
            .map(|&r| if r > 0 { 1.0 / r as f64 } else { 0.0 })
            .sum::<f64>()
            / n;
        let top1 = list.iter().filter(|&&r| r == 1).count();
        println!(
            "{part:<9} {:>3} queries  MRR@10 {mrr:.3}  top-1 {top1}/{} ({:.1} %)",
            list.len(),
            list.len(),
            100.0 * top1 as f64 / n
        );
    }
}

/// The hot file and every chunk of the index in `folder`, named as the writer names them.
fn index_files(folder: &Path) -> Vec<IndexFile> {
    let mut hot = None;
    let mut chunks = Vec::new();
    for entry in std::fs::read_dir(folder).expect("search folder").flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        if name.starts_with("index.") && name.ends_with(".bin") {
            hot = Some(IndexFile {
                name,
                bytes: std::fs::read(&path).expect("hot file"),
            });
        } else if name.starts_with("index.") && path.is_dir() {
            for chunk in std::fs::read_dir(&path).expect("chunks").flatten() {
                let file = chunk.file_name().to_string_lossy().into_owned();
                chunks.push(IndexFile {
                    name: format!("{name}/{file}"),
                    bytes: std::fs::read(chunk.path()).expect("chunk"),
                });
            }
        }
    }
    let mut files = vec![hot.expect("no index.<hash>.bin in the search folder")];
    files.extend(chunks);
    files
}
