//! The reader's engine against tantivy's own: the same index opened both ways,
//! the queries the reader builds for many typed queries (with and without
//! filters) run by both, and the counts, the scores and the best documents
//! compared.

use tantivy::collector::{Count, TopDocs};
use tantivy::directory::RamDirectory;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, DisjunctionMaxQuery, EmptyQuery, Occur,
    PhraseQuery,
};
use tantivy::schema::IndexRecordOption;
use tantivy::{Directory, Index, Term};

use super::Searcher;
use super::search::restrict;
use crate::document::{DocKind, Document, IndexConfig, TaxonomyInfo};
use crate::engine::{Query, Run, top};
use crate::pack::{self, IndexFile};
use crate::query::{Mode, facet_term, parse, without_stop_words};

/// A vocabulary skewed towards its first words (see `Random::word`), so some
/// terms fill several blocks of postings and others a few documents.
const WORDS: &[&str] = &[
    "data",
    "ethics",
    "algorithm",
    "impact",
    "assessment",
    "public",
    "privacy",
    "bias",
    "audit",
    "risk",
    "model",
    "city",
    "council",
    "registry",
    "consent",
    "oversight",
    "fairness",
    "harm",
    "rights",
    "standard",
    "toolkit",
    "charter",
    "children",
    "health",
    "procurement",
    "transparency",
    "accountability",
    "explainability",
    "deployment",
    "monitoring",
    "evaluation",
    "training",
    "security",
    "inclusion",
    "sustainability",
];

/// A small deterministic generator (xorshift), so failures reproduce.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// Skewed towards the first words, as real vocabularies are.
    fn word(&mut self) -> &'static str {
        let a = self.next() as usize % WORDS.len();
        let b = self.next() as usize % WORDS.len();
        WORDS[a.min(b)]
    }

    fn text(&mut self, words: usize) -> String {
        (0..words)
            .map(|_| self.word())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

fn collection() -> (Vec<Document>, IndexConfig) {
    let mut random = Random(0x9e37_79b9_7f4a_7c15);
    let types = ["guidance", "tool", "standard"];
    let docs = (0..700)
        .map(|i| {
            let title_words = 2 + random.next() as usize % 4;
            let body_words = 20 + random.next() as usize % 300;
            let kind = if i % 25 == 0 {
                DocKind::Glossary
            } else {
                DocKind::Resource
            };
            Document {
                kind,
                url: format!("/r/{i}/"),
                title: random.text(title_words),
                summary: {
                    let words = 8 + random.next() as usize % 12;
                    random.text(words)
                },
                body: random.text(body_words).into(),
                publisher: random.text(2),
                synonyms: if i % 7 == 0 {
                    vec![random.text(2)]
                } else {
                    Vec::new()
                },
                facets: vec![(
                    "type".to_owned(),
                    types[random.next() as usize % 3].to_owned(),
                )],
                date: format!("20{:02}-0{}-1{}", 10 + i % 15, 1 + i % 9, i % 10),
                status: if i % 31 == 0 {
                    "superseded".to_owned()
                } else {
                    String::new()
                },
            }
        })
        .collect();
    let config = IndexConfig {
        language: "en".to_owned(),
        taxonomies: vec![TaxonomyInfo {
            name: "type".to_owned(),
            label: "Type".to_owned(),
            terms: types
                .iter()
                .map(|t| (t.to_string(), t.to_string()))
                .collect(),
            alt_labels: Default::default(),
        }],
    };
    (docs, config)
}

/// The header of the index in `files` and every file of it, all chunks added.
fn unpacked(files: &[IndexFile]) -> (pack::Header, pack::PackDirectory) {
    let hot = pack::inflate(&files[0].bytes).expect("inflate");
    let (header, directory) =
        pack::decode(tantivy::directory::OwnedBytes::new(hot)).expect("decode");
    for (number, file) in files[1..].iter().enumerate() {
        let bytes = pack::inflate(&file.bytes).expect("inflate");
        directory
            .stream()
            .add(number_of(&file.name, number), bytes)
            .expect("chunk");
    }
    (header, directory)
}

/// The same documents' segment as tantivy wrote it (before the pack
/// transcoded its dictionaries), in a directory tantivy opens.
fn tantivy_index(config: &IndexConfig, docs: &[Document]) -> Index {
    let written = crate::writer::write_segment(config, docs.to_vec()).expect("write");
    let ram = RamDirectory::create();
    for (name, bytes) in written.files {
        ram.atomic_write(std::path::Path::new(&name), &bytes)
            .expect("write");
    }
    Index::open(ram).expect("tantivy opens the index")
}

/// The bytes of the `.<extension>` file of the index of `docs`.
fn file_of(config: &IndexConfig, docs: &[Document], extension: &str) -> Vec<u8> {
    let files = crate::write_index(config, docs).expect("write");
    let (_, directory) = unpacked(&files);
    let file = directory.open(extension).expect("the file");
    file.read_bytes().expect("read").as_slice().to_vec()
}

/// `whole` cut short at every length, then with each byte flipped in turn.
fn damaged(whole: &[u8]) -> impl Iterator<Item = Vec<u8>> + '_ {
    let cut = (0..whole.len()).map(|len| whole[..len].to_vec());
    let flipped = (0..whole.len()).map(|at| {
        let mut damaged = whole.to_vec();
        damaged[at] ^= 0x55;
        damaged
    });
    cut.chain(flipped)
}

