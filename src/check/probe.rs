//! Asking one address how it is: redirects followed hop by hop (so permanent moves
//! and loops are seen), HEAD first and GET where HEAD is refused, `Retry-After`
//! respected, and a made-up path on the same host requested to tell a parked domain
//! or a catch-all page (a "soft 404") from the resource.

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;
use std::time::Duration;

use url::Url;

/// Hops followed before giving up on a chain of redirects.
const MAX_HOPS: usize = 10;

/// What one request of an address found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Answered. `final_url` is where the redirects from the address led (any of
    /// them, temporary too), if there were any; `moved_to` is where the unbroken
    /// chain of permanent ones (301, 308) from the start led, if it did: the
    /// address the resource moved to, even when that one then redirects for a while.
    Ok {
        status: u16,
        moved_to: Option<String>,
        final_url: Option<String>,
    },
    /// Answered 200, as a made-up path on the same host does.
    Soft404 { status: u16 },
    /// Asked to come back later than a check waits.
    RateLimited { retry_after: Option<u64> },
    /// No answer within the timeout.
    Timeout,
    /// A failure that counts towards calling the link broken.
    Failed { status: Option<u16>, detail: String },
}

/// How requests are made.
pub struct Prober {
    agent: ureq::Agent,
    /// Longest `Retry-After` waited for.
    pub max_wait: Duration,
    /// Whether each host (scheme, name and port) answers a made-up path: asked
    /// once per host and run, not once per address.
    catch_all: Mutex<HashMap<String, bool>>,
}

impl Prober {
    /// An agent that does not follow redirects itself, with the collection's
    /// address in its User-Agent so that site owners know who asks.
    pub fn new(timeout: Duration, base_url: &str) -> Prober {
        let agent = ureq::Agent::config_builder()
            .timeout_global(Some(timeout))
            .http_status_as_error(false)
            .max_redirects(0)
            .user_agent(format!(
                "almanac-link-check/{} (+{base_url})",
                env!("CARGO_PKG_VERSION")
            ))
            .build()
            .into();
        Prober {
            agent,
            max_wait: Duration::from_secs(30),
            catch_all: Mutex::new(HashMap::new()),
        }
    }

    /// Requests `url`, then, if it answered 200, a made-up path on its host.
    pub fn probe(&self, url: &str) -> Outcome {
        let outcome = self.follow(url);
        if let Outcome::Ok { status: 200, .. } = outcome
            && self.answers_anything(url)
        {
            return Outcome::Soft404 { status: 200 };
        }
        outcome
    }

    /// Whether the host of `url` answers 200 for a path nobody publishes.
    fn answers_anything(&self, url: &str) -> bool {
        let Some(made_up) = made_up_path(url) else {
            return false;
        };
        let host = Url::parse(url)
            .map(|u| u.origin().ascii_serialization())
            .unwrap_or_default();
        if let Some(known) = self
            .catch_all
            .lock()
            .ok()
            .and_then(|m| m.get(&host).copied())
        {
            return known;
        }
        let answers = matches!(self.follow(&made_up), Outcome::Ok { status: 200, .. });
        if let Ok(mut known) = self.catch_all.lock() {
            known.insert(host, answers);
        }
        answers
    }

    /// A JSON answer of a service (the archive's availability API), following
    /// its redirects; `None` if it has none to give.
    pub fn get_json(&self, url: &str) -> Option<serde_json::Value> {
        let mut current = url.to_string();
        for _ in 0..MAX_HOPS {
            let mut response = self.agent.get(&current).call().ok()?;
            let status = response.status().as_u16();
            if (300..400).contains(&status) {
                let location = response.headers().get("location")?.to_str().ok()?;
                current = Url::parse(&current).ok()?.join(location).ok()?.to_string();
                continue;
            }
            if status != 200 {
                return None;
            }
            let text = response.body_mut().read_to_string().ok()?;
            return serde_json::from_str(&text).ok();
        }
        None
    }

