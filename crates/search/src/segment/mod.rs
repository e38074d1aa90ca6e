//! The index's one tantivy segment, read with tantivy's public file readers
//! (norms, composite files) and our own decoders (term dictionaries as the
//! pack transcodes them, postings, stored documents), without
//! `tantivy::Index`: opening an index parses `meta.json` with serde and brings
//! tantivy's query machinery, which was most of the browser module.

use std::io;

use tantivy::HasLen;
use tantivy::directory::FileSlice;
use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::TermInfo;
use tantivy::schema::{Field, Schema};

use crate::Error;
use crate::pack::PackDirectory;
use crate::stored::StoredText;

pub(crate) mod dictionary;
pub(crate) mod postings;
mod store;

#[cfg(test)]
pub(crate) use store::Store;

pub(crate) use dictionary::Dictionary;
use postings::Input;
pub(crate) use postings::Postings;

/// The opened segment: every indexed field's dictionary and postings, and the
/// stored documents.
pub(crate) struct Segment {
    documents: u32,
    /// By field number; `None` for a field that is not indexed.
    fields: Vec<Option<FieldIndex>>,
    store: store::Store,
}

/// The extension of the file that holds every field's dictionary, which the
/// pack writes in place of tantivy's `.term` file.
pub(crate) const DICTIONARIES: &str = "dict";

/// One indexed field of the segment.
pub(crate) struct FieldIndex {
    /// `None` when the segment has no terms in the field.
    terms: Option<Dictionary>,
    /// The field's postings after its leading token count.
    postings: FileSlice,
    positions: FileSlice,
    norms: FieldNormReader,
    total_tokens: u64,
    freqs: bool,
}

impl Segment {
    /// Opens the segment whose files `directory` holds.
    pub(crate) fn open(
        directory: &PackDirectory,
        schema: &Schema,
        documents: u32,
    ) -> Result<Segment, Error> {
        let open = |extension: &str| -> Result<FileSlice, Error> {
            Ok(without_footer(directory.open(extension)?)?)
        };
        let mut dictionaries =
            dictionary::open_all(directory.open(DICTIONARIES)?.read_bytes()?.as_slice())?;
        let postings = composite(open("idx")?)?;
        let positions = composite(open("pos")?)?;
        let norms = composite(open("fieldnorm")?)?;
        let mut fields = Vec::new();
        for (field, entry) in schema.fields() {
            let option = entry
                .field_type()
                .get_index_record_option()
                .filter(|_| entry.is_indexed());
            let Some(option) = option else {
                fields.push(None);
                continue;
            };
            let dictionary = dictionaries
                .get_mut(field.field_id() as usize)
                .and_then(Option::take);
            let (total_tokens, postings) = match postings.open_read(field) {
                Some(slice) if slice.len() >= 8 => {
                    let (count, rest) = slice.split(8);
                    (Input(count.read_bytes()?.as_slice()).u64()?, rest)
                }
                Some(_) => return Err(short().into()),
                None => (0, FileSlice::empty()),
            };
            let field_norms = match norms.open_read(field) {
                Some(slice) => FieldNormReader::open(slice)
                    .map_err(|_| Error::Corrupt("unreadable field norms".to_owned()))?,
                // As tantivy scores a field without norms: every length 1.
                None => FieldNormReader::constant(documents, 1),
            };
            fields.push(Some(FieldIndex {
                terms: dictionary,
                postings,
                positions: positions.open_read(field).unwrap_or_else(FileSlice::empty),
                norms: field_norms,
                total_tokens,
                freqs: option.has_freq(),
            }));
        }
        let store = store::Store::open(open("store")?)?;
        Ok(Segment {
            documents,
            fields,
            store,
        })
    }

    /// How many documents the segment holds.
    pub(crate) fn documents(&self) -> u32 {
        self.documents
    }

    /// The index of `field`, which the schema indexes.
    pub(crate) fn field(&self, field: Field) -> io::Result<&FieldIndex> {
        self.fields
            .get(field.field_id() as usize)
            .and_then(Option::as_ref)
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "field is not indexed"))
    }

    /// Reads every block of stored documents without decoding it (see
    /// [`FieldIndex::touch`]).
    #[cfg(feature = "writer")]
    pub(crate) fn touch_store(&self) -> io::Result<()> {
        self.store.touch()
    }

    /// The stored fields of document `doc`.
    pub(crate) fn doc(&self, doc: u32) -> Result<StoredText, Error> {
        Ok(StoredText(self.store.doc(doc)?))
    }
}

impl FieldIndex {
    /// The field's dictionary, when it has terms.
    pub(crate) fn terms(&self) -> Option<&Dictionary> {
        self.terms.as_ref()
    }

    /// What the dictionary knows of `term`.
    pub(crate) fn info(&self, term: &[u8]) -> io::Result<Option<TermInfo>> {
        Ok(self.terms.as_ref().and_then(|terms| terms.get(term)))
    }

    /// How many documents hold `term`.
    pub(crate) fn doc_freq(&self, term: &[u8]) -> io::Result<u32> {
        Ok(self.info(term)?.map_or(0, |info| info.doc_freq))
    }

    /// The documents of a term and its frequency in each.
    pub(crate) fn postings(&self, info: &TermInfo) -> io::Result<Postings> {
        postings::read_postings(&self.postings, info, self.freqs)
    }

    /// The positions of a term in each of its documents (`freqs` from its postings).
    pub(crate) fn positions(&self, info: &TermInfo, freqs: &[u32]) -> io::Result<Vec<Vec<u32>>> {
        postings::read_positions(&self.positions, info, freqs)
    }

    /// Reads a term's postings, and its positions when `positions`, without
    /// decoding them: the layout watches which bytes each term's lists hold.
    #[cfg(feature = "writer")]
    pub(crate) fn touch(&self, info: &TermInfo, positions: bool) -> io::Result<()> {
        self.postings
            .read_bytes_slice(info.postings_range.clone())?;
        if positions {
            self.positions
                .read_bytes_slice(info.positions_range.clone())?;
        }
        Ok(())
    }

    /// The length code of `doc`'s text in this field, as BM25 reads it.
    pub(crate) fn norm(&self, doc: u32) -> u8 {
        self.norms.fieldnorm_id(doc)
    }

    /// How many tokens the field holds over all documents.
    pub(crate) fn total_tokens(&self) -> u64 {
        self.total_tokens
    }

    /// The field's average length over `documents` documents, as tantivy's BM25 has it.
    pub(crate) fn average_norm(&self, documents: u32) -> f32 {
        self.total_tokens as f32 / documents as f32
    }
}

fn short() -> io::Error {
    io::Error::new(io::ErrorKind::UnexpectedEof, "the index is truncated")
}

/// A file without tantivy's footer (its version and checksum, a JSON text,
/// then its length and a magic number). The version is not checked here: the
/// index's own format version says which tantivy wrote it.
pub(crate) fn without_footer(file: FileSlice) -> io::Result<FileSlice> {
    let len = file.len();
    if len < 8 {
        return Err(short());
    }
    let tail = file.read_bytes_slice(len - 8..len)?;
    let footer = Input(tail.as_slice()).u32()? as usize + 8;
    if footer > len {
        return Err(short());
    }
    Ok(file.slice_to(len - footer))
}

fn composite(file: FileSlice) -> io::Result<tantivy::directory::CompositeFile> {
    tantivy::directory::CompositeFile::open(&file)
}
