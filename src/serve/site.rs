//! The site as served: every output path mapped to its bytes (or, for files copied
//! as they are, the file to read; or, for pages a rebuild left to later, what to
//! render them from), with the validators HTTP caching needs. A snapshot never
//! changes; each good rebuild makes a new one that shares unchanged files.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};
use std::time::SystemTime;

use axum::body::Bytes;

use super::builder::{LaterPages, Rest};
use super::reload;
use crate::diagnostics::Diagnostic;
use crate::output::{Contents, OutputFile};
use crate::pipeline::Site;
use crate::render::Page;

/// One file of the served site.
pub struct Served {
    pub body: Body,
    /// Content type, from the extension.
    pub mime: &'static str,
    /// Strong validator of the bytes (`None` for files read from disk when served).
    pub etag: Option<String>,
    /// When these bytes were first built.
    pub modified: SystemTime,
}

pub enum Body {
    Memory(Bytes),
    /// Static files and content assets are read from disk when asked for.
    Disk(PathBuf),
    /// A page rendered when first asked for (see [`Later`]).
    Later(Later),
}

/// A page of a rebuild that changed the whole model (a file added or removed, a
/// section's text): every page may show it (the footer counts the resources), and
/// rendering them all takes seconds at 10k resources, so each is rendered from that
/// build's collection when first asked for, once. The bytes are those the build
/// would have made then; later edits that change the page replace it.
pub struct Later {
    page: Page,
    from: Arc<Site>,
    made: OnceLock<Result<(Bytes, String), Vec<Diagnostic>>>,
}

impl Later {
    pub fn new(page: Page, from: Arc<Site>) -> Later {
        Later {
            page,
            from,
            made: OnceLock::new(),
        }
    }

    /// The page's bytes (live-reload script added) and their validator, or the
    /// template problems that kept it from rendering.
    pub fn get(&self) -> &Result<(Bytes, String), Vec<Diagnostic>> {
        self.made.get_or_init(|| {
            let html = self
                .from
                .renderer()
                .render_one(&self.from.bodies, self.page)?;
            let bytes = Bytes::from(reload::inject(html));
            let etag = etag(&bytes);
            Ok((bytes, etag))
        })
    }
}

/// A whole built site.
pub struct Snapshot {
    /// Where the site lives on the server: `/` or `/ethics/`.
    pub base_path: String,
    /// Keys shared between snapshots, so that making the next one copies no text.
    pub files: HashMap<Arc<str>, Arc<Served>>,
    /// Set when no build ever succeeded: every page shows these problems instead.
    pub problems: Option<Vec<Diagnostic>>,
}

impl Snapshot {
    /// The snapshot of a good build: its files, and those of `previous` that `rest`
    /// keeps. Files with the same bytes as before keep their entry (and Last-Modified).
    pub fn build(
        previous: Option<&Snapshot>,
        new_files: Vec<OutputFile>,
        rest: &Rest,
        base_path: String,
        later: Vec<LaterPages>,
    ) -> Snapshot {
        let now = SystemTime::now();
        let mut files: HashMap<Arc<str>, Arc<Served>> = match (previous, rest) {
            (Some(previous), Rest::AllBut(removed)) => {
                let mut files = previous.files.clone();
                for path in removed {
                    files.remove(path.as_str());
                }
                files
            }
            (Some(previous), Rest::Only(kept)) => {
                // A kept search index keeps its chunks: `index.<hash>.bin` reads
                // the files of the folder `index.<hash>/` beside it.
                let folders: Vec<String> =
                    kept.iter().filter_map(|path| chunk_folder(path)).collect();
                previous
                    .files
                    .iter()
                    .filter(|(path, _)| {
                        kept.iter().any(|k| k.as_str() == path.as_ref())
                            || folders
                                .iter()
                                .any(|folder| path.starts_with(folder.as_str()))
                    })
                    .map(|(key, file)| (key.clone(), file.clone()))
                    .collect()
            }
            (None, _) => HashMap::new(),
        };
        for LaterPages { pages, from } in later {
            for (path, page) in pages {
                let served = Served {
                    body: Body::Later(Later::new(page, from.clone())),
                    mime: content_type(&path),
                    etag: None,
                    modified: now,
                };
                files.insert(path.into(), Arc::new(served));
            }
        }
        for file in new_files {
            let mime = content_type(&file.path);
            let body = match file.contents {
                Contents::Bytes(bytes) if mime.starts_with("text/html") => {
                    Body::Memory(reload::inject(bytes).into())
                }
                Contents::Bytes(bytes) => Body::Memory(bytes.into()),
                Contents::Static(bytes) => Body::Memory(Bytes::from_static(bytes)),
                Contents::Copy(path) => Body::Disk(path),
            };
            let etag = match &body {
                Body::Memory(bytes) => Some(etag(bytes)),
                Body::Disk(_) | Body::Later(_) => None,
            };
            // Same bytes as before: keep the old entry, and so its Last-Modified.
            if let Some(old) = previous.and_then(|p| p.files.get(file.path.as_str()))
                && etag.is_some()
                && old.etag == etag
            {
                files.insert(file.path.into(), old.clone());
                continue;
            }
            files.insert(
                file.path.into(),
                Arc::new(Served {
                    body,
                    mime,
                    etag,
                    modified: now,
                }),
            );
        }
        Snapshot {
            base_path,
            files,
            problems: None,
        }
    }

