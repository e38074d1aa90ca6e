//! One term's postings and positions, decoded from tantivy 0.27's segment
//! files: tantivy exposes its term dictionaries and positions but keeps its
//! postings decoder to itself.
//!
//! A term's postings are blocks of 128 documents, bit-packed, then the last
//! `doc_freq % 128` documents as variable-length integers. A term with at least
//! one full block starts with its skip list: a length, then one entry per full
//! block (its last document, its bit widths and, by the field's options, block
//! scoring data), 5, 8 or 12 bytes each. Documents are gaps from the previous
//! document (the first from 0); in a full block each gap is stored minus one,
//! and so are the frequencies. A term's positions are likewise gaps, restarting
//! at 0 in each document, in full blocks of 128 whose bit widths lead, then a
//! variable-length tail.
//!
//! Each term's bytes are read in one call on exactly its range: the browser
//! fetches the chunks of the index that reads touch.

use std::io;
use std::num::NonZeroU32;
use std::ops::Range;

use tantivy::HasLen;
use tantivy::directory::{FileSlice, OwnedBytes};
use tantivy::postings::TermInfo;

/// Values in a bit-packed block.
const BLOCK: usize = 128;

/// Unpacks a block of 128 values of `bits` bits each, laid out as the
/// `bitpacking` crate's `BitPacker4x` packs them (tantivy's choice): value `i`
/// in lane `i % 4`, each lane's values low bits first in that lane's `u32` of
/// successive 16-byte words. `packed` holds `16 * bits` bytes.
///
/// Written out rather than taken from `bitpacking`: its unrolled decoders,
/// one per width and kind, were 40 kB of the gzipped browser module.
fn unpack(packed: &[u8], bits: u8, out: &mut [u32; BLOCK]) {
    let bits = u32::from(bits);
    if bits == 0 {
        out.fill(0);
        return;
    }
    let word = |k: u32, lane: u32| {
        let at = ((k * 4 + lane) * 4) as usize;
        let mut bytes = [0u8; 4];
        bytes.copy_from_slice(&packed[at..at + 4]);
        u64::from(u32::from_le_bytes(bytes))
    };
    let mask = (1u64 << bits) - 1;
    for (i, value) in out.iter_mut().enumerate() {
        let (start, lane) = (i as u32 / 4 * bits, i as u32 % 4);
        let (k, shift) = (start / 32, start % 32);
        let mut v = word(k, lane) >> shift;
        if shift + bits > 32 {
            v |= word(k + 1, lane) << (32 - shift);
        }
        *value = (v & mask) as u32;
    }
}

/// A term's postings, decoded whole: documents ascending, and each one's
/// term frequency (all 1 when the field keeps no frequencies).
pub(crate) struct Postings {
    pub docs: Vec<u32>,
    pub freqs: Vec<u32>,
}

/// Decodes the postings of one term. `postings` is the field's section of the
/// segment's `.idx` file after its first 8 bytes (the total token count), i.e.
/// exactly what tantivy's `InvertedIndexReader` keeps as `postings_file_slice`;
/// `info` is the term's `TermInfo` from the term dictionary; `with_freqs` is
/// whether the field was indexed with frequencies (`IndexRecordOption::has_freq`
/// of the field's own option).
pub(crate) fn read_postings(
    postings: &FileSlice,
    info: &TermInfo,
    with_freqs: bool,
) -> io::Result<Postings> {
    let bytes = read(postings, &info.postings_range)?;
    decode_postings(bytes.as_slice(), info.doc_freq, with_freqs)
}

/// The positions of one term in each of its documents (absolute token positions,
/// ascending, as tantivy's `Postings::positions` gives them), in the order of
/// `freqs` (the same term's frequencies). `positions` is the field's section of
/// the `.pos` file.
pub(crate) fn read_positions(
    positions: &FileSlice,
    info: &TermInfo,
    freqs: &[u32],
) -> io::Result<Vec<Vec<u32>>> {
    let bytes = read(positions, &info.positions_range)?;
    decode_positions(bytes.as_slice(), freqs)
}

/// Reads a term's range; tantivy panics on a range past the end of the slice,
/// which a damaged dictionary entry may give.
fn read(slice: &FileSlice, range: &Range<usize>) -> io::Result<OwnedBytes> {
    if range.start > range.end || range.end > slice.len() {
        return Err(corrupt());
    }
    slice.read_bytes_slice(range.clone())
}

pub(super) fn corrupt() -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, "corrupt postings")
}

