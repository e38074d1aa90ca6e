//! The pages of single entries: a resource (`resource`), a glossary term (`entry`)
//! and a plain page (`page`).

use serde::Serialize;

use super::{Head, Input};
use crate::model::{EntryId, SourceRef};
use crate::render::views::{
    self, Card, DateView, Link, StatusView, TaxonomyTerms, TermLink, safe, term_link,
};

#[derive(Serialize)]
struct EntryView<'a> {
    title: &'a str,
    summary: Option<&'a str>,
    body: tera::Value,
    synonyms: &'a [String],
    sources: &'a [SourceRef],
    related: Vec<EntryLink<'a>>,
    url: &'a str,
    permalink: String,
    glossary: Link<'a>,
}

#[derive(Serialize)]
struct PlainPageView<'a> {
    title: &'a str,
    summary: Option<&'a str>,
    body: tera::Value,
    url: &'a str,
    permalink: String,
    extra: &'a serde_json::Value,
}

#[derive(Serialize)]
struct Heading<'a> {
    level: u8,
    id: &'a str,
    title: &'a str,
}

#[derive(Serialize)]
struct ResourceView<'a> {
    title: &'a str,
    summary: Option<&'a str>,
    url: Option<&'a str>,
    permalink: String,
    path: &'a str,
    body: tera::Value,
    publisher: &'a [String],
    authors: &'a [String],
    published: Option<DateView>,
    updated: Option<DateView>,
    reviewed: Option<DateView>,
    licence: Option<&'a str>,
    language: Option<&'a str>,
    section: Link<'a>,
    #[serde(rename = "type")]
    kind: Option<TermLink<'a>>,
    ancestors: Vec<Link<'a>>,
    taxonomies: Vec<TaxonomyTerms<'a>>,
    related: Vec<Card<'a>>,
    headings: Vec<Heading<'a>>,
    extra: &'a serde_json::Value,
    source: String,
    citation: super::cite::CitationView,
    link: LinkHealth,
    /// Superseded, withdrawn or under review; none when current.
    status: Option<StatusView>,
    /// The resource that replaces this one.
    superseded_by: Option<EntryLink<'a>>,
    /// The resources this one replaces.
    replaces: Vec<EntryLink<'a>>,
    /// Dated notes of what changed, newest first.
    changes: Vec<ChangeView<'a>>,
}

#[derive(Serialize)]
struct ChangeView<'a> {
    date: DateView,
    note: &'a str,
}

/// What the last link check said of the resource's address: a broken address is
/// marked, with an archived copy beside it when one is known.
#[derive(Serialize)]
struct LinkHealth {
    broken: bool,
    archived: Option<String>,
}

fn resource_view<'a>(input: &Input<'a>, id: EntryId, body: tera::Value) -> ResourceView<'a> {
    let (collection, bodies, strings) = (input.collection, input.bodies, input.strings);
    let date = |d: &crate::model::date::PartialDate| DateView::new(d, strings);
    let entry = &collection.entries[id];
    let section = &collection.sections[entry.section];
    ResourceView {
        title: &entry.title,
        summary: entry.summary.as_deref(),
        url: entry.url.as_deref(),
        permalink: collection.config.permalink(&entry.path),
        path: &entry.path,
        body,
        publisher: &entry.publisher,
        authors: &entry.authors,
        published: entry.published.as_ref().map(date),
        updated: entry.updated.as_ref().map(date),
        reviewed: entry.reviewed.as_ref().map(date),
        licence: entry.licence.as_deref(),
        language: entry.language.as_deref(),
        section: Link {
            title: &section.title,
            url: &section.path,
        },
        kind: views::primary_term(collection, entry),
        ancestors: views::ancestors(collection, entry.section),
        taxonomies: collection
            .taxonomies
            .iter()
            .enumerate()
            .filter(|(t, _)| entry.terms.get(*t).is_some_and(|terms| !terms.is_empty()))
            .map(|(t, taxonomy)| TaxonomyTerms {
                name: &taxonomy.config.name,
                label: &taxonomy.config.label,
                terms: entry.terms[t]
                    .iter()
                    .map(|&i| term_link(&taxonomy.terms[i]))
                    .collect(),
            })
            .collect(),
        related: entry
            .related
            .iter()
            .filter(|&&r| collection.lists(&collection.entries[r]))
            .map(|&r| Card::new(collection, r, strings))
            .collect(),
        headings: bodies.entries[id]
            .headings
            .iter()
            .map(|h| Heading {
                level: h.level,
                id: &h.id,
                title: &h.title,
            })
            .collect(),
        extra: &entry.extra,
        source: format!("content/{}", entry.file.rel),
        citation: super::cite::citation(input, id),
        link: link_health(collection, entry),
        status: StatusView::new(entry.lifecycle.status, strings),
        superseded_by: entry.superseded_by.map(|s| entry_link(collection, s)),
        replaces: entry
            .replaces
            .iter()
            .map(|&r| entry_link(collection, r))
            .collect(),
        changes: entry
            .lifecycle
            .changes
            .iter()
            .map(|c| ChangeView {
                date: date(&c.date),
                note: &c.note,
            })
            .collect(),
    }
}

