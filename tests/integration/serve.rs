//! `almanac serve` end to end: the real binary on a free loopback port, serving a
//! temporary copy of tests/fixtures/serve/basic (published under `/ethics/`), asked
//! with a small raw HTTP/1.1 client, since ordinary clients tidy up the hostile paths
//! these tests must send as they are. Every wait is bounded in time.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use super::support;

const WAIT: Duration = Duration::from_secs(30);

/// A running server; stopped (killed) when dropped.
struct Server {
    child: Child,
    address: SocketAddr,
    log: Arc<Mutex<String>>,
    _dir: Option<tempfile::TempDir>,
    root: PathBuf,
}

impl Server {
    fn start(dir: tempfile::TempDir) -> Server {
        let root = dir.path().join("collection");
        let mut server = Server::start_at(&root);
        server._dir = Some(dir);
        server
    }

    fn start_at(root: &Path) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_almanac"))
            .args(["serve", "--port", "0", "--root"])
            .arg(root)
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the almanac binary starts");
        let stderr = child.stderr.take().expect("stderr is piped");
        let log = Arc::new(Mutex::new(String::new()));
        {
            let log = log.clone();
            thread::spawn(move || {
                for line in BufReader::new(stderr).lines() {
                    let Ok(line) = line else { break };
                    let mut log = log.lock().unwrap();
                    log.push_str(&line);
                    log.push('\n');
                }
            });
        }
        let started = Instant::now();
        let address = loop {
            let text = log.lock().unwrap().clone();
            if let Some(at) = text.find("http://127.0.0.1:") {
                let rest = &text[at + "http://".len()..];
                let end = rest.find('/').unwrap();
                break rest[..end].parse().unwrap();
            }
            assert!(
                started.elapsed() < WAIT,
                "the server did not start:\n{text}"
            );
            thread::sleep(Duration::from_millis(20));
        };
        Server {
            child,
            address,
            log,
            _dir: None,
            root: root.to_path_buf(),
        }
    }

    fn get(&self, path: &str) -> Reply {
        request(self.address, "GET", path, &[])
    }

    fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    /// The server's output once it has printed `line` (it reports a rebuild just
    /// after telling the tabs).
    fn log_once(&self, line: &str) -> String {
        let started = Instant::now();
        loop {
            let log = self.log();
            if log.contains(line) {
                return log;
            }
            assert!(started.elapsed() < WAIT, "no `{line}` in:\n{log}");
            thread::sleep(Duration::from_millis(20));
        }
    }

    /// Polls `path` until `done` holds for the reply.
    fn wait_for(&self, path: &str, what: &str, done: impl Fn(&Reply) -> bool) -> Reply {
        let started = Instant::now();
        loop {
            let reply = self.get(path);
            if done(&reply) {
                return reply;
            }
            assert!(
                started.elapsed() < WAIT,
                "waited in vain for {what} at {path}; server said:\n{}",
                self.log()
            );
            thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn fixture() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary folder");
    support::copy_dir(
        &support::fixture_path("serve/basic"),
        &dir.path().join("collection"),
    );
    dir
}

struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// One request on a fresh connection, the path sent exactly as given.
fn request(address: SocketAddr, method: &str, path: &str, headers: &[(&str, &str)]) -> Reply {
    let mut stream = TcpStream::connect_timeout(&address, WAIT).expect("connects");
    stream.set_read_timeout(Some(WAIT)).unwrap();
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n");
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).unwrap();
    let mut reader = BufReader::new(stream);
    read_reply(&mut reader, method == "HEAD")
}

/// Reads one response; the body by its Content-Length (or to the end).
fn read_reply(reader: &mut impl BufRead, head_only: bool) -> Reply {
    let mut status_line = String::new();
    reader.read_line(&mut status_line).expect("a status line");
    let status: u16 = status_line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("not an HTTP status line: {status_line:?}"));
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).expect("a header line");
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            headers.push((name.trim().to_string(), value.trim().to_string()));
        }
    }
    let mut reply = Reply {
        status,
        headers,
        body: Vec::new(),
    };
    if head_only || status == 304 {
        return reply;
    }
    match reply
        .header("content-length")
        .and_then(|v| v.parse::<usize>().ok())
    {
        Some(len) => {
            let mut body = vec![0; len];
            reader.read_exact(&mut body).expect("the whole body");
            reply.body = body;
        }
        None => {
            reader.read_to_end(&mut reply.body).expect("the body");
        }
    }
    reply
}

