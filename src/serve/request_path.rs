//! Request paths made safe: percent-decoded once, and refused when they could mean
//! anything but a plain path inside the site (`..` or `.` segments, encoded
//! separators, backslashes, NUL and other control characters, empty segments).
//! Browsers normalise `..` before sending; only hostile or broken clients send these.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};

/// A request path that names something inside the site, `/`-separated, without a
/// leading `/`; `dir` is set when the request ended with `/`.
#[derive(Debug, PartialEq, Eq)]
pub struct SitePath {
    pub segments: Vec<String>,
    pub dir: bool,
}

/// Why a request path was refused.
#[derive(Debug, PartialEq, Eq)]
pub enum Refused {
    NotAbsolute,
    BadEncoding,
    EncodedSeparator,
    DotSegment,
    EmptySegment,
    ControlCharacter,
    Backslash,
}

/// Decodes and checks the path part of a request target.
pub fn parse(raw: &str) -> Result<SitePath, Refused> {
    let rest = raw.strip_prefix('/').ok_or(Refused::NotAbsolute)?;
    let dir = rest.is_empty() || rest.ends_with('/');
    let trimmed = rest.strip_suffix('/').unwrap_or(rest);
    let mut segments = Vec::new();
    if trimmed.is_empty() {
        return Ok(SitePath { segments, dir });
    }
    for raw_segment in trimmed.split('/') {
        if raw_segment.is_empty() {
            return Err(Refused::EmptySegment);
        }
        let segment = decode(raw_segment)?;
        if segment == "." || segment == ".." {
            return Err(Refused::DotSegment);
        }
        if segment.contains('/') {
            return Err(Refused::EncodedSeparator);
        }
        if segment.contains('\\') {
            return Err(Refused::Backslash);
        }
        if segment.chars().any(char::is_control) {
            return Err(Refused::ControlCharacter);
        }
        segments.push(segment);
    }
    Ok(SitePath { segments, dir })
}

/// Percent-decoding of one segment into UTF-8. A `%` must start a two-digit hex
/// escape: the decoder passes a stray one through, which would make `%2` and `%25`
/// two spellings of one file.
fn decode(segment: &str) -> Result<String, Refused> {
    let bytes = segment.as_bytes();
    let escapes_whole = bytes.iter().enumerate().all(|(i, &b)| {
        b != b'%'
            || bytes
                .get(i + 1..i + 3)
                .is_some_and(|hex| hex.iter().all(u8::is_ascii_hexdigit))
    });
    if !escapes_whole {
        return Err(Refused::BadEncoding);
    }
    percent_decode_str(segment)
        .decode_utf8()
        .map(|text| text.into_owned())
        .map_err(|_| Refused::BadEncoding)
}

/// Bytes a `Location` path keeps as they are: the unreserved ones and `/`.
const PATH_KEEPS: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'/');

/// Percent-encodes a path for a `Location` header (the segments were decoded).
pub fn encode(path: &str) -> String {
    utf8_percent_encode(path, PATH_KEEPS).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(raw: &str) -> SitePath {
        parse(raw).unwrap()
    }

    #[test]
    fn plain_paths_are_split_and_decoded() {
        assert_eq!(
            ok("/"),
            SitePath {
                segments: vec![],
                dir: true
            }
        );
        assert_eq!(
            ok("/guidance/data%20ethics/"),
            SitePath {
                segments: vec!["guidance".into(), "data ethics".into()],
                dir: true
            }
        );
        assert_eq!(
            ok("/feed.xml"),
            SitePath {
                segments: vec!["feed.xml".into()],
                dir: false
            }
        );
        assert_eq!(ok("/caf%C3%A9").segments, vec!["café".to_string()]);
    }

    #[test]
    fn escapes_are_refused_in_every_spelling() {
        for (raw, why) in [
            ("/../etc/passwd", Refused::DotSegment),
            ("/a/./b", Refused::DotSegment),
            ("/%2e%2e/etc/passwd", Refused::DotSegment),
            ("/%2E%2E/x", Refused::DotSegment),
            ("/.%2e/x", Refused::DotSegment),
            ("/..%2f..%2fetc%2fpasswd", Refused::EncodedSeparator),
            ("/a%2Fb", Refused::EncodedSeparator),
            ("/%2e%2e%5cetc", Refused::Backslash),
            ("/a\\..\\b", Refused::Backslash),
            ("/a%00.html", Refused::ControlCharacter),
            ("//etc/passwd", Refused::EmptySegment),
            ("/a//b", Refused::EmptySegment),
            ("etc/passwd", Refused::NotAbsolute),
            ("/%zz", Refused::BadEncoding),
            ("/%e2%82", Refused::BadEncoding),
            ("/%", Refused::BadEncoding),
        ] {
            assert_eq!(parse(raw), Err(why), "{raw}");
        }
    }

    #[test]
    fn locations_are_encoded() {
        assert_eq!(encode("/a b/é/"), "/a%20b/%C3%A9/");
    }
}
