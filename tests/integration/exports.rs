//! Citable entries and open data in standard formats: each RDF file parses (and its
//! Turtle and JSON-LD say the same), the DCAT catalogue has what DCAT-AP 3 makes
//! mandatory, the SKOS vocabularies label every concept once per language, the
//! BibTeX, CSL-JSON and RIS read back, every export lists the same resources, and
//! resource pages carry what reference managers save them from.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use biblatex::ChunksExt;
use oxrdf::{NamedNode, Term, Triple};

use crate::support::{almanac, edit, fixture, read, repo, snapshot};

const BASE: &str = "https://ethics.example.org/library/";
const DCAT: &str = "http://www.w3.org/ns/dcat#";
const DCT: &str = "http://purl.org/dc/terms/";
const FOAF: &str = "http://xmlns.com/foaf/0.1/";
const RDF_TYPE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
const SKOS: &str = "http://www.w3.org/2004/02/skos/core#";

/// The exports fixture built into `site/` of a temporary copy.
fn built() -> (tempfile::TempDir, PathBuf) {
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
fn resource_ids(site: &Path) -> Vec<String> {
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
        [
            "http://publications.europa.eu/resource/authority/language/ENG",
            "http://publications.europa.eu/resource/authority/language/FRA"
        ]
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
    for d in distributions {
        let access = g.objects(iri(d), &format!("{DCAT}accessURL"));
        assert_eq!(access.len(), 1, "{d} has one access address");
        let rel = iri(access[0])
            .strip_prefix(BASE)
            .expect("an address of the site");
        assert!(site.join(rel).is_file(), "{rel} is in the site");
        assert_eq!(g.objects(iri(d), &format!("{DCT}license")).len(), 1);
        files.push(rel.to_string());
    }
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
fn bibtex_csl_json_and_ris_read_back_and_list_the_same_resources() {
    let (_dir, site) = built();
    let ids = resource_ids(&site);
    assert_eq!(ids.len(), 9);

    let bib = read(&site, "resources.bib");
    let bibliography = biblatex::Bibliography::parse(&bib).expect("BibTeX that parses");
    let mut keys = Vec::new();
    for entry in bibliography.iter() {
        for field in ["title", "url", "urldate"] {
            assert!(entry.get(field).is_some(), "{} has no {field}", entry.key);
        }
        keys.push(entry.key.replace(':', "/"));
    }
    assert_eq!(keys, ids);
    let report = bibliography.get("research:state-of-ai").unwrap();
    assert_eq!(
        report.title().unwrap().format_verbatim(),
        "The State of AI & Data: {Braces}, 100% and $ signs",
        "TeX's special characters are escaped and read back"
    );
    let authors = report.author().unwrap();
    assert_eq!(
        (authors[1].name.as_str(), authors[1].given_name.as_str()),
        ("Hopper", "Grace")
    );

    let items: Vec<serde_json::Value> =
        serde_json::from_str(&read(&site, "resources.csl.json")).unwrap();
    let mut types = BTreeSet::new();
    for item in &items {
        for field in ["id", "type", "title", "URL"] {
            assert!(item.get(field).is_some(), "{item} has no {field}");
        }
        let kind: hayagriva::citationberg::taxonomy::Kind =
            serde_json::from_value(item["type"].clone()).expect("a CSL type");
        types.insert(format!("{kind:?}"));
    }
    assert_eq!(
        items
            .iter()
            .map(|i| i["id"].as_str().unwrap())
            .collect::<Vec<_>>(),
        ids
    );
    assert_eq!(
        types.len(),
        9,
        "every kind of resource has its CSL type: {types:?}"
    );
    // Partial dates stay partial; the review date is the access date.
    let report = items
        .iter()
        .find(|i| i["id"] == "research/state-of-ai")
        .unwrap();
    assert_eq!(
        report["issued"]["date-parts"],
        serde_json::json!([[2023, 9]])
    );
    assert_eq!(
        report["accessed"]["date-parts"],
        serde_json::json!([[2025, 9, 15]])
    );
    let law = items.iter().find(|i| i["id"] == "law/ai-act").unwrap();
    assert_eq!(
        law["author"],
        serde_json::json!([{"literal": "European Parliament"}, {"literal": "Council of the European Union"}]),
        "organisations are authors where no person is"
    );

    let ris = read(&site, "resources.ris");
    let records: Vec<&str> = ris.split_inclusive("ER  - \r\n").collect();
    let mut ris_ids = Vec::new();
    for record in &records {
        let lines: Vec<&str> = record.split("\r\n").filter(|l| !l.is_empty()).collect();
        assert!(lines[0].starts_with("TY  - "), "{record}");
        assert_eq!(*lines.last().unwrap(), "ER  - ");
        assert!(
            lines.iter().all(|l| l.len() >= 6 && &l[2..6] == "  - "),
            "{record}"
        );
        ris_ids.extend(lines.iter().filter_map(|l| l.strip_prefix("ID  - ")));
    }
    assert_eq!(ris_ids, ids);
}

#[test]
fn resource_pages_carry_their_reference_and_what_reference_managers_read() {
    let (_dir, site) = built();
    for id in resource_ids(&site) {
        for folder in ["", "fr/"] {
            let page = format!("{folder}{id}/index.html");
            if !site.join(&page).exists() {
                assert_eq!(folder, "fr/", "{page}");
                continue;
            }
            let html = read(&site, &page);
            for tag in [
                "citation_title",
                "citation_author",
                "DC.title",
                "DC.creator",
            ] {
                assert!(
                    html.contains(&format!("<meta name=\"{tag}\"")),
                    "{page}: {tag}"
                );
            }
            let reference = html
                .split("id=\"reference\"")
                .nth(1)
                .expect("a formatted reference");
            let reference = &reference[..reference.find("</p>").unwrap()];
            assert!(!reference.contains("style="), "{page}: {reference}");
            let slug = id.rsplit('/').next().unwrap();
            for ext in ["bib", "ris", "csl.json"] {
                let file = format!("{folder}{id}/{slug}.{ext}");
                assert!(site.join(&file).is_file(), "{file}");
                assert!(
                    html.contains(&format!("href=\"/library/{file}\"")),
                    "{page} links {file}"
                );
            }
        }
    }
    let law = read(&site, "law/ai-act/index.html");
    assert!(law.contains("<meta name=\"citation_publication_date\" content=\"2024/06/13\">"));
    assert!(law.contains("<meta name=\"citation_author\" content=\"European Parliament\">"));
    assert!(
        law.contains("\"@type\":\"Legislation\""),
        "schema.org per type"
    );
    assert!(law.contains("\"legislationLegalForce\":\"https://schema.org/InForce\""));
    assert!(
        law.contains("Available at:"),
        "Harvard, as almanac.yaml says"
    );
    let french = read(&site, "fr/law/ai-act/index.html");
    assert!(
        french.contains("Disponible sur"),
        "the reference in the page's language"
    );
    assert!(french.contains("content=\"Règlement (UE) 2024/1689"));
    let report = read(&site, "research/state-of-ai/index.html");
    assert!(report.contains(
        "<meta name=\"citation_pdf_url\" content=\"https://example.org/reports/state-of-ai.pdf\">"
    ));
    assert!(report.contains("<meta name=\"citation_publication_date\" content=\"2023/09\">"));
    assert!(report.contains("\"@type\":\"Report\""));
    let paper = read(&site, "research/five-principles/index.html");
    assert!(paper.contains("\"@type\":\"ScholarlyArticle\""));
    // The copy button's script is a file: no inline script under the policy.
    assert!(site.join("cite.js").is_file());
    assert!(law.contains("<script src=\"/library/cite.js\" defer></script>"));
    // The footer lists every export with its format, and the licence.
    for href in [
        "resources.bib",
        "resources.ris",
        "resources.csl.json",
        "catalog.ttl",
        "vocabularies/principles.jsonld",
    ] {
        assert!(
            law.contains(&format!("href=\"/library/{href}\"")),
            "footer: {href}"
        );
    }
    assert!(law.contains("rel=\"license\">CC-BY-4.0</a>"));
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
    assert!(run.stderr.contains("almanac.yaml:49:"), "{}", run.stderr);
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
    graph(&out, "catalog");
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
fn without_a_style_the_pages_keep_the_downloads_but_format_no_reference() {
    let dir = fixture("exports/citable");
    edit(dir.path(), "almanac.yaml", "style: harvard", "style: none");
    let run = almanac(dir.path(), &["build"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let page = read(&dir.path().join("site"), "law/ai-act/index.html");
    assert!(!page.contains("id=\"reference\""));
    assert!(page.contains("href=\"/library/law/ai-act/ai-act.bib\""));
    assert!(page.contains("<meta name=\"citation_title\""));
}

#[test]
fn a_build_takes_up_the_references_the_last_one_formatted_unless_their_item_or_style_changed() {
    let dir = fixture("exports/citable");
    let run = almanac(dir.path(), &["build"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let memo_path = dir.path().join(".site.almanac-citations");
    let site = dir.path().join("site");
    let first = read(&site, "law/ai-act/index.html");
    // What the next build finds there is what it shows: mark every reference.
    let mut memo: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&memo_path).unwrap()).unwrap();
    assert_eq!(memo["style"], "harvard-cite-them-right");
    let references = memo["references"].as_object_mut().unwrap();
    assert!(references.len() >= 10, "{}", references.len());
    for html in references.values_mut() {
        *html = "<i>remembered</i>".into();
    }
    std::fs::write(&memo_path, memo.to_string()).unwrap();

    let run = almanac(dir.path(), &["build"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(read(&site, "law/ai-act/index.html").contains("<i>remembered</i>"));
    assert!(read(&site, "tools/fairlearn/index.html").contains("<i>remembered</i>"));

    // A changed entry is formatted again; the others are still taken up.
    edit(
        dir.path(),
        "content/law/ai-act.md",
        "(Artificial Intelligence Act)",
        "(AI Act)",
    );
    let run = almanac(dir.path(), &["build"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let changed = read(&site, "law/ai-act/index.html");
    assert!(!changed.contains("<i>remembered</i>"));
    assert!(changed.contains("(AI Act)"));
    assert!(read(&site, "tools/fairlearn/index.html").contains("<i>remembered</i>"));

    // Another style formats everything anew, and the memo is now that style's.
    edit(dir.path(), "almanac.yaml", "style: harvard", "style: apa");
    let run = almanac(dir.path(), &["build"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(!read(&site, "tools/fairlearn/index.html").contains("<i>remembered</i>"));
    let memo: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&memo_path).unwrap()).unwrap();
    assert_eq!(memo["style"], "american-psychological-association");
    assert!(!first.contains("<i>remembered</i>"));
}
