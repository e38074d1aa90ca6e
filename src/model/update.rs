//! Edits applied to a modelled collection in place, for the dev server: a changed
//! entry file is read again and its entry swapped in, and the section and term lists
//! it is on are put back in order, instead of modelling every file again; a new
//! entry file is read and inserted ([`add`]), a removed one taken out ([`remove`]),
//! a section's `_index.md` read again and its text swapped in ([`reread_section`]).
//! Only edits that leave the rest of the collection as a full build would make it
//! qualify; for any other the caller models the whole collection again.
//!
//! Entries are numbered in the order of their files, as a full build numbers them
//! (an open vocabulary's term is labelled as its first entry writes it), so adding
//! or removing one renumbers those after it everywhere an entry is named.

use std::sync::Arc;

use super::entries::read_entry;
use super::ordering::{entry_order, title_order, weight_then};
use super::sections::read_section;
use super::{Collection, Entry, EntryId, EntryKind, SectionId, Target};
use crate::content::SourceFile;
use crate::diagnostics::Diagnostic;
use crate::paths::slugify;

/// A changed entry, read and resolved, ready to be swapped in by [`apply`].
pub struct Replacement {
    pub id: EntryId,
    pub entry: Entry,
    /// Warnings about the file (errors make [`reread`] give up).
    pub problems: Vec<Diagnostic>,
}

/// Reads changed entry files against `collection` without changing it. A glossary
/// entry's phrases (title, synonyms, definition) may change: the caller renders again
/// the bodies that mention them. `None` when an edit reaches beyond its entry, so
/// that swapping it in would not give what a full build gives: the file is not an
/// entry's (`_index.md`), it has an error, or its output path, aliases, outbound
/// address or draft status changed,
/// a `related` path or a term is new to the collection, or an open vocabulary's term
/// would come or go or be labelled differently.
pub fn reread(collection: &Collection, files: Vec<SourceFile>) -> Option<Vec<Replacement>> {
    let mut replacements: Vec<Replacement> = Vec::with_capacity(files.len());
    for file in files {
        let Some(&Target::Entry(id)) = collection.targets.get(&file.rel) else {
            return None;
        };
        if replacements.iter().any(|r| r.id == id) {
            return None;
        }
        let old = &collection.entries[id];
        let (entry, problems, related, terms) = read_entry(
            &collection.config,
            Arc::new(file),
            old.kind,
            old.section,
            &collection.sections,
        );
        let mut entry = entry?;
        if problems.iter().any(Diagnostic::is_error)
            || entry.path != old.path
            || entry.aliases != old.aliases
            || entry.url != old.url
            || entry.draft != old.draft
            || entry.lifecycle.status != old.lifecycle.status
            || entry.lifecycle.successor_path.is_some()
            || old.superseded_by.is_some()
            || !old.replaces.is_empty()
        {
            // Supersession links two pages (the banner and "Replaces"): a full build.
            return None;
        }
        for path in related {
            let key = path.trim_start_matches("@/").trim_start_matches('/');
            match collection.targets.get(key) {
                Some(Target::Entry(target)) => entry.related.push(*target),
                _ => return None,
            }
        }
        entry.terms = resolve_terms(collection, id, terms)?;
        replacements.push(Replacement {
            id,
            entry,
            problems,
        });
    }
    Some(replacements)
}

/// Each taxonomy's term indexes for entry `id`, as a full build would choose them.
fn resolve_terms(
    collection: &Collection,
    id: EntryId,
    values: Vec<Vec<String>>,
) -> Option<Vec<Vec<usize>>> {
    let old = &collection.entries[id];
    let mut chosen = vec![Vec::new(); collection.taxonomies.len()];
    for (t, values) in values.into_iter().enumerate() {
        let taxonomy = &collection.taxonomies[t];
        let open = taxonomy.config.terms.is_none();
        for value in values {
            let slug = if open { slugify(&value) } else { value.clone() };
            let index = taxonomy.terms.iter().position(|term| term.slug == slug)?;
            if open {
                // An open term is labelled as its first resource (by file) writes it.
                let term = &taxonomy.terms[index];
                let first = term.resources.iter().copied().filter(|&r| r != id).min();
                if first.is_none_or(|first| id < first) && term.label != value {
                    return None;
                }
            }
            if !chosen[t].contains(&index) {
                chosen[t].push(index);
            }
        }
        if open {
            // A full build lists open terms in the vocabulary's order.
            chosen[t].sort_unstable();
            let old_terms = old.terms.get(t).map_or(&[][..], Vec::as_slice);
            for &index in old_terms {
                let term = &taxonomy.terms[index];
                let leaving = !chosen[t].contains(&index);
                let others = term.resources.iter().copied().filter(|&r| r != id);
                // A term left empty disappears; a term whose first user leaves is
                // labelled by the next one.
                if leaving && (others.clone().next().is_none() || others.min() > Some(id)) {
                    return None;
                }
            }
        }
    }
    Some(chosen)
}

