//! Writes a small index natively and searches it with the reader the browser runs:
//! ranking, phrases, prefixes, typos, filters and counts, snippets, definitions,
//! and the determinism of the written bytes.

use std::collections::BTreeMap;

use almanac_search::{
    DocKind, Document, Error, FORMAT_VERSION, IndexConfig, IndexFile, Request, Response, Searcher,
    Sort, TaxonomyInfo, inflate, write_index,
};

fn doc(kind: DocKind, url: &str, title: &str, summary: &str, body: &str) -> Document {
    Document {
        kind,
        url: url.to_owned(),
        title: title.to_owned(),
        summary: summary.to_owned(),
        body: body.into(),
        publisher: String::new(),
        synonyms: Vec::new(),
        facets: Vec::new(),
        date: String::new(),
        status: String::new(),
    }
}

fn tagged(mut document: Document, facets: &[(&str, &str)]) -> Document {
    document.facets = facets
        .iter()
        .map(|(t, s)| ((*t).to_owned(), (*s).to_owned()))
        .collect();
    document
}

fn config() -> IndexConfig {
    let terms = |pairs: &[(&str, &str)]| {
        pairs
            .iter()
            .map(|(s, l)| ((*s).to_owned(), (*l).to_owned()))
            .collect()
    };
    IndexConfig {
        language: "en".to_owned(),
        taxonomies: vec![
            TaxonomyInfo {
                name: "type".to_owned(),
                label: "Resource type".to_owned(),
                terms: terms(&[
                    ("guidance", "Guidance"),
                    ("tool", "Tool"),
                    ("standard", "Standard"),
                ]),
                alt_labels: Default::default(),
            },
            TaxonomyInfo {
                name: "principles".to_owned(),
                label: "Ethical principles".to_owned(),
                terms: terms(&[
                    ("transparency", "Transparency"),
                    ("fairness", "Fairness"),
                    ("privacy", "Privacy"),
                ]),
                alt_labels: Default::default(),
            },
        ],
    }
}

fn fixture() -> Vec<Document> {
    let mut glossary = doc(
        DocKind::Glossary,
        "/ethics/glossary/algorithmic-bias/",
        "Algorithmic bias",
        "Systematic errors in a system that create unfair outcomes.",
        "Bias can enter through data, design or deployment.",
    );
    glossary.synonyms = vec!["machine bias".to_owned()];
    let mut dpia = doc(
        DocKind::Resource,
        "/ethics/guidance/dpia/",
        "Data protection impact assessment",
        "How to assess privacy risks before processing personal data.",
        "A DPIA describes the processing, assesses necessity and identifies risks to individuals.",
    );
    dpia.publisher = "Information Commissioner's Office".to_owned();
    vec![
        tagged(
            doc(
                DocKind::Resource,
                "/ethics/guidance/aia/",
                "Algorithmic impact assessment",
                "A questionnaire for public bodies deploying automated decisions.",
                "Answer questions about the system, its data and its effects on people.",
            ),
            &[
                ("type", "tool"),
                ("principles", "transparency"),
                ("principles", "fairness"),
            ],
        ),
        tagged(
            doc(
                DocKind::Resource,
                "/ethics/guidance/framework/",
                "Data ethics framework",
                "Guidance for public servants on using data responsibly.",
                "Teams should consider an algorithmic impact assessment early, \
                 document their choices and publish them for transparency.",
            ),
            &[("type", "guidance"), ("principles", "transparency")],
        ),
        tagged(dpia, &[("type", "guidance"), ("principles", "privacy")]),
        tagged(
            doc(
                DocKind::Resource,
                "/ethics/standards/ieee-7000/",
                "IEEE 7000: addressing ethical concerns during system design",
                "A standard process for value-based engineering.",
                "Stakeholder values are elicited & prioritised <in> design.",
            ),
            &[("type", "standard"), ("principles", "fairness")],
        ),
        tagged(
            doc(
                DocKind::Resource,
                "/ethics/tools/fairness-toolkit/",
                "Fairness toolkit",
                "Open-source metrics to detect and mitigate bias in models.",
                "Measures disparate impact across groups.",
            ),
            &[("type", "tool"), ("principles", "fairness")],
        ),
        doc(
            DocKind::Page,
            "/ethics/about/",
            "About this collection",
            "Who curates the collection and how.",
            "Entries are reviewed every year.",
        ),
        glossary,
    ]
}

