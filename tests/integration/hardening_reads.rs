//! What a build reads besides the collection's content, when it is not what it
//! should be: the files a build keeps beside and in its output (marker, list of
//! files, swap journal, citation memo, lock), the link cache, the archetypes and
//! sources `new` starts from. A FIFO, a link to an endless device or a link out
//! of the collection in their place is refused (or, for what only saves time,
//! ignored) at once: never waited on, read forever, or followed outside.

#![cfg(unix)]

use std::fs;
use std::os::unix::fs::symlink;
use std::path::Path;

use crate::hardening::almanac_with;
use crate::support::{almanac, fixture, read, snapshot, write};

const SECRET: &str = "secret-line-from-outside-the-collection";

/// Puts something at a path: a FIFO, a link.
type Make<'a> = &'a dyn Fn(&Path);

/// Makes a FIFO at `path`, which a plain read would wait on forever.
pub fn mkfifo(path: &Path) {
    let made = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo runs");
    assert!(made.success(), "mkfifo {}", path.display());
}

/// What can stand where a file should be: a FIFO, a link to an endless device.
#[derive(Clone, Copy, Debug)]
enum Special {
    Fifo,
    Zero,
}

fn put(special: Special, path: &Path) {
    let _ = fs::remove_file(path);
    match special {
        Special::Fifo => mkfifo(path),
        Special::Zero => symlink("/dev/zero", path).unwrap(),
    }
}

