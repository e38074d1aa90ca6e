//! `almanac serve` when a file becomes something else while it serves: a static
//! file replaced by a FIFO or a link to an endless device is not waited on or
//! read when asked for.

#![cfg(unix)]

use std::fs;

use super::harness::{Server, fixture};
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
