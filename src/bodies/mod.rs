//! Bodies, the second pass over content: every Markdown body rendered to HTML once
//! all permalinks are known, in parallel, keeping the links, headings and plain text
//! that `check` and `search` read.

mod memo;
mod packed;

use std::collections::HashMap;
use std::sync::Arc;

use rayon::prelude::*;

use crate::content::SourceFile;
use crate::markdown::{self, Autolinker, Options, RenderContext, Rendered};
use crate::model::{Collection, EntryId, EntryKind};
pub use almanac_search::Text;
pub use memo::Memo;
use memo::{Changed, Environment, Remembered};
pub use packed::Packed;

/// Rendered bodies, indexed like `Collection::entries` and `Collection::sections`.
#[derive(Clone, Default)]
pub struct Bodies {
    pub entries: Vec<Rendered>,
    pub sections: Vec<Option<Rendered>>,
    /// For a build, each entry's HTML and text packed, indexed like `entries`
    /// (whose HTML and text are then empty) until [`Bodies::unpack_html`] gives
    /// the HTML back and [`Bodies::take_texts`] hands the texts over; otherwise
    /// empty.
    pub packed: Vec<Packed>,
}

impl Bodies {
    /// Hands every entry's text over, in the order of `entries`: the search
    /// index is the last to read them.
    pub fn take_texts(&mut self) -> Vec<Text> {
        if self.packed.is_empty() {
            let texts = self.entries.iter_mut();
            return texts
                .map(|b| Text::from(std::mem::take(&mut b.text)))
                .collect();
        }
        self.packed.iter_mut().map(Packed::take_text).collect()
    }

    /// Gives the entries `ids` their HTML back, if it was packed, and lets go of
    /// its packed bytes.
    pub fn unpack_html(&mut self, ids: &[EntryId]) {
        if self.packed.is_empty() {
            return;
        }
        let packed = &self.packed;
        let html: Vec<String> = ids.par_iter().map(|&id| packed[id].html()).collect();
        for (&id, html) in ids.iter().zip(html) {
            self.entries[id].html = html;
            self.packed[id].release_html();
        }
    }
}

/// Whether a build keeps each body's HTML and text packed until its page and the
/// index take them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Packing {
    /// When the bodies' Markdown is over [`PACK_ABOVE`] bytes: below that, what
    /// packing saves is not worth its work (a tenth of a 10k build's time).
    BySize,
    Always,
}

/// The bodies' Markdown, in bytes, above which a build packs them: about 18,000
/// resources of a few hundred words, whose HTML and text would be 120 MB.
pub const PACK_ABOVE: usize = 64 << 20;

/// Renders every entry's and section's body.
pub fn render(collection: &Collection) -> Bodies {
    render_reusing(collection, None).0
}

/// The text an entry's file keeps after [`render_releasing`], and whether its
/// body was let go; `None` for a file shared with another holder (left whole).
type Kept = Option<(Arc<str>, bool)>;

/// Like [`render`], for a build, which reads no entry's source again once its body
/// is rendered and checked: each entry's body text is let go on the thread that
/// rendered it (its front matter stays, see `SourceFile::release_text`), unless
/// `keep` says the check will need it (to place a problem it finds there).
/// Otherwise a large collection would hold every source and every body at once at
/// the end of this stage, the highest point of its build. A file that another
/// holder shares keeps its text. For the same reason each body's HTML and text
/// are packed there (see [`Packed`]) until its page is rendered and the index
/// takes the text, as `packing` says.
pub fn render_releasing(
    collection: &mut Collection,
    keep: &(dyn Fn(&Rendered) -> bool + Sync),
    packing: Packing,
) -> Bodies {
    let packing = match packing {
        Packing::Always => true,
        Packing::BySize => {
            let markdown: usize = collection.entries.iter().map(|e| e.file.body.len()).sum();
            markdown > PACK_ABOVE
        }
    };
    // Out of their files for the render, so that the collection can be read (for
    // the link targets) while the texts go.
    let texts: Vec<Option<Arc<str>>> = collection
        .entries
        .iter_mut()
        .map(|entry| {
            Arc::get_mut(&mut entry.file)
                .map(|file| std::mem::replace(&mut file.source.text, Arc::from("")))
        })
        .collect();
    let shared = &*collection;
    let renderer = Renderer::new(shared, true);
    let entries: Vec<(Rendered, Packed, Kept)> = shared
        .entries
        .par_iter()
        .zip(texts)
        .map(|(entry, text)| {
            let body = match &text {
                Some(text) => &text[entry.file.body.clone()],
                None => entry.file.body(),
            };
            let mut rendered = renderer.render(body, &entry.path, entry.autolink);
            // The whole text where the check needs it, else its front matter alone
            // (the body's bytes go here, on this thread).
            let text = text.map(|text| match keep(&rendered) {
                true => (text, false),
                false => (Arc::from(&text[..entry.file.body.start]), true),
            });
            let packed = match packing {
                true => Packed::take(&mut rendered),
                false => Packed::default(),
            };
            (rendered, packed, text)
        })
        .collect();
    let sections = renderer.sections();
    let mut bodies = Vec::with_capacity(entries.len());
    let mut packs = Vec::with_capacity(entries.len());
    for (entry, (rendered, packed, text)) in collection.entries.iter_mut().zip(entries) {
        if let Some(file) = Arc::get_mut(&mut entry.file)
            && let Some((text, released)) = text
        {
            file.source.text = text;
            if released {
                file.release_text();
            }
        }
        bodies.push(rendered);
        packs.push(packed);
    }
    if !packing {
        packs.clear();
    }
    Bodies {
        entries: bodies,
        sections,
        packed: packs,
    }
}