/// Swaps the replacements in and re-orders the lists they are on. Gives the
/// problems of the changed files (the warnings that compare entries with each
/// other are check's, `check::entries`).
pub fn apply(collection: &mut Collection, replacements: Vec<Replacement>) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for Replacement {
        id,
        entry,
        problems: mut read,
    } in replacements
    {
        problems.append(&mut read);
        let old_terms = std::mem::take(&mut collection.entries[id].terms);
        collection.entries[id] = entry;
        let entries = &collection.entries;
        for (t, taxonomy) in collection.taxonomies.iter_mut().enumerate() {
            let new_terms = &entries[id].terms[t];
            for &index in old_terms[t].iter().chain(new_terms) {
                let list = &mut taxonomy.terms[index].resources;
                list.retain(|&r| r != id);
                if new_terms.contains(&index) {
                    let at =
                        list.partition_point(|&r| title_order(&entries[r], &entries[id]).is_lt());
                    list.insert(at, id);
                }
            }
        }
        let section = &mut collection.sections[entries[id].section];
        let sort_by = section.sort_by;
        section.entries.retain(|&e| e != id);
        let at = section
            .entries
            .partition_point(|&e| entry_order(sort_by, &entries[e], &entries[id]).is_lt());
        section.entries.insert(at, id);
    }
    problems
}

/// Inserts the entry of a new file. Gives its id and the file's problems, or `None`
/// when a full build must model it: the file is a section's `_index.md`, a draft
/// left out, in a folder that is no section yet, a glossary entry (its phrases reach
/// other bodies), has an error, names a `related` path or open term the collection
/// does not have, or would label an open term. The caller checks that its page's
/// path is free (`check::output_paths`). After `None` the collection may be half
/// changed: the caller must model it again.
pub fn add(
    collection: &mut Collection,
    file: SourceFile,
    drafts: bool,
) -> Option<(EntryId, Vec<Diagnostic>)> {
    if file.file_name() == "_index.md" || collection.targets.contains_key(&file.rel) {
        return None;
    }
    let section = collection
        .sections
        .iter()
        .position(|s| s.dir == file.dir())?;
    let kind = if section == 0 {
        EntryKind::Page
    } else if collection.sections[section].glossary {
        EntryKind::Glossary
    } else {
        EntryKind::Resource
    };
    if kind == EntryKind::Glossary {
        return None;
    }
    let rel = file.rel.clone();
    let (entry, problems, related, terms) = read_entry(
        &collection.config,
        Arc::new(file),
        kind,
        section,
        &collection.sections,
    );
    let entry = entry?;
    if problems.iter().any(Diagnostic::is_error)
        || (entry.draft && !drafts)
        || entry.lifecycle.successor_path.is_some()
    {
        return None;
    }
    let id = collection
        .entries
        .partition_point(|e| e.file.rel.as_str() < rel.as_str());
    renumber(collection, |e| if e >= id { e + 1 } else { e });
    collection.entries.insert(id, entry);
    collection.targets.insert(rel, Target::Entry(id));
    for path in related {
        let key = path.trim_start_matches("@/").trim_start_matches('/');
        match collection.targets.get(key) {
            Some(Target::Entry(target)) => collection.entries[id].related.push(*target),
            _ => return None,
        }
    }
    // The new entry is on no list yet and has no terms of its own to leave.
    let chosen = resolve_terms(collection, id, terms)?;
    collection.entries[id].terms = chosen;
    let entries = &collection.entries;
    for (t, taxonomy) in collection.taxonomies.iter_mut().enumerate() {
        for &index in &entries[id].terms[t] {
            let list = &mut taxonomy.terms[index].resources;
            let at = list.partition_point(|&r| title_order(&entries[r], &entries[id]).is_lt());
            list.insert(at, id);
        }
    }
    let section = &mut collection.sections[entries[id].section];
    let sort_by = section.sort_by;
    let at = section
        .entries
        .partition_point(|&e| entry_order(sort_by, &entries[e], &entries[id]).is_lt());
    section.entries.insert(at, id);
    Some((id, problems))
}

