//! A term query without tantivy's fallback for a field that is fast but not
//! indexed (a scan of its fast-field column): every field Almanac queries is
//! indexed, and that fallback alone linked the column readers of every value
//! type into the browser module. Use this, not `tantivy::query::TermQuery`
//! (clippy.toml says so).

use tantivy::Term;
use tantivy::query::{EnableScoring, Query, Weight};
use tantivy::schema::IndexRecordOption;

/// Documents that hold a term, scored with BM25 when scoring is on.
#[derive(Clone, Debug)]
pub(crate) struct TermQuery(#[allow(clippy::disallowed_types)] tantivy::query::TermQuery);

impl TermQuery {
    pub(crate) fn new(term: Term, option: IndexRecordOption) -> TermQuery {
        #[allow(clippy::disallowed_types)]
        TermQuery(tantivy::query::TermQuery::new(term, option))
    }
}

impl Query for TermQuery {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        // Fails on a field that is not indexed, where tantivy's would scan.
        Ok(Box::new(self.0.specialized_weight(enable_scoring)?))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.0.query_terms(visitor);
    }
}
