//! The example collection (the repository's own almanac.yaml and content/)
//! built under a sub-path, as a host would serve it, and checked as readers
//! meet it: every internal link and asset resolves, the pages pass axe-core in
//! headless Chromium (tests/browser/a11y.mjs) and the Nu HTML checker
//! (tests/browser/validate.mjs), search works end to end in Chromium
//! (tests/browser/search.mjs), and a reference is copied with its button
//! (tests/browser/cite.mjs). The fixture in three languages is checked the same
//! way, every language's pages.
//!
//! The browser checks need `npm ci --prefix tests/browser`, Chromium and Java,
//! which `scripts/test` installs; when one is missing the tests fail and say
//! what to install, as a silently skipped check is no check.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::{almanac, repo, search_index_file, snapshot};

const BASE_URL: &str = "https://ethics.example.org/sub/";
const BASE_PATH: &str = "/sub/";

/// The example collection built into a fresh temporary folder.
fn build_example() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let site = dir.path().join("site");
    let root = repo();
    let run = almanac(
        &root,
        &[
            "build",
            "--root",
            root.to_str().unwrap(),
            "--output",
            site.to_str().unwrap(),
            "--base-url",
            BASE_URL,
        ],
    );
    assert_eq!(
        run.status, 0,
        "the example collection does not build:\n{}{}",
        run.stdout, run.stderr
    );
    (dir, site)
}

#[test]
fn example_site_has_no_broken_internal_links() {
    let (_dir, site) = build_example();
    let problems = check_links(&site);
    assert!(
        problems.is_empty(),
        "{} broken internal link(s) in the example site:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// The link checker itself, on a hand-made site with one of each mistake.
#[test]
fn link_checker_finds_broken_links() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path();
    let page = |rel: &str, body: &str| {
        let path = site.join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, format!("<!doctype html><body>{body}</body>")).unwrap();
    };
    page(
        "index.html",
        r##"<a href="a/">ok</a> <a href="/sub/a/#top">ok</a> <a href="https://ethics.example.org/sub/">ok</a>
        <a href="https://elsewhere.example/">ok</a> <a href="mailto:x@example.org">ok</a>
        <a href="missing/">bad</a> <a href="/a/">bad</a> <a href="a/#nowhere">bad</a>
        <img src="https://cdn.example/x.png" alt="bad"> <img src="data:image/png;base64," alt="ok">"##,
    );
    page(
        "a/index.html",
        r#"<h1 id="top">A</h1> <a href="../">ok</a> <a href="../../x/">bad</a>"#,
    );
    for n in 0..50 {
        page(&format!("p{n}.html"), "");
    }
    let problems = check_links(site);
    let expected = [
        "a/index.html: href=\"../../x/\" resolves to nothing in the site",
        "index.html: href=\"missing/\" resolves to nothing in the site",
        "index.html: href=\"/a/\" resolves to nothing in the site",
        "index.html: href=\"a/#nowhere\" names no element id on its page",
        "index.html: src=\"https://cdn.example/x.png\" loads from another host",
    ];
    assert_eq!(problems, expected);
}

#[test]
fn example_site_passes_axe_in_chromium() {
    require_node_modules();
    require_chromium();
    let (_dir, site) = build_example();
    node("a11y.mjs", &[site.to_str().unwrap(), BASE_PATH]);
}

/// A resource page's reference is copied with its button where scripts run and
/// stays as text where they do not (tests/browser/cite.mjs).
#[test]
fn example_site_reference_copies_in_a_browser() {
    require_node_modules();
    require_chromium();
    let (_dir, site) = build_example();
    node("cite.mjs", &[site.to_str().unwrap(), BASE_PATH]);
}

