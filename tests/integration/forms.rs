//! Contributions from colleagues who do not use git: `almanac forms` writes an issue
//! form from the collection's fields and vocabularies, and a proposal filed with it
//! becomes, through `almanac new --from-issue`, a draft entry that checks, that the
//! curator's report lists, and that builds once published.

use crate::support::{Run, almanac, almanac_env, fixture, read, write};

/// `almanac` run on a fixed day (ALMANAC_TODAY), as `new --from-issue` dates the
/// proposal.
fn almanac_on(dir: &std::path::Path, today: &str, args: &[&str]) -> Run {
    almanac_env(dir, args, &[("ALMANAC_TODAY", today)])
}

/// What GitHub writes in an issue for each answer of a form: `### Label`, a blank
/// line, the answer.
pub(crate) fn filled(
    form: &serde_yaml::Value,
    answer: impl Fn(&str, &serde_yaml::Value) -> String,
) -> String {
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
                "We use it before a tool goes live.\n\n- It asks for a short and a long record."
            }
            other => panic!("unexpected field {other}"),
        }
        .to_string()
    });
    // A heading the form does not have (added by hand on the forge) ends the answer
    // before it, and is named.
    let body = body.replace(
        "### Publisher",
        "### Contact details\n\nWrite to a.colleague@example.org.\n\n### Publisher",
    );
    let contact_line = body
        .lines()
        .position(|l| l == "### Contact details")
        .unwrap()
        + 1;
    write(root, "proposal.md", &body);
    let run = almanac_on(
        root,
        "2026-03-10",
        &[
            "new",
            "--from-issue",
            "proposal.md",
            "--by",
            "a-colleague",
            "--issue",
            "https://forge.example.org/team/links/issues/7",
        ],
    );
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains(&format!(
            "warning: proposal.md:{contact_line}: `### Contact details` is not a question of the proposal form; the text under it is left out"
        )),
        "{}",
        run.stderr
    );
    let path = "content/tools/algorithmic-transparency-recording-standard.md";
    let entry = read(root, path);
    assert!(
        entry.contains("summary: \"How public bodies publish what their algorithmic tools do.\"\n"),
        "{entry}"
    );
    assert!(!entry.contains("a.colleague@example.org"), "{entry}");
    // A draft, with where it came from and the proposer's reasons in front matter,
    // not in the notes that readers would see.
    assert!(
        entry.ends_with(
            "draft: true  # a proposal: a curator removes this line to publish it\n\
             proposed:\n  date: 2026-03-10\n  by: \"a-colleague\"\n  \
             issue: \"https://forge.example.org/team/links/issues/7\"\n  \
             why: |\n    We use it before a tool goes live.\n\n    \
             - It asks for a short and a long record.\n---\n"
        ),
        "{entry}"
    );
    assert!(entry.contains("type: \"tool\""), "{entry}");
    assert!(
        entry.contains("principles: [\"transparency\", \"fairness\"]"),
        "{entry}"
    );
    assert!(entry.contains("publisher: [\"Central Digital and Data Office\", \"Centre for Data Ethics and Innovation\"]"), "{entry}");
    assert!(!entry.contains("authors"), "{entry}");
    let check = almanac(root, &["check"]);
    assert_eq!(check.status, 0, "{}", check.stderr);
    let page = "site/tools/algorithmic-transparency-recording-standard/index.html";
    let build = almanac(root, &["build"]);
    assert_eq!(build.status, 0, "{}", build.stderr);
    assert!(!root.join(page).exists(), "a proposal is not published");

    // The curator's report lists it, in each format.
    let report = almanac(root, &["report", "--today", "2026-03-12"]);
    assert_eq!(report.status, 0, "{}", report.stderr);
    assert!(
        report.stdout.contains(
            "Proposals from colleagues awaiting review (1)\n  \
             content/tools/algorithmic-transparency-recording-standard.md:11: \
             Algorithmic Transparency Recording Standard — proposed on 2026-03-10 by a-colleague \
             in https://forge.example.org/team/links/issues/7; a draft until `draft: true` is removed\n"
        ),
        "{}",
        report.stdout
    );
    let json = almanac(root, &["report", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let proposals = json["sections"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "proposals")
        .unwrap();
    assert_eq!(
        proposals["items"][0]["data"],
        serde_json::json!({
            "proposed": "2026-03-10",
            "by": "a-colleague",
            "issue": "https://forge.example.org/team/links/issues/7",
            "why": "We use it before a tool goes live.\n\n- It asks for a short and a long record.",
        })
    );
    let html = almanac(root, &["report", "--format", "html"]);
    assert!(
        html.stdout.contains(
            "<tr><th scope=\"row\">Algorithmic Transparency Recording Standard</th>\
             <td><code>content/tools/algorithmic-transparency-recording-standard.md:11</code></td>\
             <td>proposed on 2026-03-10 by a-colleague in https://forge.example.org/team/links/issues/7; \
             a draft until `draft: true` is removed</td></tr>"
        ),
        "{}",
        html.stdout
    );

    // Published by a curator: the page is built, without the proposer's reasons,
    // and the report no longer lists it.
    crate::support::edit(
        root,
        path,
        "draft: true  # a proposal: a curator removes this line to publish it\n",
        "",
    );
    let build = almanac(root, &["build"]);
    assert_eq!(build.status, 0, "{}", build.stderr);
    let page = read(root, page);
    assert!(page.contains("Algorithmic Transparency Recording Standard"));
    assert!(!page.contains("before a tool goes live"), "{page}");
    assert!(
        read(root, "site/principles/fairness/index.html")
            .contains("Algorithmic Transparency Recording Standard")
    );
    assert!(!read(root, "site/resources.json").contains("before a tool goes live"));
    let report = almanac(root, &["report"]);
    assert!(
        report
            .stdout
            .contains("Proposals from colleagues awaiting review (0)\n"),
        "{}",
        report.stdout
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

    // Required questions left empty or missing are each named; nothing is written.
    let type_heading = body.lines().position(|l| l == "### Resource type").unwrap() + 1;
    let address = body.find("### Address").unwrap();
    let section = body.find("### Section").unwrap();
    let gaps = format!("{}{}", &body[..address], &body[section..])
        .replace("\nTool\n", "\n_No response_\n")
        .replace("Algorithmic", "Third");
    write(root, "gaps.md", &gaps);
    let run = almanac(root, &["new", "--from-issue", "gaps.md"]);
    assert_eq!(run.status, 1);
    assert!(
        run.stderr.contains(
            "error: gaps.md: “Address” must be answered, but the proposal has no `### Address` heading"
        ),
        "{}",
        run.stderr
    );
    let moved_up = gaps.lines().position(|l| l == "### Resource type").unwrap() + 1;
    assert!(moved_up < type_heading);
    assert!(
        run.stderr.contains(&format!(
            "error: gaps.md:{moved_up}: “Resource type” must be answered, but it was left empty"
        )),
        "{}",
        run.stderr
    );
    assert!(
        !root
            .join("content/tools/third-transparency-recording-standard.md")
            .exists()
    );
}

/// A link left where a form goes (to a file outside the collection, say) is
/// replaced by the form, not written through.
#[cfg(unix)]
#[test]
fn forms_are_not_written_through_a_link() {
    let dir = fixture("build/basic");
    let outside = tempfile::tempdir().unwrap();
    let theirs = outside.path().join("config.yml");
    std::fs::write(&theirs, "someone else's file\n").unwrap();
    let forms = dir.path().join(".github/ISSUE_TEMPLATE");
    std::fs::create_dir_all(&forms).unwrap();
    std::os::unix::fs::symlink(&theirs, forms.join("config.yml")).unwrap();
    let run = almanac(dir.path(), &["forms"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert_eq!(read(outside.path(), "config.yml"), "someone else's file\n");
    let written = std::fs::symlink_metadata(forms.join("config.yml")).unwrap();
    assert!(written.is_file());
    assert!(read(&forms, "config.yml").contains("blank_issues_enabled"));
}
