//! One language's Snowball stemmer as a WebAssembly module of its own. The
//! search reader (`almanac-search-wasm`) links no stemmer; the search page
//! loads the module of its collection's language beside it, so a reader
//! downloads one algorithm rather than eighteen. `scripts/build-wasm.sh`
//! builds it once per algorithm, each with only that algorithm's feature.
//!
//! The interface is two exports and no bindings: `buffer()` is the address of
//! a [`CAPACITY`]-byte buffer in the module's memory; the caller writes a
//! lowercased word's UTF-8 there, calls `stem(length)`, and reads the stem's
//! UTF-8 from the same buffer, as many bytes as `stem` returned.

use std::borrow::Cow;

use frostem::{Algorithm, Stemmer};

/// Bytes the buffer holds; the reader's words are at most 40.
pub const CAPACITY: usize = 1024;

static mut BUFFER: [u8; CAPACITY] = [0; CAPACITY];

/// The algorithm this module was built with (the first feature enabled).
const ALGORITHM: Algorithm = {
    #[cfg(feature = "arabic")]
    let algorithm = Algorithm::Arabic;
    #[cfg(feature = "danish")]
    let algorithm = Algorithm::Danish;
    #[cfg(feature = "dutch")]
    let algorithm = Algorithm::Dutch;
    #[cfg(feature = "english")]
    let algorithm = Algorithm::English;
    #[cfg(feature = "finnish")]
    let algorithm = Algorithm::Finnish;
    #[cfg(feature = "french")]
    let algorithm = Algorithm::French;
    #[cfg(feature = "german")]
    let algorithm = Algorithm::German;
    #[cfg(feature = "greek")]
    let algorithm = Algorithm::Greek;
    #[cfg(feature = "hungarian")]
    let algorithm = Algorithm::Hungarian;
    #[cfg(feature = "italian")]
    let algorithm = Algorithm::Italian;
    #[cfg(feature = "norwegian")]
    let algorithm = Algorithm::Norwegian;
    #[cfg(feature = "portuguese")]
    let algorithm = Algorithm::Portuguese;
    #[cfg(feature = "romanian")]
    let algorithm = Algorithm::Romanian;
    #[cfg(feature = "russian")]
    let algorithm = Algorithm::Russian;
    #[cfg(feature = "spanish")]
    let algorithm = Algorithm::Spanish;
    #[cfg(feature = "swedish")]
    let algorithm = Algorithm::Swedish;
    #[cfg(feature = "tamil")]
    let algorithm = Algorithm::Tamil;
    #[cfg(feature = "turkish")]
    let algorithm = Algorithm::Turkish;
    algorithm
};

/// The address of the buffer words and stems pass through.
#[unsafe(no_mangle)]
pub extern "C" fn buffer() -> *mut u8 {
    (&raw mut BUFFER).cast()
}

/// Stems the word in the first `len` bytes of the buffer, writes the stem
/// there and returns its length. A word that is not UTF-8, or whose stem
/// would not fit, is left as it is.
#[unsafe(no_mangle)]
pub extern "C" fn stem(len: usize) -> usize {
    // SAFETY: the module runs on one thread and the caller uses the buffer
    // only between calls, so nothing else refers to it now.
    let Some(buffer) = (unsafe { (&raw mut BUFFER).as_mut() }) else {
        return 0;
    };
    stem_in(buffer, len)
}

fn stem_in(buffer: &mut [u8; CAPACITY], len: usize) -> usize {
    let Some(word) = buffer.get(..len).and_then(|b| std::str::from_utf8(b).ok()) else {
        return len.min(CAPACITY);
    };
    let stemmed = match Stemmer::new(ALGORITHM).stem(word) {
        Cow::Borrowed(stem) => stem.to_owned(),
        Cow::Owned(stem) => stem,
    };
    let bytes = stemmed.as_bytes();
    if bytes.len() > CAPACITY {
        return len;
    }
    buffer[..bytes.len()].copy_from_slice(bytes);
    bytes.len()
}

#[cfg(all(test, feature = "english"))]
mod tests {
    use super::*;

    fn stemmed(word: &str) -> String {
        let mut buffer = [0u8; CAPACITY];
        buffer[..word.len()].copy_from_slice(word.as_bytes());
        let len = stem_in(&mut buffer, word.len());
        String::from_utf8(buffer[..len].to_vec()).expect("UTF-8")
    }

    #[test]
    fn stems_through_the_buffer() {
        assert_eq!(stemmed("assessments"), "assess");
        assert_eq!(stemmed("policies"), "polici");
        assert_eq!(stemmed(""), "");
    }

    #[test]
    fn leaves_what_is_not_utf8() {
        let mut buffer = [0u8; CAPACITY];
        buffer[..2].copy_from_slice(&[0xff, 0xfe]);
        assert_eq!(stem_in(&mut buffer, 2), 2);
        assert_eq!(&buffer[..2], &[0xff, 0xfe]);
    }
}
