//! `almanac serve` as a static host would serve the site: redirects, content
//! types, validators, ranges, the site's own 404 page, many clients at once,
//! and hostile paths that must never reach a file outside the site.

use std::io::{BufReader, Write};
use std::net::TcpStream;
use std::thread;
use std::time::Instant;

use super::harness::{Server, WAIT, fixture, read_reply};

#[test]
fn serves_the_built_site_like_a_static_host() {
    let server = Server::start(fixture("basic"));

    let root = server.get("/");
    assert_eq!(root.status, 302);
    assert_eq!(root.header("location"), Some("/ethics/"));

    let home = server.get("/ethics/");
    assert_eq!(home.status, 200);
    assert_eq!(
        home.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(home.header("cache-control"), Some("no-cache"));
    assert!(home.text().contains("Serve Fixture"));
    assert!(
        home.text()
            .contains("<script src=\"/__almanac/reload.js\" defer></script>")
    );

    let section = server.get("/ethics/guidance?x=1");
    assert_eq!(section.status, 302);
    assert_eq!(section.header("location"), Some("/ethics/guidance/?x=1"));
    assert_eq!(server.get("/ethics/guidance/").status, 200);

    for (path, content_type) in [
        ("/ethics/style.css", "text/css; charset=utf-8"),
        ("/ethics/feed.xml", "application/xml"),
        ("/ethics/sitemap.xml", "application/xml"),
        ("/ethics/resources.json", "application/json"),
        ("/ethics/resources.csv", "text/csv; charset=utf-8"),
        ("/ethics/favicon.svg", "image/svg+xml"),
        ("/ethics/files/probe.wasm", "application/wasm"),
        ("/__almanac/reload.js", "text/javascript; charset=utf-8"),
        ("/__almanac/overlay.css", "text/css; charset=utf-8"),
    ] {
        let reply = server.get(path);
        assert_eq!(reply.status, 200, "{path}");
        assert_eq!(reply.header("content-type"), Some(content_type), "{path}");
    }
    assert_eq!(
        server.get("/ethics/files/probe.wasm").body,
        b"\0asm\x01\0\0\0"
    );
    // Only HTML gets the script; other files are served as built.
    assert!(!server.get("/ethics/feed.xml").text().contains("__almanac"));

    // Validators and 304s.
    let etag = home.header("etag").expect("an ETag").to_string();
    let modified = home
        .header("last-modified")
        .expect("a Last-Modified")
        .to_string();
    let again = server.request("GET", "/ethics/", &[("If-None-Match", &etag)]);
    assert_eq!(again.status, 304);
    assert!(again.body.is_empty());
    assert_eq!(again.header("etag"), Some(etag.as_str()));
    let since = server.request("GET", "/ethics/", &[("If-Modified-Since", &modified)]);
    assert_eq!(since.status, 304);
    let other = server.request("GET", "/ethics/", &[("If-None-Match", "\"nope\"")]);
    assert_eq!(other.status, 200);
    let wasm = server.get("/ethics/files/probe.wasm");
    let wasm_etag = wasm
        .header("etag")
        .expect("an ETag for a copied file")
        .to_string();
    let wasm_again = server.request(
        "GET",
        "/ethics/files/probe.wasm",
        &[("If-None-Match", &wasm_etag)],
    );
    assert_eq!(wasm_again.status, 304);

    // HEAD: the same headers, no body.
    let head = server.request("HEAD", "/ethics/", &[]);
    assert_eq!(head.status, 200);
    assert_eq!(
        head.header("content-length"),
        Some(home.body.len().to_string().as_str())
    );
    assert_eq!(head.header("etag"), Some(etag.as_str()));

    // Ranges, from memory and from disk.
    let part = server.request("GET", "/ethics/", &[("Range", "bytes=0-14")]);
    assert_eq!(part.status, 206);
    assert_eq!(part.body, &home.body[..15]);
    assert_eq!(
        part.header("content-range"),
        Some(format!("bytes 0-14/{}", home.body.len()).as_str())
    );
    let tail = server.request("GET", "/ethics/files/probe.wasm", &[("Range", "bytes=-4")]);
    assert_eq!(tail.status, 206);
    assert_eq!(tail.body, b"\x01\0\0\0");
    assert_eq!(tail.header("content-range"), Some("bytes 4-7/8"));
    let beyond = server.request("GET", "/ethics/files/probe.wasm", &[("Range", "bytes=8-")]);
    assert_eq!(beyond.status, 416);
    assert_eq!(beyond.header("content-range"), Some("bytes */8"));
    let stale = server.request(
        "GET",
        "/ethics/",
        &[("Range", "bytes=0-14"), ("If-Range", "\"old\"")],
    );
    assert_eq!(stale.status, 200);

    // Misses get the site's own 404 page.
    let missing = server.get("/ethics/no/such/page/");
    assert_eq!(missing.status, 404);
    assert_eq!(
        missing.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(missing.text(), server.get("/ethics/404.html").text());
    assert_eq!(server.get("/elsewhere/").status, 404);

    let post = server.request("POST", "/ethics/", &[]);
    assert_eq!(post.status, 405);
    assert_eq!(post.header("allow"), Some("GET, HEAD"));

    // Serving writes nothing: no output folder appears.
    assert!(!server.root.join("site").exists());
}

#[test]
fn hostile_paths_never_leave_the_site() {
    let dir = fixture("basic");
    let secret = "SECRET-OUTSIDE-THE-SITE";
    std::fs::write(dir.path().join("secret.txt"), secret).unwrap();
    std::fs::write(dir.path().join("collection/notes.txt"), secret).unwrap();
    let server = Server::start(dir);

    for path in [
        "/../secret.txt",
        "/ethics/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/ethics/%2e%2e/%2e%2e/secret.txt",
        "/ethics/%2E%2E/notes.txt",
        "/..%2f..%2fsecret.txt",
        "/ethics/..%2f..%2fsecret.txt",
        "/%2e%2e%5csecret.txt",
        "/ethics/..\\..\\secret.txt",
        "/ethics/%5c..%5c..%5csecret.txt",
        "//secret.txt",
        "/ethics//etc/passwd",
        "/ethics/%00/index.html",
        "/etc/passwd",
        "/ethics/files/leak.txt",
        "/ethics/../almanac.yaml",
        "/ethics/%2e%2e/almanac.yaml",
        "/almanac.yaml",
        "/ethics/almanac.yaml",
        "/ethics/notes.txt",
    ] {
        let reply = server.get(path);
        assert!(
            reply.status == 400 || reply.status == 404,
            "{path} answered {}",
            reply.status
        );
        let text = reply.text();
        assert!(!text.contains(secret), "{path} leaked the secret");
        assert!(!text.contains("base_url"), "{path} leaked the config");
    }
    // The server is still up and well.
    assert_eq!(server.get("/ethics/").status, 200);
}

#[test]
fn many_concurrent_requests_are_all_answered() {
    const CONNECTIONS: usize = 64;
    const REQUESTS: usize = 20_000;
    let server = Server::start(fixture("basic"));
    let paths = [
        "/ethics/",
        "/ethics/guidance/",
        "/ethics/guidance/open-data-guide/",
        "/ethics/style.css",
        "/ethics/feed.xml",
        "/ethics/files/probe.wasm",
        "/ethics/resources.json",
        "/ethics/principles/fairness/",
    ];
    let started = Instant::now();
    let workers: Vec<_> = (0..CONNECTIONS)
        .map(|worker| {
            let address = server.address;
            thread::spawn(move || {
                let stream = TcpStream::connect_timeout(&address, WAIT).expect("connects");
                stream.set_read_timeout(Some(WAIT)).unwrap();
                let mut writer = stream.try_clone().unwrap();
                let mut reader = BufReader::new(stream);
                let mut ok = 0;
                for i in (worker..REQUESTS).step_by(CONNECTIONS) {
                    let path = paths[i % paths.len()];
                    let head = format!("GET {path} HTTP/1.1\r\nHost: {address}\r\n\r\n");
                    writer.write_all(head.as_bytes()).unwrap();
                    let reply = read_reply(&mut reader, false);
                    assert_eq!(reply.status, 200, "{path}");
                    assert!(!reply.body.is_empty(), "{path}");
                    ok += 1;
                }
                ok
            })
        })
        .collect();
    let answered: usize = workers
        .into_iter()
        .map(|w| w.join().expect("a worker finished"))
        .sum();
    let elapsed = started.elapsed();
    assert_eq!(answered, REQUESTS);
    eprintln!(
        "{REQUESTS} requests over {CONNECTIONS} connections in {:.2} s ({:.0} requests/s)",
        elapsed.as_secs_f64(),
        REQUESTS as f64 / elapsed.as_secs_f64()
    );
}

#[test]
fn static_well_known_is_served_and_its_edits_rebuild() {
    let dir = fixture("basic");
    let file = dir
        .path()
        .join("collection/static/.well-known/security.txt");
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::write(&file, "Contact: mailto:a@example.org\n").unwrap();
    let server = Server::start(dir);
    let asked = "/ethics/.well-known/security.txt";
    let reply = server.get(asked);
    assert_eq!(reply.status, 200, "{}", server.log());
    assert_eq!(reply.text(), "Contact: mailto:a@example.org\n");
    std::fs::write(&file, "Contact: mailto:b@example.org\n").unwrap();
    server.wait_for(asked, "the edited security.txt", |reply| {
        reply.text() == "Contact: mailto:b@example.org\n"
    });
}
