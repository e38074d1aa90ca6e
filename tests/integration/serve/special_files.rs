//! `almanac serve` when a file becomes something else while it serves: a static
//! file replaced by a FIFO is not waited on when asked for, and a FIFO that
//! appears in `content/` is reported, at its path, while the last good site is
//! still served and later edits still show.

#![cfg(unix)]

use std::fs;
use std::time::Duration;

use super::harness::{Events, Server, fixture, poll};
use crate::hardening_reads::mkfifo;

#[test]
fn a_static_file_replaced_by_a_fifo_is_not_waited_on() {
    let server = Server::start(fixture("basic"));
    let asked = "/ethics/files/extra.css";
    assert_eq!(server.get(asked).status, 200);
    let path = server.root.join("static/files/extra.css");
    fs::remove_file(&path).unwrap();
    mkfifo(&path);
    // Asked for at once, before a rebuild, and after: an answer each time (a
    // read of the FIFO would wait for a writer forever).
    for _ in 0..3 {
        let reply = server.get(asked);
        assert_eq!(reply.status, 404, "{}", server.log());
        assert_eq!(server.get("/ethics/").status, 200);
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    // A link to an endless device in its place is not read either.
    fs::remove_file(&path).unwrap();
    std::os::unix::fs::symlink("/dev/zero", &path).unwrap();
    assert_eq!(server.get(asked).status, 404, "{}", server.log());
}

#[test]
fn a_fifo_appearing_in_content_is_reported_and_the_site_kept() {
    let server = Server::start(fixture("basic"));
    let events = Events::open(server.address);
    let page = "/ethics/guidance/fair-services/";
    assert_eq!(server.get(page).status, 200);
    for rel in [
        "content/guidance/foo.md",
        "content/guidance/fair-services.md",
    ] {
        let fifo = server.root.join(rel);
        let original = fs::read(&fifo).ok();
        let errors = events.count("event: error");
        let said = server.log().len();
        let _ = fs::remove_file(&fifo);
        mkfifo(&fifo);
        let stream = events.wait_for("event: error", errors + 1);
        let error = stream.rsplit("event: error").next().unwrap();
        assert!(error.contains(rel), "{stream}");
        let log = poll(
            Duration::from_millis(20),
            || {
                let log = server.log()[said..].to_string();
                Some(log).filter(|l| l.contains("still serving the last good version"))
            },
            || server.log(),
        );
        assert!(log.contains(rel), "{log}");
        assert!(log.contains("not a regular file"), "{log}");
        let kept = server.get(page);
        assert_eq!(kept.status, 200);
        assert!(kept.text().contains("Fair Services"));
        // Gone again: the site is built again.
        let oks = events.count("event: ok");
        fs::remove_file(&fifo).unwrap();
        if let Some(original) = original {
            fs::write(&fifo, original).unwrap();
        }
        events.wait_for("event: ok", oks + 1);
    }
    // Rebuilds are not stuck: an edit shows.
    let file = server.root.join("content/guidance/fair-services.md");
    let text = fs::read_to_string(&file).unwrap();
    events.settled_after(|| {
        fs::write(&file, text.replace("Fair Services", "Fairer Services")).unwrap()
    });
    assert!(server.get(page).text().contains("Fairer Services"));
}
