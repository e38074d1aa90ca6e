//! Tests of the disk sink: sites in turn, foreign files, stopped builds, links
//! inside the output, outputs inside the collection.

use super::*;

/// Writes the site into `dir`, replacing what an earlier build left there.
fn write(dir: &Path, files: &[OutputFile]) -> Result<(), OutputError> {
    let root = dir.parent().unwrap().join("collection");
    let writer = Writer::begin(dir, &root)?;
    for file in files {
        writer.put(file.clone())?;
    }
    writer.finish().map(|_| ())
}

fn files_under(dir: &Path) -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = crate::content::relative(dir, e.path());
            (rel, fs::read_to_string(e.path()).unwrap())
        })
        .filter(|(rel, _)| rel != MARKER)
        .collect();
    files.sort();
    files
}

fn site(files: &[(&str, &str)]) -> Vec<OutputFile> {
    files
        .iter()
        .map(|(path, text)| OutputFile::text(*path, text.to_string()))
        .collect()
}

fn expected(files: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut expected: Vec<(String, String)> = files
        .iter()
        .map(|(p, t)| (p.to_string(), t.to_string()))
        .collect();
    expected.sort();
    expected
}

/// What is beside the output once a build is done: the lock and the manifest.
fn beside(tmp: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(tmp)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "site")
        .collect();
    names.sort();
    names
}

#[test]
fn the_output_is_exactly_each_site_in_turn() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let one = [
        ("a/index.html", "one"),
        ("b/c/index.html", "bc"),
        ("x", "x"),
    ];
    let two = [("a/index.html", "two"), ("x/index.html", "folder now")];
    let three = [("a/index.html", "two"), ("b/c/index.html", "back")];
    for files in [&one[..], &two[..], &three[..], &one[..], &two[..]] {
        write(&out, &site(files)).unwrap();
        assert_eq!(files_under(&out), expected(files));
        let mut names = beside(tmp.path());
        names.retain(|n| n != ".site.almanac-spare");
        assert_eq!(names, [".site.almanac-files", ".site.almanac-lock"]);
    }
    assert!(!out.join("b").exists(), "stale folders go with their files");
    // A file edited by hand in the output is put right although its size is
    // the same: its time no longer matches the manifest.
    std::thread::sleep(std::time::Duration::from_millis(20));
    fs::write(out.join("a/index.html"), "TWO").unwrap();
    write(&out, &site(&two)).unwrap();
    assert_eq!(fs::read_to_string(out.join("a/index.html")).unwrap(), "two");
    // The marker lists the files, the same bytes for the same site.
    let marker = fs::read_to_string(out.join(MARKER)).unwrap();
    assert!(marker.ends_with("a/index.html\nx/index.html\n"), "{marker}");
}

#[test]
fn foreign_files_are_never_moved_replaced_or_removed() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    // A fresh deploy checkout holds only hidden entries.
    fs::create_dir_all(out.join(".git/refs")).unwrap();
    fs::write(out.join(".git/HEAD"), "ref").unwrap();
    write(&out, &site(&[("index.html", "one"), ("a/b.html", "b")])).unwrap();
    fs::write(out.join("CNAME"), "example.org").unwrap();
    fs::write(out.join("a/mine.txt"), "hand-made").unwrap();
    write(&out, &site(&[("index.html", "two")])).unwrap();
    write(&out, &site(&[("index.html", "three"), ("c.html", "c")])).unwrap();
    assert_eq!(fs::read_to_string(out.join(".git/HEAD")).unwrap(), "ref");
    assert_eq!(
        fs::read_to_string(out.join("CNAME")).unwrap(),
        "example.org"
    );
    assert_eq!(
        fs::read_to_string(out.join("a/mine.txt")).unwrap(),
        "hand-made"
    );
    assert!(!out.join("a/b.html").exists());
    // A page where a foreign file is: refused, the file and the site kept.
    let before = files_under(&out);
    let error = write(&out, &site(&[("CNAME", "page")])).unwrap_err();
    assert!(matches!(error, OutputError::Foreign(_)), "{error}");
    assert_eq!(files_under(&out), before);
    // A folder with a foreign file where a page must be: refused too.
    let error = write(&out, &site(&[("a", "page")])).unwrap_err();
    assert!(matches!(error, OutputError::Foreign(_)), "{error}");
    assert_eq!(files_under(&out), before);
    // A folder that no build made and holds visible files is refused whole.
    let foreign = tmp.path().join("docs");
    fs::create_dir_all(&foreign).unwrap();
    fs::write(foreign.join("precious.txt"), "keep").unwrap();
    let error = write(&foreign, &site(&[("x", "")])).unwrap_err();
    assert!(matches!(error, OutputError::NotOurs(_)));
}

