//! The packed index: one small hot file that every search needs (the header,
//! tantivy's footers and term dictionaries) and cold chunk files that a reader
//! fetches only when a query reads them; and a read-only tantivy `Directory`
//! over whatever has arrived.
//!
//! Tantivy's files are laid end to end, in the header's order, as one stream,
//! and the stream is cut into chunks. The hot file `index.<hash>.bin` holds an
//! 8-byte marker, the format version (u32 LE), the header length (u32 LE), the
//! header (`Header` in postcard's encoding), then the bytes of every hot chunk
//! in stream order. Every other chunk `i` is the file `index.<hash>/<i>.bin`
//! beside it: plain files work on any static host, and the hash in the
//! folder's name makes them safe to cache.
//!
//! Every file is stored deflated (raw deflate, RFC 1951): hosts compress text
//! types but seldom `application/octet-stream`, so the index travels as small
//! on a host that compresses nothing as on one that compresses everything. The
//! browser inflates with `DecompressionStream("deflate-raw")`; the reader below
//! is handed inflated bytes, so the module carries no inflater.

use std::collections::BTreeSet;
use std::fmt;
use std::io;
use std::ops::Range;
use std::sync::{Arc, Mutex, MutexGuard};

use serde::{Deserialize, Serialize};
use tantivy::HasLen;
use tantivy::directory::{FileHandle, FileSlice, OwnedBytes};

use crate::analysis::Analysis;
use crate::document::TaxonomyInfo;
use crate::{Error, FORMAT_VERSION};

const MAGIC: &[u8; 8] = b"ALMSRCH\0";
const PREFIX_LEN: usize = MAGIC.len() + 4 + 4;

/// A file to place in the site's `search/` folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexFile {
    /// Path in that folder, content-hashed so it can be cached forever:
    /// `index.<hash>.bin` for the hot file, `index.<hash>/<n>.bin` for chunk `n`.
    pub name: String,
    /// The file as published: deflated (see [`inflate`]).
    pub bytes: Vec<u8>,
}

/// An index file's bytes as published: raw deflate at the best ratio. The
/// output depends only on the input (no header, no timestamp).
#[cfg(feature = "writer")]
pub(crate) fn deflate(bytes: &[u8]) -> Result<Vec<u8>, Error> {
    Ok(BEST.with_borrow_mut(|compress| deflate_with(compress, bytes)))
}

#[cfg(feature = "writer")]
thread_local! {
    // A compressor's state is a few hundred kB: made for every chunk file it
    // was most of the cost of deflating one. Each thread keeps one and resets it.
    static BEST: std::cell::RefCell<flate2::Compress> =
        std::cell::RefCell::new(flate2::Compress::new(flate2::Compression::best(), false));
}

/// `bytes` deflated whole by `compress`, reset first.
#[cfg(feature = "writer")]
fn deflate_with(compress: &mut flate2::Compress, bytes: &[u8]) -> Vec<u8> {
    use flate2::{FlushCompress, Status};
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
}

/// A published index file's bytes inflated, as the browser's
/// `DecompressionStream("deflate-raw")` gives them to the reader.
#[cfg(feature = "files")]
pub fn inflate(bytes: &[u8]) -> Result<Vec<u8>, Error> {
    use std::io::Read;
    let mut out = Vec::with_capacity(bytes.len() * 3);
    flate2::read::DeflateDecoder::new(bytes)
        .read_to_end(&mut out)
        .map_err(|e| Error::Corrupt(format!("an index file does not inflate: {e}")))?;
    Ok(out)
}

