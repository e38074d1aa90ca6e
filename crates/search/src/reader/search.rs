//! Answering a request: the query parsed and built, run under the filters, the
//! matching chunks warmed first, and each result read into a hit.

use std::collections::BTreeMap;

use tantivy::collector::{Collector, Count, TopDocs};
use tantivy::query::{AllQuery, BooleanQuery, ConstScoreQuery, EnableScoring, Occur, Query};
use tantivy::schema::IndexRecordOption;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DocAddress, SegmentOrdinal, Term};

use super::Searcher;
use super::facets::Matching;
use super::status::Retired;
use crate::Error;
use crate::document::{DocKind, date_text};
use crate::query::{Built, Mode, QueryBuilder, facet_term, parse, without_stop_words};
use crate::response::{Hit, MAX_LIMIT, Request, Response, Sort};
use crate::snippet::snippet;
use crate::stored::StoredText;
use crate::term_query::TermQuery;

/// Filters grouped by taxonomy: a document must match every taxonomy, and any
/// one term within a taxonomy.
pub(super) type Filters<'a> = BTreeMap<&'a str, Vec<&'a str>>;

impl Searcher {
    /// Answers `request`. A query that makes no sense finds nothing; it is never
    /// an error. Nothing is found either while chunks it needs are missing: use
    /// [`Searcher::try_search`] on a searcher opened from the hot file alone.
    pub fn search(&self, request: &Request) -> Response {
        self.try_search(request).unwrap_or_default()
    }

    /// Like [`Searcher::search`], but reports [`Error::NeedChunks`] when chunks
    /// must be fetched first, and a failure to read the index (which only a
    /// damaged index causes).
    pub fn try_search(&self, request: &Request) -> Result<Response, Error> {
        // Misses of an earlier, abandoned search are not this one's business.
        self.stream.take_missing();
        self.loaded(self.search_loaded(request))
    }

    /// `result`, or the chunks that were missing when it failed.
    pub(super) fn loaded<T, E: Into<Error>>(&self, result: Result<T, E>) -> Result<T, Error> {
        let missing = self.stream.take_missing();
        match result {
            _ if !missing.is_empty() => Err(Error::NeedChunks(missing)),
            Ok(value) => Ok(value),
            Err(error) => Err(error.into()),
        }
    }

    fn search_loaded(&self, request: &Request) -> Result<Response, Error> {
        let parts = without_stop_words(
            parse(&request.query, &mut self.words.clone()),
            &self.thesaurus,
        );
        let filters = self.filters(request);
        let mut builder = QueryBuilder {
            searcher: &self.searcher,
            fields: &self.fields,
            stemmed: self.stemmed.clone(),
            thesaurus: &self.thesaurus,
            named: self.asked_about(&parts),
        };
        let built = builder.build(&parts, Mode::All)?;
        let mut response = match &built {
            None if filters.is_empty() => Response {
                facets: if request.facets {
                    self.facet_counts(&AllQuery, true, &filters, None)?
                } else {
                    Vec::new()
                },
                ..Response::default()
            },
            _ => self.run(built.as_ref(), &filters, request)?,
        };
        // Readers rarely mean "all of these words" strictly: when nothing has
        // them all, show what has some.
        let mut built = built;
        if response.total == 0 && built.as_ref().is_some_and(|b| b.clauses > 1) {
            built = builder.build(&parts, Mode::Any)?;
            response = self.run(built.as_ref(), &filters, request)?;
        }
        if response.total == 0 && !parts.is_empty() {
            response.suggestions = builder.suggestion(&parts)?.into_iter().collect();
        }
        response.highlight = built
            .map(|b| b.highlight.into_iter().collect())
            .unwrap_or_default();
        response.definitions = self.definitions(&request.query);
        Ok(response)
    }