#[test]
fn a_stopped_build_leaves_the_output_and_no_staging() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    write(&out, &site(&[("a/index.html", "one"), ("z.txt", "z")])).unwrap();
    let writer = Writer::begin(&out, &tmp.path().join("c")).unwrap();
    writer.put(OutputFile::text("new.txt", "n".into())).unwrap();
    drop(writer);
    assert_eq!(
        files_under(&out),
        expected(&[("a/index.html", "one"), ("z.txt", "z")])
    );
    assert_eq!(
        beside(tmp.path()),
        [
            ".site.almanac-files",
            ".site.almanac-lock",
            ".site.almanac-spare"
        ]
    );
}

#[cfg(unix)]
#[test]
fn a_linked_folder_in_the_output_is_never_written_through() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    write(
        &out,
        &site(&[("a/index.html", "one"), ("b/index.html", "b")]),
    )
    .unwrap();
    let elsewhere = tmp.path().join("elsewhere");
    fs::create_dir_all(&elsewhere).unwrap();
    fs::remove_dir_all(out.join("a")).unwrap();
    std::os::unix::fs::symlink(&elsewhere, out.join("a")).unwrap();
    let error = write(&out, &site(&[("a/index.html", "two")])).unwrap_err();
    assert!(matches!(error, OutputError::Symlink(_)), "{error}");
    assert_eq!(fs::read_dir(&elsewhere).unwrap().count(), 0);
}

#[test]
fn an_output_inside_a_folder_the_build_reads_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("collection");
    for inside in ["content/public", "static", "themes/x/static/site"] {
        let error = Writer::begin(&root.join(inside), &root).err().unwrap();
        assert!(matches!(error, OutputError::InCollection { .. }), "{error}");
    }
    assert!(!root.exists(), "nothing was made");
    // `site/sub/..` is `site`, and nothing is left inside the site.
    let writer = Writer::begin(&root.join("site/sub/.."), &root).unwrap();
    writer
        .put(OutputFile::text("index.html", "x".into()))
        .unwrap();
    writer.finish().unwrap();
    let mut names: Vec<String> = fs::read_dir(root.join("site"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, [MARKER, "index.html"]);
}

#[cfg(unix)]
#[test]
fn a_copied_file_that_became_a_fifo_or_a_link_out_is_not_read() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("collection");
    fs::create_dir_all(root.join("static")).unwrap();
    let fifo = root.join("static/pipe.css");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    assert!(made.unwrap().success());
    fs::write(tmp.path().join("secret.txt"), "secret").unwrap();
    let out_link = root.join("static/leak.css");
    std::os::unix::fs::symlink(tmp.path().join("secret.txt"), &out_link).unwrap();
    let zero = root.join("static/zero.css");
    std::os::unix::fs::symlink("/dev/zero", &zero).unwrap();
    let plain = root.join("static/plain.css");
    fs::write(&plain, "ok").unwrap();
    let in_link = root.join("static/again.css");
    std::os::unix::fs::symlink(&plain, &in_link).unwrap();
    let out = tmp.path().join("site");
    for (from, readable) in [
        (&fifo, false),
        (&out_link, false),
        (&zero, false),
        (&plain, true),
        (&in_link, true),
    ] {
        let writer = Writer::begin(&out, &root).unwrap();
        let put = writer.put_copy(OutputFile::copy("x.css", from));
        if readable {
            put.unwrap();
            writer.finish().unwrap();
            assert_eq!(fs::read(out.join("x.css")).unwrap(), b"ok");
        } else {
            let error = put.unwrap_err();
            assert!(matches!(error, OutputError::Read { .. }), "{error}");
        }
    }
}