fn number_of(name: &str, fallback: usize) -> usize {
    name.rsplit_once('/')
        .and_then(|(_, file)| file.strip_suffix(".bin")?.parse().ok())
        .unwrap_or(fallback)
}

/// The same query in tantivy's terms.
fn tantivy_query(query: &Query) -> Box<dyn tantivy::query::Query> {
    match query {
        Query::Nothing => Box::new(EmptyQuery),
        Query::Everything => Box::new(AllQuery),
        Query::Term(field, bytes) => {
            let facets = crate::schema::build()
                .get_field(crate::schema::FACETS)
                .expect("facets");
            let term = if *field == facets {
                let facet = tantivy::schema::Facet::from_encoded(bytes.clone()).expect("facet");
                Term::from_facet(*field, &facet)
            } else {
                Term::from_field_text(*field, std::str::from_utf8(bytes).expect("utf-8"))
            };
            Box::new(tantivy::query::TermQuery::new(
                term,
                IndexRecordOption::WithFreqs,
            ))
        }
        Query::Phrase(field, terms) => Box::new(PhraseQuery::new(
            terms
                .iter()
                .map(|t| Term::from_field_text(*field, std::str::from_utf8(t).expect("utf-8")))
                .collect(),
        )),
        Query::Boost(inner, by) => Box::new(BoostQuery::new(tantivy_query(inner), *by)),
        Query::Max(queries, tie) => Box::new(DisjunctionMaxQuery::with_tie_breaker(
            queries.iter().map(tantivy_query).collect(),
            *tie,
        )),
        Query::Bool { must, should, not } => {
            let clauses = must
                .iter()
                .map(|q| (Occur::Must, tantivy_query(q)))
                .chain(should.iter().map(|q| (Occur::Should, tantivy_query(q))))
                .chain(not.iter().map(|q| (Occur::MustNot, tantivy_query(q))))
                .collect();
            Box::new(BooleanQuery::new(clauses))
        }
    }
}

/// `text` under `filters` in tantivy's terms: each taxonomy's terms, any of
/// them, required and scoring nothing.
fn tantivy_filtered(
    text: &Query,
    filters: &super::search::Filters<'_>,
) -> Box<dyn tantivy::query::Query> {
    let facets = crate::schema::build()
        .get_field(crate::schema::FACETS)
        .expect("facets");
    let mut clauses = vec![(Occur::Must, tantivy_query(text))];
    for (taxonomy, slugs) in filters {
        let any = slugs
            .iter()
            .map(|slug| {
                (
                    Occur::Should,
                    tantivy_query(&Query::Term(facets, facet_term(taxonomy, slug))),
                )
            })
            .collect();
        let filter = ConstScoreQuery::new(Box::new(BooleanQuery::new(any)), 0.0);
        clauses.push((Occur::Must, Box::new(filter)));
    }
    Box::new(BooleanQuery::new(clauses))
}

fn close(a: f32, b: f32) -> bool {
    (a - b).abs() <= 1e-4 * a.abs().max(b.abs()).max(1.0)
}

