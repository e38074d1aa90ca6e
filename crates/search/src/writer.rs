//! The native index writer: documents in, the packed index out (a hot file and
//! its chunks, content-hashed and deflated).
//!
//! The index is built in memory as one segment on the calling thread, so the
//! same documents give the same segment, then renamed to a fixed segment id (tantivy
//! picks a random one) so the same documents give the same bytes.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;

use rayon::prelude::*;
use serde_json::Value;
use sha2::{Digest, Sha256};
use tantivy::directory::{OwnedBytes, RamDirectory};
use tantivy::schema::Facet;
use tantivy::store::Compressor;
use tantivy::tokenizer::TokenizerManager;
use tantivy::{Directory, Index, IndexSettings, TantivyDocument};

use crate::analysis::{self, Analysis};
use crate::document::{DocKind, Document, IndexConfig, TaxonomyInfo, date_key};
use crate::layout;
use crate::pack::{self, GlossaryEntry, Header, IndexFile, PackedFile};
use crate::schema::{self, EXCERPT_CHARS, Fields};
use crate::segment::DICTIONARIES;
use crate::segment::dictionary::{self, Terms};
use crate::stem::Stemmer;
use crate::vocabulary::Vocabulary;
use crate::{Error, tokenizer};

/// What the segment writer sizes its term table by (an `IndexWriter`'s
/// per-thread budget before; one segment holds any collection).
const MEMORY_BUDGET: usize = 200_000_000;

/// Stored documents are compressed in blocks of about this many bytes.
const DOCSTORE_BLOCK_BYTES: usize = 1024;

/// Writes the search index of `docs`. The first file is the hot file the search
/// page loads; the others are the chunks it fetches as queries need them.
pub fn write_index(config: &IndexConfig, docs: &[Document]) -> Result<Vec<IndexFile>, Error> {
    write_index_owned(config, docs.to_vec())
}

/// Like [`write_index`], taking the documents over: each is dropped once it is
/// indexed, so a large collection's texts are gone before the index is merged and
/// packed, the writer's most memory-hungry moments.
pub fn write_index_owned(
    config: &IndexConfig,
    docs: Vec<Document>,
) -> Result<Vec<IndexFile>, Error> {
    pack_index(config, docs)?.files().collect()
}

/// The index of `docs`, packed but not yet deflated: its files are made one by
/// one as [`PackedIndex::files`] is drained, so a caller that writes each as it
/// comes never holds them all.
pub fn pack_index(config: &IndexConfig, docs: Vec<Document>) -> Result<PackedIndex, Error> {
    let written = write_segment(config, docs)?;
    let files = with_dictionaries(written.files, &written.vocabulary)?;
    pack_files(files, written.header)
}

/// A packed index whose files are deflated as they are asked for.
pub struct PackedIndex {
    /// The hot file, before deflating.
    hot: Vec<u8>,
    /// The tantivy files end to end.
    stream: OwnedBytes,
    /// The hot file's name, then each cold chunk's name and bounds in `stream`.
    names: Vec<(String, Range<usize>)>,
}

impl PackedIndex {
    /// The hot file's name, which the search page loads.
    pub fn hot_name(&self) -> &str {
        &self.names[0].0
    }

    /// Every file as published: the hot file first, then the chunks, each
    /// deflated when it is taken.
    pub fn files(&self) -> impl IndexedParallelIterator<Item = Result<IndexFile, Error>> + '_ {
        self.names
            .par_iter()
            .enumerate()
            .map(|(at, (name, range))| {
                let bytes = match at {
                    0 => &self.hot[..],
                    _ => &self.stream.as_slice()[range.clone()],
                };
                Ok(IndexFile {
                    name: name.clone(),
                    bytes: pack::deflate(bytes)?,
                })
            })
    }
}

/// A segment's files by name, as tantivy wrote them.
pub(crate) type SegmentFiles = Vec<(String, Vec<u8>)>;

/// What is written before it is packed.
pub(crate) struct Written {
    /// The segment's files as tantivy wrote them (the segment renamed).
    pub files: SegmentFiles,
    /// The header, without the files' layout.
    pub header: Header,
    /// The vocabulary's words with their document frequencies, in order.
    pub vocabulary: Vec<(String, u32)>,
}

