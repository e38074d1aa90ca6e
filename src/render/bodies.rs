//! The second pass over content: every Markdown body rendered to HTML once all
//! permalinks are known, in parallel, keeping the links and headings for `check`.

use rayon::prelude::*;

use crate::markdown::{self, Autolinker, Options, RenderContext, Rendered};
use crate::model::{Collection, EntryKind};

/// Rendered bodies, indexed like `Collection::entries` and `Collection::sections`.
pub struct Bodies {
    pub entries: Vec<Rendered>,
    pub sections: Vec<Option<Rendered>>,
}

/// Renders every entry's and section's body.
pub fn render(collection: &Collection) -> Bodies {
    let options = Options {
        allow_html: collection.config.allow_html,
    };
    let autolinker = collection
        .config
        .glossary_autolink
        .then(|| glossary_autolinker(collection));
    let resolve = |path: &str| collection.resolve(path).map(str::to_string);
    let render_one = |body: &str, self_url: &str, autolink: bool| {
        let cx = RenderContext {
            options: &options,
            resolve: &resolve,
            autolink: if autolink { autolinker.as_ref() } else { None },
            self_url,
        };
        markdown::render(body, &cx)
    };
    let entries = collection
        .entries
        .par_iter()
        .map(|entry| render_one(entry.file.body(), &entry.path, entry.autolink))
        .collect();
    let sections = collection
        .sections
        .par_iter()
        .map(|section| {
            section
                .file
                .as_ref()
                .map(|file| render_one(file.body(), &section.path, true))
        })
        .collect();
    Bodies { entries, sections }
}

fn glossary_autolinker(collection: &Collection) -> Autolinker {
    let mut phrases = Vec::new();
    for entry in collection
        .entries
        .iter()
        .filter(|e| e.kind == EntryKind::Glossary)
    {
        let definition = entry.summary.clone().unwrap_or_default();
        for phrase in std::iter::once(&entry.title).chain(&entry.synonyms) {
            if !phrase.trim().is_empty() {
                phrases.push((phrase.clone(), entry.path.clone(), definition.clone()));
            }
        }
    }
    Autolinker::new(phrases)
}