fn searcher() -> Searcher {
    let files = write_index(&config(), &fixture()).expect("write");
    Searcher::open_files(files).expect("open")
}

fn urls(response: &Response) -> Vec<&str> {
    response.hits.iter().map(|h| h.url.as_str()).collect()
}

fn search(searcher: &Searcher, query: &str) -> Response {
    searcher.search(&Request::new(query))
}

#[test]
fn writes_a_hot_file_and_its_chunks_under_one_hash() {
    let files = write_index(&config(), &fixture()).expect("write");
    let name = &files[0].name;
    assert!(
        name.starts_with("index.") && name.ends_with(".bin"),
        "{name}"
    );
    assert_eq!(name.len(), "index.".len() + 16 + ".bin".len());
    assert_eq!(&hot(&files)[8..12], &FORMAT_VERSION.to_le_bytes());
    let folder = format!("{}/", name.trim_end_matches(".bin"));
    assert!(
        files.len() > 1,
        "the postings and stored documents are chunks"
    );
    for chunk in &files[1..] {
        let number = chunk
            .name
            .strip_prefix(&folder)
            .and_then(|n| n.strip_suffix(".bin"));
        assert!(
            number.is_some_and(|n| n.parse::<usize>().is_ok()),
            "{}",
            chunk.name
        );
    }
}

/// A few hundred generated documents: enough for postings and stored
/// documents to span many chunks.
fn many() -> Vec<Document> {
    const WORDS: &[&str] = &[
        "algorithmic",
        "impact",
        "assessment",
        "privacy",
        "fairness",
        "audit",
        "public",
        "sector",
        "governance",
        "transparency",
        "register",
        "procurement",
        "bias",
        "model",
        "risk",
        "oversight",
        "consent",
        "dataset",
        "charter",
        "toolkit",
    ];
    let mut seed: u64 = 7;
    let mut next = move |n: usize| {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (seed >> 33) as usize % n
    };
    let mut docs = fixture();
    for i in 0..600 {
        let mut words = |n: usize| {
            (0..n)
                .map(|_| WORDS[next(WORDS.len())])
                .collect::<Vec<_>>()
                .join(" ")
        };
        let title = words(4);
        let summary = words(12);
        let body = words(120);
        let facets = [
            ("principles", ["privacy", "fairness", "transparency"][i % 3]),
            ("type", ["tool", "guidance"][i % 2]),
        ];
        let mut generated = tagged(
            doc(
                DocKind::Resource,
                &format!("/ethics/generated/{i}/"),
                &title,
                &summary,
                &body,
            ),
            &facets,
        );
        // Dated but for every seventh, some to the month only.
        if i % 7 != 0 {
            generated.date = format!("{}-{:02}", 2000 + i % 25, 1 + i % 12);
        }
        docs.push(generated);
    }
    docs
}

#[test]
fn a_searcher_fetching_chunks_answers_like_one_holding_them_all() {
    let files = write_index(&config(), &many()).expect("write");
    let complete = Searcher::open_files(files.clone()).expect("open all");
    let chunks = chunk_files(&files);
    let lazy = Searcher::open(&hot(&files)).expect("open the hot file");
    assert_eq!(lazy.chunk_count(), complete.chunk_count());

    let filtered = |query: &str, filters: &[(&str, &str)]| Request {
        filters: filters
            .iter()
            .map(|(t, s)| ((*t).to_owned(), (*s).to_owned()))
            .collect(),
        ..Request::new(query)
    };
    let requests = [
        Request::new("algorithmic impact assessment"),
        filtered("impact assess", &[("principles", "privacy")]),
        filtered("", &[("type", "tool"), ("principles", "fairness")]),
        Request::new("\"impact assessment\""),
        Request::new("assesment"),
        Request::new("gov"),
        Request::new(""),
        // Definitions are read from the glossary terms' stored documents.
        Request::new("what is algorithmic bias"),
        Request::new("machine bias audit"),
        Request {
            limit: 5,
            offset: 40,
            ..Request::new("privacy risk")
        },
        Request {
            sort: Sort::Newest,
            ..Request::new("audit")
        },
        Request {
            sort: Sort::Newest,
            offset: 300,
            ..Request::new("")
        },
    ];
    let mut fetched = 0;
    for request in &requests {
        let (response, chunks_fetched, rounds) = fetching(&lazy, &chunks, request);
        assert!(rounds <= 2, "{request:?} needed {rounds} rounds of chunks");
        fetched += chunks_fetched;
        let expected = complete.search(request);
        assert_eq!(
            serde_json::to_value(&response).expect("json"),
            serde_json::to_value(&expected).expect("json"),
            "{request:?}"
        );
    }
    assert!(
        fetched < chunks.len(),
        "these searches should not need every chunk ({fetched} of {})",
        chunks.len()
    );
}

