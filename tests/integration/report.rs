//! `almanac report` on tests/fixtures/lifecycle/basic in its three formats, the
//! HTML page kept out of the published site; and the lifecycle's pages and the
//! report checked in Chromium (axe-core) and by the Nu HTML checker.

use serde_json::Value;

use crate::lifecycle::{TODAY, between, build};
use crate::support::{almanac, fixture, read, snapshot};

#[test]
fn report_as_text_lists_each_section() {
    let dir = fixture("lifecycle/basic");
    let run = almanac(dir.path(), &["report", "--today", TODAY]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let expected = "\
Curator's report: Lifecycle Library (as of 2026-03-10)

Reviews overdue or due soon (2)
  content/guidance/fairness-checker.md:7: Fairness Checker — overdue since 2026-03-01 (reviewed every 6 months)
  content/guidance/new-playbook.md:7: New Playbook for Public AI — due on 2026-03-25 (reviewed every 12 months)

Resources missing recommended fields (1)
  content/law/data-act.md:2: Data Act — no summary, no publisher

Vocabulary terms with no resources (1)
  almanac.yaml:23: Resource type: Standard — no resource has `type: standard`

Empty cells of the home page's matrix (2)
  Transparency × Tool — no resource has both `principles: transparency` and `type: tool`
  Fairness × Legislation — no resource has both `principles: fairness` and `type: legislation`

Links from current entries to superseded or withdrawn ones (2)
  content/guidance/fairness-checker.md:11: Fairness Checker — `related` names `content/guidance/old-guide.md`, superseded: link to `content/guidance/new-playbook.md` instead
  content/guidance/fairness-checker.md:13: Fairness Checker — the notes link to `content/guidance/old-guide.md`, superseded: link to `content/guidance/new-playbook.md` instead

Links that broke, moved or look parked (2)
  4 of 5 addresses checked; 1 not checked yet; 1 failed once (broken if they fail again); 0 asked to be checked later (HTTP 429).
  content/guidance/fairness-checker.md:4: Fairness Checker — https://checker.example.org/ is broken: it answered with HTTP status 404 on 2 runs in a row; archived copy: https://web.archive.example.org/web/2025/https://checker.example.org/
  content/law/data-act.md:3: Data Act — https://law.example.org/data-act has moved permanently to https://law.example.org/acts/data-act (`almanac fix-links` rewrites `url:` fields)

Proposals from colleagues awaiting review (2)
  content/law/ai-rules.md:6: Rules for AI in Public Services — proposed on 2026-02-20; a draft until `draft: true` is removed
  content/guidance/algorithm-register.md:10: City Algorithm Register — proposed on 2026-03-02 by a-colleague in https://forge.example.org/lifecycle/issues/4; a draft until `draft: true` is removed

12 findings
";
    assert_eq!(run.stdout, expected);
}

#[test]
fn report_as_json_has_named_sections_with_particulars() {
    let dir = fixture("lifecycle/basic");
    let run = almanac(
        dir.path(),
        &["report", "--format", "json", "--today", TODAY],
    );
    assert_eq!(run.status, 0, "{}", run.stderr);
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(report["today"], TODAY);
    let sections = report["sections"].as_array().unwrap();
    let names: Vec<&str> = sections
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "review",
            "missing",
            "vocabulary",
            "matrix",
            "superseded_links",
            "links",
            "proposals"
        ]
    );
    // Link health, from the cache the last `check --external` runs left.
    let links = sections[5]["items"].as_array().unwrap();
    assert_eq!(links.len(), 2, "{links:#?}");
    assert_eq!(links[0]["data"]["state"], "broken");
    assert_eq!(links[0]["data"]["url"], "https://checker.example.org/");
    assert_eq!(links[0]["data"]["field"], "url");
    assert_eq!(
        links[0]["data"]["archived"],
        "https://web.archive.example.org/web/2025/https://checker.example.org/"
    );
    assert_eq!(links[1]["data"]["state"], "moved");
    assert_eq!(
        links[1]["data"]["final_url"],
        "https://law.example.org/acts/data-act"
    );
    // The fixture's cache is of the kind written before `moved_to` was kept apart
    // from `final_url`: the move is still read from it.
    assert_eq!(
        links[1]["data"]["moved_to"],
        "https://law.example.org/acts/data-act"
    );
    assert_eq!(links[1]["line"], 3);
    // Failing once is not broken yet: counted, not listed.
    assert!(
        sections[5]["note"]
            .as_str()
            .unwrap()
            .contains("1 failed once")
    );
    let review = &sections[0]["items"];
    assert_eq!(review[0]["data"]["state"], "overdue");
    assert_eq!(review[0]["data"]["due"], "2026-03-01");
    assert_eq!(review[1]["data"]["state"], "soon");
    assert_eq!(review[1]["data"]["due"], "2026-03-25");
    assert_eq!(
        sections[1]["items"][0]["data"]["missing"],
        serde_json::json!(["summary", "publisher"])
    );
    assert_eq!(sections[2]["items"][0]["data"]["term"], "standard");
    let stale = &sections[4]["items"][0];
    assert_eq!(
        stale["data"]["successor"],
        "content/guidance/new-playbook.md"
    );
    assert_eq!(stale["line"], 11);
    // The successor names what it replaces: history, not a stale link.
    assert_eq!(sections[4]["items"].as_array().unwrap().len(), 2);
    assert!(
        sections[4]["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["file"] == "content/guidance/fairness-checker.md")
    );
    // Colleagues' proposals, the longest waiting first, with the proposer's
    // reasons for the curator.
    let proposals = sections[6]["items"].as_array().unwrap();
    assert_eq!(proposals[0]["file"], "content/law/ai-rules.md");
    assert_eq!(
        proposals[0]["data"],
        serde_json::json!({"proposed": "2026-02-20", "by": null, "issue": null, "why": null})
    );
    assert_eq!(proposals[1]["title"], "City Algorithm Register");
    assert_eq!(proposals[1]["line"], 10);
    assert_eq!(proposals[1]["data"]["by"], "a-colleague");
    assert_eq!(
        proposals[1]["data"]["issue"],
        "https://forge.example.org/lifecycle/issues/4"
    );
    assert_eq!(
        proposals[1]["data"]["why"],
        "Our teams ask for a model to follow every week."
    );
    // A draft is no finding of the other sections: not due, not missing fields.
    assert!(
        sections[..6]
            .iter()
            .flat_map(|s| s["items"].as_array().unwrap())
            .all(|i| i["title"] != "Rules for AI in Public Services")
    );
    // A withdrawn or superseded resource is not due for review.
    assert!(
        !review
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["title"] == "Old Guide to Public AI")
    );
}

