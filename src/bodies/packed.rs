//! Bodies' HTML deflated while a build waits to render their pages.
//!
//! At the end of loading a large collection every body's HTML would be held at
//! once, at the highest point of the build (at 100,000 realistic resources about
//! 420 MB of its 1.3 GB). Deflated at the fastest level it takes under half of
//! that, for a few per cent more work.

use std::io::{Read, Write};

use flate2::Compression;
use flate2::read::DeflateDecoder;
use flate2::write::DeflateEncoder;

use crate::markdown::Rendered;

/// One entry's body HTML, deflated with its length (so that it comes back in an
/// allocation of that length); the rest of its [`Rendered`] stays where it was.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Packed {
    bytes: Box<[u8]>,
    len: usize,
}

impl Packed {
    /// Takes `rendered`'s HTML, leaving it empty there.
    pub fn take(rendered: &mut Rendered) -> Packed {
        let html = std::mem::take(&mut rendered.html);
        if html.is_empty() {
            return Packed::default();
        }
        let mut encoder =
            DeflateEncoder::new(Vec::with_capacity(html.len() / 2), Compression::fast());
        // Writing into a vector cannot fail.
        encoder
            .write_all(html.as_bytes())
            .expect("deflating into memory");
        let bytes = encoder.finish().expect("deflating into memory");
        Packed {
            // In an allocation of its length: every body waits in one at once.
            bytes: bytes.into_boxed_slice(),
            len: html.len(),
        }
    }

    /// The HTML.
    pub fn html(&self) -> String {
        if self.len == 0 {
            return String::new();
        }
        let mut html = String::with_capacity(self.len);
        // The bytes were deflated from a `str` here, in memory.
        DeflateDecoder::new(&self.bytes[..])
            .read_to_string(&mut html)
            .expect("inflating a body deflated by this build");
        html
    }

    /// Lets go of the HTML (its page is made).
    pub fn release(&mut self) {
        *self = Packed::default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_body_comes_back_as_it_went_in() {
        let html = "<p>Fairness <a href=\"/glossary/bias/\">bias</a> — ünïcode.</p>\n".repeat(40);
        let text = "Fairness bias — ünïcode.\n".repeat(40);
        let mut rendered = Rendered {
            html: html.clone(),
            text: text.clone(),
            headings: Vec::new(),
            links: Vec::new(),
        };
        let mut packed = Packed::take(&mut rendered);
        assert_eq!((rendered.html.as_str(), &rendered.text), ("", &text));
        assert!(
            packed.bytes.len() < html.len() / 2,
            "{}",
            packed.bytes.len()
        );
        let back = packed.html();
        assert_eq!((&back, back.capacity()), (&html, html.len()));
        packed.release();
        assert_eq!(packed.html(), "");
        assert_eq!(Packed::take(&mut rendered).html(), "");
    }
}