/// The segment tantivy writes for `docs`, and what goes beside it.
pub(crate) fn write_segment(config: &IndexConfig, docs: Vec<Document>) -> Result<Written, Error> {
    let taxonomies = vocabularies(config, &docs)?;
    let directory = RamDirectory::create();
    let settings = IndexSettings {
        // Compressing on the indexing thread keeps the work in one place.
        docstore_compress_dedicated_thread: false,
        // A result shown costs the reader the block of stored documents it
        // sits in; small blocks keep that close to the document itself.
        docstore_blocksize: DOCSTORE_BLOCK_BYTES,
        // Each published file is deflated whole, which shrinks stored text
        // better than lz4 blocks would, and the reader needs no lz4 then.
        docstore_compression: Compressor::None,
        ..IndexSettings::default()
    };
    let stemmer = Stemmer::for_language(&config.language, None)?;
    let tokenizers = TokenizerManager::default();
    tokenizer::register(&tokenizers, &config.language, stemmer.as_ref());
    let schema = schema::build();
    let fields = Fields::resolve(&schema)?;
    // One segment written on this thread, a document at a time: the same
    // documents give the same segment, and nothing waits in a queue. An
    // `IndexWriter` hands documents to its indexing thread through a queue of
    // up to 10,000 documents, which a build filled faster than it was indexed:
    // thousands of whole bodies held at once.
    let mut writer = Index::builder()
        .schema(schema)
        .settings(settings)
        .tokenizers(tokenizers)
        .single_segment_index_writer(directory.clone(), MEMORY_BUDGET)?;
    // Documents in title order: an empty query lists filtered documents in
    // this order, and the input order cannot change the bytes. A caller that
    // made them in about this order has them freed in the order it made them.
    let order = |d: &Document| (d.title.to_lowercase(), d.url.clone(), d.kind);
    let mut docs = docs;
    if !docs.is_sorted_by(|a, b| order(a) <= order(b)) {
        docs.sort_by_cached_key(order);
    }
    let mut glossary: Vec<GlossaryEntry> = docs
        .iter()
        .enumerate()
        .filter(|(_, d)| d.kind == DocKind::Glossary)
        .map(|(doc, d)| GlossaryEntry {
            title: d.title.clone(),
            url: d.url.clone(),
            doc: doc as u32,
            synonyms: d.synonyms.clone(),
        })
        .collect();
    glossary.sort_by(|a, b| (&a.title, &a.url).cmp(&(&b.title, &b.url)));
    let documents = u32::try_from(docs.len())
        .map_err(|_| Error::Corrupt("more than 4 billion documents".to_owned()))?;
    let mut vocabulary = Vocabulary::new();
    // The acronyms the documents define, in their order here (so the input
    // order cannot choose a spelling either): found while each body is
    // inflated for indexing rather than in a pass of their own.
    let mut definitions: Vec<(String, String)> = Vec::new();
    for doc in docs {
        let body = doc.body.read();
        let texts = [doc.title.as_str(), doc.summary.as_str(), &body];
        definitions.extend(texts.into_iter().flat_map(analysis::definitions));
        writer.add_document(tantivy_document(
            &fields,
            &doc,
            &body,
            &taxonomies,
            &mut vocabulary,
        ))?;
    }
    let analysis = Analysis::with_definitions(&config.language, definitions.into_iter());
    let index = writer.finalize()?;
    let header = Header {
        language: config.language.clone(),
        documents,
        taxonomies,
        glossary,
        analysis,
        ..Header::default()
    };
    Ok(Written {
        files: segment_files(&index, &directory)?,
        header,
        vocabulary: vocabulary.into_sorted(),
    })
}

