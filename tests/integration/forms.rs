//! Contributions from colleagues who do not use git: `almanac forms` writes an issue
//! form from the collection's fields and vocabularies, and a proposal filed with it
//! becomes, through `almanac new --from-issue`, an entry that checks and builds.

use crate::support::{almanac, fixture, read, write};

/// What GitHub writes in an issue for each answer of a form: `### Label`, a blank
/// line, the answer.
fn filled(form: &serde_yaml::Value, answer: impl Fn(&str, &serde_yaml::Value) -> String) -> String {
    let mut body = String::new();
    for item in form["body"].as_sequence().unwrap() {
        if item["type"] == "markdown" {
            continue;
        }
        let label = item["attributes"]["label"].as_str().unwrap();
        let id = item["id"].as_str().unwrap();
        body.push_str(&format!("### {label}\n\n{}\n\n", answer(id, item)));
    }
    body
}

#[test]
fn forms_follow_the_vocabularies_and_a_proposal_becomes_an_entry() {
    let dir = fixture("links/basic");
    let root = dir.path();
    let run = almanac(root, &["forms"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let text = read(root, ".github/ISSUE_TEMPLATE/propose-a-resource.yml");
    let form: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
    let config: serde_yaml::Value =
        serde_yaml::from_str(&read(root, ".github/ISSUE_TEMPLATE/config.yml")).unwrap();
    assert_eq!(
        config["contact_links"][0]["url"],
        "https://example.org/links/"
    );

    // Fields in order, vocabularies as dropdowns, required ones marked.
    let items = form["body"].as_sequence().unwrap();
    let item = |id: &str| {
        items
            .iter()
            .find(|i| i["id"] == id)
            .unwrap_or_else(|| panic!("no field `{id}` in:\n{text}"))
    };
    let ids: Vec<&str> = items.iter().filter_map(|i| i["id"].as_str()).collect();
    assert_eq!(
        ids,
        [
            "title",
            "url",
            "section",
            "summary",
            "publisher",
            "authors",
            "published",
            "type",
            "principles",
            "topics",
            "notes"
        ]
    );
    assert_eq!(item("type")["type"], "dropdown");
    assert_eq!(item("type")["attributes"]["multiple"], false);
    assert_eq!(item("type")["validations"]["required"], true);
    let options: Vec<&str> = item("type")["attributes"]["options"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|o| o.as_str().unwrap())
        .collect();
    assert_eq!(options, ["Guidance", "Tool"]);
    assert_eq!(item("principles")["attributes"]["multiple"], true);
    assert_eq!(item("principles")["validations"]["required"], false);
    assert_eq!(
        item("topics")["type"],
        "input",
        "an open vocabulary is typed in"
    );
    let sections: Vec<&str> = item("section")["attributes"]["options"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|o| o.as_str().unwrap())
        .collect();
    assert_eq!(sections, ["Guidance", "Tools"]);
    // The same collection gives the same bytes.
    assert_eq!(almanac(root, &["forms"]).status, 0);
    assert_eq!(
        read(root, ".github/ISSUE_TEMPLATE/propose-a-resource.yml"),
        text
    );

    // A colleague fills it in; the issue body is saved and made into an entry.
    let body = filled(&form, |id, _| {
        match id {
            "title" => "Algorithmic Transparency Recording Standard",
            "url" => "https://example.org/atrs",
            "section" => "Tools",
            "summary" => "How public bodies publish what their algorithmic tools do.",
            "publisher" => "Central Digital and Data Office; Centre for Data Ethics and Innovation",
            "authors" => "_No response_",
            "published" => "2021",
            "type" => "Tool",
            "principles" => "Transparency, Fairness",
            "topics" => "public sector, records",
            "notes" => {
                "Use it before a tool goes live.\n\n### What it asks\n\nA short and a long record."
            }
            other => panic!("unexpected field {other}"),
        }
        .to_string()
    });
    write(root, "proposal.md", &body);
    let run = almanac(root, &["new", "--from-issue", "proposal.md"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let entry = read(
        root,
        "content/tools/algorithmic-transparency-recording-standard.md",
    );
    assert!(entry.contains("type: \"tool\""), "{entry}");
    assert!(
        entry.contains("principles: [\"transparency\", \"fairness\"]"),
        "{entry}"
    );
    assert!(entry.contains("publisher: [\"Central Digital and Data Office\", \"Centre for Data Ethics and Innovation\"]"), "{entry}");
    assert!(!entry.contains("authors"), "{entry}");
    assert!(
        entry.contains("### What it asks"),
        "a heading of the notes stays in the notes: {entry}"
    );
    let check = almanac(root, &["check"]);
    assert_eq!(check.status, 0, "{}", check.stderr);
    let build = almanac(root, &["build"]);
    assert_eq!(build.status, 0, "{}", build.stderr);
    let page = read(
        root,
        "site/tools/algorithmic-transparency-recording-standard/index.html",
    );
    assert!(page.contains("Algorithmic Transparency Recording Standard"));
    assert!(
        read(root, "site/principles/fairness/index.html")
            .contains("Algorithmic Transparency Recording Standard")
    );

    // The same proposal again is refused; so is a choice not in the vocabulary.
    let again = almanac(root, &["new", "--from-issue", "proposal.md"]);
    assert_eq!(again.status, 1);
    assert!(again.stderr.contains("already exists"), "{}", again.stderr);
    write(
        root,
        "bad.md",
        &body
            .replace("Transparency, Fairness", "Transparency, Speed")
            .replace("Algorithmic", "Another"),
    );
    let bad = almanac(root, &["new", "--from-issue", "bad.md"]);
    assert_eq!(bad.status, 1);
    // Named at the line of the answer, counted from 1.
    let line = body
        .lines()
        .position(|l| l == "Transparency, Fairness")
        .unwrap()
        + 1;
    assert!(
        bad.stderr.contains(&format!(
            "bad.md:{line}: “Speed” is not a choice of Principles"
        )),
        "{}",
        bad.stderr
    );
    assert!(
        !root
            .join("content/tools/another-transparency-recording-standard.md")
            .exists()
    );
}