/// The hot file `write_index` wrote, inflated as the browser hands it over.
fn hot(files: &[IndexFile]) -> Vec<u8> {
    inflate(&files[0].bytes).expect("the hot file inflates")
}

/// The chunk files `write_index` wrote (all but the hot file), by number,
/// inflated as the browser hands them over.
fn chunk_files(files: &[IndexFile]) -> BTreeMap<usize, Vec<u8>> {
    files[1..]
        .iter()
        .map(|f| {
            let number = f
                .name
                .rsplit('/')
                .next()
                .and_then(|n| n.strip_suffix(".bin"));
            (
                number.and_then(|n| n.parse().ok()).expect("numbered"),
                inflate(&f.bytes).expect("a chunk inflates"),
            )
        })
        .collect()
}

/// Answers `request` from `searcher`, adding the chunks it asks for, as the
/// search page does; returns the response, how many chunks it fetched and in
/// how many rounds.
fn fetching(
    searcher: &Searcher,
    chunks: &BTreeMap<usize, Vec<u8>>,
    request: &Request,
) -> (Response, usize, usize) {
    let (mut fetched, mut rounds) = (0, 0);
    loop {
        match searcher.try_search(request) {
            Ok(response) => return (response, fetched, rounds),
            Err(Error::NeedChunks(needed)) => {
                rounds += 1;
                fetched += needed.len();
                for number in needed {
                    searcher
                        .add_chunk(number, chunks[&number].clone())
                        .expect("add");
                }
            }
            Err(error) => panic!("{request:?}: {error}"),
        }
    }
}

#[test]
fn results_come_without_the_counts_postings_and_counts_after() {
    let files = write_index(&config(), &many()).expect("write");
    let complete = Searcher::open_files(files.clone()).expect("open all");
    let chunks = chunk_files(&files);
    // No filter: a filter's own postings are needed for the results too.
    let full = Request::new("impact assess");
    let expected = complete.search(&full);
    assert!(expected.total > 0 && !expected.facets.is_empty());

    let (_, all_at_once, _) =
        fetching(&Searcher::open(&hot(&files)).expect("open"), &chunks, &full);

    let lazy = Searcher::open(&hot(&files)).expect("open");
    let results_first = Request {
        facets: false,
        ..full.clone()
    };
    let (results, before_results, _) = fetching(&lazy, &chunks, &results_first);
    assert_eq!(results.total, expected.total);
    assert_eq!(results.hits, expected.hits);
    assert_eq!(results.definitions, expected.definitions);
    assert!(results.facets.is_empty());
    assert!(
        before_results < all_at_once,
        "results alone should need fewer chunks ({before_results}, all: {all_at_once})"
    );

    let counts_only = Request {
        limit: 0,
        ..full.clone()
    };
    let (counts, _, _) = fetching(&lazy, &chunks, &counts_only);
    assert!(counts.hits.is_empty());
    assert_eq!(counts.total, expected.total);
    assert_eq!(counts.facets, expected.facets);
}

#[test]
fn same_documents_give_the_same_bytes_in_any_order() {
    let first = write_index(&config(), &fixture()).expect("write");
    let mut reversed = fixture();
    reversed.reverse();
    let second = write_index(&config(), &reversed).expect("write");
    assert_eq!(first, second);
}

