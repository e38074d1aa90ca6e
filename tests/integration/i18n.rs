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

/// The text a reader would see in a template that does not come from the
/// interface strings: words outside `{{ }}` and `{% %}` (comments dropped), in
/// element content or in the attributes read aloud or shown (`alt`, `title`,
/// `aria-label`, `placeholder`, …). Scripts and styles are left out.
fn literal_words(template: &str) -> Vec<String> {
    const SHOWN: &[&str] = &[
        "alt",
        "title",
        "label",
        "placeholder",
        "aria-label",
        "aria-description",
        "aria-placeholder",
        "aria-roledescription",
        "aria-valuetext",
    ];
    // Tera's comments, then its expressions and statements, each left as a mark.
    let mut text = String::new();
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        let close = match rest[start..].get(..2) {
            Some("{#") => "#}",
            Some("{{") => "}}",
            Some("{%") => "%}",
            _ => {
                text.push_str(&rest[..=start]);
                rest = &rest[start + 1..];
                continue;
            }
        };
        text.push_str(&rest[..start]);
        text.push('\u{1}');
        let end = rest[start..].find(close).expect("a closed Tera tag") + start;
        rest = &rest[end + 2..];
    }
    text.push_str(rest);
    let has_words = |s: &str| {
        let mut s = s.to_string();
        // Character references (`&nbsp;`, `&#8203;`) are not words.
        while let Some(amp) = s.find('&') {
            match s[amp..].find(';') {
                Some(semi)
                    if s[amp + 1..amp + semi]
                        .chars()
                        .all(|c| c.is_alphanumeric() || c == '#') =>
                {
                    s.replace_range(amp..amp + semi + 1, " ");
                }
                _ => s.replace_range(amp..=amp, " "),
            }
        }
        s.chars().any(char::is_alphabetic)
    };
    let mut found = Vec::new();
    let mut rest = text.as_str();
    while !rest.is_empty() {
        let tag_start = rest.char_indices().find(|&(i, c)| {
            c == '<'
                && rest[i + 1..]
                    .chars()
                    .next()
                    .is_some_and(|n| n.is_ascii_alphabetic() || n == '/' || n == '!')
        });
        let Some((i, _)) = tag_start else {
            if has_words(rest) {
                found.push(rest.trim().to_string());
            }
            break;
        };
        if has_words(&rest[..i]) {
            found.push(rest[..i].trim().to_string());
        }
        let end = rest[i..].find('>').expect("a closed tag") + i;
        let tag = &rest[i..=end];
        for attribute in tag.split(" ").skip(1) {
            if let Some((name, value)) = attribute.split_once("=\"")
                && SHOWN.contains(&name.trim())
                && has_words(value.split('"').next().unwrap_or(""))
            {
                found.push(format!("{name}=\"{value}"));
            }
        }
        rest = &rest[end + 1..];
        let name: String = tag[1..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        if name == "script" || name == "style" {
            let close = format!("</{name}");
            rest = &rest[rest.find(&close).unwrap_or(rest.len())..];
        }
    }
    found
}

#[test]
fn the_scanner_finds_words_outside_the_strings() {
    assert_eq!(
        literal_words("<p>Or browse by {{ x }}</p>"),
        ["Or browse by \u{1}"]
    );
    assert_eq!(
        literal_words("<img alt=\"Logo\" src=\"a.svg\"> <a title=\"{{ t.x }}\">{{ t.y }}</a>"),
        ["alt=\"Logo\""]
    );
    assert!(
        literal_words(
            "{# A comment. #}<p class=\"x\">{{ t.a }}&nbsp;: {% if b %}({{ c }}){% endif %}.</p>\
             <script type=\"application/json\">{\"a\": \"b\"}</script>"
        )
        .is_empty()
    );
}

/// Every word a reader sees in the default theme comes from its interface strings,
/// so each language's pages are in that language throughout.
#[test]
fn the_default_theme_has_no_words_of_its_own_outside_the_strings() {
    let folder = crate::support::repo().join("themes/default/templates");
    let mut templates = Vec::new();
    for entry in std::fs::read_dir(&folder).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            for inner in std::fs::read_dir(&path).unwrap() {
                templates.push(inner.unwrap().path());
            }
        } else {
            templates.push(path);
        }
    }
    templates.sort();
    assert!(templates.len() > 20, "{templates:?}");
    let mut found = Vec::new();
    for path in &templates {
        let text = std::fs::read_to_string(path).unwrap();
        for words in literal_words(&text) {
            found.push(format!("{}: {words:?}", path.display()));
        }
    }
    assert!(
        found.is_empty(),
        "words outside the strings:\n{}",
        found.join("\n")
    );
}

/// On a search page without results, the links to the taxonomies read in the
/// page's language, and German keeps its nouns' capitals.
#[test]
fn the_search_page_offers_the_taxonomies_in_the_page_s_language() {
    let dir = languages_fixture();
    let site = build(dir.path());
    assert_has(
        &read(&site, "fr/search/index.html"),
        &[
            "<p>Ou parcourez la collection par <a href=\"/library/fr/type/\">type de ressource</a>, <a href=\"/library/fr/principles/\">principes</a>, <a href=\"/library/fr/topics/\">topics</a>.</p>",
        ],
        "the French search page",
    );
    assert_has(
        &read(&site, "de/search/index.html"),
        &[
            "<p>Oder stöbern Sie in der Sammlung nach <a href=\"/library/de/type/\">Resource type</a>, <a href=\"/library/de/principles/\">Principles</a>, <a href=\"/library/de/topics/\">Topics</a>.</p>",
        ],
        "the German search page",
    );
    assert_has(
        &read(&site, "search/index.html"),
        &[
            "<p>Or browse the collection by <a href=\"/library/type/\">resource type</a>, <a href=\"/library/principles/\">principles</a>, <a href=\"/library/topics/\">topics</a>.</p>",
        ],
        "the English search page",
    );
}
