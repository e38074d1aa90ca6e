//! The harness of the `almanac serve` tests: the real binary started on a free
//! loopback port over a temporary copy of a fixture under tests/fixtures/serve,
//! a small raw HTTP/1.1 client (ordinary clients tidy up the hostile paths the
//! tests must send as they are), the live-reload event stream, and waits that
//! are all bounded in time.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use crate::support;

pub const WAIT: Duration = Duration::from_secs(30);

/// A running server; stopped (killed) when dropped.
pub struct Server {
    pub child: Child,
    pub address: SocketAddr,
    log: Arc<Mutex<String>>,
    /// The collection served, `collection` in the temporary folder.
    pub root: PathBuf,
    _dir: tempfile::TempDir,
}

impl Server {
    /// Serves the `collection` folder of `dir` (a [`fixture`]), which lives as
    /// long as the server.
    pub fn start(dir: tempfile::TempDir) -> Server {
        let root = dir.path().join("collection");
        let mut child = Command::new(env!("CARGO_BIN_EXE_almanac"))
            .args(["serve", "--port", "0", "--root"])
            .arg(&root)
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
        let text = || log.lock().unwrap().clone();
        let address = poll(
            Duration::from_millis(20),
            || {
                let text = text();
                let at = text.find("http://127.0.0.1:")?;
                let rest = &text[at + "http://".len()..];
                let end = rest.find('/').unwrap();
                Some(rest[..end].parse().unwrap())
            },
            || format!("the server did not start:\n{}", text()),
        );
        Server {
            child,
            address,
            log,
            root,
            _dir: dir,
        }
    }

    pub fn get(&self, path: &str) -> Reply {
        self.request("GET", path, &[])
    }

    /// One request on a fresh connection, the path sent exactly as given.
    pub fn request(&self, method: &str, path: &str, headers: &[(&str, &str)]) -> Reply {
        let address = self.address;
        let mut stream = TcpStream::connect_timeout(&address, WAIT).expect("connects");
        stream.set_read_timeout(Some(WAIT)).unwrap();
        let mut head = format!("{method} {path} HTTP/1.1\r\nConnection: close\r\n");
        // The server's own address unless the test names another host.
        if !headers.iter().any(|(n, _)| n.eq_ignore_ascii_case("host")) {
            head.push_str(&format!("Host: {address}\r\n"));
        }
        for (name, value) in headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("\r\n");
        stream.write_all(head.as_bytes()).unwrap();
        let mut reader = BufReader::new(stream);
        read_reply(&mut reader, method == "HEAD")
    }

    pub fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    /// The server's output once it has printed `line` (it reports a rebuild just
    /// after telling the tabs).
    pub fn log_once(&self, line: &str) -> String {
        poll(
            Duration::from_millis(20),
            || Some(self.log()).filter(|log| log.contains(line)),
            || format!("no `{line}` in:\n{}", self.log()),
        )
    }

    /// Polls `path` until `done` holds for the reply.
    pub fn wait_for(&self, path: &str, what: &str, done: impl Fn(&Reply) -> bool) -> Reply {
        poll(
            Duration::from_millis(50),
            || Some(self.get(path)).filter(|reply| done(reply)),
            || {
                format!(
                    "waited in vain for {what} at {path}; server said:\n{}",
                    self.log()
                )
            },
        )
    }

    /// The server's exit status, once it has stopped.
    pub fn exit_status(&mut self) -> ExitStatus {
        let log = self.log.clone();
        poll(
            Duration::from_millis(20),
            || self.child.try_wait().unwrap(),
            || format!("the server did not stop:\n{}", log.lock().unwrap()),
        )
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A temporary copy of tests/fixtures/serve/<case> in its `collection` folder,
/// leaving room beside it for what a test puts outside the collection.
pub fn fixture(case: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary folder");
    support::copy_dir(
        &support::fixture_path(&format!("serve/{case}")),
        &dir.path().join("collection"),
    );
    dir
}

pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Reads one response; the body by its Content-Length (or to the end).
pub fn read_reply(reader: &mut impl BufRead, head_only: bool) -> Reply {
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
pub struct Events {
    text: Arc<Mutex<String>>,
}

impl Events {
    pub fn open(address: SocketAddr) -> Events {
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

    pub fn count(&self, line: &str) -> usize {
        self.text.lock().unwrap().matches(line).count()
    }

    /// Waits until `line` has been seen `times` times; returns the whole stream so far.
    pub fn wait_for(&self, line: &str, times: usize) -> String {
        poll(
            Duration::from_millis(10),
            || (self.count(line) >= times).then(|| self.text.lock().unwrap().clone()),
            || {
                format!(
                    "no `{line}` (#{times}) in the event stream:\n{}",
                    self.text.lock().unwrap()
                )
            },
        )
    }

    /// Makes `change` and waits for the reload it causes and for any that follow
    /// it: one save may come as two batches (two reloads), and the next change
    /// must meet a rebuild that has seen this one's edits only.
    pub fn settled_after(&self, change: impl FnOnce()) {
        let seen = self.count("event: reload");
        change();
        self.wait_for("event: reload", seen + 1);
        let mut last = self.count("event: reload");
        loop {
            thread::sleep(Duration::from_millis(300));
            let now = self.count("event: reload");
            if now == last {
                break;
            }
            last = now;
        }
    }
}

/// Tries `attempt` every `every` until it gives a value, and fails with `why()`
/// once [`WAIT`] has passed: no wait in these tests is unbounded.
pub fn poll<T>(
    every: Duration,
    mut attempt: impl FnMut() -> Option<T>,
    why: impl Fn() -> String,
) -> T {
    let started = Instant::now();
    loop {
        if let Some(value) = attempt() {
            return value;
        }
        assert!(started.elapsed() < WAIT, "{}", why());
        thread::sleep(every);
    }
}

/// The index file a served search page names (its `data-search-index` link).
pub fn index_url(search_page: &str) -> Option<String> {
    let link = search_page.split("<link ").find(|tag| {
        tag.split('>')
            .next()
            .is_some_and(|t| t.contains("data-search-index"))
    })?;
    let at = link.find("href=\"")? + "href=\"".len();
    let end = link[at..].find('"')?;
    Some(link[at..at + end].to_string()).filter(|url| !url.is_empty())
}

/// Titles the served search index finds for `query`.
pub fn search_titles(server: &Server, query: &str) -> Vec<String> {
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
