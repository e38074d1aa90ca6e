//! Edits applied to a modelled collection in place, for the dev server: a changed
//! entry file is read again and its entry swapped in, and the section and term lists
//! it is on are put back in order, instead of modelling every file again. Only edits
//! that leave the rest of the collection as a full build would make it qualify; for
//! any other the caller models the whole collection again.

use std::sync::Arc;

use super::{
    Collection, Entry, EntryId, EntryKind, Target, check_entries, entry_order, read_entry, slugify,
    title_order,
};
use crate::content::SourceFile;
use crate::diagnostics::Diagnostic;

/// A changed entry, read and resolved, ready to be swapped in by [`apply`].
pub struct Replacement {
    pub id: EntryId,
    pub entry: Entry,
    /// Warnings about the file (errors make [`reread`] give up).
    pub problems: Vec<Diagnostic>,
}

/// Reads changed entry files against `collection` without changing it. `None` when
/// an edit reaches beyond its entry, so that swapping it in would not give what a full
/// build gives: the file is not an entry's (`_index.md`), it has an error, or its
/// output path, aliases, outbound address, draft status or glossary phrases changed,
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
        {
            return None;
        }
        // Glossary phrases are in every body that autolinks them.
        if old.kind == EntryKind::Glossary
            && (entry.title != old.title
                || entry.synonyms != old.synonyms
                || entry.summary != old.summary)
        {
            return None;
        }
        for (path, _) in related {
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
    values: Vec<Vec<(String, crate::diagnostics::Location)>>,
) -> Option<Vec<Vec<usize>>> {
    let old = &collection.entries[id];
    let mut chosen = vec![Vec::new(); collection.taxonomies.len()];
    for (t, values) in values.into_iter().enumerate() {
        let taxonomy = &collection.taxonomies[t];
        let open = taxonomy.config.terms.is_none();
        for (value, _) in values {
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
/// problems of the changed files, warnings about entries included.
pub fn apply(collection: &mut Collection, replacements: Vec<Replacement>) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let mut changed_sources = Vec::new();
    for Replacement {
        id,
        entry,
        problems: mut read,
    } in replacements
    {
        problems.append(&mut read);
        changed_sources.push(entry.file.source.path.clone());
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
    // Warnings that compare entries: only the changed files' are new.
    problems.extend(check_entries(&collection.entries).into_iter().filter(|d| {
        d.location
            .as_ref()
            .is_some_and(|l| changed_sources.contains(&l.path))
    }));
    problems
}