/// What the reader needs beside the tantivy files, and where those files are.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct Header {
    pub language: String,
    /// How many documents the index holds.
    pub documents: u32,
    pub taxonomies: Vec<TaxonomyInfo>,
    /// Glossary terms, so a query that names one can show its definition.
    pub glossary: Vec<GlossaryEntry>,
    /// Stop words and acronyms for reading queries.
    #[serde(default)]
    pub analysis: Analysis,
    /// The tantivy files, in stream order.
    pub files: Vec<PackedFile>,
    /// The length of every chunk, in stream order.
    pub chunks: Vec<u32>,
    /// The chunks held by the hot file, ascending.
    pub hot: Vec<u32>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct GlossaryEntry {
    pub title: String,
    pub url: String,
    /// The term's document in the index, whose stored summary is its
    /// definition: read with the results rather than carried in every
    /// reader's first download.
    pub doc: u32,
    pub synonyms: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct PackedFile {
    pub name: String,
    pub len: u64,
}

/// The hot file's bytes for `header` and `stream` (the tantivy files end to
/// end); `header.chunks` and `header.hot` must already describe `stream`.
#[cfg(feature = "writer")]
pub(crate) fn encode_hot(header: &Header, stream: &[u8]) -> Result<Vec<u8>, Error> {
    let encoded = postcard::to_allocvec(header)?;
    let header_len = u32::try_from(encoded.len())
        .map_err(|_| Error::Corrupt("the index header is larger than 4 GiB".to_owned()))?;
    let mut out = Vec::with_capacity(PREFIX_LEN + encoded.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    out.extend_from_slice(&header_len.to_le_bytes());
    out.extend_from_slice(&encoded);
    let bounds = bounds(&header.chunks);
    for &chunk in &header.hot {
        let chunk = chunk as usize;
        out.extend_from_slice(&stream[bounds[chunk]..bounds[chunk + 1]]);
    }
    Ok(out)
}

/// Reads a hot file: its header, and a directory over its files in which only
/// the hot chunks are present so far.
pub(crate) fn decode(bytes: OwnedBytes) -> Result<(Header, PackDirectory), Error> {
    let data = bytes.as_slice();
    if data.len() < PREFIX_LEN || &data[..MAGIC.len()] != MAGIC {
        return Err(Error::NotAnIndex);
    }
    let version = read_u32(&data[8..12]);
    if version != FORMAT_VERSION {
        return Err(Error::UnsupportedVersion {
            found: version,
            expected: FORMAT_VERSION,
        });
    }
    let header_len = read_u32(&data[12..16]) as usize;
    let header_end = PREFIX_LEN
        .checked_add(header_len)
        .filter(|&end| end <= data.len())
        .ok_or_else(|| Error::Corrupt("the header runs past the end of the file".to_owned()))?;
    let header: Header = postcard::from_bytes(&data[PREFIX_LEN..header_end])?;

    let stream = Stream::new(&header.chunks);
    let files_len: u64 = header.files.iter().map(|f| f.len).sum();
    if files_len != stream.len() as u64 {
        return Err(Error::Corrupt(
            "the chunks do not add up to the files".to_owned(),
        ));
    }
    let mut at = header_end;
    {
        let mut chunks = stream.lock();
        for &chunk in &header.hot {
            let chunk = chunk as usize;
            let len = stream
                .chunk_len(chunk)
                .ok_or_else(|| Error::Corrupt(format!("hot chunk {chunk} does not exist")))?;
            let end = at
                .checked_add(len)
                .filter(|&end| end <= data.len())
                .ok_or_else(|| Error::Corrupt(format!("hot chunk {chunk} runs past the end")))?;
            chunks[chunk] = Some(bytes.slice(at..end));
            at = end;
        }
    }
    if at != data.len() {
        return Err(Error::Corrupt(
            "unexpected bytes after the last hot chunk".to_owned(),
        ));
    }
    let directory = PackDirectory::new(&header.files, Arc::new(stream));
    Ok((header, directory))
}

fn read_u32(bytes: &[u8]) -> u32 {
    let mut word = [0u8; 4];
    word.copy_from_slice(bytes);
    u32::from_le_bytes(word)
}

/// Where each chunk starts, and the stream's length last.
fn bounds(lens: &[u32]) -> Vec<usize> {
    let mut bounds = Vec::with_capacity(lens.len() + 1);
    let mut at = 0usize;
    bounds.push(at);
    for &len in lens {
        at += len as usize;
        bounds.push(at);
    }
    bounds
}

/// The tantivy files end to end, as far as their chunks have arrived.
///
/// A read that touches a chunk not yet loaded fails, and the chunk is noted as
/// missing, so a search can say which chunks to fetch before it is tried again.
pub(crate) struct Stream {
    bounds: Vec<usize>,
    chunks: Mutex<Vec<Option<OwnedBytes>>>,
    missing: Mutex<BTreeSet<usize>>,
    /// Every range read, when the writer is watching which bytes a reader needs.
    log: Option<Mutex<Vec<Range<usize>>>>,
}

impl fmt::Debug for Stream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Stream")
            .field("len", &self.len())
            .field("chunks", &self.chunk_count())
            .finish_non_exhaustive()
    }
}