/// The bytes not yet decoded.
pub(super) struct Input<'a>(pub(super) &'a [u8]);

impl<'a> Input<'a> {
    pub(super) fn take(&mut self, len: usize) -> io::Result<&'a [u8]> {
        if len > self.0.len() {
            return Err(corrupt());
        }
        let (head, rest) = self.0.split_at(len);
        self.0 = rest;
        Ok(head)
    }

    /// A little-endian `u32`.
    pub(super) fn u32(&mut self) -> io::Result<u32> {
        let bytes = self.take(4)?;
        Ok(u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]))
    }

    /// A little-endian `u64`.
    pub(super) fn u64(&mut self) -> io::Result<u64> {
        Ok(u64::from(self.u32()?) | u64::from(self.u32()?) << 32)
    }

    /// A variable-length integer: 7 bits a byte, low bits first, the high
    /// bit set on the last byte.
    pub(super) fn vint(&mut self) -> io::Result<u32> {
        let mut value = 0u64;
        for shift in (0..35).step_by(7) {
            let (&byte, rest) = self.0.split_first().ok_or_else(corrupt)?;
            self.0 = rest;
            value |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 != 0 {
                return u32::try_from(value).map_err(|_| corrupt());
            }
        }
        Err(corrupt())
    }

    /// One bit-packed block of 128 values `bits` wide (tantivy's byte
    /// encodings allow up to 32).
    fn packed(&mut self, bits: u8) -> io::Result<&'a [u8]> {
        if bits > 32 {
            return Err(corrupt());
        }
        self.take(usize::from(bits) * BLOCK / 8)
    }
}

fn decode_postings(data: &[u8], doc_freq: u32, with_freqs: bool) -> io::Result<Postings> {
    let mut input = Input(data);
    let full_blocks = doc_freq as usize / BLOCK;
    let (skips, entry) = if full_blocks == 0 {
        (&[][..], 1)
    } else {
        let len = input.vint()? as usize;
        let skips = input.take(len)?;
        // The entry size tells what the blocks hold: 5 bytes, documents only;
        // 8, frequencies too; 12, also the frequency sum that positions skip by.
        let entry = [5, 8, 12]
            .into_iter()
            .find(|entry| entry * full_blocks == len);
        (skips, entry.ok_or_else(corrupt)?)
    };
    // Tantivy reads a term written without frequencies in a field with them
    // (a JSON field's numbers) the same way; our schema has none.
    let with_freqs = with_freqs && entry != 5;
    // `doc_freq` is now bounded by the bytes read: at most 5 bytes a full
    // block, and fewer than 128 documents after them.
    let count = doc_freq as usize;
    let mut docs = Vec::with_capacity(count);
    let mut freqs = Vec::with_capacity(if with_freqs { count } else { 0 });
    let mut block = [0u32; BLOCK];
    let mut last = 0u32;
    for skip in skips.chunks_exact(entry) {
        // The flag 0x40 marks gaps stored minus one, as tantivy 0.27 writes
        // every block. Older versions wrote plain gaps: reading them would link
        // a third unrolled decoder into the browser's module, for indexes that
        // our writer (the same tantivy) never makes.
        let bits = skip[4];
        if bits & 0xe0 != 0x40 {
            return Err(corrupt());
        }
        let doc_bits = bits & 0x1f;
        let packed = input.packed(doc_bits)?;
        // The first block's gaps count from "before 0", its first document
        // being its gap.
        let mut previous = NonZeroU32::new(last).map_or(u32::MAX, NonZeroU32::get);
        unpack(packed, doc_bits, &mut block);
        for doc in &mut block {
            previous = previous.wrapping_add(*doc).wrapping_add(1);
            *doc = previous;
        }
        last = block[BLOCK - 1];
        if skip[..4] != last.to_le_bytes() {
            return Err(corrupt());
        }
        docs.extend_from_slice(&block);
        if entry > 5 {
            let tf_bits = skip[5];
            let packed = input.packed(tf_bits)?;
            if with_freqs {
                unpack(packed, tf_bits, &mut block);
                freqs.extend(block.iter().map(|f| f.wrapping_add(1)));
            }
        }
    }
    let tail = count - docs.len();
    for _ in 0..tail {
        last = last.checked_add(input.vint()?).ok_or_else(corrupt)?;
        docs.push(last);
    }
    if with_freqs {
        for _ in 0..tail {
            freqs.push(input.vint()?);
        }
    } else {
        freqs.resize(count, 1);
    }
    // Any byte left over, or documents out of order, mean the range or the
    // dictionary entry does not describe this term.
    if !input.0.is_empty() || docs.windows(2).any(|pair| pair[0] >= pair[1]) {
        return Err(corrupt());
    }
    Ok(Postings { docs, freqs })
}

