//! The DCAT catalogue's geographical coverage, which DCAT-AP 3 recommends for the
//! catalogue and its dataset: the places of `catalog.spatial`, a country code
//! standing for the EU country table's address.

use oxrdf::{NamedOrBlankNode, Term};

use crate::support::{almanac, edit, fixture, read};

const DCT: &str = "http://purl.org/dc/terms/";
const COUNTRY: &str = "http://publications.europa.eu/resource/authority/country/";

/// The objects of `predicate` for `subject` in the Turtle of `text`, sorted.
fn objects(text: &str, subject: &str, predicate: &str) -> Vec<String> {
    let mut found: Vec<String> = oxttl::TurtleParser::new()
        .for_slice(text.as_bytes())
        .map(|t| t.expect("catalog.ttl parses"))
        .filter(|t| {
            matches!(&t.subject, NamedOrBlankNode::NamedNode(n) if n.as_str() == subject)
                && t.predicate.as_str() == predicate
        })
        .map(|t| match t.object {
            Term::NamedNode(n) => n.into_string(),
            other => other.to_string(),
        })
        .collect();
    found.sort();
    found
}

#[test]
fn the_catalogue_and_its_dataset_cover_the_places_of_catalog_spatial() {
    let dir = fixture("exports/citable");
    edit(
        dir.path(),
        "almanac.yaml",
        "  themes: [GOVE, TECH]\n",
        "  themes: [GOVE, TECH]\n  spatial: [gbr, FRA, https://sws.geonames.org/6255148/, GBR]\n",
    );
    let run = almanac(dir.path(), &["build"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let ttl = read(&dir.path().join("site"), "catalog.ttl");
    let places = [
        format!("{COUNTRY}FRA"),
        format!("{COUNTRY}GBR"),
        "https://sws.geonames.org/6255148/".to_string(),
    ];
    let base = "https://ethics.example.org/library/catalog.ttl#";
    for node in ["catalog", "collection"] {
        assert_eq!(
            objects(&ttl, &format!("{base}{node}"), &format!("{DCT}spatial")),
            places,
            "{node}"
        );
    }
    for place in &places {
        assert_eq!(
            objects(
                &ttl,
                place,
                "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
            ),
            [format!("{DCT}Location")]
        );
    }
    // Without the setting, no coverage is claimed.
    let plain = fixture("exports/citable");
    let run = almanac(plain.path(), &["build"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let ttl = read(&plain.path().join("site"), "catalog.ttl");
    assert!(!ttl.contains("dct:spatial"), "{ttl}");
}

#[test]
fn a_place_that_is_neither_a_country_code_nor_an_address_is_a_located_error() {
    let dir = fixture("exports/citable");
    edit(
        dir.path(),
        "almanac.yaml",
        "  themes: [GOVE, TECH]\n",
        "  themes: [GOVE, TECH]\n  spatial: [GBR, United Kingdom]\n",
    );
    let run = almanac(dir.path(), &["check"]);
    assert_eq!(run.status, 1);
    for needle in [
        "`United Kingdom` is neither a country code nor the address of a place",
        "almanac.yaml:18:18",
    ] {
        assert!(run.stderr.contains(needle), "{needle}: {}", run.stderr);
    }
}
