//! Open data in standard formats: each RDF file parses (and its Turtle and JSON-LD
//! say the same), the DCAT catalogue has what DCAT-AP 3 makes mandatory, the SKOS
//! vocabularies label every concept once per language, and the exports are the
//! same bytes every build. The references themselves are in `citations.rs`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use oxrdf::{NamedNode, Term, Triple};

use crate::support::{almanac, edit, fixture, read, repo, snapshot};

const BASE: &str = "https://ethics.example.org/library/";
const DCAT: &str = "http://www.w3.org/ns/dcat#";
const DCATAP: &str = "http://data.europa.eu/r5r/";
const DCT: &str = "http://purl.org/dc/terms/";
const EU: &str = "http://publications.europa.eu/resource/authority/";
const FOAF: &str = "http://xmlns.com/foaf/0.1/";
const RDF_TYPE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
const SKOS: &str = "http://www.w3.org/2004/02/skos/core#";

/// The exports fixture built into `site/` of a temporary copy.
pub fn built() -> (tempfile::TempDir, PathBuf) {
    let dir = fixture("exports/citable");
    let run = almanac(dir.path(), &["build"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let site = dir.path().join("site");
    (dir, site)
}

/// Triples in a stable order (by their N-Triples form), each once.
fn sorted(mut triples: Vec<Triple>) -> Vec<Triple> {
    triples.sort_by_key(|t| t.to_string());
    triples.dedup();
    triples
}

fn turtle(site: &Path, rel: &str) -> Vec<Triple> {
    sorted(
        oxttl::TurtleParser::new()
            .for_slice(read(site, rel).as_bytes())
            .collect::<Result<_, _>>()
            .unwrap_or_else(|e| panic!("{rel} is not Turtle: {e}")),
    )
}

fn json_ld(site: &Path, rel: &str) -> Vec<Triple> {
    sorted(
        oxjsonld::JsonLdParser::new()
            .for_slice(read(site, rel).as_bytes())
            .map(|quad| quad.map(Triple::from))
            .collect::<Result<_, _>>()
            .unwrap_or_else(|e| panic!("{rel} is not JSON-LD: {e}")),
    )
}

/// A graph's Turtle and JSON-LD, which must hold the same triples.
fn graph(site: &Path, stem: &str) -> Graph {
    let ttl = turtle(site, &format!("{stem}.ttl"));
    let jsonld = json_ld(site, &format!("{stem}.jsonld"));
    assert!(!ttl.is_empty(), "{stem}.ttl is empty");
    assert_eq!(ttl, jsonld, "{stem}.ttl and {stem}.jsonld differ");
    Graph(ttl)
}

struct Graph(Vec<Triple>);

impl Graph {
    fn objects(&self, subject: &str, predicate: &str) -> Vec<&Term> {
        self.0
            .iter()
            .filter(|t| {
                t.subject.to_string() == format!("<{subject}>") && t.predicate.as_str() == predicate
            })
            .map(|t| &t.object)
            .collect()
    }

    fn of_type(&self, class: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|t| {
                t.predicate.as_str() == RDF_TYPE
                    && t.object == Term::NamedNode(NamedNode::new_unchecked(class))
            })
            .map(|t| match &t.subject {
                oxrdf::NamedOrBlankNode::NamedNode(n) => n.as_str().to_string(),
                other => other.to_string(),
            })
            .collect()
    }

    /// The language tags of the subject's literals of `predicate`, with repeats,
    /// sorted.
    fn languages(&self, subject: &str, predicate: &str) -> Vec<String> {
        let mut tags: Vec<String> = self
            .objects(subject, predicate)
            .into_iter()
            .filter_map(|o| match o {
                Term::Literal(l) => l.language().map(str::to_string),
                _ => None,
            })
            .collect();
        tags.sort();
        tags
    }
}

fn iri(term: &Term) -> &str {
    match term {
        Term::NamedNode(n) => n.as_str(),
        other => panic!("{other} is not an IRI"),
    }
}

/// The ids `resources.json` lists.
pub fn resource_ids(site: &Path) -> Vec<String> {
    let json: serde_json::Value = serde_json::from_str(&read(site, "resources.json")).unwrap();
    json["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn the_catalogue_has_what_dcat_ap_makes_mandatory_and_its_files_exist() {
    let (_dir, site) = built();
    let g = graph(&site, "catalog");
    let catalogs = g.of_type(&format!("{DCAT}Catalog"));
    assert_eq!(catalogs.len(), 1);
    let catalog = &catalogs[0];
    // Mandatory: title, description, publisher (an agent with a name).
    assert_eq!(g.languages(catalog, &format!("{DCT}title")), ["en", "fr"]);
    assert_eq!(
        g.languages(catalog, &format!("{DCT}description")),
        ["en", "fr"]
    );
    let publishers = g.objects(catalog, &format!("{DCT}publisher"));
    assert_eq!(publishers.len(), 1);
    assert_eq!(
        g.languages(iri(publishers[0]), &format!("{FOAF}name")),
        ["en", "fr"]
    );
    // Recommended: homepage, languages, licence, issued and modified dates.
    assert_eq!(g.objects(catalog, &format!("{FOAF}homepage")).len(), 1);
    let mut languages: Vec<&str> = g
        .objects(catalog, &format!("{DCT}language"))
        .into_iter()
        .map(iri)
        .collect();
    languages.sort();
    assert_eq!(
        languages,
        [format!("{EU}language/ENG"), format!("{EU}language/FRA")]
    );
    assert_eq!(
        iri(g.objects(catalog, &format!("{DCT}license"))[0]),
        "http://spdx.org/licenses/CC-BY-4.0"
    );
    let date = |s: &str, p: &str| match g.objects(s, &format!("{DCT}{p}"))[..] {
        [Term::Literal(l)] => l.value().to_string(),
        ref other => panic!("{p}: {other:?}"),
    };
    assert_eq!(date(catalog, "issued"), "2024-05-01");
    // The newest date an entry was updated or reviewed on.
    assert_eq!(date(catalog, "modified"), "2025-10-01");
    // One dataset: the collection, with its distributions.
    let datasets = g.of_type(&format!("{DCAT}Dataset"));
    assert_eq!(datasets.len(), 1);
    let dataset = &datasets[0];
    assert_eq!(
        g.objects(catalog, &format!("{DCAT}dataset")),
        [&Term::NamedNode(NamedNode::new_unchecked(dataset))]
    );
    assert_eq!(g.languages(dataset, &format!("{DCT}title")), ["en", "fr"]);
    assert_eq!(
        g.languages(dataset, &format!("{DCT}description")),
        ["en", "fr"]
    );
    assert_eq!(g.objects(dataset, &format!("{DCAT}contactPoint")).len(), 1);
    let distributions = g.objects(dataset, &format!("{DCAT}distribution"));
    assert_eq!(
        g.of_type(&format!("{DCAT}Distribution")).len(),
        distributions.len()
    );
    let mut files = Vec::new();
    let mut formats = BTreeMap::new();
    for d in distributions {
        let access = g.objects(iri(d), &format!("{DCAT}accessURL"));
        assert_eq!(access.len(), 1, "{d} has one access address");
        let rel = iri(access[0])
            .strip_prefix(BASE)
            .expect("an address of the site");
        assert!(site.join(rel).is_file(), "{rel} is in the site");
        assert_eq!(
            g.objects(iri(d), &format!("{DCAT}downloadURL")),
            access,
            "{rel} is downloaded where it is"
        );
        assert_eq!(g.objects(iri(d), &format!("{DCT}license")).len(), 1);
        assert_eq!(
            g.objects(iri(d), &format!("{DCATAP}availability"))
                .into_iter()
                .map(iri)
                .collect::<Vec<_>>(),
            [format!("{EU}planned-availability/STABLE")],
            "{rel}"
        );
        let format = g.objects(iri(d), &format!("{DCT}format"));
        assert_eq!(format.len(), 1, "{rel} has a format");
        formats.insert(rel.to_string(), iri(format[0]).to_string());
        files.push(rel.to_string());
    }
    assert_eq!(formats["resources.csv"], format!("{EU}file-type/CSV"));
    assert_eq!(formats["feed.xml"], format!("{EU}file-type/ATOM"));
    assert_eq!(
        formats["resources.bib"],
        "http://www.iana.org/assignments/media-types/application/x-bibtex"
    );
    // Keywords: the labels of the terms in use, as readers see them.
    let keywords: BTreeSet<(String, String)> = g
        .objects(dataset, &format!("{DCAT}keyword"))
        .into_iter()
        .map(|t| match t {
            Term::Literal(l) => (
                l.value().to_string(),
                l.language().unwrap_or_default().to_string(),
            ),
            other => panic!("{other} is not a keyword"),
        })
        .collect();
    for (word, language) in [
        ("Transparency", "en"),
        ("Transparence", "fr"),
        ("Algorithmic transparency", "en"),
        ("Legislation", "en"),
        ("Législation", "fr"),
    ] {
        assert!(
            keywords.contains(&(word.to_string(), language.to_string())),
            "{word}@{language}: {keywords:?}"
        );
    }
    for name in ["Principles", "Resource type", "principles", "transparency"] {
        assert!(
            !keywords.iter().any(|(w, _)| w == name),
            "{name}: {keywords:?}"
        );
    }
    // The EU's data themes, and the taxonomy they are from.
    let named = |s: &str, p: &str| -> Vec<String> {
        let mut all: Vec<String> = g
            .objects(s, p)
            .into_iter()
            .map(|t| iri(t).to_string())
            .collect();
        all.sort();
        all
    };
    assert_eq!(
        named(dataset, &format!("{DCAT}theme")),
        [
            format!("{EU}data-theme/GOVE"),
            format!("{EU}data-theme/TECH")
        ]
    );
    assert!(named(catalog, &format!("{DCAT}themeTaxonomy")).contains(&format!("{EU}data-theme")));
    assert_eq!(
        named(iri(publishers[0]), &format!("{DCT}type")),
        ["http://purl.org/adms/publishertype/NationalAuthority"]
    );
    let licence = "http://spdx.org/licenses/CC-BY-4.0";
    assert_eq!(named(licence, RDF_TYPE), [format!("{DCT}LicenseDocument")]);
    assert_eq!(
        named(licence, &format!("{DCT}type")),
        ["http://purl.org/adms/licencetype/Attribution"]
    );
    files.sort();
    assert_eq!(
        files,
        [
            "feed.xml",
            "fr/feed.xml",
            "resources.bib",
            "resources.csl.json",
            "resources.csv",
            "resources.json",
            "resources.ris"
        ]
    );
}

#[test]
fn every_concept_is_labelled_once_per_language_and_its_broader_terms_exist() {
    let (_dir, site) = built();
    let mut concepts = BTreeSet::new();
    let mut schemes = BTreeMap::new();
    for name in ["type", "attributes", "principles", "glossary"] {
        let g = graph(&site, &format!("vocabularies/{name}"));
        let scheme = g.of_type(&format!("{SKOS}ConceptScheme"));
        assert_eq!(scheme.len(), 1, "{name}");
        assert!(
            !g.objects(&scheme[0], &format!("{DCT}title")).is_empty(),
            "a scheme has a title"
        );
        for concept in g.of_type(&format!("{SKOS}Concept")) {
            let labels = g.languages(&concept, &format!("{SKOS}prefLabel"));
            if name == "glossary" && concept.ends_with("/automation-bias/") {
                // Not translated: labelled in English only.
                assert_eq!(labels, ["en"], "{concept}");
            } else {
                assert_eq!(labels, ["en", "fr"], "{concept}");
            }
            assert_eq!(g.objects(&concept, &format!("{SKOS}notation")).len(), 1);
            assert_eq!(
                g.objects(&concept, &format!("{SKOS}inScheme")),
                [&Term::NamedNode(NamedNode::new_unchecked(&scheme[0]))]
            );
            concepts.insert(concept);
        }
        schemes.insert(name, g);
    }
    // The open vocabulary is not published.
    assert!(!site.join("vocabularies/topics.ttl").exists());
    // Within a scheme a hierarchy, across schemes a mapping; every target exists.
    let principles = &schemes["principles"];
    let concept = |path: &str| format!("{BASE}{path}");
    let link = |g: &Graph, from: &str, relation: &str| -> Vec<String> {
        g.objects(&concept(from), &format!("{SKOS}{relation}"))
            .into_iter()
            .map(|t| iri(t).to_string())
            .collect()
    };
    assert_eq!(
        link(
            principles,
            "principles/algorithmic-transparency/",
            "broader"
        ),
        [concept("principles/transparency/")]
    );
    assert_eq!(
        link(principles, "principles/transparency/", "broadMatch"),
        [concept("attributes/explicability/")]
    );
    assert_eq!(
        link(
            &schemes["attributes"],
            "attributes/explicability/",
            "narrowMatch"
        ),
        [concept("principles/transparency/")]
    );
    for g in schemes.values() {
        for t in &g.0 {
            let relation = t.predicate.as_str().trim_start_matches(SKOS);
            if [
                "broader",
                "narrower",
                "broadMatch",
                "narrowMatch",
                "related",
            ]
            .contains(&relation)
            {
                assert!(concepts.contains(iri(&t.object)), "{t}: no such concept");
            }
        }
    }
    let alt = principles.objects(
        &concept("principles/transparency/"),
        &format!("{SKOS}altLabel"),
    );
    assert_eq!(alt.len(), 1);
    let glossary = &schemes["glossary"];
    assert!(
        !glossary
            .of_type("https://schema.org/DefinedTermSet")
            .is_empty()
    );
    assert_eq!(glossary.of_type("https://schema.org/DefinedTerm").len(), 2);
}

#[test]
fn term_pages_show_broader_and_narrower_terms_and_list_the_narrower_ones_resources() {
    let (_dir, site) = built();
    let explicability = read(&site, "attributes/explicability/index.html");
    assert!(explicability.contains("Narrower term"));
    assert!(explicability.contains("href=\"/library/principles/transparency/\""));
    // Tagged with transparency (the AI Act) and algorithmic transparency (the paper).
    assert!(explicability.contains("Regulation (EU) 2024/1689"));
    assert!(explicability.contains("A Unified Framework of Five Principles"));
    let transparency = read(&site, "principles/transparency/index.html");
    assert!(transparency.contains("Broader term"));
    assert!(transparency.contains("href=\"/library/attributes/explicability/\""));
    // Principles do not include their narrower terms' resources.
    assert!(!transparency.contains("A Unified Framework of Five Principles"));
}

#[test]
fn the_exports_are_the_same_bytes_every_build() {
    let dir = fixture("exports/citable");
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    for out in [&a, &b] {
        let run = almanac(dir.path(), &["build", "--output", out.to_str().unwrap()]);
        assert_eq!(run.status, 0, "{}", run.stderr);
    }
    assert!(snapshot(&a) == snapshot(&b), "two builds differ");
}

#[test]
fn a_wrong_broader_term_or_citation_style_is_a_located_error() {
    let dir = fixture("exports/citable");
    edit(
        dir.path(),
        "almanac.yaml",
        "broader: transparency",
        "broader: transparancy",
    );
    edit(
        dir.path(),
        "almanac.yaml",
        "style: harvard",
        "style: harvrd",
    );
    let run = almanac(dir.path(), &["check"]);
    assert_eq!(run.status, 1);
    assert!(
        run.stderr
            .contains("`broader` names `transparancy`, which is not a term of `principles`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("did you mean `transparency`?"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("almanac.yaml:51:"), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("`harvrd` is not a citation style Almanac knows"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("almanac.yaml:10:"), "{}", run.stderr);

    let dir = fixture("exports/citable");
    edit(
        dir.path(),
        "almanac.yaml",
        "alt_labels: [Openness of systems]\n        broader: attributes/explicability",
        "alt_labels: [Openness of systems]\n        broader: algorithmic-transparency",
    );
    let run = almanac(dir.path(), &["check"]);
    assert_eq!(run.status, 1);
    assert!(
        run.stderr
            .contains("through its `broader` terms, broader than itself"),
        "{}",
        run.stderr
    );
}

#[test]
fn the_example_collection_publishes_its_vocabularies_in_its_three_languages() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    let run = almanac(&repo(), &["build", "--output", out.to_str().unwrap()]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let catalog = graph(&out, "catalog");
    // Every file the catalogue offers is in the site.
    let downloads: Vec<&Term> = catalog
        .0
        .iter()
        .filter(|t| t.predicate.as_str() == format!("{DCAT}downloadURL"))
        .map(|t| &t.object)
        .collect();
    assert!(downloads.len() >= 7, "{downloads:?}");
    for url in downloads {
        let rel = iri(url)
            .strip_prefix("https://ethics.example.org/")
            .expect("an address of the site");
        assert!(out.join(rel).is_file(), "{rel} is in the site");
    }
    // Every vocabulary's Turtle and JSON-LD hold the same triples.
    let mut vocabularies: Vec<String> = std::fs::read_dir(out.join("vocabularies"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter_map(|name| name.strip_suffix(".ttl").map(str::to_string))
        .collect();
    vocabularies.sort();
    assert!(vocabularies.len() >= 3, "{vocabularies:?}");
    for name in &vocabularies {
        assert!(out.join(format!("vocabularies/{name}.jsonld")).is_file());
        graph(&out, &format!("vocabularies/{name}"));
    }
    let principles = graph(&out, "vocabularies/principles");
    for concept in principles.of_type(&format!("{SKOS}Concept")) {
        let labels = principles.languages(&concept, &format!("{SKOS}prefLabel"));
        assert_eq!(labels, ["de", "en", "fr"], "{concept}");
    }
    let fairness = "https://ethics.example.org/principles/fairness/";
    assert_eq!(
        principles
            .objects(fairness, &format!("{SKOS}broadMatch"))
            .into_iter()
            .map(iri)
            .collect::<Vec<_>>(),
        ["https://ethics.example.org/attributes/justice/"]
    );
    let bib = read(&out, "resources.bib");
    let parsed = biblatex::Bibliography::parse(&bib).expect("the example's BibTeX parses");
    assert_eq!(parsed.len(), resource_ids(&out).len());
}

#[test]
fn an_unknown_data_theme_publisher_type_or_language_is_a_located_error() {
    let dir = fixture("exports/citable");
    edit(
        dir.path(),
        "almanac.yaml",
        "themes: [GOVE, TECH]",
        "themes: [GOVE, TEHC]",
    );
    edit(
        dir.path(),
        "almanac.yaml",
        "publisher_type: NationalAuthority",
        "publisher_type: National",
    );
    edit(
        dir.path(),
        "almanac.yaml",
        "  fr: { name: Français }",
        "  fr: { name: Français }\n  qq: { name: Q }",
    );
    let run = almanac(dir.path(), &["check"]);
    assert_eq!(run.status, 1);
    for needle in [
        "`TEHC` is not one of the EU's data themes",
        "did you mean `TECH`?",
        "almanac.yaml:18:18",
        "`National` is not a publisher type of ADMS",
        "did you mean `NationalAuthority`?",
        "almanac.yaml:19:19",
        "`qq` is not a language code of ISO 639",
        "almanac.yaml:8:3",
    ] {
        assert!(run.stderr.contains(needle), "{needle}: {}", run.stderr);
    }
}