/// A link to another entry: `lang` names the language of its page when it has no
/// translation into the page's own (it is then in the default language).
#[derive(Serialize)]
struct EntryLink<'a> {
    title: &'a str,
    url: &'a str,
    lang: Option<&'a str>,
}

fn entry_link(collection: &crate::model::Collection, id: EntryId) -> EntryLink<'_> {
    let entry = &collection.entries[id];
    EntryLink {
        title: &entry.title,
        url: &entry.path,
        lang: views::elsewhere_language(collection, entry),
    }
}

fn link_health(collection: &crate::model::Collection, entry: &crate::model::Entry) -> LinkHealth {
    let record = entry
        .url
        .as_deref()
        .and_then(|url| collection.links.get(url));
    let broken = record.is_some_and(|r| r.is_broken());
    LinkHealth {
        broken,
        archived: broken
            .then(|| {
                entry
                    .archived_url
                    .clone()
                    .or_else(|| record.and_then(|r| r.archived.clone()))
            })
            .flatten(),
    }
}

fn entry_head<'a>(input: &Input<'a>, id: EntryId) -> Head<'a> {
    let entry = &input.collection.entries[id];
    Head {
        title: entry.title.as_str().into(),
        description: entry.summary.as_deref().unwrap_or("").into(),
        source: Some(format!("content/{}", entry.file.rel)),
    }
}

/// `resource.html`'s values.
pub fn resource<'a>(cx: &mut tera::Context, input: &Input<'a>, id: EntryId) -> Head<'a> {
    let body = safe(&input.bodies.entries[id].html);
    cx.insert("resource", &resource_view(input, id, body));
    entry_head(input, id)
}

/// `glossary_term.html`'s values.
pub fn glossary_term<'a>(cx: &mut tera::Context, input: &Input<'a>, id: EntryId) -> Head<'a> {
    let collection = input.collection;
    let entry = &collection.entries[id];
    let section = &collection.sections[entry.section];
    cx.insert(
        "entry",
        &EntryView {
            title: &entry.title,
            summary: entry.summary.as_deref(),
            body: safe(&input.bodies.entries[id].html),
            synonyms: &entry.synonyms,
            sources: &entry.sources,
            related: entry
                .related
                .iter()
                .filter(|&&r| collection.lists(&collection.entries[r]))
                .map(|&r| entry_link(collection, r))
                .collect(),
            url: &entry.path,
            permalink: collection.config.permalink(&entry.path),
            glossary: Link {
                title: &section.title,
                url: &section.path,
            },
        },
    );
    entry_head(input, id)
}

/// `page.html`'s values.
pub fn plain_page<'a>(cx: &mut tera::Context, input: &Input<'a>, id: EntryId) -> Head<'a> {
    let collection = input.collection;
    let entry = &collection.entries[id];
    cx.insert(
        "page",
        &PlainPageView {
            title: &entry.title,
            summary: entry.summary.as_deref(),
            body: safe(&input.bodies.entries[id].html),
            url: &entry.path,
            permalink: collection.config.permalink(&entry.path),
            extra: &entry.extra,
        },
    );
    entry_head(input, id)
}