/// The live-reload event stream, read on a thread into a growing text.
struct Events {
    text: Arc<Mutex<String>>,
}

impl Events {
    fn open(address: SocketAddr) -> Events {
        let mut stream = TcpStream::connect_timeout(&address, WAIT).expect("connects");
        stream.set_read_timeout(Some(WAIT)).unwrap();
        let head = format!(
            "GET /__almanac/events HTTP/1.1\r\nHost: {address}\r\nAccept: text/event-stream\r\n\r\n"
        );
        stream.write_all(head.as_bytes()).unwrap();
        let text = Arc::new(Mutex::new(String::new()));
        {
            let text = text.clone();
            thread::spawn(move || {
                let mut buffer = [0u8; 4096];
                while let Ok(n) = stream.read(&mut buffer) {
                    if n == 0 {
                        break;
                    }
                    text.lock()
                        .unwrap()
                        .push_str(&String::from_utf8_lossy(&buffer[..n]));
                }
            });
        }
        let events = Events { text };
        events.wait_for("event: hello", 1);
        events
    }

    fn count(&self, line: &str) -> usize {
        self.text.lock().unwrap().matches(line).count()
    }

    /// Waits until `line` has been seen `times` times; returns the whole stream so far.
    fn wait_for(&self, line: &str, times: usize) -> String {
        let started = Instant::now();
        while self.count(line) < times {
            assert!(
                started.elapsed() < WAIT,
                "no `{line}` (#{times}) in the event stream:\n{}",
                self.text.lock().unwrap()
            );
            thread::sleep(Duration::from_millis(10));
        }
        self.text.lock().unwrap().clone()
    }
}

