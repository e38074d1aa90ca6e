//! Ranking superseded and withdrawn resources after the others: the status
//! terms the index holds, and a page of results taken current ones first.

use super::Searcher;
use super::search::marked;
use crate::Error;
use crate::engine::{Matches, Query, Run, top};
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

    /// The page of `matches` at `offset`, best first, with the retired
    /// documents after every other: each group ranked by its score.
    pub(super) fn current_first(
        &self,
        run: &mut Run<'_>,
        matches: &Matches,
        retired: &Retired,
        offset: usize,
        limit: usize,
    ) -> Vec<u32> {
        let any_retired = Query::any(
            retired
                .terms
                .iter()
                .map(|status| Query::Term(self.fields.status, status.as_bytes().to_vec()))
                .collect(),
        );
        let old = marked(&run.matches(&any_retired), self.segment.documents());
        let (old_matches, current): (Matches, Matches) =
            matches.iter().partition(|(doc, _)| old[*doc as usize]);
        let mut page = top(&current, offset, limit);
        if page.len() < limit {
            let rest = top(
                &old_matches,
                offset.saturating_sub(current.len()),
                limit - page.len(),
            );
            page.extend(rest);
        }
        page
    }
}
