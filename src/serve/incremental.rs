//! The changes the server applies to the current build instead of building it
//! again, each rendering only what it touches:
//!
//! - an edit of existing entry files: those files are read again and swapped into
//!   the collection (`model::update`), their bodies rendered again, and only the
//!   pages the edit affects (`super::affected`) rendered again, with the redirects;
//!   every page if `site.*` changed. The catalogue files follow after the reload,
//!   the search index in the background (`super::indexer`);
//! - a template: the theme is compiled again and only the pages whose template uses
//!   a changed one are rendered (every page if one is included through a variable);
//! - a static file: the theme's file list is read again, pages stay;
//! - a file added, removed or renamed, or a section's `_index.md` edited: the
//!   entries inserted or taken out, or the section's text swapped in, the new bodies
//!   rendered, then [`Builder::finish`] as after a full build.
//!
//! Each gives `None` when the change reaches further than it can follow (a new
//! slug, a new folder, a content error): the caller then builds in full.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::PathBuf;
use std::sync::Arc;

use super::affected;
use super::builder::{Builder, Built, Finish, Outcome, Rest, Timings};
use super::mirror::ContentUpdate;
use crate::bodies;
use crate::diagnostics::{AsDiagnostics, Diagnostic};
use crate::markdown::{LinkKind, Rendered};
use crate::model::{self, Target};
use crate::output::Memory;
use crate::pipeline::{self, Site};
use crate::render::{self, Cells, Page, Progress};

impl Builder {
    /// Applies a change of `content/` that the mirror could follow file by file.
    pub(super) fn apply_content(
        &mut self,
        update: &ContentUpdate,
        timings: &mut Timings,
    ) -> Option<Outcome> {
        // A collection in several languages is built in full, and so is one whose
        // term pages list their narrower terms' resources (an edit moves entries
        // between lists the edit does not name).
        let current = self.current.as_ref()?;
        if !current.others.is_empty() || lists_narrower(&current.site.collection) {
            return None;
        }
        let sections = update.reread.iter().any(|rel| rel.ends_with("_index.md"));
        if sections && update.reread.len() == 1 {
            self.apply_section_edit(&update.reread[0], timings)
        } else if update.added.is_empty() && update.removed.is_empty() {
            self.apply_edits(&update.reread, timings)
        } else {
            self.apply_additions(update, timings)
        }
    }

