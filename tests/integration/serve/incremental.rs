//! Incremental rebuilds in `almanac serve`: an edit reaches every page that shows
//! what changed, only those are rendered again, and after any series of edits the
//! served site is byte for byte what a fresh build of the collection writes.

use std::path::Path;
use std::time::Duration;

use super::harness::{Events, Server, fixture, index_url, poll, search_titles};
use crate::support::{self, edit};

#[test]
fn an_edit_reaches_every_page_that_shows_the_entry() {
    let server = Server::start(fixture("basic"));
    let events = Events::open(server.address);
    let rel = "content/guidance/open-data-guide.md";

    edit(
        &server.root,
        rel,
        "title: Open Data Guide",
        "title: Open Data Handbook",
    );
    events.wait_for("event: reload", 1);
    for page in [
        "/ethics/guidance/open-data-guide/",
        "/ethics/guidance/",
        "/ethics/type/guidance/",
        "/ethics/principles/transparency/",
        "/ethics/",
    ] {
        let text = server.get(page).text();
        assert!(text.contains("Open Data Handbook"), "{page}:\n{text}");
        assert!(!text.contains("Open Data Guide"), "{page}:\n{text}");
    }
    // Only what shows the entry was rendered again, not the whole site.
    let log = server.log_once("open-data-guide.md changed");
    let line = log
        .lines()
        .find(|l| l.contains("open-data-guide.md changed"))
        .expect("a rebuild line");
    let rendered: usize = line
        .split(": ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{line}"));
    assert!(rendered < 10, "{line}");

    // A new term: the entry leaves the old term's page and joins the new one.
    edit(
        &server.root,
        rel,
        "principles: [transparency]",
        "principles: [fairness]",
    );
    events.wait_for("event: reload", 2);
    let fairness = server.get("/ethics/principles/fairness/").text();
    assert!(fairness.contains("Open Data Handbook"), "{fairness}");
    let transparency = server.get("/ethics/principles/transparency/").text();
    assert!(
        !transparency.contains("Open Data Handbook"),
        "{transparency}"
    );
    let page = server.get("/ethics/guidance/open-data-guide/").text();
    assert!(page.contains("/ethics/principles/fairness/"), "{page}");

    // The index is written after the reload; it finds the new title in the end.
    poll(
        Duration::from_millis(50),
        || {
            search_titles(&server, "handbook")
                .contains(&"Open Data Handbook".to_string())
                .then_some(())
        },
        || {
            format!(
                "the search never found the new title; server said:\n{}",
                server.log()
            )
        },
    );
    assert!(!search_titles(&server, "guide").contains(&"Open Data Guide".to_string()));
}

/// Builds the collection afresh and checks that the server serves every file of it
/// with the same bytes (once the search index of the last edit is written). Gives
/// the built files.
fn same_as_built(server: &Server, root: &Path, after: &str) -> Vec<(String, Vec<u8>)> {
    let out = root.parent().unwrap().join("after");
    let _ = std::fs::remove_dir_all(&out);
    let run = support::almanac(
        root.parent().unwrap(),
        &["build", "--root", "collection", "--output", "after"],
    );
    assert_eq!(run.status, 0, "{after}: {}", run.stderr);
    let built = support::snapshot(&out);
    // The search index is written after the reload: wait for the built one.
    let search_page = built
        .iter()
        .find(|(path, _)| path == "search/index.html")
        .map(|(_, bytes)| String::from_utf8_lossy(bytes).into_owned())
        .expect("a search page");
    let wanted = index_url(&search_page).expect("an index");
    server.wait_for("/ethics/search/", "the new search index", |reply| {
        index_url(&reply.text()).as_deref() == Some(wanted.as_str())
    });

    let tag = "<script src=\"/__almanac/reload.js\" defer></script>";
    for (path, bytes) in &built {
        // The build's own bookkeeping, not part of the site.
        if path.starts_with(".almanac-") {
            continue;
        }
        let reply = server.get(&format!("/ethics/{path}"));
        assert_eq!(reply.status, 200, "{after}: {path}");
        let served = if path.ends_with(".html") {
            reply.text().replacen(tag, "", 1).into_bytes()
        } else {
            reply.body
        };
        if served != *bytes {
            panic!(
                "after {after}, {path} differs from the fresh build:\n--- served\n{}\n--- built\n{}",
                String::from_utf8_lossy(&served),
                String::from_utf8_lossy(bytes)
            );
        }
    }
    built
}

