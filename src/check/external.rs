//! `check --external`: every outbound address (resources' `url` and links in bodies)
//! requested once, many at a time, with a timeout. Addresses that fail become
//! warnings at every place they are written: other people's sites come and go, so
//! only `--deny-warnings` makes them fail a check.

use std::collections::BTreeMap;
use std::time::Duration;

use rayon::prelude::*;

use crate::bodies::Bodies;
use crate::diagnostics::{Diagnostic, Location};
use crate::markdown::LinkKind;
use crate::model::Collection;
use crate::yaml::Step;

/// Requests at once: the work is waiting on the network, not the processor.
const CONCURRENCY: usize = 16;

/// Checks every external address of the collection.
pub fn check(collection: &Collection, bodies: &Bodies, timeout: Duration) -> Vec<Diagnostic> {
    let places = addresses(collection, bodies);
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .http_status_as_error(false)
        .max_redirects(8)
        .user_agent("almanac-link-check")
        .build()
        .into();
    let urls: Vec<&String> = places.keys().collect();
    let run = |urls: &[&String]| -> Vec<(String, Option<String>)> {
        urls.par_iter()
            .map(|url| ((*url).clone(), probe(&agent, url).err()))
            .collect()
    };
    let results = match rayon::ThreadPoolBuilder::new()
        .num_threads(CONCURRENCY)
        .build()
    {
        Ok(pool) => pool.install(|| run(&urls)),
        Err(_) => run(&urls),
    };
    let mut problems = Vec::new();
    for (url, failure) in results {
        let Some(failure) = failure else { continue };
        for location in &places[&url] {
            problems.push(
                Diagnostic::warning("external-link", format!("`{url}` {failure}"))
                    .at(location.clone())
                    .label("this address does not answer")
                    .help("check the address in a browser; update it, or find where the resource moved"),
            );
        }
    }
    problems
}

/// Asks for an address: HEAD first, GET where a server refuses HEAD.
fn probe(agent: &ureq::Agent, url: &str) -> Result<(), String> {
    let status = match agent.head(url).call() {
        Ok(response) => response.status().as_u16(),
        Err(error) => return Err(describe(&error)),
    };
    let status = if matches!(status, 403 | 405 | 501) {
        match agent.get(url).call() {
            Ok(response) => response.status().as_u16(),
            Err(error) => return Err(describe(&error)),
        }
    } else {
        status
    };
    if status >= 400 {
        Err(format!("answered with HTTP status {status}"))
    } else {
        Ok(())
    }
}

fn describe(error: &ureq::Error) -> String {
    match error {
        ureq::Error::Timeout(_) => "did not answer in time".to_string(),
        other => format!("could not be reached ({other})"),
    }
}

/// Every external address with the places it is written, in a stable order.
fn addresses(collection: &Collection, bodies: &Bodies) -> BTreeMap<String, Vec<Location>> {
    let mut places: BTreeMap<String, Vec<Location>> = BTreeMap::new();
    for (entry, body) in collection.entries.iter().zip(&bodies.entries) {
        let file = &entry.file;
        if let Some(url) = &entry.url {
            let location = file
                .spans()
                .find(&[Step::key("url")], |text| text.trim() == url)
                .unwrap_or_else(|| Location::span(&file.source, 0..0));
            places.entry(url.clone()).or_default().push(location);
        }
        for link in &body.links {
            if let LinkKind::External(url) = &link.kind
                && (url.starts_with("http://") || url.starts_with("https://"))
            {
                let span = file.body.start + link.span.start..file.body.start + link.span.end;
                places
                    .entry(url.clone())
                    .or_default()
                    .push(Location::span(&file.source, span));
            }
        }
    }
    places
}
