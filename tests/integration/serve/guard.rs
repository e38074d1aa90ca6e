//! `almanac serve` against pages of other sites: a request naming another host
//! (DNS rebinding) is refused, and the preview follows `content/` when it is
//! deleted and comes back.

use std::fs;

use super::harness::{Events, Server, fixture};
use crate::support::copy_dir;

#[test]
fn only_the_servers_own_names_are_answered() {
    let server = Server::start(fixture("basic"));
    let port = server.address.port();
    for host in [
        "evil.example".to_string(),
        format!("evil.example:{port}"),
        format!("localhost.evil.example:{port}"),
    ] {
        let reply = server.request("GET", "/ethics/", &[("Host", &host)]);
        assert_eq!(reply.status, 421, "{host}");
        assert!(!reply.text().contains("Serve Fixture"), "{host}");
        // The live-reload stream leaks edits as they happen: refused too.
        let events = server.request("GET", "/__almanac/events", &[("Host", &host)]);
        assert_eq!(events.status, 421, "{host}");
    }
    for host in [
        format!("localhost:{port}"),
        format!("127.0.0.1:{port}"),
        "localhost".to_string(),
    ] {
        let reply = server.request("GET", "/ethics/", &[("Host", &host)]);
        assert_eq!(reply.status, 200, "{host}");
        assert!(reply.text().contains("Serve Fixture"), "{host}");
    }
}

#[test]
fn content_deleted_then_restored_is_served_again() {
    let server = Server::start(fixture("basic"));
    let content = server.root.join("content");
    let saved = server.root.parent().unwrap().join("saved-content");
    copy_dir(&content, &saved);
    let events = Events::open(server.address);
    fs::remove_dir_all(&content).unwrap();
    events.wait_for("event: error", 1);
    assert!(
        server
            .log_once("no content/ folder")
            .contains("no content/ folder")
    );
    copy_dir(&saved, &content);
    events.wait_for("event: ok", 1);
    // The restored folder is watched again: an edit in it shows.
    let page = server.wait_for("/ethics/", "the restored site", |r| r.status == 200);
    assert!(page.text().contains("Serve Fixture"));
    let home = content.join("_index.md");
    let text = fs::read_to_string(&home).unwrap();
    events.settled_after(|| fs::write(&home, format!("{text}\nRestored and edited.\n")).unwrap());
    let page = server.get("/ethics/");
    assert!(
        page.text().contains("Restored and edited."),
        "{}",
        server.log()
    );
}

#[cfg(unix)]
#[test]
fn a_static_file_linked_outside_the_collection_is_never_served() {
    let dir = fixture("basic");
    let secret = "SECRET-OUTSIDE-THE-SITE";
    fs::write(dir.path().join("secret.txt"), secret).unwrap();
    std::os::unix::fs::symlink(
        dir.path().join("secret.txt"),
        dir.path().join("collection/static/files/leak.txt"),
    )
    .unwrap();
    let server = Server::start(dir);
    for path in ["/ethics/files/leak.txt", "/ethics/"] {
        let reply = server.get(path);
        assert_ne!(reply.status, 200, "{path}");
        assert!(!reply.text().contains(secret), "{path} leaked the secret");
    }
    assert!(
        server.log().contains("static/files/leak.txt"),
        "{}",
        server.log()
    );
}
