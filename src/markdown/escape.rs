//! HTML escaping for the markup this module writes itself: text, attribute values and URLs.

/// Appends `s` escaped for use as HTML text or inside a double-quoted attribute value.
pub(crate) fn push_escaped(out: &mut String, s: &str) {
    push_replacing(out, s, |byte| match byte {
        b'&' => Some("&amp;"),
        b'<' => Some("&lt;"),
        b'>' => Some("&gt;"),
        b'"' => Some("&quot;"),
        b'\'' => Some("&#39;"),
        _ => None,
    });
}

/// Appends `s` escaped for use as HTML text (not an attribute): only `&`, `<`
/// and `>`, the same as the Markdown writer does, so a linked glossary mention
/// reads exactly like the text around it.
pub(crate) fn push_escaped_text(out: &mut String, s: &str) {
    push_replacing(out, s, |byte| match byte {
        b'&' => Some("&amp;"),
        b'<' => Some("&lt;"),
        b'>' => Some("&gt;"),
        _ => None,
    });
}

/// Appends `s` with the ASCII bytes `replacement` names replaced, copying the runs
/// between them whole.
fn push_replacing(out: &mut String, s: &str, replacement: impl Fn(u8) -> Option<&'static str>) {
    let mut copied = 0;
    for (i, byte) in s.bytes().enumerate() {
        if let Some(with) = replacement(byte) {
            out.push_str(&s[copied..i]);
            out.push_str(with);
            copied = i + 1;
        }
    }
    out.push_str(&s[copied..]);
}

/// Appends `url` for use inside a double-quoted `href`/`src` attribute.
///
/// Spaces, control characters, quotes and angle brackets are not allowed in a
/// valid URL, so they are percent-encoded (a validator would reject them and
/// some hosts mangle them); `&` and `'` are escaped as entities so the attribute
/// keeps its meaning. Everything else, including existing `%XX` escapes and
/// non-ASCII characters, is kept as the curator wrote it.
pub(crate) fn push_url(out: &mut String, url: &str) {
    for c in url.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '\'' => out.push_str("&#39;"),
            '"' | '<' | '>' | ' ' | '\\' | '`' | '\u{0}'..='\u{1f}' | '\u{7f}' => {
                // All of these are ASCII, so one byte each.
                const HEX: &[u8; 16] = b"0123456789ABCDEF";
                let byte = c as u32 as usize;
                out.push('%');
                out.push(HEX[byte >> 4] as char);
                out.push(HEX[byte & 0xf] as char);
            }
            _ => out.push(c),
        }
    }
}
