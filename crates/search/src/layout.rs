//! Cutting a new index into chunks (writer only): the bytes a reader reads to
//! open the index (footers, term dictionaries) are hot; the rest is cut where
//! tantivy's own units start — a term's postings or positions, a block of stored
//! documents, a field's norms — so a query fetches few, small chunks.
//!
//! Both sets are found by watching: the segment is opened from a stream that
//! logs every read, once the way the reader opens it (the hot bytes), then
//! reading every unit once (the cut points).

use std::collections::BTreeSet;
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use tantivy::directory::OwnedBytes;

use crate::Error;
use crate::pack::{PackDirectory, PackedFile, Stream};
use crate::schema::{self, Fields};
use crate::segment::Segment;

/// How long a cold chunk may grow, by the kind of file, when it can be cut.
/// Every byte of a chunk is downloaded for the few a query reads in it: a
/// result shown reads one block of stored documents, a word one term's
/// postings (a few bytes to a few kilobytes), so those chunks are small; a
/// field's norms are read whole. Postings chunks of 2 kB rather than 4 kB
/// cost the 10k collection's first search 5 kB less (307 kB against 313 kB
/// until results and counts settle, slow 4G, `bench/search-browser.mjs`).
fn target_len(file: &str) -> usize {
    match Path::new(file).extension().and_then(|e| e.to_str()) {
        Some("store") => 2 * 1024,
        Some("idx") => 2 * 1024,
        Some("pos") => 8 * 1024,
        Some("fieldnorm") => 16 * 1024,
        _ => 64 * 1024,
    }
}

/// Hot reads closer than this are joined: a file per tiny gap costs more than the gap.
const HOT_GAP: usize = 512;

/// The chunks of `stream` (the lengths, in order) and which of them are hot.
pub(crate) fn cut(
    files: &[PackedFile],
    stream: OwnedBytes,
    documents: u32,
) -> Result<(Vec<u32>, Vec<u32>), Error> {
    let stream = Arc::new(Stream::watched(stream));
    let directory = PackDirectory::new(files, Arc::clone(&stream));
    let schema = schema::build();
    // As `Searcher::open_owned` opens it: footers, dictionaries, norms.
    let segment = Segment::open(&directory, &schema, documents)?;
    let hot = merged(stream.take_log(), HOT_GAP);

    let facets = Fields::resolve(&schema)?.facets;
    let mut reads = Vec::new();
    // Read together, so kept in one chunk: the taxonomy terms' postings, which
    // every count reads (as small chunks they were a request per few terms).
    let mut together = Vec::new();
    for (field, entry) in schema.fields() {
        if !entry.is_indexed() {
            continue;
        }
        let index = segment.field(field)?;
        let positions = entry
            .field_type()
            .get_index_record_option()
            .is_some_and(|o| o.has_positions());
        if let Some(dictionary) = index.terms() {
            for (_, info) in dictionary.iter() {
                index.touch(&info, positions)?;
            }
        }
        let log = stream.take_log();
        if field == facets {
            let start = log.iter().map(|r| r.start).min();
            let end = log.iter().map(|r| r.end).max();
            together.extend(start.zip(end).map(|(start, end)| start..end));
        }
        reads.extend(log);
    }
    segment.touch_store()?;
    reads.extend(stream.take_log());
    let mut cuts = BTreeSet::new();
    for range in reads {
        cuts.insert(range.start);
        cuts.insert(range.end);
    }
    for range in &together {
        let inside: Vec<usize> = cuts.range(range.start + 1..range.end).copied().collect();
        for cut in inside {
            cuts.remove(&cut);
        }
    }

    let mut chunks: Vec<u32> = Vec::new();
    let mut hot_chunks: Vec<u32> = Vec::new();
    let mut push = |range: Range<usize>, is_hot: bool| -> Result<(), Error> {
        if range.is_empty() {
            return Ok(());
        }
        if is_hot {
            hot_chunks.push(chunks.len() as u32);
        }
        let len = u32::try_from(range.len())
            .map_err(|_| Error::Corrupt("a chunk is larger than 4 GiB".to_owned()))?;
        chunks.push(len);
        Ok(())
    };
    let mut start = 0usize;
    for file in files {
        let end = start + file.len as usize;
        let target = target_len(&file.name);
        let mut at = start;
        for range in hot.iter().filter(|r| r.start < end && r.end > start) {
            let hot_range = range.start.max(start)..range.end.min(end);
            for piece in split(at..hot_range.start, &cuts, target, &together) {
                push(piece, false)?;
            }
            push(hot_range.clone(), true)?;
            at = hot_range.end;
        }
        for piece in split(at..end, &cuts, target, &together) {
            push(piece, false)?;
        }
        start = end;
    }
    Ok((chunks, hot_chunks))
}

/// `ranges` sorted and joined where they overlap or lie within `gap` bytes.
fn merged(mut ranges: Vec<Range<usize>>, gap: usize) -> Vec<Range<usize>> {
    ranges.retain(|r| !r.is_empty());
    ranges.sort_by_key(|r| (r.start, r.end));
    let mut out: Vec<Range<usize>> = Vec::new();
    for range in ranges {
        match out.last_mut() {
            Some(last) if range.start <= last.end + gap => last.end = last.end.max(range.end),
            _ => out.push(range),
        }
    }
    out
}

/// `range` in pieces of at most `target` bytes, cut only at `cuts`; a unit
/// longer than `target` stays whole. Without any cut inside, fixed-size
/// pieces, unless `range` lies within one of the `whole` ranges.
fn split(
    range: Range<usize>,
    cuts: &BTreeSet<usize>,
    target: usize,
    whole: &[Range<usize>],
) -> Vec<Range<usize>> {
    if range.is_empty() {
        return Vec::new();
    }
    let inside: Vec<usize> = cuts
        .range(range.start + 1..range.end)
        .copied()
        .chain([range.end])
        .collect();
    let within_whole = whole
        .iter()
        .any(|w| w.start <= range.start && range.end <= w.end);
    let inside = if inside.len() == 1 && !within_whole {
        (1..=range.len().div_ceil(target))
            .map(|i| (range.start + i * target).min(range.end))
            .collect()
    } else {
        inside
    };
    let mut pieces = Vec::new();
    let mut start = range.start;
    let mut last_cut = range.start;
    for cut in inside {
        if cut - start > target && last_cut > start {
            pieces.push(start..last_cut);
            start = last_cut;
        }
        last_cut = cut;
    }
    pieces.push(start..range.end);
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_stop_at_cuts_and_keep_long_units_whole() {
        let cuts: BTreeSet<usize> = [10, 20, 25, 60, 70].into_iter().collect();
        assert_eq!(
            split(0..80, &cuts, 20, &[]),
            [0..20, 20..25, 25..60, 60..80],
            "25..60 is longer than 20 and stays whole"
        );
        assert!(split(5..5, &cuts, 20, &[]).is_empty());
        assert_eq!(
            split(100..145, &cuts, 20, &[]),
            [100..120, 120..140, 140..145]
        );
        // Within a range read whole, no fixed-size pieces.
        let whole = Range {
            start: 90,
            end: 150,
        };
        let kept = split(100..145, &cuts, 20, std::slice::from_ref(&whole));
        assert_eq!(kept.len(), 1, "{kept:?}");
        assert_eq!(kept[0], 100..145);
    }

    #[test]
    fn hot_reads_join_across_small_gaps() {
        assert_eq!(
            merged(vec![30..40, 0..10, 12..20, 5..8], 2),
            [0..20, 30..40]
        );
    }
}
