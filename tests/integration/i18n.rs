//! Interface strings per language: a page reads its own language around its
//! content (labels, counted phrases, dates), a collection's `i18n/` overrides the
//! theme's strings key by key, and `check` and `build` name the strings a declared
//! language lacks.

use std::path::{Path, PathBuf};

use crate::support::{almanac, fixture, read, write};

/// Builds the collection in `dir` into `dir/out`.
fn build(dir: &Path) -> PathBuf {
    let out = dir.join("out");
    let run = almanac(
        dir,
        &[
            "build",
            "--root",
            dir.to_str().unwrap(),
            "--output",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(run.status, 0, "{}{}", run.stdout, run.stderr);
    out
}

/// The bilingual fixture with a German edition too, and a date known to the day.
fn languages_fixture() -> tempfile::TempDir {
    let dir = fixture("languages/basic");
    let config = read(dir.path(), "almanac.yaml").replace(
        "  fr: { name: Français }\n",
        "  fr: { name: Français }\n  de: { name: Deutsch }\n",
    );
    write(dir.path(), "almanac.yaml", &config);
    let guide = "content/guidance/open-data-guide.md";
    let text = read(dir.path(), guide).replace(
        "published: 2021-04\n",
        "published: 2021-04\nreviewed: 2025-09-01\n",
    );
    write(dir.path(), guide, &text);
    write(
        dir.path(),
        "content/guidance/open-data-guide.de.md",
        "---\ntitle: Leitfaden für offene Daten\n---\nOffene Daten schaffen Vertrauen.\n",
    );
    dir
}

fn assert_has(html: &str, texts: &[&str], page: &str) {
    for text in texts {
        assert!(html.contains(text), "{page} lacks {text:?}:\n{html}");
    }
}

#[test]
fn pages_have_their_language_s_interface_strings_and_dates() {
    let dir = languages_fixture();
    let site = build(dir.path());

    let fr = read(&site, "fr/guidance/open-data-guide/index.html");
    assert_has(
        &fr,
        &[
            "<html lang=\"fr\"",
            "Aller au contenu principal",
            "aria-label=\"Fil d’Ariane\"",
            "Consulter la ressource",
            "À propos de cette ressource",
            "<dt>Date de publication</dt>",
            ">avril 2021</time>",
            // The first of the month, the French way.
            ">1er septembre 2025</time>",
            "Dernière revue par un responsable de la collection le <time datetime=\"2025-09-01\">1er septembre 2025</time>.",
            // An untranslated entry in a French list names its language in French.
            "Non traduit\u{a0}: page en anglais",
        ],
        "the French resource page",
    );
    assert!(!fr.contains("Go to the resource"), "{fr}");

    let de = read(&site, "de/guidance/open-data-guide/index.html");
    assert_has(
        &de,
        &[
            "Zur Ressource",
            ">1. September 2025</time>",
            "Nicht übersetzt: Seite auf Englisch",
        ],
        "the German resource page",
    );

    let en = read(&site, "guidance/open-data-guide/index.html");
    assert_has(
        &en,
        &["Go to the resource", ">1 September 2025</time>"],
        "the English resource page",
    );

    // Counted phrases take the language's plural forms.
    let home = read(&site, "fr/index.html");
    assert_has(
        &home,
        &[
            "Rechercher parmi 2 ressources et 2 termes du glossaire",
            "<p class=\"count\">2 ressources</p>",
            "Ressources par principes (lignes) et par type de ressource (colonnes)",
            "2 ressources réparties en 2 groupes\u{202f}; le tableau ci-dessous donne les chiffres.",
        ],
        "the French home page",
    );
    // German keeps a label's capitals inside a sentence.
    assert_has(
        &read(&site, "de/index.html"),
        &["Ressourcen nach Resource type"],
        "the German home page",
    );

    // The search page's script gets its messages in the page's language.
    assert_has(
        &read(&site, "fr/search/index.html"),
        &[
            "<script type=\"application/json\" id=\"search-strings\">",
            "\"loading\":\"Chargement de la recherche…\"",
        ],
        "the French search page",
    );
    assert_has(
        &read(&site, "fr/404.html"),
        &["<title>Page introuvable · Bibliothèque d’éthique</title>"],
        "the French 404 page",
    );
}

#[test]
fn a_collection_overrides_the_theme_s_strings_key_by_key() {
    let dir = fixture("languages/basic");
    write(
        dir.path(),
        "i18n/fr.yaml",
        "search_form:\n  button: Chercher\n",
    );
    let site = build(dir.path());
    let fr = read(&site, "fr/guidance/index.html");
    assert_has(
        &fr,
        &[
            "<button type=\"submit\">Chercher</button>",
            "<p class=\"eyebrow\">Rubrique</p>",
        ],
        "the French section page",
    );
    let en = read(&site, "guidance/index.html");
    assert_has(
        &en,
        &["<button type=\"submit\">Search</button>"],
        "the English section page",
    );
}

#[test]
fn check_and_build_name_the_strings_a_language_lacks() {
    let dir = fixture("languages/basic");
    write(
        dir.path(),
        "i18n/ar.yaml",
        "search_form:\n  button: بحث\n  lable: ابحث في المجموعة\n",
    );
    write(
        dir.path(),
        "i18n/fr.yaml",
        "footer:\n  resources:\n    one: \"La ressource\"\n    other: \"Les {count} ressources, {total}\"\n",
    );
    let run = almanac(dir.path(), &["check", "--root", ".", "--format", "json"]);
    assert_eq!(run.status, 0, "warnings alone pass: {}", run.stderr);
    let found: Vec<serde_json::Value> = serde_json::from_str(&run.stdout).expect("JSON");
    let find = |code: &str, text: &str| {
        found
            .iter()
            .find(|d| d["code"] == code && d["message"].as_str().unwrap_or("").contains(text))
            .unwrap_or_else(|| panic!("no {code} warning about {text}: {:#?}", found))
    };
    let missing = find("i18n-missing", "`search_form.label`");
    assert_eq!(missing["severity"], "warning");
    assert_eq!(missing["file"], "i18n/ar.yaml");
    assert!(
        !found.iter().any(|d| d["message"]
            .as_str()
            .unwrap_or("")
            .contains("`search_form.button`")),
        "the Arabic file has the button: {found:#?}"
    );
    let typo = find("i18n-unknown", "`search_form.lable`");
    assert_eq!(
        (typo["line"].as_u64(), typo["column"].as_u64()),
        (Some(3), Some(3))
    );
    assert_eq!(typo["help"], "did you mean `search_form.label`?");
    let plural = find("i18n-plural", "`footer.resources` has no `many` form");
    assert_eq!(plural["file"], "i18n/fr.yaml");
    assert_eq!(plural["line"].as_u64(), Some(3));
    find("i18n-placeholder", "`footer.resources` uses `{total}`");

    let run = almanac(dir.path(), &["check", "--root", ".", "--deny-warnings"]);
    assert_eq!(run.status, 1, "{}", run.stderr);

    // The build says the same, and builds.
    let out = dir.path().join("out");
    let run = almanac(
        dir.path(),
        &["build", "--root", ".", "--output", out.to_str().unwrap()],
    );
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("the interface string `search_form.label` has no text in العربية (`ar`)"),
        "{}",
        run.stderr
    );
    // What the Arabic file has is used; the rest is English.
    let ar = read(&out, "ar/guidance/index.html");
    assert_has(
        &ar,
        &[
            "<button type=\"submit\">بحث</button>",
            "Search the collection",
        ],
        "the Arabic section page",
    );
}

#[test]
fn a_file_that_is_not_yaml_or_not_named_after_a_language_is_an_error() {
    let dir = fixture("languages/basic");
    write(dir.path(), "i18n/fr.yaml", "search_form: [unclosed\n");
    write(dir.path(), "i18n/french.yaml", "search_form: {}\n");
    let run = almanac(dir.path(), &["check", "--root", ".", "--format", "json"]);
    assert_eq!(run.status, 1, "{}", run.stderr);
    let found: Vec<serde_json::Value> = serde_json::from_str(&run.stdout).expect("JSON");
    let files: Vec<&str> = found
        .iter()
        .filter(|d| d["severity"] == "error")
        .filter_map(|d| d["file"].as_str())
        .collect();
    assert_eq!(files, ["i18n/fr.yaml", "i18n/french.yaml"], "{found:#?}");
}