/// Locks that a panic elsewhere poisoned still guard consistent data here:
/// every update is a single assignment or insertion.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Stream {
    fn new(lens: &[u32]) -> Stream {
        Stream {
            bounds: bounds(lens),
            chunks: Mutex::new(vec![None; lens.len()]),
            missing: Mutex::new(BTreeSet::new()),
            log: None,
        }
    }

    /// The whole stream as one loaded chunk, logging every read.
    #[cfg(feature = "writer")]
    pub(crate) fn watched(bytes: OwnedBytes) -> Stream {
        let len = bytes.len();
        Stream {
            bounds: vec![0, len],
            chunks: Mutex::new(vec![Some(bytes)]),
            missing: Mutex::new(BTreeSet::new()),
            log: Some(Mutex::new(Vec::new())),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Vec<Option<OwnedBytes>>> {
        lock(&self.chunks)
    }

    pub(crate) fn len(&self) -> usize {
        self.bounds.last().copied().unwrap_or(0)
    }

    pub(crate) fn chunk_count(&self) -> usize {
        self.bounds.len() - 1
    }

    fn chunk_len(&self, chunk: usize) -> Option<usize> {
        Some(self.bounds.get(chunk + 1)? - self.bounds[chunk])
    }

    /// Adds a fetched chunk. Its length is checked; a chunk already present is kept.
    pub(crate) fn add(&self, chunk: usize, bytes: Vec<u8>) -> Result<(), Error> {
        let Some(len) = self.chunk_len(chunk) else {
            return Err(Error::Corrupt(format!("chunk {chunk} does not exist")));
        };
        if bytes.len() != len {
            return Err(Error::Corrupt(format!(
                "chunk {chunk} has {} bytes, the header says {len}",
                bytes.len()
            )));
        }
        let mut chunks = self.lock();
        if chunks[chunk].is_none() {
            chunks[chunk] = Some(OwnedBytes::new(bytes));
        }
        drop(chunks);
        lock(&self.missing).remove(&chunk);
        Ok(())
    }

    /// Whether every chunk has arrived (then no read can fail).
    #[cfg(any(test, feature = "files"))]
    pub(crate) fn is_complete(&self) -> bool {
        self.lock().iter().all(Option::is_some)
    }

    /// The chunks that reads found missing since the last call.
    pub(crate) fn take_missing(&self) -> Vec<usize> {
        std::mem::take(&mut *lock(&self.missing))
            .into_iter()
            .collect()
    }

    /// The ranges read since the last call (only when watched).
    #[cfg(feature = "writer")]
    pub(crate) fn take_log(&self) -> Vec<Range<usize>> {
        self.log
            .as_ref()
            .map(|log| std::mem::take(&mut *lock(log)))
            .unwrap_or_default()
    }

    /// The chunk holding byte `at`.
    fn chunk_at(&self, at: usize) -> usize {
        self.bounds.partition_point(|&start| start <= at) - 1
    }

    fn read(&self, range: Range<usize>) -> io::Result<OwnedBytes> {
        if let Some(log) = &self.log {
            lock(log).push(range.clone());
        }
        if range.is_empty() {
            return Ok(OwnedBytes::empty());
        }
        if range.end > self.len() {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "read past the end of the search index",
            ));
        }
        let first = self.chunk_at(range.start);
        let last = self.chunk_at(range.end - 1);
        let chunks = self.lock();
        let absent: Vec<usize> = (first..=last).filter(|&c| chunks[c].is_none()).collect();
        if !absent.is_empty() {
            drop(chunks);
            // The chunks are noted below; the message need not list them.
            let message = "search index chunks are not loaded yet";
            lock(&self.missing).extend(absent);
            return Err(io::Error::other(message));
        }
        let present = |chunk: usize| chunks[chunk].as_ref().map(OwnedBytes::as_slice);
        if first == last {
            let start = self.bounds[first];
            if let Some(bytes) = &chunks[first] {
                return Ok(bytes.slice(range.start - start..range.end - start));
            }
        }
        // A read across chunks copies them into one buffer; chunk boundaries
        // follow tantivy's own units, so this is rare.
        let mut out = Vec::with_capacity(range.len());
        for chunk in first..=last {
            let start = self.bounds[chunk];
            let bytes = present(chunk).unwrap_or_default();
            let from = range.start.max(start) - start;
            let to = range.end.min(self.bounds[chunk + 1]) - start;
            out.extend_from_slice(&bytes[from..to]);
        }
        Ok(OwnedBytes::new(out))
    }
}

/// One tantivy file: a window on the stream.
#[derive(Debug, Clone)]
struct StreamFile {
    stream: Arc<Stream>,
    start: usize,
    len: usize,
}

impl HasLen for StreamFile {
    fn len(&self) -> usize {
        self.len
    }
}

impl FileHandle for StreamFile {
    fn read_bytes(&self, range: Range<usize>) -> io::Result<OwnedBytes> {
        if range.end > self.len || range.start > range.end {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "read outside a file of the search index",
            ));
        }
        self.stream
            .read(self.start + range.start..self.start + range.end)
    }
}

/// The files of a packed index, each a window on the stream.
#[derive(Debug, Clone)]
pub(crate) struct PackDirectory {
    /// Each file's name, start in the stream and length, in stream order.
    files: Vec<(String, usize, usize)>,
    stream: Arc<Stream>,
}

