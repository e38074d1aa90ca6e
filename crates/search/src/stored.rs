//! A stored document read as text: every field the index stores is text, and
//! reading into tantivy's general document linked a decoder for every value
//! type (JSON objects, dates, IP addresses, …) into the browser module.

use tantivy::schema::Field;
use tantivy::schema::document::{DeserializeError, DocumentDeserialize, DocumentDeserializer};

/// The stored fields of one document, in the order they were stored.
#[derive(Debug, Default)]
pub(crate) struct StoredText(Vec<(Field, String)>);

impl StoredText {
    /// The first text stored in `field`.
    pub(crate) fn get_first(&self, field: Field) -> Option<&str> {
        self.0
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, text)| text.as_str())
    }
}

impl DocumentDeserialize for StoredText {
    fn deserialize<'de, D>(mut deserializer: D) -> Result<Self, DeserializeError>
    where
        D: DocumentDeserializer<'de>,
    {
        let mut fields = Vec::with_capacity(deserializer.size_hint());
        // A value of another type is an error: this index stores text only.
        while let Some((field, text)) = deserializer.next_field::<String>()? {
            fields.push((field, text));
        }
        Ok(StoredText(fields))
    }
}