#[test]
fn the_engine_counts_scores_and_ranks_as_tantivy_does() {
    let (docs, config) = collection();
    let files = crate::write_index(&config, &docs).expect("write");
    let searcher = Searcher::open_files(files.clone()).expect("open");
    let index = tantivy_index(&config, &docs);
    let reader = index.reader().expect("reader");
    let theirs = reader.searcher();

    let mut random = Random(42);
    let mut queries: Vec<String> = vec![
        "algorithmic impact assessment".to_owned(),
        "\"impact assessment\"".to_owned(),
        "what is algorithmic bias".to_owned(),
        "privcy".to_owned(),
        "gov".to_owned(),
        "data protection public sector".to_owned(),
    ];
    for _ in 0..60 {
        let words = 1 + random.next() as usize % 3;
        queries.push(random.text(words));
    }
    let mut compared = 0;
    for typed in &queries {
        let parts = without_stop_words(
            parse(typed, &mut searcher.words.clone()),
            &searcher.thesaurus,
        );
        let mut builder = searcher.builder(&parts);
        for mode in [Mode::All, Mode::Any] {
            let Some(built) = builder.build(&parts, mode).expect("build") else {
                continue;
            };
            let mut filters = super::search::Filters::new();
            filters.insert("type", vec!["guidance", "tool"]);
            for filters in [super::search::Filters::new(), filters] {
                // Ours as a search runs it: the text, narrowed by each filter's
                // documents; tantivy's as one query, each filter scoring nothing.
                let mut run = Run::new(&searcher.segment);
                let sets = searcher.filter_sets(&mut run, &filters);
                let ours = restrict(&run.matches(&built.query), &sets, None);
                assert!(run.failed().is_none(), "{typed}");
                let query = tantivy_filtered(&built.query, &filters);
                let (best, count) = theirs
                    .search(
                        query.as_ref(),
                        &(TopDocs::with_limit(30).order_by_score(), Count),
                    )
                    .expect("tantivy searches");
                assert_eq!(ours.len(), count, "how many match {typed:?}");
                let our_best = top(&ours, 0, 30);
                assert_eq!(our_best.len(), best.len(), "{typed:?}");
                let score = |doc: u32| ours.iter().find(|(d, _)| *d == doc).map(|(_, s)| *s);
                for (i, (their_score, address)) in best.iter().enumerate() {
                    let mine = score(address.doc_id).expect("tantivy's result matches here too");
                    assert!(
                        close(mine, *their_score),
                        "{typed:?}: {mine} vs {their_score}"
                    );
                    let at_rank = score(our_best[i]).expect("ranked");
                    assert!(close(at_rank, *their_score), "{typed:?} rank {i}");
                }
                compared += 1;
            }
        }
    }
    assert!(compared > 100, "only {compared} queries compared");
}

#[test]
fn stored_documents_read_as_tantivy_reads_them() {
    let (docs, config) = collection();
    let files = crate::write_index(&config, &docs).expect("write");
    let searcher = Searcher::open_files(files.clone()).expect("open");
    let index = tantivy_index(&config, &docs);
    let theirs = index.reader().expect("reader").searcher();
    for doc in 0..searcher.segment.documents() {
        let ours = searcher.segment.doc(doc).expect("stored");
        let address = tantivy::DocAddress::new(0, doc);
        let stored: tantivy::TantivyDocument = theirs.doc(address).expect("tantivy reads it");
        let theirs: Vec<(tantivy::schema::Field, String)> = stored
            .field_values()
            .map(|(field, value)| {
                let text = tantivy::schema::Value::as_str(&value).expect("text");
                (field, text.to_owned())
            })
            .collect();
        assert_eq!(ours.0, theirs, "document {doc}");
    }
}

#[test]
fn a_damaged_store_is_an_error_not_a_panic() {
    let (docs, config) = collection();
    let docs = &docs[..40];
    let whole = file_of(&config, docs, "store");
    let open = |bytes: Vec<u8>| {
        let file = tantivy::directory::FileSlice::from(bytes);
        crate::segment::without_footer(file).and_then(crate::segment::Store::open)
    };
    let store = open(whole.clone()).expect("the whole store opens");
    assert_eq!(
        store.doc(3).expect("a document").len(),
        6,
        "kind, url, title, summary, excerpt, date"
    );
    for damaged in damaged(&whole) {
        if let Ok(store) = open(damaged) {
            for doc in 0..docs.len() as u32 {
                let _ = store.doc(doc);
            }
        }
    }
}

