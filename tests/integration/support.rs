//! Helpers shared by the integration tests: fixtures copied into fresh temporary
//! folders, the `almanac` binary run on them, files read back.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub struct Run {
    pub status: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs the binary with `args` in `dir`.
pub fn almanac(dir: &Path, args: &[&str]) -> Run {
    almanac_env(dir, args, &[])
}

/// Runs the binary with `args` in `dir`, with these environment variables set.
pub fn almanac_env(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let output: Output = Command::new(env!("CARGO_BIN_EXE_almanac"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .envs(env.iter().copied())
        .output()
        .expect("the almanac binary runs");
    Run {
        status: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// The errors of a `check --format json` run: each one's code, file and line.
pub fn json_errors(run: &Run) -> Vec<(String, String, u64)> {
    let found: Vec<serde_json::Value> = serde_json::from_str(&run.stdout).unwrap();
    found
        .iter()
        .filter(|d| d["severity"] == "error")
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["file"].as_str().unwrap_or("").to_string(),
                d["line"].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

/// The repository's root folder (the example collection, the theme, the fixtures).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixture_path(name: &str) -> PathBuf {
    repo().join("tests/fixtures").join(name)
}

/// A temporary copy of a fixture collection, so tests can change and build it freely.
pub fn fixture(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary folder");
    copy_dir(&fixture_path(name), dir.path());
    dir
}

pub fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

pub fn write(dir: &Path, rel: &str, text: &str) {
    let path = dir.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

/// Rewrites a file by a text replacement, which must apply: a replacement that
/// silently finds nothing would leave a test checking the unchanged file.
pub fn edit(dir: &Path, rel: &str, from: &str, to: &str) {
    let text = read(dir, rel);
    assert!(text.contains(from), "`{from}` is not in {rel}");
    write(dir, rel, &text.replacen(from, to, 1));
}

pub fn read(dir: &Path, rel: &str) -> String {
    fs::read_to_string(dir.join(rel)).unwrap_or_else(|e| panic!("cannot read {rel}: {e}"))
}

/// Every file under `dir` with its bytes, by relative path. A link is not
/// followed and a FIFO or device not opened (reading one could wait or run
/// forever): each stands as a line saying what it is.
pub fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    collect(dir, dir, &mut files);
    files.sort();
    files
}

fn collect(root: &Path, dir: &Path, files: &mut Vec<(String, Vec<u8>)>) {
    for entry in fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        let path = entry.path();
        let kind = entry.file_type().unwrap();
        if kind.is_dir() {
            collect(root, &path, files);
        } else {
            let rel = path
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            let bytes = if kind.is_file() {
                fs::read(&path).unwrap()
            } else if kind.is_symlink() {
                let target = fs::read_link(&path).unwrap();
                format!("(link to {})", target.display()).into_bytes()
            } else {
                b"(not a regular file)".to_vec()
            };
            files.push((rel, bytes));
        }
    }
}

/// The name of the search index a built site publishes, `index.<hash>.bin` in
/// its `search/` folder.
pub fn search_index_file(site: &Path) -> Option<String> {
    fs::read_dir(site.join("search"))
        .ok()?
        .filter_map(|entry| entry.ok())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .find(|name| name.starts_with("index.") && name.ends_with(".bin"))
}

/// The text of the first `<title>` of a page.
pub fn title_of(html: &str) -> &str {
    let start = html.find("<title>").map(|i| i + 7).expect("a <title>");
    let end = html[start..].find("</title>").expect("a closed <title>") + start;
    &html[start..end]
}

/// Every `href="…"` value of a page.
pub fn hrefs(html: &str) -> Vec<String> {
    html.split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(|s| s.replace("&amp;", "&"))
        .collect()
}

/// Runs git in `dir` with a fixed identity and commit time.
pub fn git(dir: &Path, args: &[&str], time: &str) {
    let status = std::process::Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "Curator")
        .env("GIT_AUTHOR_EMAIL", "curator@example.org")
        .env("GIT_COMMITTER_NAME", "Curator")
        .env("GIT_COMMITTER_EMAIL", "curator@example.org")
        .env("GIT_AUTHOR_DATE", time)
        .env("GIT_COMMITTER_DATE", time)
        .status()
        .expect("git runs");
    assert!(status.success(), "git {args:?}");
}
