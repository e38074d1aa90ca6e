//! Link health and contributions: `check --external` against servers on this
//! computer (a 404, a 410, a parked domain, redirect chains and loops, 429s, a slow
//! answer, a server that fails once), the link cache it keeps, `fix-links`, the
//! archived copy offered on a page, and the "suggest a change" links. No test
//! touches the internet: the archive too is a local server.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use crate::loopback::{Answer, answer, redirect, server};
use crate::support::{almanac, edit, fixture, read, write};

/// A resource file in the link fixture.
fn resource(dir: &std::path::Path, slug: &str, title: &str, url: &str, more: &str) {
    write(
        dir,
        &format!("content/guidance/{slug}.md"),
        &format!(
            "---\ntitle: {title}\nurl: {url}\n{more}type: guidance\nprinciples: [transparency]\n---\nNotes on {title}.\n"
        ),
    );
}

/// `check --external --format json` with the given extra arguments: its status
/// and its diagnostics.
fn check_external(dir: &std::path::Path, more: &[&str]) -> (i32, Vec<serde_json::Value>) {
    let mut args = vec!["check", "--external", "--timeout", "1", "--format", "json"];
    args.extend_from_slice(more);
    let run = almanac(dir, &args);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    let diagnostics: serde_json::Value = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}{}", run.stdout, run.stderr));
    (run.status, diagnostics.as_array().unwrap().clone())
}

/// The diagnostics of one code, as "file: message".
fn with_code(diagnostics: &[serde_json::Value], code: &str) -> Vec<String> {
    diagnostics
        .iter()
        .filter(|d| d["code"] == code)
        .map(|d| {
            format!(
                "{}: {}",
                d["file"].as_str().unwrap_or(""),
                d["message"].as_str().unwrap_or("")
            )
        })
        .collect()
}

fn cache(dir: &std::path::Path) -> serde_json::Value {
    serde_json::from_str(&read(dir, ".almanac/links.json")).unwrap()
}

