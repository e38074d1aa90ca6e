//! Ranking superseded and withdrawn resources after the others: the status
//! terms the index holds, and a page of results taken current ones first.

use tantivy::collector::{Count, TopDocs};
use tantivy::query::{BooleanQuery, ConstScoreQuery, Occur, Query};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, Term};

use super::Searcher;
use crate::Error;
use crate::schema;
use crate::term_query::TermQuery;

/// The status terms of the documents ranked last, those the index holds.
pub(super) struct Retired {
    pub(super) terms: Vec<Term>,
}

impl Searcher {
    /// The statuses the index ranks last, when any document has one; `None`
    /// (nothing reordered) for a collection without retired entries. Only the
    /// status dictionary is read, which is in the hot file.
    pub(super) fn retired(&self) -> Result<Option<Retired>, Error> {
        let mut terms = Vec::new();
        for status in schema::RETIRED {
            let term = Term::from_field_text(self.fields.status, status);
            if self.searcher.doc_freq(&term)? > 0 {
                terms.push(term);
            }
        }
        Ok((!terms.is_empty()).then_some(Retired { terms }))
    }

    /// The page of `query`'s results at `offset`, best first, with the
    /// retired documents after every other: each group ranked by its score.
    pub(super) fn current_first(
        &self,
        query: &dyn Query,
        retired: &Retired,
        offset: usize,
        limit: usize,
    ) -> Result<Vec<DocAddress>, Error> {
        let any_retired = || -> Box<dyn Query> {
            let any: Vec<(Occur, Box<dyn Query>)> = retired
                .terms
                .iter()
                .map(|term| -> (Occur, Box<dyn Query>) {
                    let query = TermQuery::new(term.clone(), IndexRecordOption::Basic);
                    (Occur::Should, Box::new(query))
                })
                .collect();
            // Scores nothing, so each group keeps the order it had.
            Box::new(ConstScoreQuery::new(Box::new(BooleanQuery::new(any)), 0.0))
        };
        let current = BooleanQuery::new(vec![
            (Occur::Must, query.box_clone()),
            (Occur::MustNot, any_retired()),
        ]);
        let page = TopDocs::with_limit(limit)
            .and_offset(offset)
            .order_by_score();
        let (first, current_total) = self.collect(&current, &(page, Count))?;
        let mut top: Vec<DocAddress> = first.into_iter().map(|(_, address)| address).collect();
        if top.len() < limit {
            let old = BooleanQuery::new(vec![
                (Occur::Must, query.box_clone()),
                (Occur::Must, any_retired()),
            ]);
            let page = TopDocs::with_limit(limit - top.len())
                .and_offset(offset.saturating_sub(current_total))
                .order_by_score();
            let rest = self.collect(&old, &page)?;
            top.extend(rest.into_iter().map(|(_, address)| address));
        }
        Ok(top)
    }
}
