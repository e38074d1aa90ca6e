//! Opening a packed index and answering requests: the code the browser runs
//! (through `almanac-search-wasm`) and the command line runs alike.
//!
//! The browser opens the hot file alone; a search that reads a chunk not yet
//! fetched answers [`Error::NeedChunks`] with every chunk it will read next, so
//! the page fetches them side by side and searches again (twice at most for a
//! new query: postings and norms, then the stored results).

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use tantivy::collector::{Collector, Count, SegmentCollector, TopDocs};
use tantivy::directory::OwnedBytes;
use tantivy::query::{AllQuery, BooleanQuery, ConstScoreQuery, EnableScoring, Occur, Query};
use tantivy::schema::IndexRecordOption;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{
    BitSet, DocAddress, DocId, DocSet, Index, ReloadPolicy, Score, SegmentOrdinal, SegmentReader,
    TERMINATED, Term,
};

use crate::Error;
use crate::analysis::Thesaurus;
use crate::document::{DocKind, date_text};
#[cfg(feature = "files")]
use crate::pack::IndexFile;
use crate::pack::{self, Header, Stream};
use crate::query::{Built, Mode, Part, QueryBuilder, facet_term, parse, without_stop_words};
use crate::response::{
    Definition, FacetCounts, Hit, MAX_LIMIT, Request, Response, Sort, TermCount,
};
use crate::schema::{self, Fields};
use crate::snippet::snippet;
use crate::stem::{StemFn, Stemmer};
use crate::stored::StoredText;
use crate::term_query::TermQuery;
use crate::tokenizer::{self, tokens};

mod status;

use status::Retired;

/// An opened index, ready to answer requests.
pub struct Searcher {
    searcher: tantivy::Searcher,
    fields: Fields,
    header: Header,
    stream: Arc<Stream>,
    stemmed: TextAnalyzer,
    words: TextAnalyzer,
    /// Each glossary term with the stems of its title and synonyms.
    glossary: Vec<(Definition, Vec<Vec<String>>)>,
    /// Stop words and the collection's other names for things.
    thesaurus: Thesaurus,
}

impl std::fmt::Debug for Searcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Searcher")
            .field("documents", &self.searcher.num_docs())
            .field("language", &self.header.language)
            .finish_non_exhaustive()
    }
}

/// Filters grouped by taxonomy: a document must match every taxonomy, and any
/// one term within a taxonomy.
type Filters<'a> = BTreeMap<&'a str, Vec<&'a str>>;

impl Searcher {
    /// Opens the hot file written by `write_index` (the first of its files),
    /// inflated; chunks are added, inflated too, as searches ask for them.
    pub fn open(bytes: &[u8]) -> Result<Searcher, Error> {
        Searcher::open_owned(bytes.to_vec())
    }

    /// Opens every file `write_index` wrote (names and deflated bytes as it
    /// gave them, the hot file first): a searcher that never needs to fetch anything.
    #[cfg(feature = "files")]
    pub fn open_files(files: Vec<IndexFile>) -> Result<Searcher, Error> {
        let searcher = Searcher::open_files_partly(files)?;
        if !searcher.stream.is_complete() {
            return Err(Error::Corrupt("chunks of the index are missing".to_owned()));
        }
        Ok(searcher)
    }

    /// Like [`Searcher::open_files`], but some chunks may be left out: a
    /// search that needs them answers [`Error::NeedChunks`], as in the browser.
    #[cfg(feature = "files")]
    pub fn open_files_partly(files: Vec<IndexFile>) -> Result<Searcher, Error> {
        let mut files = files.into_iter();
        let hot = files.next().ok_or(Error::NotAnIndex)?;
        let searcher = Searcher::open_owned(pack::inflate(&hot.bytes)?)?;
        for file in files {
            let chunk = chunk_number(&file.name).ok_or_else(|| {
                Error::Corrupt(format!("{} is not a chunk of the index", file.name))
            })?;
            searcher.add_chunk(chunk, pack::inflate(&file.bytes)?)?;
        }
        Ok(searcher)
    }

