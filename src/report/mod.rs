//! The curator's report: the state of the collection as a list of sections (reviews
//! due, missing fields, unused vocabulary terms, empty matrix cells, links to
//! superseded entries, link health, colleagues' proposals waiting for review), each
//! a list of items pointing at a file and line. Written as text ([`text`]), JSON
//! (serde) or a self-contained HTML page ([`html`]).

pub mod html;
mod links;
mod proposals;
mod sections;
pub mod text;

use serde::Serialize;
use time::Date;

use crate::bodies::Bodies;
use crate::model::Collection;
use crate::model::review;

/// The whole report.
#[derive(Debug, Serialize)]
pub struct Report {
    /// The collection's title.
    pub collection: String,
    /// The day reviews were counted on, `YYYY-MM-DD`.
    pub today: String,
    pub sections: Vec<Section>,
}

/// One part of the report: what it checks, and what it found.
#[derive(Debug, Serialize)]
pub struct Section {
    /// A stable name for scripts: `review`, `missing`, `vocabulary`, `matrix`,
    /// `superseded_links`, `links`, `proposals`.
    pub name: &'static str,
    pub title: &'static str,
    /// What an empty section means, in a sentence.
    pub empty: &'static str,
    /// Why the section says nothing, when it cannot apply (no review policy, no matrix).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub skipped: Option<String>,
    /// What the section counted beyond its findings, in a sentence.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub items: Vec<Item>,
}

/// One finding.
#[derive(Debug, Serialize)]
pub struct Item {
    /// What the finding is about: an entry's title, a term, a cell.
    pub title: String,
    /// The file to open, relative to the collection (`content/x.md`, `almanac.yaml`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// The finding in words.
    pub detail: String,
    /// The finding's particulars for scripts (dates, field names, paths).
    pub data: serde_json::Value,
}

impl Report {
    /// How many findings in all.
    pub fn count(&self) -> usize {
        self.sections.iter().map(|s| s.items.len()).sum()
    }
}

/// Makes the report of `collection` (with its rendered bodies, for the links they
/// hold) as of `today`.
pub fn make(collection: &Collection, bodies: &Bodies, today: Date) -> Report {
    Report {
        collection: collection.config.title.clone(),
        today: review::iso(today),
        sections: vec![
            sections::review(collection, today),
            sections::missing(collection),
            sections::vocabulary(collection),
            sections::matrix(collection),
            sections::superseded_links(collection, bodies),
            links::links(collection, bodies),
            proposals::proposals(collection),
        ],
    }
}

/// The report as pretty JSON, ending with a newline.
pub fn json(report: &Report) -> String {
    let mut out = serde_json::to_string_pretty(report).unwrap_or_default();
    out.push('\n');
    out
}
