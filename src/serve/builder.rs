//! Incremental rebuilds for the server. The builder keeps what the last build read and
//! made (parsed files, the theme, rendered bodies, page contexts) and, for a change,
//! re-reads only the changed files; the pipeline then re-renders only the bodies and
//! pages whose inputs differ, and the rest is taken from the last snapshot.
//!
//! What a change invalidates:
//! - an edited Markdown file: that file is read again; bodies whose text or link
//!   environment changed and pages whose context changed (its page, its sections,
//!   the term pages it is or was on, home, lists that show its card) are re-rendered;
//! - a file added or removed under `content/`: the folder is walked again;
//! - a template or theme manifest: the theme is compiled again, every page re-rendered;
//! - a static file: the theme's file list is read again, pages stay;
//! - `almanac.yaml`: everything is read again.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use crate::content::{self, Asset, SourceFile};
use crate::diagnostics::Diagnostic;
use crate::output::{Contents, OutputFile};
use crate::render::{self, bodies};
use crate::{BuildOptions, config};

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
            // Editors' swap and backup files, and hidden folders, never matter.
            if parts.iter().any(|p| p.starts_with('.') || p.ends_with('~')) {
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
                "templates" => {
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

/// A successful build: the files to serve.
pub struct Built {
    /// Files produced by this build (pages rendered now, feeds, static files).
    pub files: Vec<OutputFile>,
    /// Pages whose bytes are the same as in the previous snapshot.
    pub unchanged: Vec<String>,
    pub base_path: String,
    pub pages: usize,
    pub pages_rendered: usize,
    pub warnings: Vec<Diagnostic>,
}

pub enum Outcome {
    Built(Built),
    Failed(Vec<Diagnostic>),
}

/// What the last builds read and made.
pub struct Builder {
    root: PathBuf,
    drafts: bool,
    config: Option<config::Config>,
    /// Markdown files under `content/` by path relative to it, as last read.
    files: BTreeMap<String, Result<SourceFile, Vec<Diagnostic>>>,
    dirs: Vec<String>,
    assets: Vec<Asset>,
    /// Problems of the walk itself (symlink loops, unreadable folders).
    walk_problems: Vec<Diagnostic>,
    theme: Option<render::Theme>,
    bodies: bodies::Memo,
    pages: render::Memo,
}

impl Builder {
    pub fn new(root: PathBuf, drafts: bool) -> Builder {
        Builder {
            root,
            drafts,
            config: None,
            files: BTreeMap::new(),
            dirs: Vec::new(),
            assets: Vec::new(),
            walk_problems: Vec::new(),
            theme: None,
            bodies: bodies::Memo::default(),
            pages: render::Memo::default(),
        }
    }

    /// Forgets everything, so the next rebuild reads the whole collection again.
    pub fn reset(&mut self) {
        *self = Builder::new(self.root.clone(), self.drafts);
    }

    pub fn rebuild(&mut self, changes: &Changes) -> Outcome {
        let options = BuildOptions {
            root: self.root.clone(),
            output: None,
            base_url: None,
            drafts: self.drafts,
        };
        if changes.config || self.config.is_none() {
            // A new config can change every page: start from nothing.
            self.reset();
            match crate::load_config(&options) {
                Ok(config) => self.config = Some(config),
                Err(problems) => return Outcome::Failed(problems),
            }
            self.walk();
        } else if !changes.content.is_empty() {
            self.update_content(&changes.content);
        }
        if changes.templates || changes.statics {
            // Statics are listed by the theme; only templates invalidate rendered pages.
            self.theme = None;
            if changes.templates {
                self.pages = render::Memo::default();
            }
        }
        let Some(config) = self.config.clone() else {
            return Outcome::Failed(Vec::new());
        };

        let (loaded, bodies) =
            crate::assemble(config, self.content(), self.drafts, Some(&self.bodies));
        if loaded.has_errors() {
            return Outcome::Failed(loaded.diagnostics);
        }
        if self.theme.is_none() {
            match crate::load_theme(&self.root, &loaded.collection) {
                Ok(theme) => self.theme = Some(theme),
                Err(problems) => return Outcome::Failed(problems),
            }
        }
        let Some(theme) = self.theme.as_ref() else {
            return Outcome::Failed(Vec::new());
        };
        let (rendered, pages) =
            match crate::render_with(&loaded, theme, Some(&self.pages), &|_, _| {}) {
                Ok((rendered, memo)) => (rendered, memo.unwrap_or_default()),
                Err(problems) => return Outcome::Failed(problems),
            };
        let render::Rendered {
            files,
            pages: page_count,
            unchanged,
        } = rendered;
        let pages_rendered = page_count - unchanged.len();
        // Unchanged pages take part in the path checks as placeholders, so a new
        // alias or static file cannot silently shadow one of them.
        let placeholders = unchanged.iter().map(|path| OutputFile {
            path: path.clone(),
            contents: Contents::Bytes(Vec::new()),
        });
        let checked = match crate::check_file_paths(placeholders.chain(files).collect()) {
            Ok(files) => files,
            Err(problems) => return Outcome::Failed(problems),
        };
        // Paths are unique after the check, so an unchanged path is its placeholder.
        let kept: HashSet<&str> = unchanged.iter().map(String::as_str).collect();
        let files = checked
            .into_iter()
            .filter(|f| !kept.contains(f.path.as_str()))
            .collect();
        // Only a build that will be served may become the reference for the next one.
        self.bodies = bodies.unwrap_or_default();
        self.pages = pages;
        Outcome::Built(Built {
            files,
            unchanged,
            base_path: loaded.collection.config.base_path.clone(),
            pages: page_count,
            pages_rendered,
            warnings: loaded.diagnostics,
        })
    }

    /// Reads the whole of `content/`.
    fn walk(&mut self) {
        let content = content::load(&self.root);
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

    /// Re-reads changed Markdown files; walks again when files came or went.
    fn update_content(&mut self, paths: &[PathBuf]) {
        let content_dir = self.root.join("content");
        let mut reread = Vec::new();
        for path in paths {
            let rel = content::relative(&content_dir, path);
            let known = self.files.contains_key(&rel);
            let is_file = path.is_file();
            let is_markdown = rel.ends_with(".md");
            if is_markdown && known && is_file {
                reread.push((rel, path.clone()));
            } else if !is_markdown && is_file && self.assets.iter().any(|a| a.path == *path) {
                // An asset's bytes are read when served: nothing to do.
            } else {
                // Something came or went (or a folder changed): the walk decides.
                self.walk();
                return;
            }
        }
        for (rel, path) in reread {
            let result = content::read_markdown(&rel, &path);
            self.files.insert(rel, result);
        }
    }

    /// The content as the pipeline expects it, from what is cached.
    fn content(&self) -> content::Content {
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
        }
    }
}

/// `content/a/b.md` → `a/b.md`; other paths → `None`.
fn markdown_rel(path: &Path) -> Option<String> {
    let rel = path.strip_prefix("content").ok()?;
    let rel = content::relative(Path::new(""), rel);
    rel.ends_with(".md").then_some(rel)
}
