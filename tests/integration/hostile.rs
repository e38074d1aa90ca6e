//! Hostile and unlucky collections: links to files outside the collection, a
//! FIFO, a link to an endless device, control characters, formulas in CSV
//! cells, addresses that would break out of an attribute, a YAML error on a
//! line of megabytes. Each ends in a located error (or a neutral output), fast,
//! from `check` as from `build`, with nothing from outside published.

use std::fs;
use std::path::Path;

use crate::hardening::almanac_with;
use crate::support::{almanac, edit, fixture, read, snapshot, write};

const SECRET: &str = "root:x:0:0:secret-line-never-published";

/// `check` and `build` of `dir` both fail, naming `needles`, and the site built
/// before is left as it was; gives the build's messages.
pub(crate) fn refused(dir: &Path, needles: &[&str]) -> String {
    let site = dir.join("site");
    let before = site.exists().then(|| snapshot(&site));
    let check = almanac_with(dir, &["check"], &[]);
    let build = almanac_with(dir, &["build"], &[]);
    for run in [&check, &build] {
        assert_eq!(run.status, 1, "{}", run.stderr);
        for needle in needles {
            assert!(
                run.stderr.contains(needle),
                "expected `{needle}` in:\n{}",
                run.stderr
            );
        }
        assert!(!run.stderr.contains(SECRET), "{}", run.stderr);
    }
    if let Some(before) = before {
        assert_eq!(snapshot(&site), before);
    }
    build.stderr
}

