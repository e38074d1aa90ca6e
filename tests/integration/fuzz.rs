//! Fuzzing of what curators write: front matter, Markdown bodies and
//! `almanac.yaml`, each case a seed of tests/fixtures/fuzz/ edited at random
//! (hostile pieces inserted anywhere or only into the body and text values,
//! stretches deleted or repeated), run through the
//! pipeline in process and rendered into memory. Every input ends in a site or
//! in problems that name their file; no panic, no page, feed or sitemap carries
//! a control character, and the feed and sitemap stay well-formed XML.
//! `ALMANAC_FUZZ_CASES` sets the cases per target (64 by default, which the test
//! suite runs); counts and times are printed (`--nocapture` shows them).

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use almanac::config::{self, Config};
use almanac::content::{self, Content};
use almanac::diagnostics::{Diagnostic, SourceText};
use almanac::output::Memory;
use almanac::pipeline::{self, BuildOptions, Site};
use almanac::render::{Progress, SearchAssets, Theme};
use proptest::prelude::*;
use proptest::test_runner::{Config as RunnerConfig, TestCaseError, TestRunner};

use crate::support::{fixture_path, repo};

/// Pieces that break parsers and sinks: YAML, Markdown and template syntax,
/// markup, controls and bidi marks, odd numbers and dates, paths that climb.
const HOSTILE: &[&str] = &[
    "---",
    "\n---\n",
    ": ",
    "- ",
    "[",
    "]",
    "{",
    "}",
    "{{ x }}",
    "{% if %}",
    "&",
    "*",
    "!!binary ",
    "&anchor ",
    "*anchor",
    "<<: ",
    "? ",
    "|\n",
    ">\n",
    "<script>alert(1)</script>",
    "\"",
    "'",
    "\\",
    "\u{0}",
    "\u{7}",
    "\u{1b}[31m",
    "\u{202e}",
    "\u{feff}",
    "\u{fffe}",
    "\r\n",
    "\r",
    "\t",
    "#",
    "> ",
    "```",
    "\n\n",
    "[x](javascript:alert(1))",
    "<!--",
    "]]>",
    "&#0;",
    "&#x7;",
    "&#xFFFE;",
    "&#x1b;",
    "%00",
    // YAML escapes, which write what a file's text may not hold.
    "\"\\u0007\"",
    "\"\\0\"",
    "\"\\x1b\"",
    "\"\\uFFFE\"",
    "\"\\U0010FFFF\"",
    "\\0",
    "\\u0000",
    "\\e",
    "slug: ../../etc\n",
    "aliases: [/feed.xml]\n",
    "aliases: [\"/../../x/\"]\n",
    "=HYPERLINK(\"x\")",
    "title: \n",
    "date: 2024-13-45\n",
    "published: 99999999999\n",
    "weight: -9223372036854775808\n",
    "type: [a, b]\n",
    "principles: {a: 1}\n",
    "url: x\n",
    "\u{10FFFF}",
    "é",
    "🙂",
    "ﷺ",
    "İ",
    "[^1]",
    "[^1]: n\n",
    "<div>",
    "</div>",
    "| a |\n|---|\n",
    "    ",
    "* * *\n",
    "1. ",
    "![i](x.png)",
    "<https://a.example/>",
    "~~~\n",
    "$$",
];

/// One change to a seed.
#[derive(Debug, Clone)]
enum Edit {
    Insert(usize, String),
    Delete(usize, usize),
    Repeat(usize, usize, usize),
    /// The piece put into the Markdown body, after the front matter (a value,
    /// as below, where there is no body).
    Body(usize, String),
    /// The piece put before the text of a title, summary, description or label,
    /// the value written as a quoted YAML string: the YAML stays well-formed, so
    /// the piece goes on to the pages, feed, sitemap and exports.
    Value(usize, String),
}

/// The keys whose values are free text shown on pages and in feeds.
const TEXT_KEYS: &[&str] = &["title: ", "summary: ", "description: ", "label: "];

fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(HOSTILE).prop_map(str::to_string),
        1 => any::<String>(),
        1 => prop::collection::vec(prop::sample::select(&[' ', ':', '-', '\n', 'a', '#', '['][..]), 0..16)
            .prop_map(|chars| chars.into_iter().collect()),
    ]
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        3 => (any::<usize>(), piece()).prop_map(|(at, text)| Edit::Insert(at, text)),
        1 => (any::<usize>(), 0usize..40).prop_map(|(at, n)| Edit::Delete(at, n)),
        1 => (any::<usize>(), 1usize..40, 2usize..200).prop_map(|(at, n, times)| Edit::Repeat(at, n, times)),
    ]
}

