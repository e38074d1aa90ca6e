//! The curation lifecycle on tests/fixtures/lifecycle/basic: a superseded guide
//! and its successor, a withdrawn toolkit, a tool under review, change notes, a
//! review policy. The built pages, feed, sitemap and exports; the located errors
//! of bad lifecycle fields and review policies; `check`'s overdue reviews.
//! `almanac report` is tested in `report.rs`.

use serde_json::Value;

use crate::support::{almanac, edit, fixture, read, snapshot};

pub(crate) const TODAY: &str = "2026-03-10";

pub(crate) fn build(dir: &std::path::Path) -> std::path::PathBuf {
    let site = dir.join("site");
    let run = almanac(dir, &["build", "--output", site.to_str().unwrap()]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    site
}

/// The text between `start` and the next `end` after it.
pub(crate) fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let from = text
        .find(start)
        .unwrap_or_else(|| panic!("`{start}` not in the page"));
    let rest = &text[from..];
    &rest[..rest.find(end).map_or(rest.len(), |i| i + end.len())]
}

#[test]
fn a_superseded_entry_points_to_its_successor_which_says_what_it_replaces() {
    let dir = fixture("lifecycle/basic");
    let site = build(dir.path());
    let old = read(&site, "guidance/old-guide/index.html");
    let banner = between(&old, "<div class=\"notice notice-status", "</div>");
    assert!(banner.contains("notice-superseded"), "{banner}");
    assert!(
        banner.contains("This resource has been superseded.")
            && banner.contains(
                "use <a href=\"/library/guidance/new-playbook/\">New Playbook for Public AI</a> instead"
            ),
        "{banner}"
    );
    // The banner comes before the title: readers see it first.
    assert!(old.find("notice-status").unwrap() < old.find("<h1").unwrap());
    assert!(old.contains(
        "<meta name=\"DC.relation.isReplacedBy\" content=\"https://example.org/library/guidance/new-playbook/\">"
    ));

    let new = read(&site, "guidance/new-playbook/index.html");
    assert!(!new.contains("notice-status"));
    assert!(new.contains(
        "<p class=\"replaces\">Replaces <a href=\"/library/guidance/old-guide/\">Old Guide to Public AI</a>.</p>"
    ));
    assert!(new.contains(
        "<meta name=\"DC.relation.replaces\" content=\"https://example.org/library/guidance/old-guide/\">"
    ));

    let withdrawn = read(&site, "guidance/retired-toolkit/index.html");
    assert!(withdrawn.contains(
        "<strong id=\"status-title\">This resource has been withdrawn.</strong> It is kept for the record and should no longer be relied on."
    ));
    let review = read(&site, "guidance/fairness-checker/index.html");
    assert!(review.contains("<strong id=\"status-title\">This resource is under review.</strong>"));
}

#[test]
fn change_notes_show_the_last_update_and_the_dated_list() {
    let dir = fixture("lifecycle/basic");
    let site = build(dir.path());
    let page = read(&site, "guidance/new-playbook/index.html");
    assert!(page.contains(
        "<p class=\"last-updated\">Last updated <time datetime=\"2026-01-15\">15 January 2026</time> — <a href=\"#updates\">see all updates</a></p>"
    ));
    let list = between(
        &page,
        "<section class=\"change-notes\" id=\"updates\"",
        "</section>",
    );
    let notes: Vec<&str> = list.matches("<li>").collect();
    assert_eq!(notes.len(), 2, "{list}");
    // Newest first.
    let newest = list.find("Corrected the links").unwrap();
    let oldest = list.find("Added a chapter on buying AI systems.").unwrap();
    assert!(newest < oldest, "{list}");
    assert!(list.contains("<time datetime=\"2025-03-03\">3 March 2025</time>"));
    // An entry without notes has neither.
    let act = read(&site, "law/data-act/index.html");
    assert!(!act.contains("last-updated") && !act.contains("change-notes"));
}

