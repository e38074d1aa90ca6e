//! Search in each language of tests/fixtures/languages/basic, with a German edition
//! added: `almanac search --lang` reads that language's index, stemmed the
//! language's way, so a query finds the other forms of its words.

use std::path::Path;

use serde_json::Value;

use crate::support::{almanac, edit, fixture, write};

/// The titles and addresses of the results for `query` in `lang`'s index.
fn results(dir: &Path, lang: &str, query: &str) -> Vec<(String, String)> {
    let run = almanac(dir, &["search", "--lang", lang, query, "--json"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let response: Value = serde_json::from_str(&run.stdout).expect("JSON");
    response["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|h| {
            (
                h["title"].as_str().unwrap().to_owned(),
                h["url"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// The fixture in English, French, German and Arabic, the Zeta handbook translated
/// into French and German with words in other forms than the queries'.
fn translated() -> tempfile::TempDir {
    let dir = fixture("languages/basic");
    let root = dir.path();
    edit(
        root,
        "almanac.yaml",
        "  fr: { name: Français }\n",
        "  fr: { name: Français }\n  de: { name: Deutsch }\n",
    );
    write(
        root,
        "content/guidance/zeta-handbook.fr.md",
        "---\ntitle: Manuel Zeta\nsummary: Un manuel sur l’équité.\n---\nLe manuel explique comment protéger chaque donnée personnelle.\n",
    );
    write(
        root,
        "content/guidance/zeta-handbook.de.md",
        "---\ntitle: Zeta-Handbuch\nsummary: Ein Handbuch über Fairness.\n---\nDas Handbuch erklärt den Schutz personenbezogener Daten.\n",
    );
    dir
}

#[test]
fn each_language_s_index_finds_its_translations_by_stemmed_words() {
    let dir = translated();
    let root = dir.path();
    let zeta_fr = (
        "Manuel Zeta".to_string(),
        "/library/fr/guidance/zeta-handbook/".to_string(),
    );
    let zeta_de = (
        "Zeta-Handbuch".to_string(),
        "/library/de/guidance/zeta-handbook/".to_string(),
    );
    // Without a built site, and then from the built one: the same answers.
    for built in [false, true] {
        if built {
            let run = almanac(root, &["build"]);
            assert_eq!(run.status, 0, "{}", run.stderr);
            assert!(root.join("site/de/search/index.html").is_file());
        }
        // The plural finds the singular: French stemming. (The only entry
        // with both words comes first; those with one of them follow.)
        assert_eq!(results(root, "fr", "données personnelles")[0], zeta_fr);
        // Another case ending of the same words: German stemming.
        assert_eq!(results(root, "de", "personenbezogenen Daten")[0], zeta_de);
        // Each index holds its own language's text of the entry.
        assert!(results(root, "de", "donnée personnelle").is_empty());
        assert!(results(root, "fr", "personenbezogener").is_empty());
        assert!(results(root, "en", "personenbezogener").is_empty());
    }
}

#[test]
fn a_language_that_is_not_declared_is_refused() {
    let dir = fixture("languages/basic");
    let run = almanac(dir.path(), &["search", "--lang", "de", "zeta"]);
    assert_eq!(run.status, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("`de` is not a language of this collection; its languages are en, fr, ar"),
        "{}",
        run.stderr
    );
}