/// An edit of the text a curator writes (the body, a title), which leaves the
/// YAML well-formed: most such cases go as far as a rendered site.
fn text_edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<usize>(), piece()).prop_map(|(at, text)| Edit::Body(at, text)),
        (any::<usize>(), piece()).prop_map(|(at, text)| Edit::Value(at, text)),
    ]
}

/// Where the body of `text` starts, after its front matter, if it has one.
fn body_start(text: &str) -> Option<usize> {
    let rest = text.strip_prefix("---\n")?;
    rest.find("\n---\n").map(|end| 4 + end + 5)
}

/// `piece` put before the value of one line naming a text key (the `pick`th,
/// counting round), the whole value written as a double-quoted YAML string.
fn put_in_value(text: &mut String, pick: usize, piece: &str) {
    let mut lines = Vec::new();
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if let Some(key) = TEXT_KEYS.iter().find(|key| trimmed.starts_with(**key)) {
            let value = start + (line.len() - trimmed.len()) + key.len();
            lines.push((value, start + line.trim_end_matches(['\n', '\r']).len()));
        }
        start += line.len();
    }
    if lines.is_empty() {
        return;
    }
    let (from, to) = lines[pick % lines.len()];
    let old = text[from..to].trim_matches(['"', '\'']).to_string();
    // JSON's strings are YAML's double-quoted ones.
    let quoted = serde_json::to_string(&format!("{piece}{old}")).unwrap();
    text.replace_range(from..to, &quoted);
}

