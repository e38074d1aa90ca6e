//! The output under concurrency, crashes and deploy checkouts: two builds of
//! different content into one output at once, a build killed at each step of
//! putting its site in place, `.git` and `CNAME` in a deploy checkout, a linked
//! folder inside the output, and outputs inside the collection.

use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use crate::support::{Run, almanac, edit, fixture, read, snapshot, write};

/// Runs the binary with `args` and `env` in `dir`; fails if it runs for a minute
/// (a hang is a failure, not a stuck test).
pub fn almanac_with(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_almanac"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the almanac binary runs");
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            panic!("almanac {args:?} ran for a minute");
        }
        thread::sleep(Duration::from_millis(20));
    }
    let output = child.wait_with_output().unwrap();
    Run {
        status: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// The site a build of `dir` makes into a fresh folder, file by file.
fn clean_build(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let out = dir.join("clean-site");
    let run = almanac(dir, &["build", "--output", out.to_str().unwrap()]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let files = snapshot(&out);
    fs::remove_dir_all(&out).unwrap();
    files
}

/// The entries beside `site` in `parent` that a build left, but its lock, list and
/// spare staging folder.
fn leftovers(parent: &Path) -> Vec<String> {
    fs::read_dir(parent)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| {
            n.starts_with(".site.")
                && ![
                    ".site.almanac-lock",
                    ".site.almanac-files",
                    ".site.almanac-spare",
                    ".site.almanac-citations",
                ]
                .contains(&n.as_str())
        })
        .collect()
}

#[test]
fn two_builds_of_different_content_into_one_output() {
    let shared = tempfile::tempdir().unwrap();
    let out = shared.path().join("site");
    let out_arg = out.to_str().unwrap();
    let first = fixture("build/basic");
    let second = fixture("build/basic");
    edit(
        second.path(),
        "content/guidance/beta-guide.md",
        "title: Beta Guide",
        "title: Second Beta",
    );
    fs::remove_file(second.path().join("content/guidance/epsilon-notes.md")).unwrap();
    let expected = clean_build(second.path());
    let one = {
        let dir = first.path().to_path_buf();
        let out = out_arg.to_string();
        // The first holds the lock long enough for the second to come meanwhile.
        thread::spawn(move || {
            almanac_with(
                &dir,
                &["build", "--output", &out],
                &[("ALMANAC_HOLD_LOCK_MS", "2500")],
            )
        })
    };
    let lock = shared.path().join(".site.almanac-lock");
    let started = Instant::now();
    while !lock.exists() {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the first build started"
        );
        thread::sleep(Duration::from_millis(10));
    }
    thread::sleep(Duration::from_millis(300));
    let two = almanac_with(second.path(), &["build", "--output", out_arg], &[]);
    let one = one.join().unwrap();
    assert_eq!(one.status, 0, "{}", one.stderr);
    assert_eq!(two.status, 0, "{}", two.stderr);
    assert!(
        two.stderr.contains("another build is writing"),
        "{}",
        two.stderr
    );
    // The second waited for the first: the output is its site, exactly.
    assert_eq!(snapshot(&out), expected);
    assert!(
        leftovers(shared.path()).is_empty(),
        "{:?}",
        leftovers(shared.path())
    );
    let again = almanac_with(first.path(), &["build", "--output", out_arg], &[]);
    assert_eq!(again.status, 0, "{}", again.stderr);
    assert_eq!(snapshot(&out), clean_build(first.path()));
}

