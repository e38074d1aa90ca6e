//! What the dev server knows of the collection on disk: the changed paths of a save
//! sorted by what they invalidate ([`Changes`]), and the Markdown files of
//! `content/` as last read ([`Mirror`]), updated file by file as they change.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::content::{self, Asset, SourceFile};
use crate::diagnostics::Diagnostic;

/// What changed on disk, sorted by what it invalidates.
#[derive(Debug, Default)]
pub struct Changes {
    pub config: bool,
    /// Changed paths under `content/` (absolute).
    pub content: Vec<PathBuf>,
    pub templates: bool,
    pub statics: bool,
    /// Top-level folders that the watcher should start following (created late).
    pub new_top_folders: Vec<PathBuf>,
    /// The paths, for the one-line report.
    pub paths: Vec<PathBuf>,
}

impl Changes {
    /// Everything, for the first build.
    pub fn everything() -> Changes {
        Changes {
            config: true,
            ..Changes::default()
        }
    }

    /// Sorts changed paths under `root` by what they invalidate; the others are ignored.
    pub fn classify(root: &Path, paths: &[PathBuf]) -> Changes {
        let mut changes = Changes::default();
        for path in paths {
            let Ok(rel) = path.strip_prefix(root) else {
                continue;
            };
            let parts: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            // Editors' swap and backup files, and hidden folders, never matter;
            // but static/.well-known/ is published.
            let published = parts.len() > 2 && parts[0] == "static" && parts[1] == ".well-known";
            let from = if published { 2 } else { 0 };
            if parts[from..]
                .iter()
                .any(|p| p.starts_with('.') || p.ends_with('~'))
            {
                continue;
            }
            let Some(top) = parts.first() else { continue };
            let relevant = match top.as_str() {
                "almanac.yaml" if parts.len() == 1 => {
                    changes.config = true;
                    true
                }
                "content" => {
                    changes.content.push(path.clone());
                    true
                }
                // Interface strings are part of the theme.
                "templates" | "i18n" => {
                    changes.templates = true;
                    true
                }
                "static" => {
                    changes.statics = true;
                    true
                }
                "themes" => {
                    // `themes/<name>/static/...` only adds or changes files to copy.
                    if parts.get(2).map(String::as_str) == Some("static") {
                        changes.statics = true;
                    } else {
                        changes.templates = true;
                    }
                    true
                }
                _ => false,
            };
            if relevant {
                if parts.len() == 1 && path.is_dir() {
                    changes.new_top_folders.push(path.clone());
                }
                changes.paths.push(path.clone());
            }
        }
        changes
    }

    pub fn is_empty(&self) -> bool {
        !self.config && self.content.is_empty() && !self.templates && !self.statics
    }

    /// "content/guidance/x.md changed", "3 files changed".
    pub fn describe(&self, root: &Path) -> String {
        match self.paths.as_slice() {
            [] => "rebuilt".to_string(),
            [one] => format!("{} changed", super::shown(root, one)),
            many => format!("{} files changed", many.len()),
        }
    }
}

/// What a change of `content/` read: content paths of Markdown files re-read, added
/// and removed.
#[derive(Default)]
pub struct ContentUpdate {
    pub reread: Vec<String>,
    pub added: Vec<String>,
    pub removed: Vec<String>,
}

/// The Markdown files of `content/` as last read, the folders and the assets.
#[derive(Default)]
pub struct Mirror {
    /// Markdown files by path relative to `content/`, or the problems reading them.
    files: BTreeMap<String, Result<SourceFile, Vec<Diagnostic>>>,
    pub dirs: Vec<String>,
    pub assets: Vec<Asset>,
    /// Problems of the walk itself (symlink loops, unreadable folders).
    walk_problems: Vec<Diagnostic>,
    /// Whether the last walk found no `content/` folder: its return is then a
    /// change like any other, not a listing of a known folder.
    content_missing: bool,
}

impl Mirror {
    /// A file as last read, if it could be read and parsed.
    pub fn file(&self, rel: &str) -> Option<&SourceFile> {
        self.files.get(rel)?.as_ref().ok()
    }

