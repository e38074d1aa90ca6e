//! Escaping for the markup this module writes itself: text and attribute values with
//! pulldown-cmark's own escaper (the one the Markdown writer uses), URLs by our rule.

/// Appends `s` escaped for use as HTML text or inside a double-quoted attribute value.
pub(crate) fn push_escaped(out: &mut String, s: &str) {
    // Writing into a String cannot fail.
    let _ = pulldown_cmark_escape::escape_html(out, s);
}

/// Appends `s` escaped for use as HTML text (not an attribute): only `&`, `<`
/// and `>`, the same as the Markdown writer does, so a linked glossary mention
/// reads exactly like the text around it.
pub(crate) fn push_escaped_text(out: &mut String, s: &str) {
    let _ = pulldown_cmark_escape::escape_html_body_text(out, s);
}

/// Appends `url` for use inside a double-quoted `href`/`src` attribute.
///
/// Spaces, control characters, quotes, angle brackets and the non-characters
/// U+FFFE and U+FFFF are not allowed in a valid URL, so they are percent-encoded
/// (a validator would reject them and some hosts mangle them); `&` and `'` are
/// escaped as entities so the attribute keeps its meaning. Everything else,
/// including existing `%XX` escapes and non-ASCII characters, is kept as the
/// curator wrote it.
pub(crate) fn push_url(out: &mut String, url: &str) {
    for c in url.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '\'' => out.push_str("&#39;"),
            // The two non-characters no page may carry, which a character
            // reference (`&#xFFFE;`) writes, go as their UTF-8 bytes.
            '"'
            | '<'
            | '>'
            | ' '
            | '\\'
            | '`'
            | '\u{0}'..='\u{1f}'
            | '\u{7f}'
            | '\u{fffe}'
            | '\u{ffff}' => {
                const HEX: &[u8; 16] = b"0123456789ABCDEF";
                let mut bytes = [0; 4];
                for &byte in c.encode_utf8(&mut bytes).as_bytes() {
                    out.push('%');
                    out.push(HEX[usize::from(byte >> 4)] as char);
                    out.push(HEX[usize::from(byte & 0xf)] as char);
                }
            }
            _ => out.push(c),
        }
    }
}
