//! The index's one tantivy segment, read with tantivy's public file readers and our own postings decoder.

// Nothing reads the segment this way yet outside the decoder's tests.
#[cfg_attr(not(test), allow(dead_code))]
pub(crate) mod postings;