    /// Applies edits of existing entry files to the current build and renders only
    /// the pages they affect.
    fn apply_edits(&mut self, rels: &[String], timings: &mut Timings) -> Option<Outcome> {
        self.theme.as_ref()?;
        if rels.is_empty() {
            // Only content assets changed. They are read when served; serving them
            // anew makes them count as changed, so the tabs reload.
            let current = self.current.as_ref()?;
            let files = self.mirror.assets.iter().map(|a| a.output_file()).collect();
            let pages = current.site.pages().len();
            return Some(Outcome::Built(Built::of(
                current,
                files,
                Rest::AllBut(Vec::new()),
                (pages, 0),
                timings,
            )));
        }
        let mut sources = Vec::with_capacity(rels.len());
        for rel in rels {
            // A file that cannot be read or parsed: the full build reports it.
            sources.push(self.mirror.file(rel)?.clone());
        }
        let changed_paths: Vec<PathBuf> = sources.iter().map(|f| f.source.path.clone()).collect();
        let replacements = model::update::reread(&self.current.as_ref()?.site.collection, sources)?;
        // From here on the current build is changed: if anything fails, it is dropped
        // and the next rebuild is a full one.
        let mut current = self.current.take()?;
        let ids: Vec<usize> = replacements.iter().map(|r| r.id).collect();
        let glossary = replacements
            .iter()
            .any(|r| r.entry.kind == model::EntryKind::Glossary);
        let before = affected::before(&current.site.collection, &replacements);
        timings.mark("model");
        // Copies only if the indexer still holds them (it is still writing the last index).
        let collection = Arc::make_mut(&mut current.site.collection);
        let bodies = Arc::make_mut(&mut current.site.bodies);
        timings.mark("copy");
        let old_phrases = glossary.then(|| bodies::phrases(collection));
        let mut problems = model::update::apply(collection, replacements);
        // Warnings that compare entries: only the changed files' are new.
        problems.extend(
            crate::check::entries(&collection.entries)
                .into_iter()
                .filter(|d| {
                    d.location
                        .as_ref()
                        .is_some_and(|l| changed_paths.contains(&l.path))
                }),
        );
        for &id in &ids {
            bodies.entries[id] = bodies::entry(collection, id);
        }
        // A glossary term's phrases are autolinked in other bodies.
        let (relinked, relinked_sections) = match &old_phrases {
            Some(old) => bodies::rerender_for_glossary(collection, old, bodies),
            None => (Vec::new(), Vec::new()),
        };
        let link_problems = crate::check::links(collection, bodies);
        timings.mark("markdown");
        if link_problems.iter().any(Diagnostic::is_error) {
            // The full build reports every problem.
            return None;
        }
        let touched = |d: &Diagnostic| {
            d.location
                .as_ref()
                .is_some_and(|l| changed_paths.contains(&l.path))
        };
        current.warnings.retain(|d| !touched(d));
        current.warnings.extend(problems);
        // Link problems elsewhere are errors today (which take the full path); any
        // other kept from the last build is still there.
        current
            .warnings
            .extend(link_problems.into_iter().filter(touched));
        crate::diagnostics::sort(&mut current.warnings);

        let cells = Cells::new(collection);
        let mut affected = affected::affected(&before, collection, &current.site.cells, &cells);
        current.site.cells = Arc::new(cells);
        let all = current.site.pages();
        // A body is shown on its own page; a section's on each of its pages.
        affected
            .pages
            .extend(relinked.iter().map(|&id| Page::Entry(id)));
        for &id in &relinked_sections {
            affected.pages.extend(all.iter().filter(|page| match page {
                Page::Section(s, _) => *s == id,
                Page::Home => id == 0,
                _ => false,
            }));
        }
        affected.pages.sort_unstable();
        affected.pages.dedup();
        let site_value = render::site_value(&current.site.collection, &current.site.theme);
        if site_value != current.site_value {
            // Every page shows `site`.
            affected.pages = all.clone();
        }
        timings.mark("affected");
        let sink = Memory::new();
        let made = (|| -> Result<(), pipeline::Error> {
            current
                .site
                .render(&affected.pages, &sink, &Progress::quiet())?;
            // The feeds and exports show front matter only; the alias pages are made
            // now (an alias may have been added or moved), the catalogue files once
            // the tabs are told (`Built::catalogue`).
            if before.front_matter {
                current.site.redirects(&sink)?;
            }
            Ok(())
        })();
        let files = match made.and_then(|()| Ok(sink.into_files()?)) {
            Ok(files) => files,
            Err(error) => return Some(Outcome::Failed(error.diagnostics())),
        };
        timings.mark("render");
        current.site_value = site_value;
        let mut built = Built::of(
            &current,
            files,
            Rest::AllBut(affected.removed),
            (all.len(), affected.pages.len()),
            timings,
        )
        .indexed(&current);
        if before.front_matter {
            built.catalogue = Some(current.site.editions());
        }
        self.current = Some(current);
        Some(Outcome::Built(built))
    }

    /// Loads the theme again after a template or static file changed, and renders only
    /// the pages whose template uses a changed one (every page if `site.*` changed).
    /// `None` when there is no current build to apply it to.
    pub(super) fn apply_theme_change(
        &mut self,
        statics: bool,
        timings: &mut Timings,
    ) -> Option<Outcome> {
        let current = self.current.as_mut()?;
        if !current.others.is_empty() {
            return None;
        }
        let old = self.theme.clone()?;
        // On failure the old theme stays: the served pages were made with it, and the
        // next change is compared with it.
        let theme = match pipeline::load_theme(&self.options.root, &current.site.collection.config)
        {
            Ok(theme) => Arc::new(theme),
            Err(error) => return Some(Outcome::Failed(error.diagnostics())),
        };
        let names: BTreeSet<&String> = old.sources.keys().chain(theme.sources.keys()).collect();
        let changed: BTreeSet<String> = names
            .into_iter()
            .filter(|name| old.sources.get(*name) != theme.sources.get(*name))
            .cloned()
            .collect();
        let users = users_of(&theme.sources, changed);
        let site = Site {
            theme: theme.clone(),
            ..current.site.clone()
        };
        let site_value = render::site_value(&site.collection, &theme);
        let all = site.pages();
        let total = all.len();
        // Every page shows interface strings.
        let strings_changed = site
            .collection
            .config
            .languages
            .iter()
            .any(|l| old.strings(&l.code).tree() != theme.strings(&l.code).tree());
        let pages: Vec<Page> = if site_value != current.site_value || strings_changed {
            all
        } else {
            all.into_iter()
                .filter(|&page| users.contains(render::pages::template(page, &site.collection)))
                .collect()
        };
        timings.mark("theme");
        let sink = Memory::new();
        if let Err(error) = site.render(&pages, &sink, &Progress::quiet()) {
            return Some(Outcome::Failed(error.diagnostics()));
        }
        let mut files = match sink.into_files() {
            Ok(files) => files,
            Err(error) => return Some(Outcome::Failed(pipeline::Error::from(error).diagnostics())),
        };
        let mut removed = Vec::new();
        if statics {
            let served =
                |file: &&crate::output::OutputFile| !current.generated.contains(&file.path);
            let now: HashSet<&str> = theme.statics.iter().map(|f| f.path.as_str()).collect();
            removed = old
                .statics
                .iter()
                .filter(served)
                .filter(|f| !now.contains(f.path.as_str()))
                .map(|f| f.path.clone())
                .collect();
            files.extend(theme.statics.iter().filter(served).cloned());
        }
        timings.mark("render");
        current.site = site;
        current.site_value = site_value;
        let built = Built::of(
            current,
            files,
            Rest::AllBut(removed),
            (total, pages.len()),
            timings,
        );
        self.theme = Some(theme);
        Some(Outcome::Built(built))
    }

