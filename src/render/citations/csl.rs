//! CSL-JSON, the Citation Style Language's items: what `resources.csl.json` and
//! each resource's `.csl.json` hold, and what its reference is formatted from.

use serde::Serialize;

use super::{Name, Reference};
use crate::model::date::PartialDate;

/// One CSL-JSON item.
#[derive(Debug, Serialize)]
pub struct CslItem<'a> {
    id: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
    title: &'a str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    author: Vec<CslName<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    publisher: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    issued: Option<CslDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    accessed: Option<CslDate>,
    #[serde(rename = "URL")]
    url: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    language: Option<&'a str>,
    #[serde(rename = "abstract", skip_serializing_if = "Option::is_none")]
    summary: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    keyword: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    license: Option<&'a str>,
}

#[derive(Debug, Serialize)]
#[serde(untagged)]
enum CslName<'a> {
    Person {
        family: &'a str,
        #[serde(skip_serializing_if = "no_text")]
        given: &'a str,
    },
    Literal {
        literal: &'a str,
    },
}

fn no_text(text: &&str) -> bool {
    text.is_empty()
}

/// A date known to the year, month or day: CSL keeps what is known.
#[derive(Debug, Serialize)]
struct CslDate {
    #[serde(rename = "date-parts")]
    date_parts: [Vec<i32>; 1],
}

impl From<PartialDate> for CslDate {
    fn from(date: PartialDate) -> CslDate {
        let mut parts = vec![date.year];
        parts.extend(date.month.map(i32::from));
        if date.month.is_some() {
            parts.extend(date.day.map(i32::from));
        }
        CslDate {
            date_parts: [parts],
        }
    }
}

/// A reference as a CSL-JSON item.
pub fn csl_item<'a>(reference: &'a Reference) -> CslItem<'a> {
    CslItem {
        id: &reference.id,
        kind: reference.kind.csl(),
        title: reference.title,
        author: reference
            .authors
            .iter()
            .map(|name| match name {
                Name::Person { family, given } => CslName::Person { family, given },
                Name::Organisation(literal) => CslName::Literal { literal },
            })
            .collect(),
        publisher: (!reference.publishers.is_empty()).then(|| reference.publishers.join("; ")),
        issued: reference.issued.map(CslDate::from),
        accessed: reference.accessed.map(CslDate::from),
        url: &reference.url,
        language: reference.language,
        summary: reference.summary,
        keyword: (!reference.keywords.is_empty()).then(|| reference.keywords.join(", ")),
        license: reference.licence,
    }
}

impl CslItem<'_> {
    /// What citation styles are given: without the publisher where the publishers
    /// stand as authors, which styles would name twice.
    pub fn for_styles(
        &self,
        authored_by_publishers: bool,
    ) -> serde_json::Result<serde_json::Value> {
        let mut value = serde_json::to_value(self)?;
        if authored_by_publishers && let Some(map) = value.as_object_mut() {
            map.remove("publisher");
        }
        Ok(value)
    }
}

/// CSL-JSON: an array of items, one per reference, as `references` orders them.
pub fn csl_json(references: &[Reference]) -> serde_json::Result<String> {
    let items: Vec<CslItem> = references.iter().map(csl_item).collect();
    let mut text = serde_json::to_string_pretty(&items)?;
    text.push('\n');
    Ok(text)
}
