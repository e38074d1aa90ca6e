//! The second pass over content: every Markdown body rendered to HTML once all
//! permalinks are known, in parallel, keeping the links and headings for `check`.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use rayon::prelude::*;

use crate::content::SourceFile;
use crate::markdown::{
    self, Autolinker, LinkKind, Options, RenderContext, Rendered, normalize_phrase,
};
use crate::model::{Collection, EntryId, EntryKind};

/// Rendered bodies, indexed like `Collection::entries` and `Collection::sections`.
#[derive(Clone)]
pub struct Bodies {
    pub entries: Vec<Rendered>,
    pub sections: Vec<Option<Rendered>>,
}

/// Renders every entry's and section's body.
pub fn render(collection: &Collection) -> Bodies {
    render_reusing(collection, None).0
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
    let options = Options {
        allow_html: collection.config.allow_html,
    };
    let autolinker =
        (collection.config.glossary_autolink && autolink).then(|| glossary_autolinker(collection));
    let resolve = |path: &str| collection.resolve(path).map(str::to_string);
    let cx = RenderContext {
        options: &options,
        resolve: &resolve,
        autolink: autolinker.as_ref(),
        self_url,
    };
    markdown::render(file.body(), &cx)
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
    let autolinker = glossary_autolinker(collection);
    let options = Options {
        allow_html: config.allow_html,
    };
    let resolve = |path: &str| collection.resolve(path).map(str::to_string);
    let again = |file: &SourceFile, self_url: &str, autolink: bool, old: &Rendered| {
        if !changed.touches(old, file.body(), autolink) {
            return None;
        }
        let cx = RenderContext {
            options: &options,
            resolve: &resolve,
            autolink: Some(&autolinker),
            self_url,
        };
        let new = markdown::render(file.body(), &cx);
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

/// Bodies rendered by an earlier run, kept by `serve` between rebuilds. A body's HTML
/// depends only on its text, its page's URL, its autolink switch and the link
/// environment (every link target's URL, the glossary phrases, `allow_html`). A body
/// with the same inputs is reused unless the environment changed in a way it can
/// see: one of its internal links names a target that came, went or moved, or its
/// text mentions a glossary phrase whose term came, went or changed (a file added or
/// removed, a glossary term renamed, otherwise re-render every body).
#[derive(Default)]
pub struct Memo {
    environment: Option<Environment>,
    /// Keyed by the page's URL.
    bodies: HashMap<String, Remembered>,
    /// How many bodies the run that made this memo rendered (the others were reused).
    pub rendered: usize,
}

#[derive(PartialEq)]
struct Environment {
    allow_html: bool,
    autolink: bool,
    targets: Vec<(String, String)>,
    phrases: Vec<(String, String, String)>,
}

struct Remembered {
    file: Arc<SourceFile>,
    autolink: bool,
    rendered: Rendered,
}

impl Remembered {
    fn matches(&self, file: &SourceFile, autolink: bool) -> bool {
        self.autolink == autolink && self.file.body() == file.body()
    }
}

/// Like [`render`], but reuses what `previous` holds where the inputs are the same,
/// and returns the memo for the next run.
pub fn render_with_memo(collection: &Collection, previous: &Memo) -> (Bodies, Memo) {
    let (bodies, memo) = render_reusing(collection, Some(previous));
    (bodies, memo.unwrap_or_default())
}

fn environment(collection: &Collection) -> Environment {
    Environment {
        allow_html: collection.config.allow_html,
        autolink: collection.config.glossary_autolink,
        targets: collection
            .targets
            .iter()
            .map(|(key, target)| (key.clone(), collection.target_path(*target).to_string()))
            .collect(),
        phrases: glossary_phrases(collection),
    }
}

/// How the link environment changed between two runs, as far as a body can see it.
struct Changed {
    /// Link keys whose target came, went or has another URL.
    targets: HashSet<String>,
    /// Normalised glossary phrases whose term (URL, phrases, definition) changed.
    phrases: Vec<String>,
}

impl Changed {
    /// `None` when the change reaches every body (the Markdown options).
    fn between(old: &Environment, new: &Environment) -> Option<Changed> {
        if old.allow_html != new.allow_html || old.autolink != new.autolink {
            return None;
        }
        let mut targets = HashSet::new();
        if old.targets != new.targets {
            let before: HashMap<&str, &str> = old
                .targets
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            let after: HashMap<&str, &str> = new
                .targets
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            for (key, url) in before.iter().chain(after.iter()) {
                if before.get(key) != Some(url) || after.get(key) != Some(url) {
                    targets.insert(key.to_string());
                }
            }
        }
        let mut phrases = Vec::new();
        if old.phrases != new.phrases {
            // The autolinker groups phrases by URL and takes a URL's definition from
            // any of them: a term counts as changed as a whole, with all its phrases.
            let by_url = |list: &[(String, String, String)]| {
                let mut map: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
                for (phrase, url, definition) in list {
                    map.entry(url.clone())
                        .or_default()
                        .push((normalize_phrase(phrase), definition.clone()));
                }
                for terms in map.values_mut() {
                    terms.sort();
                }
                map
            };
            let (before, after) = (by_url(&old.phrases), by_url(&new.phrases));
            for (url, terms) in before.iter().chain(after.iter()) {
                if before.get(url) != Some(terms) || after.get(url) != Some(terms) {
                    phrases.extend(terms.iter().map(|(p, _)| p.clone()));
                }
            }
            phrases.retain(|p| !p.is_empty());
            phrases.sort();
            phrases.dedup();
        }
        Some(Changed { targets, phrases })
    }

    /// Whether a body rendered before the change could render differently now.
    fn touches(&self, rendered: &Rendered, source: &str, autolink: bool) -> bool {
        let links = rendered.links.iter().any(|link| match &link.kind {
            LinkKind::Internal { path, .. } => self.targets.contains(path.trim_start_matches('/')),
            _ => false,
        });
        if links {
            return true;
        }
        if !autolink || self.phrases.is_empty() {
            return false;
        }
        // Matched the way the autolinker matches (ASCII case, collapsed spaces), in
        // the plain text and, to be safe about escapes and entities, in the source.
        let (text, source) = (normalize_phrase(&rendered.text), normalize_phrase(source));
        self.phrases
            .iter()
            .any(|p| text.contains(p.as_str()) || source.contains(p.as_str()))
    }
}

fn render_reusing(collection: &Collection, previous: Option<&Memo>) -> (Bodies, Option<Memo>) {
    let environment = previous.map(|_| environment(collection));
    let reusable = match (previous, &environment) {
        (Some(memo), Some(env)) => memo
            .environment
            .as_ref()
            .and_then(|old| Changed::between(old, env))
            .map(|changed| (&memo.bodies, changed)),
        _ => None,
    };
    let options = Options {
        allow_html: collection.config.allow_html,
    };
    let autolinker = collection
        .config
        .glossary_autolink
        .then(|| glossary_autolinker(collection));
    let resolve = |path: &str| collection.resolve(path).map(str::to_string);
    // `Some(true)` when the body was rendered, `Some(false)` when reused.
    let render_one = |file: &SourceFile, self_url: &str, autolink: bool| -> (Rendered, bool) {
        if let Some((bodies, changed)) = &reusable
            && let Some(old) = bodies.get(self_url)
            && old.matches(file, autolink)
            && !changed.touches(&old.rendered, file.body(), autolink)
        {
            return (old.rendered.clone(), false);
        }
        let cx = RenderContext {
            options: &options,
            resolve: &resolve,
            autolink: if autolink { autolinker.as_ref() } else { None },
            self_url,
        };
        (markdown::render(file.body(), &cx), true)
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
    };
    (bodies, memo)
}

/// Every glossary phrase (title and synonyms) with the entry's URL and short definition.
fn glossary_phrases(collection: &Collection) -> Vec<(String, String, String)> {
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
    phrases
}

fn glossary_autolinker(collection: &Collection) -> Autolinker {
    Autolinker::new(glossary_phrases(collection))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::Link;

    fn environment(targets: &[(&str, &str)], phrases: &[(&str, &str, &str)]) -> Environment {
        Environment {
            allow_html: false,
            autolink: true,
            targets: targets
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            phrases: phrases
                .iter()
                .map(|(p, u, d)| (p.to_string(), u.to_string(), d.to_string()))
                .collect(),
        }
    }

    fn body(text: &str, links: &[&str]) -> Rendered {
        Rendered {
            html: String::new(),
            text: text.to_string(),
            headings: Vec::new(),
            links: links
                .iter()
                .map(|path| Link {
                    kind: LinkKind::Internal {
                        path: path.to_string(),
                        anchor: None,
                        resolved: true,
                    },
                    span: 0..0,
                })
                .collect(),
        }
    }

    #[test]
    fn a_new_file_touches_only_the_bodies_linking_to_it() {
        let old = environment(&[("a.md", "/a/")], &[]);
        let new = environment(&[("a.md", "/a/"), ("b.md", "/b/")], &[]);
        let changed = Changed::between(&old, &new).unwrap();
        assert!(changed.touches(&body("x", &["/b.md"]), "x", true));
        assert!(!changed.touches(&body("x", &["/a.md"]), "x", true));
        // A moved target counts too.
        let moved = environment(&[("a.md", "/elsewhere/")], &[]);
        let changed = Changed::between(&old, &moved).unwrap();
        assert!(changed.touches(&body("x", &["a.md"]), "x", true));
    }

    #[test]
    fn a_changed_term_touches_the_bodies_mentioning_any_of_its_phrases() {
        let old = environment(&[], &[("Open data", "/g/open/", "Data anyone may use.")]);
        let new = environment(
            &[],
            &[
                ("Open data", "/g/open/", "Data anyone may use."),
                ("OD", "/g/open/", "Data anyone may use."),
            ],
        );
        let changed = Changed::between(&old, &new).unwrap();
        // Matched like the autolinker: ASCII case and runs of spaces do not matter.
        assert!(changed.touches(&body("Publish OPEN\n  data.", &[]), "", true));
        assert!(changed.touches(&body("an od here", &[]), "", true));
        assert!(!changed.touches(&body("nothing here", &[]), "", true));
        // Bodies that do not autolink never see phrases.
        assert!(!changed.touches(&body("open data", &[]), "", false));
        // A definition is a change of the term as a whole.
        let defined = environment(&[], &[("Open data", "/g/open/", "Free data.")]);
        let changed = Changed::between(&old, &defined).unwrap();
        assert!(changed.touches(&body("open data", &[]), "", true));
        // Another option of the Markdown renderer reaches every body.
        let mut html = environment(&[], &[("Open data", "/g/open/", "Data anyone may use.")]);
        html.allow_html = true;
        assert!(Changed::between(&old, &html).is_none());
    }
}