/// Copies the theme's resource and pagination templates into the collection's
/// `templates/`, as a curator does to change them, so that a test can edit them.
/// Copied rather than kept in the fixture, so they stay the theme's own.
fn copy_theme_templates(root: &Path) {
    let theme = support::repo().join("themes/default/templates");
    for name in ["resource.html", "partials/pagination.html"] {
        let text = support::read(&theme, name);
        support::write(root, &format!("templates/{name}"), &text);
    }
}

#[test]
fn the_served_site_after_edits_equals_a_fresh_build() {
    let dir = fixture("rich");
    copy_theme_templates(&dir.path().join("collection"));
    let root = dir.path().join("collection");
    let before = dir.path().join("before");
    let run = support::almanac(
        dir.path(),
        &["build", "--root", "collection", "--output", "before"],
    );
    assert_eq!(run.status, 0, "{}", run.stderr);
    let server = Server::start(dir);
    let events = Events::open(server.address);
    // A title that moves the entry from the first page of its lists to the last.
    events.settled_after(|| {
        edit(
            &root,
            "content/guidance/note-00.md",
            "title: Note 00",
            "title: Zz Note 00",
        )
    });
    // A term that moves the entry between term pages, counts and matrix cells.
    events.settled_after(|| {
        edit(
            &root,
            "content/guidance/note-01.md",
            "principles: [transparency]",
            "principles: [fairness]",
        )
    });
    // Changes that model the whole collection again, each compared with a fresh
    // build at once (most pages are then rendered only when asked for): a new file,
    // a removed one, a renamed one, a section's text, a glossary term's phrases.
    events.settled_after(|| {
        support::write(
            &root,
            "content/tools/new-tool.md",
            "---\ntitle: New Tool\nsummary: Just added.\ntype: tool\nprinciples: [fairness]\ntopics: [AI]\n---\nNew.\n",
        )
    });
    same_as_built(&server, &root, "a file added");
    events
        .settled_after(|| std::fs::remove_file(root.join("content/guidance/note-07.md")).unwrap());
    same_as_built(&server, &root, "a file removed");
    // The first file to use an open term (which labels it) goes.
    events
        .settled_after(|| std::fs::remove_file(root.join("content/guidance/note-00.md")).unwrap());
    same_as_built(&server, &root, "the first file of a term removed");
    events.settled_after(|| {
        std::fs::rename(
            root.join("content/guidance/note-09.md"),
            root.join("content/guidance/note-nine.md"),
        )
        .unwrap()
    });
    same_as_built(&server, &root, "a file renamed");
    // A link to a file not there yet is an error; adding the file mends it.
    let seen = events.count("event: error");
    edit(
        &root,
        "content/guidance/note-10.md",
        "Body of note 10",
        "Body of note 10, see [the later tool](@/tools/later-tool.md),",
    );
    events.wait_for("event: error", seen + 1);
    events.settled_after(|| {
        support::write(
            &root,
            "content/tools/later-tool.md",
            "---\ntitle: Later Tool\ntype: tool\nprinciples: [fairness]\n---\nLater, about accountability.\n",
        )
    });
    same_as_built(&server, &root, "a linked file added");
    events.settled_after(|| {
        edit(
            &root,
            "content/guidance/_index.md",
            "Advice on acting well.",
            "Advice.",
        )
    });
    same_as_built(&server, &root, "a section's text");
    // A section's title: in the menu of every page, and it orders the subsections.
    events.settled_after(|| {
        edit(
            &root,
            "content/tools/_index.md",
            "title: Tools",
            "title: Aa Tools",
        )
    });
    same_as_built(&server, &root, "a section's title");
    events.settled_after(|| {
        edit(
            &root,
            "content/glossary/transparency.md",
            "title: Transparency",
            "title: Transparency\nsynonyms: [accountability]",
        )
    });
    same_as_built(&server, &root, "a glossary synonym added");
    events.settled_after(|| {
        edit(
            &root,
            "content/glossary/transparency.md",
            "title: Transparency",
            "title: Openness",
        )
    });
    same_as_built(&server, &root, "a glossary title changed");
    // Back to the short path after the full ones. The body alone; and a date, which orders home's newest and the feed.
    events.settled_after(|| {
        edit(
            &root,
            "content/guidance/note-02.md",
            "Body of note",
            "New body of note",
        )
    });
    events.settled_after(|| {
        edit(
            &root,
            "content/guidance/note-03.md",
            "published: 2020-04",
            "published: 2025-01",
        )
    });
    // An open vocabulary's term that others use too; a related entry's title.
    events.settled_after(|| {
        edit(
            &root,
            "content/guidance/note-04.md",
            "topics: [AI]",
            "topics: [data]",
        )
    });
    events.settled_after(|| {
        edit(
            &root,
            "content/guidance/open-data-guide.md",
            "title: Open Data Guide",
            "title: Open Data Manual",
        )
    });
    // Two files in one save.
    events.settled_after(|| {
        edit(
            &root,
            "content/guidance/note-05.md",
            "title: Note 05",
            "title: A Note 05",
        );
        edit(
            &root,
            "content/guidance/note-06.md",
            "type: guidance",
            "type: tool",
        );
    });
    events.settled_after(|| {
        edit(
            &root,
            "content/guidance/note-08.md",
            "title: Note 08",
            "title: B Note 08",
        )
    });
    // The newest resource, shown on home.
    events.settled_after(|| {
        edit(
            &root,
            "content/guidance/note-03.md",
            "title: Note 03",
            "title: C Note 03",
        )
    });
    // A plain page at the top.
    events.settled_after(|| edit(&root, "content/about.md", "title: About", "title: About us"));
    // Templates: the pages that use them, directly or through another.
    events.settled_after(|| {
        edit(
            &root,
            "templates/resource.html",
            "{% block main %}",
            "{% block main %}<p>Edited resource template</p>",
        )
    });
    events.settled_after(|| {
        edit(
            &root,
            "templates/partials/pagination.html",
            "<nav class=\"pagination\"",
            "<nav data-edited class=\"pagination\"",
        )
    });

    server.wait_for("/ethics/guidance/page/2/", "the last edit", |reply| {
        reply.text().contains("data-edited")
    });

    let built = same_as_built(&server, &root, "the last edit");
    // The edits of existing entries and templates took the short path: part of the
    // site was rendered again.
    let log = server.log();
    let counts = |changed: &str| -> Vec<(usize, usize)> {
        log.lines()
            .filter_map(|line| {
                let (what, counts) = line.split_once(": ")?;
                let mut words = counts.split(' ');
                let rendered: usize = words.next()?.parse().ok()?;
                let total: usize = words.nth(1)?.parse().ok()?;
                what.contains(changed).then_some((rendered, total))
            })
            .collect()
    };
    let partial = counts("changed")
        .iter()
        .filter(|(n, total)| n < total)
        .count();
    assert!(partial >= 18, "{log}");
    // The resource pages (15), not the lists; then the lists, not the resources.
    assert_eq!(counts("templates/resource.html"), [(15, 53)], "{log}");
    let lists = counts("templates/partials/pagination.html");
    assert!(
        lists.len() == 1 && lists[0].0 > 10 && lists[0].0 < 52,
        "{log}"
    );
    // Pages that the edits removed are gone.
    let now: std::collections::HashSet<&String> = built.iter().map(|(path, _)| path).collect();
    for (path, _) in support::snapshot(&before) {
        if !now.contains(&path) {
            let reply = server.get(&format!("/ethics/{path}"));
            assert_eq!(reply.status, 404, "{path} should be gone");
        }
    }
}
