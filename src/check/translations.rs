//! Translations that fell behind: a source committed in git after its translation
//! was last committed has changed in ways the translation may not say yet.

use std::collections::BTreeMap;

use crate::content::SourceFile;
use crate::content::history::History;
use crate::diagnostics::{Diagnostic, Location};
use crate::model::{Collection, Outdated, Target};

/// The translated entries and sections of `translated` whose source was committed
/// after them: what [`outdated`] warns of, and what their pages say.
pub fn behind(
    default: &Collection,
    translated: &Collection,
    history: &History,
) -> BTreeMap<Target, Outdated> {
    let entries = translated
        .entries
        .iter()
        .zip(&default.entries)
        .enumerate()
        .filter(|(_, (entry, _))| !entry.elsewhere)
        .map(|(id, (entry, source))| (Target::Entry(id), &entry.file, &source.file));
    let sections = translated
        .sections
        .iter()
        .zip(&default.sections)
        .enumerate()
        .filter_map(|(id, (section, source))| {
            Some((
                Target::Section(id),
                section.file.as_ref()?,
                source.file.as_ref()?,
            ))
        });
    entries
        .chain(sections)
        .filter(|(_, translation, source)| translation.rel != source.rel)
        .filter_map(|(target, translation, source)| {
            let translated = history.last_commit(&translation.rel)?;
            let source_changed = history.last_commit(&source.rel)?;
            (source_changed > translated).then_some((
                target,
                Outdated {
                    source_changed,
                    translated,
                },
            ))
        })
        .collect()
}

/// A warning for each translation whose source was committed after it, from the
/// marks [`behind`] left on each translated collection.
pub fn outdated(default: &Collection, translated: &[&Collection]) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for collection in translated {
        for (&target, outdated) in &collection.outdated {
            let files = match target {
                Target::Entry(id) => {
                    Some((&collection.entries[id].file, &default.entries[id].file))
                }
                Target::Section(id) => collection.sections[id]
                    .file
                    .as_ref()
                    .zip(default.sections[id].file.as_ref()),
            };
            if let Some((translation, source)) = files {
                problems.push(warning(translation, source, outdated));
            }
        }
    }
    problems
}

fn warning(translation: &SourceFile, source: &SourceFile, outdated: &Outdated) -> Diagnostic {
    Diagnostic::warning(
        "outdated-translation",
        format!(
            "content/{} changed on {} after this translation was last changed on {}",
            source.rel,
            Outdated::day(outdated.source_changed),
            Outdated::day(outdated.translated)
        ),
    )
    .at(Location::span(&translation.source, 0..0))
    .label("older than its source")
    .help(format!(
        "see what changed with `git log -p content/{}`, bring the translation up to date and commit it",
        source.rel
    ))
}
