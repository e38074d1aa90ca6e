//! A web server on this computer for the link checks: each path answers as a test
//! says (a status, headers, a body, a delay), and what was asked is counted.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// What a test server saw: requests per path, the User-Agents, and the most
/// requests it was answering at once.
#[derive(Default)]
pub struct Seen {
    pub requests: Mutex<BTreeMap<String, usize>>,
    pub agents: Mutex<Vec<String>>,
    pub busy: AtomicUsize,
    pub most_busy: AtomicUsize,
}

impl Seen {
    pub fn count(&self, path: &str) -> usize {
        self.requests
            .lock()
            .unwrap()
            .get(path)
            .copied()
            .unwrap_or(0)
    }
}

pub struct Answer {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: String,
    pub delay: Duration,
}

pub fn answer(status: u16) -> Answer {
    Answer {
        status,
        headers: Vec::new(),
        body: String::new(),
        delay: Duration::ZERO,
    }
}

pub fn redirect(status: u16, to: &str) -> Answer {
    Answer {
        headers: vec![("Location", to.to_string())],
        ..answer(status)
    }
}

/// Starts a server on a free local port that answers with `route(method, path)`;
/// gives its address (`http://127.0.0.1:PORT`) and what it saw. Each connection
/// gets a thread, so slow answers do not hold the others up.
pub fn server(route: impl Fn(&str, &str) -> Answer + Send + Sync + 'static) -> (String, Arc<Seen>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Seen::default());
    let route = Arc::new(route);
    let shared = seen.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let (route, seen) = (route.clone(), shared.clone());
            std::thread::spawn(move || handle(stream, &*route, &seen));
        }
    });
    (address, seen)
}

fn handle(stream: TcpStream, route: &dyn Fn(&str, &str) -> Answer, seen: &Seen) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() {
        return;
    }
    let mut parts = line.split_whitespace();
    let (method, path) = (
        parts.next().unwrap_or("").to_string(),
        parts.next().unwrap_or("").to_string(),
    );
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).unwrap_or(0) == 0 || header.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':')
            && name.eq_ignore_ascii_case("user-agent")
        {
            seen.agents.lock().unwrap().push(value.trim().to_string());
        }
    }
    let now = seen.busy.fetch_add(1, Ordering::SeqCst) + 1;
    seen.most_busy.fetch_max(now, Ordering::SeqCst);
    let bare = path.split('?').next().unwrap_or("").to_string();
    *seen.requests.lock().unwrap().entry(bare).or_default() += 1;
    let answer = route(&method, &path);
    std::thread::sleep(answer.delay);
    seen.busy.fetch_sub(1, Ordering::SeqCst);
    let mut out = format!(
        "HTTP/1.1 {} X\r\nContent-Length: {}\r\nConnection: close\r\n",
        answer.status,
        answer.body.len()
    );
    for (name, value) in &answer.headers {
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    out.push_str("\r\n");
    if method != "HEAD" {
        out.push_str(&answer.body);
    }
    let mut stream = stream;
    let _ = stream.write_all(out.as_bytes());
}