#[test]
fn the_spelling_an_acronym_keeps_does_not_hang_on_the_input_order() {
    // Two spellings of one long form: the index keeps one of them whichever
    // document comes first in the input.
    let defining =
        |url: &str, title: &str, body: &str| doc(DocKind::Resource, url, title, "", body);
    let docs = vec![
        defining(
            "/a/",
            "Assessing impact",
            "An Algorithmic Impact Assessment (AIA) comes first.",
        ),
        defining(
            "/b/",
            "Before deployment",
            "An algorithmic impact assessment (AIA) comes before deployment.",
        ),
    ];
    let first = write_index(&config(), &docs).expect("write");
    let mut reversed = docs;
    reversed.reverse();
    let second = write_index(&config(), &reversed).expect("write");
    assert_eq!(first, second);
}

#[test]
fn round_trip_finds_every_document() {
    let searcher = searcher();
    assert_eq!(searcher.num_docs(), 7);
    let response = search(&searcher, "collection");
    assert_eq!(urls(&response), ["/ethics/about/"]);
    let hit = &response.hits[0];
    assert_eq!(hit.kind, DocKind::Page);
    assert_eq!(hit.title, "About this collection");
    assert_eq!(hit.summary, "Who curates the collection and how.");
}

#[test]
fn a_title_match_beats_a_body_match() {
    let response = search(&searcher(), "algorithmic impact assessment");
    assert_eq!(
        urls(&response)[..2],
        ["/ethics/guidance/aia/", "/ethics/guidance/framework/"]
    );
}

#[test]
fn stemming_matches_other_forms() {
    let response = search(&searcher(), "assessing risk ");
    assert_eq!(urls(&response)[0], "/ethics/guidance/dpia/");
}

#[test]
fn phrases_match_words_in_order() {
    let searcher = searcher();
    let phrase = search(&searcher, "\"impact assessment\"");
    // Both titles with the phrase come before the body that has it.
    assert_eq!(
        urls(&phrase),
        [
            "/ethics/guidance/aia/",
            "/ethics/guidance/dpia/",
            "/ethics/guidance/framework/"
        ]
    );
    let reversed = search(&searcher, "\"assessment impact\"");
    assert_eq!(reversed.total, 0, "{reversed:?}");
}

#[test]
fn the_last_word_is_completed_as_a_prefix() {
    let searcher = searcher();
    let typing = search(&searcher, "questio");
    assert_eq!(urls(&typing), ["/ethics/guidance/aia/"]);
    assert!(
        typing.hits[0]
            .snippet
            .contains("<mark>questionnaire</mark>")
    );
    // With a space after it the word is complete and matches only itself (or
    // a word one edit away, and there is none).
    assert_eq!(search(&searcher, "questio ").total, 0);
}

#[test]
fn typos_are_forgiven_when_a_word_has_no_exact_match() {
    let searcher = searcher();
    let misspelt = search(&searcher, "algoritmic ");
    assert_eq!(
        urls(&misspelt)[..2],
        [
            "/ethics/glossary/algorithmic-bias/",
            "/ethics/guidance/aia/"
        ]
    );
    let corrected = search(&searcher, "stakehodler values ");
    assert_eq!(urls(&corrected)[0], "/ethics/standards/ieee-7000/");
    assert!(
        corrected.hits[0]
            .snippet
            .contains("<mark>Stakeholder</mark>")
    );
    // Short words are never corrected: too many words are one edit apart.
    assert_eq!(search(&searcher, "dta ").total, 0);
}

