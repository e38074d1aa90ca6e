//! The smaller commands: `init` makes a collection that builds, `new` adds an entry
//! that checks, usage errors exit with status 2.

use crate::support::{almanac, fixture, read, search_index_file};

#[test]
fn init_makes_a_collection_that_builds() {
    let dir = tempfile::tempdir().unwrap();
    let run = almanac(dir.path(), &["init", "mine"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let collection = dir.path().join("mine");
    let check = almanac(&collection, &["check"]);
    assert_eq!(check.status, 0, "{}", check.stderr);
    let build = almanac(&collection, &["build"]);
    assert_eq!(build.status, 0, "{}", build.stderr);
    assert!(
        collection
            .join("site/guidance/example-guidance/index.html")
            .exists()
    );
    // A second init into the same, now non-empty, folder refuses.
    let again = almanac(dir.path(), &["init", "mine"]);
    assert_eq!(again.status, 1);
}

#[test]
fn new_adds_an_entry_from_the_vocabulary() {
    let dir = fixture("build/basic");
    let run = almanac(
        dir.path(),
        &["new", "guidance/data-canvas", "--title", "Data: A Canvas"],
    );
    assert_eq!(run.status, 0, "{}", run.stderr);
    let text = read(dir.path(), "content/guidance/data-canvas.md");
    assert!(text.contains("title: \"Data: A Canvas\""), "{text}");
    assert!(text.contains("type: guidance"), "{text}");
    assert!(text.contains("one of: guidance, standard, tool"), "{text}");
    let check = almanac(dir.path(), &["check"]);
    assert_eq!(check.status, 0, "{}", check.stderr);
    let twice = almanac(dir.path(), &["new", "guidance/data-canvas"]);
    assert_eq!(twice.status, 1);
    let outside = almanac(dir.path(), &["new", "../escape"]);
    assert_eq!(outside.status, 1);
    assert!(!dir.path().join("escape.md").exists());
}

#[test]
fn usage_errors_exit_with_two() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(almanac(dir.path(), &["build", "--no-such-flag"]).status, 2);
    assert_eq!(almanac(dir.path(), &["frobnicate"]).status, 2);
}

#[test]
fn a_folder_without_a_collection_is_explained() {
    let dir = tempfile::tempdir().unwrap();
    let run = almanac(dir.path(), &["build"]);
    assert_eq!(run.status, 1);
    assert!(run.stderr.contains("no almanac.yaml"), "{}", run.stderr);
}

#[test]
fn search_answers_from_the_collections_index() {
    let dir = fixture("build/basic");
    let run = almanac(dir.path(), &["search", "transparent registers", "--json"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let response: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let first = &response["hits"][0];
    assert_eq!(first["title"], "Gamma Standard", "{}", run.stdout);
    assert_eq!(first["url"], "/library/standards/technical/gamma-standard/");
    assert!(first["snippet"].as_str().unwrap().contains("<mark>"));

    let filtered = almanac(
        dir.path(),
        &["search", "", "--filter", "type=tool", "--json"],
    );
    assert_eq!(filtered.status, 0, "{}", filtered.stderr);
    let response: serde_json::Value = serde_json::from_str(&filtered.stdout).unwrap();
    let titles: Vec<&str> = response["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, ["Epsilon Notes"]);

    let human = almanac(dir.path(), &["search", "fairness"]);
    assert_eq!(human.status, 0);
    assert!(
        human.stdout.contains("Fairness (glossary)"),
        "{}",
        human.stdout
    );

    let bad = almanac(dir.path(), &["search", "x", "--filter", "colour=red"]);
    assert_eq!(bad.status, 2);
    assert!(bad.stderr.contains("not a taxonomy"), "{}", bad.stderr);
}

#[test]
fn the_build_publishes_the_index_the_search_page_names() {
    let dir = fixture("build/basic");
    let run = almanac(dir.path(), &["build"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let site = dir.path().join("site");
    let index = search_index_file(&site).expect("an index file");
    let page = read(&site, "search/index.html");
    assert!(
        page.contains(&format!("data-index-url=\"/library/search/{index}\"")),
        "{page}"
    );
    assert!(site.join("search/almanac_search_wasm_bg.wasm").exists());
}