#[test]
fn lists_mark_retired_entries_and_newest_leaves_them_out() {
    let dir = fixture("lifecycle/basic");
    let site = build(dir.path());
    let section = read(&site, "guidance/index.html");
    for (title, badge) in [
        ("Old Guide to Public AI", "badge-superseded\">Superseded"),
        ("Retired Toolkit", "badge-withdrawn\">Withdrawn"),
        ("Fairness Checker", "badge-under-review\">Under review"),
    ] {
        let card = between(&section, &format!(">{title}</a>"), "</li>");
        assert!(card.contains(badge), "{title}: {card}");
    }
    let card = between(&section, ">New Playbook for Public AI</a>", "</li>");
    assert!(!card.contains("badge"), "{card}");

    let home = read(&site, "index.html");
    let newest = between(&home, "id=\"newest-heading\"", "</section>");
    assert!(newest.contains("New Playbook for Public AI"), "{newest}");
    assert!(newest.contains("Fairness Checker"), "{newest}");
    assert!(!newest.contains("Old Guide to Public AI"), "{newest}");
    assert!(!newest.contains("Retired Toolkit"), "{newest}");
}

#[test]
fn a_change_note_updates_the_feed_and_the_sitemap() {
    let dir = fixture("lifecycle/basic");
    let site = build(dir.path());
    let feed = read(&site, "feed.xml");
    let entry = between(
        &feed,
        "<link href=\"https://example.org/library/guidance/new-playbook/\"/>",
        "</entry>",
    );
    assert!(
        entry.contains("<updated>2026-01-15T00:00:00Z</updated>"),
        "{entry}"
    );
    assert!(
        entry.contains("<published>2025-02-10T00:00:00Z</published>"),
        "{entry}"
    );
    assert!(
        entry.contains(
            "<content type=\"text\">2026-01-15: Corrected the links to the training courses.</content>"
        ),
        "{entry}"
    );
    // The updated entry leads the feed, and the feed is as new as its newest note.
    let first = feed.find("<entry>").unwrap();
    assert!(feed[first..].starts_with("<entry>\n    <title>New Playbook for Public AI</title>"));
    assert!(feed.contains(
        "<id>https://example.org/library/</id>\n  <updated>2026-01-15T00:00:00Z</updated>"
    ));
    let sitemap = read(&site, "sitemap.xml");
    assert!(sitemap.contains(
        "<loc>https://example.org/library/guidance/new-playbook/</loc><lastmod>2026-01-15</lastmod>"
    ));
}

#[test]
fn exports_carry_status_successor_and_changes() {
    let dir = fixture("lifecycle/basic");
    let site = build(dir.path());
    let json: Value = serde_json::from_str(&read(&site, "resources.json")).unwrap();
    let record = |id: &str| {
        json["resources"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == id)
            .unwrap_or_else(|| panic!("{id} in resources.json"))
            .clone()
    };
    let old = record("guidance/old-guide");
    assert_eq!(old["status"], "superseded");
    assert_eq!(
        old["superseded_by"],
        "https://example.org/library/guidance/new-playbook/"
    );
    let new = record("guidance/new-playbook");
    assert_eq!(new["status"], "current");
    assert_eq!(new["superseded_by"], Value::Null);
    assert_eq!(
        new["changes"],
        serde_json::json!([
            { "date": "2026-01-15", "note": "Corrected the links to the training courses." },
            { "date": "2025-03-03", "note": "Added a chapter on buying AI systems." },
        ])
    );
    assert_eq!(
        record("guidance/fairness-checker")["status"],
        "under-review"
    );
    assert_eq!(
        record("law/data-act")["archived_url"],
        "https://web.archive.example.org/web/2024/https://law.example.org/data-act"
    );
    assert_eq!(new["archived_url"], Value::Null);

    let csv_text = read(&site, "resources.csv");
    let mut csv = csv::Reader::from_reader(csv_text.as_bytes());
    let headers = csv.headers().unwrap().clone();
    let column = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (id, status, successor, changes) = (
        column("id"),
        column("status"),
        column("superseded_by"),
        column("changes"),
    );
    let rows: Vec<csv::StringRecord> = csv.records().map(Result::unwrap).collect();
    let row = |name: &str| rows.iter().find(|r| &r[id] == name).unwrap();
    assert_eq!(&row("guidance/old-guide")[status], "superseded");
    assert_eq!(
        &row("guidance/old-guide")[successor],
        "https://example.org/library/guidance/new-playbook/"
    );
    assert_eq!(&row("guidance/retired-toolkit")[status], "withdrawn");
    assert_eq!(
        &row("guidance/new-playbook")[changes],
        "2026-01-15: Corrected the links to the training courses.; 2025-03-03: Added a chapter on buying AI systems."
    );
    assert_eq!(
        &row("law/data-act")[column("archived_url")],
        "https://web.archive.example.org/web/2024/https://law.example.org/data-act"
    );
}

