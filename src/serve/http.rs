//! HTTP: the reserved live-reload paths, and the site itself from the current
//! snapshot under its base path, the way a static host serves it (`index.html` for
//! folders, `/dir` → `/dir/`, the site's `404.html`), with validators and 304s,
//! HEAD, single byte ranges, and `Cache-Control: no-cache` so edits always show.

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::State as Extract;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use super::State;
use super::reload;
use super::request_path::{self, SitePath};
use super::site::{self, Served, Snapshot};

pub fn router(state: Arc<State>) -> Router {
    Router::new()
        .route(reload::SCRIPT_PATH, get(script))
        .route(reload::STYLE_PATH, get(style))
        .route(reload::EVENTS_PATH, get(events))
        .fallback(site_file)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            super::guard::hosts,
        ))
        .with_state(state)
}

async fn script(headers: HeaderMap) -> Response {
    let bytes = Bytes::from_static(reload::SCRIPT.as_bytes());
    respond(
        &headers,
        true,
        bytes,
        "text/javascript; charset=utf-8",
        None,
        None,
    )
}

async fn style(headers: HeaderMap) -> Response {
    let bytes = Bytes::from_static(reload::STYLE.as_bytes());
    respond(&headers, true, bytes, "text/css; charset=utf-8", None, None)
}

async fn events(Extract(state): Extract<Arc<State>>) -> impl IntoResponse {
    ([(header::CACHE_CONTROL, "no-cache")], reload::events(state))
}

/// Every other request: a file of the site.
async fn site_file(
    Extract(state): Extract<Arc<State>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    if method != Method::GET && method != Method::HEAD {
        let mut response = plain(
            StatusCode::METHOD_NOT_ALLOWED,
            "Only GET and HEAD are served here.\n",
        );
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return response;
    }
    let snapshot = state.site();
    if let Some(problems) = &snapshot.problems {
        let page = reload::failed_page(problems);
        return with_status(
            StatusCode::SERVICE_UNAVAILABLE,
            html_response(page.into_bytes()),
        );
    }
    let path = match request_path::parse(uri.path()) {
        Ok(path) => path,
        Err(_) => {
            return plain(
                StatusCode::BAD_REQUEST,
                "This path cannot name a file of the site.\n",
            );
        }
    };
    let query = uri.query().map(|q| format!("?{q}")).unwrap_or_default();
    match locate(&snapshot, &path) {
        Located::File(file) => serve_file(&state, &headers, &file)
            .await
            .unwrap_or_else(|| not_found(&snapshot)),
        Located::Redirect(to) => redirect(&format!("{}{query}", request_path::encode(&to))),
        Located::Missing => not_found(&snapshot),
    }
}

enum Located {
    File(Arc<Served>),
    Redirect(String),
    Missing,
}

/// Maps a request path to a file of the snapshot, as a static host would.
fn locate(snapshot: &Snapshot, path: &SitePath) -> Located {
    let base: Vec<&str> = snapshot
        .base_path
        .split('/')
        .filter(|s| !s.is_empty())
        .collect();
    let inside =
        path.segments.len() >= base.len() && path.segments.iter().zip(&base).all(|(a, b)| a == b);
    if !inside {
        // `/` of a site published in a sub-folder leads there.
        if path.segments.is_empty() {
            return Located::Redirect(snapshot.base_path.clone());
        }
        return Located::Missing;
    }
    let rel = path.segments[base.len()..].join("/");
    let shown = format!("/{}", path.segments.join("/"));
    if path.dir || rel.is_empty() {
        if !path.dir {
            return Located::Redirect(format!("{shown}/"));
        }
        let key = if rel.is_empty() {
            "index.html".to_string()
        } else {
            format!("{rel}/index.html")
        };
        return snapshot
            .files
            .get(key.as_str())
            .map_or(Located::Missing, |f| Located::File(f.clone()));
    }
    if let Some(file) = snapshot.files.get(rel.as_str()) {
        return Located::File(file.clone());
    }
    if snapshot
        .files
        .contains_key(format!("{rel}/index.html").as_str())
    {
        return Located::Redirect(format!("{shown}/"));
    }
    Located::Missing
}

