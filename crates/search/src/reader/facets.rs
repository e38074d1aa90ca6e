//! Counting and ordering what a query matched: term counts per taxonomy and
//! the newest-first page.

use super::Searcher;
use super::search::{FilterSets, marked, restrict};
use crate::Error;
use crate::engine::{Matches, Run};
use crate::query::facet_term;
use crate::response::{FacetCounts, TermCount};

impl Searcher {
    /// Term counts per taxonomy for what the text matched (`text`; every
    /// document when `everything`): each taxonomy counted under the other
    /// taxonomies' filters, so a reader sees what ticking a term would add.
    /// `matched` is what the text matches under every filter.
    ///
    /// Counted from the taxonomy terms' postings rather than tantivy's facet
    /// column: a filter reads those postings anyway, they are a fraction of the
    /// column's size, and with no query and no filter the dictionary alone
    /// knows the counts.
    pub(super) fn facet_counts(
        &self,
        run: &mut Run<'_>,
        text: &Matches,
        everything: bool,
        sets: &FilterSets<'_>,
        matched: &Matches,
    ) -> Vec<FacetCounts> {
        let documents = self.segment.documents();
        let all_filters = marked(matched, documents);
        let mut counts = Vec::with_capacity(self.header.taxonomies.len());
        for taxonomy in &self.header.taxonomies {
            let name = taxonomy.name.as_str();
            let own = sets.iter().any(|(filtered, _)| *filtered == name);
            let others = if own {
                Some(marked(&restrict(text, sets, Some(name)), documents))
            } else {
                None
            };
            let matching = if everything && sets.iter().all(|(other, _)| *other == name) {
                None
            } else {
                Some(others.as_deref().unwrap_or(&all_filters))
            };
            let terms = taxonomy
                .terms
                .iter()
                .map(|(slug, label)| TermCount {
                    slug: slug.clone(),
                    label: label.clone(),
                    count: self.count_in(run, &facet_term(name, slug), matching),
                })
                .collect();
            counts.push(FacetCounts {
                name: taxonomy.name.clone(),
                label: taxonomy.label.clone(),
                terms,
            });
        }
        counts
    }

    /// How many documents hold the facet `term`: of those `matching` marks,
    /// or of all (which the dictionary knows).
    fn count_in(&self, run: &mut Run<'_>, term: &[u8], matching: Option<&[bool]>) -> u64 {
        let count = (|| {
            let index = self.segment.field(self.fields.facets)?;
            let Some(info) = index.info(term)? else {
                return Ok(0);
            };
            let Some(matching) = matching else {
                return Ok(u64::from(info.doc_freq));
            };
            let docs = index.postings(&info)?.docs;
            Ok(docs
                .iter()
                .filter(|&&doc| matching.get(doc as usize) == Some(&true))
                .count() as u64)
        })();
        run.soft(count, 0)
    }

    /// The page of `matches` at `offset`, newest first: the dates' terms
    /// walked from the last (the latest), each date's documents in title
    /// order, then the documents without a date.
    pub(super) fn newest(
        &self,
        run: &mut Run<'_>,
        matches: &Matches,
        offset: usize,
        limit: usize,
    ) -> Result<Vec<u32>, Error> {
        let documents = self.segment.documents();
        let matching = marked(matches, documents);
        let wanted = offset + limit;
        let index = self.segment.field(self.fields.date)?;
        let mut ordered: Vec<u32> = Vec::new();
        let mut dated = vec![false; documents as usize];
        for (_, info) in index
            .terms()
            .into_iter()
            .flat_map(|terms| terms.iter().rev())
        {
            let postings = index.postings(&info).map(|p| p.docs);
            for doc in run.soft(postings, Vec::new()) {
                dated[doc as usize] = true;
                if matching[doc as usize] {
                    ordered.push(doc);
                }
            }
            if ordered.len() >= wanted {
                break;
            }
        }
        for doc in 0..documents {
            if ordered.len() >= wanted {
                break;
            }
            if matching[doc as usize] && !dated[doc as usize] {
                ordered.push(doc);
            }
        }
        Ok(ordered.into_iter().skip(offset).take(limit).collect())
    }
}