    /// Applies an edit of a section's `_index.md` (its title, description or body) to
    /// the current build: the section's text swapped in (`model::update`), its body
    /// rendered, and home rendered, the rest left to later as after a full build,
    /// since the section's title shows in the menu of every page. `None` when the edit
    /// needs a full build (then the current build is dropped).
    fn apply_section_edit(&mut self, rel: &str, timings: &mut Timings) -> Option<Outcome> {
        let file = self.mirror.file(rel)?.clone();
        let path = file.source.path.clone();
        self.theme.as_ref()?;
        let mut current = self.current.take()?;
        let collection = Arc::make_mut(&mut current.site.collection);
        let bodies = Arc::make_mut(&mut current.site.bodies);
        timings.mark("copy");
        let (id, problems) = model::update::reread_section(collection, file)?;
        bodies.sections[id] = bodies::section(collection, id);
        let link_problems = crate::check::links(collection, bodies);
        timings.mark("markdown");
        if link_problems.iter().any(Diagnostic::is_error) {
            return None;
        }
        let mut warnings = std::mem::take(&mut current.warnings);
        warnings.retain(|d| d.location.as_ref().is_none_or(|l| l.path != path));
        warnings.extend(problems);
        warnings.extend(
            link_problems
                .into_iter()
                .filter(|d| d.location.as_ref().is_some_and(|l| l.path == path)),
        );
        crate::diagnostics::sort(&mut warnings);
        let finished = Finish {
            editions: vec![(current.site.collection, current.site.bodies)],
            warnings,
            changed: HashSet::new(),
            first: false,
            indexes: Vec::new(),
            memo: None,
        };
        Some(self.finish(finished, timings))
    }

    /// Applies files added and removed (with nothing else changed) to the current
    /// build: their entries inserted into or taken out of the collection
    /// (`model::update`), new bodies rendered, and home and the new pages rendered,
    /// the rest left to later as after a full build. `None` when the change needs a
    /// full build (then the current build is dropped).
    fn apply_additions(
        &mut self,
        update: &ContentUpdate,
        timings: &mut Timings,
    ) -> Option<Outcome> {
        if !update.reread.is_empty() || self.theme.is_none() {
            return None;
        }
        let mut added_files = Vec::with_capacity(update.added.len());
        for rel in &update.added {
            // A file that cannot be read or parsed: the full build reports it.
            added_files.push(self.mirror.file(rel)?.clone());
        }
        // From here on the current build is changed: if anything fails, it is dropped
        // and the next rebuild is a full one.
        let mut current = self.current.take()?;
        let collection = Arc::make_mut(&mut current.site.collection);
        let bodies = Arc::make_mut(&mut current.site.bodies);
        timings.mark("copy");
        let mut gone = Vec::new();
        for rel in &update.removed {
            if let Some(Target::Entry(id)) = collection.targets.get(rel.as_str()) {
                gone.push(collection.entries[*id].file.source.path.clone());
            }
            let id = model::update::remove(collection, rel)?;
            bodies.entries.remove(id);
        }
        let mut added: Vec<usize> = Vec::new();
        let mut problems = Vec::new();
        for file in added_files {
            gone.push(file.source.path.clone());
            let (id, mut read) = model::update::add(collection, file, self.options.drafts)?;
            for other in &mut added {
                if *other >= id {
                    *other += 1;
                }
            }
            added.push(id);
            problems.append(&mut read);
            bodies.entries.insert(id, bodies::entry(collection, id));
        }
        // A new page's path may be taken: the full build reports it.
        let copies = [crate::check::Copies {
            folder: "content",
            files: &self.mirror.assets,
        }];
        let theme_files: Vec<String> = self
            .theme
            .iter()
            .flat_map(|theme| theme.statics.iter().map(|file| file.path.clone()))
            .collect();
        if !crate::check::output_paths(&[collection], &theme_files, &copies).is_empty() {
            return None;
        }
        timings.mark("model");
        // A body linking to a new file would have failed the last build; its page
        // would change now. The full build sorts that out.
        let links_to_new = |rendered: &Rendered| {
            rendered.links.iter().any(|link| {
                matches!(&link.kind, LinkKind::Internal { path, .. }
                    if update.added.iter().any(|rel| rel == path.trim_start_matches('/')))
            })
        };
        let others = bodies
            .entries
            .iter()
            .enumerate()
            .filter(|(id, _)| !added.contains(id))
            .map(|(_, b)| b)
            .chain(bodies.sections.iter().flatten());
        if others.clone().any(links_to_new) {
            return None;
        }
        // New entries may link to each other.
        if added.len() > 1 {
            for &id in &added {
                bodies.entries[id] = bodies::entry(collection, id);
            }
        }
        let link_problems = crate::check::links(collection, bodies);
        timings.mark("markdown");
        if link_problems.iter().any(Diagnostic::is_error) {
            return None;
        }
        // The warnings that compare entries with each other: an added or removed
        // entry may change those of others.
        let entry_warnings = crate::check::entries(&collection.entries);
        let mut warnings = std::mem::take(&mut current.warnings);
        warnings.retain(|d| {
            !crate::check::ENTRY_WARNINGS.contains(&d.code)
                && d.location.as_ref().is_none_or(|l| !gone.contains(&l.path))
        });
        warnings.extend(problems);
        warnings.extend(entry_warnings);
        warnings.extend(
            link_problems
                .into_iter()
                .filter(|d| d.location.as_ref().is_some_and(|l| gone.contains(&l.path))),
        );
        crate::diagnostics::sort(&mut warnings);
        let finished = Finish {
            editions: vec![(current.site.collection, current.site.bodies)],
            warnings,
            changed: update.added.iter().cloned().collect(),
            first: false,
            indexes: Vec::new(),
            memo: None,
        };
        Some(self.finish(finished, timings))
    }
}

