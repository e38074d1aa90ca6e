//! The preview answers only to the names this computer has for it: a page on
//! another site can point its own name at 127.0.0.1 (DNS rebinding) and would
//! otherwise read the preview, drafts included. Loopback names and addresses and
//! the `--bind` address pass; any other `Host` gets 421 Misdirected Request.

use std::net::IpAddr;
use std::sync::Arc;

use axum::extract::{Request, State as Extract};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::State;

/// Passes requests whose `Host` names this server, refuses the others.
pub async fn hosts(Extract(state): Extract<Arc<State>>, request: Request, next: Next) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok());
    if host.is_some_and(|host| allowed(host, state.bind)) {
        return next.run(request).await;
    }
    (
        StatusCode::MISDIRECTED_REQUEST,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        "This preview answers only to localhost and the address it listens on.\n",
    )
        .into_response()
}

/// Whether `host` (a `Host` header: a name or address, maybe with a port) is a
/// name of this server listening on `bind`.
pub fn allowed(host: &str, bind: IpAddr) -> bool {
    let name = match host.strip_prefix('[') {
        Some(rest) => match rest.split_once(']') {
            Some((address, port)) if port.is_empty() || is_port(port) => address,
            _ => return false,
        },
        None => match host.rsplit_once(':') {
            Some((name, port)) if is_port(port) => name,
            Some(_) => return false,
            None => host,
        },
    };
    let name = name.strip_suffix('.').unwrap_or(name).to_ascii_lowercase();
    if name == "localhost" || name.ends_with(".localhost") {
        return true;
    }
    match name.parse::<IpAddr>() {
        // A server on every interface has every address of the machine; an
        // address is never a name someone else's DNS can point here.
        Ok(address) => address.is_loopback() || address == bind || bind.is_unspecified(),
        Err(_) => false,
    }
}

fn is_port(text: &str) -> bool {
    text.strip_prefix(':')
        .unwrap_or(text)
        .bytes()
        .all(|b| b.is_ascii_digit())
        && !text.trim_start_matches(':').is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_names_and_the_bound_address_only() {
        let loopback: IpAddr = "127.0.0.1".parse().unwrap();
        let lan: IpAddr = "192.168.1.20".parse().unwrap();
        for host in [
            "localhost",
            "localhost:1111",
            "LOCALHOST.:80",
            "app.localhost:1111",
            "127.0.0.1:1111",
            "127.1.2.3",
            "[::1]:1111",
            "[::1]",
        ] {
            assert!(allowed(host, loopback), "{host}");
        }
        for host in [
            "evil.example",
            "evil.example:1111",
            "localhost.evil.example",
            "192.168.1.20:1111",
            "127.0.0.1:port",
            "[::1",
            "",
        ] {
            assert!(!allowed(host, loopback), "{host}");
        }
        assert!(allowed("192.168.1.20:1111", lan));
        assert!(!allowed("evil.example", lan));
        assert!(allowed("10.0.0.5:1111", "0.0.0.0".parse().unwrap()));
    }
}