    /// Like [`Searcher::open`], taking ownership to avoid copying the bytes.
    pub fn open_owned(bytes: Vec<u8>) -> Result<Searcher, Error> {
        Searcher::open_with_stemmer(bytes, None)
    }

    /// Like [`Searcher::open_owned`], stemming with `stemmer` rather than the
    /// linked stemmers (which the browser module leaves out): it must be the
    /// algorithm [`crate::stemmer_algorithm`] names for the index's language.
    pub fn open_with_stemmer(bytes: Vec<u8>, stemmer: Option<StemFn>) -> Result<Searcher, Error> {
        let (header, directory) = pack::decode(OwnedBytes::new(bytes))?;
        let stemmer = Stemmer::for_language(&header.language, stemmer)?;
        let stream = Arc::clone(directory.stream());
        let index = Index::open(directory)?;
        // The format version should already have caught a different schema;
        // this guards against a change that forgot to bump it.
        if index.schema() != schema::build() {
            return Err(Error::Corrupt(
                "the index was written with another schema".to_owned(),
            ));
        }
        tokenizer::register(index.tokenizers(), &header.language, stemmer.as_ref());
        let fields = Fields::resolve(&index.schema())?;
        // Manual reloads: the index never changes, and the default policy would
        // watch for commits on a background thread, which the browser lacks.
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let mut stemmed = tokenizer::stemmed_analyzer(&header.language, stemmer.as_ref());
        let glossary = header
            .glossary
            .iter()
            .map(|entry| {
                let names = std::iter::once(&entry.title)
                    .chain(&entry.synonyms)
                    .map(|name| {
                        tokens(&mut stemmed, name)
                            .into_iter()
                            .map(|t| t.0)
                            .collect()
                    })
                    .filter(|stems: &Vec<String>| !stems.is_empty())
                    .collect();
                let definition = Definition {
                    title: entry.title.clone(),
                    url: entry.url.clone(),
                    summary: entry.summary.clone(),
                };
                (definition, names)
            })
            .collect();
        let mut words = tokenizer::words_analyzer();
        // A glossary term and its synonyms, a vocabulary term and its
        // alternative labels: names of one thing.
        let rings = header
            .glossary
            .iter()
            .map(|entry| {
                std::iter::once(entry.title.clone())
                    .chain(entry.synonyms.iter().cloned())
                    .collect::<Vec<String>>()
            })
            .chain(header.taxonomies.iter().flat_map(|taxonomy| {
                taxonomy.terms.iter().filter_map(|(slug, label)| {
                    let alternatives = taxonomy.alt_labels.get(slug)?;
                    Some(
                        std::iter::once(label.clone())
                            .chain(alternatives.iter().cloned())
                            .collect(),
                    )
                })
            }))
            .collect::<Vec<Vec<String>>>();
        let thesaurus = Thesaurus::new(
            &header.analysis,
            rings.into_iter(),
            &mut stemmed,
            &mut words,
        );
        Ok(Searcher {
            searcher: reader.searcher(),
            fields,
            header,
            stream,
            stemmed,
            words,
            glossary,
            thesaurus,
        })
    }

    /// The names of the taxonomies the index counts and filters by.
    pub fn taxonomies(&self) -> impl Iterator<Item = &str> {
        self.header.taxonomies.iter().map(|t| t.name.as_str())
    }

    /// Number of documents in the index.
    pub fn num_docs(&self) -> u64 {
        self.searcher.num_docs()
    }

    /// How many chunks the index is cut into (numbered from 0).
    pub fn chunk_count(&self) -> usize {
        self.stream.chunk_count()
    }