#[test]
fn filters_and_within_or_across_with_counts() {
    let searcher = searcher();
    let all = search(&searcher, "impact");
    assert_eq!(all.total, 4, "{:?}", urls(&all));
    let principles = all
        .facets
        .iter()
        .find(|f| f.name == "principles")
        .expect("principles");
    assert_eq!(principles.label, "Ethical principles");
    let counts: Vec<(&str, u64)> = principles
        .terms
        .iter()
        .map(|t| (t.slug.as_str(), t.count))
        .collect();
    assert_eq!(
        counts,
        [("transparency", 2), ("fairness", 2), ("privacy", 1)]
    );

    let request = |filters: &[(&str, &str)]| Request {
        query: "impact".to_owned(),
        filters: filters
            .iter()
            .map(|(t, s)| ((*t).to_owned(), (*s).to_owned()))
            .collect(),
        ..Request::default()
    };
    let narrowed = searcher.search(&request(&[("principles", "transparency")]));
    assert_eq!(
        urls(&narrowed),
        ["/ethics/guidance/aia/", "/ethics/guidance/framework/"]
    );
    // The filtered taxonomy keeps its counts so readers can widen; others narrow.
    let principles = &narrowed.facets[1];
    assert_eq!(principles.terms[2].count, 1);
    let types = &narrowed.facets[0];
    let counts: Vec<u64> = types.terms.iter().map(|t| t.count).collect();
    assert_eq!(counts, [1, 1, 0]);

    let either = searcher.search(&request(&[
        ("principles", "transparency"),
        ("principles", "privacy"),
    ]));
    assert_eq!(either.total, 3);
    let both = searcher.search(&request(&[
        ("principles", "transparency"),
        ("type", "tool"),
    ]));
    assert_eq!(urls(&both), ["/ethics/guidance/aia/"]);
    // A taxonomy the index does not know is ignored, not an error.
    assert_eq!(searcher.search(&request(&[("colour", "red")])).total, 4);
}

#[test]
fn an_empty_query_with_filters_lists_the_filtered_documents_by_title() {
    let searcher = searcher();
    let request = Request {
        filters: vec![("type".to_owned(), "tool".to_owned())],
        ..Request::default()
    };
    let response = searcher.search(&request);
    assert_eq!(
        urls(&response),
        ["/ethics/guidance/aia/", "/ethics/tools/fairness-toolkit/"]
    );
    let nothing = search(&searcher, "  ");
    assert_eq!(nothing.total, 0);
    assert!(nothing.hits.is_empty());
    // Counts over the whole collection, for the filters shown before a search.
    assert_eq!(nothing.facets[0].terms[0].count, 2);
}

#[test]
fn snippets_mark_matches_and_escape_html() {
    let searcher = searcher();
    let response = search(&searcher, "stakeholder values");
    let snippet = &response.hits[0].snippet;
    assert_eq!(
        snippet,
        "<mark>Stakeholder</mark> <mark>values</mark> are elicited &amp; prioritised &lt;in&gt; design."
    );
    let summary = &search(&searcher, "privacy").hits[0].snippet;
    assert!(summary.contains("<mark>privacy</mark> risks"), "{summary}");
}

#[test]
fn definitions_come_from_glossary_titles_and_synonyms() {
    let searcher = searcher();
    let response = search(&searcher, "what is algorithmic bias");
    assert_eq!(response.definitions.len(), 1);
    assert_eq!(response.definitions[0].title, "Algorithmic bias");
    assert_eq!(
        response.definitions[0].url,
        "/ethics/glossary/algorithmic-bias/"
    );
    assert_eq!(
        response.definitions[0].summary,
        "Systematic errors in a system that create unfair outcomes."
    );
    assert_eq!(search(&searcher, "machine biases").definitions.len(), 1);
    assert!(search(&searcher, "bias").definitions.is_empty());
}

#[test]
fn odd_queries_are_never_errors() {
    let searcher = searcher();
    for query in [
        "\"",
        "\"\"\"",
        "AND OR NOT",
        "title:",
        "(((",
        "*",
        "-",
        "ü",
        "a\u{0}b",
    ] {
        let _ = search(&searcher, query);
    }
    let nothing_known = search(&searcher, "zzzzqqq xxyyzz");
    assert_eq!(nothing_known.total, 0);
    // One unknown word does not hide what the others find.
    assert_eq!(
        urls(&search(&searcher, "questionnaire zzzzqqq"))[0],
        "/ethics/guidance/aia/"
    );
}

#[test]
fn paging_uses_limit_and_offset() {
    let searcher = searcher();
    let first = searcher.search(&Request {
        limit: 1,
        ..Request::new("impact")
    });
    let second = searcher.search(&Request {
        limit: 1,
        offset: 1,
        ..Request::new("impact")
    });
    assert_eq!(first.total, 4);
    assert_eq!(first.hits.len(), 1);
    assert_ne!(first.hits[0].url, second.hits[0].url);
}