/// A reader types "algorithmic impact assessment" on the search page, finds
/// Canada's assessment tool, narrows the results by principle and shares the
/// URL (tests/browser/search.mjs lists every check).
#[test]
fn example_site_search_works_in_a_browser() {
    require_node_modules();
    require_chromium();
    let (_dir, site) = build_example();
    assert!(
        search_index_file(&site).is_some(),
        "the build wrote no search/index.<hash>.bin"
    );
    let summary = node("search.mjs", &[site.to_str().unwrap(), BASE_PATH]);
    // The figures are for people reading the test output, not assertions.
    let summary: serde_json::Value =
        serde_json::from_str(&summary).expect("search.mjs prints a JSON summary");
    println!(
        "search, first result and bytes before it: {:#}",
        summary["measured"]
    );
}

/// The French and German search pages search their own index, stemmed their way:
/// a query in another form of the words finds the entry's page in the language.
#[test]
fn example_site_search_works_in_french_and_german_in_a_browser() {
    require_node_modules();
    require_chromium();
    let (_dir, site) = build_example();
    for lang in ["fr", "de"] {
        let summary = node("search.mjs", &[site.to_str().unwrap(), BASE_PATH, lang]);
        let summary: serde_json::Value =
            serde_json::from_str(&summary).expect("search.mjs prints a JSON summary");
        assert_eq!(summary["lang"], lang);
        assert!(
            summary["checks"].as_array().is_some_and(|c| c.len() >= 6),
            "{summary:#}"
        );
    }
}

#[test]
fn example_site_is_valid_html() {
    require_node_modules();
    require_java();
    let (_dir, site) = build_example();
    node("validate.mjs", &[site.to_str().unwrap()]);
}

/// The fixture in three languages (English, French and Arabic, right to left),
/// built as a host would serve it under its base path, `/library/`: in a git
/// checkout where the French guide's and home page's originals changed after
/// their translations, so those pages show the notice that says so.
fn build_languages() -> (tempfile::TempDir, PathBuf) {
    let dir = crate::support::fixture("languages/basic");
    let root = dir.path().to_path_buf();
    let site = dir.path().join("site");
    let time = "2026-01-01T00:00:00Z";
    crate::support::git(&root, &["init", "--quiet"], time);
    crate::support::git(&root, &["add", "."], time);
    crate::support::git(&root, &["commit", "--quiet", "-m", "All"], time);
    crate::support::edit(&root, "content/_index.md", "A small", "A small, growing");
    crate::support::edit(
        &root,
        "content/guidance/open-data-guide.md",
        "Start small.",
        "Start small, then grow.",
    );
    crate::support::git(
        &root,
        &["commit", "--quiet", "-am", "Sources"],
        "2026-03-04T10:00:00Z",
    );
    let run = almanac(
        &root,
        &[
            "build",
            "--root",
            root.to_str().unwrap(),
            "--output",
            site.to_str().unwrap(),
        ],
    );
    assert_eq!(run.status, 0, "{}{}", run.stdout, run.stderr);
    for page in ["fr/index.html", "fr/guidance/open-data-guide/index.html"] {
        let html = crate::support::read(&site, page);
        assert!(html.contains("notice-translation"), "{page} has no notice");
    }
    (dir, site)
}

/// The kinds of page a browser check's JSON summary lists, sorted.
fn checked(summary: &str, list: &str) -> Vec<String> {
    let summary: serde_json::Value =
        serde_json::from_str(summary).expect("the check prints a JSON summary");
    let mut found: Vec<String> = summary[list]
        .as_array()
        .expect("a list of pages")
        .iter()
        .filter_map(|p| {
            p.as_str()
                .or_else(|| p["kind"].as_str())
                .map(str::to_string)
        })
        .collect();
    found.sort();
    found.dedup();
    found
}