/// Takes out the entry of a removed file. Gives its former id, or `None` when a
/// full build must model the change: the file is no entry's, a glossary entry, named
/// by another entry's `related`, the last entry of an open term, or the first one
/// (which labels it) when the next writes the term otherwise. After `None` the
/// collection is as it was.
pub fn remove(collection: &mut Collection, rel: &str) -> Option<EntryId> {
    let &Target::Entry(id) = collection.targets.get(rel)? else {
        return None;
    };
    let entry = &collection.entries[id];
    if entry.kind == EntryKind::Glossary
        || collection.entries.iter().any(|e| e.related.contains(&id))
        || entry.superseded_by.is_some()
        || !entry.replaces.is_empty()
    {
        return None;
    }
    for (t, taxonomy) in collection.taxonomies.iter().enumerate() {
        if taxonomy.config.terms.is_some() {
            continue;
        }
        for &index in entry.terms.get(t).into_iter().flatten() {
            let term = &taxonomy.terms[index];
            if term.resources.iter().copied().min() != Some(id) {
                continue;
            }
            // The term's first entry leaves: the next one labels it now, as it writes
            // it. A term left empty, or labelled otherwise, takes a full build.
            let next = term.resources.iter().copied().filter(|&r| r != id).min()?;
            let other = &collection.entries[next];
            let (_, _, _, values) = read_entry(
                &collection.config,
                other.file.clone(),
                other.kind,
                other.section,
                &collection.sections,
            );
            let written = values
                .get(t)?
                .iter()
                .find(|value| slugify(value) == term.slug)?;
            if *written != term.label {
                return None;
            }
        }
    }
    let section = entry.section;
    for taxonomy in &mut collection.taxonomies {
        for term in &mut taxonomy.terms {
            term.resources.retain(|&r| r != id);
        }
    }
    collection.sections[section].entries.retain(|&e| e != id);
    collection.targets.remove(rel);
    collection.entries.remove(id);
    renumber(collection, |e| if e > id { e - 1 } else { e });
    Some(id)
}

/// Maps every entry id held anywhere in the collection through `map`.
fn renumber(collection: &mut Collection, map: impl Fn(EntryId) -> EntryId) {
    for section in &mut collection.sections {
        for e in &mut section.entries {
            *e = map(*e);
        }
    }
    for taxonomy in &mut collection.taxonomies {
        for term in &mut taxonomy.terms {
            for e in &mut term.resources {
                *e = map(*e);
            }
        }
    }
    for entry in &mut collection.entries {
        for e in entry.related.iter_mut().chain(&mut entry.replaces) {
            *e = map(*e);
        }
        if let Some(e) = &mut entry.superseded_by {
            *e = map(*e);
        }
    }
    for target in collection.targets.values_mut() {
        if let Target::Entry(e) = target {
            *e = map(*e);
        }
    }
}

/// Swaps in the text of an edited `_index.md` (title, description, weight, `extra`,
/// body). Gives the section's id and the file's problems, or `None` when the edit
/// reaches further (its path, aliases, order, pagination, kind or template changed,
/// or it has an error) or the file is no section's. The parent's subsections are
/// put back in order, since they are ordered by weight and title.
pub fn reread_section(
    collection: &mut Collection,
    file: SourceFile,
) -> Option<(SectionId, Vec<Diagnostic>)> {
    let Some(&Target::Section(id)) = collection.targets.get(&file.rel) else {
        return None;
    };
    let old = &collection.sections[id];
    let mut problems = Vec::new();
    let new = read_section(
        &collection.config,
        &old.dir,
        Some(Arc::new(file)),
        &mut problems,
    );
    if problems.iter().any(Diagnostic::is_error)
        || new.path != old.path
        || new.aliases != old.aliases
        || new.sort_by != old.sort_by
        || new.paginate_by != old.paginate_by
        || new.glossary != old.glossary
        || new.template != old.template
    {
        return None;
    }
    let section = &mut collection.sections[id];
    section.title = new.title;
    section.description = new.description;
    section.weight = new.weight;
    section.extra = new.extra;
    section.file = new.file;
    if let Some(parent) = section.parent {
        let weights: Vec<(Option<i64>, String)> = collection
            .sections
            .iter()
            .map(|s| (s.weight, s.title.to_lowercase()))
            .collect();
        collection.sections[parent]
            .children
            .sort_by(|&a, &b| weight_then(&weights[a], &weights[b]));
    }
    Some((id, problems))
}
