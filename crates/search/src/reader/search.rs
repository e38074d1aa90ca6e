//! Answering a request: the query parsed and built, run under the filters,
//! and each result read into a hit.
//!
//! A search over a partly fetched index reads in two rounds: first every
//! postings list it needs (a list not fetched yet counts as empty, and its
//! chunks are noted), then, once they are all there, the stored results.

use std::collections::{BTreeMap, BTreeSet};

use tantivy::tokenizer::TextAnalyzer;

use super::Searcher;
use crate::Error;
use crate::document::{DocKind, date_text};
use crate::engine::{Matches, Query, Run, top};
use crate::query::{Built, Mode, Part, QueryBuilder, facet_term, parse, without_stop_words};
use crate::response::{Hit, MAX_LIMIT, Request, Response, Sort};
use crate::snippet::snippet;

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

    /// Fails when a read of `run` failed: with the chunks to fetch, or as a
    /// damaged index.
    fn settled(&self, run: &mut Run<'_>) -> Result<(), Error> {
        match run.failed() {
            Some(error) => self.loaded(Err(error)),
            None => Ok(()),
        }
    }

    fn search_loaded(&self, request: &Request) -> Result<Response, Error> {
        // First: the chunks of their definitions come with the postings.
        let definitions = self.definitions(&request.query);
        let parts = without_stop_words(
            parse(&request.query, &mut self.words.clone()),
            &self.thesaurus,
        );
        let filters = self.filters(request);
        let mut builder = self.builder(&parts);
        let built = builder.build(&parts, Mode::All)?;
        let mut response = match &built {
            None if filters.is_empty() => {
                let mut run = Run::new(&self.segment);
                // Nothing asked and nothing filtered: the dictionary knows every count.
                let facets = if request.facets {
                    self.facet_counts(&mut run, &Vec::new(), true, &Vec::new(), &Vec::new())
                } else {
                    Vec::new()
                };
                self.settled(&mut run)?;
                Response {
                    facets,
                    ..Response::default()
                }
            }
            _ => self.run(built.as_ref(), &filters, request, None)?,
        };
        // Readers rarely mean "all of these words" strictly: when few
        // documents have them all, show what has some, after those that have all.
        let mut built = built;
        if response.total < FEW && built.as_ref().is_some_and(|b| b.clauses > 1) {
            let all = built.map(|b| b.query);
            built = builder.build(&parts, Mode::Any)?;
            response = self.run(built.as_ref(), &filters, request, all.as_ref())?;
        }
        if response.total == 0 && !parts.is_empty() {
            response.suggestions = builder.suggestion(&parts)?.into_iter().collect();
        }
        response.highlight = built
            .map(|b| b.highlight.into_iter().collect())
            .unwrap_or_default();
        response.definitions = definitions;
        Ok(response)
    }

    /// Builds the queries of `parts`, which may name glossary terms.
    pub(super) fn builder(&self, parts: &[Part]) -> QueryBuilder<'_> {
        QueryBuilder {
            segment: &self.segment,
            fields: &self.fields,
            stemmed: self.stemmed.clone(),
            thesaurus: &self.thesaurus,
            named: self.asked_about(parts),
        }
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

    /// Runs `built` (everything when `None`) under `filters`; the documents
    /// `first` matches, when given, rank before the others.
    fn run(
        &self,
        built: Option<&Built>,
        filters: &Filters<'_>,
        request: &Request,
        first: Option<&Query>,
    ) -> Result<Response, Error> {
        let text = built.map_or(Query::Everything, |b| b.query.clone());
        let limit = request.limit.min(MAX_LIMIT);
        let offset = request.offset;
        let mut run = Run::new(&self.segment);
        // The text is run once; each filter narrows what it matched (a filter
        // scores nothing, so the scores stay the text's).
        let sets = self.filter_sets(&mut run, filters);
        let text_matches = run.matches(&text);
        let matches = restrict(&text_matches, &sets, None);
        let top = if limit == 0 {
            Vec::new()
        } else if request.sort == Sort::Newest {
            self.newest(&mut run, &matches, offset, limit)?
        } else {
            let documents = self.segment.documents();
            let retired = self
                .retired()?
                .map(|r| self.retired_documents(&mut run, &r));
            let preferred =
                first.map(|query| marked(&restrict(&run.matches(query), &sets, None), documents));
            match (&retired, &preferred) {
                (None, None) => top(&matches, offset, limit),
                _ => {
                    // Retired documents last; before them, those `first` matches.
                    let tier = |doc: u32| {
                        let is = |set: &Option<Vec<bool>>| {
                            set.as_ref().is_some_and(|set| set[doc as usize])
                        };
                        2 * usize::from(is(&retired))
                            + usize::from(preferred.is_some() && !is(&preferred))
                    };
                    tiered(&matches, tier, 4, offset, limit)
                }
            }
        };
        let facets = if request.facets {
            self.facet_counts(&mut run, &text_matches, built.is_none(), &sets, &matches)
        } else {
            Vec::new()
        };
        self.settled(&mut run)?;
        let mut hits = Vec::with_capacity(top.len());
        let highlight = built.map(|b| b.highlight.clone()).unwrap_or_default();
        let mut analyzer = self.stemmed.clone();
        // Every result is tried, so that one round of fetches brings them all.
        let mut failed = None;
        for doc in top {
            match self.hit(doc, &highlight, &mut analyzer) {
                Ok(hit) => hits.push(hit),
                Err(error) => failed = Some(error),
            }
        }
        if let Some(error) = failed {
            return Err(error);
        }
        Ok(Response {
            total: matches.len(),
            hits,
            facets,
            ..Response::default()
        })
    }

    /// The documents of each taxonomy filtered on: those with any of its
    /// terms asked for.
    pub(super) fn filter_sets<'a>(
        &self,
        run: &mut Run<'_>,
        filters: &Filters<'a>,
    ) -> FilterSets<'a> {
        filters
            .iter()
            .map(|(taxonomy, slugs)| {
                let any_term = slugs
                    .iter()
                    .map(|slug| Query::Term(self.fields.facets, facet_term(taxonomy, slug)))
                    .collect();
                let set = marked(
                    &run.matches(&Query::any(any_term)),
                    self.segment.documents(),
                );
                (*taxonomy, set)
            })
            .collect()
    }

    fn hit(
        &self,
        doc: u32,
        highlight: &BTreeSet<String>,
        analyzer: &mut TextAnalyzer,
    ) -> Result<Hit, Error> {
        let doc = self.segment.doc(doc)?;
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

/// A query with fewer results than this that has all of several words
/// shows those with some of them too, after.
const FEW: usize = 3;

/// The page of `matches` at `offset`, the documents of tier 0 first, then
/// tier 1, and so on to `tiers - 1`, each tier best first.
fn tiered(
    matches: &Matches,
    tier: impl Fn(u32) -> usize,
    tiers: usize,
    offset: usize,
    limit: usize,
) -> Vec<u32> {
    let mut page = Vec::with_capacity(limit);
    let mut skip = offset;
    for level in 0..tiers {
        if page.len() >= limit {
            break;
        }
        let group: Matches = matches
            .iter()
            .filter(|(doc, _)| tier(*doc) == level)
            .copied()
            .collect();
        page.extend(top(&group, skip, limit - page.len()));
        skip = skip.saturating_sub(group.len());
    }
    page
}

/// Each filtered taxonomy with the documents its filter lets through.
pub(super) type FilterSets<'a> = Vec<(&'a str, Vec<bool>)>;

/// `matches` with only the documents every filter lets through, but the
/// filter of `except`.
pub(super) fn restrict(matches: &Matches, sets: &FilterSets<'_>, except: Option<&str>) -> Matches {
    matches
        .iter()
        .filter(|(doc, _)| {
            sets.iter()
                .all(|(taxonomy, set)| Some(*taxonomy) == except || set[*doc as usize])
        })
        .copied()
        .collect()
}

/// Which documents `matches` holds, by document number.
pub(super) fn marked(matches: &Matches, documents: u32) -> Vec<bool> {
    let mut marked = vec![false; documents as usize];
    for &(doc, _) in matches {
        marked[doc as usize] = true;
    }
    marked
}
