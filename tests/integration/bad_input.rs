//! Every bad input of the specification: a located, readable error naming the file,
//! line and column, exit status 1, all problems in one run, and nothing lost.

use std::fs;

use crate::support::{almanac, edit, fixture, read, snapshot, write};

/// Builds the fixture once, breaks it with `files`, and checks that `check` and
/// `build` both fail with status 1 and that the earlier site is still there.
fn broken(files: &[(&str, &str)]) -> String {
    let dir = fixture("build/basic");
    let good = almanac(dir.path(), &["build"]);
    assert_eq!(good.status, 0, "{}", good.stderr);
    let before = snapshot(&dir.path().join("site"));
    for (path, text) in files {
        write(dir.path(), path, text);
    }
    let check = almanac(dir.path(), &["check"]);
    assert_eq!(check.status, 1, "check should fail:\n{}", check.stderr);
    let build = almanac(dir.path(), &["build"]);
    assert_eq!(build.status, 1, "build should fail:\n{}", build.stderr);
    assert_eq!(
        snapshot(&dir.path().join("site")),
        before,
        "the previous site must be left as it was"
    );
    assert!(!check.stderr.contains("panicked"), "{}", check.stderr);
    check.stderr
}

fn assert_has(stderr: &str, needles: &[&str]) {
    for needle in needles {
        assert!(stderr.contains(needle), "expected `{needle}` in:\n{stderr}");
    }
}

#[test]
fn invalid_yaml() {
    let out = broken(&[(
        "content/guidance/beta-guide.md",
        "---\ntitle: Beta\nsummary: [unclosed\ntype: guidance\n---\n",
    )]);
    assert_has(
        &out,
        &["content/guidance/beta-guide.md:4:", "summary: [unclosed"],
    );
}

#[test]
fn front_matter_not_closed() {
    let out = broken(&[(
        "content/guidance/beta-guide.md",
        "---\ntitle: Beta\ntype: guidance\nBody text\n",
    )]);
    assert_has(
        &out,
        &[
            "content/guidance/beta-guide.md:1:1",
            "front matter is not closed",
            "---",
        ],
    );
}

#[test]
fn missing_title() {
    let out = broken(&[(
        "content/guidance/beta-guide.md",
        "---\nsummary: No title here.\ntype: guidance\n---\n",
    )]);
    assert_has(
        &out,
        &[
            "content/guidance/beta-guide.md:1:1",
            "has no title",
            "title:",
        ],
    );
}

#[test]
fn field_of_the_wrong_type() {
    let out = broken(&[(
        "content/guidance/beta-guide.md",
        "---\ntitle: Beta\ntype: guidance\nweight: heavy\npublished: last spring\n---\n",
    )]);
    assert_has(
        &out,
        &[
            "content/guidance/beta-guide.md:4:1",
            "`weight` must be a whole number",
            "content/guidance/beta-guide.md:5:12",
            "YYYY, YYYY-MM or YYYY-MM-DD",
        ],
    );
}

#[test]
fn unknown_field_with_a_suggestion() {
    let out = broken(&[(
        "content/guidance/beta-guide.md",
        "---\ntitle: Beta\ntype: guidance\nsumary: Typo.\n---\n",
    )]);
    assert_has(
        &out,
        &[
            "content/guidance/beta-guide.md:4:1",
            "unknown field `sumary`",
            "did you mean `summary`?",
        ],
    );
}

#[test]
fn unknown_term_in_a_controlled_vocabulary() {
    let out = broken(&[(
        "content/guidance/beta-guide.md",
        "---\ntitle: Beta\ntype: guidance\nprinciples: [fairness, transparancy]\n---\n",
    )]);
    assert_has(
        &out,
        &[
            "content/guidance/beta-guide.md:4:24",
            "`transparancy` is not a term of `principles`",
            "did you mean `transparency`?",
        ],
    );
}

#[test]
fn url_that_is_not_http() {
    let out = broken(&[(
        "content/guidance/beta-guide.md",
        "---\ntitle: Beta\ntype: guidance\nurl: javascript:alert(1)\n---\n",
    )]);
    assert_has(
        &out,
        &[
            "content/guidance/beta-guide.md:4:6",
            "must be an http or https address",
        ],
    );
}

#[test]
fn slug_or_alias_that_escapes_the_output() {
    let out = broken(&[(
        "content/guidance/beta-guide.md",
        "---\ntitle: Beta\ntype: guidance\nslug: ../../etc\naliases: [../../outside]\n---\n",
    )]);
    assert_has(
        &out,
        &[
            "content/guidance/beta-guide.md:4:7",
            "would put the page outside its section",
            "content/guidance/beta-guide.md:5:",
            "would be written outside the site",
        ],
    );
}

#[test]
fn two_entries_with_one_output_path() {
    let out = broken(&[(
        "content/guidance/zeta.md",
        "---\ntitle: Zeta\nsummary: Same slug.\ntype: guidance\nslug: beta-guide\n---\n",
    )]);
    assert_has(
        &out,
        &[
            "content/guidance/zeta.md:5:7",
            "/library/guidance/beta-guide/",
            "already uses",
        ],
    );
}

