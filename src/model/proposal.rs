//! Where a resource came from when a colleague proposed it: `proposed:` in its
//! front matter, which `almanac new --from-issue` writes (with `draft: true`), so
//! that the curator's report can list the proposals still waiting for review. It
//! is never published: no page, export or index shows it.

use std::sync::Arc;

use super::date::PartialDate;
use super::fields::Fields;
use crate::content::SourceFile;
use crate::diagnostics::Diagnostic;
use crate::yaml::{Step, scalar_text};

/// What `proposed:` records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proposal {
    /// When the proposal was made into an entry.
    pub date: PartialDate,
    /// Who proposed it, as the forge names them.
    pub by: Option<String>,
    /// Where it was proposed: the issue's address, or its number.
    pub issue: Option<String>,
    /// The proposer's reasons, for the curator (not for readers).
    pub why: Option<String>,
}

/// A draft made from a proposal, still waiting for a curator: drafts are not in
/// the collection's entries unless built with `--drafts`, so they are kept here.
#[derive(Debug, Clone)]
pub struct Proposed {
    pub title: String,
    pub file: Arc<SourceFile>,
    pub proposal: Proposal,
}

/// The keys `proposed:` takes.
const KEYS: [&str; 4] = ["date", "by", "issue", "why"];

/// Reads `proposed:`: a map `{date, by, issue, why}` (only `date` required), or a
/// date alone. Each problem is located.
pub(super) fn read(f: &mut Fields) -> Option<Proposal> {
    let value = f.get("proposed")?;
    let map = match value {
        serde_yaml::Value::Null => return None,
        serde_yaml::Value::Mapping(map) => map.clone(),
        serde_yaml::Value::String(_) | serde_yaml::Value::Number(_) => {
            let date = f.date("proposed")?;
            return Some(Proposal {
                date,
                by: None,
                issue: None,
                why: None,
            });
        }
        _ => {
            let location = f.key_location("proposed");
            f.problems.push(
                Diagnostic::error(
                    "field-type",
                    "`proposed` must be a date or a map `{date, by, issue, why}`",
                )
                .at(location)
                .label("expected a map")
                .help("write it as `proposed: { date: 2026-03-03, by: a-colleague }`"),
            );
            return None;
        }
    };
    let at = |key: &str| [Step::key("proposed"), Step::key(key)];
    for key in map.keys().map(scalar_text) {
        if !KEYS.contains(&key.as_str()) {
            let location = f.path_key_location(&at(&key));
            f.problems.push(
                Diagnostic::error("unknown-field", format!("`proposed` has no field `{key}`"))
                    .at(location)
                    .label("not a field of a proposal")
                    .help(format!("a proposal has: {}", KEYS.join(", "))),
            );
        }
    }
    let text = |key: &str| {
        map.get(key)
            .map(scalar_text)
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
    };
    let date = match text("date") {
        None => {
            let location = f.key_location("proposed");
            f.problems.push(
                Diagnostic::error("field-type", "the proposal has no `date`")
                    .at(location)
                    .label("proposed when?")
                    .help("add `date: YYYY-MM-DD` under `proposed:`"),
            );
            None
        }
        Some(written) => f.nested_date("proposed", &at("date"), &written),
    };
    Some(Proposal {
        date: date?,
        by: text("by"),
        issue: text("issue"),
        why: text("why"),
    })
}