/// A char boundary of `text` from an arbitrary number.
fn boundary(text: &str, at: usize) -> usize {
    let mut at = at % (text.len() + 1);
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn apply(seed: &str, edits: &[Edit]) -> String {
    let mut text = seed.to_string();
    for edit in edits {
        match edit {
            Edit::Insert(at, piece) => text.insert_str(boundary(&text, *at), piece),
            Edit::Delete(at, n) => {
                let start = boundary(&text, *at);
                let end = boundary(&text, start + n);
                if end >= start {
                    text.replace_range(start..end, "");
                }
            }
            Edit::Repeat(at, n, times) => {
                let start = boundary(&text, *at);
                let end = boundary(&text, start + n).max(start);
                let stretch = text[start..end].repeat(*times);
                text.insert_str(end, &stretch);
            }
            Edit::Body(at, piece) => match body_start(&text) {
                Some(body) => {
                    let at = body + boundary(&text[body..], *at);
                    text.insert_str(at, piece);
                }
                None => put_in_value(&mut text, *at, piece),
            },
            Edit::Value(pick, piece) => put_in_value(&mut text, *pick, piece),
        }
    }
    text
}

/// The seeds of one target, sorted by name.
fn seeds(folder: &str) -> Vec<String> {
    let dir = repo().join("tests/fixtures/fuzz").join(folder);
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect()
}

/// An edited seed: half the cases edited anywhere (most then stop at a located
/// problem in the YAML), half only in their text (most then render a site).
fn case(folder: &str) -> impl Strategy<Value = String> + use<> {
    (
        prop::sample::select(seeds(folder)),
        prop_oneof![
            prop::collection::vec(edit(), 1..6),
            prop::collection::vec(text_edit(), 1..6),
        ],
    )
        .prop_map(|(seed, edits)| apply(&seed, &edits))
}

/// How a case ended: a site was rendered, or the input was refused with located
/// problems (counted apart, so that a harness whose cases all stop at the first
/// check is seen for what it is).
enum Outcome {
    Built,
    Refused,
}

/// Runs `property` on the target's cases and prints how many ran in how long, and
/// how many of them went as far as a rendered site.
fn fuzz(
    name: &str,
    strategy: impl Strategy<Value = String>,
    property: impl Fn(String) -> Result<Outcome, TestCaseError>,
) {
    let cases = std::env::var("ALMANAC_FUZZ_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(64);
    let config = RunnerConfig {
        cases,
        // Found failures are kept as seeds by hand, in the committed corpus.
        failure_persistence: None,
        ..RunnerConfig::default()
    };
    let mut runner = TestRunner::new(config);
    let built = AtomicUsize::new(0);
    let refused = AtomicUsize::new(0);
    let started = Instant::now();
    let result = runner.run(&strategy, |text| {
        let counter = match property(text)? {
            Outcome::Built => &built,
            Outcome::Refused => &refused,
        };
        counter.fetch_add(1, Ordering::Relaxed);
        Ok(())
    });
    eprintln!(
        "fuzz {name}: {cases} cases in {:.2} s: {} rendered a site, {} were refused with located problems",
        started.elapsed().as_secs_f64(),
        built.load(Ordering::Relaxed),
        refused.load(Ordering::Relaxed),
    );
    if let Err(failure) = result {
        panic!("fuzz {name}: {failure}");
    }
}

/// What every case shares: the fixture's content, config and theme.
struct Base {
    config: Config,
    content: Content,
    theme: Arc<Theme>,
}

impl Base {
    fn load() -> Base {
        let root = fixture_path("build/basic");
        let options = BuildOptions {
            root: root.clone(),
            ..BuildOptions::default()
        };
        let config = pipeline::load_config(&options).unwrap();
        let content = content::load(&root);
        assert!(content.diagnostics.is_empty());
        let theme = Arc::new(pipeline::load_theme(&root, &config).unwrap());
        Base {
            config,
            content,
            theme,
        }
    }

    fn content(&self) -> Content {
        Content {
            files: self.content.files.clone(),
            assets: self.content.assets.clone(),
            dirs: self.content.dirs.clone(),
            ..Content::default()
        }
    }
}

/// Each problem names a file (and a line in it when the file has text).
fn located(problems: &[Diagnostic]) -> Result<Outcome, TestCaseError> {
    for problem in problems.iter().filter(|d| d.is_error()) {
        prop_assert!(
            problem.location.is_some(),
            "a problem without a place: {}",
            problem.message
        );
    }
    Ok(Outcome::Refused)
}

/// Models, checks and renders; a site without problems must render and carry a
/// well-formed feed.
fn build(config: Config, content: Content, theme: &Arc<Theme>) -> Result<Outcome, TestCaseError> {
    let (loaded, _) = pipeline::assemble(config, content, false, None);
    if loaded.has_errors() {
        return located(&loaded.diagnostics);
    }
    let site = Site::new(
        Arc::new(loaded.collection),
        Arc::new(loaded.bodies),
        theme.clone(),
        SearchAssets::default(),
        None,
    );
    let memory = Memory::new();
    let pages = site.pages();
    let report = |_: usize, _: usize| {};
    let progress = Progress::new(pages.len(), &report);
    match site.render(&pages, &memory, &progress) {
        Ok(()) => {}
        Err(error) => return located(&almanac::diagnostics::AsDiagnostics::diagnostics(&error)),
    }
    if let Err(error) = site.catalogue(&memory) {
        prop_assert!(false, "the catalogue failed on a checked site: {error}");
    }
    for file in memory.into_files().unwrap() {
        let almanac::output::Contents::Bytes(bytes) = &file.contents else {
            continue;
        };
        if file.path.ends_with(".html") || file.path.ends_with(".xml") {
            let text = String::from_utf8_lossy(bytes);
            prop_assert!(
                !text.contains(almanac::paths::forbidden),
                "a control character in {}",
                file.path
            );
        }
        if file.path == "feed.xml" || file.path == "sitemap.xml" {
            let mut reader = quick_xml::Reader::from_reader(bytes.as_slice());
            let mut buffer = Vec::new();
            loop {
                match reader.read_event_into(&mut buffer) {
                    Ok(quick_xml::events::Event::Eof) => break,
                    Ok(_) => buffer.clear(),
                    Err(error) => prop_assert!(false, "{} is not XML: {error}", file.path),
                }
            }
        }
    }
    Ok(Outcome::Built)
}

#[test]
fn front_matter_and_markdown() {
    let base = Base::load();
    fuzz("front matter and Markdown", case("entries"), |text| {
        let mut content = base.content();
        let shown = Path::new("content/guidance/fuzzed.md");
        let source = match content::decode(text.into_bytes(), shown) {
            Ok(source) => source,
            Err(problem) => return located(&[problem]),
        };
        match content::parse_markdown("guidance/fuzzed.md", source) {
            Ok(file) => content.files.push(file),
            Err(problems) => return located(&problems),
        }
        build(base.config.clone(), content, &base.theme)
    });
}

#[test]
fn almanac_yaml() {
    let base = Base::load();
    fuzz("almanac.yaml", case("config"), |text| {
        let source = SourceText::new("almanac.yaml", text);
        match config::parse(source) {
            Ok(config) => build(config, base.content(), &base.theme),
            Err(problems) => located(&problems),
        }
    });
}
