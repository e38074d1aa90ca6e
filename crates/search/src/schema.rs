//! The index schema: field names, what each stores and how it is analysed.

use tantivy::schema::{
    FacetOptions, Field, IndexRecordOption, STORED, Schema, TextFieldIndexing, TextOptions,
};

use crate::tokenizer::{STEMMED, WORDS};

pub(crate) const KIND: &str = "kind";
pub(crate) const URL: &str = "url";
pub(crate) const TITLE: &str = "title";
pub(crate) const SUMMARY: &str = "summary";
pub(crate) const BODY: &str = "body";
pub(crate) const EXCERPT: &str = "excerpt";
pub(crate) const PUBLISHER: &str = "publisher";
pub(crate) const SYNONYMS: &str = "synonyms";
pub(crate) const TERMS: &str = "terms";
pub(crate) const WORDS_FIELD: &str = "words";
pub(crate) const FACETS: &str = "facets";
pub(crate) const DATE: &str = "date";
pub(crate) const STATUS: &str = "status";

/// The statuses of resources kept for the record that search ranks below the
/// others (an entry under review still guides readers).
pub(crate) const RETIRED: [&str; 2] = ["superseded", "withdrawn"];

/// How much body text the index keeps for snippets. The whole body is indexed,
/// but storing it all would make the browser download every page; the stored
/// text is most of the index (at 10k resources, 320 characters cost ~2 MB).
#[cfg(feature = "writer")]
pub(crate) const EXCERPT_CHARS: usize = 320;

/// Handles to every field, looked up once.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fields {
    pub kind: Field,
    pub url: Field,
    pub title: Field,
    pub summary: Field,
    pub body: Field,
    pub excerpt: Field,
    pub publisher: Field,
    pub synonyms: Field,
    pub terms: Field,
    pub words: Field,
    pub facets: Field,
    pub date: Field,
    pub status: Field,
}

/// The text fields a query word is looked up in, with their weight in the score.
/// A title or another name of a term says most about a document; the body least.
pub(crate) fn weighted_fields(fields: &Fields) -> [(Field, f32); 6] {
    [
        (fields.title, 4.0),
        (fields.synonyms, 3.0),
        (fields.summary, 2.0),
        (fields.terms, 1.5),
        (fields.publisher, 1.0),
        (fields.body, 1.0),
    ]
}

/// The fields phrases are matched in (they keep positions).
pub(crate) fn phrase_fields(fields: &Fields) -> [(Field, f32); 4] {
    [
        (fields.title, 4.0),
        (fields.synonyms, 3.0),
        (fields.summary, 2.0),
        (fields.body, 1.0),
    ]
}

/// The schema every index is written with; the reader checks an index against it.
pub(crate) fn build() -> Schema {
    let with_positions = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(STEMMED)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    // Short fields whose length says little keep no norms: a field's norms
    // are a byte per document that every query in it must download.
    let short = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(STEMMED)
            .set_index_option(IndexRecordOption::WithFreqs)
            .set_fieldnorms(false),
    );
    // Only the dictionary of this field is read (to expand prefixes and typos):
    // the writer counts its words itself and tantivy is given none (see
    // vocabulary.rs), so it keeps neither frequencies nor norms.
    let vocabulary = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(WORDS)
            .set_index_option(IndexRecordOption::Basic)
            .set_fieldnorms(false),
    );

    let mut builder = Schema::builder();
    builder.add_text_field(KIND, STORED);
    builder.add_text_field(URL, STORED);
    builder.add_text_field(TITLE, with_positions.clone().set_stored());
    builder.add_text_field(SUMMARY, with_positions.clone().set_stored());
    builder.add_text_field(BODY, with_positions.clone());
    builder.add_text_field(EXCERPT, STORED);
    builder.add_text_field(PUBLISHER, short.clone());
    let synonyms = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(STEMMED)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions)
            .set_fieldnorms(false),
    );
    builder.add_text_field(SYNONYMS, synonyms);
    builder.add_text_field(TERMS, short);
    builder.add_text_field(WORDS_FIELD, vocabulary);
    builder.add_facet_field(FACETS, FacetOptions::default());
    // A document's date as one term (`YYYYMMDD`, missing parts 0), so that
    // sorting by newest walks the dictionary backwards and reads postings: a
    // fast-field column would bring its readers into the browser's module.
    let date = TextOptions::default()
        .set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer("raw")
                .set_index_option(IndexRecordOption::Basic)
                .set_fieldnorms(false),
        )
        .set_stored();
    builder.add_text_field(DATE, date.clone());
    // A resource's status as one term, written only when it is not current:
    // its few postings say which results rank last, and a collection with no
    // retired entry has an empty dictionary here and ranks as before.
    builder.add_text_field(STATUS, date);
    builder.build()
}

impl Fields {
    pub(crate) fn resolve(schema: &Schema) -> Result<Fields, crate::Error> {
        let get = |name| {
            schema
                .get_field(name)
                .map_err(|_| crate::Error::Corrupt(format!("the schema has no field {name}")))
        };
        Ok(Fields {
            kind: get(KIND)?,
            url: get(URL)?,
            title: get(TITLE)?,
            summary: get(SUMMARY)?,
            body: get(BODY)?,
            excerpt: get(EXCERPT)?,
            publisher: get(PUBLISHER)?,
            synonyms: get(SYNONYMS)?,
            terms: get(TERMS)?,
            words: get(WORDS_FIELD)?,
            facets: get(FACETS)?,
            date: get(DATE)?,
            status: get(STATUS)?,
        })
    }
}
