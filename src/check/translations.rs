//! Translations that fell behind: a source committed in git after its translation
//! was last committed has changed in ways the translation may not say yet.

use crate::content::SourceFile;
use crate::content::history::History;
use crate::diagnostics::{Diagnostic, Location};
use crate::model::Collection;

/// A warning for each translation whose source was committed after it.
pub fn outdated(
    default: &Collection,
    translated: &[&Collection],
    history: &History,
) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for collection in translated {
        let entries = collection
            .entries
            .iter()
            .zip(&default.entries)
            .filter(|(entry, _)| !entry.elsewhere)
            .map(|(entry, source)| (&entry.file, &source.file));
        let sections = collection
            .sections
            .iter()
            .zip(&default.sections)
            .filter_map(|(section, source)| Some((section.file.as_ref()?, source.file.as_ref()?)));
        for (translation, source) in entries.chain(sections) {
            if translation.rel == source.rel {
                continue;
            }
            if let Some(problem) = behind(translation, source, history) {
                problems.push(problem);
            }
        }
    }
    problems
}

fn behind(translation: &SourceFile, source: &SourceFile, history: &History) -> Option<Diagnostic> {
    let translated = history.last_commit(&translation.rel)?;
    let changed = history.last_commit(&source.rel)?;
    (changed > translated).then(|| {
        Diagnostic::warning(
            "outdated-translation",
            format!(
                "content/{} changed on {} after this translation was last changed on {}",
                source.rel,
                day(changed),
                day(translated)
            ),
        )
        .at(Location::span(&translation.source, 0..0))
        .label("older than its source")
        .help(format!(
            "see what changed with `git log -p content/{}`, bring the translation up to date and commit it",
            source.rel
        ))
    })
}

/// A commit time as its day, `2026-11-03` (UTC).
fn day(seconds: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(seconds)
        .map(|t| {
            let date = t.date();
            format!(
                "{:04}-{:02}-{:02}",
                date.year(),
                u8::from(date.month()),
                date.day()
            )
        })
        .unwrap_or_else(|_| seconds.to_string())
}
