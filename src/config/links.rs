//! The keys of `almanac.yaml` for keeping a collection: where archived copies of
//! broken links are found (`links:`), and where readers suggest a change to an
//! entry or report a problem with it (`edit_url`, `issue_url`).

use super::raw::RawLinks;
use crate::diagnostics::{Diagnostic, Location, SourceText};
use crate::yaml::{Spans, Step};

/// The Web Archive's address for a page's newest copy, followed by the page's address.
pub const DEFAULT_ARCHIVE: &str = "https://web.archive.org/web/";
/// The Web Archive's availability service, followed by a page's encoded address.
pub const DEFAULT_ARCHIVE_API: &str = "https://archive.org/wayback/available?url=";

/// `links:` of almanac.yaml.
#[derive(Debug, Clone)]
pub struct LinksConfig {
    /// Put before a broken link's address, the address of its archived copies.
    pub archive: String,
    /// Put before a broken link's encoded address, a service answering with the
    /// closest archived copy as JSON; `None` when switched off (`archive_api: ""`).
    pub archive_api: Option<String>,
}

impl Default for LinksConfig {
    fn default() -> LinksConfig {
        LinksConfig {
            archive: DEFAULT_ARCHIVE.to_string(),
            archive_api: Some(DEFAULT_ARCHIVE_API.to_string()),
        }
    }
}

/// Where readers can suggest a change and report a problem.
#[derive(Debug, Clone, Default)]
pub struct ContributeConfig {
    /// With `{path}`, the source file's path from the collection's folder.
    pub edit_url: Option<String>,
    /// With `{title}`, `{path}` and `{url}`, each percent-encoded.
    pub issue_url: Option<String>,
}

/// An http(s) address that can stand in an attribute as it is: no spaces, quotes
/// or angle brackets (`crate::paths::is_web_address`).
fn is_http(url: &str) -> bool {
    crate::paths::is_web_address(url)
}

/// An address with `{path}`, `{title}` or `{url}` in it, checked as it is once
/// they are filled in.
fn is_http_template(url: &str) -> bool {
    let filled = ["{path}", "{title}", "{url}"]
        .iter()
        .fold(url.to_string(), |url, name| url.replace(name, "x"));
    is_http(&filled)
}

pub(super) fn read_links(
    raw: RawLinks,
    source: &SourceText,
    spans: &Spans,
    problems: &mut Vec<Diagnostic>,
) -> LinksConfig {
    let at = |key: &str| {
        spans
            .value(&[Step::key("links"), Step::key(key)])
            .unwrap_or_else(|| Location::span(source, 0..0))
    };
    let mut links = LinksConfig::default();
    if let Some(archive) = raw.archive {
        if is_http(&archive) {
            links.archive = archive;
        } else {
            problems.push(
                Diagnostic::error(
                    "config",
                    format!("`links.archive` must be an http(s) address, not `{archive}`"),
                )
                .at(at("archive"))
                .label("not an http(s) address")
                .help(format!("e.g. `{DEFAULT_ARCHIVE}`")),
            );
        }
    }
    match raw.archive_api {
        Some(api) if api.trim().is_empty() => links.archive_api = None,
        Some(api) if is_http(&api) => links.archive_api = Some(api),
        Some(api) => problems.push(
            Diagnostic::error(
                "config",
                format!("`links.archive_api` must be an http(s) address, not `{api}`"),
            )
            .at(at("archive_api"))
            .label("not an http(s) address")
            .help(format!(
                "e.g. `{DEFAULT_ARCHIVE_API}`, or `\"\"` not to ask an archive"
            )),
        ),
        None => {}
    }
    links
}