#[test]
fn dictionaries_hold_and_walk_what_tantivys_hold_and_walk() {
    use tantivy::directory::{CompositeFile, FileSlice};
    use tantivy::termdict::TermDictionary;

    use crate::query::Levenshtein;

    let (docs, config) = collection();
    let written = crate::writer::write_segment(&config, docs.clone()).expect("write");
    let term_file = written
        .files
        .into_iter()
        .find(|(name, _)| name.ends_with(".term"))
        .expect("a term file")
        .1;
    let term_file = crate::segment::without_footer(FileSlice::from(term_file)).expect("footer");
    let theirs = CompositeFile::open(&term_file).expect("composite");
    let searcher =
        Searcher::open_files(crate::write_index(&config, &docs).expect("write")).expect("open");
    let fields = searcher.fields;
    let mut walked = 0;
    for (field, entry) in crate::schema::build().fields() {
        if field == fields.words {
            continue;
        }
        let Some(slice) = theirs.open_read(field) else {
            continue;
        };
        let tantivy_terms = TermDictionary::open(slice).expect("tantivy's dictionary");
        let index = searcher.segment.field(field).expect("indexed");
        let ours = index.terms().expect("the same field has terms");
        assert_eq!(ours.len(), tantivy_terms.num_terms());
        let positions = entry
            .field_type()
            .get_index_record_option()
            .is_some_and(|o| o.has_positions());
        let mut stream = tantivy_terms.stream().expect("stream");
        let mut mine = ours.iter();
        while let Some((term, info)) = stream.next() {
            let (my_term, my_info) = mine.next().expect("as many terms");
            assert_eq!(term, my_term);
            assert_eq!(info.doc_freq, my_info.doc_freq, "{}", entry.name());
            assert_eq!(info.postings_range, my_info.postings_range);
            if positions {
                assert_eq!(info.positions_range, my_info.positions_range);
            }
            assert_eq!(index.info(term).expect("info"), Some(my_info));
            let mut absent = term.to_vec();
            absent.push(0);
            assert_eq!(
                index.info(&absent).expect("info").is_some(),
                tantivy_terms.get(&absent).expect("get").is_some()
            );
        }
        assert!(mine.next().is_none(), "no more terms than tantivy's");

        // Walks stop and skip where the FST's streams do.
        for word in [
            "",
            "a",
            "al",
            "algo",
            "algoritm",
            "asessment",
            "privcy",
            "dta",
            "data",
            "zz",
            "é",
            "impact",
            "ovrsight",
            "2020",
        ] {
            for distance in 0..=2 {
                for prefix in [false, true] {
                    let automaton = Levenshtein::new(word, distance, prefix);
                    let mut expected: Vec<Vec<u8>> = Vec::new();
                    let mut stream = tantivy_terms
                        .search(automaton.clone())
                        .into_stream()
                        .expect("s");
                    while let Some((term, _)) = stream.next() {
                        expected.push(term.to_vec());
                    }
                    let found: Vec<Vec<u8>> =
                        ours.search(automaton).map(|(t, _)| t.to_vec()).collect();
                    assert_eq!(
                        found,
                        expected,
                        "{}: {word:?} {distance} {prefix}",
                        entry.name()
                    );
                    walked += found.len();
                }
            }
        }
    }
    assert!(walked > 1000, "the walks found only {walked} terms");

    // The vocabulary: every word of the documents' texts and labels, with
    // the number of documents that hold it.
    let mut analyzer = crate::tokenizer::words_analyzer();
    let mut expected: std::collections::BTreeMap<Vec<u8>, u32> = Default::default();
    for doc in &docs {
        let mut words = std::collections::BTreeSet::new();
        let labels = doc.facets.iter().map(|(_, slug)| slug);
        let body = doc.body.read();
        let texts = [
            doc.title.as_str(),
            doc.summary.as_str(),
            &body,
            doc.publisher.as_str(),
        ];
        let synonyms = doc.synonyms.iter().chain(labels).map(String::as_str);
        for text in texts.into_iter().chain(synonyms) {
            for (word, _, _) in crate::tokenizer::tokens(&mut analyzer, text) {
                words.insert(word.into_bytes());
            }
        }
        for word in words {
            *expected.entry(word).or_default() += 1;
        }
    }
    let vocabulary = searcher.segment.field(fields.words).expect("indexed");
    let found: Vec<(Vec<u8>, u32)> = vocabulary
        .terms()
        .expect("a vocabulary")
        .iter()
        .map(|(word, info)| (word.to_vec(), info.doc_freq))
        .collect();
    assert!(found.len() > 30, "{} words", found.len());
    assert_eq!(found, expected.into_iter().collect::<Vec<_>>());
}

#[test]
fn a_damaged_dictionary_is_an_error_not_a_panic() {
    use crate::query::Levenshtein;
    use crate::segment::dictionary;

    let (docs, config) = collection();
    let whole = file_of(&config, &docs[..30], "dict");
    let use_all = |bytes: &[u8]| {
        if let Ok(fields) = dictionary::open_all(bytes) {
            for terms in fields.iter().flatten() {
                let walked: Vec<_> = terms.search(Levenshtein::new("data", 1, true)).collect();
                for (term, _) in walked {
                    let _ = terms.get(term);
                }
                let _ = terms.iter().rev().count();
            }
        }
    };
    assert!(dictionary::open_all(&whole).is_ok());
    for damaged in damaged(&whole) {
        use_all(&damaged);
    }
}