pub(crate) fn built() -> tempfile::TempDir {
    let dir = fixture("build/basic");
    let run = almanac(dir.path(), &["build"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    dir
}

#[cfg(unix)]
#[test]
fn links_to_files_outside_the_collection_are_refused() {
    use std::os::unix::fs::symlink;
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("passwd");
    fs::write(&secret, format!("{SECRET}\n---\ntitle: x\n")).unwrap();
    fs::create_dir_all(outside.path().join("folder")).unwrap();
    fs::write(outside.path().join("folder/data.txt"), SECRET).unwrap();
    let cases: [(&str, &Path); 5] = [
        ("content/leak.txt", &secret),
        ("content/guidance/leak.md", &secret),
        ("content/linked", &outside.path().join("folder")),
        ("static/leak.txt", &secret),
        ("templates/page.html", &secret),
    ];
    for (rel, target) in cases {
        let dir = built();
        let _ = fs::remove_file(dir.path().join(rel));
        symlink(target, dir.path().join(rel)).unwrap();
        refused(dir.path(), &[rel, "leads outside the collection"]);
        let site = dir.path().join("site");
        assert!(
            snapshot(&site)
                .iter()
                .all(|(_, bytes)| !String::from_utf8_lossy(bytes).contains(SECRET))
        );
    }
    // A link that stays inside the collection is followed as before.
    let dir = built();
    symlink(
        dir.path().join("content/guidance/beta-guide.md"),
        dir.path().join("content/guidance/beta-again.md"),
    )
    .unwrap();
    let run = almanac(dir.path(), &["check"]);
    assert!(
        !run.stderr.contains("outside the collection"),
        "{}",
        run.stderr
    );
}

#[cfg(unix)]
#[test]
fn a_fifo_named_like_a_page_is_refused_without_waiting() {
    let dir = built();
    let fifo = dir.path().join("content/guidance/foo.md");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    refused(
        dir.path(),
        &["content/guidance/foo.md", "not a regular file"],
    );
    // In static/ too, where files are copied as they are.
    fs::remove_file(&fifo).unwrap();
    let fifo = dir.path().join("static/pipe.css");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let build = almanac_with(dir.path(), &["build"], &[]);
    assert_eq!(build.status, 1, "{}", build.stderr);
    assert!(build.stderr.contains("static/pipe.css"), "{}", build.stderr);
}

#[cfg(unix)]
#[test]
fn a_page_linked_to_an_endless_device_is_refused() {
    let dir = built();
    std::os::unix::fs::symlink("/dev/zero", dir.path().join("content/guidance/zero.md")).unwrap();
    refused(dir.path(), &["content/guidance/zero.md"]);
}

#[test]
fn control_characters_and_nul_are_located() {
    let dir = built();
    edit(
        dir.path(),
        "content/guidance/beta-guide.md",
        "title: Beta Guide",
        "title: Beta\u{7} Guide",
    );
    refused(
        dir.path(),
        &["content/guidance/beta-guide.md:2:12", "U+0007"],
    );
    let dir = built();
    edit(
        dir.path(),
        "content/guidance/beta-guide.md",
        "Fairness matters",
        "Fair\0ness matters",
    );
    refused(
        dir.path(),
        &["content/guidance/beta-guide.md:12:5", "U+0000"],
    );
}

#[test]
fn csv_cells_never_start_a_formula() {
    let dir = fixture("build/basic");
    edit(
        dir.path(),
        "content/guidance/beta-guide.md",
        "title: Beta Guide",
        "title: \"=HYPERLINK(\\\"https://evil.example/\\\",\\\"Beta\\\")\"",
    );
    edit(
        dir.path(),
        "content/guidance/beta-guide.md",
        "summary: A guide to fairness in procurement.",
        "summary: \"=cmd|' /C calc'!A0\"",
    );
    let run = almanac(dir.path(), &["build"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let csv = read(&dir.path().join("site"), "resources.csv");
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let mut seen = 0;
    for record in reader.records() {
        for cell in record.unwrap().iter() {
            assert!(
                !cell.starts_with(['=', '+', '-', '@']),
                "a live formula: {cell}"
            );
            if cell.contains("HYPERLINK") || cell.contains("cmd|") {
                assert!(cell.starts_with('\''), "{cell}");
                seen += 1;
            }
        }
    }
    assert_eq!(seen, 2, "{csv}");
}

#[test]
fn addresses_that_would_break_out_of_an_attribute_are_refused() {
    for (rel, from, to, needle) in [
        (
            "almanac.yaml",
            "base_url: https://example.org/library/",
            "base_url: https://example.org/\"><script>x</script>/",
            "almanac.yaml:3:",
        ),
        (
            "content/guidance/beta-guide.md",
            "url: https://beta.example.org/",
            "url: https://beta.example.org/\"onmouseover=\"x",
            "content/guidance/beta-guide.md:4:",
        ),
        (
            "content/guidance/beta-guide.md",
            "url: https://beta.example.org/",
            "url: https://beta.example.org/<b>",
            "content/guidance/beta-guide.md:4:",
        ),
    ] {
        let dir = built();
        edit(dir.path(), rel, from, to);
        refused(dir.path(), &[needle]);
    }
}

#[test]
fn paginate_by_zero_on_a_taxonomy_is_located() {
    let dir = built();
    edit(
        dir.path(),
        "almanac.yaml",
        "    paginate_by: 1",
        "    paginate_by: 0",
    );
    refused(
        dir.path(),
        &["almanac.yaml:21:18", "`paginate_by` must be at least 1"],
    );
}

#[test]
fn a_yaml_error_on_a_huge_line_is_said_briefly() {
    let dir = built();
    let line = "x".repeat(7 * 1024 * 1024 / 2);
    write(
        dir.path(),
        "content/guidance/huge-line.md",
        &format!("---\ntitle: [unclosed {line}\nsummary: x\n---\n"),
    );
    let stderr = refused(dir.path(), &["content/guidance/huge-line.md:"]);
    assert!(stderr.len() < 20_000, "{} bytes of messages", stderr.len());
}

#[test]
fn csv_data_cells_are_all_quoted_and_list_cells_neutralised() {
    let dir = fixture("build/basic");
    let beta = "content/guidance/beta-guide.md";
    edit(
        dir.path(),
        beta,
        "title: Beta Guide",
        "title: \"=HYPERLINK(\\\"https://evil.example/\\\",\\\"Beta\\\")\"",
    );
    edit(
        dir.path(),
        beta,
        "summary: A guide to fairness in procurement.",
        "summary: \"=cmd|' /C calc'!A0\"",
    );
    // A list cell: its items joined, the first one a formula.
    edit(
        dir.path(),
        beta,
        "publisher: [Beta Council, Beta Agency]",
        "publisher: [\"@SUM(1+1)\", Beta Agency]",
    );
    edit(
        dir.path(),
        beta,
        "topics: [procurement]",
        "topics: [\"-2+3\", procurement]",
    );
    let run = almanac(dir.path(), &["build"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let text = read(&dir.path().join("site"), "resources.csv");
    // The header stays bare; every data cell is quoted.
    assert!(text.starts_with("id,title,"), "{text}");
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let mut rows = 0;
    for record in reader.records() {
        let record = record.unwrap();
        let mut quoted = csv::WriterBuilder::new()
            .quote_style(csv::QuoteStyle::Always)
            .from_writer(Vec::new());
        quoted.write_record(&record).unwrap();
        let line = String::from_utf8(quoted.into_inner().unwrap()).unwrap();
        assert!(text.contains(&line), "not quoted as {line}in:\n{text}");
        for cell in record.iter() {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "{cell}"
            );
        }
        rows += 1;
    }
    assert_eq!(rows, 4, "{text}");
    for cell in [
        "\"'=HYPERLINK(\"\"https://evil.example/\"\",\"\"Beta\"\")\"",
        "\"'=cmd|' /C calc'!A0\"",
        "\"'@SUM(1+1); Beta Agency\"",
    ] {
        assert!(text.contains(cell), "no {cell} in:\n{text}");
    }
}

/// `xml` is XML 1.0: every character one it allows, and a parser reads it to
/// the end.
fn well_formed(name: &str, xml: &str) {
    assert!(
        !xml.chars()
            .any(|c| (c < ' ' && !matches!(c, '\t' | '\n' | '\r'))
                || c == '\u{fffe}'
                || c == '\u{ffff}'),
        "{name} holds a character XML 1.0 refuses"
    );
    let mut reader = quick_xml::Reader::from_str(xml);
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => {}
            Err(error) => panic!("{name} is not well-formed: {error}"),
        }
    }
}

#[test]
fn control_characters_written_as_escapes_or_references_reach_no_output() {
    let beta = "content/guidance/beta-guide.md";
    for (rel, from, to, at, code) in [
        (
            beta,
            "title: Beta Guide",
            "title: \"Beta\\u0007 Guide\"",
            "content/guidance/beta-guide.md:2:8",
            "U+0007",
        ),
        (
            beta,
            "publisher: [Beta Council, Beta Agency]",
            "publisher: [Beta Council, \"Beta\\0 Agency\"]",
            "content/guidance/beta-guide.md:5:27",
            "U+0000",
        ),
        (
            "almanac.yaml",
            "title: Fixture Library",
            "title: \"Fixture\\e Library\"",
            "almanac.yaml:1:8",
            "U+001B",
        ),
    ] {
        let dir = built();
        edit(dir.path(), rel, from, to);
        refused(dir.path(), &[at, code]);
    }
    // Interface strings are put in every page.
    let dir = built();
    write(dir.path(), "i18n/en.yaml", "search: \"Se\\u0007arch\"\n");
    refused(dir.path(), &["i18n/en.yaml:1:9", "U+0007"]);
    // A character reference in Markdown writes U+FFFD instead.
    let dir = fixture("build/basic");
    edit(
        dir.path(),
        beta,
        "Fairness matters",
        "Fair&#x7;ness &#0; [matters](https://e.example/ \"t&#x8;\")\n\n## A &#x1b; heading",
    );
    let run = almanac(dir.path(), &["build"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let site = dir.path().join("site");
    let page = read(&site, "guidance/beta-guide/index.html");
    assert!(page.contains("Fair\u{fffd}ness \u{fffd}"), "{page}");
    assert!(page.contains("title=\"t\u{fffd}\""), "{page}");
    assert!(page.contains("A \u{fffd} heading"), "{page}");
    assert!(!page.contains(|c: char| c < ' ' && !matches!(c, '\t' | '\n' | '\r')));
    for name in ["feed.xml", "sitemap.xml"] {
        well_formed(name, &read(&site, name));
    }
}

#[test]
fn an_output_inside_a_folder_the_build_reads_is_located_at_output() {
    for output in [
        "content/public",
        "static/site",
        "templates/out",
        "i18n/site",
        "themes/site",
        "site/../content/x",
    ] {
        let dir = built();
        edit(
            dir.path(),
            "almanac.yaml",
            "feed: { limit: 10 }",
            &format!("feed: {{ limit: 10 }}\noutput: {output}"),
        );
        refused(
            dir.path(),
            &["almanac.yaml:8:9", "`output` is inside the collection's"],
        );
        assert!(!dir.path().join(output).exists(), "{output}");
    }
}

#[test]
fn every_address_field_refuses_what_would_break_out_of_an_attribute() {
    let (config, feed) = ("almanac.yaml", "feed: { limit: 10 }");
    let (glossary, summary) = (
        "content/glossary/fairness.md",
        "summary: Treating people equitably.",
    );
    for (rel, after, added) in [
        (
            config,
            feed,
            "edit_url: 'https://forge.test/edit/\"><b>/{path}'",
        ),
        (
            config,
            feed,
            "issue_url: 'https://forge.test/new?title={title}&x=<b>'",
        ),
        (
            config,
            feed,
            "links:\n  archive: 'https://archive.test/ web/'",
        ),
        (
            config,
            feed,
            "links:\n  archive_api: 'https://archive.test/\"?url='",
        ),
        (
            config,
            feed,
            "catalog:\n  publisher_url: 'https://p.test/\"x'",
        ),
        (
            config,
            feed,
            "catalog:\n  contact: { url: 'https://c.test/<x>' }",
        ),
        (config, feed, "catalog:\n  licence: 'https://l.test/\"x'"),
        (
            glossary,
            summary,
            "sources:\n  - { title: A source, url: 'https://s.test/\"x' }",
        ),
        (
            glossary,
            summary,
            "sources:\n  - { title: A source, url: 'https://s.test/ x' }",
        ),
    ] {
        let dir = built();
        edit(dir.path(), rel, after, &format!("{after}\n{added}"));
        // Located at the value: its line, and the column of its opening quote.
        let text = read(dir.path(), rel);
        let (line, column) = text
            .lines()
            .enumerate()
            .find_map(|(i, l)| l.find('\'').map(|c| (i + 1, c + 1)))
            .unwrap();
        refused(dir.path(), &[&format!("{rel}:{line}:{column}")]);
    }
}

#[test]
fn a_proposals_address_must_be_a_web_address() {
    use crate::forms::filled;
    let dir = fixture("links/basic");
    let root = dir.path();
    assert_eq!(almanac(root, &["forms"]).status, 0);
    let text = read(root, ".github/ISSUE_TEMPLATE/propose-a-resource.yml");
    let form: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
    let body = |url: &str| {
        filled(&form, |id, _| {
            match id {
                "title" => "A hostile proposal",
                "url" => url,
                "section" => "Tools",
                "type" => "Tool",
                "principles" => "Transparency",
                "published" => "2021",
                _ => "_No response_",
            }
            .to_string()
        })
    };
    let made = root.join("content/tools/a-hostile-proposal.md");
    for url in [
        "https://example.org/\"><script>x</script>",
        "https://example.org/a b",
    ] {
        let body = body(url);
        write(root, "proposal.md", &body);
        let line = body.lines().position(|l| l == url).unwrap() + 1;
        let run = almanac(root, &["new", "--from-issue", "proposal.md"]);
        assert_eq!(run.status, 1, "{}", run.stderr);
        assert!(
            run.stderr
                .contains(&format!("proposal.md:{line}: the address “{url}”")),
            "{}",
            run.stderr
        );
        assert!(!made.exists());
    }
    // So must the issue it came from.
    write(root, "proposal.md", &body("https://example.org/atrs"));
    let run = almanac(
        root,
        &[
            "new",
            "--from-issue",
            "proposal.md",
            "--issue",
            "https://forge.test/issues/7\"><b>",
        ],
    );
    assert_eq!(run.status, 1, "{}", run.stderr);
    assert!(run.stderr.contains("`--issue`"), "{}", run.stderr);
    assert!(!made.exists());
    let run = almanac(root, &["new", "--from-issue", "proposal.md"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(made.exists());
}

#[test]
fn an_archived_copy_that_is_no_web_address_is_not_offered() {
    // The link cache is a file of the collection: edited by hand, or written
    // from an archive's odd answer.
    let dir = built();
    let url = "https://beta.example.org/";
    for archived in [
        "javascript:alert(1)",
        "https://archive.example/\"onmouseover=\"x",
    ] {
        let record = serde_json::json!({ "links": { url: {
            "checked": "2026-03-01T09:00:00Z",
            "status": "failed",
            "failures": 3,
            "archived": archived,
        } } });
        write(dir.path(), ".almanac/links.json", &record.to_string());
        let run = almanac(dir.path(), &["build"]);
        assert_eq!(run.status, 0, "{}", run.stderr);
        let page = read(&dir.path().join("site"), "guidance/beta-guide/index.html");
        assert!(page.contains("notice-broken-link"), "{page}");
        assert!(!page.contains("javascript:"), "{page}");
        assert!(!page.contains("onmouseover"), "{page}");
    }
}

#[test]
fn fix_links_writes_in_only_a_web_address() {
    let dir = built();
    let beta = "content/guidance/beta-guide.md";
    let before = read(dir.path(), beta);
    for moved_to in [
        "javascript:alert(1)",
        "https://beta.example/\"onmouseover=\"x",
    ] {
        let record = serde_json::json!({ "links": { "https://beta.example.org/": {
            "checked": "2026-03-01T09:00:00Z",
            "status": "redirected",
            "moved_to": moved_to,
        } } });
        write(dir.path(), ".almanac/links.json", &record.to_string());
        let run = almanac(dir.path(), &["fix-links"]);
        assert!(
            run.stderr.contains("which is not a web address"),
            "{}",
            run.stderr
        );
        assert_eq!(read(dir.path(), beta), before);
    }
}