#[test]
fn report_as_html_is_a_page_written_outside_the_site() {
    let dir = fixture("lifecycle/basic");
    let site = build(dir.path());
    let before = snapshot(&site);
    // The published site's folder is refused, however it is spelled.
    for inside in ["site/report.html", "./site/../site/curators/report.html"] {
        let run = almanac(
            dir.path(),
            &[
                "report", "--format", "html", "--output", inside, "--today", TODAY,
            ],
        );
        assert_eq!(run.status, 1, "{inside}: {}", run.stderr);
        assert!(
            run.stderr
                .contains("would be written into the site's output folder"),
            "{}",
            run.stderr
        );
    }
    assert_eq!(snapshot(&site), before);
    let run = almanac(
        dir.path(),
        &[
            "report",
            "--format",
            "html",
            "--output",
            "report.html",
            "--today",
            TODAY,
        ],
    );
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "");
    let html = read(dir.path(), "report.html");
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
    assert!(
        html.contains("<h1>Curator&#39;s report: Lifecycle Library</h1>"),
        "{html}"
    );
    // Self-contained: no script, no stylesheet or image from elsewhere.
    assert!(!html.contains("<script") && !html.contains("<link") && !html.contains("src="));
    let section = between(&html, "<section aria-labelledby=\"review\">", "</section>");
    assert!(section.contains(
        "<tr><th scope=\"row\">Fairness Checker</th><td><code>content/guidance/fairness-checker.md:7</code></td><td>overdue since 2026-03-01 (reviewed every 6 months)</td></tr>"
    ), "{section}");
    assert_eq!(section.matches("<tr><th scope=\"row\">").count(), 2);
    assert!(
        html.contains(
            "<li><a href=\"#proposals\">Proposals from colleagues awaiting review</a> (2)</li>"
        ),
        "{html}"
    );
    let section = between(
        &html,
        "<section aria-labelledby=\"proposals\">",
        "</section>",
    );
    assert!(section.contains(
        "<tr><th scope=\"row\">City Algorithm Register</th><td><code>content/guidance/algorithm-register.md:10</code></td><td>proposed on 2026-03-02 by a-colleague in https://forge.example.org/lifecycle/issues/4; a draft until `draft: true` is removed</td></tr>"
    ), "{section}");
    // Drafts are not published, proposals included.
    assert!(!site.join("guidance/algorithm-register").exists());
}

