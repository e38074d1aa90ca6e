//! Ranking superseded and withdrawn resources after the others: the status
//! terms the index holds, and which documents have them.

use super::Searcher;
use super::search::marked;
use crate::Error;
use crate::engine::{Query, Run};
use crate::schema;

/// The status terms of the documents ranked last, those the index holds.
pub(super) struct Retired {
    terms: Vec<&'static str>,
}

impl Searcher {
    /// The statuses the index ranks last, when any document has one; `None`
    /// (nothing reordered) for a collection without retired entries. Only the
    /// status dictionary is read, which is in the hot file.
    pub(super) fn retired(&self) -> Result<Option<Retired>, Error> {
        let index = self.segment.field(self.fields.status)?;
        let mut terms = Vec::new();
        for status in schema::RETIRED {
            if index.doc_freq(status.as_bytes())? > 0 {
                terms.push(status);
            }
        }
        Ok((!terms.is_empty()).then_some(Retired { terms }))
    }

    /// Which documents hold one of the `retired` statuses, by document number.
    pub(super) fn retired_documents(&self, run: &mut Run<'_>, retired: &Retired) -> Vec<bool> {
        let any_retired = Query::any(
            retired
                .terms
                .iter()
                .map(|status| Query::Term(self.fields.status, status.as_bytes().to_vec()))
                .collect(),
        );
        marked(&run.matches(&any_retired), self.segment.documents())
    }
}
