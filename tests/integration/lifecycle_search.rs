//! Statuses in search on tests/fixtures/lifecycle/basic: `almanac search` names a
//! result's status, and the superseded guide ranks after the current entries
//! that match less well.

use serde_json::Value;

use crate::support::{almanac, edit, fixture};

/// The URLs and statuses of the results for `query`, best first.
fn results(dir: &std::path::Path, query: &str) -> Vec<(String, String)> {
    let run = almanac(dir, &["search", query, "--json"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let response: Value = serde_json::from_str(&run.stdout).unwrap();
    response["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            let status = h["status"].as_str().unwrap_or_default().to_owned();
            (h["url"].as_str().unwrap().to_owned(), status)
        })
        .collect()
}

#[test]
fn search_ranks_retired_entries_last_and_names_their_status() {
    let dir = fixture("lifecycle/basic");
    // "guide" is in the old guide's title and summary, only in the bodies of
    // the playbook and the checker: by score alone the old guide comes first.
    let found = results(dir.path(), "guide");
    let urls: Vec<&str> = found.iter().map(|(u, _)| u.as_str()).collect();
    assert_eq!(urls.len(), 3, "{found:?}");
    assert_eq!(
        urls.last(),
        Some(&"/library/guidance/old-guide/"),
        "{found:?}"
    );
    assert!(
        found.contains(&("/library/guidance/old-guide/".into(), "superseded".into())),
        "{found:?}"
    );
    assert!(
        found.contains(&(
            "/library/guidance/fairness-checker/".into(),
            "under-review".into()
        )),
        "{found:?}"
    );
    assert!(
        found.contains(&("/library/guidance/new-playbook/".into(), String::new())),
        "{found:?}"
    );

    let human = almanac(dir.path(), &["search", "toolkit"]);
    assert_eq!(human.status, 0, "{}", human.stderr);
    assert!(
        human
            .stdout
            .contains("Retired Toolkit  [resource, withdrawn]"),
        "{}",
        human.stdout
    );
    let current = almanac(dir.path(), &["search", "playbook"]);
    assert!(
        current
            .stdout
            .contains("New Playbook for Public AI  [resource]"),
        "{}",
        current.stdout
    );

    // The same guide kept current ranks first again: the status, not the
    // text, put it last.
    edit(
        dir.path(),
        "content/guidance/old-guide.md",
        "status: superseded\nsuperseded_by: guidance/new-playbook.md\n",
        "",
    );
    let found = results(dir.path(), "guide");
    assert_eq!(
        found[0],
        ("/library/guidance/old-guide/".into(), String::new())
    );
}