    /// What is served when no build has succeeded yet: only the problems.
    pub fn failed(problems: &[Diagnostic]) -> Snapshot {
        Snapshot {
            base_path: "/".into(),
            files: HashMap::new(),
            problems: Some(problems.to_vec()),
        }
    }

    /// How many files differ from `previous` (added, removed or changed).
    pub fn changed_since(&self, previous: &Snapshot) -> usize {
        if previous.problems.is_some() || previous.base_path != self.base_path {
            return self.files.len().max(1);
        }
        let changed = self
            .files
            .iter()
            .filter(|(path, file)| {
                previous.files.get(*path).is_none_or(|old| {
                    !Arc::ptr_eq(old, file) && (old.etag != file.etag || file.etag.is_none())
                })
            })
            .count();
        let removed = previous
            .files
            .keys()
            .filter(|p| !self.files.contains_key(*p))
            .count();
        changed + removed
    }
}

/// A strong validator: the length and a 64-bit hash of the bytes.
/// The folder of a search index's chunks (`search/index.<hash>/`), beside its
/// hot file (`search/index.<hash>.bin`); `None` for any other path.
pub fn chunk_folder(hot: &str) -> Option<String> {
    hot.strip_suffix(".bin").map(|stem| format!("{stem}/"))
}

pub fn etag(bytes: &[u8]) -> String {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut hasher);
    format!("\"{:x}-{:016x}\"", bytes.len(), hasher.finish())
}

/// The content type of an output path, by extension. The common web types are named
/// here so they never depend on a guess; anything else asks `mime_guess`.
pub fn content_type(path: &str) -> &'static str {
    let extension = path
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match extension.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "svg" => "image/svg+xml",
        "wasm" => "application/wasm",
        "csv" => "text/csv; charset=utf-8",
        "txt" | "md" => "text/plain; charset=utf-8",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "pdf" => "application/pdf",
        _ => mime_guess::from_ext(&extension)
            .first_raw()
            .unwrap_or("application/octet-stream"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_types_of_the_files_a_site_has() {
        assert_eq!(content_type("index.html"), "text/html; charset=utf-8");
        assert_eq!(
            content_type("search/almanac_search_wasm_bg.wasm"),
            "application/wasm"
        );
        assert_eq!(content_type("feed.xml"), "application/xml");
        assert_eq!(content_type("resources.csv"), "text/csv; charset=utf-8");
        assert_eq!(content_type("favicon.SVG"), "image/svg+xml");
        assert_eq!(content_type("fonts/a.woff2"), "font/woff2");
        assert_eq!(content_type("README"), "application/octet-stream");
    }

    #[test]
    fn etags_differ_with_the_bytes() {
        assert_eq!(etag(b"abc"), etag(b"abc"));
        assert_ne!(etag(b"abc"), etag(b"abd"));
    }
}
