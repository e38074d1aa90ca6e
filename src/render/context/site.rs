//! `site.*`: the values every page sees, set once as Tera's global context.

use serde::Serialize;

use crate::model::{Collection, EntryKind};
use crate::render::Theme;
use crate::render::exports::distributions;
use crate::render::views;

/// `site.*`: the same for every page, set once as Tera's global context.
#[derive(Serialize)]
pub struct SiteView<'a> {
    title: &'a str,
    description: &'a str,
    language: &'a str,
    /// `ltr` or `rtl`, for the `dir` attribute.
    direction: &'static str,
    base_url: &'a str,
    base_path: &'a str,
    /// This language's home page: `base_path`, or the language's folder under it.
    home_url: &'a str,
    sections: Vec<views::SectionLink<'a>>,
    taxonomies: Vec<TaxonomyLink<'a>>,
    glossary: Option<GlossaryLink<'a>>,
    counts: Counts,
    search_url: String,
    /// The script that starts fetching the search reader when a reader focuses a
    /// search box (content-hashed), on every page but the search page.
    search_prefetch_url: Option<String>,
    feed_url: String,
    extra: &'a serde_json::Value,
    theme: &'a serde_json::Map<String, serde_json::Value>,
    /// Every file of the collection as data, for the footer's "Reuse".
    exports: Vec<ExportLink>,
    /// The licence of the collection's data, from `catalog.licence`.
    licence: Option<LicenceLink>,
}

/// One file for reuse: `kind` is `resources` (JSON, CSV), `references` (BibTeX,
/// RIS, CSL-JSON), `feed`, `catalog` (DCAT) or `vocabulary` (SKOS, with the
/// vocabulary's `label`).
#[derive(Serialize)]
struct ExportLink {
    kind: &'static str,
    format: &'static str,
    url: String,
    media_type: &'static str,
    label: Option<String>,
    /// How many resources a `resources` file holds: every one, in every language
    /// (an edition's `site.counts` leaves out what it does not list).
    count: Option<usize>,
}

#[derive(Serialize)]
struct LicenceLink {
    name: String,
    url: String,
}

/// The files of the collection as data, in the order the footer lists them: the
/// feed of `collection`'s language only.
fn exports(collection: &Collection) -> Vec<ExportLink> {
    use crate::model::pages::{VOCABULARIES, Vocabulary, vocabularies};
    let config = &collection.config;
    let rooted = |file: &str| format!("{}{file}", config.base_path);
    let resources = collection.resources().count();
    let mut all: Vec<ExportLink> = distributions(collection)
        .into_iter()
        .filter(|d| d.language.as_deref().is_none_or(|l| l == config.language))
        .map(|d| ExportLink {
            kind: match d.format {
                "JSON" | "CSV" => "resources",
                "Atom" => "feed",
                _ => "references",
            },
            format: d.format,
            url: rooted(&d.file),
            media_type: d.media_type,
            label: None,
            count: matches!(d.format, "JSON" | "CSV").then_some(resources),
        })
        .collect();
    for (format, ext, media_type) in [
        ("Turtle", "ttl", "text/turtle"),
        ("JSON-LD", "jsonld", "application/ld+json"),
    ] {
        all.push(ExportLink {
            kind: "catalog",
            format,
            url: rooted(&format!("catalog.{ext}")),
            media_type,
            label: None,
            count: None,
        });
    }
    for (name, vocabulary) in vocabularies(collection) {
        let label = match vocabulary {
            Vocabulary::Taxonomy(t) => collection.taxonomies[t].config.label.clone(),
            Vocabulary::Glossary(id) => collection.sections[id].title.clone(),
        };
        for (format, ext, media_type) in [
            ("Turtle", "ttl", "text/turtle"),
            ("JSON-LD", "jsonld", "application/ld+json"),
        ] {
            all.push(ExportLink {
                kind: "vocabulary",
                format,
                url: rooted(&format!("{VOCABULARIES}/{name}.{ext}")),
                media_type,
                label: Some(label.clone()),
                count: None,
            });
        }
    }
    all
}

#[derive(Serialize)]
struct TaxonomyLink<'a> {
    name: &'a str,
    label: &'a str,
    url: &'a str,
    count: usize,
}

#[derive(Serialize)]
struct GlossaryLink<'a> {
    title: &'a str,
    url: &'a str,
    count: usize,
}

#[derive(Serialize)]
struct Counts {
    resources: usize,
    glossary: usize,
    pages: usize,
    sections: usize,
}

impl<'a> SiteView<'a> {
    pub fn new(collection: &'a Collection, theme: &'a Theme) -> SiteView<'a> {
        let config = &collection.config;
        let count = |kind| {
            collection
                .entries
                .iter()
                .filter(|e| e.kind == kind && collection.lists(e))
                .count()
        };
        SiteView {
            title: &config.title,
            description: &config.description,
            language: &config.language,
            direction: config.current_language().direction.as_str(),
            base_url: &config.base_url,
            base_path: &config.base_path,
            home_url: &config.home_path,
            sections: collection.sections[0]
                .children
                .iter()
                .map(|&id| views::section_link(collection, id))
                .collect(),
            taxonomies: collection
                .taxonomies
                .iter()
                .map(|t| TaxonomyLink {
                    name: &t.config.name,
                    label: &t.config.label,
                    url: &t.path,
                    count: t
                        .terms
                        .iter()
                        .filter(|term| !term.resources.is_empty())
                        .count(),
                })
                .collect(),
            glossary: collection
                .sections
                .iter()
                .find(|s| s.glossary)
                .map(|s| GlossaryLink {
                    title: &s.title,
                    url: &s.path,
                    count: s.entries.len(),
                }),
            counts: Counts {
                resources: count(EntryKind::Resource),
                glossary: count(EntryKind::Glossary),
                pages: count(EntryKind::Page),
                sections: collection.sections.len() - 1,
            },
            search_url: format!("{}search/", config.home_path),
            search_prefetch_url: theme
                .search_files
                .get("search/prefetch.js")
                .map(|path| format!("{}{path}", config.base_path)),
            feed_url: format!("{}feed.xml", config.home_path),
            extra: &config.extra,
            theme: &theme.options,
            exports: exports(collection),
            licence: config.catalog.licence.as_ref().map(|name| LicenceLink {
                name: name.clone(),
                url: crate::config::licence_url(name),
            }),
        }
    }
}