    /// Adds chunk `number` (the file `index.<hash>/<number>.bin`, inflated).
    pub fn add_chunk(&self, number: usize, bytes: Vec<u8>) -> Result<(), Error> {
        self.stream.add(number, bytes)
    }

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
    fn loaded<T, E: Into<Error>>(&self, result: Result<T, E>) -> Result<T, Error> {
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
    fn filtered(
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

    /// Term counts per taxonomy for `text` (`everything` when it matches every
    /// document): each taxonomy counted under the other taxonomies' filters, so
    /// a reader sees what ticking a term would add. `matched` is what `text`
    /// matches under every filter, when the caller has it.
    ///
    /// Counted from the taxonomy terms' postings rather than tantivy's facet
    /// column: a filter reads those postings anyway, they are a fraction of the
    /// column's size, and with no query and no filter the dictionary alone
    /// knows the counts.
    fn facet_counts(
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
                let others: Filters<'_> = filters
                    .iter()
                    .filter(|(other, _)| **other != name)
                    .map(|(other, slugs)| (*other, slugs.clone()))
                    .collect();
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
    fn newest(
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

    /// What `collector` gathers of the documents `query` matches, segment by
    /// segment on this thread, as `tantivy::Searcher::search` does on one
    /// thread, but without its executor: a thread pool the browser cannot use,
    /// which linked rayon and crossbeam into the module.
    fn collect<C: Collector>(&self, query: &dyn Query, collector: &C) -> tantivy::Result<C::Fruit> {
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

    /// Glossary terms whose title or a synonym appears, word for word, in the query.
    fn definitions(&self, query: &str) -> Vec<Definition> {
        self.named(query)
            .into_iter()
            .map(|(definition, _)| definition.clone())
            .collect()
    }

    /// The title stems of the glossary terms that `parts` name and nothing
    /// more ("what is automation bias"): a query with more words than a term's
    /// name ("digital rights for cities") asks about something narrower.
    fn asked_about(&self, parts: &[Part]) -> Vec<Vec<String>> {
        let mut stemmed = self.stemmed.clone();
        let mut query: Vec<String> = Vec::new();
        for part in parts {
            match part {
                Part::Word { text, .. } => {
                    query.extend(tokens(&mut stemmed, text).into_iter().map(|t| t.0));
                }
                Part::Phrase(_) => return Vec::new(),
            }
        }
        let query = self.thesaurus.content(&query);
        self.glossary
            .iter()
            .filter(|(_, names)| {
                names
                    .iter()
                    .any(|name| !query.is_empty() && self.thesaurus.content(name) == query)
            })
            .filter_map(|(_, names)| names.first().cloned())
            .collect()
    }

    /// The glossary terms whose title or a synonym appears, word for word, in
    /// the query, in the order it names them, with their names' stems (the
    /// title's first).
    fn named(&self, query: &str) -> Vec<(&Definition, &Vec<Vec<String>>)> {
        let query: Vec<String> = tokens(&mut self.stemmed.clone(), query)
            .into_iter()
            .map(|t| t.0)
            .collect();
        let mut named: Vec<(usize, &Definition, &Vec<Vec<String>>)> = self
            .glossary
            .iter()
            .filter_map(|(definition, names)| {
                names
                    .iter()
                    .filter_map(|name| position(&query, name))
                    .min()
                    .map(|at| (at, definition, names))
            })
            .collect();
        named.sort_by_key(|(at, _, _)| *at);
        named.into_iter().map(|(_, d, n)| (d, n)).collect()
    }
}

/// The number of a chunk file named `index.<hash>/<number>.bin`.
#[cfg(feature = "files")]
fn chunk_number(name: &str) -> Option<usize> {
    let (_, file) = name.rsplit_once('/')?;
    file.strip_suffix(".bin")?.parse().ok()
}

/// Collects the documents a query matches, a set per segment, without scoring.
struct Matching;

/// What [`Matching`] collects.
type Matched = Vec<(SegmentOrdinal, BitSet)>;

struct SegmentMatching {
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

/// Where `needle` first occurs as a run of whole words in `haystack`.
fn position(haystack: &[String], needle: &[String]) -> Option<usize> {
    if needle.is_empty() || needle.len() > haystack.len() {
        return None;
    }
    haystack.windows(needle.len()).position(|w| w == needle)
}