/// The bytes and validators of a file, then the response the request's headers call
/// for. `None` when a file to copy from disk is gone or lies outside the collection.
async fn serve_file(state: &State, headers: &HeaderMap, file: &Served) -> Option<Response> {
    match &file.body {
        site::Body::Memory(bytes) => Some(respond(
            headers,
            true,
            bytes.clone(),
            file.mime,
            file.etag.as_deref(),
            Some(file.modified),
        )),
        site::Body::Later(later) => Some(match later.get() {
            Ok((bytes, etag)) => respond(
                headers,
                true,
                bytes.clone(),
                file.mime,
                Some(etag),
                Some(file.modified),
            ),
            // The last good build's template failed on this page only now.
            Err(problems) => with_status(
                StatusCode::INTERNAL_SERVER_ERROR,
                html_response(reload::failed_page(problems).into_bytes()),
            ),
        }),
        site::Body::Disk(path) => {
            // Static files were listed with links followed, and may have changed
            // since: serve only a regular file that really lies inside the
            // collection's folder (a FIFO put in its place would never end).
            let (root, path) = (state.root.clone(), path.clone());
            let (bytes, meta) =
                tokio::task::spawn_blocking(move || crate::paths::read_inside(&root, &path))
                    .await
                    .ok()?
                    .ok()?;
            let modified = meta.modified().ok();
            let bytes = Bytes::from(bytes);
            let etag = site::etag(&bytes);
            Some(respond(
                headers,
                true,
                bytes,
                file.mime,
                Some(&etag),
                modified,
            ))
        }
    }
}