fn built() -> tempfile::TempDir {
    let dir = fixture("build/basic");
    let run = almanac(dir.path(), &["build"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    dir
}

#[test]
fn files_a_build_keeps_only_to_save_time_are_ignored_when_not_plain_files() {
    let dir = built();
    let site = dir.path().join("site");
    let expected = snapshot(&site);
    for name in [".site.almanac-files", ".site.almanac-citations"] {
        for special in [Special::Fifo, Special::Zero] {
            let path = dir.path().join(name);
            put(special, &path);
            let run = almanac_with(dir.path(), &["build"], &[]);
            assert_eq!(run.status, 0, "{name} {special:?}: {}", run.stderr);
            assert!(snapshot(&site) == expected, "{name} {special:?}");
            // Written again as a plain file, not through the link.
            let meta = fs::symlink_metadata(&path);
            assert!(meta.is_ok_and(|m| m.is_file()), "{name} {special:?}");
        }
    }
}

#[test]
fn the_marker_journal_and_lock_are_refused_when_not_plain_files() {
    for special in [Special::Fifo, Special::Zero] {
        for (name, shown) in [
            ("site/.almanac-build", ".almanac-build"),
            (".site.almanac-swap", ".site.almanac-swap"),
            (".site.almanac-lock", ".site.almanac-lock"),
        ] {
            let dir = built();
            let site = dir.path().join("site");
            put(special, &dir.path().join(name));
            let before = snapshot(&site);
            let run = almanac_with(dir.path(), &["build"], &[]);
            assert_eq!(run.status, 1, "{name} {special:?}: {}", run.stderr);
            assert!(run.stderr.contains(shown), "{}", run.stderr);
            if name != ".site.almanac-lock" {
                assert!(run.stderr.contains("not a regular file"), "{}", run.stderr);
            }
            assert!(snapshot(&site) == before, "{name} {special:?}");
        }
    }
    // A lock linked to a file elsewhere is not created or written through.
    let dir = built();
    let elsewhere = tempfile::tempdir().unwrap();
    let target = elsewhere.path().join("made-by-the-build");
    fs::remove_file(dir.path().join(".site.almanac-lock")).unwrap();
    symlink(&target, dir.path().join(".site.almanac-lock")).unwrap();
    let run = almanac_with(dir.path(), &["build"], &[]);
    assert_eq!(run.status, 1, "{}", run.stderr);
    assert!(run.stderr.contains(".site.almanac-lock"), "{}", run.stderr);
    assert!(!target.exists());
}

#[test]
fn the_link_cache_is_read_within_the_collection() {
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("links.json");
    fs::write(&secret, format!("{{\"links\": {{}}, \"{SECRET}\": 1}}\n")).unwrap();
    let cases: [(&str, Make<'_>); 3] = [
        ("not a regular file", &|p| mkfifo(p)),
        // Outside the collection too.
        ("leads outside the collection", &|p| {
            symlink("/dev/zero", p).unwrap()
        }),
        ("leads outside the collection", &|p| {
            symlink(&secret, p).unwrap()
        }),
    ];
    for (needle, make) in cases {
        let dir = fixture("build/basic");
        fs::create_dir_all(dir.path().join(".almanac")).unwrap();
        make(&dir.path().join(".almanac/links.json"));
        for command in ["check", "build"] {
            let run = almanac_with(dir.path(), &[command], &[]);
            assert_eq!(run.status, 1, "{command}: {}", run.stderr);
            assert!(run.stderr.contains(".almanac/links.json"), "{}", run.stderr);
            assert!(run.stderr.contains(needle), "{}", run.stderr);
            assert!(!run.stderr.contains(SECRET), "{}", run.stderr);
        }
    }
    // A cache linked from inside the collection is read as before.
    let dir = fixture("build/basic");
    write(dir.path(), "shared/links.json", "{\"links\": {}}\n");
    fs::create_dir_all(dir.path().join(".almanac")).unwrap();
    symlink(
        dir.path().join("shared/links.json"),
        dir.path().join(".almanac/links.json"),
    )
    .unwrap();
    let run = almanac_with(dir.path(), &["check"], &[]);
    assert_eq!(run.status, 0, "{}", run.stderr);
}

#[test]
fn new_reads_archetypes_within_the_collection() {
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("archetype.md");
    fs::write(&secret, format!("---\ntitle: {SECRET}\n---\n")).unwrap();
    let cases: [(&str, &str, Make<'_>); 3] = [
        ("archetypes/guidance.md", "not a regular file", &|p| {
            mkfifo(p)
        }),
        (
            "archetypes/default.md",
            "leads outside the collection",
            &|p| symlink("/dev/zero", p).unwrap(),
        ),
        (
            "archetypes/guidance.md",
            "leads outside the collection",
            &|p| symlink(&secret, p).unwrap(),
        ),
    ];
    for (archetype, needle, make) in cases {
        let dir = fixture("build/basic");
        fs::create_dir_all(dir.path().join("archetypes")).unwrap();
        make(&dir.path().join(archetype));
        let run = almanac_with(dir.path(), &["new", "guidance/data-canvas"], &[]);
        assert_eq!(run.status, 1, "{archetype}: {}", run.stderr);
        assert!(run.stderr.contains(archetype), "{}", run.stderr);
        assert!(run.stderr.contains(needle), "{}", run.stderr);
        assert!(!run.stderr.contains(SECRET), "{}", run.stderr);
        assert!(!dir.path().join("content/guidance/data-canvas.md").exists());
    }
    // A link left where the new file goes is not written through.
    let dir = fixture("build/basic");
    let target = outside.path().join("written-outside.md");
    symlink(&target, dir.path().join("content/guidance/data-canvas.md")).unwrap();
    let run = almanac_with(dir.path(), &["new", "guidance/data-canvas"], &[]);
    assert_eq!(run.status, 1, "{}", run.stderr);
    assert!(run.stderr.contains("already exists"), "{}", run.stderr);
    assert!(!target.exists());
}

#[test]
fn new_writes_no_entry_into_a_section_linked_out_of_the_collection() {
    let outside = tempfile::tempdir().unwrap();
    let dir = fixture("build/basic");
    // A sub-section that is a link to a folder outside, and a section that is one.
    symlink(outside.path(), dir.path().join("content/guidance/shared")).unwrap();
    let run = almanac_with(dir.path(), &["new", "guidance/shared/data-canvas"], &[]);
    assert_eq!(run.status, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("content/guidance/shared"),
        "{}",
        run.stderr
    );
    // A write refused: the message does not say a read was.
    assert!(
        run.stderr
            .contains("leads outside the collection; nothing was written through it"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("not read"), "{}", run.stderr);
    fs::remove_file(dir.path().join("content/guidance/shared")).unwrap();
    fs::write(
        outside.path().join("_index.md"),
        "---\ntitle: Elsewhere\n---\n",
    )
    .unwrap();
    symlink(outside.path(), dir.path().join("content/elsewhere")).unwrap();
    let run = almanac_with(dir.path(), &["new", "elsewhere/data-canvas"], &[]);
    assert_eq!(run.status, 1, "{}", run.stderr);
    assert!(run.stderr.contains("content/elsewhere"), "{}", run.stderr);
    assert_eq!(fs::read_dir(outside.path()).unwrap().count(), 1);
    // Inside the collection, a linked section is written into as before.
    fs::create_dir_all(dir.path().join("more")).unwrap();
    fs::write(dir.path().join("more/_index.md"), "---\ntitle: More\n---\n").unwrap();
    symlink(dir.path().join("more"), dir.path().join("content/more")).unwrap();
    let run = almanac_with(dir.path(), &["new", "more/data-canvas"], &[]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(dir.path().join("more/data-canvas.md").is_file());
}

#[test]
fn new_reads_a_translations_source_within_the_collection() {
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("source.md");
    fs::write(&secret, format!("---\ntitle: {SECRET}\n---\n{SECRET}\n")).unwrap();
    let source = "content/guidance/zeta-handbook.md";
    let cases: [(&str, Make<'_>); 2] = [
        ("not a regular file", &|p| mkfifo(p)),
        ("leads outside the collection", &|p| {
            symlink(&secret, p).unwrap()
        }),
    ];
    for (needle, make) in cases {
        let dir = fixture("languages/basic");
        let path = dir.path().join(source);
        fs::remove_file(&path).unwrap();
        make(&path);
        let run = almanac_with(
            dir.path(),
            &["new", "guidance/zeta-handbook", "--lang", "fr"],
            &[],
        );
        assert_eq!(run.status, 1, "{}", run.stderr);
        assert!(run.stderr.contains(source), "{}", run.stderr);
        assert!(run.stderr.contains(needle), "{}", run.stderr);
        assert!(!run.stderr.contains(SECRET), "{}", run.stderr);
        let target = dir.path().join("content/guidance/zeta-handbook.fr.md");
        assert!(fs::symlink_metadata(target).is_err());
    }
    // The source read as before otherwise.
    let dir = fixture("languages/basic");
    let run = almanac(
        dir.path(),
        &["new", "guidance/zeta-handbook", "--lang", "fr"],
    );
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(read(dir.path(), "content/guidance/zeta-handbook.fr.md").contains("draft: true"));
}

#[test]
fn a_folder_listed_in_trusted_paths_may_be_linked_into() {
    let shared = tempfile::tempdir().unwrap();
    write(shared.path(), "assets/brand.css", "body { color: teal }\n");
    let dir = fixture("build/basic");
    symlink(
        shared.path().join("assets"),
        dir.path().join("static/brand"),
    )
    .unwrap();
    let run = almanac_with(dir.path(), &["build"], &[]);
    assert_eq!(run.status, 1, "{}", run.stderr);
    for needle in [
        "static/brand",
        "leads outside the collection",
        "trusted_paths",
    ] {
        assert!(run.stderr.contains(needle), "{needle}: {}", run.stderr);
    }
    let config = read(dir.path(), "almanac.yaml").trim_end().to_string();
    let shared_path = shared.path().canonicalize().unwrap();
    write(
        dir.path(),
        "almanac.yaml",
        &format!("{config}\ntrusted_paths: [\"{}\"]\n", shared_path.display()),
    );
    let run = almanac_with(dir.path(), &["build"], &[]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert_eq!(
        read(&dir.path().join("site"), "brand/brand.css"),
        "body { color: teal }\n"
    );
    // Written as a relative path, or the root folder: a located error.
    let line = config.lines().count() + 1;
    for (listed, needle) in [
        ("shared/assets", "not an absolute path"),
        ("/", "may not list the root folder"),
    ] {
        write(
            dir.path(),
            "almanac.yaml",
            &format!("{config}\ntrusted_paths: [\"{listed}\"]\n"),
        );
        let run = almanac_with(dir.path(), &["check"], &[]);
        assert_eq!(run.status, 1, "{}", run.stderr);
        assert!(run.stderr.contains(needle), "{}", run.stderr);
        let place = format!("almanac.yaml:{line}:17");
        assert!(run.stderr.contains(&place), "{place}: {}", run.stderr);
    }
}

#[test]
fn search_reads_the_built_index_only_from_plain_files() {
    let dir = built();
    let folder = dir.path().join("site/search");
    let chunks: Vec<_> = fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.is_dir()
                && p.file_name()
                    .unwrap()
                    .to_string_lossy()
                    .starts_with("index.")
        })
        .flat_map(|d| fs::read_dir(d).unwrap().map(|e| e.unwrap().path()))
        .collect();
    assert!(!chunks.is_empty());
    for special in [Special::Fifo, Special::Zero] {
        for chunk in &chunks {
            put(special, chunk);
        }
        let run = almanac_with(dir.path(), &["search", "guide"], &[]);
        assert_eq!(run.status, 1, "{special:?}: {}", run.stderr);
        assert!(
            run.stderr.contains("the search index cannot be read"),
            "{}",
            run.stderr
        );
        assert!(run.stderr.contains("not a regular file"), "{}", run.stderr);
    }
}

#[test]
fn the_spare_staging_folder_is_never_written_through() {
    let outside = tempfile::tempdir().unwrap();
    let victim = outside.path().join("victim.html");
    let page = "guidance/beta-guide/index.html";
    let retitle = |root: &Path, title: &str| {
        let rel = "content/guidance/beta-guide.md";
        let text = read(root, rel);
        let old = text.lines().find(|l| l.starts_with("title: ")).unwrap();
        write(
            root,
            rel,
            &text.replacen(old, &format!("title: {title}"), 1),
        );
    };
    for case in ["file link", "folder link", "fifo"] {
        fs::write(&victim, "precious").unwrap();
        let dir = built();
        // A second build leaves the files it replaced in the spare folder.
        retitle(dir.path(), "Beta Once");
        assert_eq!(almanac(dir.path(), &["build"]).status, 0);
        let spare = dir.path().join(".site.almanac-spare");
        assert!(spare.join(page).is_file(), "{case}");
        match case {
            "file link" => {
                fs::remove_file(spare.join(page)).unwrap();
                symlink(&victim, spare.join(page)).unwrap();
            }
            "folder link" => {
                fs::remove_dir_all(spare.join("guidance")).unwrap();
                symlink(outside.path(), spare.join("guidance")).unwrap();
            }
            _ => {
                fs::remove_file(spare.join(page)).unwrap();
                mkfifo(&spare.join(page));
            }
        }
        retitle(dir.path(), "Beta Twice");
        let run = almanac_with(dir.path(), &["build"], &[]);
        assert_eq!(run.status, 0, "{case}: {}", run.stderr);
        assert!(read(&dir.path().join("site"), page).contains("Beta Twice"));
        assert_eq!(fs::read_to_string(&victim).unwrap(), "precious", "{case}");
        let names: Vec<_> = fs::read_dir(outside.path()).unwrap().collect();
        assert_eq!(names.len(), 1, "{case}: only the victim is outside");
    }
}

#[test]
fn a_proposal_is_not_written_through_a_link_where_its_entry_goes() {
    let dir = fixture("links/basic");
    let root = dir.path();
    assert_eq!(almanac(root, &["forms"]).status, 0);
    let form = read(root, ".github/ISSUE_TEMPLATE/propose-a-resource.yml");
    let form: serde_yaml::Value = serde_yaml::from_str(&form).unwrap();
    let body = crate::forms::filled(&form, |id, _| {
        match id {
            "title" => "Algorithmic Transparency Recording Standard",
            "url" => "https://example.org/atrs",
            "section" => "Tools",
            "summary" => "How public bodies publish what their algorithmic tools do.",
            "publisher" => "Central Digital and Data Office",
            "published" => "2021",
            "type" => "Tool",
            "principles" => "Transparency",
            _ => "_No response_",
        }
        .to_string()
    });
    write(root, "proposal.md", &body);
    let outside = tempfile::tempdir().unwrap();
    let victim = outside.path().join("written-outside.md");
    let entry = "content/tools/algorithmic-transparency-recording-standard.md";
    symlink(&victim, root.join(entry)).unwrap();
    let run = almanac_with(root, &["new", "--from-issue", "proposal.md"], &[]);
    assert_eq!(run.status, 1, "{}", run.stderr);
    assert!(run.stderr.contains("already exists"), "{}", run.stderr);
    assert!(!victim.exists());
    // Without the link, the entry is written.
    fs::remove_file(root.join(entry)).unwrap();
    let run = almanac_with(root, &["new", "--from-issue", "proposal.md"], &[]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(read(root, entry).contains("Algorithmic Transparency Recording Standard"));
}

#[test]
fn a_folder_where_a_file_is_read_is_called_a_folder() {
    let dir = fixture("build/basic");
    let config = read(dir.path(), "almanac.yaml");
    write(dir.path(), "almanac.yaml", &format!("{config}\ntheme: t\n"));
    fs::create_dir_all(dir.path().join("themes/t/theme.yaml")).unwrap();
    for command in ["check", "build"] {
        let run = almanac(dir.path(), &[command]);
        assert_eq!(run.status, 1, "{}", run.stderr);
        assert!(
            run.stderr
                .contains("this is a folder where a file is expected")
                && run.stderr.contains("themes/t/theme.yaml:1:1"),
            "{command}: {}",
            run.stderr
        );
        assert!(!run.stderr.contains("pipe, socket"), "{}", run.stderr);
    }
}