    /// Follows redirects from `url` hop by hop.
    fn follow(&self, url: &str) -> Outcome {
        let mut current = match Url::parse(url) {
            Ok(parsed) => parsed,
            Err(error) => {
                return Outcome::Failed {
                    status: None,
                    detail: format!("is not a valid address ({error})"),
                };
            }
        };
        let mut seen = HashSet::new();
        // Where the chain of permanent redirects from the start has led.
        let mut moved_to: Option<String> = None;
        let mut only_permanent = true;
        for _ in 0..MAX_HOPS {
            if !seen.insert(current.to_string()) {
                return Outcome::Failed {
                    status: None,
                    detail: "redirects in a loop".to_string(),
                };
            }
            let response = match self.request(current.as_str()) {
                Ok(response) => response,
                Err(outcome) => return outcome,
            };
            let (status, location) = response;
            if (300..400).contains(&status)
                && let Some(location) = location
            {
                let Ok(next) = current.join(&location) else {
                    return Outcome::Failed {
                        status: Some(status),
                        detail: format!("redirects to `{location}`, which is not an address"),
                    };
                };
                only_permanent &= matches!(status, 301 | 308);
                if only_permanent {
                    moved_to = Some(next.to_string());
                }
                current = next;
                continue;
            }
            return match status {
                429 => Outcome::RateLimited { retry_after: None },
                400.. => Outcome::Failed {
                    status: Some(status),
                    detail: format!("answered with HTTP status {status}"),
                },
                _ => Outcome::Ok {
                    status,
                    moved_to,
                    final_url: (current.as_str() != url).then(|| current.to_string()),
                },
            };
        }
        Outcome::Failed {
            status: None,
            detail: format!("redirects more than {MAX_HOPS} times"),
        }
    }

    /// One hop: HEAD, GET where HEAD is refused, a wait and a second try on 429.
    fn request(&self, url: &str) -> Result<(u16, Option<String>), Outcome> {
        let mut waited = false;
        loop {
            let mut answer = self.send(url, true)?;
            if answer.0 >= 400 && answer.0 != 429 {
                // Many servers answer HEAD wrongly (405, 403, 404, 501): GET decides.
                answer = self.send(url, false)?;
            }
            let (status, location, retry_after) = answer;
            if status != 429 {
                return Ok((status, location));
            }
            match retry_after {
                Some(seconds) if !waited && Duration::from_secs(seconds) <= self.max_wait => {
                    std::thread::sleep(Duration::from_secs(seconds));
                    waited = true;
                }
                _ => return Err(Outcome::RateLimited { retry_after }),
            }
        }
    }

    #[allow(clippy::type_complexity)]
    fn send(&self, url: &str, head: bool) -> Result<(u16, Option<String>, Option<u64>), Outcome> {
        let result = if head {
            self.agent.head(url).call()
        } else {
            self.agent.get(url).call()
        };
        match result {
            Ok(response) => {
                let header = |name: &str| {
                    response
                        .headers()
                        .get(name)
                        .and_then(|v| v.to_str().ok())
                        .map(str::to_string)
                };
                let retry_after = header("retry-after").and_then(|v| retry_after_seconds(&v));
                Ok((response.status().as_u16(), header("location"), retry_after))
            }
            Err(error) => Err(describe(&error)),
        }
    }
}

/// `Retry-After` in seconds: a number, or an HTTP date from now.
fn retry_after_seconds(value: &str) -> Option<u64> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(seconds);
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(
        at.duration_since(std::time::SystemTime::now())
            .map_or(0, |d| d.as_secs()),
    )
}

/// How the standard library's resolver begins its errors.
const LOOKUP_FAILED: &str = "failed to lookup address information";

fn describe(error: &ureq::Error) -> Outcome {
    match error {
        ureq::Error::Timeout(_) => Outcome::Timeout,
        ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::TimedOut => Outcome::Timeout,
        ureq::Error::HostNotFound => Outcome::Failed {
            status: None,
            detail: "has a host name that does not exist".to_string(),
        },
        // The system's resolver said no (a name that does not exist, or no answer
        // from the name servers): a failure like any other, named as one.
        ureq::Error::Io(io) if io.to_string().starts_with(LOOKUP_FAILED) => Outcome::Failed {
            status: None,
            detail: format!(
                "has a host name that could not be looked up ({})",
                io.to_string()[LOOKUP_FAILED.len()..]
                    .trim_start_matches(':')
                    .trim()
            ),
        },
        other => Outcome::Failed {
            status: None,
            detail: format!("could not be reached ({other})"),
        },
    }
}

/// A path nobody publishes, on the host of `url`.
fn made_up_path(url: &str) -> Option<String> {
    let mut parsed = Url::parse(url).ok()?;
    let token: String = (0..20)
        .map(|_| fastrand::alphanumeric().to_ascii_lowercase())
        .collect();
    parsed.set_path(&format!("/almanac-link-check-{token}"));
    parsed.set_query(None);
    parsed.set_fragment(None);
    Some(parsed.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        assert_eq!(retry_after_seconds(" 12 "), Some(12));
        assert_eq!(
            retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT"),
            Some(0)
        );
        assert_eq!(retry_after_seconds("soon"), None);
    }

    #[test]
    fn the_made_up_path_is_on_the_same_host() {
        let made_up = made_up_path("https://example.org:8443/a/b?c=d#e").unwrap();
        assert!(
            made_up.starts_with("https://example.org:8443/almanac-link-check-"),
            "{made_up}"
        );
        assert!(!made_up.contains('?') && !made_up.contains('#'));
    }
}
