//! Everything a build writes is checked before it is written: a clash between any
//! two files (pages, pages of a list, aliases, Almanac's own files, files published
//! as they are) or a name no file system takes is a located error that `check`
//! and `build` both report, and the build then leaves the previous site as it was.

use crate::support::{almanac, edit, fixture, json_errors, read, write};

/// The fixture with `files` written over it: the errors `check --format json`
/// reports (code, file, line), after checking that `build` fails on them too.
pub(crate) fn clashes(files: &[(&str, &str)]) -> Vec<(String, String, u64)> {
    let dir = fixture("build/basic");
    let first = almanac(dir.path(), &["build"]);
    assert_eq!(first.status, 0, "{}", first.stderr);
    let before = read(&dir.path().join("site"), "index.html");
    for (rel, text) in files {
        write(dir.path(), rel, text);
    }
    let run = almanac(dir.path(), &["check", "--format", "json"]);
    let errors = json_errors(&run);
    let build = almanac(dir.path(), &["build"]);
    assert_eq!(
        build.status,
        i32::from(!errors.is_empty()),
        "check and build agree: {errors:?}\n{}",
        build.stderr
    );
    for (_, file, line) in &errors {
        assert!(
            build.stderr.contains(&format!("{file}:{line}:")),
            "the build names {file}:{line}:\n{}",
            build.stderr
        );
    }
    assert!(
        read(&dir.path().join("site"), "index.html") == before,
        "the previous site is left as it was ({errors:?})"
    );
    errors
}

pub(crate) fn one(code: &str, file: &str, line: u64) -> Vec<(String, String, u64)> {
    vec![(code.to_string(), file.to_string(), line)]
}

#[test]
fn a_page_of_a_list_and_an_entry_at_one_path() {
    // guidance/ lists three resources, two to a page: its page 2 is
    // /guidance/page/2/, which a folder `page` with an entry `2` also takes.
    assert_eq!(
        clashes(&[(
            "content/guidance/page/2.md",
            "---\ntitle: Two\nsummary: A clash.\ntype: guidance\n---\n"
        )]),
        one("duplicate-path", "content/guidance/page/2.md", 1)
    );
}

#[test]
fn aliases_may_not_take_almanacs_own_files() {
    for (alias, code) in [
        ("/feed.xml", "duplicate-path"),
        ("/404.html", "duplicate-path"),
        ("/.almanac-build", "reserved-path"),
    ] {
        let text = format!(
            "---\ntitle: Beta\nsummary: An alias.\ntype: guidance\nprinciples: [fairness]\naliases:\n  - {alias}\n---\n"
        );
        assert_eq!(
            clashes(&[("content/guidance/beta-guide.md", &text)]),
            one(code, "content/guidance/beta-guide.md", 7),
            "{alias}"
        );
    }
}

#[test]
fn published_files_may_not_take_a_pages_path() {
    assert_eq!(
        clashes(&[("static/index.html", "<p>A home of my own</p>")]),
        one("duplicate-path", "static/index.html", 1)
    );
    assert_eq!(
        clashes(&[("content/feed.xml", "<feed/>")]),
        one("duplicate-path", "content/feed.xml", 1)
    );
}

#[test]
fn a_name_too_long_for_a_file_system() {
    let slug = "a".repeat(300);
    let text = format!("---\ntitle: Long\nsummary: Long.\ntype: guidance\nslug: {slug}\n---\n");
    assert_eq!(
        clashes(&[("content/guidance/long.md", &text)]),
        one("path-too-long", "content/guidance/long.md", 5)
    );
}

#[test]
fn aliases_may_not_name_a_hidden_file_or_folder() {
    for alias in ["/.git/hooks/x/", "/.well-known/old/", "/old/.hidden.html"] {
        let text = format!(
            "---\ntitle: Beta\nsummary: An alias.\ntype: guidance\nprinciples: [fairness]\naliases:\n  - {alias}\n---\n"
        );
        assert_eq!(
            clashes(&[("content/guidance/beta-guide.md", &text)]),
            one("reserved-path", "content/guidance/beta-guide.md", 7),
            "{alias}"
        );
    }
}

#[test]
fn an_alias_never_writes_into_a_deploy_checkouts_git_folder() {
    let dir = fixture("build/basic");
    let site = dir.path().join("site");
    write(&site, ".git/HEAD", "ref: refs/heads/gh-pages\n");
    write(&site, ".git/hooks/pre-commit.sample", "#!/bin/sh\n");
    let run = almanac(dir.path(), &["build"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let git = crate::support::snapshot(&site.join(".git"));
    edit(
        dir.path(),
        "content/guidance/beta-guide.md",
        "title: Beta Guide",
        "title: Beta Guide\naliases: [/.git/hooks/post-checkout/]",
    );
    let run = almanac(dir.path(), &["build"]);
    assert_eq!(run.status, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("content/guidance/beta-guide.md:3:"),
        "{}",
        run.stderr
    );
    assert_eq!(crate::support::snapshot(&site.join(".git")), git);
}