    fn filters<'a>(&self, request: &'a Request) -> Filters<'a> {
        let mut filters: Filters<'a> = BTreeMap::new();
        for (taxonomy, slug) in &request.filters {
            // A filter on a taxonomy the index does not know (an old link, a
            // typo in the URL) is ignored rather than emptying the results.
            if self.header.taxonomies.iter().any(|t| &t.name == taxonomy) {
                let slugs = filters.entry(taxonomy.as_str()).or_default();
                if !slugs.contains(&slug.as_str()) {
                    slugs.push(slug);
                }
            }
        }
        filters
    }

    fn run(
        &self,
        built: Option<&Built>,
        filters: &Filters<'_>,
        request: &Request,
    ) -> Result<Response, Error> {
        let text: Box<dyn Query> = match built {
            Some(built) => built.query.box_clone(),
            None => Box::new(AllQuery),
        };
        let limit = request.limit.min(MAX_LIMIT);
        let newest = request.sort == Sort::Newest && limit > 0;
        let retired = self.retired()?;
        if !self.stream.is_complete() {
            let ranked = if newest { None } else { retired.as_ref() };
            self.warm(text.as_ref(), filters, request.facets, newest, ranked)?;
        }
        let query = self.filtered(text.box_clone(), filters, None);
        let top = (limit > 0).then(|| TopDocs::with_limit(limit).and_offset(request.offset));
        // The documents matched under every filter are also what the taxonomies
        // without a filter of their own are counted over.
        let matching = (request.facets || newest).then_some(Matching);
        let tiered = !newest && limit > 0 && retired.is_some();
        let top = if newest || tiered {
            None
        } else {
            top.map(TopDocs::order_by_score)
        };
        let (top, total, matching) = self.collect(query.as_ref(), &(top, Count, matching))?;
        let top: Vec<DocAddress> = match (&matching, &retired) {
            (Some(matching), _) if newest => self.newest(matching, request.offset, limit)?,
            (_, Some(retired)) if tiered => {
                self.current_first(query.as_ref(), retired, request.offset, limit)?
            }
            _ => top
                .unwrap_or_default()
                .into_iter()
                .map(|(_, address)| address)
                .collect(),
        };
        let matching = if request.facets { matching } else { None };
        let mut hits = Vec::with_capacity(top.len());
        let highlight = built.map(|b| b.highlight.clone()).unwrap_or_default();
        let mut analyzer = self.stemmed.clone();
        // Every result is tried, so that one round of fetches brings them all.
        let mut failed = None;
        for address in top {
            match self.hit(address, &highlight, &mut analyzer) {
                Ok(hit) => hits.push(hit),
                Err(error) => failed = Some(error),
            }
        }
        if let Some(error) = failed {
            return Err(error);
        }
        let facets = match matching {
            Some(matching) => {
                self.facet_counts(text.as_ref(), built.is_none(), filters, Some(matching))?
            }
            None => Vec::new(),
        };
        Ok(Response {
            total,
            hits,
            facets,
            ..Response::default()
        })
    }

    /// Reads, without stopping at the first miss, everything that running
    /// `text` under `filters` reads beside the dictionaries: each term's
    /// postings (with positions for phrases), the norms of the fields they are
    /// scored in, when `counting` the postings of every taxonomy term, and when
    /// `dated` the column of dates, and the postings of the `retired`
    /// statuses. Fails with every chunk found missing.
    fn warm(
        &self,
        text: &dyn Query,
        filters: &Filters<'_>,
        counting: bool,
        dated: bool,
        retired: Option<&Retired>,
    ) -> Result<(), Error> {
        let mut terms: Vec<(Term, bool)> = Vec::new();
        text.query_terms(&mut |term, positions| terms.push((term.clone(), positions)));
        for term in retired.map(|r| r.terms.as_slice()).unwrap_or_default() {
            terms.push((term.clone(), false));
        }
        let counted = if counting {
            &self.header.taxonomies[..]
        } else {
            &[]
        };
        for taxonomy in counted {
            for (slug, _) in &taxonomy.terms {
                terms.push((facet_term(self.fields.facets, &taxonomy.name, slug), false));
            }
        }
        for (taxonomy, slugs) in filters {
            for slug in slugs {
                terms.push((facet_term(self.fields.facets, taxonomy, slug), false));
            }
        }
        for segment in self.searcher.segment_readers() {
            for (term, positions) in &terms {
                let inverted = segment.inverted_index(term.field())?;
                let option = if *positions {
                    IndexRecordOption::WithFreqsAndPositions
                } else {
                    IndexRecordOption::WithFreqs
                };
                if let Some(info) = inverted.get_term_info(term)? {
                    // A miss is noted by the stream; the result is not needed.
                    let _ = inverted.read_postings_from_terminfo(&info, option);
                }
                let _ = segment.fieldnorms_readers().get_field(term.field());
            }
            if dated {
                // Every date's postings: which are needed depends on what matches.
                let inverted = segment.inverted_index(self.fields.date)?;
                let mut dates = inverted.terms().stream()?;
                while dates.advance() {
                    let _ = inverted
                        .read_postings_from_terminfo(dates.value(), IndexRecordOption::Basic);
                }
            }
        }
        self.loaded(Ok::<(), Error>(()))
    }

    /// `text` restricted by every filter except those of `except`. Filters
    /// never add to the score, so they do not reorder results.
    pub(super) fn filtered(
        &self,
        text: Box<dyn Query>,
        filters: &Filters<'_>,
        except: Option<&str>,
    ) -> Box<dyn Query> {
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, text)];
        for (taxonomy, slugs) in filters {
            if Some(*taxonomy) == except {
                continue;
            }
            let any_term: Vec<(Occur, Box<dyn Query>)> = slugs
                .iter()
                .map(|slug| -> (Occur, Box<dyn Query>) {
                    let term = facet_term(self.fields.facets, taxonomy, slug);
                    let query = TermQuery::new(term, IndexRecordOption::Basic);
                    (Occur::Should, Box::new(query))
                })
                .collect();
            let filter = ConstScoreQuery::new(Box::new(BooleanQuery::new(any_term)), 0.0);
            clauses.push((Occur::Must, Box::new(filter)));
        }
        if clauses.len() == 1 {
            return clauses.remove(0).1;
        }
        Box::new(BooleanQuery::new(clauses))
    }

    /// What `collector` gathers of the documents `query` matches, segment by
    /// segment on this thread, as `tantivy::Searcher::search` does on one
    /// thread, but without its executor: a thread pool the browser cannot use,
    /// which linked rayon and crossbeam into the module.
    pub(super) fn collect<C: Collector>(
        &self,
        query: &dyn Query,
        collector: &C,
    ) -> tantivy::Result<C::Fruit> {
        let scoring = if collector.requires_scoring() {
            EnableScoring::enabled_from_searcher(&self.searcher)
        } else {
            EnableScoring::disabled_from_searcher(&self.searcher)
        };
        let weight = query.weight(scoring)?;
        let fruits = self
            .searcher
            .segment_readers()
            .iter()
            .enumerate()
            .map(|(ordinal, segment)| {
                collector.collect_segment(weight.as_ref(), ordinal as SegmentOrdinal, segment)
            })
            .collect::<tantivy::Result<Vec<_>>>()?;
        collector.merge_fruits(fruits)
    }

    fn hit(
        &self,
        address: DocAddress,
        highlight: &std::collections::BTreeSet<String>,
        analyzer: &mut TextAnalyzer,
    ) -> Result<Hit, Error> {
        let doc: StoredText = self.searcher.doc(address)?;
        let text = |field| doc.get_first(field).unwrap_or_default().to_owned();
        let summary = text(self.fields.summary);
        let excerpt = text(self.fields.excerpt);
        let date = doc
            .get_first(self.fields.date)
            .and_then(|key| key.parse().ok())
            .map(date_text)
            .unwrap_or_default();
        Ok(Hit {
            kind: DocKind::from_stored(&text(self.fields.kind)),
            title: text(self.fields.title),
            url: text(self.fields.url),
            snippet: snippet(analyzer, &[&summary, &excerpt], highlight),
            summary,
            date,
            status: text(self.fields.status),
        })
    }
}