/// The templates that use one of `changed` (by extending, including or importing it,
/// which name it in quotes), directly or through others, and those themselves.
fn users_of(sources: &BTreeMap<String, String>, changed: BTreeSet<String>) -> BTreeSet<String> {
    // An include of a name held in a variable could be any template.
    let dynamic = sources.values().any(|text| {
        ["{% include ", "{%- include "].iter().any(|tag| {
            text.match_indices(tag)
                .any(|(at, _)| !text[at + tag.len()..].starts_with(['"', '\'']))
        })
    });
    if dynamic {
        return sources.keys().cloned().collect();
    }
    let mut users = changed;
    loop {
        let more: Vec<String> = sources
            .iter()
            .filter(|(name, _)| !users.contains(*name))
            .filter(|(_, text)| {
                users.iter().any(|used| {
                    text.contains(&format!("\"{used}\"")) || text.contains(&format!("'{used}'"))
                })
            })
            .map(|(name, _)| name.clone())
            .collect();
        if more.is_empty() {
            return users;
        }
        users.extend(more);
    }
}

/// Whether a term's list holds the resources of its narrower terms.
fn lists_narrower(collection: &model::Collection) -> bool {
    collection
        .taxonomies
        .iter()
        .any(|t| t.config.include_narrower && t.terms.iter().any(|term| !term.narrower.is_empty()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sources(list: &[(&str, &str)]) -> BTreeMap<String, String> {
        list.iter()
            .map(|(name, text)| (name.to_string(), text.to_string()))
            .collect()
    }

    #[test]
    fn a_template_is_used_by_what_extends_or_includes_it() {
        let theme = sources(&[
            ("base.html", "{% include \"partials/nav.html\" %}"),
            ("partials/nav.html", "<nav></nav>"),
            ("partials/card.html", "<article></article>"),
            (
                "section.html",
                "{% extends \"base.html\" %}{% include 'partials/card.html' %}",
            ),
            ("resource.html", "{% extends \"base.html\" %}"),
        ]);
        let changed = |name: &str| BTreeSet::from([name.to_string()]);
        let names = |set: BTreeSet<String>| set.into_iter().collect::<Vec<_>>();
        assert_eq!(
            names(users_of(&theme, changed("partials/card.html"))),
            ["partials/card.html", "section.html"]
        );
        assert_eq!(
            names(users_of(&theme, changed("partials/nav.html"))),
            [
                "base.html",
                "partials/nav.html",
                "resource.html",
                "section.html"
            ]
        );
        let mut dynamic = theme.clone();
        dynamic.insert("page.html".into(), "{% include which %}".into());
        assert_eq!(users_of(&dynamic, changed("resource.html")).len(), 6);
    }
}
