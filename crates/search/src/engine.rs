//! Running queries over the segment: which documents match and their BM25
//! scores, computed as tantivy computes them (its `Bm25Weight`, boosts carried
//! down to the terms, sums and tie-broken maxima in clause order), so the
//! command line and the browser rank alike without tantivy's query machinery.
//!
//! Every list is decoded whole: a collection's postings are small enough,
//! and a read that fails (a chunk not fetched yet) leaves its list empty
//! rather than stopping, so one run notes every chunk the query needs.

use std::io;

use tantivy::query::{Bm25StatisticsProvider, Bm25Weight};
use tantivy::schema::Field;
use tantivy::{Score, Term};

use crate::segment::Segment;

/// A query as the reader builds it.
#[derive(Clone, Debug)]
pub(crate) enum Query {
    /// Matches nothing.
    Nothing,
    /// Every document, each scoring 1.
    Everything,
    /// The documents holding a term (a field's own bytes), scored with BM25.
    Term(Field, Vec<u8>),
    /// The documents holding the terms one after another, scored with BM25
    /// over the phrase's count and the sum of its terms' rarity.
    Phrase(Field, Vec<Vec<u8>>),
    /// The query's scores multiplied.
    Boost(Box<Query>, Score),
    /// Any of the queries, scored by the best plus `tie` times the others.
    Max(Vec<Query>, Score),
    /// Every `must`, none of `not`, and, with no `must`, at least one of
    /// `should`; scored by the sum of the `must` and `should` that match.
    Bool {
        must: Vec<Query>,
        should: Vec<Query>,
        not: Vec<Query>,
    },
}

/// Documents matched, ascending, with their scores.
pub(crate) type Matches = Vec<(u32, Score)>;

impl Query {
    /// A query every one of `queries` must match.
    pub(crate) fn all(mut queries: Vec<Query>) -> Query {
        if queries.len() == 1 {
            return queries.remove(0);
        }
        Query::Bool {
            must: queries,
            should: Vec::new(),
            not: Vec::new(),
        }
    }

    /// A query any of `queries` may match, scored by their sum.
    pub(crate) fn any(queries: Vec<Query>) -> Query {
        Query::Bool {
            must: Vec::new(),
            should: queries,
            not: Vec::new(),
        }
    }
}

/// Runs queries over one segment, remembering the first read that failed.
pub(crate) struct Run<'a> {
    segment: &'a Segment,
    failed: Option<io::Error>,
}

