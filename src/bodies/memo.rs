//! What `serve` keeps of the bodies between rebuilds, and how a change of the link
//! environment (targets, glossary phrases, options) decides which bodies can see it.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use super::glossary_phrases;
use crate::content::SourceFile;
use crate::markdown::{LinkKind, Rendered, normalize_phrase};
use crate::model::Collection;

/// Bodies rendered by an earlier run, kept by `serve` between rebuilds. A body's HTML
/// depends only on its text, its page's URL, its autolink switch and the link
/// environment (every link target's URL, the glossary phrases, `allow_html`). A body
/// with the same inputs is reused unless the environment changed in a way it can
/// see: one of its internal links names a target that came, went or moved, or its
/// text mentions a glossary phrase whose term came, went or changed (a file added or
/// removed, a glossary term renamed, otherwise re-render every body).
#[derive(Default)]
pub struct Memo {
    pub(super) environment: Option<Environment>,
    /// Keyed by the page's URL.
    pub(super) bodies: HashMap<String, Remembered>,
    /// How many bodies the run that made this memo rendered (the others were reused).
    pub rendered: usize,
}

#[derive(PartialEq)]
pub(super) struct Environment {
    pub(super) allow_html: bool,
    pub(super) autolink: bool,
    pub(super) targets: Vec<(String, String)>,
    pub(super) phrases: Vec<(String, String, String)>,
}

pub(super) struct Remembered {
    pub(super) file: Arc<SourceFile>,
    pub(super) autolink: bool,
    pub(super) rendered: Rendered,
}

impl Remembered {
    pub(super) fn matches(&self, file: &SourceFile, autolink: bool) -> bool {
        self.autolink == autolink && self.file.body() == file.body()
    }
}

pub(super) fn environment(collection: &Collection) -> Environment {
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
pub(super) struct Changed {
    /// Link keys whose target came, went or has another URL.
    pub(super) targets: HashSet<String>,
    /// Normalised glossary phrases whose term (URL, phrases, definition) changed.
    pub(super) phrases: Vec<String>,
}

impl Changed {
    /// `None` when the change reaches every body (the Markdown options).
    pub(super) fn between(old: &Environment, new: &Environment) -> Option<Changed> {
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
    pub(super) fn touches(&self, rendered: &Rendered, source: &str, autolink: bool) -> bool {
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