/// The bodies of a collection in a language other than the default: the translated
/// ones rendered with that language's link environment (its glossary, its pages);
/// an entry without a translation keeps its body from `default`, as it has no page
/// in this language. Packed when `default` is.
pub fn render_translation(collection: &Collection, default: &Bodies) -> Bodies {
    let renderer = Renderer::new(collection, true);
    let packing = !default.packed.is_empty();
    let entries: Vec<(Rendered, Packed)> = collection
        .entries
        .par_iter()
        .enumerate()
        .map(|(id, entry)| {
            if entry.elsewhere {
                let packed = default.packed.get(id).cloned().unwrap_or_default();
                (default.entries[id].clone(), packed)
            } else {
                let mut rendered = renderer.render(entry.file.body(), &entry.path, entry.autolink);
                let packed = match packing {
                    true => Packed::take(&mut rendered),
                    false => Packed::default(),
                };
                (rendered, packed)
            }
        })
        .collect();
    let (entries, packed): (Vec<Rendered>, Vec<Packed>) = entries.into_iter().unzip();
    Bodies {
        entries,
        sections: renderer.sections(),
        packed: if packing { packed } else { Vec::new() },
    }
}

/// The body of one entry, rendered as [`render`] renders it: `serve` renders an
/// edited entry's body alone when the link environment is unchanged.
pub fn entry(collection: &Collection, id: EntryId) -> Rendered {
    let entry = &collection.entries[id];
    render_alone(collection, &entry.file, &entry.path, entry.autolink)
}

/// The body of one section's `_index.md`, rendered as [`render`] renders it.
pub fn section(collection: &Collection, id: usize) -> Option<Rendered> {
    let section = &collection.sections[id];
    let file = section.file.as_ref()?;
    Some(render_alone(collection, file, &section.path, true))
}

/// One body with the collection's link environment, made for it alone (a full
/// render makes the autolinker once for every body).
fn render_alone(
    collection: &Collection,
    file: &SourceFile,
    self_url: &str,
    autolink: bool,
) -> Rendered {
    Renderer::new(collection, autolink).render(file.body(), self_url, autolink)
}

/// Every glossary phrase with its term's URL and definition, to compare before and
/// after an edit with [`rerender_for_glossary`].
pub fn phrases(collection: &Collection) -> Vec<(String, String, String)> {
    glossary_phrases(collection)
}

/// After glossary terms changed (`old`: the phrases before), renders again the
/// bodies that mention a changed phrase. Gives the entries and sections whose HTML
/// changed.
pub fn rerender_for_glossary(
    collection: &Collection,
    old: &[(String, String, String)],
    bodies: &mut Bodies,
) -> (Vec<EntryId>, Vec<usize>) {
    let config = &collection.config;
    let environment = |phrases: Vec<(String, String, String)>| Environment {
        allow_html: config.allow_html,
        autolink: config.glossary_autolink,
        targets: Vec::new(),
        phrases,
    };
    let (before, after) = (environment(old.to_vec()), environment(phrases(collection)));
    let Some(changed) = Changed::between(&before, &after) else {
        return (Vec::new(), Vec::new());
    };
    if !config.glossary_autolink || changed.phrases.is_empty() {
        return (Vec::new(), Vec::new());
    }
    let renderer = Renderer::new(collection, true);
    let again = |file: &SourceFile, self_url: &str, autolink: bool, old: &Rendered| {
        if !changed.touches(old, file.body(), autolink) {
            return None;
        }
        // With the glossary whatever the body's own setting: `touches` already
        // answered for a body that does not autolink.
        let new = renderer.render(file.body(), self_url, true);
        (new != *old).then_some(new)
    };
    let entries: Vec<(EntryId, Rendered)> = collection
        .entries
        .par_iter()
        .enumerate()
        .filter_map(|(id, e)| {
            Some((
                id,
                again(&e.file, &e.path, e.autolink, &bodies.entries[id])?,
            ))
        })
        .collect();
    let sections: Vec<(usize, Rendered)> = collection
        .sections
        .iter()
        .enumerate()
        .filter_map(|(id, s)| {
            let old = bodies.sections[id].as_ref()?;
            Some((id, again(s.file.as_ref()?, &s.path, true, old)?))
        })
        .collect();
    let mut changed_entries = Vec::with_capacity(entries.len());
    for (id, rendered) in entries {
        bodies.entries[id] = rendered;
        changed_entries.push(id);
    }
    let mut changed_sections = Vec::with_capacity(sections.len());
    for (id, rendered) in sections {
        bodies.sections[id] = Some(rendered);
        changed_sections.push(id);
    }
    (changed_entries, changed_sections)
}