/// The whole story of a collection's links over three runs of the check.
#[test]
fn links_are_called_broken_only_after_two_failing_runs() {
    let recovered = Arc::new(AtomicBool::new(false));
    let busy_once = Arc::new(AtomicBool::new(false));
    let (recovered_flag, busy_flag) = (recovered.clone(), busy_once.clone());
    let (site, seen) = server(move |_, path| match path {
        "/ok" => answer(200),
        "/gone" => answer(404),
        "/removed" => answer(410),
        "/moved" => redirect(301, "/moved-again"),
        "/moved-again" => redirect(308, "/new-home"),
        "/new-home" => answer(200),
        "/loop-a" => redirect(302, "/loop-b"),
        "/loop-b" => redirect(302, "/loop-a"),
        "/busy" if !busy_flag.swap(true, Ordering::SeqCst) => Answer {
            headers: vec![("Retry-After", "1".into())],
            ..answer(429)
        },
        "/busy" => answer(200),
        "/very-busy" => Answer {
            headers: vec![("Retry-After", "3600".into())],
            ..answer(429)
        },
        "/slow" => Answer {
            delay: Duration::from_secs(3),
            ..answer(200)
        },
        "/flaky" if !recovered_flag.load(Ordering::SeqCst) => answer(503),
        "/flaky" => answer(200),
        _ => answer(404),
    });
    let (parked, _) = server(|_, _| answer(200));
    let (archive, archive_seen) = server(|_, path| {
        if path.contains("gone") {
            Answer {
                body: r#"{"archived_snapshots":{"closest":{"available":true,"status":"200","url":"https://archive.example.org/web/2024/gone"}}}"#.into(),
                ..answer(200)
            }
        } else {
            Answer {
                body: r#"{"archived_snapshots":{}}"#.into(),
                ..answer(200)
            }
        }
    });
    let dir = fixture("links/basic");
    let root = dir.path();
    edit(
        root,
        "almanac.yaml",
        "archive_api: \"\"",
        &format!("archive_api: {archive}/wayback/available?url="),
    );
    for (slug, path, more) in [
        ("steady", "/ok", ""),
        ("gone", "/gone", ""),
        (
            "removed",
            "/removed",
            "archived_url: https://archive.example.org/web/2023/removed\n",
        ),
        ("moved", "/moved", ""),
        ("looping", "/loop-a", ""),
        ("busy", "/busy", ""),
        ("very-busy", "/very-busy", ""),
        ("slow", "/slow", ""),
        ("flaky", "/flaky", ""),
    ] {
        resource(
            root,
            slug,
            &format!("The {slug} guide"),
            &format!("{site}{path}"),
            more,
        );
    }
    resource(
        root,
        "parked",
        "The parked guide",
        &format!("{parked}/guide"),
        "",
    );

    // First run: nothing is broken yet, but moves and parked domains are seen.
    let (status, found) = check_external(root, &[]);
    assert_eq!(status, 0, "{found:#?}");
    assert_eq!(
        with_code(&found, "broken-link-external"),
        Vec::<String>::new()
    );
    assert_eq!(
        with_code(&found, "moved-link"),
        [format!(
            "content/guidance/moved.md: `{site}/moved` has moved permanently to `{site}/new-home`"
        )]
    );
    let soft = with_code(&found, "soft-404");
    assert_eq!(soft.len(), 1, "{soft:?}");
    assert!(
        soft[0].starts_with("content/guidance/parked.md"),
        "{soft:?}"
    );
    let links = cache(root);
    let record = |url: &str| links["links"][url].clone();
    assert_eq!(record(&format!("{site}/gone"))["failures"], 1);
    assert_eq!(record(&format!("{site}/gone"))["http_status"], 404);
    assert_eq!(
        record(&format!("{site}/busy"))["status"],
        "ok",
        "the 429 was waited for"
    );
    assert_eq!(
        record(&format!("{site}/very-busy"))["status"],
        "rate-limited"
    );
    assert_eq!(record(&format!("{site}/slow"))["timed_out"], true);
    assert_eq!(
        record(&format!("{site}/loop-a"))["detail"],
        "redirects in a loop"
    );
    assert_eq!(record(&format!("{site}/flaky"))["failures"], 1);
    assert_eq!(
        record(&format!("{site}/moved"))["final_url"],
        format!("{site}/new-home")
    );
    assert_eq!(
        record(&format!("{site}/moved"))["moved_to"],
        format!("{site}/new-home")
    );
    // The archive is asked only about broken links.
    assert_eq!(archive_seen.count("/wayback/available"), 0);
    // The cache is sorted, so that it can be committed and compared.
    let text = read(root, ".almanac/links.json");
    let keys: Vec<&str> = links["links"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let mut sorted = keys.clone();
    sorted.sort_unstable();
    assert_eq!(keys, sorted);
    assert!(text.ends_with("}\n"));
    // The check says who asks.
    let agents = seen.agents.lock().unwrap().clone();
    assert!(
        agents
            .iter()
            .all(|a| a.starts_with("almanac-link-check/")
                && a.contains("(+https://example.org/links/)")),
        "{agents:?}"
    );

    // Second run: the server that failed answers again; the others failed twice.
    recovered.store(true, Ordering::SeqCst);
    let (status, found) = check_external(root, &[]);
    assert_eq!(status, 0, "warnings only: {found:#?}");
    let mut broken = with_code(&found, "broken-link-external");
    broken.sort();
    assert_eq!(
        broken,
        [
            format!(
                "content/guidance/gone.md: `{site}/gone` is broken: it answered with HTTP status 404 (failed on 2 runs in a row)"
            ),
            format!(
                "content/guidance/looping.md: `{site}/loop-a` is broken: it redirects in a loop (failed on 2 runs in a row)"
            ),
            format!(
                "content/guidance/removed.md: `{site}/removed` is broken: it answered with HTTP status 410 (failed on 2 runs in a row)"
            ),
        ]
    );
    let help = |file: &str| {
        found
            .iter()
            .find(|d| d["code"] == "broken-link-external" && d["file"] == file)
            .and_then(|d| d["help"].as_str())
            .unwrap_or("")
            .to_string()
    };
    assert!(help("content/guidance/gone.md").contains("https://archive.example.org/web/2024/gone"));
    assert!(
        help("content/guidance/removed.md")
            .contains("https://archive.example.org/web/2023/removed")
    );
    assert!(
        help("content/guidance/looping.md")
            .contains(&format!("https://archive.example.org/web/{site}/loop-a")),
        "no copy known: the archive's address for the link is suggested"
    );
    let links = cache(root);
    let record = |url: &str| links["links"][url].clone();
    assert_eq!(record(&format!("{site}/flaky"))["failures"], 0);
    assert_eq!(record(&format!("{site}/flaky"))["status"], "ok");
    assert_eq!(
        record(&format!("{site}/slow"))["failures"],
        1,
        "a slow server is not a dead one"
    );
    assert_eq!(
        record(&format!("{site}/gone"))["archived"],
        "https://archive.example.org/web/2024/gone"
    );
    let (status, _) = check_external(root, &["--deny-warnings"]);
    assert_eq!(status, 1);

    // A third run with --max-age leaves addresses that answered recently alone.
    let before = seen.count("/ok");
    let third = almanac(
        root,
        &["check", "--external", "--timeout", "1", "--max-age", "7d"],
    );
    assert_eq!(third.status, 0, "{}", third.stderr);
    // Left alone: the steady, moved, busy and flaky ones, which answered last time.
    assert!(
        third
            .stderr
            .contains("Requested 6 address(es); 4 answered recently and were left alone"),
        "{}",
        third.stderr
    );
    assert_eq!(seen.count("/ok"), before);
    assert!(seen.count("/gone") > 0);

    // The built page marks the broken address and offers the archived copy.
    let build = almanac(root, &["build"]);
    assert_eq!(build.status, 0, "{}", build.stderr);
    let gone = read(root, "site/guidance/gone/index.html");
    assert!(gone.contains("notice-broken-link"), "{gone}");
    assert!(gone.contains("href=\"https://archive.example.org/web/2024/gone\""));
    let removed = read(root, "site/guidance/removed/index.html");
    assert!(removed.contains("href=\"https://archive.example.org/web/2023/removed\""));
    let steady = read(root, "site/guidance/steady/index.html");
    assert!(!steady.contains("notice-broken-link"));
}

/// `fix-links` writes the new address of a moved resource into its `url:` and
/// changes no other byte; `--dry-run` changes nothing.
#[test]
fn fix_links_rewrites_only_the_moved_address() {
    let (site, _) = server(|_, path| match path {
        "/old" => redirect(301, "/new"),
        "/new" => answer(200),
        "/temporary" => redirect(302, "/new"),
        "/old-quoted" => redirect(301, "/new-quoted"),
        "/old-single" => redirect(308, "/new-single"),
        "/new-quoted" | "/new-single" | "/elsewhere" => answer(200),
        // A permanent move, then a temporary one: the address moved to `/step`.
        "/moved-then-borrowed" => redirect(301, "/step-away"),
        "/step-away" => redirect(302, "/elsewhere"),
        _ => answer(404),
    });
    let dir = fixture("links/basic");
    let root = dir.path();
    // CRLF line ends, a comment and the body naming the old address: all kept.
    let moved = format!(
        "---\r\ntitle: Moved Guide\r\n# was {site}/old\r\nurl: \"{site}/old\"\r\ntype: guidance\r\n---\r\nSee {site}/old for the old text.\r\n"
    );
    write(root, "content/guidance/moved.md", &moved);
    resource(
        root,
        "temporary",
        "Temporary",
        &format!("{site}/temporary"),
        "",
    );
    // Quoted values with a comment after them keep their quotes and the comment.
    let quoted = format!(
        "---\ntitle: Quoted Guide\nurl: \"{site}/old-quoted\" # quoted comment\ntype: guidance\n---\nNotes.\n"
    );
    write(root, "content/guidance/quoted.md", &quoted);
    let single = format!(
        "---\ntitle: Single Guide\nurl: '{site}/old-single'   # single comment\ntype: guidance\n---\nNotes.\n"
    );
    write(root, "content/guidance/single.md", &single);
    resource(
        root,
        "chain",
        "Chain",
        &format!("{site}/moved-then-borrowed"),
        "",
    );
    let (_, found) = check_external(root, &[]);
    assert_eq!(with_code(&found, "moved-link").len(), 4, "{found:#?}");
    // The cache keeps where every chain of redirects ends, and where the permanent
    // part of it leads: only that is a move.
    let links = cache(root);
    let record = |path: &str| links["links"][format!("{site}{path}")].clone();
    assert_eq!(record("/temporary")["status"], "ok");
    assert_eq!(record("/temporary")["final_url"], format!("{site}/new"));
    assert!(record("/temporary").get("moved_to").is_none(), "{links:#}");
    assert_eq!(record("/moved-then-borrowed")["status"], "redirected");
    assert_eq!(
        record("/moved-then-borrowed")["moved_to"],
        format!("{site}/step-away")
    );
    assert_eq!(
        record("/moved-then-borrowed")["final_url"],
        format!("{site}/elsewhere")
    );
    assert_eq!(record("/old")["moved_to"], format!("{site}/new"));

    let dry = almanac(root, &["fix-links", "--dry-run"]);
    assert_eq!(dry.status, 0, "{}", dry.stderr);
    assert!(
        dry.stdout.contains(&format!(
            "content/guidance/moved.md:4: {site}/old → {site}/new"
        )),
        "{}",
        dry.stdout
    );
    assert_eq!(read(root, "content/guidance/moved.md"), moved);

    let fixed = almanac(root, &["fix-links"]);
    assert_eq!(fixed.status, 0, "{}", fixed.stderr);
    assert_eq!(
        std::fs::read(root.join("content/guidance/moved.md")).unwrap(),
        moved
            .replace(
                &format!("url: \"{site}/old\""),
                &format!("url: \"{site}/new\"")
            )
            .into_bytes()
    );
    assert_eq!(
        read(root, "content/guidance/quoted.md"),
        quoted.replace("/old-quoted\"", "/new-quoted\""),
        "only the address changes"
    );
    assert_eq!(
        read(root, "content/guidance/single.md"),
        single.replace("/old-single'", "/new-single'")
    );
    assert!(
        read(root, "content/guidance/chain.md").contains(&format!("url: {site}/step-away\n")),
        "the permanent move is written in, not where a temporary redirect led"
    );
    // A temporary redirect is not a move.
    assert!(read(root, "content/guidance/temporary.md").contains(&format!("{site}/temporary")));
    assert_eq!(almanac(root, &["check"]).status, 0);
    // The next check forgets the old address and knows the new one.
    let (_, found) = check_external(root, &[]);
    assert!(with_code(&found, "moved-link").is_empty(), "{found:#?}");
    let links = cache(root);
    assert!(
        links["links"].get(format!("{site}/old")).is_none(),
        "{links:#}"
    );
    assert_eq!(links["links"][format!("{site}/new")]["status"], "ok");
}

/// A host name that does not resolve counts as a failure, like a 404: broken on
/// the second run. `.invalid` never resolves (RFC 6761), so the resolver answers
/// at once and nothing leaves this computer; the short timeout bounds a resolver
/// that would rather wait.
#[test]
fn a_host_that_does_not_exist_counts_as_a_failure() {
    let dir = fixture("links/basic");
    let root = dir.path();
    let url = "https://no-such-host.almanac-test.invalid/guide";
    resource(root, "nowhere", "Nowhere", url, "");
    let started = std::time::Instant::now();
    let (status, found) = check_external(root, &[]);
    assert_eq!(status, 0, "{found:#?}");
    assert!(with_code(&found, "broken-link-external").is_empty());
    let record = cache(root)["links"][url].clone();
    assert_eq!(record["status"], "failed", "{record:#}");
    assert_eq!(record["failures"], 1, "{record:#}");
    assert!(record.get("timed_out").is_none(), "{record:#}");
    assert!(
        record["detail"]
            .as_str()
            .unwrap()
            .starts_with("has a host name that "),
        "{record:#}"
    );
    let (_, found) = check_external(root, &[]);
    assert_eq!(
        with_code(&found, "broken-link-external"),
        [format!(
            "content/guidance/nowhere.md: `{url}` is broken: it {} (failed on 2 runs in a row)",
            cache(root)["links"][url]["detail"].as_str().unwrap()
        )]
    );
    assert!(started.elapsed() < Duration::from_secs(20));
}

/// A link cache that is not one (a merge left its markers in it) is a located
/// error; the check does not write over it, and the previous site stays.
#[test]
fn a_broken_link_cache_is_located_and_kept() {
    let dir = fixture("links/basic");
    let root = dir.path();
    assert_eq!(almanac(root, &["build"]).status, 0);
    let before = crate::support::snapshot(&root.join("site"));
    let broken = "{\n  \"links\": {\n<<<<<<< HEAD\n  }\n}\n";
    write(root, ".almanac/links.json", broken);
    let build = almanac(root, &["build"]);
    assert_eq!(build.status, 1);
    assert!(
        build.stderr.contains(".almanac/links.json:3:1"),
        "{}",
        build.stderr
    );
    assert_eq!(crate::support::snapshot(&root.join("site")), before);
    let check = almanac(root, &["check", "--external"]);
    assert_eq!(check.status, 1);
    assert_eq!(read(root, ".almanac/links.json"), broken);
}

/// A link cache reached through a link out of the collection is refused and not
/// written over (it is someone else's file); nor is a cache written into a
/// `.almanac/` that leads out of the collection.
#[cfg(unix)]
#[test]
fn a_link_cache_outside_the_collection_is_neither_read_nor_written() {
    let (base, _) = server(|_, _| answer(200));
    let dir = fixture("links/basic");
    let root = dir.path();
    resource(root, "alive", "Alive", &format!("{base}/alive"), "");
    let outside = tempfile::tempdir().unwrap();
    let theirs = "{\"links\": {}, \"theirs\": true}\n";
    std::fs::write(outside.path().join("links.json"), theirs).unwrap();
    std::os::unix::fs::symlink(outside.path(), root.join(".almanac")).unwrap();
    let check = almanac(root, &["check", "--external", "--timeout", "1"]);
    assert_eq!(check.status, 1, "{}", check.stderr);
    assert!(
        check.stderr.contains("leads outside the collection"),
        "{}",
        check.stderr
    );
    assert_eq!(read(outside.path(), "links.json"), theirs);
    // Nothing to read there: the addresses are checked, but the cache is not
    // written out of the collection.
    std::fs::remove_file(outside.path().join("links.json")).unwrap();
    let check = almanac(root, &["check", "--external", "--timeout", "1"]);
    assert_eq!(check.status, 1, "{}", check.stderr);
    assert!(
        check
            .stderr
            .contains(".almanac/ is a link out of the collection"),
        "{}",
        check.stderr
    );
    assert_eq!(std::fs::read_dir(outside.path()).unwrap().count(), 0);
}

/// Every page made from a file links to that file's editing page and to a new
/// issue naming the page; bad addresses in almanac.yaml are located errors.
#[test]
fn pages_link_to_their_source_and_to_a_new_issue() {
    let dir = fixture("links/basic");
    let root = dir.path();
    resource(
        root,
        "data-and-ai",
        "\"Data & AI: a guide\"",
        "https://example.org/guide",
        "",
    );
    let build = almanac(root, &["build"]);
    assert_eq!(build.status, 0, "{}", build.stderr);
    let page = read(root, "site/guidance/data-and-ai/index.html");
    let hrefs = crate::support::hrefs(&page);
    assert!(
        hrefs.contains(
            &"https://forge.example.org/team/links/edit/main/content/guidance/data-and-ai.md"
                .to_string()
        ),
        "{hrefs:?}"
    );
    assert!(hrefs.contains(&"https://forge.example.org/team/links/issues/new?title=Data%20%26%20AI%3A%20a%20guide&body=https%3A%2F%2Fexample.org%2Flinks%2Fguidance%2Fdata-and-ai%2F".to_string()), "{hrefs:?}");
    assert!(page.contains(">Suggest a change<"));
    assert!(page.contains(">Report a problem with this entry<"));
    let section = read(root, "site/guidance/index.html");
    assert!(section.contains("edit/main/content/guidance/_index.md"));
    // Pages made from no file (a term's list) have nothing to edit.
    let term = read(root, "site/principles/transparency/index.html");
    assert!(!term.contains("Suggest a change"));

    edit(root, "almanac.yaml", "edit/main/{path}", "edit/main/");
    let run = almanac(root, &["build"]);
    assert_eq!(run.status, 1);
    assert!(run.stderr.contains("almanac.yaml:5:"), "{}", run.stderr);
    assert!(
        run.stderr.contains("`edit_url` has no `{path}`"),
        "{}",
        run.stderr
    );
}

/// Eight slow addresses on one host are asked three at a time, never more: with
/// the 16 requests a check makes at once, all eight would otherwise go together.
#[test]
fn at_most_three_requests_go_to_one_host_at_once() {
    let (site, seen) = server(|_, path| {
        if path.starts_with("/pause/") {
            Answer {
                delay: Duration::from_millis(400),
                ..answer(200)
            }
        } else {
            answer(404)
        }
    });
    let dir = fixture("links/basic");
    for n in 0..8 {
        resource(
            dir.path(),
            &format!("pause-{n}"),
            &format!("Pause {n}"),
            &format!("{site}/pause/{n}"),
            "",
        );
    }
    let (status, found) = check_external(dir.path(), &[]);
    assert_eq!(status, 0, "{found:#?}");
    let links: Vec<_> = found
        .iter()
        .filter(|d| d["code"] != "missing-summary")
        .collect();
    assert!(links.is_empty(), "{links:#?}");
    assert_eq!(seen.most_busy.load(Ordering::SeqCst), 3);
    for n in 0..8 {
        assert!(seen.count(&format!("/pause/{n}")) >= 1);
    }
    // The made-up path that tells a parked domain is asked once per host, or by
    // the few requests that were under way together before the first answer.
    let made_up = seen
        .requests
        .lock()
        .unwrap()
        .keys()
        .filter(|path| path.starts_with("/almanac-link-check-"))
        .count();
    assert!((1..=3).contains(&made_up), "{made_up}");
}
