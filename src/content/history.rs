//! When each file of `content/` last changed in git: the time of the newest commit
//! that touched it, read with one `git log` over the folder. Outside a git checkout
//! (or without git) there is no history, and the checks that need it say so.

use std::collections::HashMap;
use std::path::Path;
use std::process::Command;

/// The commit time (seconds since 1970) of the newest commit of each file, by path
/// relative to `content/`. Uncommitted edits are not counted.
#[derive(Debug, Default)]
pub struct History {
    changed: HashMap<String, i64>,
}

impl History {
    pub fn last_commit(&self, rel: &str) -> Option<i64> {
        self.changed.get(rel).copied()
    }
}

/// The history of `root/content`, or `None` when `root` is not in a git checkout.
pub fn read(root: &Path) -> Option<History> {
    let output = Command::new("git")
        .arg("-C")
        .arg(root)
        .args([
            "log",
            "--relative",
            "--no-renames",
            "--format=%x00%ct",
            "--name-only",
            "--",
            "content",
        ])
        .output()
        .ok()?;
    if !output.status.success() {
        return None;
    }
    Some(parse(&String::from_utf8_lossy(&output.stdout)))
}

/// `git log` prints the newest commit first: each file's first time is its last change.
fn parse(log: &str) -> History {
    let mut history = History::default();
    for commit in log.split('\0').filter(|c| !c.trim().is_empty()) {
        let mut lines = commit.lines();
        let Some(time) = lines.next().and_then(|t| t.trim().parse::<i64>().ok()) else {
            continue;
        };
        for path in lines.map(str::trim).filter(|p| !p.is_empty()) {
            if let Some(rel) = path.strip_prefix("content/") {
                history.changed.entry(rel.to_string()).or_insert(time);
            }
        }
    }
    history
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_newest_commit_of_each_file_counts() {
        let log = "\u{0}300\n\ncontent/a.fr.md\n\u{0}200\n\ncontent/a.md\ncontent/a.fr.md\n\u{0}100\n\ncontent/b.md\n";
        let history = parse(log);
        assert_eq!(history.last_commit("a.fr.md"), Some(300));
        assert_eq!(history.last_commit("a.md"), Some(200));
        assert_eq!(history.last_commit("b.md"), Some(100));
        assert_eq!(history.last_commit("c.md"), None);
    }
}