#[test]
fn the_collection_language_picks_the_stemmer() {
    let mut french = config();
    french.language = "fr".to_owned();
    let docs = vec![doc(
        DocKind::Resource,
        "/fr/",
        "Évaluations d'impact",
        "Les évaluations sur la protection des données.",
        "",
    )];
    let files = write_index(&french, &docs).expect("write");
    let searcher = Searcher::open_files(files).expect("open");
    assert_eq!(search(&searcher, "evaluation ").total, 1);
}

#[test]
fn rejects_what_is_not_an_index() {
    assert!(matches!(Searcher::open(b"<html>"), Err(Error::NotAnIndex)));
    let mut docs = fixture();
    docs[0].facets.push(("colour".to_owned(), "red".to_owned()));
    assert!(matches!(
        write_index(&config(), &docs),
        Err(Error::UnknownTaxonomy { .. })
    ));
}

#[test]
fn response_json_has_the_documented_shape() {
    let response = search(&searcher(), "questionnaire");
    let json = serde_json::to_value(&response).expect("json");
    assert_eq!(json["total"], 1);
    assert_eq!(json["hits"][0]["kind"], "resource");
    assert_eq!(json["facets"][0]["terms"][0]["slug"], "guidance");
    assert!(json["definitions"].as_array().is_some());
    assert!(json["suggestions"].as_array().is_some());
    assert!(json["highlight"].as_array().is_some());
    assert_eq!(json["hits"][0]["date"], "");
    let request: Request =
        serde_json::from_str(r#"{"query":"x","filters":[["type","tool"]]}"#).expect("request");
    assert_eq!(request.limit, 20);
    assert_eq!(request.sort, Sort::Relevance);
    let request: Request = serde_json::from_str(r#"{"query":"x","sort":"newest"}"#).expect("sort");
    assert_eq!(request.sort, Sort::Newest);
}

/// A small collection for the query analysis: a glossary, acronyms in the
/// text, British spellings, dated resources and a vocabulary with alternatives.
fn analysed() -> Searcher {
    let mut config = config();
    config.taxonomies[1]
        .alt_labels
        .insert("privacy".to_owned(), vec!["data protection".to_owned()]);
    let mut glossary = doc(
        DocKind::Glossary,
        "/glossary/automation-bias/",
        "Automation bias",
        "Trusting an automated system more than the evidence justifies.",
        "Reviewers who always agree with the system add little protection.",
    );
    glossary.synonyms = vec!["overreliance".to_owned()];
    let dated = |url: &str, title: &str, body: &str, date: &str| {
        let mut d = doc(DocKind::Resource, url, title, "", body);
        d.date = date.to_owned();
        d
    };
    let docs = vec![
        glossary,
        dated(
            "/law/gdpr/",
            "Regulation 2016/679 - General Data Protection Regulation (GDPR)",
            "The law on processing personal data and automated decisions.",
            "2016",
        ),
        dated(
            "/guides/bias-review/",
            "Review into bias in automated decisions",
            "How bias enters decisions that people take with automated tools, \
             and what organisations can do about automation.",
            "2020-11",
        ),
        dated(
            "/guides/anonymisation/",
            "Anonymisation code of practice",
            "How organisations anonymise personal data before publishing it.",
            "2012-11-20",
        ),
        tagged(
            dated(
                "/guides/privacy-notices/",
                "Writing privacy notices",
                "Telling people what happens to their information.",
                "",
            ),
            &[("principles", "privacy")],
        ),
    ];
    let files = write_index(&config, &docs).expect("write");
    Searcher::open_files(files).expect("open")
}

#[test]
fn a_question_finds_the_term_it_asks_about() {
    let searcher = analysed();
    for question in ["what is automation bias", "What is automation bias?"] {
        let response = search(&searcher, question);
        assert_eq!(
            urls(&response)[0],
            "/glossary/automation-bias/",
            "{question}"
        );
    }
    // Only stop words: they are searched rather than dropped.
    let response = search(&searcher, "what is it");
    assert!(
        urls(&response).contains(&"/guides/privacy-notices/"),
        "{:?}",
        urls(&response)
    );
}

#[test]
fn another_name_finds_what_it_names() {
    let searcher = analysed();
    // A glossary synonym names its term.
    assert_eq!(
        urls(&search(&searcher, "overreliance"))[0],
        "/glossary/automation-bias/"
    );
    // An acronym the collection defines finds the text with its long form,
    // and the long form the acronym.
    let response = search(&searcher, "GDPR personal data");
    assert_eq!(urls(&response)[0], "/law/gdpr/");
    // A vocabulary term's alternative label finds the resources with the term.
    // (The only one with every word: those with some follow it.)
    let response = search(&searcher, "data protection notices");
    assert_eq!(urls(&response)[0], "/guides/privacy-notices/");
    assert!(
        response.highlight.iter().any(|s| s == "privaci"),
        "{:?}",
        response.highlight
    );
}

#[test]
fn british_and_american_spellings_find_each_other() {
    let searcher = analysed();
    for query in ["anonymization", "anonymize personal data", "organizations"] {
        let response = search(&searcher, query);
        assert!(
            urls(&response).contains(&"/guides/anonymisation/"),
            "{query}: {:?}",
            urls(&response)
        );
    }
}

#[test]
fn nothing_found_suggests_words_of_the_index() {
    let searcher = analysed();
    // Two edits from "review": too far for the typo widening of a word this
    // short, near enough to suggest.
    let response = search(&searcher, "rivew");
    assert_eq!(response.total, 0);
    assert_eq!(response.suggestions, ["review"]);
    let response = search(&searcher, "automationbias");
    assert_eq!(response.suggestions, ["automation bias"]);
    let response = search(&searcher, "zzqx");
    assert!(response.suggestions.is_empty());
    // Something found: nothing suggested.
    assert!(search(&searcher, "automation").suggestions.is_empty());
}

#[test]
fn results_sort_by_newest_with_undated_ones_last() {
    let searcher = analysed();
    let request = Request {
        sort: Sort::Newest,
        ..Request::new("personal data organisations notices information")
    };
    let response = searcher.search(&request);
    let dates: Vec<&str> = response.hits.iter().map(|h| h.date.as_str()).collect();
    assert_eq!(dates, ["2020-11", "2016", "2012-11-20", ""][..dates.len()]);
    assert!(dates.len() >= 3, "{dates:?}");
}

#[test]
fn a_searcher_can_be_shared_between_threads() {
    // The dev server answers requests from several threads with one index.
    fn shareable<T: Send + Sync>() {}
    shareable::<Searcher>();
}

#[test]
fn an_index_of_no_documents_opens_and_finds_nothing() {
    let files = write_index(&config(), &[]).expect("write");
    let searcher = Searcher::open_files(files).expect("open");
    assert_eq!(searcher.num_docs(), 0);
    for query in ["", "privacy", "\"impact assessment\"", "gov"] {
        let response = searcher.try_search(&Request::new(query)).expect("search");
        assert_eq!(response.total, 0, "{query}");
        assert!(response.hits.is_empty());
    }
    let newest = Request {
        sort: Sort::Newest,
        ..Request::new("")
    };
    assert_eq!(searcher.try_search(&newest).expect("search").total, 0);
}

#[test]
fn few_documents_with_every_word_come_first_and_those_with_some_follow() {
    let docs = vec![
        doc(
            DocKind::Resource,
            "/all/",
            "Personal data",
            "Information about a person.",
            "Techniques for data anonymization vary.",
        ),
        doc(
            DocKind::Glossary,
            "/anonymisation/",
            "Anonymisation",
            "Removing what identifies a person.",
            "",
        ),
        doc(
            DocKind::Resource,
            "/quality/",
            "Data quality",
            "",
            "Data, data, data.",
        ),
        doc(
            DocKind::Resource,
            "/other/",
            "Procurement",
            "",
            "Buying software.",
        ),
    ];
    let searcher =
        Searcher::open_files(write_index(&config(), &docs).expect("write")).expect("open");
    let response = search(&searcher, "data anonymization techniques");
    assert_eq!(response.total, 3, "{:?}", urls(&response));
    assert_eq!(urls(&response)[0], "/all/", "the one with every word first");
    assert!(urls(&response).contains(&"/anonymisation/"));
    // Paged, the order holds.
    let second = searcher.search(&Request {
        limit: 1,
        offset: 1,
        ..Request::new("data anonymization techniques")
    });
    assert_eq!(urls(&second), [urls(&response)[1]]);
    // Enough documents with every word: only those.
    let many = search(&searcher, "data");
    assert_eq!(many.total, 2);
}