/// `proposed:` is checked like any field: a bad date or an unknown key is an
/// error at the line and column written, though the entry is a draft.
#[test]
fn a_wrong_proposal_record_is_located() {
    let dir = fixture("lifecycle/basic");
    crate::support::edit(
        dir.path(),
        "content/guidance/algorithm-register.md",
        "  date: 2026-03-02\n",
        "  date: 2026-03-32\n  from: the forge\n",
    );
    let run = almanac(dir.path(), &["check"]);
    assert_eq!(run.status, 1, "{}", run.stderr);
    for expected in [
        "content/guidance/algorithm-register.md:11:9",
        "content/guidance/algorithm-register.md:12:3",
        "`proposed` has no field `from`",
    ] {
        assert!(run.stderr.contains(expected), "{expected}: {}", run.stderr);
    }
}

/// The pages the lifecycle adds to (a superseded, a withdrawn and an under-review
/// resource, a successor with change notes, a list with badges) and the report
/// as HTML pass axe-core in Chromium, light and dark, and the Nu HTML checker
/// (tests/browser/a11y.mjs, tests/browser/validate.mjs).
#[test]
fn lifecycle_pages_and_the_report_are_accessible_and_valid() {
    use crate::browser::{node, require_chromium, require_java, require_node_modules};
    require_node_modules();
    require_chromium();
    require_java();
    let dir = fixture("lifecycle/basic");
    let site = build(dir.path());
    let report_dir = dir.path().join("curators");
    std::fs::create_dir_all(&report_dir).unwrap();
    let run = almanac(
        dir.path(),
        &[
            "report",
            "--format",
            "html",
            "--output",
            "curators/report.html",
            "--today",
            TODAY,
        ],
    );
    assert_eq!(run.status, 0, "{}", run.stderr);
    node(
        "a11y.mjs",
        &[
            site.to_str().unwrap(),
            "/library/",
            "guidance/old-guide/",
            "guidance/new-playbook/",
            "guidance/retired-toolkit/",
            "guidance/fairness-checker/",
            "guidance/",
        ],
    );
    node(
        "a11y.mjs",
        &[report_dir.to_str().unwrap(), "/", "report.html"],
    );
    node("validate.mjs", &[site.to_str().unwrap(), "--all"]);
    node("validate.mjs", &[report_dir.to_str().unwrap(), "--all"]);
}

/// Before any `check --external`, the report says how to check the links rather
/// than calling them fine.
#[test]
fn report_without_a_link_check_says_how_to_run_one() {
    let dir = fixture("lifecycle/basic");
    std::fs::remove_dir_all(dir.path().join(".almanac")).unwrap();
    let run = almanac(dir.path(), &["report", "--today", TODAY]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains(
            "Links that broke, moved or look parked (0)\n  No link check has been run yet: \
             `almanac check --external` keeps its results in .almanac/links.json.\n"
        ),
        "{}",
        run.stdout
    );
    assert!(run.stdout.ends_with("10 findings\n"), "{}", run.stdout);
}

#[test]
fn a_moved_to_address_that_is_not_a_web_address_is_not_shown() {
    let dir = fixture("lifecycle/basic");
    crate::support::edit(
        dir.path(),
        ".almanac/links.json",
        r#""final_url": "https://law.example.org/acts/data-act","#,
        r#""moved_to": "javascript:alert(1)", "final_url": "<b>x</b>","#,
    );
    let run = almanac(dir.path(), &["report", "--today", TODAY]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let line = run
        .stdout
        .lines()
        .find(|line| line.contains("https://law.example.org/data-act"))
        .unwrap_or_else(|| panic!("{}", run.stdout));
    assert!(
        line.contains("has moved permanently, to no web address"),
        "{line}"
    );
    assert!(!run.stdout.contains("javascript:"), "{}", run.stdout);
    let run = almanac(
        dir.path(),
        &["report", "--format", "json", "--today", TODAY],
    );
    assert_eq!(run.status, 0, "{}", run.stderr);
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    let moved = &report["sections"][5]["items"][1]["data"];
    assert_eq!(moved["state"], "moved");
    assert_eq!(moved["moved_to"], Value::Null);
    assert_eq!(moved["final_url"], Value::Null);
}
