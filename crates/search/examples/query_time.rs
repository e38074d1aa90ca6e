//! Times searches over a built site's index the way the browser runs them:
//! open the hot file, then search, fetching (here: reading) the chunks each
//! round asks for; prints rounds, chunks and bytes read, and the time each step took.
//!
//! `cargo run --release -p almanac-search --example query_time -- SITE/search/index.<hash>.bin "QUERY" ...`

use std::path::{Path, PathBuf};
use std::time::Instant;

use almanac_search::{Error, Request, Searcher, inflate};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let hot: PathBuf = args
        .next()
        .ok_or("usage: query_time HOT_FILE QUERY...")?
        .into();
    let queries: Vec<String> = args.collect();
    let folder = hot.with_extension("");
    let started = Instant::now();
    let bytes = std::fs::read(&hot)?;
    let searcher = Searcher::open_owned(inflate(&bytes)?)?;
    println!(
        "open: {:.1?} ({} chunks)",
        started.elapsed(),
        searcher.chunk_count()
    );
    for query in &queries {
        let request = Request::new(query);
        let mut rounds = 0;
        let mut fetched = 0;
        let mut compute = std::time::Duration::ZERO;
        loop {
            let started = Instant::now();
            let answer = searcher.try_search(&request);
            compute += started.elapsed();
            match answer {
                Ok(response) => {
                    println!(
                        "{query:?}: {} results, {rounds} rounds, {fetched} bytes fetched, {compute:.1?} searching",
                        response.total
                    );
                    break;
                }
                Err(Error::NeedChunks(needed)) => {
                    rounds += 1;
                    for number in needed {
                        let bytes = std::fs::read(chunk(&folder, number))?;
                        fetched += bytes.len();
                        searcher.add_chunk(number, inflate(&bytes)?)?;
                    }
                }
                Err(error) => return Err(error.into()),
            }
        }
        let started = Instant::now();
        searcher.search(&request);
        println!("  again, everything loaded: {:.1?}", started.elapsed());
    }
    Ok(())
}

fn chunk(folder: &Path, number: usize) -> PathBuf {
    folder.join(format!("{number}.bin"))
}
