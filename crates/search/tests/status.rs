//! Resources' statuses in the index: results carry them, and superseded or
//! withdrawn resources rank after current ones while the rest keep their order.

use almanac_search::{DocKind, Document, IndexConfig, Request, Response, Searcher, write_index};

fn resource(url: &str, title: &str, body: &str, status: &str) -> Document {
    Document {
        kind: DocKind::Resource,
        url: url.to_owned(),
        title: title.to_owned(),
        summary: String::new(),
        body: body.into(),
        publisher: String::new(),
        synonyms: Vec::new(),
        facets: Vec::new(),
        date: String::new(),
        status: status.to_owned(),
    }
}

fn searcher(docs: &[Document]) -> Searcher {
    let config = IndexConfig {
        language: "en".to_owned(),
        taxonomies: Vec::new(),
    };
    Searcher::open_files(write_index(&config, docs).expect("index")).expect("open")
}

fn page(searcher: &Searcher, query: &str, offset: usize, limit: usize) -> Response {
    let request = Request {
        offset,
        limit,
        ..Request::new(query)
    };
    searcher.try_search(&request).expect("search")
}

fn urls(response: &Response) -> Vec<&str> {
    response.hits.iter().map(|h| h.url.as_str()).collect()
}

/// The retired guide says "procurement" in its title and twice in its body; the
/// current one only once in its body, so by score alone the old guide wins.
fn collection(old_status: &str) -> Vec<Document> {
    vec![
        resource(
            "/old-guide/",
            "Procurement guide",
            "Procurement of algorithms: procurement clauses.",
            old_status,
        ),
        resource(
            "/playbook/",
            "Playbook",
            "Covers procurement among many other topics of public service delivery.",
            "",
        ),
        resource(
            "/review/",
            "Checklist",
            "A procurement checklist for buyers.",
            "under-review",
        ),
        resource("/other/", "Unrelated", "Nothing to see.", "withdrawn"),
    ]
}

#[test]
fn retired_resources_rank_after_current_ones_and_show_their_status() {
    for status in ["superseded", "withdrawn"] {
        let searcher = searcher(&collection(status));
        let response = page(&searcher, "procurement", 0, 10);
        assert_eq!(response.total, 3, "{status}");
        let found = urls(&response);
        assert_eq!(found.last(), Some(&"/old-guide/"), "{status}: {found:?}");
        let statuses: Vec<(&str, &str)> = response
            .hits
            .iter()
            .map(|h| (h.url.as_str(), h.status.as_str()))
            .collect();
        assert!(statuses.contains(&("/old-guide/", status)), "{statuses:?}");
        assert!(
            statuses.contains(&("/review/", "under-review")),
            "{statuses:?}"
        );
        assert!(statuses.contains(&("/playbook/", "")), "{statuses:?}");
    }
}

#[test]
fn a_retired_resource_with_the_same_text_ranks_below_the_current_one() {
    let text = "Guidance on the transparency of public sector algorithms.";
    for (first, second) in [("a", "b"), ("b", "a")] {
        let docs = vec![
            resource(&format!("/{first}/"), "Transparency", text, "superseded"),
            resource(&format!("/{second}/"), "Transparency", text, ""),
        ];
        let response = page(&searcher(&docs), "transparency", 0, 10);
        assert_eq!(
            urls(&response),
            [format!("/{second}/"), format!("/{first}/")]
        );
    }
}

#[test]
fn pages_of_results_follow_the_same_order() {
    let searcher = searcher(&collection("withdrawn"));
    let whole = urls(&page(&searcher, "procurement", 0, 10))
        .into_iter()
        .map(str::to_owned)
        .collect::<Vec<_>>();
    let mut paged = Vec::new();
    for offset in 0..4 {
        let response = page(&searcher, "procurement", offset, 1);
        assert_eq!(response.total, 3);
        paged.extend(urls(&response).into_iter().map(str::to_owned));
    }
    assert_eq!(paged, whole);
    let two = page(&searcher, "procurement", 1, 2);
    assert_eq!(urls(&two), whole[1..]);
}

#[test]
fn current_resources_keep_their_order_by_score() {
    // The same collection with the old guide current: its stronger match wins,
    // and an entry under review is not pushed down.
    let searcher = searcher(&collection(""));
    let response = page(&searcher, "procurement", 0, 10);
    assert_eq!(urls(&response).first(), Some(&"/old-guide/"));
    let review = page(&searcher, "checklist", 0, 10);
    assert_eq!(urls(&review), ["/review/"]);
    assert_eq!(review.hits[0].status, "under-review");
}