#[test]
fn link_and_related_to_nothing() {
    let out = broken(&[(
        "content/guidance/beta-guide.md",
        "---\ntitle: Beta\ntype: guidance\nrelated: [guidance/alpha-framwork.md]\n---\nSee [the standard](@/standards/gamma-standard.md) and [the section](@/guidance/alpha-framework.md#no-such-heading).\n",
    )]);
    assert_has(
        &out,
        &[
            "content/guidance/beta-guide.md:4:11",
            "did you mean `guidance/alpha-framework.md`?",
            "content/guidance/beta-guide.md:6:5",
            "did you mean `standards/technical/gamma-standard.md`?",
            "no heading with the id `no-such-heading`",
            "its headings are: how-to-use-it",
        ],
    );
}

/// A build lets go of each source once its body is rendered, unless the check may
/// need it: the problems it finds in links are placed and quoted as `check` does.
#[test]
fn a_build_places_link_problems_as_check_does() {
    let dir = fixture("build/basic");
    write(
        dir.path(),
        "content/guidance/beta-guide.md",
        "---\ntitle: Beta\ntype: guidance\n---\nFine [link](@/about.md) and a\n[missing](@/guidance/nowhere.md),\n[an anchor](#nowhere) and [code](javascript:alert(1)).\n",
    );
    let check = almanac(dir.path(), &["check"]);
    let build = almanac(dir.path(), &["build"]);
    assert_eq!((check.status, build.status), (1, 1), "{}", build.stderr);
    for place in [
        "content/guidance/beta-guide.md:6:1",
        "content/guidance/beta-guide.md:7:1",
        "content/guidance/beta-guide.md:7:27",
        "[an anchor](#nowhere)",
    ] {
        assert!(build.stderr.contains(place), "{place}:\n{}", build.stderr);
    }
    // The same problems, quoted the same; only the closing line differs.
    let problems = |stderr: &str| stderr.trim_end().rsplit_once('\n').unwrap().0.to_string();
    assert_eq!(problems(&build.stderr), problems(&check.stderr));
}

#[test]
fn duplicate_external_url_is_a_warning_unless_denied() {
    let dir = fixture("build/basic");
    write(
        dir.path(),
        "content/guidance/zeta.md",
        "---\ntitle: Zeta\nsummary: Same address.\ntype: guidance\nurl: https://beta.example.org/\n---\n",
    );
    let check = almanac(dir.path(), &["check"]);
    assert_eq!(check.status, 0, "{}", check.stderr);
    assert!(
        check.stderr.contains("content/guidance/zeta.md:5:1"),
        "{}",
        check.stderr
    );
    assert!(
        check.stderr.contains("already links to this address"),
        "{}",
        check.stderr
    );
    let denied = almanac(dir.path(), &["check", "--deny-warnings"]);
    assert_eq!(denied.status, 1);
    let build = almanac(dir.path(), &["build", "--deny-warnings"]);
    assert_eq!(build.status, 1);
}

#[test]
fn missing_summary_is_a_warning() {
    let dir = fixture("build/basic");
    write(
        dir.path(),
        "content/guidance/zeta.md",
        "---\ntitle: Zeta\ntype: guidance\n---\n",
    );
    let build = almanac(dir.path(), &["build"]);
    assert_eq!(build.status, 0, "{}", build.stderr);
    assert!(
        build.stderr.contains("content/guidance/zeta.md:2:1"),
        "{}",
        build.stderr
    );
    assert!(build.stderr.contains("no summary"), "{}", build.stderr);
}

#[test]
fn file_that_is_not_utf8() {
    let dir = fixture("build/basic");
    let mut bytes = b"---\ntitle: Caf".to_vec();
    bytes.extend([0xE9, b'\n']);
    bytes.extend(b"type: guidance\n---\n");
    fs::write(dir.path().join("content/guidance/latin1.md"), bytes).unwrap();
    let check = almanac(dir.path(), &["check"]);
    assert_eq!(check.status, 1);
    assert_has(
        &check.stderr,
        &["content/guidance/latin1.md:2:11", "not UTF-8", "0xE9"],
    );
}

#[test]
fn byte_order_mark_and_crlf_are_accepted() {
    let dir = fixture("build/basic");
    write(
        dir.path(),
        "content/guidance/windows.md",
        "\u{feff}---\r\ntitle: Windows Entry\r\nsummary: Saved on Windows.\r\ntype: guidance\r\n---\r\nLine one.\r\n",
    );
    let build = almanac(dir.path(), &["build"]);
    assert_eq!(build.status, 0, "{}", build.stderr);
    let html = read(&dir.path().join("site"), "guidance/windows/index.html");
    assert!(html.contains("Windows Entry") && !html.contains('\r'));
}

#[test]
fn empty_file() {
    let out = broken(&[("content/guidance/empty.md", "")]);
    assert_has(
        &out,
        &["content/guidance/empty.md:1:1", "the file is empty"],
    );
}