/// The packed index of a segment's `files`, `header` completed with their
/// layout.
fn pack_files(files: SegmentFiles, mut header: Header) -> Result<PackedIndex, Error> {
    let packed: Vec<PackedFile> = files
        .iter()
        .map(|(name, bytes)| PackedFile {
            name: name.clone(),
            len: bytes.len() as u64,
        })
        .collect();
    let mut stream = Vec::with_capacity(packed.iter().map(|f| f.len as usize).sum());
    // Each file is let go of once it is in the stream.
    for (_, bytes) in files {
        stream.extend_from_slice(&bytes);
    }
    // Shared with the layout's reader rather than copied: at 100k resources
    // the stream is tens of megabytes.
    let stream = OwnedBytes::new(stream);
    let (chunks, hot) = layout::cut(&packed, stream.clone(), header.documents)?;
    header.files = packed;
    header.chunks = chunks;
    header.hot = hot;
    let hot_file = pack::encode_hot(&header, stream.as_slice())?;
    let mut hasher = Sha256::new();
    hasher.update(&hot_file);
    hasher.update(stream.as_slice());
    let hex: String = hasher.finalize()[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let mut names = vec![(format!("index.{hex}.bin"), 0..0)];
    let mut start = 0usize;
    let mut hot = header.hot.iter().peekable();
    for (number, &len) in header.chunks.iter().enumerate() {
        let end = start + len as usize;
        if hot.next_if(|&&h| h as usize == number).is_none() {
            names.push((format!("index.{hex}/{number}.bin"), start..end));
        }
        start = end;
    }
    Ok(PackedIndex {
        hot: hot_file,
        stream,
        names,
    })
}

/// The configured taxonomies, each followed by any term the documents use that
/// its vocabulary does not list (an open vocabulary), labelled by its slug.
fn vocabularies(config: &IndexConfig, docs: &[Document]) -> Result<Vec<TaxonomyInfo>, Error> {
    let mut taxonomies = config.taxonomies.clone();
    let mut extra: BTreeMap<usize, BTreeMap<&str, ()>> = BTreeMap::new();
    for doc in docs {
        for (name, slug) in &doc.facets {
            let Some(at) = taxonomies.iter().position(|t| &t.name == name) else {
                return Err(Error::UnknownTaxonomy {
                    url: doc.url.clone(),
                    taxonomy: name.clone(),
                });
            };
            if !taxonomies[at].terms.iter().any(|(s, _)| s == slug) {
                extra.entry(at).or_default().insert(slug, ());
            }
        }
    }
    for (at, slugs) in extra {
        let terms = &mut taxonomies[at].terms;
        terms.extend(slugs.into_keys().map(|s| (s.to_owned(), s.to_owned())));
    }
    Ok(taxonomies)
}

/// `doc`, whose body text is `body`, as tantivy indexes it; its words are
/// counted into `vocabulary`.
fn tantivy_document(
    fields: &Fields,
    doc: &Document,
    body: &str,
    taxonomies: &[TaxonomyInfo],
    vocabulary: &mut Vocabulary,
) -> TantivyDocument {
    let mut out = TantivyDocument::default();
    out.add_text(fields.kind, doc.kind.as_str());
    out.add_text(fields.url, &doc.url);
    out.add_text(fields.title, &doc.title);
    out.add_text(fields.summary, &doc.summary);
    out.add_text(fields.body, body);
    out.add_text(fields.excerpt, excerpt(body));
    out.add_text(fields.publisher, &doc.publisher);
    for synonym in &doc.synonyms {
        out.add_text(fields.synonyms, synonym);
    }
    let date = date_key(&doc.date);
    if date > 0 {
        out.add_text(fields.date, format!("{date:08}"));
    }
    let status = doc.status.trim();
    if !status.is_empty() && status != "current" {
        out.add_text(fields.status, status);
    }
    let mut labels = Vec::new();
    for (name, slug) in &doc.facets {
        out.add_facet(fields.facets, Facet::from_path([name, slug]));
        let taxonomy = taxonomies.iter().find(|t| &t.name == name);
        let label = taxonomy
            .and_then(|t| t.terms.iter().find(|(s, _)| s == slug))
            .map_or(slug.as_str(), |(_, label)| label.as_str());
        out.add_text(fields.terms, label);
        labels.push(label);
        for alt in taxonomy
            .and_then(|t| t.alt_labels.get(slug))
            .into_iter()
            .flatten()
        {
            out.add_text(fields.terms, alt);
            labels.push(alt);
        }
    }
    // The vocabulary holds every word a reader could be typing.
    let texts = [
        doc.title.as_str(),
        doc.summary.as_str(),
        body,
        doc.publisher.as_str(),
    ];
    let texts = texts
        .into_iter()
        .chain(doc.synonyms.iter().map(String::as_str));
    vocabulary.add(texts.chain(labels));
    out
}

/// The start of `body`, cut at a word boundary, for snippets.
fn excerpt(body: &str) -> &str {
    let Some((cut, _)) = body.char_indices().nth(EXCERPT_CHARS) else {
        return body;
    };
    let head = &body[..cut];
    match head.rfind(char::is_whitespace) {
        Some(space) if space > 0 => &head[..space],
        _ => head,
    }
}

/// `files` with tantivy's term dictionaries (the `.term` file) transcoded
/// into the reader's (see `segment::dictionary`), the vocabulary with them.
fn with_dictionaries(
    mut files: SegmentFiles,
    vocabulary: &[(String, u32)],
) -> Result<SegmentFiles, Error> {
    let schema = schema::build();
    let fields = Fields::resolve(&schema)?;
    for (name, bytes) in &mut files {
        let Some(stem) = name.strip_suffix(".term") else {
            continue;
        };
        let term_file = tantivy::directory::FileSlice::from(std::mem::take(bytes));
        *bytes = dictionary::transcode(term_file, &schema, |field| {
            if field == fields.words {
                return Terms::Counted(vocabulary);
            }
            let positions = schema
                .get_field_entry(field)
                .field_type()
                .get_index_record_option()
                .is_some_and(|o| o.has_positions());
            Terms::Tantivy {
                postings: true,
                positions,
            }
        })?;
        *name = format!("{stem}.{DICTIONARIES}");
    }
    Ok(files)
}

/// The committed index's files, with the segment renamed to a fixed id.
fn segment_files(index: &Index, directory: &RamDirectory) -> Result<SegmentFiles, Error> {
    let metas = index.load_metas()?;
    let mut renames: Vec<(String, String)> = Vec::new();
    for (number, segment) in metas.segments.iter().enumerate() {
        renames.push((segment.id().uuid_string(), format!("{:032x}", number + 1)));
    }
    let mut files = Vec::new();
    let mut names: Vec<_> = metas.list_segment_files().into_iter().collect();
    names.sort();
    for path in names {
        if !directory
            .exists(&path)
            .map_err(tantivy::TantivyError::from)?
        {
            continue;
        }
        let bytes = directory
            .open_read(&path)
            .map_err(tantivy::TantivyError::from)?
            .read_bytes()
            .map_err(|e| Error::Corrupt(e.to_string()))?
            .as_slice()
            .to_vec();
        // Taken out of the directory rather than copied beside it: at 100,000
        // realistic resources the segment is a few hundred megabytes.
        directory
            .delete(&path)
            .map_err(|e| Error::Corrupt(e.to_string()))?;
        files.push((renamed(&path, &renames), bytes));
    }
    files.sort();
    let meta = directory
        .atomic_read(Path::new("meta.json"))
        .map_err(tantivy::TantivyError::from)?;
    let mut meta: Value = serde_json::from_slice(&meta)?;
    if let Some(segments) = meta.get_mut("segments").and_then(Value::as_array_mut) {
        for segment in segments {
            if let Some(Value::String(id)) = segment.get_mut("segment_id") {
                let simple = id.replace('-', "");
                if let Some((_, fixed)) = renames.iter().find(|(old, _)| *old == simple) {
                    // Keep the spelling tantivy wrote (hyphenated or not).
                    *id = if id.contains('-') {
                        hyphenated(fixed)
                    } else {
                        fixed.clone()
                    };
                }
            }
        }
    }
    files.insert(0, ("meta.json".to_owned(), serde_json::to_vec(&meta)?));
    Ok(files)
}

fn renamed(path: &Path, renames: &[(String, String)]) -> String {
    let name = path.to_string_lossy();
    for (old, new) in renames {
        if let Some(rest) = name.strip_prefix(old.as_str()) {
            return format!("{new}{rest}");
        }
    }
    name.into_owned()
}

fn hyphenated(simple: &str) -> String {
    format!(
        "{}-{}-{}-{}-{}",
        &simple[0..8],
        &simple[8..12],
        &simple[12..16],
        &simple[16..20],
        &simple[20..32]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpts_stop_at_a_word() {
        assert_eq!(excerpt("short"), "short");
        let long = "word ".repeat(400);
        let cut = excerpt(&long);
        assert!(cut.len() <= EXCERPT_CHARS && cut.ends_with("word"), "{cut}");
    }
}
