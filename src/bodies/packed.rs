//! Bodies' HTML deflated while a build waits to render their pages.
//!
//! At the end of loading a large collection every body's HTML would be held at
//! once, at the highest point of the build (at 100,000 realistic resources about
//! 420 MB of its 1.3 GB). Deflated at the fastest level it takes under half of
//! that, for a few per cent more work.

use std::cell::RefCell;

use flate2::{Compress, Compression, Decompress, FlushCompress, FlushDecompress, Status};

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
        let bytes = deflate(html.as_bytes());
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
        let bytes = inflate(&self.bytes, self.len);
        // The bytes were deflated from a `str` here, in memory.
        String::from_utf8(bytes).expect("inflating a body deflated by this build")
    }

    /// Lets go of the HTML (its page is made).
    pub fn release(&mut self) {
        *self = Packed::default();
    }
}

thread_local! {
    // A compressor's state is a few hundred kB: made for every body, it was
    // most of the cost of packing. Each thread keeps one and resets it.
    static DEFLATE: RefCell<Compress> = RefCell::new(Compress::new(Compression::fast(), false));
    static INFLATE: RefCell<Decompress> = RefCell::new(Decompress::new(false));
}

/// `bytes` deflated (raw, at the fastest level).
fn deflate(bytes: &[u8]) -> Vec<u8> {
    DEFLATE.with_borrow_mut(|compress| {
        compress.reset();
        let mut out = Vec::with_capacity(bytes.len() / 2 + 64);
        loop {
            let read = compress.total_in() as usize;
            // Into memory, from whole input: no error can come.
            let status = compress
                .compress_vec(&bytes[read..], &mut out, FlushCompress::Finish)
                .expect("deflating into memory");
            if status == Status::StreamEnd {
                return out;
            }
            out.reserve(out.capacity());
        }
    })
}

/// `bytes` inflated, `len` bytes long, in an allocation of that length.
fn inflate(bytes: &[u8], len: usize) -> Vec<u8> {
    INFLATE.with_borrow_mut(|decompress| {
        decompress.reset(false);
        let mut out = Vec::with_capacity(len);
        loop {
            let read = decompress.total_in() as usize;
            let status = decompress
                .decompress_vec(&bytes[read..], &mut out, FlushDecompress::Finish)
                .expect("inflating a body deflated by this build");
            if status == Status::StreamEnd {
                break;
            }
            out.reserve(64);
        }
        if out.capacity() > out.len() {
            out = out.as_slice().to_vec();
        }
        out
    })
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
