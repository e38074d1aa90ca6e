//! A stored document read as text: every field the index stores is text.

use tantivy::schema::Field;

/// The stored fields of one document, in the order they were stored.
#[derive(Debug, Default)]
pub(crate) struct StoredText(pub(crate) Vec<(Field, String)>);

impl StoredText {
    /// The first text stored in `field`.
    pub(crate) fn get_first(&self, field: Field) -> Option<&str> {
        self.0
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, text)| text.as_str())
    }
}