fn decode_positions(data: &[u8], freqs: &[u32]) -> io::Result<Vec<Vec<u32>>> {
    let mut input = Input(data);
    let full_blocks = input.vint()? as usize;
    let widths = input.take(full_blocks)?;
    let mut block = [0u32; BLOCK];
    let mut gaps = Vec::with_capacity(full_blocks * BLOCK);
    for &bits in widths {
        unpack(input.packed(bits)?, bits, &mut block);
        gaps.extend_from_slice(&block);
    }
    // The tail runs to the end of the range: its length is not stored.
    while !input.0.is_empty() {
        gaps.push(input.vint()?);
    }
    let mut rest = &gaps[..];
    let mut positions = Vec::with_capacity(freqs.len());
    for &freq in freqs {
        if freq as usize > rest.len() {
            return Err(corrupt());
        }
        let (doc, after) = rest.split_at(freq as usize);
        rest = after;
        let mut position = 0u32;
        positions.push(
            doc.iter()
                .map(|gap| {
                    position = position.wrapping_add(*gap);
                    position
                })
                .collect(),
        );
    }
    if !rest.is_empty() {
        return Err(corrupt());
    }
    Ok(positions)
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use tantivy::directory::{CompositeFile, FileHandle, RamDirectory};
    use tantivy::index::SegmentComponent;
    use tantivy::postings::Postings as _;
    use tantivy::schema::{
        Field, INDEXED, IndexRecordOption, Schema, TextFieldIndexing, TextOptions,
    };
    use tantivy::{DocSet, Index, SegmentReader, TERMINATED, TantivyDocument};

    #[test]
    fn blocks_unpack_as_bitpacking_packs_them() {
        use bitpacking::{BitPacker, BitPacker4x};
        let packer = BitPacker4x::new();
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        for bits in 0..=32u8 {
            for _ in 0..20 {
                let mut values = [0u32; BLOCK];
                for value in &mut values {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    let mask = if bits == 32 {
                        u32::MAX
                    } else {
                        (1u32 << bits) - 1
                    };
                    *value = seed as u32 & mask;
                }
                let mut packed = vec![0u8; 16 * usize::from(bits)];
                let written = packer.compress(&values, &mut packed, bits);
                assert_eq!(written, packed.len());
                let mut out = [0u32; BLOCK];
                unpack(&packed, bits, &mut out);
                assert_eq!(out, values, "{bits} bits");
            }
        }
    }

    use super::*;

    /// Deterministic pseudo-random numbers (xorshift).
    struct Rng(u64);

    impl Rng {
        fn below(&mut self, n: u64) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0 % n
        }
    }

    /// Words skewed towards the first of a small vocabulary, so that some
    /// terms are in most documents and others in a few.
    fn words(rng: &mut Rng, count: u64) -> String {
        let mut out = String::new();
        for _ in 0..rng.below(count) + 1 {
            let word = rng.below(40) * rng.below(40) / 40;
            out.push_str(&format!("w{word} "));
        }
        out
    }

    /// 1,000 documents in a field for each record option, with norms and
    /// without, several values in one, and an indexed number; terms in exactly
    /// 128 and 256 documents, and one repeated 300 times in a document.
    fn index() -> (Index, Vec<Field>) {
        use IndexRecordOption::{Basic, WithFreqs, WithFreqsAndPositions};
        let mut builder = Schema::builder();
        let mut fields = Vec::new();
        for (name, option, norms) in [
            ("positions", WithFreqsAndPositions, true),
            ("freqs", WithFreqs, true),
            ("basic", Basic, true),
            ("values", WithFreqsAndPositions, false),
            ("short", WithFreqs, false),
        ] {
            let options = TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_index_option(option)
                    .set_fieldnorms(norms),
            );
            fields.push(builder.add_text_field(name, options));
        }
        let id = builder.add_u64_field("id", INDEXED);
        let mut writer = Index::builder()
            .schema(builder.build())
            .single_segment_index_writer(RamDirectory::create(), 15_000_000)
            .unwrap();
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        for i in 0..1000u64 {
            let mut extra = String::new();
            if i < 128 {
                extra.push_str("k128 ");
            }
            if i % 3 == 0 && i < 768 {
                extra.push_str("k256 ");
            }
            if i % 97 == 5 {
                extra.push_str(&"often ".repeat(300));
            }
            let mut doc = TantivyDocument::default();
            for (n, &field) in fields.iter().enumerate() {
                let before = words(&mut rng, 30 / (n as u64 + 1));
                doc.add_text(field, format!("{before}{extra}{}", words(&mut rng, 20)));
            }
            doc.add_text(fields[3], words(&mut rng, 10));
            doc.add_u64(id, i);
            writer.add_document(doc).unwrap();
        }
        fields.push(id);
        (writer.finalize().unwrap(), fields)
    }

    fn section(reader: &SegmentReader, component: SegmentComponent, field: Field) -> FileSlice {
        let file = reader.open_read(component).unwrap();
        CompositeFile::open(&file)
            .unwrap()
            .open_read(field)
            .unwrap()
    }

    #[test]
    fn every_term_decodes_as_tantivy_reads_it() {
        let (index, fields) = index();
        let searcher = index.reader().unwrap().searcher();
        let reader = searcher.segment_reader(0);
        let mut seen = [false; 4];
        for &field in &fields {
            let schema = index.schema();
            let option = schema.get_field_entry(field).field_type();
            let option = option.get_index_record_option().unwrap();
            let inverted = reader.inverted_index(field).unwrap();
            let postings = section(reader, SegmentComponent::Postings, field).slice_from(8);
            let positions = section(reader, SegmentComponent::Positions, field);
            assert!(inverted.terms().num_terms() > 0);
            let mut terms = inverted.terms().stream().unwrap();
            while terms.advance() {
                let info = terms.value();
                let term = String::from_utf8_lossy(terms.key()).into_owned();
                let ours = read_postings(&postings, info, option.has_freq()).unwrap();
                let mut theirs = inverted.read_postings_from_terminfo(info, option).unwrap();
                let mut want = Vec::new();
                while theirs.doc() != TERMINATED {
                    let mut at = Vec::new();
                    if option.has_positions() {
                        theirs.positions(&mut at);
                    }
                    want.push((theirs.doc(), theirs.term_freq(), at));
                    theirs.advance();
                }
                assert_eq!(ours.docs.len(), info.doc_freq as usize, "{term}");
                let got_positions = if option.has_positions() {
                    read_positions(&positions, info, &ours.freqs).unwrap()
                } else {
                    vec![Vec::new(); ours.docs.len()]
                };
                let got: Vec<_> = (ours.docs.iter().zip(&ours.freqs).zip(got_positions))
                    .map(|((&doc, &freq), at)| (doc, freq, at))
                    .collect();
                assert_eq!(got, want, "{term} in {option:?}");
                let most = ours.freqs.iter().max().copied().unwrap_or(0);
                seen[0] |= info.doc_freq > 600;
                seen[1] |= info.doc_freq == 128;
                seen[2] |= info.doc_freq == 256;
                seen[3] |= most >= 300 && option.has_positions();
            }
        }
        assert_eq!(seen, [true; 4], "the index covers every case");
    }

    /// A file that records the ranges read from it, and fails reads when told.
    #[derive(Debug)]
    struct Watched {
        bytes: OwnedBytes,
        reads: std::sync::Mutex<Vec<(usize, usize)>>,
        fail: std::sync::atomic::AtomicBool,
    }

    impl HasLen for Watched {
        fn len(&self) -> usize {
            self.bytes.len()
        }
    }

    impl FileHandle for Watched {
        fn read_bytes(&self, range: Range<usize>) -> io::Result<OwnedBytes> {
            self.reads.lock().unwrap().push((range.start, range.end));
            if self.fail.load(std::sync::atomic::Ordering::Relaxed) {
                return Err(io::Error::other("chunk not fetched"));
            }
            Ok(self.bytes.slice(range))
        }
    }

    fn watched(slice: &FileSlice) -> Arc<Watched> {
        Arc::new(Watched {
            bytes: slice.read_bytes().unwrap(),
            reads: Default::default(),
            fail: Default::default(),
        })
    }

    #[test]
    fn only_the_terms_range_is_read_and_read_errors_pass_through() {
        let (index, fields) = index();
        let searcher = index.reader().unwrap().searcher();
        let reader = searcher.segment_reader(0);
        let inverted = reader.inverted_index(fields[0]).unwrap();
        let postings = watched(&section(reader, SegmentComponent::Postings, fields[0]));
        let positions = watched(&section(reader, SegmentComponent::Positions, fields[0]));
        let postings_slice = FileSlice::new(postings.clone()).slice_from(8);
        let positions_slice = FileSlice::new(positions.clone());
        let mut terms = inverted.terms().stream().unwrap();
        while terms.advance() {
            let info = terms.value();
            postings.reads.lock().unwrap().clear();
            positions.reads.lock().unwrap().clear();
            let ours = read_postings(&postings_slice, info, true).unwrap();
            read_positions(&positions_slice, info, &ours.freqs).unwrap();
            let (at, pos) = (&info.postings_range, &info.positions_range);
            assert_eq!(
                *postings.reads.lock().unwrap(),
                [(at.start + 8, at.end + 8)]
            );
            assert_eq!(*positions.reads.lock().unwrap(), [(pos.start, pos.end)]);
        }
        for file in [&postings, &positions] {
            file.fail.store(true, std::sync::atomic::Ordering::Relaxed);
        }
        let info = terms_info(&inverted);
        let error = read_postings(&postings_slice, &info, true).err().unwrap();
        assert_eq!(error.to_string(), "chunk not fetched");
        let error = read_positions(&positions_slice, &info, &[1]).err().unwrap();
        assert_eq!(error.to_string(), "chunk not fetched");
    }

    fn terms_info(inverted: &tantivy::InvertedIndexReader) -> TermInfo {
        let mut terms = inverted.terms().stream().unwrap();
        assert!(terms.advance());
        terms.value().clone()
    }

    #[test]
    fn damaged_ranges_are_errors() {
        let (index, fields) = index();
        let searcher = index.reader().unwrap().searcher();
        let reader = searcher.segment_reader(0);
        let inverted = reader.inverted_index(fields[0]).unwrap();
        let postings = section(reader, SegmentComponent::Postings, fields[0]).slice_from(8);
        let positions = section(reader, SegmentComponent::Positions, fields[0]);
        let mut terms = inverted.terms().stream().unwrap();
        let mut checked = 0;
        while terms.advance() {
            let info = terms.value().clone();
            let bytes = postings
                .read_bytes_slice(info.postings_range.clone())
                .unwrap();
            let bytes = bytes.as_slice();
            let ours = decode_postings(bytes, info.doc_freq, true).unwrap();
            // Every truncation, an extra byte, and a doc_freq that is not the term's.
            for end in 0..bytes.len() {
                assert!(decode_postings(&bytes[..end], info.doc_freq, true).is_err());
            }
            let mut longer = bytes.to_vec();
            longer.push(0x81);
            assert!(decode_postings(&longer, info.doc_freq, true).is_err());
            assert!(decode_postings(bytes, info.doc_freq + 1, true).is_err());
            // Any byte changed must not panic (it may still decode).
            for at in 0..bytes.len() {
                for flip in [0x01, 0x40, 0x80, 0xff] {
                    let mut changed = bytes.to_vec();
                    changed[at] ^= flip;
                    let _ = decode_postings(&changed, info.doc_freq, true);
                }
            }
            let at = positions
                .read_bytes_slice(info.positions_range.clone())
                .unwrap();
            let at = at.as_slice();
            assert!(decode_positions(at, &ours.freqs).is_ok());
            for end in 0..at.len() {
                assert!(decode_positions(&at[..end], &ours.freqs).is_err());
            }
            let mut more = ours.freqs.clone();
            more[0] += 1;
            assert!(decode_positions(at, &more).is_err());
            for i in 0..at.len() {
                let mut changed = at.to_vec();
                changed[i] ^= 0xff;
                let _ = decode_positions(&changed, &ours.freqs);
            }
            checked += 1;
        }
        assert!(checked > 10);
        // A range outside the file is an error, not tantivy's panic.
        let short = FileSlice::from(vec![0x81u8]);
        for range in [0..2, Range { start: 1, end: 0 }] {
            let info = TermInfo {
                doc_freq: 1,
                postings_range: range.clone(),
                positions_range: range,
            };
            assert!(read_postings(&short, &info, false).is_err());
            assert!(read_positions(&short, &info, &[1]).is_err());
        }
        let info = TermInfo {
            doc_freq: 1,
            postings_range: 0..1,
            positions_range: 0..1,
        };
        assert_eq!(read_postings(&short, &info, false).unwrap().docs, [1]);
    }
}
