//! Classifies a link or image destination as written by the curator: internal
//! (`@/path.md#anchor`), same-page anchor, web, other scheme, unsafe, or relative.

/// Where a destination points, before internal paths are resolved.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Target<'d> {
    /// `@/path.md` or `@/path.md#anchor`; an empty anchor counts as none.
    Internal {
        path: &'d str,
        anchor: Option<&'d str>,
    },
    /// `#anchor`: the part after `#`.
    Anchor(&'d str),
    /// `http:`, `https:` or scheme-relative `//host/…`: leaves the site.
    Web,
    /// Any other harmless scheme (`mailto:`, `tel:`, `ftp:` …).
    OtherScheme,
    /// A scheme that runs code when followed.
    Unsafe,
    /// A relative path or anything else without a scheme.
    Relative,
}

/// Whether the destination belongs to a link or an image: `data:image/…` is
/// harmless as an image source but not as a link.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Use {
    Link,
    Image,
}

pub(crate) fn classify(dest: &str, usage: Use) -> Target<'_> {
    if let Some(rest) = dest.strip_prefix("@/") {
        return match rest.split_once('#') {
            Some((path, "")) => Target::Internal { path, anchor: None },
            Some((path, anchor)) => Target::Internal {
                path,
                anchor: Some(anchor),
            },
            None => Target::Internal {
                path: rest,
                anchor: None,
            },
        };
    }
    if let Some(anchor) = dest.strip_prefix('#') {
        return Target::Anchor(anchor);
    }
    if dest.starts_with("//") {
        return Target::Web;
    }
    let mut normalized = browser_view(dest);
    let Some(colon) = normalized.find(':') else {
        return Target::Relative;
    };
    let scheme = &normalized[..colon];
    let is_scheme = scheme
        .bytes()
        .next()
        .is_some_and(|first| first.is_ascii_alphabetic())
        && scheme
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'));
    if !is_scheme {
        // A colon after a slash, `?` or `#` belongs to a relative path or query.
        return Target::Relative;
    }
    normalized.make_ascii_lowercase();
    let scheme = &normalized[..colon];
    match scheme {
        "http" | "https" => Target::Web,
        "javascript" | "vbscript" => Target::Unsafe,
        "data" if usage == Use::Image && normalized[colon + 1..].starts_with("image/") => {
            Target::OtherScheme
        }
        "data" => Target::Unsafe,
        _ => Target::OtherScheme,
    }
}

/// The destination as a browser's URL parser sees it: leading spaces and
/// control characters dropped and every tab or newline removed, so that
/// `" java\tscript:"` cannot slip past the scheme check.
fn browser_view(dest: &str) -> String {
    dest.trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemes() {
        assert_eq!(classify("https://a.example/", Use::Link), Target::Web);
        assert_eq!(classify("HTTP://a.example/", Use::Link), Target::Web);
        assert_eq!(classify("//a.example/x", Use::Link), Target::Web);
        assert_eq!(
            classify("mailto:a@b.example", Use::Link),
            Target::OtherScheme
        );
        assert_eq!(classify("JavaScript:alert(1)", Use::Link), Target::Unsafe);
        assert_eq!(classify(" \u{1}java\tscript:x", Use::Link), Target::Unsafe);
        assert_eq!(classify("vbscript:x", Use::Link), Target::Unsafe);
        assert_eq!(classify("data:text/html,x", Use::Link), Target::Unsafe);
        assert_eq!(
            classify("data:image/png;base64,x", Use::Link),
            Target::Unsafe
        );
        assert_eq!(
            classify("data:image/png;base64,x", Use::Image),
            Target::OtherScheme
        );
        assert_eq!(classify("data:text/html,x", Use::Image), Target::Unsafe);
        assert_eq!(classify("../x/y.html", Use::Link), Target::Relative);
        assert_eq!(classify("a/b:c", Use::Link), Target::Relative);
        assert_eq!(classify("#top", Use::Link), Target::Anchor("top"));
    }

    #[test]
    fn internal() {
        assert_eq!(
            classify("@/guidance/x.md#part", Use::Link),
            Target::Internal {
                path: "guidance/x.md",
                anchor: Some("part")
            }
        );
        assert_eq!(
            classify("@/guidance/x.md#", Use::Link),
            Target::Internal {
                path: "guidance/x.md",
                anchor: None
            }
        );
    }
}