/// Every language's pages pass axe-core, light and dark, as the English ones do;
/// Arabic ones are laid out right to left.
#[test]
fn every_language_of_a_multilingual_site_passes_axe_in_chromium() {
    require_node_modules();
    require_chromium();
    let (_dir, site) = build_languages();
    let summary = node("a11y.mjs", &[site.to_str().unwrap(), "/library/"]);
    let kinds = checked(&summary, "pages");
    let pages: serde_json::Value = serde_json::from_str(&summary).expect("a JSON summary");
    let mirrored: Vec<&str> = pages["pages"]
        .as_array()
        .expect("a list of pages")
        .iter()
        .filter(|p| p["mirrored"] == true)
        .filter_map(|p| p["kind"].as_str())
        .collect();
    assert!(
        mirrored.contains(&"home (ar)") && mirrored.contains(&"term (ar)"),
        "the Arabic pages were not checked for a mirrored layout: {mirrored:?}"
    );
    assert!(
        !mirrored.iter().any(|k| k.contains("(fr)")),
        "only right-to-left pages are mirrored: {mirrored:?}"
    );
    for kind in [
        "home (ar)",
        "home (fr)",
        "resource (fr)",
        "glossary_term (fr)",
        "term (ar)",
    ] {
        assert!(
            kinds.iter().any(|k| k == kind),
            "{kind} was not checked: {kinds:?}"
        );
    }
}

#[test]
fn every_language_of_a_multilingual_site_is_valid_html() {
    require_node_modules();
    require_java();
    let (_dir, site) = build_languages();
    let summary = node("validate.mjs", &[site.to_str().unwrap()]);
    let files = checked(&summary, "files");
    for file in [
        "ar/index.html",
        "ar/search/index.html",
        "fr/404.html",
        "fr/guidance/open-data-guide/index.html",
    ] {
        assert!(
            files.iter().any(|f| f == file),
            "{file} was not checked: {files:?}"
        );
    }
}

pub(crate) fn require_java() {
    let java = Command::new("java").arg("-version").output();
    assert!(
        java.is_ok_and(|o| o.status.success()),
        "Java is missing: the Nu HTML checker needs Java 17 or newer \
         (`scripts/test` installs it, or `apt-get install -y default-jre-headless`)"
    );
}

pub(crate) fn require_chromium() {
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    assert!(
        Path::new(&chromium).exists(),
        "Chromium is missing at {chromium}: install it (`scripts/test` does, or `apt-get install -y chromium`) \
         or set CHROMIUM to its path"
    );
}

pub(crate) fn require_node_modules() {
    let modules = repo().join("tests/browser/node_modules");
    for package in ["playwright-core", "axe-core", "vnu-jar"] {
        assert!(
            modules.join(package).join("package.json").exists(),
            "the browser test packages are not installed: run `scripts/test` or `npm ci --prefix tests/browser` \
             (missing {package})"
        );
    }
}

/// Runs `node tests/browser/<script> <args>` and fails with its whole output
/// unless it succeeds; returns its standard output (the JSON summary).
pub(crate) fn node(script: &str, args: &[&str]) -> String {
    let output = Command::new("node")
        .arg(repo().join("tests/browser").join(script))
        .args(args)
        .current_dir(repo().join("tests/browser"))
        .output()
        .unwrap_or_else(|e| panic!("cannot run node (Node.js 20 or newer is needed): {e}"));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "{script} failed ({}):\n{stderr}\n--- summary ---\n{stdout}",
        output.status
    );
    stdout.into_owned()
}

/// Every `href`, `src` and form `action` in every HTML file of `site` that
/// points inside the site must name a file that was built (and, with a
/// `#fragment`, an element with that id); assets may not come from elsewhere.
fn check_links(site: &Path) -> Vec<String> {
    let pages: BTreeMap<String, String> = snapshot(site)
        .into_iter()
        .filter(|(rel, _)| rel.ends_with(".html"))
        .map(|(rel, bytes)| {
            let html = String::from_utf8(bytes).unwrap_or_else(|e| panic!("{rel}: {e}"));
            (rel, html)
        })
        .collect();
    assert!(
        pages.len() > 50,
        "the example site has only {} pages",
        pages.len()
    );
    let mut ids: BTreeMap<PathBuf, BTreeSet<String>> = BTreeMap::new();
    let mut problems = Vec::new();
    for (rel, html) in &pages {
        for (attr, value) in attributes(html, &["href", "src", "action"]) {
            let value = unescape(&value);
            let Some(target) = internal_target(rel, &value) else {
                if attr == "src" && !value.starts_with("data:") {
                    problems.push(format!("{rel}: src=\"{value}\" loads from another host"));
                }
                continue;
            };
            let (path, fragment) = match target.split_once('#') {
                Some((p, f)) => (p.to_string(), Some(f.to_string())),
                None => (target, None),
            };
            let path = path.split('?').next().unwrap_or_default();
            let Some(file) = resolve(site, path) else {
                problems.push(format!(
                    "{rel}: {attr}=\"{value}\" resolves to nothing in the site"
                ));
                continue;
            };
            if let Some(fragment) = fragment.filter(|f| !f.is_empty())
                && file.extension().is_some_and(|e| e == "html")
            {
                let known = ids.entry(file.clone()).or_insert_with(|| {
                    let html = fs::read_to_string(&file).unwrap_or_default();
                    attributes(&html, &["id"])
                        .into_iter()
                        .map(|(_, v)| unescape(&v))
                        .collect()
                });
                if !known.contains(&percent_decode(&fragment)) {
                    problems.push(format!(
                        "{rel}: {attr}=\"{value}\" names no element id on its page"
                    ));
                }
            }
        }
    }
    problems
}

