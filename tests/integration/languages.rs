//! A collection in several languages (tests/fixtures/languages/basic: English, French
//! and Arabic, French partly translated, Arabic not at all) built end to end: pages
//! under each language's folder, links between translations, untranslated entries,
//! per-language feeds, indexes and exports, and the mistakes a translator can make.

use std::path::{Path, PathBuf};

use crate::support::{almanac, edit, fixture, git, hrefs, json_errors, read, title_of, write};

fn built() -> (tempfile::TempDir, PathBuf) {
    let dir = fixture("languages/basic");
    let run = almanac(dir.path(), &["build"]);
    assert_eq!(run.status, 0, "build failed:\n{}", run.stderr);
    let site = dir.path().join("site");
    (dir, site)
}

/// The `href` of every `<link rel="alternate" hreflang="…">` of a page, by language.
fn hreflang(html: &str) -> Vec<(String, String)> {
    html.split("<link rel=\"alternate\" hreflang=\"")
        .skip(1)
        .filter_map(|rest| {
            let (code, rest) = rest.split_once('"')?;
            let href = rest.split_once("href=\"")?.1.split('"').next()?;
            Some((code.to_string(), href.to_string()))
        })
        .collect()
}

#[test]
fn each_language_has_its_pages_under_its_folder_in_its_words() {
    let (_dir, site) = built();
    let fr = read(&site, "fr/guidance/open-data-guide/index.html");
    assert!(fr.contains("<html lang=\"fr\""), "{}", &fr[..200]);
    assert_eq!(
        title_of(&fr),
        "Guide des données ouvertes · Bibliothèque d’éthique"
    );
    assert!(fr.contains("Publier des données ouvertes renforce la confiance."));
    // The French glossary's own phrases are linked, to the French term's page.
    assert!(
        fr.contains("<a class=\"glossary-term\" href=\"/library/fr/glossary/automation-bias/\"")
    );
    // Links to other entries go to their page in the same language.
    assert!(hrefs(&fr).contains(&"/library/fr/glossary/transparency/".to_string()));
    // The vocabulary's labels are the language's.
    assert!(fr.contains(">Guide</a>"), "the type's French label");
    assert_eq!(
        title_of(&read(&site, "fr/principles/transparency/index.html")),
        "Transparence · Bibliothèque d’éthique"
    );
    let home = read(&site, "fr/index.html");
    assert!(home.contains("Une petite bibliothèque de conseils"));
    // The home link of the header is the language's home page.
    assert!(home.contains("<a class=\"site-name\" href=\"/library/fr/\""));
    // Right-to-left languages say so.
    assert!(read(&site, "ar/index.html").contains("<html lang=\"ar\" dir=\"rtl\""));
}

#[test]
fn translations_link_to_each_other_both_ways() {
    let (_dir, site) = built();
    let en = read(&site, "guidance/open-data-guide/index.html");
    let fr = read(&site, "fr/guidance/open-data-guide/index.html");
    let expected = vec![
        (
            "en".to_string(),
            "https://ethics.example.org/library/guidance/open-data-guide/".to_string(),
        ),
        (
            "x-default".to_string(),
            "https://ethics.example.org/library/guidance/open-data-guide/".to_string(),
        ),
        (
            "fr".to_string(),
            "https://ethics.example.org/library/fr/guidance/open-data-guide/".to_string(),
        ),
    ];
    assert_eq!(hreflang(&en), expected);
    assert_eq!(hreflang(&fr), expected);
    // Every alternate exists.
    for (_, href) in hreflang(&en) {
        let rel = href
            .strip_prefix("https://ethics.example.org/library/")
            .unwrap();
        assert!(site.join(rel).join("index.html").is_file(), "{href}");
    }
    // The switcher leads to the same page, or to the language's home page when the
    // page is not translated, saying so.
    assert!(en.contains("<a href=\"/library/fr/guidance/open-data-guide/\" hreflang=\"fr\">"));
    assert!(en.contains("<a href=\"/library/ar/\" hreflang=\"ar\" rel=\"nofollow\">"));
    // Said in visible words (not only to screen readers), in the page's language
    // and direction inside the right-to-left language's item.
    assert!(en.contains(
        "العربية <span class=\"switcher-note\" lang=\"en\" dir=\"ltr\">(home page: this page is not translated)</span></a>"
    ));
    assert!(!en.contains("visually-hidden\" lang=\"en\""));
}