pub(super) fn read_contribute(
    edit_url: Option<String>,
    issue_url: Option<String>,
    source: &SourceText,
    spans: &Spans,
    problems: &mut Vec<Diagnostic>,
) -> ContributeConfig {
    let mut check = |key: &str, value: Option<String>, needs: &str, example: &str| {
        let value = value?;
        let location = spans
            .value(&[Step::key(key)])
            .unwrap_or_else(|| Location::span(source, 0..0));
        if !is_http_template(&value) {
            problems.push(
                Diagnostic::error(
                    "config",
                    format!("`{key}` must be an http(s) address, not `{value}`"),
                )
                .at(location)
                .label("not an http(s) address, or one with spaces, quotes or `<` `>`")
                .help(format!("e.g. `{example}`")),
            );
            return None;
        }
        if !value.contains(needs) {
            problems.push(
                Diagnostic::error(
                    "config",
                    format!("`{key}` has no `{needs}` to put each page's own value in"),
                )
                .at(location)
                .label(format!("`{needs}` is missing"))
                .help(format!("e.g. `{example}`")),
            );
            return None;
        }
        Some(value)
    };
    ContributeConfig {
        edit_url: check(
            "edit_url",
            edit_url,
            "{path}",
            "https://github.com/org/collection/edit/main/{path}",
        ),
        issue_url: check(
            "issue_url",
            issue_url,
            "{title}",
            "https://github.com/org/collection/issues/new?title={title}&body={url}",
        ),
    }
}

/// Where a page's "Suggest a change" and "Report a problem" lead, for its source
/// file `path` (from the collection's folder), its title and its address.
pub fn contribute_links(
    config: &ContributeConfig,
    path: &str,
    title: &str,
    permalink: &str,
) -> (Option<String>, Option<String>) {
    use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
    // What RFC 3986 leaves unreserved stays as it is.
    const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~');
    // A path keeps its slashes: forges read them as folders.
    const PATH: &AsciiSet = &COMPONENT.remove(b'/');
    let encoded_path = utf8_percent_encode(path, PATH).to_string();
    let edit = config
        .edit_url
        .as_ref()
        .map(|url| url.replace("{path}", &encoded_path));
    let issue = config.issue_url.as_ref().map(|url| {
        url.replace(
            "{title}",
            &utf8_percent_encode(title, COMPONENT).to_string(),
        )
        .replace("{path}", &encoded_path)
        .replace(
            "{url}",
            &utf8_percent_encode(permalink, COMPONENT).to_string(),
        )
    });
    (edit, issue)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_that_are_not_http_are_located() {
        let errors = crate::config::parse(SourceText::new(
            "almanac.yaml",
            "title: T\nbase_url: https://e.org/\nlinks:\n  archive_api: ftp://archive.test/\nissue_url: https://forge.test/new\n",
        ))
        .unwrap_err();
        let found: Vec<(usize, usize, &str)> = errors
            .iter()
            .map(|d| {
                let at = d.location.as_deref().unwrap();
                (at.line, at.column, d.message.as_str())
            })
            .collect();
        assert_eq!(
            found,
            [
                (
                    4,
                    16,
                    "`links.archive_api` must be an http(s) address, not `ftp://archive.test/`"
                ),
                (
                    5,
                    12,
                    "`issue_url` has no `{title}` to put each page's own value in"
                ),
            ]
        );
    }

    #[test]
    fn an_empty_archive_api_asks_no_archive() {
        let config = crate::config::parse(SourceText::new(
            "almanac.yaml",
            "title: T\nbase_url: https://e.org/\nlinks: { archive_api: \"\" }\n",
        ))
        .unwrap();
        assert_eq!(config.links.archive_api, None);
        assert_eq!(config.links.archive, DEFAULT_ARCHIVE);
    }

    #[test]
    fn placeholders_are_filled_and_encoded() {
        let config = ContributeConfig {
            edit_url: Some("https://forge.test/edit/main/{path}".into()),
            issue_url: Some("https://forge.test/issues/new?title={title}&body={url}".into()),
        };
        let (edit, issue) = contribute_links(
            &config,
            "content/guidance/a b.md",
            "Data & AI: a guide",
            "https://e.org/guidance/a/",
        );
        assert_eq!(
            edit.as_deref(),
            Some("https://forge.test/edit/main/content/guidance/a%20b.md")
        );
        assert_eq!(
            issue.as_deref(),
            Some(
                "https://forge.test/issues/new?title=Data%20%26%20AI%3A%20a%20guide&body=https%3A%2F%2Fe.org%2Fguidance%2Fa%2F"
            )
        );
    }
}
