//! Hostile and unlucky output paths: a file of the content or an alias over a
//! file the theme publishes, inside the search index's folder or over the files
//! Almanac makes, and a name too long for a file system where the content names
//! it. Each is a located error from `check` as from `build`.

use crate::hostile::{built, refused};
use crate::outputs::{clashes, one};
use crate::support::{almanac, edit, fixture, read, write};

/// A resource of the fixture with `aliases: [alias]` (line 7).
fn aliased(alias: &str) -> String {
    format!(
        "---\ntitle: Beta\nsummary: An alias.\ntype: guidance\nprinciples: [fairness]\naliases:\n  - {alias}\n---\n"
    )
}

#[test]
fn content_files_and_aliases_may_not_take_the_themes_files() {
    // The default theme publishes style.css, cite.js and favicon.svg at the
    // top; the fixture's static/ publishes extra.css.
    for rel in [
        "content/style.css",
        "content/cite.js",
        "content/favicon.svg",
        "content/extra.css",
    ] {
        assert_eq!(
            clashes(&[(rel, "/* mine */")]),
            one("duplicate-path", rel, 1),
            "{rel}"
        );
    }
    let beta = "content/guidance/beta-guide.md";
    for (alias, code) in [
        ("/style.css", "duplicate-path"),
        ("/cite.js", "duplicate-path"),
        ("/favicon.svg/old", "duplicate-path"),
        ("/extra.css", "duplicate-path"),
        // The index and its module are published in search/ under hashed names.
        ("/search/search.js", "reserved-path"),
        ("/search/old/", "reserved-path"),
    ] {
        assert_eq!(
            clashes(&[(beta, &aliased(alias))]),
            one(code, beta, 7),
            "{alias}"
        );
    }
}

#[test]
fn static_files_still_replace_the_themes_own() {
    assert_eq!(clashes(&[("static/style.css", "/* mine */")]), []);
    let dir = fixture("build/basic");
    write(dir.path(), "static/style.css", "/* mine */");
    write(dir.path(), "static/search/search.js", "// mine");
    let run = almanac(dir.path(), &["build"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert_eq!(read(&dir.path().join("site"), "style.css"), "/* mine */");
}

#[test]
fn no_file_of_the_collection_may_take_a_file_almanac_makes() {
    let made = [
        "feed.xml",
        "sitemap.xml",
        "404.html",
        "robots.txt",
        "resources.csv",
        "resources.json",
        "resources.bib",
        "resources.ris",
        "resources.csl.json",
        "catalog.ttl",
        "catalog.jsonld",
        "vocabularies/type.ttl",
        "vocabularies/glossary.jsonld",
    ];
    for folder in ["content", "static"] {
        let files: Vec<(String, &str)> = made
            .iter()
            .map(|path| (format!("{folder}/{path}"), "mine"))
            .collect();
        let files: Vec<(&str, &str)> = files.iter().map(|(p, t)| (p.as_str(), *t)).collect();
        let mut expected: Vec<(String, String, u64)> = files
            .iter()
            .map(|(rel, _)| ("duplicate-path".to_string(), rel.to_string(), 1))
            .collect();
        let mut found = clashes(&files);
        expected.sort();
        found.sort();
        assert_eq!(found, expected, "{folder}");
    }
}

#[test]
fn a_name_too_long_is_shown_where_the_content_names_it() {
    let long = "a".repeat(300);
    let cases = [
        // A term of an open vocabulary: at the resource that names it.
        (
            "content/guidance/beta-guide.md",
            "topics: [procurement]".to_string(),
            format!("topics: [procurement, \"A {long}\"]"),
            "content/guidance/beta-guide.md:10:23",
        ),
        // A slug, of a resource or a glossary term: at its value.
        (
            "content/guidance/beta-guide.md",
            "summary: A guide".to_string(),
            format!("slug: {long}\nsummary: A guide"),
            "content/guidance/beta-guide.md:3:7",
        ),
        (
            "content/glossary/fairness.md",
            "summary: Treating".to_string(),
            format!("slug: {long}\nsummary: Treating"),
            "content/glossary/fairness.md:3:7",
        ),
    ];
    for (rel, from, to, at) in cases {
        let dir = built();
        edit(dir.path(), rel, &from, &to);
        refused(dir.path(), &[at, "path-too-long"]);
    }
}

#[test]
fn a_path_differing_only_in_case_from_another_is_refused() {
    // A disk that ignores case (macOS, Windows) would keep one of the two.
    let beta = "content/guidance/beta-guide.md";
    for alias in ["/FEED.xml", "/Style.css", "/Guidance/Beta-Guide/"] {
        assert_eq!(
            clashes(&[(beta, &aliased(alias))]),
            one("duplicate-path", beta, 7),
            "{alias}"
        );
    }
    assert_eq!(
        clashes(&[("content/Extra.css", "/* mine */")]),
        one("duplicate-path", "content/Extra.css", 1)
    );
    // Folders that differ in case only merge on such a disk: no clash.
    assert_eq!(
        clashes(&[("static/Img/a.png", "a"), ("static/img/b.png", "b")]),
        []
    );
}

#[test]
fn a_copied_file_where_a_folder_must_be_or_the_reverse_is_located() {
    // The build failed writing these ("Is a directory") after `check` passed.
    for rel in [
        "static/guidance",
        "static/type",
        "static/style.css/old.css",
        "static/feed.xml/old.xml",
    ] {
        assert_eq!(
            clashes(&[(rel, "mine")]),
            one("duplicate-path", rel, 1),
            "{rel}"
        );
    }
}