impl PackDirectory {
    pub(crate) fn new(files: &[PackedFile], stream: Arc<Stream>) -> PackDirectory {
        let mut table = Vec::with_capacity(files.len());
        let mut at = 0usize;
        for file in files {
            let len = file.len as usize;
            table.push((file.name.clone(), at, len));
            at += len;
        }
        PackDirectory {
            files: table,
            stream,
        }
    }

    pub(crate) fn stream(&self) -> &Arc<Stream> {
        &self.stream
    }

    /// The file whose name ends with `.<extension>` (a segment has one of
    /// each), as a window on the stream.
    pub(crate) fn open(&self, extension: &str) -> Result<FileSlice, Error> {
        let wanted = |name: &str| name.rsplit_once('.').is_some_and(|(_, e)| e == extension);
        let (_, start, len) = self
            .files
            .iter()
            .find(|(name, _, _)| wanted(name))
            .ok_or_else(|| Error::Corrupt(format!("the index has no .{extension} file")))?;
        Ok(FileSlice::new(Arc::new(StreamFile {
            stream: Arc::clone(&self.stream),
            start: *start,
            len: *len,
        })))
    }
}

#[cfg(all(test, feature = "writer"))]
mod tests {
    use super::*;

    fn header(files: &[(&str, u64)], chunks: Vec<u32>, hot: Vec<u32>) -> Header {
        Header {
            files: files
                .iter()
                .map(|(name, len)| PackedFile {
                    name: (*name).to_owned(),
                    len: *len,
                })
                .collect(),
            chunks,
            hot,
            ..Header::default()
        }
    }

    #[test]
    fn reads_cross_chunk_boundaries_once_every_chunk_is_there() {
        // File a is bytes 0..5, file b 5..10; chunks 0..3 (hot), 3..7, 7..10.
        let stream: Vec<u8> = (0..10).collect();
        let header = header(&[("f.a", 5), ("f.b", 5)], vec![3, 4, 3], vec![0]);
        let hot = encode_hot(&header, &stream).expect("encode");
        let (_, dir) = decode(OwnedBytes::new(hot)).expect("decode");
        let a = dir.open("a").expect("a");
        let b = dir.open("b").expect("b");
        assert!(dir.open("c").is_err(), "no such file");

        assert_eq!(a.read_bytes_slice(0..3).expect("hot").as_slice(), [0, 1, 2]);
        assert!(a.read_bytes_slice(2..4).is_err(), "chunk 1 has not arrived");
        assert!(b.read_bytes().is_err());
        assert_eq!(dir.stream().take_missing(), [1, 2]);
        assert!(dir.stream().take_missing().is_empty(), "taken once");

        dir.stream().add(1, stream[3..7].to_vec()).expect("add");
        assert_eq!(
            a.read_bytes_slice(2..5).expect("across").as_slice(),
            [2, 3, 4]
        );
        assert!(!dir.stream().is_complete());
        dir.stream().add(2, stream[7..].to_vec()).expect("add");
        assert!(dir.stream().is_complete());
        assert_eq!(b.read_bytes().expect("b").as_slice(), [5, 6, 7, 8, 9]);
        assert_eq!(b.read_bytes_slice(4..4).expect("empty").len(), 0);
        assert_eq!(a.read_bytes().expect("a").as_slice(), [0, 1, 2, 3, 4]);

        assert!(dir.stream().add(2, vec![0; 2]).is_err(), "wrong length");
        assert!(dir.stream().add(3, vec![]).is_err(), "no such chunk");
        let b = StreamFile {
            stream: Arc::clone(dir.stream()),
            start: 5,
            len: 5,
        };
        assert!(b.read_bytes(3..6).is_err(), "past the end of b");
    }

    #[test]
    fn rejects_what_is_not_a_hot_file() {
        let stream = b"one".to_vec();
        let hot = encode_hot(&header(&[("a", 3)], vec![3], vec![0]), &stream).expect("encode");
        decode(OwnedBytes::new(hot.clone())).expect("decode");

        assert!(matches!(
            decode(OwnedBytes::new(b"nope".to_vec())),
            Err(Error::NotAnIndex)
        ));
        let mut future = hot.clone();
        future[8] = 99;
        assert!(matches!(
            decode(OwnedBytes::new(future)),
            Err(Error::UnsupportedVersion { found: 99, .. })
        ));
        let truncated = hot[..hot.len() - 1].to_vec();
        assert!(matches!(
            decode(OwnedBytes::new(truncated)),
            Err(Error::Corrupt(_))
        ));
    }
}
