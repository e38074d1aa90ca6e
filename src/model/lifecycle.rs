//! Where a resource is in its life: its `status` (current, superseded, withdrawn,
//! under review), the entry that `superseded_by` names, and its dated change notes.
//! Read with the other fields; successors resolved once every entry is known.

use std::collections::BTreeMap;

use serde::Serialize;

use super::date::PartialDate;
use super::fields::{self, Fields};
use super::{Entry, EntryId, Target, missing_target};
use crate::diagnostics::{Diagnostic, did_you_mean};
use crate::yaml::Step;

/// A resource's standing. `Current` unless the front matter says otherwise.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    #[default]
    Current,
    Superseded,
    Withdrawn,
    UnderReview,
}

/// The values `status:` takes, as written.
pub const STATUSES: [&str; 4] = ["current", "superseded", "withdrawn", "under-review"];

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Current => "current",
            Status::Superseded => "superseded",
            Status::Withdrawn => "withdrawn",
            Status::UnderReview => "under-review",
        }
    }

    /// Superseded and withdrawn entries are kept for the record but no longer guide
    /// anyone: "newest" lists leave them out and search ranks them last.
    pub fn is_retired(self) -> bool {
        matches!(self, Status::Superseded | Status::Withdrawn)
    }
}

/// One dated note of what changed in a resource (`changes: [{date, note}]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeNote {
    pub date: PartialDate,
    pub note: String,
}

/// What the lifecycle fields of one resource say, as written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Lifecycle {
    pub status: Status,
    /// The path `superseded_by` names, as written; resolved into `Entry::superseded_by`.
    pub successor_path: Option<String>,
    /// Newest first; notes of one day keep the order written.
    pub changes: Vec<ChangeNote>,
}

impl Lifecycle {
    /// The date of the newest change note.
    pub fn last_change(&self) -> Option<PartialDate> {
        self.changes.first().map(|c| c.date)
    }
}

/// Reads `status`, `superseded_by` and `changes`, each problem located.
pub(super) fn read(f: &mut Fields) -> Lifecycle {
    let mut known = true;
    let status = match f.text("status") {
        None => Status::Current,
        Some(text) => match STATUSES.iter().position(|s| *s == text) {
            Some(i) => [
                Status::Current,
                Status::Superseded,
                Status::Withdrawn,
                Status::UnderReview,
            ][i],
            None => {
                let location = f.value_location("status", &text);
                f.problems.push(
                    Diagnostic::error("status", format!("unknown status `{text}`"))
                        .at(location)
                        .label("not a status")
                        .help(match did_you_mean(&text, STATUSES.iter().copied()) {
                            Some(s) => format!("did you mean `{s}`?"),
                            None => format!("a status is one of: {}", STATUSES.join(", ")),
                        }),
                );
                known = false;
                Status::Current
            }
        },
    };
    let successor_path = f.text("superseded_by").filter(|s| !s.is_empty());
    if known && successor_path.is_some() && !status.is_retired() {
        let location = f.key_location("superseded_by");
        let written = if f.get("status").is_some() {
            format!("`{}`", status.as_str())
        } else {
            "current (no `status:`)".to_string()
        };
        f.problems.push(
            Diagnostic::error(
                "status",
                format!("the entry names a successor but its status is {written}"),
            )
            .at(location)
            .label("a successor for an entry still in force")
            .help("write `status: superseded` (or `withdrawn`), or remove `superseded_by`"),
        );
    }
    if status == Status::Superseded && successor_path.is_none() {
        let location = f.value_location("status", "superseded");
        f.problems.push(
            Diagnostic::error("status", "a superseded entry must name its successor")
                .at(location)
                .label("superseded by what?")
                .help("add `superseded_by: <section>/<file>.md`, or use `status: withdrawn` when nothing replaces it"),
        );
    }
    Lifecycle {
        status,
        successor_path,
        changes: changes(f),
    }
}

