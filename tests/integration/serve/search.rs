//! The search index in `almanac serve`: each rebuild publishes a new index under
//! a new name, and only the one before it stays for tabs that still use it.

use super::harness::{Server, fixture, index_url};
use crate::support::edit;

#[test]
fn a_new_search_index_drops_all_but_the_previous_one() {
    let server = Server::start(fixture("basic"));
    let rel = "content/guidance/open-data-guide.md";
    let current = || index_url(&server.get("/ethics/search/").text()).expect("an index");
    // A chunk file of `index`: one its first search asks for.
    let chunk = |index: &str| {
        let hot = server.get(index);
        assert_eq!(hot.status, 200, "{index}");
        let searcher = almanac_search::Searcher::open_owned(hot.body).expect("an index");
        match searcher.try_search(&almanac_search::Request::new("data")) {
            Err(almanac_search::Error::NeedChunks(needed)) => {
                format!("{}/{}.bin", index.trim_end_matches(".bin"), needed[0])
            }
            other => panic!("a search of the hot file alone needs chunks: {other:?}"),
        }
    };
    let mut indexes = vec![current()];
    let mut chunks = vec![chunk(&indexes[0])];
    assert_eq!(server.get(&chunks[0]).status, 200);
    for (from, to) in [
        ("title: Open Data Guide", "title: Open Data Handbook"),
        ("title: Open Data Handbook", "title: Open Data Manual"),
    ] {
        edit(&server.root, rel, from, to);
        let before = indexes.last().unwrap().clone();
        let reply = server.wait_for("/ethics/search/", "a new search index", |reply| {
            index_url(&reply.text()).is_some_and(|url| url != before)
        });
        let index = index_url(&reply.text()).unwrap();
        chunks.push(chunk(&index));
        indexes.push(index);
    }
    // A tab opened before the last index still finds the chunks of its own.
    assert_eq!(server.get(&chunks[1]).status, 200, "{}", chunks[1]);
    assert_eq!(server.get(&indexes[2]).status, 200);
    assert_eq!(server.get(&chunks[2]).status, 200);
    // Older ones are gone, not kept in memory for the rest of the session.
    assert_eq!(server.get(&indexes[0]).status, 404);
    assert_eq!(server.get(&chunks[0]).status, 404, "{}", chunks[0]);
}