#[cfg(unix)]
#[test]
fn symlink_loop() {
    let dir = fixture("build/basic");
    std::os::unix::fs::symlink("..", dir.path().join("content/guidance/loop")).unwrap();
    let check = almanac(dir.path(), &["check"]);
    assert_eq!(check.status, 1, "{}", check.stderr);
    assert_has(&check.stderr, &["content/guidance/loop", "loops back"]);
}

#[test]
fn very_large_file() {
    let dir = fixture("build/basic");
    let mut text = String::from("---\ntitle: Huge\ntype: guidance\n---\n");
    text.push_str(&"word ".repeat(2 * 1024 * 1024));
    write(dir.path(), "content/guidance/huge.md", &text);
    let check = almanac(dir.path(), &["check"]);
    assert_eq!(check.status, 1);
    assert_has(&check.stderr, &["content/guidance/huge.md", "MiB"]);
}

#[test]
fn raw_html_is_kept_only_when_allowed() {
    let dir = fixture("build/basic");
    edit(
        dir.path(),
        "almanac.yaml",
        "language: en",
        "language: en\nmarkdown: { allow_html: true }",
    );
    let build = almanac(dir.path(), &["build"]);
    assert_eq!(build.status, 0, "{}", build.stderr);
    assert!(
        read(
            &dir.path().join("site"),
            "guidance/alpha-framework/index.html"
        )
        .contains("<script>alert(1)</script>")
    );
}

#[test]
fn all_problems_are_reported_in_one_run() {
    let out = broken(&[
        (
            "content/guidance/beta-guide.md",
            "---\ntitle: Beta\ntype: guidanse\n---\n",
        ),
        (
            "content/guidance/epsilon-notes.md",
            "---\ntitle: Epsilon\ntype: tool\nreviewd: 2020\n---\n",
        ),
    ]);
    assert_has(
        &out,
        &[
            "content/guidance/beta-guide.md:3:7",
            "did you mean `guidance`?",
            "content/guidance/epsilon-notes.md:4:1",
            "did you mean `reviewed`?",
            "2 errors",
        ],
    );
}

#[test]
fn config_problems_are_located_too() {
    let dir = fixture("build/basic");
    edit(dir.path(), "almanac.yaml", "paginate_by: 2", "paginate: 2");
    let check = almanac(dir.path(), &["check"]);
    assert_eq!(check.status, 1);
    assert_has(
        &check.stderr,
        &[
            "almanac.yaml:5:1",
            "unknown field `paginate`",
            "did you mean `paginate_by`?",
        ],
    );
}

#[test]
fn json_diagnostics_for_ci() {
    let dir = fixture("build/basic");
    write(
        dir.path(),
        "content/guidance/beta-guide.md",
        "---\ntitle: Beta\ntype: guidanse\n---\n",
    );
    let check = almanac(dir.path(), &["check", "--format", "json"]);
    assert_eq!(check.status, 1);
    let items: serde_json::Value = serde_json::from_str(&check.stdout).expect("JSON on stdout");
    let first = items
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["severity"] == "error")
        .expect("an error");
    assert_eq!(first["severity"], "error");
    assert_eq!(first["code"], "unknown-term");
    assert_eq!(first["file"], "content/guidance/beta-guide.md");
    assert_eq!(first["line"], 3);
    assert_eq!(first["column"], 7);
    assert_eq!(first["help"], "did you mean `guidance`?");
}

/// A tiny HTTP server on loopback that answers 200 for `/ok` and 404 otherwise,
/// for as long as the test runs.
fn loopback_server() -> String {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut request_line = String::new();
            let _ = reader.read_line(&mut request_line);
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                line.clear();
            }
            let status = if request_line.contains(" /ok ") {
                "200 OK"
            } else {
                "404 Not Found"
            };
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            );
        }
    });
    base
}

/// An address is reported broken once it has failed on two runs of the check (a
/// server having a bad minute is not a dead link), at the place it is written.
#[test]
fn external_addresses_that_fail_are_reported_where_written() {
    let base = loopback_server();
    // The fixture's addresses point at the test's server.
    let dir = fixture("check/external-links");
    let page = read(dir.path(), "content/guidance/a.md").replace("http://links.example", &base);
    write(dir.path(), "content/guidance/a.md", &page);
    let plain = almanac(dir.path(), &["check"]);
    assert_eq!(plain.status, 0, "{}", plain.stderr);
    let args = ["check", "--external", "--timeout", "5", "--deny-warnings"];
    let first = almanac(dir.path(), &args);
    assert_eq!(
        first.status, 0,
        "one failure is not yet broken: {}",
        first.stderr
    );
    let run = almanac(dir.path(), &args);
    assert_eq!(run.status, 1, "{}", run.stderr);
    assert_has(
        &run.stderr,
        &[
            "content/guidance/a.md:4:6",
            "/gone` is broken: it answered with HTTP status 404",
        ],
    );
    assert!(!run.stderr.contains("/ok`"), "{}", run.stderr);
}

#[test]
fn invalid_yaml_in_a_section_index() {
    let out = broken(&[(
        "content/guidance/_index.md",
        "---\ntitle: Guidance\nsort_by: [title\n---\n",
    )]);
    assert_has(&out, &["content/guidance/_index.md:4:", "sort_by: [title"]);
}
