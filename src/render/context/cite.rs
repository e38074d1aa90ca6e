//! `resource.citation`: how a resource is cited (its reference in the collection's
//! style, the downloads for reference managers) and the `citation_*` (Highwire
//! Press) and Dublin Core `DC.*` tags that browser connectors save it from.

use serde::Serialize;

use super::Input;
use crate::model::EntryId;
use crate::model::date::PartialDate;
use crate::model::pages::{CITATION_FORMATS, citation_url};
use crate::render::citations::{self, Name, Reference};
use crate::render::views::safe;

#[derive(Serialize)]
pub struct CitationView {
    /// What the resource is cited as: `legislation`, `standard`, `report`,
    /// `article`, `software`, `dataset`, `course`, `event` or `webpage`.
    kind: &'static str,
    /// Its schema.org type (`Legislation`, `Report`, `ScholarlyArticle`, …).
    schema_type: &'static str,
    /// The style's name (`APA Style 7th edition`), or none without a style.
    style: Option<&'static str>,
    /// The formatted reference (safe HTML), or none.
    html: Option<tera::Value>,
    /// The credited people and organisations: `{name, person}`.
    authors: Vec<AuthorView>,
    downloads: Vec<Download>,
    /// `{name, content}` of each `<meta>` tag, in order.
    meta: Vec<Meta>,
}

#[derive(Serialize)]
struct AuthorView {
    name: String,
    person: bool,
}

#[derive(Serialize)]
struct Download {
    format: &'static str,
    url: String,
    media_type: &'static str,
    /// The file's name, for the `download` attribute.
    file: String,
}

#[derive(Serialize)]
struct Meta {
    name: &'static str,
    content: String,
}

/// Highwire Press dates: `2020/09/01`, `2020/09` or `2020`.
fn slashed(date: PartialDate) -> String {
    date.to_string().replace('-', "/")
}

fn meta_tags(reference: &Reference) -> Vec<Meta> {
    let mut meta = Vec::new();
    let mut tag = |name: &'static str, content: &str| {
        if !content.trim().is_empty() {
            meta.push(Meta {
                name,
                content: content.to_string(),
            });
        }
    };
    tag("citation_title", reference.title);
    for author in &reference.authors {
        // Zotero's connector splits a name without a comma at its last space,
        // and one with a comma there: an organisation's name with a comma after
        // it is kept whole, as a family name with no given name.
        let name = match author {
            Name::Organisation(name) if !name.contains(',') => format!("{name},"),
            _ => author.inverted(),
        };
        tag("citation_author", &name);
    }
    for publisher in reference.publishers {
        tag("citation_publisher", publisher);
    }
    if reference.kind == citations::Kind::Report {
        for publisher in reference.publishers {
            tag("citation_technical_report_institution", publisher);
        }
    }
    if let Some(date) = reference.issued {
        tag("citation_publication_date", &slashed(date));
    }
    if reference.is_pdf() {
        tag("citation_pdf_url", &reference.url);
        tag("citation_abstract_html_url", &reference.page);
    } else {
        tag("citation_public_url", &reference.url);
    }
    if let Some(language) = reference.language {
        tag("citation_language", language);
    }
    if !reference.keywords.is_empty() {
        tag("citation_keywords", &reference.keywords.join("; "));
    }
    tag("DC.title", reference.title);
    for author in &reference.authors {
        tag("DC.creator", &author.inverted());
    }
    for publisher in reference.publishers {
        tag("DC.publisher", publisher);
    }
    if let Some(date) = reference.issued {
        tag("DC.date", &date.to_string());
    }
    tag("DC.type", reference.kind.zotero_type());
    tag("DCTERMS.type", reference.kind.dcmi_type());
    tag("DC.identifier", &reference.url);
    if let Some(language) = reference.language {
        tag("DC.language", language);
    }
    if let Some(summary) = reference.summary {
        tag("DC.description", summary);
    }
    for keyword in &reference.keywords {
        tag("DC.subject", keyword);
    }
    if let Some(licence) = reference.licence {
        tag("DC.rights", licence);
    }
    meta
}

/// The citation of resource `id` in the page's language.
pub fn citation(input: &Input, id: EntryId) -> CitationView {
    let collection = input.collection;
    let reference = citations::reference(collection, id);
    let entry = &collection.entries[id];
    CitationView {
        kind: reference.kind.name(),
        schema_type: reference.kind.schema_type(),
        style: input.citer.map(|c| c.display_name),
        html: input
            .citer
            .and_then(|c| c.format(&reference, &collection.config.language))
            .map(|html| safe(&html)),
        authors: reference
            .authors
            .iter()
            .map(|a| AuthorView {
                name: a.natural(),
                person: matches!(a, Name::Person { .. }),
            })
            .collect(),
        downloads: CITATION_FORMATS
            .iter()
            .map(|&(format, ext, media_type)| Download {
                format,
                url: citation_url(collection, id, ext),
                media_type,
                file: format!("{}.{ext}", entry.slug),
            })
            .collect(),
        meta: lifecycle_tags(collection, id, meta_tags(&reference)),
    }
}

/// Dublin Core's qualified relations for a superseded resource and its successor,
/// by page address, so that harvesters keep the chain.
fn lifecycle_tags(
    collection: &crate::model::Collection,
    id: EntryId,
    mut meta: Vec<Meta>,
) -> Vec<Meta> {
    let entry = &collection.entries[id];
    let page = |e: EntryId| collection.config.permalink(&collection.entries[e].path);
    if let Some(successor) = entry.superseded_by {
        meta.push(Meta {
            name: "DC.relation.isReplacedBy",
            content: page(successor),
        });
    }
    for &old in &entry.replaces {
        meta.push(Meta {
            name: "DC.relation.replaces",
            content: page(old),
        });
    }
    meta
}
