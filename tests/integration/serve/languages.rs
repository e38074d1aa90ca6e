//! `almanac serve` on a collection in several languages (tests/fixtures/languages/
//! basic, published under `/library/`): every language served, and after an edit of
//! a translation or of a source the served site is what a fresh build writes.

use super::harness::{Events, Server};
use crate::support;

fn server() -> Server {
    let dir = tempfile::tempdir().expect("a temporary folder");
    support::copy_dir(
        &support::fixture_path("languages/basic"),
        &dir.path().join("collection"),
    );
    Server::start(dir)
}

/// Every file of a fresh build of the served collection, served the same.
fn same_as_built(server: &Server, after: &str) {
    let parent = server.root.parent().unwrap();
    let out = parent.join("after");
    let _ = std::fs::remove_dir_all(&out);
    let run = support::almanac(
        parent,
        &["build", "--root", "collection", "--output", "after"],
    );
    assert_eq!(run.status, 0, "{after}: {}", run.stderr);
    let tag = "<script src=\"/__almanac/reload.js\" defer></script>";
    for (path, bytes) in support::snapshot(&out) {
        if path.starts_with(".almanac-") {
            continue;
        }
        let reply = server.get(&format!("/library/{path}"));
        assert_eq!(reply.status, 200, "{after}: {path}");
        let served = if path.ends_with(".html") {
            reply.text().replacen(tag, "", 1).into_bytes()
        } else {
            reply.body
        };
        assert!(
            served == bytes,
            "after {after}, {path} differs from the fresh build:\n--- served\n{}\n--- built\n{}",
            String::from_utf8_lossy(&served),
            String::from_utf8_lossy(&bytes)
        );
    }
}

#[test]
fn every_language_is_served_and_follows_edits() {
    let server = server();
    let fr = server.get("/library/fr/guidance/open-data-guide/");
    assert_eq!(fr.status, 200);
    assert!(fr.text().contains("<title>Guide des données ouvertes"));
    same_as_built(&server, "the first build");
    let events = Events::open(server.address);
    events.settled_after(|| {
        support::edit(
            &server.root,
            "content/guidance/open-data-guide.fr.md",
            "Guide des données ouvertes",
            "Guide de l’ouverture des données",
        );
    });
    let fr = server.get("/library/fr/guidance/open-data-guide/");
    assert!(
        fr.text()
            .contains("<title>Guide de l’ouverture des données")
    );
    same_as_built(&server, "a translation's title edited");
    // A new translation gives the entry a page in that language.
    events.settled_after(|| {
        support::write(
            &server.root,
            "content/guidance/zeta-handbook.fr.md",
            "---\ntitle: Manuel Zeta\n---\nLe manuel.\n",
        );
    });
    assert_eq!(
        server.get("/library/fr/guidance/zeta-handbook/").status,
        200
    );
    same_as_built(&server, "a translation added");
}

/// The interface strings of a language (the collection's own `i18n/` file) and
/// the language settings of almanac.yaml are followed as content is.
#[test]
fn interface_strings_and_language_settings_are_followed() {
    let server = server();
    let events = Events::open(server.address);
    events.settled_after(|| {
        support::write(
            &server.root,
            "i18n/fr.yaml",
            "search_form:\n  button: Chercher\n",
        );
    });
    let fr = server.get("/library/fr/guidance/").text();
    assert!(
        fr.contains("<button type=\"submit\">Chercher</button>"),
        "the collection's French string is used"
    );
    same_as_built(&server, "an interface string overridden");
    events.settled_after(|| {
        support::edit(
            &server.root,
            "almanac.yaml",
            "fr: { name: Français }",
            "fr: { name: Français de France }",
        );
    });
    assert!(
        server
            .get("/library/guidance/open-data-guide/")
            .text()
            .contains("Français de France"),
        "the switcher names the language as almanac.yaml now does"
    );
    same_as_built(&server, "a language renamed");
}
