//! `almanac build` on the basic fixture: every output exists, says the right
//! things, links where it should, and is the same byte for byte on every build.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use crate::support::{almanac, fixture, hrefs, read, snapshot, title_of, write};

fn built() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = fixture("build/basic");
    let run = almanac(dir.path(), &["build"]);
    assert_eq!(run.status, 0, "build failed:\n{}", run.stderr);
    assert!(run.stderr.contains("Built "), "{}", run.stderr);
    let site = dir.path().join("site");
    (dir, site)
}

#[test]
fn every_kind_of_page_is_written_with_its_title() {
    let (_dir, site) = built();
    let pages = [
        ("index.html", "Fixture Library"),
        ("guidance/index.html", "Guidance · Fixture Library"),
        (
            "guidance/alpha-framework/index.html",
            "Alpha Framework · Fixture Library",
        ),
        (
            "standards/technical/gamma-standard/index.html",
            "Gamma Standard · Fixture Library",
        ),
        ("about/index.html", "About the library · Fixture Library"),
        ("glossary/index.html", "Glossary · Fixture Library"),
        ("glossary/fairness/index.html", "Fairness · Fixture Library"),
        ("type/index.html", "Resource type · Fixture Library"),
        ("type/guidance/index.html", "Guidance · Fixture Library"),
        (
            "topics/data-ethics/index.html",
            "Data Ethics · Fixture Library",
        ),
        ("search/index.html", "Search · Fixture Library"),
        ("404.html", "Page not found · Fixture Library"),
    ];
    for (path, title) in pages {
        let html = read(&site, path);
        assert_eq!(title_of(&html), title, "{path}");
        assert!(
            html.starts_with("<!DOCTYPE html>") || html.starts_with("<!doctype html>"),
            "{path}"
        );
    }
}

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let (dir, site) = built();
    assert!(!site.join("guidance/delta-draft").exists());
    assert!(!read(&site, "resources.json").contains("Delta Draft"));
    let run = almanac(dir.path(), &["build", "--drafts"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(site.join("guidance/delta-draft/index.html").exists());
}

#[test]
fn links_are_rooted_at_the_base_path_and_resolve() {
    let (_dir, site) = built();
    let html = read(&site, "guidance/alpha-framework/index.html");
    // The internal `@/` link became the page's URL under /library/.
    assert!(html.contains(r#"href="/library/standards/technical/gamma-standard/""#));
    // External links in the body are marked up for the theme.
    assert!(
        html.contains(
            r#"href="https://alpha.example.org/" class="external" rel="external noopener""#
        )
    );
    // Raw HTML is shown, not run.
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!html.contains("<script>alert(1)"));
    // Every internal link of every page points at a file of the site.
    for (path, bytes) in snapshot(&site) {
        if !path.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8(bytes).unwrap();
        for href in hrefs(&html) {
            if href.starts_with("http") || href.starts_with('#') || href.starts_with("mailto:") {
                continue;
            }
            assert!(
                href.starts_with("/library/"),
                "{path}: {href} is not under the base path"
            );
            let target = href
                .trim_start_matches("/library/")
                .split(['#', '?'])
                .next()
                .unwrap();
            let file = if target.is_empty() || target.ends_with('/') {
                format!("{target}index.html")
            } else {
                target.to_string()
            };
            assert!(site.join(&file).exists(), "{path}: broken link {href}");
        }
    }
}

#[test]
fn sections_are_paginated_in_their_order() {
    let (_dir, site) = built();
    let first = read(&site, "guidance/index.html");
    let second = read(&site, "guidance/page/2/index.html");
    // paginate_by: 2 and sort_by: title — Alpha, Beta on page 1, Epsilon on page 2.
    let alpha = first.find("Alpha Framework").expect("alpha on page 1");
    let beta = first.find("Beta Guide").expect("beta on page 1");
    assert!(alpha < beta);
    assert!(!first.contains("Epsilon Notes"));
    assert!(second.contains("Epsilon Notes"));
    assert!(first.contains("/library/guidance/page/2/"));
    assert!(!site.join("guidance/page/3").exists());
    // Nested sections have pages of their own, listed in their parent.
    assert!(read(&site, "standards/index.html").contains("/library/standards/technical/"));
}

#[test]
fn taxonomy_pages_count_their_resources() {
    let (_dir, site) = built();
    let principles = read(&site, "principles/index.html");
    assert!(principles.contains("Transparency") && principles.contains("Privacy"));
    // Transparency: alpha and gamma; paginate_by 1 for this taxonomy gives two pages.
    let page1 = read(&site, "principles/transparency/index.html");
    let page2 = read(&site, "principles/transparency/page/2/index.html");
    assert!(page1.contains("Alpha Framework") && !page1.contains("Gamma Standard"));
    assert!(page2.contains("Gamma Standard"));
    // Open vocabularies take their terms from the entries, slugged for URLs.
    let data_ethics = read(&site, "topics/data-ethics/index.html");
    assert!(data_ethics.contains("Alpha Framework") && data_ethics.contains("Epsilon Notes"));

    let json: serde_json::Value = serde_json::from_str(&read(&site, "resources.json")).unwrap();
    let resources = json["resources"].as_array().unwrap();
    let with = |taxonomy: &str, term: &str| {
        resources
            .iter()
            .filter(|r| {
                r["taxonomies"][taxonomy]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|t| t == term)
            })
            .count()
    };
    assert_eq!(with("principles", "transparency"), 2);
    assert_eq!(with("principles", "fairness"), 2);
    assert_eq!(with("type", "guidance"), 2);
    assert_eq!(with("topics", "data-ethics"), 2);
}

#[test]
fn feed_sitemap_and_exports_parse_and_agree() {
    let (_dir, site) = built();
    let json: serde_json::Value = serde_json::from_str(&read(&site, "resources.json")).unwrap();
    let resources = json["resources"].as_array().unwrap();
    assert_eq!(json["count"], 4);
    assert_eq!(resources.len(), 4);
    let pages: BTreeSet<String> = resources
        .iter()
        .map(|r| r["page"].as_str().unwrap().to_string())
        .collect();

    let csv_text = read(&site, "resources.csv");
    let mut csv = csv::Reader::from_reader(csv_text.as_bytes());
    let headers = csv.headers().unwrap().clone();
    let page_column = headers.iter().position(|h| h == "page").unwrap();
    assert!(headers.iter().any(|h| h == "principles"));
    let csv_pages: BTreeSet<String> = csv
        .records()
        .map(|r| r.unwrap()[page_column].to_string())
        .collect();
    assert_eq!(pages, csv_pages);

    let sitemap = read(&site, "sitemap.xml");
    let feed = read(&site, "feed.xml");
    for xml in [&sitemap, &feed] {
        let mut reader = quick_xml::Reader::from_str(xml);
        loop {
            match reader.read_event() {
                Ok(quick_xml::events::Event::Eof) => break,
                Ok(_) => {}
                Err(e) => panic!("invalid XML: {e}"),
            }
        }
    }
    for page in &pages {
        assert!(
            sitemap.contains(&format!("<loc>{page}</loc>")),
            "{page} not in sitemap"
        );
        assert!(
            feed.contains(&format!("<id>{page}</id>")),
            "{page} not in feed"
        );
    }
    // Newest first: Beta (2022) before Gamma (2021-03) before Alpha (2020-09).
    let order: Vec<usize> = ["Beta Guide", "Gamma Standard", "Alpha Framework"]
        .iter()
        .map(|t| feed.find(t).unwrap())
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
    assert!(read(&site, "robots.txt").contains("Sitemap: https://example.org/library/sitemap.xml"));
}

#[test]
fn aliases_redirect_and_static_files_and_overrides_are_used() {
    let (_dir, site) = built();
    let redirect = read(&site, "old/alpha/index.html");
    assert!(redirect.contains(r#"url=/library/guidance/alpha-framework/"#));
    assert!(redirect.contains(
        r#"rel="canonical" href="https://example.org/library/guidance/alpha-framework/""#
    ));
    assert!(read(&site, "about-us/index.html").contains("/library/about/"));
    assert_eq!(read(&site, "extra.css"), "body { color: black; }\n");
    assert!(
        site.join("style.css").exists(),
        "the theme's static files are copied"
    );
    assert!(read(&site, "about/index.html").contains("Overridden page template"));
}

#[test]
fn glossary_terms_are_listed_and_linked_from_text() {
    let (_dir, site) = built();
    let glossary = read(&site, "glossary/index.html");
    assert!(glossary.contains("Algorithmic transparency") && glossary.contains("Fairness"));
    let gamma = read(&site, "standards/technical/gamma-standard/index.html");
    assert!(
        gamma.contains(
            r#"class="glossary-term" href="/library/glossary/algorithmic-transparency/""#
        ),
        "the first mention of a glossary term links to it"
    );
    let term = read(&site, "glossary/algorithmic-transparency/index.html");
    assert!(term.contains("A source book") && term.contains("AI transparency"));
}

#[test]
fn two_builds_give_the_same_bytes() {
    let dir = fixture("build/basic");
    let a = dir.path().join("a");
    let b = dir.path().join("b");
    for out in [&a, &b] {
        let run = almanac(dir.path(), &["build", "--output", out.to_str().unwrap()]);
        assert_eq!(run.status, 0, "{}", run.stderr);
    }
    let (sa, sb) = (snapshot(&a), snapshot(&b));
    assert_eq!(sa.len(), sb.len());
    for ((pa, ba), (pb, bb)) in sa.iter().zip(&sb) {
        assert_eq!(pa, pb);
        assert!(ba == bb, "{pa} differs between builds");
    }
}

#[test]
fn base_url_flag_moves_the_site() {
    let dir = fixture("build/basic");
    let run = almanac(
        dir.path(),
        &["build", "--base-url", "https://other.example/x"],
    );
    assert_eq!(run.status, 0, "{}", run.stderr);
    let html = read(&dir.path().join("site"), "guidance/index.html");
    assert!(html.contains(r#"href="/x/guidance/alpha-framework/""#));
    assert!(
        read(&dir.path().join("site"), "sitemap.xml").contains("https://other.example/x/guidance/")
    );
}

#[test]
fn a_failed_build_leaves_the_previous_site() {
    let (dir, site) = built();
    let before = snapshot(&site);
    write(
        dir.path(),
        "content/guidance/beta-guide.md",
        "---\ntitle: [unclosed\n---\n",
    );
    let run = almanac(dir.path(), &["build"]);
    assert_eq!(run.status, 1);
    assert!(
        run.stderr.contains("previous output was left"),
        "{}",
        run.stderr
    );
    assert_eq!(snapshot(&site), before);
    assert!(!fs::read_dir(dir.path()).unwrap().any(|e| {
        e.unwrap()
            .file_name()
            .to_string_lossy()
            .contains("almanac-new")
    }));
}

#[test]
fn a_folder_no_build_made_is_never_replaced() {
    let dir = fixture("build/basic");
    write(dir.path(), "site/notes.txt", "precious");
    let run = almanac(dir.path(), &["build"]);
    assert_eq!(run.status, 1);
    assert!(run.stderr.contains("refusing to replace"), "{}", run.stderr);
    assert_eq!(read(dir.path(), "site/notes.txt"), "precious");
}

#[test]
fn the_home_page_has_counts_matrix_and_charts() {
    let (_dir, site) = built();
    let home = read(&site, "index.html");
    assert!(home.contains("Welcome to the <strong>fixture</strong> library."));
    assert!(home.contains("<svg"), "charts are inline SVG");
    assert!(home.contains("role=\"img\""));
    // The matrix (principles × type) links its rows to the term pages and its cells
    // to the lists of resources that have both terms.
    assert!(home.contains("/library/principles/transparency/"));
    assert!(home.contains("/library/principles/transparency/type/standard/"));
    let cell = read(&site, "principles/transparency/type/standard/index.html");
    assert!(cell.contains("Gamma Standard") && !cell.contains("Alpha Framework"));
    assert!(
        !site.join("principles/privacy/type/standard").exists(),
        "no page for an empty cell"
    );
    assert!(!Path::new(&site.join("index.html")).is_dir());
}

#[test]
fn a_template_error_names_the_template_and_leaves_the_previous_site() {
    let (dir, site) = built();
    let before = snapshot(&site);
    write(
        dir.path(),
        "templates/resource.html",
        "{% extends \"base.html\" %}{% block main %}{{ resource.no_such_field.deeper }}{% endblock main %}",
    );
    let run = almanac(dir.path(), &["build"]);
    assert_eq!(run.status, 1, "{}", run.stderr);
    assert!(run.stderr.contains("resource.html"), "{}", run.stderr);
    assert_eq!(snapshot(&site), before);
    // Fixing the template lets the next build finish from where the failed one stopped.
    fs::remove_file(dir.path().join("templates/resource.html")).unwrap();
    let run = almanac(dir.path(), &["build"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert_eq!(snapshot(&site), before);
}
