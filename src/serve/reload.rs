//! Live reload: the script and overlay style served at reserved paths, the `<script>`
//! tag added to served HTML (never to files on disk), the server-sent event stream
//! the script listens to, and the page shown while no build has succeeded.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use futures_util::Stream;
use tokio::sync::broadcast;

use super::{Event, State};
use crate::diagnostics::Diagnostic;

/// Reserved paths, outside any site's base path.
pub const SCRIPT_PATH: &str = "/__almanac/reload.js";
pub const STYLE_PATH: &str = "/__almanac/overlay.css";
pub const EVENTS_PATH: &str = "/__almanac/events";

pub const SCRIPT: &str = include_str!("assets/reload.js");
pub const STYLE: &str = include_str!("assets/overlay.css");

/// An external script, because the theme's Content-Security-Policy allows no inline one.
const TAG: &str = "<script src=\"/__almanac/reload.js\" defer></script>";

/// Adds the reload script to an HTML page: before `</head>`, else before the last
/// `</body>`, else at the end.
pub fn inject(html: Vec<u8>) -> Vec<u8> {
    let at = find(&html, b"</head>")
        .or_else(|| rfind(&html, b"</body>"))
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + TAG.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(TAG.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
}

fn rfind(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .rposition(|w| w.eq_ignore_ascii_case(needle))
}

/// The event stream of one tab: `hello` first, the current problems if there are
/// any, then every event until the server stops.
pub fn events(state: Arc<State>) -> Sse<impl Stream<Item = Result<SseEvent, Infallible>>> {
    let hello = SseEvent::default()
        .event("hello")
        .retry(Duration::from_millis(500))
        .data(format!("{{\"instance\":\"{}\"}}", state.instance));
    let mut first = vec![hello];
    // Subscribe before reading the problems, so nothing falls between the two.
    let receiver = state.events.subscribe();
    if let Some(problems) = state.problems() {
        first.push(SseEvent::default().event("error").data(problems));
    }
    let stopping = state.stopping.clone();
    let initial = futures_util::stream::iter(first.into_iter().map(Ok));
    let live = futures_util::stream::unfold(
        (receiver, stopping),
        |(mut receiver, mut stopping)| async move {
            loop {
                if *stopping.borrow() {
                    return None;
                }
                tokio::select! {
                    received = receiver.recv() => match received {
                        Ok(event) => return Some((Ok(to_sse(event)), (receiver, stopping))),
                        // Too slow to keep up: a reload brings the tab up to date.
                        Err(broadcast::error::RecvError::Lagged(_)) => {
                            return Some((Ok(to_sse(Event::Reload)), (receiver, stopping)));
                        }
                        Err(broadcast::error::RecvError::Closed) => return None,
                    },
                    changed = stopping.changed() => if changed.is_err() { return None },
                }
            }
        },
    );
    use futures_util::StreamExt;
    Sse::new(initial.chain(live)).keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}

fn to_sse(event: Event) -> SseEvent {
    match event {
        Event::Reload => SseEvent::default().event("reload").data("{}"),
        Event::Error(json) => SseEvent::default().event("error").data(json),
        Event::Ok => SseEvent::default().event("ok").data("{}"),
        Event::Index => SseEvent::default().event("index").data("{}"),
    }
}

/// The page served for every path while no build has succeeded yet. The overlay
/// shows the problems too; this text is for when scripts do not run.
pub fn failed_page(problems: &[Diagnostic]) -> String {
    let mut items = String::new();
    for problem in problems {
        items.push_str("<li><code>");
        items.push_str(&escape(crate::diagnostics::plain_line(problem).trim_end()));
        items.push_str("</code>");
        if let Some(help) = &problem.help {
            items.push_str("<p>Help: ");
            items.push_str(&escape(help));
            items.push_str("</p>");
        }
        items.push_str("</li>");
    }
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>The site could not be built</title>\
         <link rel=\"stylesheet\" href=\"{STYLE_PATH}\">{TAG}</head>\
         <body><main class=\"almanac-overlay\" role=\"alert\"><h1>The site could not be built</h1>\
         <p>Fix the problems below and save; this page reloads by itself.</p><ol>{items}</ol></main></body></html>\n"
    )
}

fn escape(text: &str) -> String {
    crate::markdown::escape_html(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_script_goes_into_the_head() {
        let html = b"<html><head><title>x</title></head><body></body></html>".to_vec();
        let out = String::from_utf8(inject(html)).unwrap();
        assert_eq!(
            out,
            format!("<html><head><title>x</title>{TAG}</head><body></body></html>")
        );
        let bare = String::from_utf8(inject(b"<p>hi</p>".to_vec())).unwrap();
        assert_eq!(bare, format!("<p>hi</p>{TAG}"));
    }

    #[test]
    fn problems_are_escaped_on_the_failed_page() {
        let page = failed_page(&[Diagnostic::error("x", "a <b> & c")]);
        assert!(page.contains("a &lt;b&gt; &amp; c"));
        assert!(!page.contains("<b>"));
    }
}