/// A 200, 206, 304 or 416 for `bytes`, following the request's conditional and
/// range headers.
fn respond(
    headers: &HeaderMap,
    ranges: bool,
    bytes: Bytes,
    mime: &str,
    etag: Option<&str>,
    modified: Option<SystemTime>,
) -> Response {
    let mut builder = Response::builder()
        .header(header::CONTENT_TYPE, mime)
        .header(header::CACHE_CONTROL, "no-cache")
        .header(header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    if let Some(etag) = etag {
        builder = builder.header(header::ETAG, etag);
    }
    let modified = modified.map(whole_seconds);
    if let Some(modified) = modified {
        builder = builder.header(header::LAST_MODIFIED, httpdate::fmt_http_date(modified));
    }
    if ranges {
        builder = builder.header(header::ACCEPT_RANGES, "bytes");
    }
    if not_modified(headers, etag, modified) {
        return finish(builder.status(StatusCode::NOT_MODIFIED).body(Body::empty()));
    }
    let len = bytes.len() as u64;
    let range = headers
        .get(header::RANGE)
        .filter(|_| ranges && if_range_holds(headers, etag, modified))
        .and_then(|v| v.to_str().ok())
        .map(|v| parse_range(v, len));
    match range {
        Some(Range::Satisfiable(start, end)) => {
            let part = bytes.slice(start as usize..=end as usize);
            finish(
                builder
                    .status(StatusCode::PARTIAL_CONTENT)
                    .header(header::CONTENT_RANGE, format!("bytes {start}-{end}/{len}"))
                    .body(Body::from(part)),
            )
        }
        Some(Range::Unsatisfiable) => finish(
            builder
                .status(StatusCode::RANGE_NOT_SATISFIABLE)
                .header(header::CONTENT_RANGE, format!("bytes */{len}"))
                .body(Body::empty()),
        ),
        Some(Range::Ignored) | None => {
            finish(builder.status(StatusCode::OK).body(Body::from(bytes)))
        }
    }
}

fn finish(response: Result<Response, axum::http::Error>) -> Response {
    // Every header above is built from known-valid text; should one not be, say so.
    response
        .unwrap_or_else(|_| (StatusCode::INTERNAL_SERVER_ERROR, "response error\n").into_response())
}

/// HTTP dates have whole seconds; validators compare at that precision.
fn whole_seconds(time: SystemTime) -> SystemTime {
    let secs = time.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    UNIX_EPOCH + Duration::from_secs(secs)
}

/// `If-None-Match` wins over `If-Modified-Since`, as RFC 9110 says.
fn not_modified(headers: &HeaderMap, etag: Option<&str>, modified: Option<SystemTime>) -> bool {
    if let Some(value) = headers.get(header::IF_NONE_MATCH) {
        let Some(etag) = etag else { return false };
        let Ok(value) = value.to_str() else {
            return false;
        };
        return value
            .split(',')
            .map(str::trim)
            .any(|tag| tag == "*" || tag.strip_prefix("W/").unwrap_or(tag) == etag);
    }
    if let (Some(value), Some(modified)) = (headers.get(header::IF_MODIFIED_SINCE), modified)
        && let Some(since) = value
            .to_str()
            .ok()
            .and_then(|v| httpdate::parse_http_date(v).ok())
    {
        return modified <= since;
    }
    false
}

/// A range applies only if `If-Range` (when sent) still names these bytes.
fn if_range_holds(headers: &HeaderMap, etag: Option<&str>, modified: Option<SystemTime>) -> bool {
    let Some(value) = headers.get(header::IF_RANGE).and_then(|v| v.to_str().ok()) else {
        return true;
    };
    if value.starts_with('"') {
        return etag == Some(value);
    }
    match (httpdate::parse_http_date(value), modified) {
        (Ok(date), Some(modified)) => date == modified,
        _ => false,
    }
}

#[derive(Debug, PartialEq, Eq)]
enum Range {
    /// First and last byte, inclusive.
    Satisfiable(u64, u64),
    Unsatisfiable,
    /// Not a single byte range we understand: send the whole file.
    Ignored,
}

fn parse_range(value: &str, len: u64) -> Range {
    let Some(spec) = value.trim().strip_prefix("bytes=") else {
        return Range::Ignored;
    };
    if spec.contains(',') {
        return Range::Ignored;
    }
    let Some((first, last)) = spec.trim().split_once('-') else {
        return Range::Ignored;
    };
    let number = |s: &str| -> Option<u64> {
        (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    match (first.is_empty(), number(first), number(last)) {
        // `bytes=-N`: the last N bytes.
        (true, _, Some(suffix)) => {
            if suffix == 0 || len == 0 {
                Range::Unsatisfiable
            } else {
                Range::Satisfiable(len.saturating_sub(suffix), len - 1)
            }
        }
        (false, Some(start), None) if last.is_empty() => {
            if start >= len {
                Range::Unsatisfiable
            } else {
                Range::Satisfiable(start, len - 1)
            }
        }
        (false, Some(start), Some(end)) if start <= end => {
            if start >= len {
                Range::Unsatisfiable
            } else {
                Range::Satisfiable(start, end.min(len - 1))
            }
        }
        _ => Range::Ignored,
    }
}

fn html_response(bytes: Vec<u8>) -> Response {
    let body = reload::inject(bytes);
    finish(
        Response::builder()
            .header(header::CONTENT_TYPE, "text/html; charset=utf-8")
            .header(header::CACHE_CONTROL, "no-cache")
            .body(Body::from(body)),
    )
}

fn with_status(status: StatusCode, mut response: Response) -> Response {
    *response.status_mut() = status;
    response
}

/// The site's own 404 page with status 404 (its script is already added).
fn not_found(snapshot: &Snapshot) -> Response {
    let later = |body: &site::Body| match body {
        site::Body::Later(later) => later.get().as_ref().ok().map(|(bytes, _)| bytes.clone()),
        _ => None,
    };
    let bytes = snapshot.files.get("404.html").and_then(|f| match &f.body {
        site::Body::Memory(bytes) => Some(bytes.clone()),
        body => later(body),
    });
    match bytes {
        Some(bytes) => finish(
            Response::builder()
                .status(StatusCode::NOT_FOUND)
                .header(header::CONTENT_TYPE, "text/html; charset=utf-8")
                .header(header::CACHE_CONTROL, "no-cache")
                .body(Body::from(bytes)),
        ),
        None => plain(StatusCode::NOT_FOUND, "Not found\n"),
    }
}

fn plain(status: StatusCode, text: &'static str) -> Response {
    finish(
        Response::builder()
            .status(status)
            .header(header::CONTENT_TYPE, "text/plain; charset=utf-8")
            .header(header::CACHE_CONTROL, "no-cache")
            .body(Body::from(text)),
    )
}

fn redirect(to: &str) -> Response {
    finish(
        Response::builder()
            .status(StatusCode::FOUND)
            .header(header::LOCATION, to)
            .header(header::CACHE_CONTROL, "no-cache")
            .body(Body::empty()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_ranges() {
        assert_eq!(parse_range("bytes=0-9", 100), Range::Satisfiable(0, 9));
        assert_eq!(parse_range("bytes=90-", 100), Range::Satisfiable(90, 99));
        assert_eq!(parse_range("bytes=-10", 100), Range::Satisfiable(90, 99));
        assert_eq!(parse_range("bytes=-500", 100), Range::Satisfiable(0, 99));
        assert_eq!(parse_range("bytes=50-500", 100), Range::Satisfiable(50, 99));
        assert_eq!(parse_range("bytes=100-", 100), Range::Unsatisfiable);
        assert_eq!(parse_range("bytes=200-300", 100), Range::Unsatisfiable);
        assert_eq!(parse_range("bytes=-0", 100), Range::Unsatisfiable);
        assert_eq!(parse_range("bytes=9-0", 100), Range::Ignored);
        assert_eq!(parse_range("bytes=0-1,5-6", 100), Range::Ignored);
        assert_eq!(parse_range("items=0-1", 100), Range::Ignored);
        assert_eq!(parse_range("bytes=a-b", 100), Range::Ignored);
    }
}