    /// Reads the whole of `content/`.
    pub fn walk(&mut self, root: &Path) {
        let content = content::load(root);
        self.content_missing = !root.join("content").is_dir();
        self.files.clear();
        for file in content.files {
            self.files.insert(file.rel.clone(), Ok(file));
        }
        // File problems belong to their file, so that re-reading it clears them.
        self.walk_problems.clear();
        for problem in content.diagnostics {
            match problem
                .location
                .as_ref()
                .and_then(|l| markdown_rel(&l.path))
            {
                Some(rel) => match self.files.entry(rel) {
                    std::collections::btree_map::Entry::Occupied(mut e) => {
                        if let Err(list) = e.get_mut() {
                            list.push(problem);
                        } else {
                            self.walk_problems.push(problem);
                        }
                    }
                    std::collections::btree_map::Entry::Vacant(e) => {
                        e.insert(Err(vec![problem]));
                    }
                },
                None => self.walk_problems.push(problem),
            }
        }
        self.dirs = content.dirs;
        self.assets = content.assets;
    }

    /// Re-reads changed Markdown files, reads new ones and forgets removed ones; walks
    /// the folder again when anything else came or went (a folder, an asset). Gives
    /// the content paths of each, or `None` when the folder was walked again.
    pub fn update(&mut self, root: &Path, paths: &[PathBuf]) -> Option<ContentUpdate> {
        let content_dir = root.join("content");
        let mut update = ContentUpdate::default();
        let mut reread = Vec::new();
        for path in paths {
            let rel = content::relative(&content_dir, path);
            let known = self.files.contains_key(&rel);
            let is_file = path.is_file();
            let is_markdown = rel.ends_with(".md");
            let dir = rel.rsplit_once('/').map_or("", |(dir, _)| dir);
            let known_dir = dir.is_empty() || self.dirs.iter().any(|d| d == dir);
            if update.added.contains(&rel) || update.removed.contains(&rel) {
                // Another event of a file seen in this batch.
                if is_file != update.added.contains(&rel) {
                    self.walk(root);
                    return None;
                }
            } else if is_markdown && known && is_file {
                if !reread.iter().any(|(r, _)| *r == rel) {
                    reread.push((rel, path.clone()));
                }
            } else if is_markdown && !known && is_file && known_dir {
                self.files
                    .insert(rel.clone(), content::read_markdown(&rel, path));
                update.added.push(rel);
            } else if is_markdown && known && !path.exists() {
                self.files.remove(&rel);
                update.removed.push(rel);
            } else if !is_markdown && is_file && self.assets.iter().any(|a| a.path == *path) {
                // An asset's bytes are read when served: nothing to do.
            } else if path.is_dir()
                && ((rel.is_empty() && !self.content_missing) || self.dirs.contains(&rel))
            {
                // A known folder whose listing changed: its files have their own events.
            } else {
                // Something came or went (or a folder changed): the walk decides.
                self.walk(root);
                return None;
            }
        }
        for (rel, path) in reread {
            let result = content::read_markdown(&rel, &path);
            self.files.insert(rel.clone(), result);
            update.reread.push(rel);
        }
        Some(update)
    }

    /// The content as the pipeline expects it, from what is mirrored.
    pub fn content(&self) -> content::Content {
        let mut files = Vec::with_capacity(self.files.len());
        let mut diagnostics = self.walk_problems.clone();
        for result in self.files.values() {
            match result {
                Ok(file) => files.push(file.clone()),
                Err(problems) => diagnostics.extend(problems.iter().cloned()),
            }
        }
        content::Content {
            files,
            assets: self.assets.clone(),
            dirs: self.dirs.clone(),
            diagnostics,
            history: None,
            statics: Vec::new(),
            theme_files: Vec::new(),
            // The builder reads the link cache itself.
            links: Default::default(),
        }
    }
}

/// `content/a/b.md` → `a/b.md`; other paths → `None`.
fn markdown_rel(path: &Path) -> Option<String> {
    let rel = path.strip_prefix("content").ok()?;
    let rel = content::relative(Path::new(""), rel);
    rel.ends_with(".md").then_some(rel)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn static_well_known_is_watched_and_other_hidden_files_are_not() {
        let root = Path::new("/collection");
        let changes = Changes::classify(root, &[root.join("static/.well-known/security.txt")]);
        assert!(changes.statics);
        for hidden in [
            "static/.env",
            "static/.well-known/.security.txt.swp",
            "static/.well-known/security.txt~",
            "static/css/.backup.css",
            "content/.git/HEAD",
        ] {
            assert!(
                Changes::classify(root, &[root.join(hidden)]).is_empty(),
                "{hidden}"
            );
        }
    }
}