/// The values of the named attributes, double- or single-quoted, in order.
/// Built pages escape `"`, `'` and `<` in text, so a plain scan is exact enough.
fn attributes(html: &str, names: &[&str]) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let bytes = html.as_bytes();
    for name in names {
        let mut from = 0;
        while let Some(at) = html[from..].find(&format!("{name}=")) {
            let start = from + at;
            from = start + name.len() + 1;
            let before = start.checked_sub(1).map(|i| bytes[i]);
            if !matches!(before, Some(b' ' | b'\n' | b'\t')) {
                continue;
            }
            let Some(&quote) = bytes.get(from) else { break };
            if quote != b'"' && quote != b'\'' {
                continue;
            }
            if let Some(len) = html[from + 1..].find(quote as char) {
                found.push((name.to_string(), html[from + 1..from + 1 + len].to_string()));
                from += len + 2;
            }
        }
    }
    found
}

/// For a link inside the site, the target as a path from the site root (with
/// any `?query#fragment`); `None` for other hosts and schemes.
fn internal_target(page: &str, value: &str) -> Option<String> {
    if let Some(rest) = value.strip_prefix(BASE_URL) {
        return Some(rest.to_string());
    }
    if value.starts_with("//") || (value.contains(':') && !value.starts_with(['/', '.', '#', '?']))
    {
        return None;
    }
    if value.starts_with('/') {
        // Rooted links must stay under the base path, or the sub-folder breaks
        // them; one outside it keeps its leading slash and so resolves to nothing.
        return Some(value.strip_prefix(BASE_PATH).unwrap_or(value).to_string());
    }
    // Relative to the page's folder.
    let folder = page.rsplit_once('/').map_or("", |(dir, _)| dir);
    let (path, tail) = match value.find(['?', '#']) {
        Some(i) => value.split_at(i),
        None => (value, ""),
    };
    if path.is_empty() {
        return Some(format!("{page}{tail}"));
    }
    let mut parts: Vec<&str> = folder.split('/').filter(|s| !s.is_empty()).collect();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                // Above the site root: kept as `..`, which resolves to nothing.
                if parts.pop().is_none() {
                    return Some(format!("../{path}"));
                }
            }
            s => parts.push(s),
        }
    }
    let trailing = if path.ends_with('/') && !parts.is_empty() {
        "/"
    } else {
        ""
    };
    Some(format!("{}{trailing}{tail}", parts.join("/")))
}

/// The built file a site path names: `dir/` is `dir/index.html`.
fn resolve(site: &Path, path: &str) -> Option<PathBuf> {
    let path = percent_decode(path);
    if path.starts_with('/') || path.split('/').any(|s| s == "..") {
        return None;
    }
    let file = site.join(&path);
    if path.is_empty() || path.ends_with('/') {
        let index = file.join("index.html");
        return index.is_file().then_some(index);
    }
    file.is_file().then_some(file)
}

fn unescape(s: &str) -> String {
    s.replace("&amp;", "&")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(byte) = s
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(byte);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