#[test]
fn a_deploy_checkout_keeps_its_git_folder_and_cname() {
    let dir = fixture("build/basic");
    let run = almanac(dir.path(), &["build"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let site = dir.path().join("site");
    // The deploy branch carries the marker of the build it was made from.
    write(&site, ".git/HEAD", "ref: refs/heads/gh-pages\n");
    write(&site, ".git/objects/ab/cdef", "an unpushed commit");
    write(&site, "CNAME", "ethics.example.org\n");
    write(&site, "notes/by-hand.html", "<p>Added by hand</p>");
    let mut summary = "summary: A guide to fairness in procurement.".to_string();
    for title in ["First Change", "Second Change"] {
        let next = format!("summary: {title}.");
        edit(
            dir.path(),
            "content/guidance/beta-guide.md",
            &summary,
            &next,
        );
        summary = next;
        let run = almanac(dir.path(), &["build"]);
        assert_eq!(run.status, 0, "{}", run.stderr);
        assert!(read(&site, "guidance/beta-guide/index.html").contains(title));
        assert_eq!(read(&site, ".git/HEAD"), "ref: refs/heads/gh-pages\n");
        assert_eq!(read(&site, ".git/objects/ab/cdef"), "an unpushed commit");
        assert_eq!(read(&site, "CNAME"), "ethics.example.org\n");
        assert_eq!(read(&site, "notes/by-hand.html"), "<p>Added by hand</p>");
    }
    // A page where a hand-added file is: refused, the file kept, the site intact.
    write(dir.path(), "static/CNAME", "other.example.org\n");
    let before = snapshot(&site);
    let run = almanac(dir.path(), &["build"]);
    assert_eq!(run.status, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("CNAME was not written by an Almanac build"),
        "{}",
        run.stderr
    );
    assert_eq!(snapshot(&site), before);
}

#[test]
fn a_fresh_checkout_with_only_git_is_an_output() {
    let dir = fixture("build/basic");
    write(dir.path(), "site/.git/HEAD", "ref: refs/heads/gh-pages\n");
    let run = almanac(dir.path(), &["build"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert_eq!(
        read(&dir.path().join("site"), ".git/HEAD"),
        "ref: refs/heads/gh-pages\n"
    );
    let marker = read(&dir.path().join("site"), ".almanac-build");
    assert!(marker.lines().any(|l| l == "index.html"), "{marker}");
    assert!(!marker.lines().any(|l| l.starts_with(".git")), "{marker}");
}

#[cfg(debug_assertions)]
#[test]
fn a_build_killed_while_putting_its_site_in_place_is_completed_by_the_next() {
    let dir = fixture("build/basic");
    let site = dir.path().join("site");
    let run = almanac(dir.path(), &["build"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let old = snapshot(&site);
    // Pages changed, one gone (a stale file to delete), one new.
    let change = |root: &Path| {
        edit(
            root,
            "content/guidance/beta-guide.md",
            "title: Beta Guide",
            "title: Beta Renamed",
        );
        fs::remove_file(root.join("content/guidance/epsilon-notes.md")).unwrap();
        write(
            root,
            "content/guidance/zeta.md",
            "---\ntitle: Zeta\nsummary: New.\ntype: guidance\n---\nNew.\n",
        );
    };
    change(dir.path());
    let new = clean_build(dir.path());
    let mut killed = 0;
    for step in [1, 2, 5, 20, 60] {
        // Back to the old site, then a build stopped after `step` steps.
        let stopped = almanac_with(
            dir.path(),
            &["build"],
            &[("ALMANAC_STOP_SWAP_AFTER", &step.to_string())],
        );
        if stopped.status == 0 {
            // Fewer steps than that: the build finished.
            assert_eq!(snapshot(&site), new);
        } else {
            killed += 1;
            // The output is there, marked, with a home page, old or new.
            assert!(site.join(".almanac-build").is_file(), "step {step}");
            assert!(site.join("index.html").is_file(), "step {step}");
            let next = almanac_with(dir.path(), &["build"], &[]);
            assert_eq!(next.status, 0, "{}", next.stderr);
            assert!(
                next.stderr.contains("has been completed"),
                "{}",
                next.stderr
            );
            assert_eq!(snapshot(&site), new, "step {step}");
        }
        assert!(
            leftovers(dir.path()).is_empty(),
            "{:?}",
            leftovers(dir.path())
        );
        // Back to the old content and site for the next step.
        let back = fixture("build/basic");
        for rel in [
            "content/guidance/beta-guide.md",
            "content/guidance/epsilon-notes.md",
        ] {
            fs::copy(back.path().join(rel), dir.path().join(rel)).unwrap();
        }
        fs::remove_file(dir.path().join("content/guidance/zeta.md")).unwrap();
        assert_eq!(almanac(dir.path(), &["build"]).status, 0);
        assert_eq!(snapshot(&site), old);
        change(dir.path());
    }
    assert!(killed >= 3, "the build was stopped at several steps");
}

#[cfg(unix)]
#[test]
fn a_folder_of_the_output_replaced_by_a_link_is_never_written_through() {
    let dir = fixture("build/basic");
    let run = almanac(dir.path(), &["build"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let site = dir.path().join("site");
    let elsewhere = tempfile::tempdir().unwrap();
    fs::remove_dir_all(site.join("guidance")).unwrap();
    std::os::unix::fs::symlink(elsewhere.path(), site.join("guidance")).unwrap();
    let run = almanac(dir.path(), &["build"]);
    assert_eq!(run.status, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("is a symbolic link inside the output"),
        "{}",
        run.stderr
    );
    assert_eq!(fs::read_dir(elsewhere.path()).unwrap().count(), 0);
}

#[test]
fn an_output_inside_the_collection_is_refused_and_dot_dot_is_resolved() {
    let dir = fixture("build/basic");
    for inside in [
        "content/public",
        "static/site",
        "templates/out",
        "i18n/x",
        "themes/t/site",
    ] {
        let run = almanac(dir.path(), &["build", "--output", inside]);
        assert_eq!(run.status, 1, "{inside}: {}", run.stderr);
        assert!(
            run.stderr.contains("inside the collection's"),
            "{}",
            run.stderr
        );
        assert!(!dir.path().join(inside).exists(), "{inside}");
    }
    let run = almanac(dir.path(), &["build", "--output", "site/sub/.."]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let run = almanac(dir.path(), &["build", "--output", "site/sub/.."]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let site = dir.path().join("site");
    assert!(site.join("index.html").is_file());
    assert!(!site.join("sub").exists());
    let hidden: Vec<String> = fs::read_dir(&site)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert_eq!(hidden, [".almanac-build"], "no staging inside the site");
    assert!(leftovers(dir.path()).is_empty());
}

#[test]
fn a_marker_naming_files_outside_the_output_deletes_none_of_them() {
    let dir = fixture("build/basic");
    let run = almanac(dir.path(), &["build"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let site = dir.path().join("site");
    // A deploy branch's marker, edited by someone else: it lists files that are
    // not the site's, by an absolute path and by climbing out.
    // Named without a leading dot, as a home folder's files are.
    let elsewhere = tempfile::Builder::new()
        .prefix("outside")
        .tempdir()
        .unwrap();
    let victim = elsewhere.path().join("notes.txt");
    assert!(!victim.to_string_lossy().contains("/."));
    fs::write(&victim, "a curator's notes").unwrap();
    write(dir.path(), "beside.txt", "kept");
    let marker = site.join(".almanac-build");
    let mut text = fs::read_to_string(&marker).unwrap();
    text.push_str(&format!(
        "{}\n../beside.txt\nabout/../../beside.txt\n",
        victim.display()
    ));
    fs::write(&marker, text).unwrap();
    let expected = clean_build(dir.path());
    for _ in 0..2 {
        let run = almanac(dir.path(), &["build"]);
        assert_eq!(run.status, 0, "{}", run.stderr);
        assert_eq!(read(elsewhere.path(), "notes.txt"), "a curator's notes");
        assert_eq!(read(dir.path(), "beside.txt"), "kept");
        assert_eq!(snapshot(&site), expected);
    }
}

#[cfg(unix)]
#[test]
fn an_output_that_is_a_link_is_built_in_the_folder_it_leads_to() {
    let dir = fixture("build/basic");
    let published = dir.path().join("published");
    let expected = clean_build(dir.path());
    let run = almanac(dir.path(), &["build", "--output", "published"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    // `site` leads to the folder a web server publishes, say.
    std::os::unix::fs::symlink(&published, dir.path().join("site")).unwrap();
    for _ in 0..2 {
        let run = almanac(dir.path(), &["build"]);
        assert_eq!(run.status, 0, "{}", run.stderr);
        assert_eq!(snapshot(&published), expected);
    }
    assert!(
        fs::symlink_metadata(dir.path().join("site"))
            .unwrap()
            .is_symlink()
    );
    // One folder, one lock and one staging place, by either name: no journal or
    // staging folder named after the link is left behind.
    assert!(
        leftovers(dir.path()).is_empty(),
        "{:?}",
        leftovers(dir.path())
    );
    assert!(!dir.path().join(".site.almanac-lock").exists());
}

#[test]
fn a_deploy_checkout_marked_by_an_older_version_keeps_its_files() {
    let dir = fixture("build/basic");
    let run = almanac(dir.path(), &["build"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let site = dir.path().join("site");
    // A fresh clone of a deploy branch that an older version built: its marker
    // lists no files, and no list of files lies beside the clone.
    write(
        &site,
        ".almanac-build",
        "This folder is written by `almanac build` and replaced whole on every build.\n",
    );
    fs::remove_file(dir.path().join(".site.almanac-files")).unwrap();
    write(&site, ".git/HEAD", "ref: refs/heads/gh-pages\n");
    write(&site, "CNAME", "ethics.example.org\n");
    write(&site, "notes/by-hand.html", "<p>Added by hand</p>");
    for _ in 0..2 {
        let run = almanac(dir.path(), &["build"]);
        assert_eq!(run.status, 0, "{}", run.stderr);
        assert_eq!(read(&site, "CNAME"), "ethics.example.org\n");
        assert_eq!(read(&site, "notes/by-hand.html"), "<p>Added by hand</p>");
        assert_eq!(read(&site, ".git/HEAD"), "ref: refs/heads/gh-pages\n");
    }
    // The marker now lists the build's files, and only those.
    let marker = read(&site, ".almanac-build");
    assert!(marker.lines().any(|l| l == "index.html"), "{marker}");
    assert!(!marker.lines().any(|l| l == "CNAME"), "{marker}");
}
