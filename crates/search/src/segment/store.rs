//! The segment's stored documents, read from tantivy 0.27's document store
//! without its reader: that reader's block cache, its decoder for every value
//! type and its error types were a part of the browser module worth keeping out,
//! and this index stores text alone, in blocks it never compresses.
//!
//! The store is its blocks end to end, then a skip index (layers of
//! checkpoints, the last listing every block: its documents and its bytes),
//! then a 28-byte footer (the store's version, where the skip index starts,
//! the compressor, padding). A block is its documents end to end, then each
//! one's start (u32 LE) and their count (u32 LE). A document is its number of
//! values, then each value's field (u32 LE), type (0 for text) and text.

use std::io;
use std::ops::Range;

use tantivy::HasLen;
use tantivy::directory::FileSlice;
use tantivy::schema::Field;

use super::postings::{Input, corrupt};

const FOOTER: usize = 28;
/// The version of the store's layout that tantivy 0.27 writes.
const VERSION: u32 = 2;
/// The type code of a text value.
const TEXT: u8 = 0;

/// A block of the store: the documents it ends before, and its bytes.
struct Block {
    docs: Range<u32>,
    bytes: Range<usize>,
}

/// The stored documents of a segment.
pub(crate) struct Store {
    data: FileSlice,
    blocks: Vec<Block>,
}

impl Store {
    /// Opens the store (the file without tantivy's own footer), reading its
    /// footer and skip index.
    pub(crate) fn open(file: FileSlice) -> io::Result<Store> {
        let len = file.len();
        if len < FOOTER {
            return Err(corrupt());
        }
        let footer = file.read_bytes_slice(len - FOOTER..len)?;
        let mut footer = Input(footer.as_slice());
        let version = footer.u32()?;
        let offset = footer.u64()?;
        // Compressor 0 is none, which the writer asks for.
        if version != VERSION || footer.take(1)? != [0] {
            return Err(corrupt());
        }
        let offset = usize::try_from(offset).map_err(|_| corrupt())?;
        if offset > len - FOOTER {
            return Err(corrupt());
        }
        let index = file.read_bytes_slice(offset..len - FOOTER)?;
        let mut input = Input(index.as_slice());
        let layers = input.vint()? as usize;
        let mut last = 0..0;
        let mut start = 0;
        for _ in 0..layers {
            let end = input.vint()? as usize;
            if end < start {
                return Err(corrupt());
            }
            last = start..end;
            start = end;
        }
        let layer = input.0.get(last).ok_or_else(corrupt)?;
        Ok(Store {
            data: file.slice_to(offset),
            blocks: checkpoints(layer, offset)?,
        })
    }

    /// Reads every block, each in one read, without decoding it.
    #[cfg(feature = "writer")]
    pub(crate) fn touch(&self) -> io::Result<()> {
        for block in &self.blocks {
            self.data.read_bytes_slice(block.bytes.clone())?;
        }
        Ok(())
    }

    /// The text values of document `doc`, each with its field.
    pub(crate) fn doc(&self, doc: u32) -> io::Result<Vec<(Field, String)>> {
        let at = self.blocks.partition_point(|b| b.docs.end <= doc);
        let block = self
            .blocks
            .get(at)
            .filter(|b| b.docs.start <= doc)
            .ok_or_else(corrupt)?;
        let bytes = self.data.read_bytes_slice(block.bytes.clone())?;
        let bytes = bytes.as_slice();
        let u32_at = |at: usize| -> io::Result<usize> {
            Ok(Input(bytes.get(at..).ok_or_else(corrupt)?).u32()? as usize)
        };
        let count = u32_at(bytes.len().checked_sub(4).ok_or_else(corrupt)?)?;
        let starts = count
            .checked_add(1)
            .and_then(|n| n.checked_mul(4))
            .and_then(|n| bytes.len().checked_sub(n))
            .ok_or_else(corrupt)?;
        let position = (doc - block.docs.start) as usize;
        if position >= count {
            return Err(corrupt());
        }
        let start = u32_at(starts + position * 4)?;
        let end = if position + 1 < count {
            u32_at(starts + (position + 1) * 4)?
        } else {
            starts
        };
        let mut input = Input(bytes.get(start..end).ok_or_else(corrupt)?);
        let values = input.vint()?;
        let mut fields = Vec::new();
        for _ in 0..values {
            let field = input.u32()?;
            if input.take(1)? != [TEXT] {
                return Err(corrupt());
            }
            let len = input.vint()? as usize;
            let text = std::str::from_utf8(input.take(len)?).map_err(|_| corrupt())?;
            fields.push((Field::from_field_id(field), text.to_owned()));
        }
        Ok(fields)
    }
}

/// Every block of a layer of the skip index, whose blocks must lie within
/// the store's `data` bytes.
fn checkpoints(layer: &[u8], data: usize) -> io::Result<Vec<Block>> {
    let mut input = Input(layer);
    let mut blocks = Vec::new();
    while !input.0.is_empty() {
        let count = input.vint()?;
        if count == 0 {
            continue;
        }
        let mut doc = input.vint()?;
        let mut byte = input.vint()? as usize;
        for _ in 0..count {
            let docs = input.vint()?;
            let bytes = input.vint()? as usize;
            let end = byte
                .checked_add(bytes)
                .filter(|&end| end <= data)
                .ok_or_else(corrupt)?;
            let last = doc.checked_add(docs).ok_or_else(corrupt)?;
            blocks.push(Block {
                docs: doc..last,
                bytes: byte..end,
            });
            doc = last;
            byte = end;
        }
    }
    Ok(blocks)
}
