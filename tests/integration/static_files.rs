//! The collection's `static/` folder: its `.well-known/` is published, any other
//! hidden file or folder is a located warning, and files at the search index's
//! hashed names are located errors.

use std::path::Path;

use crate::outputs::{clashes, one};
use crate::support::{almanac, fixture, json_errors, read, write};

/// The warnings of `check --format json` with `code`: (file, message).
fn warnings(dir: &Path, code: &str) -> Vec<(String, String)> {
    let run = almanac(dir, &["check", "--format", "json"]);
    let found: Vec<serde_json::Value> = serde_json::from_str(&run.stdout).unwrap();
    found
        .iter()
        .filter(|d| d["severity"] == "warning" && d["code"] == code)
        .map(|d| {
            (
                d["file"].as_str().unwrap_or("").to_string(),
                d["message"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

#[test]
fn static_well_known_is_published_and_other_hidden_files_are_warned_of() {
    let dir = fixture("build/basic");
    let site = dir.path().join("site");
    let security = "Contact: mailto:security@example.org\nExpires: 2030-01-01T00:00:00Z\n";
    write(dir.path(), "static/.well-known/security.txt", security);
    write(dir.path(), "static/.well-known/.draft.txt", "not yet");
    write(dir.path(), "static/.env", "SECRET=1\n");
    write(dir.path(), "static/.drafts/notes.txt", "notes\n");
    write(dir.path(), "static/css/.backup.css", "body {}\n");
    let run = almanac(dir.path(), &["build"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert_eq!(read(&site, ".well-known/security.txt"), security);
    for unpublished in [
        ".env",
        ".drafts",
        "css/.backup.css",
        ".well-known/.draft.txt",
    ] {
        assert!(!site.join(unpublished).exists(), "{unpublished}");
    }
    for file in ["static/.env", "static/.drafts", "static/css/.backup.css"] {
        assert!(
            run.stderr.contains(&format!("{file}:1:1")) && run.stderr.contains("not published"),
            "{file}: {}",
            run.stderr
        );
    }
    let found = warnings(dir.path(), "hidden-static");
    let files: Vec<&str> = found.iter().map(|(file, _)| file.as_str()).collect();
    assert_eq!(
        files,
        [
            "static/.drafts",
            "static/.env",
            "static/.well-known/.draft.txt",
            "static/css/.backup.css"
        ]
    );
    assert!(found[0].1.contains("hidden folder"), "{found:?}");

    // Built again over the site, then without the file: it is the build's own.
    let again = almanac(dir.path(), &["build"]);
    assert_eq!(again.status, 0, "{}", again.stderr);
    std::fs::remove_file(dir.path().join("static/.well-known/security.txt")).unwrap();
    let without = almanac(dir.path(), &["build"]);
    assert_eq!(without.status, 0, "{}", without.stderr);
    assert!(!site.join(".well-known/security.txt").exists());
}

#[test]
fn a_static_file_at_the_search_indexs_name_is_a_located_error() {
    // The index's name as the build of this fixture writes it (the same bytes
    // each time), and a name of that form with another hash.
    let dir = fixture("build/basic");
    let run = almanac(dir.path(), &["build"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let name = crate::support::search_index_file(&dir.path().join("site")).unwrap();
    let hash = name.trim_start_matches("index.").trim_end_matches(".bin");
    for file in [
        format!("static/search/{name}"),
        format!("static/search/index.{hash}/0.bin"),
        "static/search/index.0123456789abcdef.bin".to_string(),
    ] {
        assert_eq!(
            clashes(&[(&file, "not an index")]),
            one("reserved-path", &file, 1),
            "{file}"
        );
    }
    // Other names in search/ are the theme's to override, as before.
    assert_eq!(clashes(&[("static/search/index.old.bin", "x")]), []);
}

/// The errors of `check --format json`: (code, file).
fn errors(dir: &Path) -> Vec<(String, String)> {
    let run = almanac(dir, &["check", "--format", "json"]);
    assert_eq!(run.status, 1, "{}", run.stderr);
    json_errors(&run)
        .into_iter()
        .map(|(code, file, _)| (code, file))
        .collect()
}

#[test]
#[cfg(unix)]
fn a_static_file_that_cannot_be_read_is_located_by_check_as_by_build() {
    let dir = fixture("build/basic");
    let config = read(dir.path(), "almanac.yaml");
    write(
        dir.path(),
        "almanac.yaml",
        &format!("{config}\ntheme: mine\n"),
    );
    write(dir.path(), "themes/mine/static/site.css", "body {}\n");
    // Larger than a build copies (sparse: it takes no room on the disk).
    let big = dir.path().join("themes/mine/static/big.bin");
    std::fs::File::create(&big)
        .unwrap()
        .set_len(1100 * 1024 * 1024)
        .unwrap();
    std::os::unix::fs::symlink(
        dir.path().join("nowhere"),
        dir.path().join("themes/mine/static/gone.css"),
    )
    .unwrap();
    let found = errors(dir.path());
    assert_eq!(
        found,
        [
            (
                "too-large".to_string(),
                "themes/mine/static/big.bin".to_string()
            ),
            ("io".to_string(), "themes/mine/static/gone.css".to_string()),
        ]
    );
    let build = almanac(dir.path(), &["build"]);
    assert_eq!(build.status, 1, "{}", build.stderr);
    for (_, file) in &found {
        assert!(
            build.stderr.contains(&format!("{file}:1:1")),
            "{file}: {}",
            build.stderr
        );
    }
    assert!(!dir.path().join("site").exists());
}