/// `check --format json` on the fixture after `change` (file, from, to) edits:
/// each problem's (file, code, line, column, end line, end column, message).
fn problems(changes: &[(&str, &str, &str)]) -> Vec<(String, String, u64, u64, u64, u64, String)> {
    let dir = fixture("lifecycle/basic");
    let before = snapshot(dir.path());
    for (file, from, to) in changes {
        edit(dir.path(), file, from, to);
    }
    let run = almanac(
        dir.path(),
        &["check", "--format", "json", "--today", "2025-06-01"],
    );
    assert_eq!(run.status, 1, "{}{}", run.stdout, run.stderr);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    // A failed check writes nothing.
    assert_eq!(snapshot(dir.path()).len(), before.len());
    let items: Value = serde_json::from_str(&run.stdout).unwrap();
    items
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == "error")
        .map(|d| {
            let n = |k: &str| d[k].as_u64().unwrap();
            (
                d["file"].as_str().unwrap().to_string(),
                d["code"].as_str().unwrap().to_string(),
                n("line"),
                n("column"),
                n("end_line"),
                n("end_column"),
                d["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

const OLD: &str = "content/guidance/old-guide.md";
const NEW: &str = "content/guidance/new-playbook.md";

#[test]
fn an_unknown_status_is_shown_at_its_value_with_a_suggestion() {
    let found = problems(&[(OLD, "status: superseded", "status: supersede")]);
    assert_eq!(
        found,
        [(
            OLD.into(),
            "status".into(),
            10,
            9,
            10,
            18,
            "unknown status `supersede`".into()
        )]
    );
}

#[test]
fn a_successor_that_is_not_in_the_collection_is_shown_at_the_path() {
    let found = problems(&[(
        OLD,
        "superseded_by: guidance/new-playbook.md",
        "superseded_by: guidance/new-plabook.md",
    )]);
    assert_eq!(
        found,
        [(
            OLD.into(),
            "broken-link".into(),
            11,
            16,
            11,
            39,
            "`superseded_by` names `guidance/new-plabook.md`, which is not in the collection"
                .into()
        )]
    );
}

#[test]
fn successors_in_a_circle_are_shown_at_each_entry() {
    let found = problems(&[(
        NEW,
        "changes:",
        "status: superseded\nsuperseded_by: guidance/old-guide.md\nchanges:",
    )]);
    assert_eq!(
        found,
        [
            (
                NEW.into(),
                "status".into(),
                12,
                16,
                12,
                37,
                "the successors go round in a circle: guidance/new-playbook.md → guidance/old-guide.md → guidance/new-playbook.md".into()
            ),
            (
                OLD.into(),
                "status".into(),
                11,
                16,
                11,
                40,
                "the successors go round in a circle: guidance/old-guide.md → guidance/new-playbook.md → guidance/old-guide.md".into()
            ),
        ]
    );
}

#[test]
fn an_inconsistent_status_is_shown_where_it_is_written() {
    // A successor on a current entry, and a superseded entry without one.
    let found = problems(&[
        (OLD, "status: superseded\n", ""),
        (
            "content/law/data-act.md",
            "type: legislation",
            "status: superseded\ntype: legislation",
        ),
    ]);
    assert_eq!(
        found,
        [
            (
                OLD.into(),
                "status".into(),
                10,
                1,
                10,
                14,
                "the entry names a successor but its status is current (no `status:`)".into()
            ),
            (
                "content/law/data-act.md".into(),
                "status".into(),
                6,
                9,
                6,
                19,
                "a superseded entry must name its successor".into()
            ),
        ]
    );
}

#[test]
fn a_bad_change_note_is_shown_at_its_date() {
    let found = problems(&[(NEW, "date: 2026-01-15", "date: 2026-01-32")]);
    assert_eq!(
        found,
        [(
            NEW.into(),
            "date".into(),
            14,
            11,
            14,
            21,
            "`changes`: `2026-01-32` has no day 32: January 2026 has 31 days".into()
        )]
    );
}

#[test]
fn check_warns_of_overdue_reviews_at_the_reviewed_line() {
    let dir = fixture("lifecycle/basic");
    let run = almanac(dir.path(), &["check", "--format", "json", "--today", TODAY]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let items: Value = serde_json::from_str(&run.stdout).unwrap();
    let overdue: Vec<&Value> = items
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "review-overdue")
        .collect();
    assert_eq!(overdue.len(), 1, "{items:#}");
    let d = overdue[0];
    assert_eq!(d["file"], "content/guidance/fairness-checker.md");
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(7), Some(1))
    );
    assert_eq!(d["message"], "the review fell due on 2026-03-01");
    // ALMANAC_TODAY pins the day too; a day later than the policy allows nothing.
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_almanac"))
        .args(["check", "--format", "json"])
        .current_dir(dir.path())
        .env("ALMANAC_TODAY", "2026-02-28")
        .output()
        .unwrap();
    let items: Value = serde_json::from_str(&String::from_utf8_lossy(&output.stdout)).unwrap();
    assert!(
        !items
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["code"] == "review-overdue"),
        "{items:#}"
    );
}

#[test]
fn an_entry_never_reviewed_is_warned_at_its_title() {
    let dir = fixture("lifecycle/basic");
    edit(
        dir.path(),
        "content/law/data-act.md",
        "reviewed: 2025-12-01\n",
        "",
    );
    let run = almanac(
        dir.path(),
        &["check", "--format", "json", "--today", "2026-03-10"],
    );
    let items: Value = serde_json::from_str(&run.stdout).unwrap();
    let d = items
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "review-overdue" && d["file"] == "content/law/data-act.md")
        .unwrap_or_else(|| panic!("{items:#}"));
    // Published in 2020 and reviewed every 24 months in law/: due since 2022.
    assert_eq!(d["line"], 2);
    assert_eq!(
        d["message"],
        "the review fell due on 2022-01-01 and the resource has never been reviewed"
    );
}

#[test]
fn a_bad_review_policy_is_shown_where_it_is_written() {
    let dir = fixture("lifecycle/basic");
    edit(
        dir.path(),
        "almanac.yaml",
        "every: 12 months",
        "every: yearly",
    );
    edit(
        dir.path(),
        "almanac.yaml",
        "tool: 6 months",
        "tol: 6 months",
    );
    let run = almanac(dir.path(), &["check", "--format", "json"]);
    assert_eq!(run.status, 1, "{}", run.stderr);
    let items: Value = serde_json::from_str(&run.stdout).unwrap();
    let found: Vec<(u64, u64, u64, &str, &str)> = items
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
                d["end_column"].as_u64().unwrap(),
                d["message"].as_str().unwrap(),
                d["help"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            (
                8,
                10,
                16,
                "`yearly` is not a review interval",
                "write a number and a unit, e.g. `12 months`, `30 days`, `2 years`"
            ),
            (
                13,
                5,
                8,
                "`tol` is not a term of `type`",
                "did you mean `tool`?"
            ),
        ]
    );
}