/// Like [`render`], but reuses what `previous` holds where the inputs are the same,
/// and returns the memo for the next run.
pub fn render_with_memo(collection: &Collection, previous: &Memo) -> (Bodies, Memo) {
    let (bodies, memo) = render_reusing(collection, Some(previous));
    (bodies, memo.unwrap_or_default())
}

fn render_reusing(collection: &Collection, previous: Option<&Memo>) -> (Bodies, Option<Memo>) {
    let environment = previous.map(|_| memo::environment(collection));
    let reusable = match (previous, &environment) {
        (Some(memo), Some(env)) => memo
            .environment
            .as_ref()
            .and_then(|old| Changed::between(old, env))
            .map(|changed| (&memo.bodies, changed)),
        _ => None,
    };
    let renderer = Renderer::new(collection, true);
    // `Some(true)` when the body was rendered, `Some(false)` when reused.
    let render_one = |file: &SourceFile, self_url: &str, autolink: bool| -> (Rendered, bool) {
        if let Some((bodies, changed)) = &reusable
            && let Some(old) = bodies.get(self_url)
            && old.matches(file, autolink)
            && !changed.touches(&old.rendered, file.body(), autolink)
        {
            return (old.rendered.clone(), false);
        }
        (renderer.render(file.body(), self_url, autolink), true)
    };
    let entries: Vec<(Rendered, bool)> = collection
        .entries
        .par_iter()
        .map(|entry| render_one(&entry.file, &entry.path, entry.autolink))
        .collect();
    let sections: Vec<Option<(Rendered, bool)>> = collection
        .sections
        .par_iter()
        .map(|section| {
            section
                .file
                .as_ref()
                .map(|file| render_one(file, &section.path, true))
        })
        .collect();

    let memo = environment.map(|environment| {
        let mut memo = Memo {
            environment: Some(environment),
            bodies: HashMap::new(),
            rendered: 0,
        };
        let entry_parts = collection
            .entries
            .iter()
            .map(|e| (&e.file, &e.path, e.autolink));
        let section_parts = collection
            .sections
            .iter()
            .filter_map(|s| Some((s.file.as_ref()?, &s.path, true)));
        let results = entries.iter().chain(sections.iter().flatten());
        for ((file, path, autolink), (rendered, fresh)) in
            entry_parts.chain(section_parts).zip(results)
        {
            memo.rendered += usize::from(*fresh);
            memo.bodies.insert(
                path.clone(),
                Remembered {
                    file: file.clone(),
                    autolink,
                    rendered: rendered.clone(),
                },
            );
        }
        memo
    });
    let bodies = Bodies {
        entries: entries.into_iter().map(|(r, _)| r).collect(),
        sections: sections.into_iter().map(|s| s.map(|(r, _)| r)).collect(),
        packed: Vec::new(),
    };
    (bodies, memo)
}

/// What the bodies of a collection are rendered with: its options, its links and,
/// for bodies that autolink, its glossary.
struct Renderer<'a> {
    collection: &'a Collection,
    options: Options,
    autolinker: Option<Autolinker>,
}

impl<'a> Renderer<'a> {
    /// `glossary`: whether any body rendered will autolink (the autolinker is made
    /// once, here, for all of them).
    fn new(collection: &'a Collection, glossary: bool) -> Self {
        Renderer {
            collection,
            options: Options {
                allow_html: collection.config.allow_html,
            },
            autolinker: (collection.config.glossary_autolink && glossary)
                .then(|| glossary_autolinker(collection)),
        }
    }

    fn render(&self, body: &str, self_url: &str, autolink: bool) -> Rendered {
        let resolve = |path: &str| self.collection.resolve(path).map(str::to_string);
        let cx = RenderContext {
            options: &self.options,
            resolve: &resolve,
            autolink: if autolink {
                self.autolinker.as_ref()
            } else {
                None
            },
            self_url,
        };
        markdown::render(body, &cx)
    }

    /// Every section's `_index.md` body (sections always autolink).
    fn sections(&self) -> Vec<Option<Rendered>> {
        self.collection
            .sections
            .par_iter()
            .map(|section| {
                let file = section.file.as_ref()?;
                Some(self.render(file.body(), &section.path, true))
            })
            .collect()
    }
}

/// Every glossary phrase (title and synonyms) with the entry's URL and short definition.
fn glossary_phrases(collection: &Collection) -> Vec<(String, String, String)> {
    let mut phrases = Vec::new();
    for entry in collection
        .entries
        .iter()
        // In another language, only the terms translated into it are its phrases.
        .filter(|e| e.kind == EntryKind::Glossary && !e.elsewhere)
    {
        let definition = entry.summary.clone().unwrap_or_default();
        for phrase in std::iter::once(&entry.title).chain(&entry.synonyms) {
            if !phrase.trim().is_empty() {
                phrases.push((phrase.clone(), entry.path.clone(), definition.clone()));
            }
        }
    }
    phrases
}

fn glossary_autolinker(collection: &Collection) -> Autolinker {
    Autolinker::new(glossary_phrases(collection))
}
