//! Request paths made safe: percent-decoded once, and refused when they could mean
//! anything but a plain path inside the site (`..` or `.` segments, encoded
//! separators, backslashes, NUL and other control characters, empty segments).
//! Browsers normalise `..` before sending; only hostile or broken clients send these.

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

/// Percent-decoding of one segment into UTF-8.
fn decode(segment: &str) -> Result<String, Refused> {
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3).ok_or(Refused::BadEncoding)?;
            let hex = std::str::from_utf8(hex).map_err(|_| Refused::BadEncoding)?;
            let value = u8::from_str_radix(hex, 16).map_err(|_| Refused::BadEncoding)?;
            out.push(value);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| Refused::BadEncoding)
}

/// Percent-encodes a path for a `Location` header (the segments were decoded).
pub fn encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(byte as char)
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
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
