//! Opening a packed index and answering requests: the code the browser runs
//! (through `almanac-search-wasm`) and the command line runs alike.

use std::collections::{BTreeMap, HashMap};

use tantivy::collector::{Count, FacetCollector, TopDocs};
use tantivy::directory::OwnedBytes;
use tantivy::query::{AllQuery, BooleanQuery, ConstScoreQuery, Occur, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DocAddress, Index, ReloadPolicy, TantivyDocument};

use crate::Error;
use crate::document::DocKind;
use crate::pack::{self, Header};
use crate::query::{Built, Mode, QueryBuilder, facet_term, parse};
use crate::response::{Definition, FacetCounts, Hit, MAX_LIMIT, Request, Response, TermCount};
use crate::schema::{self, Fields};
use crate::snippet::snippet;
use crate::tokenizer::{self, tokens};

/// An opened index, ready to answer requests.
pub struct Searcher {
    searcher: tantivy::Searcher,
    fields: Fields,
    header: Header,
    stemmed: TextAnalyzer,
    words: TextAnalyzer,
    /// Each glossary term with the stems of its title and synonyms.
    glossary: Vec<(Definition, Vec<Vec<String>>)>,
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
    /// Opens the bytes of a packed index written by `write_index`.
    pub fn open(bytes: &[u8]) -> Result<Searcher, Error> {
        Searcher::open_owned(bytes.to_vec())
    }

    /// Like [`Searcher::open`], taking ownership to avoid copying the bytes.
    pub fn open_owned(bytes: Vec<u8>) -> Result<Searcher, Error> {
        let (header, directory) = pack::decode(OwnedBytes::new(bytes))?;
        let index = Index::open(directory)?;
        // The format version should already have caught a different schema;
        // this guards against a change that forgot to bump it.
        if index.schema() != schema::build() {
            return Err(Error::Corrupt(
                "the index was written with another schema".to_owned(),
            ));
        }
        tokenizer::register(index.tokenizers(), &header.language);
        let fields = Fields::resolve(&index.schema())?;
        // Manual reloads: the index never changes, and the default policy would
        // watch for commits on a background thread, which the browser lacks.
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let mut stemmed = tokenizer::stemmed_analyzer(&header.language);
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
        Ok(Searcher {
            searcher: reader.searcher(),
            fields,
            header,
            stemmed,
            words: tokenizer::words_analyzer(),
            glossary,
        })
    }

    /// Number of documents in the index.
    pub fn num_docs(&self) -> u64 {
        self.searcher.num_docs()
    }

    /// Answers `request`. A query that makes no sense finds nothing; it is never an error.
    pub fn search(&self, request: &Request) -> Response {
        self.try_search(request).unwrap_or_default()
    }