#[test]
fn serves_the_built_site_like_a_static_host() {
    let server = Server::start(fixture());

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
    let again = request(
        server.address,
        "GET",
        "/ethics/",
        &[("If-None-Match", &etag)],
    );
    assert_eq!(again.status, 304);
    assert!(again.body.is_empty());
    assert_eq!(again.header("etag"), Some(etag.as_str()));
    let since = request(
        server.address,
        "GET",
        "/ethics/",
        &[("If-Modified-Since", &modified)],
    );
    assert_eq!(since.status, 304);
    let other = request(
        server.address,
        "GET",
        "/ethics/",
        &[("If-None-Match", "\"nope\"")],
    );
    assert_eq!(other.status, 200);
    let wasm = server.get("/ethics/files/probe.wasm");
    let wasm_etag = wasm
        .header("etag")
        .expect("an ETag for a copied file")
        .to_string();
    let wasm_again = request(
        server.address,
        "GET",
        "/ethics/files/probe.wasm",
        &[("If-None-Match", &wasm_etag)],
    );
    assert_eq!(wasm_again.status, 304);

    // HEAD: the same headers, no body.
    let head = request(server.address, "HEAD", "/ethics/", &[]);
    assert_eq!(head.status, 200);
    assert_eq!(
        head.header("content-length"),
        Some(home.body.len().to_string().as_str())
    );
    assert_eq!(head.header("etag"), Some(etag.as_str()));

    // Ranges, from memory and from disk.
    let part = request(
        server.address,
        "GET",
        "/ethics/",
        &[("Range", "bytes=0-14")],
    );
    assert_eq!(part.status, 206);
    assert_eq!(part.body, &home.body[..15]);
    assert_eq!(
        part.header("content-range"),
        Some(format!("bytes 0-14/{}", home.body.len()).as_str())
    );
    let tail = request(
        server.address,
        "GET",
        "/ethics/files/probe.wasm",
        &[("Range", "bytes=-4")],
    );
    assert_eq!(tail.status, 206);
    assert_eq!(tail.body, b"\x01\0\0\0");
    assert_eq!(tail.header("content-range"), Some("bytes 4-7/8"));
    let beyond = request(
        server.address,
        "GET",
        "/ethics/files/probe.wasm",
        &[("Range", "bytes=8-")],
    );
    assert_eq!(beyond.status, 416);
    assert_eq!(beyond.header("content-range"), Some("bytes */8"));
    let stale = request(
        server.address,
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

    let post = request(server.address, "POST", "/ethics/", &[]);
    assert_eq!(post.status, 405);
    assert_eq!(post.header("allow"), Some("GET, HEAD"));

    // Serving writes nothing: no output folder appears.
    assert!(!server.root.join("site").exists());
}

#[test]
fn hostile_paths_never_leave_the_site() {
    let dir = fixture();
    let secret = "SECRET-OUTSIDE-THE-SITE";
    std::fs::write(dir.path().join("secret.txt"), secret).unwrap();
    std::fs::write(dir.path().join("collection/notes.txt"), secret).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(
        dir.path().join("secret.txt"),
        dir.path().join("collection/static/files/leak.txt"),
    )
    .unwrap();
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
fn edits_reload_and_broken_edits_keep_the_last_good_site() {
    let server = Server::start(fixture());
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
    let dir = fixture();
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
    let mut server = Server::start(fixture());
    let _events = Events::open(server.address);
    let status = Command::new("kill")
        .args(["-INT", &server.child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success());
    let started = Instant::now();
    let exit = loop {
        if let Some(exit) = server.child.try_wait().unwrap() {
            break exit;
        }
        assert!(
            started.elapsed() < WAIT,
            "the server did not stop:\n{}",
            server.log()
        );
        thread::sleep(Duration::from_millis(20));
    };
    assert!(exit.success(), "{exit:?}\n{}", server.log());
}

#[test]
fn many_concurrent_requests_are_all_answered() {
    const CONNECTIONS: usize = 64;
    const REQUESTS: usize = 20_000;
    let server = Server::start(fixture());
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

/// The index file a served search page names (`data-index-url`).
fn index_url(search_page: &str) -> Option<String> {
    let at = search_page.find("data-index-url=\"")? + "data-index-url=\"".len();
    let end = search_page[at..].find('"')?;
    Some(search_page[at..at + end].to_string()).filter(|url| !url.is_empty())
}

/// Titles the served search index finds for `query`.
fn search_titles(server: &Server, query: &str) -> Vec<String> {
    let page = server.get("/ethics/search/").text();
    let Some(url) = index_url(&page) else {
        return Vec::new();
    };
    let index = server.get(&url);
    if index.status != 200 {
        return Vec::new();
    }
    let searcher = almanac_search::Searcher::open_owned(
        almanac_search::inflate(&index.body).expect("a deflated index"),
    )
    .expect("a readable index");
    let request = almanac_search::Request {
        query: query.to_string(),
        ..Default::default()
    };
    // As the search page does: fetch the chunks each try asks for, beside the hot file.
    let chunks = url.trim_end_matches(".bin").to_string();
    loop {
        match searcher.try_search(&request) {
            Ok(response) => return response.hits.into_iter().map(|hit| hit.title).collect(),
            Err(almanac_search::Error::NeedChunks(needed)) => {
                for number in needed {
                    let chunk = server.get(&format!("{chunks}/{number}.bin"));
                    if chunk.status != 200 {
                        return Vec::new();
                    }
                    searcher
                        .add_chunk(
                            number,
                            almanac_search::inflate(&chunk.body).expect("a deflated chunk"),
                        )
                        .expect("a chunk of the index");
                }
            }
            Err(error) => panic!("the served index cannot be searched: {error}"),
        }
    }
}

/// Rewrites a file of the served collection by a text replacement (which must apply).
fn edit(root: &Path, rel: &str, from: &str, to: &str) {
    let path = root.join(rel);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "`{from}` is not in {rel}");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn an_edit_reaches_every_page_that_shows_the_entry() {
    let server = Server::start(fixture());
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
    let started = Instant::now();
    while !search_titles(&server, "handbook").contains(&"Open Data Handbook".to_string()) {
        assert!(
            started.elapsed() < WAIT,
            "the search never found the new title; server said:\n{}",
            server.log()
        );
        thread::sleep(Duration::from_millis(50));
    }
    assert!(!search_titles(&server, "guide").contains(&"Open Data Guide".to_string()));
}

#[test]
fn a_new_search_index_drops_all_but_the_previous_one() {
    let server = Server::start(fixture());
    let rel = "content/guidance/open-data-guide.md";
    let current = || index_url(&server.get("/ethics/search/").text()).expect("an index");
    // A chunk file of `index`: one its first search asks for.
    let chunk = |index: &str| {
        let hot = server.get(index);
        assert_eq!(hot.status, 200, "{index}");
        let searcher = almanac_search::Searcher::open_owned(
            almanac_search::inflate(&hot.body).expect("a deflated index"),
        )
        .expect("an index");
        match searcher.try_search(&almanac_search::Request::new("data")) {
            Err(almanac_search::Error::NeedChunks(needed)) => {
                format!("{}/{}.bin", index.trim_end_matches(".bin"), needed[0])
            }
            other => panic!("a search of the hot file alone needs chunks: {other:?}"),
        }
    };
    let mut indexes = vec![current()];
    let mut chunks = vec![chunk(&indexes[0])];
    assert_eq!(server.get(&chunks[0]).status, 200);
    for (from, to) in [
        ("title: Open Data Guide", "title: Open Data Handbook"),
        ("title: Open Data Handbook", "title: Open Data Manual"),
    ] {
        edit(&server.root, rel, from, to);
        let before = indexes.last().unwrap().clone();
        let reply = server.wait_for("/ethics/search/", "a new search index", |reply| {
            index_url(&reply.text()).is_some_and(|url| url != before)
        });
        let index = index_url(&reply.text()).unwrap();
        chunks.push(chunk(&index));
        indexes.push(index);
    }
    // A tab opened before the last index still finds the chunks of its own.
    assert_eq!(server.get(&chunks[1]).status, 200, "{}", chunks[1]);
    assert_eq!(server.get(&indexes[2]).status, 200);
    assert_eq!(server.get(&chunks[2]).status, 200);
    // Older ones are gone, not kept in memory for the rest of the session.
    assert_eq!(server.get(&indexes[0]).status, 404);
    assert_eq!(server.get(&chunks[0]).status, 404, "{}", chunks[0]);
}

/// A fixture copy with more to it: pagination, an open vocabulary, a matrix, and a
/// dozen resources, so edits move entries between pages, terms and cells.
fn rich_fixture() -> tempfile::TempDir {
    let dir = fixture();
    let root = dir.path().join("collection");
    let config = support::read(&root, "almanac.yaml")
        .replace(
            "glossary: { autolink: true }",
            "glossary: { autolink: true }\npaginate_by: 3\nmatrix: { rows: principles, columns: type }",
        )
        .replace(
            "      fairness: { label: Fairness }",
            "      fairness: { label: Fairness }\n  - name: topics\n    label: Topics",
        );
    support::write(&root, "almanac.yaml", &config);
    // Site templates that override the theme's, to edit.
    let theme = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates");
    for name in ["resource.html", "partials/pagination.html"] {
        let text = std::fs::read_to_string(theme.join(name)).unwrap();
        support::write(&root, &format!("templates/{name}"), &text);
    }
    support::write(
        &root,
        "content/about.md",
        "---\ntitle: About\n---\nWho keeps the collection.\n",
    );
    let topics = ["data", "AI", "services"];
    for n in 0..12 {
        let principles = ["[fairness]", "[transparency]", "[fairness, transparency]"][n % 3];
        let kind = ["guidance", "tool"][n % 2];
        let related = if n % 4 == 0 {
            "related: [guidance/open-data-guide.md]\n"
        } else {
            ""
        };
        support::write(
            &root,
            &format!("content/guidance/note-{n:02}.md"),
            &format!(
                "---\ntitle: Note {n:02} on practice\nsummary: Summary {n}.\npublished: 2020-{:02}\ntype: {kind}\nprinciples: {principles}\ntopics: [{}]\n{related}---\nBody of note {n} about transparency.\n",
                n + 1,
                topics[n % 3],
            ),
        );
    }
    dir
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

#[test]
fn the_served_site_after_edits_equals_a_fresh_build() {
    let dir = rich_fixture();
    let root = dir.path().join("collection");
    let before = dir.path().join("before");
    let run = support::almanac(
        dir.path(),
        &["build", "--root", "collection", "--output", "before"],
    );
    assert_eq!(run.status, 0, "{}", run.stderr);
    let server = Server::start(dir);
    let events = Events::open(server.address);
    // One save may come as two batches (two reloads): wait for the first, then until
    // no more come, so that each step's rebuild sees that step's edits only.
    let step = |what: &dyn Fn()| {
        let seen = events.count("event: reload");
        what();
        events.wait_for("event: reload", seen + 1);
        let mut last = events.count("event: reload");
        loop {
            thread::sleep(Duration::from_millis(300));
            let now = events.count("event: reload");
            if now == last {
                break;
            }
            last = now;
        }
    };
    // A title that moves the entry from the first page of its lists to the last.
    step(&|| {
        edit(
            &root,
            "content/guidance/note-00.md",
            "title: Note 00",
            "title: Zz Note 00",
        )
    });
    // A term that moves the entry between term pages, counts and matrix cells.
    step(&|| {
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
    step(&|| {
        support::write(
            &root,
            "content/tools/new-tool.md",
            "---\ntitle: New Tool\nsummary: Just added.\ntype: tool\nprinciples: [fairness]\ntopics: [AI]\n---\nNew.\n",
        )
    });
    same_as_built(&server, &root, "a file added");
    step(&|| std::fs::remove_file(root.join("content/guidance/note-07.md")).unwrap());
    same_as_built(&server, &root, "a file removed");
    // The first file to use an open term (which labels it) goes.
    step(&|| std::fs::remove_file(root.join("content/guidance/note-00.md")).unwrap());
    same_as_built(&server, &root, "the first file of a term removed");
    step(&|| {
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
    step(&|| {
        support::write(
            &root,
            "content/tools/later-tool.md",
            "---\ntitle: Later Tool\ntype: tool\nprinciples: [fairness]\n---\nLater, about accountability.\n",
        )
    });
    same_as_built(&server, &root, "a linked file added");
    step(&|| {
        edit(
            &root,
            "content/guidance/_index.md",
            "Advice on acting well.",
            "Advice.",
        )
    });
    same_as_built(&server, &root, "a section's text");
    // A section's title: in the menu of every page, and it orders the subsections.
    step(&|| {
        edit(
            &root,
            "content/tools/_index.md",
            "title: Tools",
            "title: Aa Tools",
        )
    });
    same_as_built(&server, &root, "a section's title");
    step(&|| {
        edit(
            &root,
            "content/glossary/transparency.md",
            "title: Transparency",
            "title: Transparency\nsynonyms: [accountability]",
        )
    });
    same_as_built(&server, &root, "a glossary synonym added");
    step(&|| {
        edit(
            &root,
            "content/glossary/transparency.md",
            "title: Transparency",
            "title: Openness",
        )
    });
    same_as_built(&server, &root, "a glossary title changed");
    // Back to the short path after the full ones. The body alone; and a date, which orders home's newest and the feed.
    step(&|| {
        edit(
            &root,
            "content/guidance/note-02.md",
            "Body of note",
            "New body of note",
        )
    });
    step(&|| {
        edit(
            &root,
            "content/guidance/note-03.md",
            "published: 2020-04",
            "published: 2025-01",
        )
    });
    // An open vocabulary's term that others use too; a related entry's title.
    step(&|| {
        edit(
            &root,
            "content/guidance/note-04.md",
            "topics: [AI]",
            "topics: [data]",
        )
    });
    step(&|| {
        edit(
            &root,
            "content/guidance/open-data-guide.md",
            "title: Open Data Guide",
            "title: Open Data Manual",
        )
    });
    // Two files in one save.
    step(&|| {
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
    step(&|| {
        edit(
            &root,
            "content/guidance/note-08.md",
            "title: Note 08",
            "title: B Note 08",
        )
    });
    // The newest resource, shown on home.
    step(&|| {
        edit(
            &root,
            "content/guidance/note-03.md",
            "title: Note 03",
            "title: C Note 03",
        )
    });
    // A plain page at the top.
    step(&|| edit(&root, "content/about.md", "title: About", "title: About us"));
    // Templates: the pages that use them, directly or through another.
    step(&|| {
        edit(
            &root,
            "templates/resource.html",
            "{% block main %}",
            "{% block main %}<p>Edited resource template</p>",
        )
    });
    step(&|| {
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
