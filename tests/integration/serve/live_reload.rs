//! Live reload: an edit reaches the open tabs, a broken edit or config is shown
//! (in the page, the event stream and the log) while the last good site is still
//! served, and Ctrl-C stops the server cleanly.

use std::process::Command;

use super::harness::{Events, Server, fixture};

#[test]
fn edits_reload_and_broken_edits_keep_the_last_good_site() {
    let server = Server::start(fixture("basic"));
    let events = Events::open(server.address);
    let page = "/ethics/guidance/open-data-guide/";
    let file = server.root.join("content/guidance/open-data-guide.md");
    let original = std::fs::read_to_string(&file).unwrap();
    assert!(server.get(page).text().contains("Open Data Guide"));

    std::fs::write(
        &file,
        original.replace("title: Open Data Guide", "title: Open Data Handbook"),
    )
    .unwrap();
    events.wait_for("event: reload", 1);
    let edited = server.get(page);
    assert_eq!(edited.status, 200);
    assert!(edited.text().contains("Open Data Handbook"));
    // The section lists the new title too.
    assert!(
        server
            .get("/ethics/guidance/")
            .text()
            .contains("Open Data Handbook")
    );
    server.log_once("content/guidance/open-data-guide.md changed");

    std::fs::write(
        &file,
        original.replace("title: Open Data Guide", "title: [Open Data"),
    )
    .unwrap();
    let stream = events.wait_for("event: error", 1);
    assert!(
        stream.contains("\"file\": \"content/guidance/open-data-guide.md\""),
        "{stream}"
    );
    assert!(stream.contains("\"line\": 3"), "{stream}");
    let kept = server.get(page);
    assert_eq!(kept.status, 200);
    assert!(kept.text().contains("Open Data Handbook"));
    let log = server.log();
    assert!(
        log.contains("content/guidance/open-data-guide.md:3:"),
        "{log}"
    );
    assert!(log.contains("still serving the last good version"), "{log}");

    // A tab that connects now is told about the problem straight away.
    let late = Events::open(server.address);
    late.wait_for("event: error", 1);

    std::fs::write(
        &file,
        original.replace("title: Open Data Guide", "title: Open Data Manual"),
    )
    .unwrap();
    events.wait_for("event: ok", 1);
    events.wait_for("event: reload", 2);
    assert!(server.get(page).text().contains("Open Data Manual"));
}

#[test]
fn a_broken_config_at_start_is_shown_until_fixed() {
    let dir = fixture("basic");
    let config = dir.path().join("collection/almanac.yaml");
    let original = std::fs::read_to_string(&config).unwrap();
    std::fs::write(
        &config,
        original.replace("title: Serve Fixture", "titel: Serve Fixture"),
    )
    .unwrap();
    let server = Server::start(dir);

    let broken = server.get("/ethics/");
    assert_eq!(broken.status, 503);
    assert!(broken.text().contains("almanac.yaml"), "{}", broken.text());
    assert!(broken.text().contains("/__almanac/reload.js"));

    std::fs::write(&config, &original).unwrap();
    let fixed = server.wait_for("/ethics/", "the fixed site", |r| r.status == 200);
    assert!(fixed.text().contains("Serve Fixture"));
}

#[test]
fn ctrl_c_stops_the_server_cleanly() {
    let mut server = Server::start(fixture("basic"));
    let _events = Events::open(server.address);
    let status = Command::new("kill")
        .args(["-INT", &server.child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success());
    let exit = server.exit_status();
    assert!(exit.success(), "{exit:?}\n{}", server.log());
}