pub(crate) fn changes(f: &mut Fields) -> Vec<ChangeNote> {
    let items = match f.get("changes") {
        None | Some(serde_yaml::Value::Null) => return Vec::new(),
        Some(serde_yaml::Value::Sequence(items)) => items,
        Some(_) => {
            let location = f.key_location("changes");
            f.problems.push(
                Diagnostic::error("field-type", "`changes` must be a list of dated notes")
                    .at(location)
                    .label("expected a list")
                    .help("write each change as `- { date: 2026-03-03, note: What changed }`"),
            );
            return Vec::new();
        }
    };
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let at = |key: &str| [Step::key("changes"), Step::Item(i), Step::key(key)];
        let serde_yaml::Value::Mapping(map) = item else {
            let location = f.path_location(&[Step::key("changes"), Step::Item(i)]);
            f.problems.push(
                Diagnostic::error("field-type", "each change needs a `date` and a `note`")
                    .at(location)
                    .label("not a `{date, note}` map")
                    .help("write it as `- { date: 2026-03-03, note: What changed }`"),
            );
            continue;
        };
        for key in map.keys().map(crate::yaml::scalar_text) {
            if key != "date" && key != "note" {
                let location = f.path_location(&at(&key));
                f.problems.push(
                    Diagnostic::error("unknown-field", format!("a change has no field `{key}`"))
                        .at(location)
                        .label("not a field of a change")
                        .help("a change has a `date` and a `note`"),
                );
            }
        }
        let note = map
            .get("note")
            .map(crate::yaml::scalar_text)
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty());
        let date_text = map
            .get("date")
            .map(crate::yaml::scalar_text)
            .filter(|s| !s.trim().is_empty());
        let date = match &date_text {
            Some(text) => f.nested_date("changes", &at("date"), text),
            None => {
                let location = f.path_location(&[Step::key("changes"), Step::Item(i)]);
                f.problems.push(
                    Diagnostic::error("field-type", "the change has no `date`")
                        .at(location)
                        .label("when was this change made?")
                        .help("add `date: YYYY-MM-DD`"),
                );
                None
            }
        };
        if note.is_none() && date_text.is_some() {
            let location = f.path_location(&[Step::key("changes"), Step::Item(i)]);
            f.problems.push(
                Diagnostic::error("field-type", "the change has no `note`")
                    .at(location)
                    .label("what changed?")
                    .help("add `note:` with a sentence saying what changed"),
            );
        }
        if let (Some(date), Some(note)) = (date, note) {
            out.push(ChangeNote { date, note });
        }
    }
    // Stable: notes of one day stay in the order written.
    out.sort_by_key(|c| std::cmp::Reverse(c.date));
    out
}

/// Resolves each `superseded_by` path to its entry and fills `replaces`; a path to
/// nothing (or to a section), a resource superseded by itself and a circle of
/// successors are located errors.
pub(super) fn resolve(
    entries: &mut [Entry],
    targets: &BTreeMap<String, Target>,
    problems: &mut Vec<Diagnostic>,
) {
    let written: Vec<Option<String>> = entries
        .iter()
        .map(|e| e.lifecycle.successor_path.clone())
        .collect();
    for (id, path) in written.into_iter().enumerate() {
        let Some(path) = path else {
            continue;
        };
        let key = path.trim_start_matches("@/").trim_start_matches('/');
        match targets.get(key) {
            Some(Target::Entry(target)) if *target != id => {
                entries[id].superseded_by = Some(*target);
            }
            Some(Target::Entry(_)) => {
                let location = fields::locate_value(&entries[id].file, "superseded_by", &path);
                problems.push(
                    Diagnostic::error("status", "the entry names itself as its successor")
                        .at(location)
                        .label("this file")
                        .help("name the entry that replaces this one"),
                );
            }
            _ => {
                let location = fields::locate_value(&entries[id].file, "superseded_by", &path);
                problems.push(missing_target(
                    targets,
                    key,
                    location,
                    "`superseded_by` names",
                ));
            }
        }
    }
    for id in 0..entries.len() {
        if let Some(cycle) = cycle_from(entries, id) {
            let names: Vec<String> = cycle.iter().map(|&e| entries[e].file.rel.clone()).collect();
            let path = entries[id]
                .lifecycle
                .successor_path
                .clone()
                .unwrap_or_default();
            let location = fields::locate_value(&entries[id].file, "superseded_by", &path);
            problems.push(
                Diagnostic::error(
                    "status",
                    format!(
                        "the successors go round in a circle: {} → {}",
                        names.join(" → "),
                        names[0]
                    ),
                )
                .at(location)
                .label("leads back to this entry")
                .help("the newest entry of the chain must not be superseded"),
            );
        }
    }
    // A circle would send readers round it; its links are dropped (the errors stop
    // a build anyway, but `check` goes on to later stages).
    let in_cycle: Vec<EntryId> = (0..entries.len())
        .filter(|&id| cycle_from(entries, id).is_some())
        .collect();
    for id in in_cycle {
        entries[id].superseded_by = None;
    }
    for id in 0..entries.len() {
        if let Some(successor) = entries[id].superseded_by {
            entries[successor].replaces.push(id);
        }
    }
}

/// The chain of successors from `start` back to it, when there is one.
fn cycle_from(entries: &[Entry], start: EntryId) -> Option<Vec<EntryId>> {
    let mut chain = vec![start];
    let mut current = entries[start].superseded_by?;
    while chain.len() <= entries.len() {
        if current == start {
            return Some(chain);
        }
        if chain.contains(&current) {
            // A circle further along that `start` only leads into.
            return None;
        }
        chain.push(current);
        current = entries[current].superseded_by?;
    }
    None
}