    /// Like [`Searcher::search`], but reports a failure to read the index
    /// (which only a damaged index causes).
    pub fn try_search(&self, request: &Request) -> Result<Response, Error> {
        let parts = parse(&request.query, &mut self.words.clone());
        let filters = self.filters(request);
        let mut builder = QueryBuilder {
            searcher: &self.searcher,
            fields: &self.fields,
            stemmed: self.stemmed.clone(),
        };
        let built = builder.build(&parts, Mode::All)?;
        let mut response = match &built {
            None if filters.is_empty() => Response {
                facets: self.facet_counts(&AllQuery, &filters)?,
                ..Response::default()
            },
            _ => self.run(built.as_ref(), &filters, request)?,
        };
        // Readers rarely mean "all of these words" strictly: when nothing has
        // them all, show what has some.
        if response.total == 0 && built.as_ref().is_some_and(|b| b.clauses > 1) {
            let any = builder.build(&parts, Mode::Any)?;
            response = self.run(any.as_ref(), &filters, request)?;
        }
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
        let query = self.filtered(text.box_clone(), filters, None);
        let limit = request.limit.clamp(1, MAX_LIMIT);
        let top = TopDocs::with_limit(limit)
            .and_offset(request.offset)
            .order_by_score();
        let (top, total) = self.searcher.search(&query, &(top, Count))?;
        let mut hits = Vec::with_capacity(top.len());
        let highlight = built.map(|b| b.highlight.clone()).unwrap_or_default();
        let mut analyzer = self.stemmed.clone();
        for (_, address) in top {
            hits.push(self.hit(address, &highlight, &mut analyzer)?);
        }
        Ok(Response {
            total,
            hits,
            facets: self.facet_counts(text.as_ref(), filters)?,
            definitions: Vec::new(),
        })
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

    /// Term counts per taxonomy for `text`: each taxonomy counted under the
    /// other taxonomies' filters, so a reader sees what ticking a term would add.
    fn facet_counts(
        &self,
        text: &dyn Query,
        filters: &Filters<'_>,
    ) -> Result<Vec<FacetCounts>, Error> {
        let mut counts: HashMap<&str, HashMap<String, u64>> = HashMap::new();
        let unfiltered: Vec<&str> = self
            .header
            .taxonomies
            .iter()
            .map(|t| t.name.as_str())
            .filter(|name| !filters.contains_key(name))
            .collect();
        let mut passes: Vec<(Option<&str>, Vec<&str>)> = Vec::new();
        if !unfiltered.is_empty() {
            passes.push((None, unfiltered));
        }
        passes.extend(filters.keys().map(|&name| (Some(name), vec![name])));
        for (except, taxonomies) in passes {
            let mut collector = FacetCollector::for_field(schema::FACETS);
            for taxonomy in &taxonomies {
                collector.add_facet(tantivy::schema::Facet::from_path([*taxonomy]));
            }
            let query = self.filtered(text.box_clone(), filters, except);
            let found = self.searcher.search(&query, &collector)?;
            for taxonomy in taxonomies {
                let root = tantivy::schema::Facet::from_path([taxonomy]);
                let terms = counts.entry(taxonomy).or_default();
                for (facet, count) in found.get(root) {
                    if let Some(slug) = facet.to_path().get(1) {
                        terms.insert((*slug).to_owned(), count);
                    }
                }
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
                            count: found.and_then(|f| f.get(slug)).copied().unwrap_or(0),
                        })
                        .collect(),
                }
            })
            .collect())
    }

    fn hit(
        &self,
        address: DocAddress,
        highlight: &std::collections::BTreeSet<String>,
        analyzer: &mut TextAnalyzer,
    ) -> Result<Hit, Error> {
        let doc: TantivyDocument = self.searcher.doc(address)?;
        let text = |field| {
            doc.get_first(field)
                .and_then(|value| value.as_str())
                .unwrap_or_default()
                .to_owned()
        };
        let summary = text(self.fields.summary);
        let excerpt = text(self.fields.excerpt);
        Ok(Hit {
            kind: DocKind::from_stored(&text(self.fields.kind)),
            title: text(self.fields.title),
            url: text(self.fields.url),
            snippet: snippet(analyzer, &[&summary, &excerpt], highlight),
            summary,
        })
    }

    /// Glossary terms whose title or a synonym appears, word for word, in the query.
    fn definitions(&self, query: &str) -> Vec<Definition> {
        let query: Vec<String> = tokens(&mut self.stemmed.clone(), query)
            .into_iter()
            .map(|t| t.0)
            .collect();
        let mut named: Vec<(usize, &Definition)> = self
            .glossary
            .iter()
            .filter_map(|(definition, names)| {
                names
                    .iter()
                    .filter_map(|name| position(&query, name))
                    .min()
                    .map(|at| (at, definition))
            })
            .collect();
        // In the order the query names them.
        named.sort_by_key(|(at, _)| *at);
        named.into_iter().map(|(_, d)| d.clone()).collect()
    }
}

/// Where `needle` first occurs as a run of whole words in `haystack`.
fn position(haystack: &[String], needle: &[String]) -> Option<usize> {
    if needle.is_empty() || needle.len() > haystack.len() {
        return None;
    }
    haystack.windows(needle.len()).position(|w| w == needle)
}