impl<'a> Run<'a> {
    pub(crate) fn new(segment: &'a Segment) -> Run<'a> {
        Run {
            segment,
            failed: None,
        }
    }

    /// The first read that failed, if any: the results are then incomplete.
    pub(crate) fn failed(&mut self) -> Option<io::Error> {
        self.failed.take()
    }

    /// `result`'s value, or `fallback` with the error remembered.
    pub(crate) fn soft<T>(&mut self, result: io::Result<T>, fallback: T) -> T {
        match result {
            Ok(value) => value,
            Err(error) => {
                self.failed.get_or_insert(error);
                fallback
            }
        }
    }

    /// The documents `query` matches, with their scores.
    pub(crate) fn matches(&mut self, query: &Query) -> Matches {
        self.eval(query, 1.0)
    }

    fn eval(&mut self, query: &Query, boost: Score) -> Matches {
        match query {
            Query::Nothing => Vec::new(),
            Query::Everything => (0..self.segment.documents()).map(|d| (d, boost)).collect(),
            Query::Term(field, term) => {
                let result = self.term(*field, term, boost);
                self.soft(result, Vec::new())
            }
            Query::Phrase(field, terms) => {
                let result = self.phrase(*field, terms, boost);
                self.soft(result, Vec::new())
            }
            Query::Boost(inner, by) => self.eval(inner, boost * by),
            Query::Max(queries, tie) => {
                let lists: Vec<Matches> = queries.iter().map(|q| self.eval(q, boost)).collect();
                let documents = self.segment.documents() as usize;
                let mut max = vec![0.0; documents];
                let mut sum = vec![0.0; documents];
                let mut seen = vec![false; documents];
                for list in &lists {
                    for &(doc, score) in list {
                        let d = doc as usize;
                        max[d] = Score::max(score, max[d]);
                        sum[d] += score;
                        seen[d] = true;
                    }
                }
                gather(&seen, |d| max[d] + (sum[d] - max[d]) * tie)
            }
            Query::Bool { must, should, not } => {
                let documents = self.segment.documents() as usize;
                // How many `must` hold each document, and its score.
                let mut hits = vec![0usize; documents];
                let mut score = vec![0.0; documents];
                for query in must {
                    for (doc, s) in self.eval(query, boost) {
                        hits[doc as usize] += 1;
                        score[doc as usize] += s;
                    }
                }
                let required = must.len();
                let mut optional = vec![false; documents];
                for query in should {
                    for (doc, s) in self.eval(query, boost) {
                        let d = doc as usize;
                        if required == 0 || hits[d] == required {
                            optional[d] = true;
                            score[d] += s;
                        }
                    }
                }
                let mut keep: Vec<bool> = if required == 0 {
                    optional
                } else {
                    hits.iter().map(|&h| h == required).collect()
                };
                for query in not {
                    for (doc, _) in self.eval(query, 1.0) {
                        keep[doc as usize] = false;
                    }
                }
                gather(&keep, |d| score[d])
            }
        }
    }

    fn term(&mut self, field: Field, term: &[u8], boost: Score) -> io::Result<Matches> {
        let index = self.segment.field(field)?;
        let Some(info) = index.info(term)? else {
            return Ok(Vec::new());
        };
        let documents = self.segment.documents();
        let weight = Bm25Weight::for_one_term_without_explain(
            u64::from(info.doc_freq),
            u64::from(documents),
            index.average_norm(documents),
        )
        .boost_by(boost);
        let postings = index.postings(&info)?;
        Ok(postings
            .docs
            .iter()
            .zip(&postings.freqs)
            .map(|(&doc, &freq)| (doc, weight.score(index.norm(doc), freq)))
            .collect())
    }

    fn phrase(&mut self, field: Field, terms: &[Vec<u8>], boost: Score) -> io::Result<Matches> {
        let index = self.segment.field(field)?;
        // Each term's documents and its positions in each.
        let mut infos = Vec::with_capacity(terms.len());
        for term in terms {
            let Some(info) = index.info(term)? else {
                return Ok(Vec::new());
            };
            infos.push(info);
        }
        // Every term read before failing, so one round fetches them all.
        let mut lists = Vec::with_capacity(terms.len());
        let mut failed = None;
        for info in &infos {
            let read = index.postings(info).and_then(|postings| {
                let positions = index.positions(info, &postings.freqs)?;
                Ok((postings.docs, positions))
            });
            match read {
                Ok(list) => lists.push(list),
                Err(error) => failed = Some(error),
            }
        }
        if let Some(error) = failed {
            return Err(error);
        }
        let statistics = Statistics {
            segment: self.segment,
        };
        let terms: Vec<Term> = terms
            .iter()
            .map(|t| Term::from_field_bytes(field, t))
            .collect();
        let weight = Bm25Weight::for_terms(&statistics, &terms)
            .map_err(|_| io::Error::other("phrase statistics"))?
            .boost_by(boost);
        let (first, rest) = lists
            .split_first()
            .ok_or_else(|| io::Error::other("empty phrase"))?;
        let mut cursors = vec![0usize; rest.len()];
        let mut matches = Vec::new();
        'docs: for (i, &doc) in first.0.iter().enumerate() {
            let mut at = Vec::with_capacity(rest.len());
            for (cursor, list) in cursors.iter_mut().zip(rest) {
                while *cursor < list.0.len() && list.0[*cursor] < doc {
                    *cursor += 1;
                }
                if list.0.get(*cursor) != Some(&doc) {
                    continue 'docs;
                }
                at.push(&list.1[*cursor]);
            }
            // Starts of the phrase: the first term at p, the k-th at p + k.
            let count = first.1[i]
                .iter()
                .filter(|&&p| {
                    at.iter()
                        .enumerate()
                        .all(|(k, positions)| positions.contains(&(p + k as u32 + 1)))
                })
                .count() as u32;
            if count > 0 {
                matches.push((doc, weight.score(index.norm(doc), count)));
            }
        }
        Ok(matches)
    }
}

/// The documents marked in `keep`, ascending, each with `score(doc)`.
fn gather(keep: &[bool], score: impl Fn(usize) -> Score) -> Matches {
    keep.iter()
        .enumerate()
        .filter(|(_, keep)| **keep)
        .map(|(d, _)| (d as u32, score(d)))
        .collect()
}

/// The statistics BM25 weighs a phrase with, from the one segment.
struct Statistics<'a> {
    segment: &'a Segment,
}

impl Bm25StatisticsProvider for Statistics<'_> {
    fn total_num_tokens(&self, field: Field) -> tantivy::Result<u64> {
        Ok(self.segment.field(field)?.total_tokens())
    }

    fn total_num_docs(&self) -> tantivy::Result<u64> {
        Ok(u64::from(self.segment.documents()))
    }

    fn doc_freq(&self, term: &Term) -> tantivy::Result<u64> {
        let index = self.segment.field(term.field())?;
        Ok(u64::from(index.doc_freq(term.serialized_value_bytes())?))
    }
}

/// The page at `offset` of `matches`, best first, ties in document order.
///
/// Kept by insertion into a short list rather than sorted: pages are small,
/// and a sort of this type would add code to the browser's module.
pub(crate) fn top(matches: &Matches, offset: usize, limit: usize) -> Vec<u32> {
    let wanted = offset + limit;
    if wanted == 0 {
        return Vec::new();
    }
    let mut best: Vec<(Score, u32)> = Vec::with_capacity(wanted + 1);
    for &(doc, score) in matches {
        if best.len() == wanted && best[wanted - 1].0 >= score {
            continue;
        }
        // After every document scoring as much: they come first in document order.
        let at = best.partition_point(|&(s, _)| s >= score);
        best.insert(at, (score, doc));
        best.truncate(wanted);
    }
    best.into_iter().skip(offset).map(|(_, doc)| doc).collect()
}
