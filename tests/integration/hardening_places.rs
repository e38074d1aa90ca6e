//! Every place a build reads, each with what should never be read in it: a link
//! out of the collection (to a file or a folder holding files of the right names),
//! a FIFO, a link to an endless device. `check` and `build` both refuse each at
//! its place, at once, with nothing from outside printed or published: almanac.yaml
//! itself, content/ and its folders, static/, templates/, i18n/ and a theme's files
//! and folders.

#![cfg(unix)]

use std::fs;
use std::os::unix::fs::symlink;
use std::path::Path;

use crate::hardening_reads::mkfifo;
use crate::hostile::refused;
use crate::support::{almanac, copy_dir, edit, fixture, repo};

const SECRET: &str = "root:x:0:0:secret-line-never-published";

/// A folder outside the collection: a file, and a folder whose files bear the
/// names a build reads (`page.html`, `en.yaml`, `style.css`, …).
fn outside() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("secret"),
        format!("{SECRET}\n---\ntitle: x\n"),
    )
    .unwrap();
    let folder = dir.path().join("folder");
    for sub in ["", "templates", "static", "i18n", "guidance"] {
        fs::create_dir_all(folder.join(sub)).unwrap();
        for name in [
            "page.html",
            "base.html",
            "en.yaml",
            "style.css",
            "extra.css",
            "theme.yaml",
            "_index.md",
            "beta-guide.md",
        ] {
            let text = format!("---\ntitle: {SECRET}\n---\n{SECRET}\n");
            fs::write(folder.join(sub).join(name), text).unwrap();
        }
    }
    dir
}

/// The fixture, built, with the default theme copied to themes/t and chosen.
fn collection() -> tempfile::TempDir {
    let dir = fixture("build/basic");
    copy_dir(&repo().join("themes/default"), &dir.path().join("themes/t"));
    edit(
        dir.path(),
        "almanac.yaml",
        "language: en",
        "language: en\ntheme: t",
    );
    fs::create_dir_all(dir.path().join("i18n")).unwrap();
    fs::write(dir.path().join("i18n/en.yaml"), "number:\n  group: \",\"\n").unwrap();
    let run = almanac(dir.path(), &["build"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    dir
}

/// Puts something where a file was: a link, a FIFO.
type Put<'a> = &'a dyn Fn(&Path);

fn replace(path: &Path, by: impl FnOnce(&Path)) {
    if path.is_dir() {
        fs::remove_dir_all(path).unwrap();
    } else {
        let _ = fs::remove_file(path);
    }
    by(path);
}

#[test]
fn every_file_a_build_reads_is_refused_when_linked_out_or_special() {
    let out = outside();
    for rel in [
        "almanac.yaml",
        "content/_index.md",
        "content/guidance/beta-guide.md",
        "static/extra.css",
        "templates/page.html",
        "i18n/en.yaml",
        "themes/t/theme.yaml",
        "themes/t/templates/base.html",
        "themes/t/static/style.css",
        "themes/t/i18n/en.yaml",
    ] {
        let secret = out.path().join("secret");
        let ways: [(&str, Put); 3] = [
            ("leads outside the collection", &|p| {
                symlink(&secret, p).unwrap()
            }),
            ("not a regular file", &|p| mkfifo(p)),
            ("leads outside the collection", &|p| {
                symlink("/dev/zero", p).unwrap()
            }),
        ];
        for (said, way) in ways {
            let dir = collection();
            replace(&dir.path().join(rel), way);
            refused(dir.path(), &[rel, said]);
        }
    }
}

#[test]
fn every_folder_a_build_reads_is_refused_when_linked_out() {
    let out = outside();
    for rel in [
        "content/guidance",
        "static",
        "templates",
        "i18n",
        "themes/t",
        "themes/t/templates",
        "themes/t/static",
    ] {
        let dir = collection();
        replace(&dir.path().join(rel), |p| {
            symlink(out.path().join("folder"), p).unwrap()
        });
        refused(dir.path(), &[rel, "leads outside the collection"]);
    }
}
