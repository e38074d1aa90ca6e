//! Names and paths every stage shares: slugs for URL segments, clean relative
//! paths, how a page's rooted address becomes a file of the output, and writing
//! a file whole; the characters no output may carry.

/// Writes `bytes` to `path` through `<path>.part` renamed over it, so a stopped
/// process leaves the old file or the new one, never half of one. Not synced:
/// the pages beside it are not either, and a killed process loses nothing the
/// system has been given.
pub fn write_whole(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut partial = path.as_os_str().to_owned();
    partial.push(".part");
    let partial = std::path::PathBuf::from(partial);
    std::fs::write(&partial, bytes)?;
    std::fs::rename(&partial, path)
}

/// Characters no page, feed or export may carry (XML 1.0 refuses them, HTML
/// calls them errors): the C0 controls but tab and line breaks, and the two
/// non-characters U+FFFE and U+FFFF.
pub fn forbidden(c: char) -> bool {
    (c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || c == '\u{fffe}' || c == '\u{ffff}'
}

/// Whether `text` holds a [`forbidden`] character: its bytes scanned first, as
/// nearly every text has none.
pub fn has_forbidden(text: &str) -> bool {
    // U+FFFE and U+FFFF start with the byte 0xEF in UTF-8.
    text.bytes()
        .any(|b| (b < b' ' && !matches!(b, b'\t' | b'\n' | b'\r')) || b == 0xEF)
        && text.contains(forbidden)
}

/// Slug of a name for a URL: lowercase ASCII letters, digits and `-`.
pub fn slugify(text: &str) -> String {
    slug::slugify(text)
}

/// Whether a name can be used as one URL segment as it is.
pub fn is_segment(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
        && !name.starts_with('-')
}

/// `public-servants` → `Public servants`, for names given without a label.
pub fn label_from_slug(slug: &str) -> String {
    let words = slug.replace(['-', '_'], " ");
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A site path without `.`/`..` segments, leading or trailing slashes; `None` if it
/// tries to climb out of the output folder.
pub fn clean_path(path: &str) -> Option<String> {
    let mut parts = Vec::new();
    for part in path.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." => return None,
            p if p.contains(':') || p.chars().any(char::is_control) => return None,
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

/// The rooted address of page `n` (1-based) of a paginated list rooted at `base`.
pub fn page_url(base: &str, n: usize) -> String {
    if n <= 1 {
        base.to_string()
    } else {
        format!("{base}page/{n}/")
    }
}

/// The output file of a rooted address under `base_path`: `/base/a/b/` →
/// `a/b/index.html`, `/base/404.html` → `404.html`.
pub fn file_of_url(base_path: &str, url: &str) -> String {
    let rel = url
        .strip_prefix(base_path)
        .unwrap_or(url.trim_start_matches('/'));
    if rel.is_empty() {
        "index.html".to_string()
    } else if rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel.to_string()
    }
}

/// Whether `text` is an absolute http(s) address with a host that every sink can
/// carry as written: no spaces, controls, quotes or angle brackets, which an
/// attribute, a feed or a CSV cell would otherwise have to escape or mangle.
pub fn is_web_address(text: &str) -> bool {
    let unsafe_char = |c: char| c.is_whitespace() || c.is_control() || "\"<>\\^`{|}".contains(c);
    if text.chars().any(unsafe_char) {
        return false;
    }
    match url::Url::parse(text) {
        // The open data exports name it as an IRI, which is stricter than a
        // browser (no `[` outside an IPv6 host, no `%` without two hex digits).
        Ok(url) => {
            matches!(url.scheme(), "http" | "https")
                && url.host_str().is_some_and(|h| !h.is_empty())
                && oxrdf::NamedNode::new(text).is_ok()
        }
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_that_climb_out_are_refused() {
        assert_eq!(clean_path("/old/page/"), Some("old/page".into()));
        assert_eq!(clean_path("./a//b"), Some("a/b".into()));
        assert_eq!(clean_path("../etc/passwd"), None);
        assert_eq!(clean_path("a/../../b"), None);
        assert_eq!(clean_path("C:\\x"), None);
    }

    #[test]
    fn slugs_are_lowercase_ascii() {
        assert_eq!(slugify("Data Ethics Framework"), "data-ethics-framework");
        assert_eq!(slugify("Éthique & IA"), "ethique-ia");
        assert_eq!(slugify("  --x--  "), "x");
    }

    #[test]
    fn addresses_become_files_under_the_base_path() {
        assert_eq!(file_of_url("/", "/"), "index.html");
        assert_eq!(file_of_url("/ethics/", "/ethics/a/b/"), "a/b/index.html");
        assert_eq!(file_of_url("/ethics/", "/ethics/404.html"), "404.html");
        assert_eq!(page_url("/ethics/a/", 1), "/ethics/a/");
        assert_eq!(page_url("/ethics/a/", 3), "/ethics/a/page/3/");
    }

    #[test]
    fn web_addresses_are_ones_every_export_takes() {
        assert!(is_web_address("https://example.org/a?b=c#d"));
        assert!(is_web_address("http://[::1]:8080/x/"));
        for bad in [
            "https://example.org/[library/",
            "https://example.org/%zz",
            "https://example.org/\"x",
            "https://example.org/<b>",
            "https://example.org/a b",
            "ftp://example.org/",
            "javascript:alert(1)",
        ] {
            assert!(!is_web_address(bad), "{bad}");
        }
    }
}