#[test]
fn an_entry_without_a_translation_is_listed_from_its_own_language() {
    let (dir, site) = built();
    assert!(!site.join("fr/guidance/zeta-handbook").exists());
    let list = read(&site, "fr/guidance/index.html");
    assert!(list.contains(
        "<a href=\"/library/guidance/zeta-handbook/\" lang=\"en\" hreflang=\"en\">Zeta Handbook</a>"
    ));
    let zeta = read(&site, "guidance/zeta-handbook/index.html");
    assert!(hreflang(&zeta).is_empty(), "no translation, no alternates");
    // A glossary term related to it.
    edit(
        dir.path(),
        "content/glossary/automation-bias.md",
        "summary:",
        "related: [guidance/zeta-handbook.md]\nsummary:",
    );
    // `untranslated: hide` leaves it out of the other languages' lists.
    let config = read(dir.path(), "almanac.yaml");
    write(
        dir.path(),
        "almanac.yaml",
        &format!("{config}untranslated: hide\n"),
    );
    let run = almanac(dir.path(), &["build"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(!read(&site, "fr/guidance/index.html").contains("Zeta Handbook"));
    assert!(read(&site, "guidance/index.html").contains("Zeta Handbook"));
    // Nor does the language's home page list or count it: its newest resources, its
    // counts, its charts (one resource, of 2021) and the search box's count.
    let home = read(&site, "fr/index.html");
    assert!(!home.contains("Zeta"), "{home}");
    assert!(home.contains("Rechercher parmi 1 ressource et 2 termes du glossaire"));
    assert!(
        home.contains("<span class=\"stat-number\">1</span> <span class=\"stat-label\">Ressource")
    );
    assert!(!home.contains(">2019<"), "the chart by year: {home}");
    // The CSV the footer offers still holds both.
    assert!(home.contains("Les 2 ressources</a> <span class=\"export-format\">CSV</span>"));
    // Nor the French pages of the entries that name it as related.
    assert!(!read(&site, "fr/guidance/open-data-guide/index.html").contains("Zeta"));
    assert!(!read(&site, "fr/glossary/automation-bias/index.html").contains("Zeta"));
    // Nor the language's search index; the default language's still has it.
    let search = |args: &[&str]| almanac(dir.path(), args).stdout;
    assert!(!search(&["search", "--lang", "fr", "zeta"]).contains("Zeta"));
    assert!(search(&["search", "zeta"]).contains("Zeta Handbook"));
    // Listed (the default), the home page and the index have it, marked as English.
    write(dir.path(), "almanac.yaml", &config);
    assert_eq!(almanac(dir.path(), &["build"]).status, 0);
    let home = read(&site, "fr/index.html");
    assert!(home.contains("Rechercher parmi 2 ressources"));
    assert!(home.contains(
        "<a href=\"/library/guidance/zeta-handbook/\" lang=\"en\" hreflang=\"en\">Zeta Handbook</a>"
    ));
    assert!(search(&["search", "--lang", "fr", "zeta"]).contains("Zeta Handbook"));
    assert!(
        read(&site, "fr/glossary/automation-bias/index.html").contains(
            "<li><a href=\"/library/guidance/zeta-handbook/\" lang=\"en\" hreflang=\"en\">Zeta Handbook</a></li>"
        ),
        "a related entry without a translation says its language"
    );
}

#[test]
fn feeds_indexes_sitemap_and_exports_know_every_language() {
    let (_dir, site) = built();
    let feed = read(&site, "fr/feed.xml");
    assert!(feed.contains("xml:lang=\"fr\""));
    assert!(feed.contains("<title>Guide des données ouvertes</title>"));
    assert!(
        !feed.contains("Zeta Handbook"),
        "untranslated entries stay in their own feed"
    );
    assert!(read(&site, "feed.xml").contains("Zeta Handbook"));
    let index = |folder: &Path| {
        std::fs::read_dir(folder)
            .unwrap()
            .filter_map(|e| e.ok())
            .any(|e| e.file_name().to_string_lossy().ends_with(".bin"))
    };
    assert!(index(&site.join("search")));
    assert!(index(&site.join("fr/search")));
    let search = read(&site, "fr/search/index.html");
    assert!(
        search.contains("/library/fr/search/index."),
        "the French index"
    );
    let sitemap = read(&site, "sitemap.xml");
    assert!(sitemap.contains("xmlns:xhtml="));
    assert!(
        sitemap
            .contains("<loc>https://ethics.example.org/library/fr/guidance/open-data-guide/</loc>")
    );
    assert!(sitemap.contains(
        "<xhtml:link rel=\"alternate\" hreflang=\"fr\" href=\"https://ethics.example.org/library/fr/guidance/open-data-guide/\"/>"
    ));
    let json: serde_json::Value = serde_json::from_str(&read(&site, "resources.json")).unwrap();
    let guide = &json["resources"][0];
    assert_eq!(guide["id"], "guidance/open-data-guide");
    assert_eq!(guide["translations"][0]["language"], "fr");
    assert_eq!(
        guide["translations"][0]["title"],
        "Guide des données ouvertes"
    );
    let csv = read(&site, "resources.csv");
    assert!(csv.lines().next().unwrap().ends_with(",translations"));
    assert!(csv.contains("fr: https://ethics.example.org/library/fr/guidance/open-data-guide/"));
}

/// `check --format json` on the fixture with `files` written over it: each problem's
/// code, file and line.
fn problems(files: &[(&str, &str)]) -> Vec<(String, String, u64)> {
    let dir = fixture("languages/basic");
    for (rel, text) in files {
        write(dir.path(), rel, text);
    }
    json_errors(&almanac(dir.path(), &["check", "--format", "json"]))
}

#[test]
fn a_translators_mistakes_are_located() {
    // A translation of nothing.
    assert_eq!(
        problems(&[(
            "content/guidance/nothing.fr.md",
            "---\ntitle: Rien\n---\nRien.\n"
        )]),
        [(
            "broken-link".to_string(),
            "content/guidance/nothing.fr.md".to_string(),
            1
        )]
    );
    // Other terms than the source's.
    assert_eq!(
        problems(&[(
            "content/guidance/zeta-handbook.fr.md",
            "---\ntitle: Manuel Zeta\nprinciples: [transparency]\n---\nTexte.\n"
        )]),
        [(
            "translation-terms".to_string(),
            "content/guidance/zeta-handbook.fr.md".to_string(),
            3
        )]
    );
    // A field only the source may set.
    assert_eq!(
        problems(&[(
            "content/guidance/zeta-handbook.fr.md",
            "---\ntitle: Manuel Zeta\nslug: manuel\n---\nTexte.\n"
        )]),
        [(
            "unknown-field".to_string(),
            "content/guidance/zeta-handbook.fr.md".to_string(),
            3
        )]
    );
    // The default language's text is the file without a language.
    assert_eq!(
        problems(&[(
            "content/guidance/zeta-handbook.en.md",
            "---\ntitle: Zeta\n---\nText.\n"
        )]),
        [(
            "translation".to_string(),
            "content/guidance/zeta-handbook.en.md".to_string(),
            1
        )]
    );
    // `translation_of:` names the source of a file with another name.
    assert!(
        problems(&[(
            "content/guidance/manuel-zeta.fr.md",
            "---\ntitle: Manuel Zeta\ntranslation_of: guidance/zeta-handbook.md\n---\nTexte.\n"
        )])
        .is_empty()
    );
    // A section named like a language's folder.
    assert_eq!(
        problems(&[("content/fr/_index.md", "---\ntitle: Fr\n---\n")])
            .into_iter()
            .map(|(code, _, _)| code)
            .collect::<Vec<_>>(),
        ["duplicate-path"]
    );
}

#[test]
fn a_translation_words_its_sources_change_notes() {
    let source = concat!(
        "---\ntitle: Omega Guide\nurl: https://example.org/omega\npublisher: Omega\n",
        "published: 2019\ntype: standard\nprinciples: [fairness]\n",
        "changes:\n  - date: 2024\n    note: Revised in 2024.\n---\nText.\n"
    );
    let translation = |date: &str| {
        format!(
            "---\ntitle: Guide Oméga\nchanges:\n  - date: {date}\n    note: Révisé en 2024.\n---\nTexte.\n"
        )
    };
    // Other dates than the source's notes: located at the translation's `changes`.
    assert_eq!(
        problems(&[
            ("content/guidance/omega.md", source),
            ("content/guidance/omega.fr.md", &translation("2023")),
        ]),
        [(
            "translation-changes".to_string(),
            "content/guidance/omega.fr.md".to_string(),
            3
        )]
    );
    // The same dates: the page in French gives the note in French, the English
    // page keeps its own.
    let dir = fixture("languages/basic");
    write(dir.path(), "content/guidance/omega.md", source);
    write(
        dir.path(),
        "content/guidance/omega.fr.md",
        &translation("2024"),
    );
    let run = almanac(dir.path(), &["build"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let french = read(dir.path(), "site/fr/guidance/omega/index.html");
    let english = read(dir.path(), "site/guidance/omega/index.html");
    assert!(french.contains("Révisé en 2024."), "{french}");
    assert!(!french.contains("Revised in 2024."));
    assert!(english.contains("Revised in 2024."));
}

#[test]
fn languages_and_texts_per_language_are_checked_in_the_config() {
    let dir = fixture("languages/basic");
    let config = read(dir.path(), "almanac.yaml")
        .replace("fr: Type de ressource", "fe: Type de ressource")
        .replace("  ar: { name: العربية }\n", "  xx-y: {}\n");
    write(dir.path(), "almanac.yaml", &config);
    let run = almanac(dir.path(), &["check", "--format", "json"]);
    assert_eq!(run.status, 1);
    let found: Vec<serde_json::Value> = serde_json::from_str(&run.stdout).unwrap();
    let messages: Vec<&str> = found
        .iter()
        .map(|d| d["message"].as_str().unwrap())
        .collect();
    assert!(
        messages.contains(&"`fe` is not one of the collection's languages"),
        "{messages:?}"
    );
    assert!(
        messages.contains(&"the language `xx-y` needs a `name`"),
        "{messages:?}"
    );
    let fe = found
        .iter()
        .find(|d| d["message"].as_str().unwrap().starts_with("`fe`"))
        .unwrap();
    assert_eq!(
        (fe["line"].as_u64(), fe["column"].as_u64()),
        (Some(12), Some(33))
    );
}

#[test]
fn a_translation_older_than_its_source_is_reported() {
    let dir = fixture("languages/basic");
    let root = dir.path();
    // Outside git the check cannot be made, and says so.
    let run = almanac(root, &["check"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("note: not a git checkout"),
        "{}",
        run.stderr
    );
    // … and no page says that its original changed.
    let notices = |page: &str| {
        let run = almanac(root, &["build"]);
        assert_eq!(run.status, 0, "{}", run.stderr);
        read(&root.join("site"), page)
            .matches("notice-translation")
            .count()
    };
    assert_eq!(notices("fr/guidance/open-data-guide/index.html"), 0);
    std::fs::remove_dir_all(root.join("site")).unwrap();
    git(root, &["init", "--quiet"], "2026-01-01T00:00:00Z");
    git(root, &["add", "."], "2026-01-01T00:00:00Z");
    git(
        root,
        &["commit", "--quiet", "-m", "All"],
        "2026-01-01T00:00:00Z",
    );
    let run = almanac(root, &["check", "--format", "json"]);
    // The fixture's Arabic has no interface strings of its own (its pages fall
    // back to English), which check says too; only that is left.
    let found: Vec<serde_json::Value> = serde_json::from_str(&run.stdout).expect("JSON");
    let codes: Vec<&str> = found.iter().filter_map(|d| d["code"].as_str()).collect();
    assert_eq!(
        codes,
        ["i18n-missing"],
        "translations as new as their sources"
    );
    let source = "content/guidance/open-data-guide.md";
    let text = read(root, source).replace("Start small.", "Start small, then grow.");
    write(root, source, &text);
    git(
        root,
        &["commit", "--quiet", "-am", "Source"],
        "2026-03-04T10:00:00Z",
    );
    let run = almanac(root, &["check", "--format", "json"]);
    let found: Vec<serde_json::Value> = serde_json::from_str(&run.stdout).unwrap();
    let found: Vec<&serde_json::Value> = found
        .iter()
        .filter(|d| d["code"] != "i18n-missing")
        .collect();
    assert_eq!(found.len(), 1, "{}", run.stdout);
    assert_eq!(found[0]["code"], "outdated-translation");
    assert_eq!(found[0]["severity"], "warning");
    assert_eq!(found[0]["file"], "content/guidance/open-data-guide.fr.md");
    assert_eq!(
        found[0]["message"],
        "content/guidance/open-data-guide.md changed on 2026-03-04 after this translation was last changed on 2026-01-01"
    );
    // The translated page says so, with the day and a link to the original.
    assert_eq!(notices("fr/guidance/open-data-guide/index.html"), 1);
    let site = root.join("site");
    let fr = read(&site, "fr/guidance/open-data-guide/index.html");
    assert!(fr.contains(
        "<div class=\"notice notice-translation\" role=\"note\">\n  <p>Cette traduction n’est peut-être plus à jour\u{a0}: l’original a été modifié le <time datetime=\"2026-03-04\">4 mars 2026</time>, après la dernière mise à jour de la traduction. <a href=\"/library/guidance/open-data-guide/\" hreflang=\"en\">Lire l’original (anglais)</a></p>"
    ), "{fr}");
    // Not the original, not a translation as new as its source.
    for page in [
        "guidance/open-data-guide/index.html",
        "fr/glossary/transparency/index.html",
        "fr/guidance/index.html",
    ] {
        assert!(!read(&site, page).contains("notice-translation"), "{page}");
    }
    // A section's text too.
    edit(
        root,
        "content/guidance/_index.md",
        "Practical advice.",
        "Practical advice, tested.",
    );
    git(
        root,
        &["commit", "--quiet", "-am", "Section"],
        "2026-05-06T10:00:00Z",
    );
    assert_eq!(notices("fr/guidance/index.html"), 1);
    assert!(read(&site, "fr/guidance/index.html").contains(">6 mai 2026</time>"));
}

#[test]
fn new_starts_a_translation_from_its_source() {
    let dir = fixture("languages/basic");
    let root = dir.path();
    let run = almanac(root, &["new", "guidance/zeta-handbook", "--lang", "fr"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("a draft until it is translated and `draft: true` removed"),
        "{}",
        run.stderr
    );
    let made = read(root, "content/guidance/zeta-handbook.fr.md");
    assert!(made.starts_with("---\n# Translate into Français"), "{made}");
    assert!(made.contains("title: Zeta Handbook\nsummary: A handbook that has no French translation.\n---\nThe handbook explains fairness testing.\n"));
    assert!(!made.contains("principles"), "terms stay the source's");
    // It is a draft: the English words it starts with are not published as French.
    assert!(made.contains("\ndraft: true\n"), "{made}");
    let page = root.join("site/fr/guidance/zeta-handbook/index.html");
    let run = almanac(root, &["build"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(!page.exists());
    assert!(
        read(root, "site/fr/guidance/index.html").contains(
            "<a href=\"/library/guidance/zeta-handbook/\" lang=\"en\" hreflang=\"en\">Zeta Handbook</a>"
        ),
        "still listed as the English entry"
    );
    // Translated and no longer a draft, the entry has a French page.
    write(
        root,
        "content/guidance/zeta-handbook.fr.md",
        &made
            .replace("draft: true\n", "")
            .replace("title: Zeta Handbook", "title: Manuel Zeta"),
    );
    let run = almanac(root, &["build"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(read(root, "site/fr/guidance/zeta-handbook/index.html").contains("Manuel Zeta"));
    // A section's translation starts as a draft too, and builds as one.
    let run = almanac(root, &["new", "glossary/_index", "--lang", "ar"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(read(root, "content/glossary/_index.ar.md").contains("\ndraft: true\n"));
    let run = almanac(root, &["check"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    // Not twice, and only into a declared language.
    let again = almanac(root, &["new", "guidance/zeta-handbook", "--lang", "fr"]);
    assert_eq!(again.status, 1);
    assert!(again.stderr.contains("already exists"), "{}", again.stderr);
    let unknown = almanac(root, &["new", "guidance/zeta-handbook", "--lang", "de"]);
    assert_eq!(unknown.status, 1);
    assert!(
        unknown.stderr.contains("this collection's are fr, ar"),
        "{}",
        unknown.stderr
    );
}
