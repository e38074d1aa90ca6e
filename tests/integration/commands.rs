//! The smaller commands: `init` makes a collection that builds, `new` adds an entry
//! that checks, usage errors exit with status 2.

use crate::support::{almanac, fixture, read, search_index_file, write};

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

/// A vocabulary term's `alt_labels` find its resources, and a question finds
/// the glossary term it asks about.
#[test]
fn search_knows_alternative_labels_and_questions() {
    let dir = fixture("build/basic");
    let config = read(dir.path(), "almanac.yaml").replace(
        "standard: { label: Standard, description: A specification to conform to. }",
        "standard: { label: Standard, description: A specification to conform to., alt_labels: [norm] }",
    );
    write(dir.path(), "almanac.yaml", &config);
    let first = |query: &str| {
        let run = almanac(dir.path(), &["search", query, "--json"]);
        assert_eq!(run.status, 0, "{}", run.stderr);
        let response: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        response["hits"][0]["title"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    };
    assert_eq!(first("norm"), "Gamma Standard");
    assert_eq!(first("what is fairness?"), "Fairness");
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
        page.contains(&format!(
            "href=\"/library/search/{index}\" as=\"fetch\" crossorigin data-search-index"
        )),
        "{page}"
    );
    // The reader's files carry a hash of their bytes, and the page names those.
    let names: Vec<String> = std::fs::read_dir(site.join("search"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    for (stem, extension) in [
        ("almanac_search_wasm_bg", "wasm"),
        ("almanac_search_wasm", "js"),
        ("search", "js"),
        ("search", "css"),
        ("prefetch", "js"),
    ] {
        let name = names
            .iter()
            .find(|n| {
                n.strip_prefix(&format!("{stem}."))
                    .and_then(|rest| rest.strip_suffix(&format!(".{extension}")))
                    .is_some_and(|hash| {
                        hash.len() == 12 && hash.bytes().all(|b| b.is_ascii_hexdigit())
                    })
            })
            .unwrap_or_else(|| panic!("no hashed {stem}.{extension} in {names:?}"));
        if stem != "prefetch" {
            assert!(
                page.contains(&format!("/library/search/{name}")),
                "{name} in {page}"
            );
        }
    }
    assert!(!names.contains(&"search.js".to_owned()), "{names:?}");
    let stemmer = std::fs::read_dir(site.join("search/stemmers"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .find(|n| n.starts_with("english."))
        .expect("the English stemmer");
    assert!(
        page.contains(&format!("/library/search/stemmers/{stemmer}")),
        "{page}"
    );
    // Every other page fetches the reader ahead when its search box is focused.
    let home = read(&site, "index.html");
    assert!(home.contains("/library/search/prefetch."), "{home}");
    assert!(!page.contains("/library/search/prefetch."), "{page}");
}

#[test]
fn search_answers_from_the_built_site_while_it_is_current() {
    let dir = fixture("build/basic");
    let before = almanac(dir.path(), &["search", "transparent registers", "--json"]);
    assert!(
        before.stderr.contains("there is no built site"),
        "{}",
        before.stderr
    );
    assert_eq!(almanac(dir.path(), &["build"]).status, 0);
    let built = almanac(dir.path(), &["search", "transparent registers", "--json"]);
    assert_eq!(built.status, 0, "{}", built.stderr);
    assert!(built.stderr.is_empty(), "{}", built.stderr);
    assert_eq!(built.stdout, before.stdout, "the built index answers alike");

    // An edit after the build: the collection is indexed in memory again.
    std::thread::sleep(std::time::Duration::from_millis(20));
    let file = dir
        .path()
        .join("content/standards/technical/gamma-standard.md");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replace("Gamma Standard", "Gamma Norm")).unwrap();
    let stale = almanac(dir.path(), &["search", "transparent registers", "--json"]);
    assert_eq!(stale.status, 0, "{}", stale.stderr);
    assert!(
        stale.stderr.contains("changed after the site was built"),
        "{}",
        stale.stderr
    );
    assert!(stale.stdout.contains("Gamma Norm"), "{}", stale.stdout);
}

/// `almanac search … | head`: a reader that closes the pipe before the results are
/// written ends the command quietly, without a panic.
#[test]
fn search_into_a_closed_pipe_exits_quietly() {
    let dir = fixture("build/basic");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_almanac"))
        .args(["search", "data"])
        .current_dir(dir.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the almanac binary runs");
    // Closed before the command has read its index, let alone written a result.
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(output.status.code(), Some(0), "{stderr}");
}
