//! Counting and ordering what a query matched: term counts per taxonomy, the
//! newest-first page, and the collector that gathers matched documents unscored.

use std::collections::HashMap;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::query::Query;
use tantivy::schema::IndexRecordOption;
use tantivy::{
    BitSet, DocAddress, DocId, DocSet, Score, SegmentOrdinal, SegmentReader, TERMINATED, Term,
};

use super::Searcher;
use super::search::Filters;
use crate::Error;
use crate::query::facet_term;
use crate::response::{FacetCounts, TermCount};

impl Searcher {
    /// Term counts per taxonomy for `text` (`everything` when it matches every
    /// document): each taxonomy counted under the other taxonomies' filters, so
    /// a reader sees what ticking a term would add. `matched` is what `text`
    /// matches under every filter, when the caller has it.
    ///
    /// Counted from the taxonomy terms' postings rather than tantivy's facet
    /// column: a filter reads those postings anyway, they are a fraction of the
    /// column's size, and with no query and no filter the dictionary alone
    /// knows the counts.
    pub(super) fn facet_counts(
        &self,
        text: &dyn Query,
        everything: bool,
        filters: &Filters<'_>,
        mut matched: Option<Matched>,
    ) -> Result<Vec<FacetCounts>, Error> {
        let mut counts: HashMap<&str, HashMap<&str, u64>> = HashMap::new();
        for taxonomy in &self.header.taxonomies {
            let name = taxonomy.name.as_str();
            let own = filters.contains_key(name);
            let matching = if everything && filters.keys().all(|other| *other == name) {
                None
            } else if own {
                // Cloned and trimmed rather than collected: a collected map
                // sorts its entries, which put a sort in the browser's module.
                let mut others = filters.clone();
                others.remove(name);
                let query = self.filtered(text.box_clone(), &others, None);
                Some(self.collect(query.as_ref(), &Matching)?)
            } else {
                if matched.is_none() {
                    let query = self.filtered(text.box_clone(), filters, None);
                    matched = Some(self.collect(query.as_ref(), &Matching)?);
                }
                matched.clone()
            };
            let terms = counts.entry(name).or_default();
            for (slug, _) in &taxonomy.terms {
                let term = facet_term(self.fields.facets, name, slug);
                let count = match &matching {
                    None => self.searcher.doc_freq(&term)?,
                    Some(matching) => self.count_in(&term, matching)?,
                };
                terms.insert(slug.as_str(), count);
            }
        }
        Ok(self
            .header
            .taxonomies
            .iter()
            .map(|taxonomy| {
                let found = counts.get(taxonomy.name.as_str());
                FacetCounts {
                    name: taxonomy.name.clone(),
                    label: taxonomy.label.clone(),
                    terms: taxonomy
                        .terms
                        .iter()
                        .map(|(slug, label)| TermCount {
                            slug: slug.clone(),
                            label: label.clone(),
                            count: found
                                .and_then(|f| f.get(slug.as_str()))
                                .copied()
                                .unwrap_or(0),
                        })
                        .collect(),
                }
            })
            .collect())
    }

    /// The page of `matching` documents at `offset`, newest first: the dates'
    /// terms walked from the last (the latest), each date's documents in title
    /// order, then the documents without a date.
    pub(super) fn newest(
        &self,
        matching: &[(SegmentOrdinal, BitSet)],
        offset: usize,
        limit: usize,
    ) -> Result<Vec<DocAddress>, Error> {
        let wanted = offset + limit;
        let mut ordered: Vec<DocAddress> = Vec::new();
        for (ordinal, documents) in matching {
            let segment = self.searcher.segment_reader(*ordinal);
            let inverted = segment.inverted_index(self.fields.date)?;
            let mut infos = Vec::new();
            let mut dates = inverted.terms().stream()?;
            while dates.advance() {
                infos.push(dates.value().clone());
            }
            let mut dated = BitSet::with_max_value(segment.max_doc());
            for info in infos.iter().rev() {
                let mut postings =
                    inverted.read_postings_from_terminfo(info, IndexRecordOption::Basic)?;
                let mut doc = postings.doc();
                while doc != TERMINATED {
                    dated.insert(doc);
                    if documents.contains(doc) {
                        ordered.push(DocAddress::new(*ordinal, doc));
                    }
                    doc = postings.advance();
                }
                if ordered.len() >= wanted {
                    break;
                }
            }
            for doc in 0..segment.max_doc() {
                if ordered.len() >= wanted {
                    break;
                }
                if documents.contains(doc) && !dated.contains(doc) {
                    ordered.push(DocAddress::new(*ordinal, doc));
                }
            }
        }
        Ok(ordered.into_iter().skip(offset).take(limit).collect())
    }

    /// How many of the `matching` documents `term` is in.
    fn count_in(&self, term: &Term, matching: &[(SegmentOrdinal, BitSet)]) -> Result<u64, Error> {
        let mut count = 0;
        for (ordinal, documents) in matching {
            let segment = self.searcher.segment_reader(*ordinal);
            let inverted = segment.inverted_index(term.field())?;
            let Some(mut postings) = inverted.read_postings(term, IndexRecordOption::Basic)? else {
                continue;
            };
            let mut doc = postings.doc();
            while doc != TERMINATED {
                if documents.contains(doc) {
                    count += 1;
                }
                doc = postings.advance();
            }
        }
        Ok(count)
    }
}

/// Collects the documents a query matches, a set per segment, without scoring.
pub(super) struct Matching;

/// What [`Matching`] collects.
pub(super) type Matched = Vec<(SegmentOrdinal, BitSet)>;

pub(super) struct SegmentMatching {
    ordinal: SegmentOrdinal,
    documents: BitSet,
}

impl Collector for Matching {
    type Fruit = Vec<(SegmentOrdinal, BitSet)>;
    type Child = SegmentMatching;

    fn for_segment(
        &self,
        ordinal: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<SegmentMatching> {
        Ok(SegmentMatching {
            ordinal,
            documents: BitSet::with_max_value(segment.max_doc()),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(
        &self,
        fruits: Vec<(SegmentOrdinal, BitSet)>,
    ) -> tantivy::Result<Vec<(SegmentOrdinal, BitSet)>> {
        Ok(fruits)
    }
}

impl SegmentCollector for SegmentMatching {
    type Fruit = (SegmentOrdinal, BitSet);

    fn collect(&mut self, doc: DocId, _score: Score) {
        self.documents.insert(doc);
    }

    fn harvest(self) -> (SegmentOrdinal, BitSet) {
        (self.ordinal, self.documents)
    }
}
