//! What each page is to the theme: its kind (`page_kind`) and the template it is
//! rendered with, in one list. Which pages there are is the model's
//! (`model::pages`).

use crate::model::pages::Page;
use crate::model::{Collection, EntryKind};

/// What a page is to its template: the `page_kind` it sees and the theme's template
/// for it (docs/templates.md lists the same).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Home,
    Section,
    Glossary,
    Resource,
    GlossaryTerm,
    PlainPage,
    Taxonomy,
    Term,
    Search,
    NotFound,
}

impl Kind {
    /// `page_kind`, and the template the page is rendered with unless its content
    /// file names another.
    pub const fn names(self) -> (&'static str, &'static str) {
        match self {
            Kind::Home => ("home", "home.html"),
            Kind::Section => ("section", "section.html"),
            Kind::Glossary => ("glossary", "glossary.html"),
            Kind::Resource => ("resource", "resource.html"),
            Kind::GlossaryTerm => ("glossary_term", "glossary_term.html"),
            Kind::PlainPage => ("page", "page.html"),
            Kind::Taxonomy => ("taxonomy", "taxonomy.html"),
            Kind::Term => ("term", "term.html"),
            Kind::Search => ("search", "search.html"),
            Kind::NotFound => ("not_found", "404.html"),
        }
    }
}

/// What kind of page `page` is.
pub fn kind(page: Page, collection: &Collection) -> Kind {
    match page {
        Page::Home => Kind::Home,
        Page::Section(id, _) if collection.sections[id].glossary => Kind::Glossary,
        Page::Section(..) => Kind::Section,
        Page::Entry(id) => match collection.entries[id].kind {
            EntryKind::Resource => Kind::Resource,
            EntryKind::Glossary => Kind::GlossaryTerm,
            EntryKind::Page => Kind::PlainPage,
        },
        Page::Taxonomy(_) => Kind::Taxonomy,
        Page::Term(..) | Page::Cell(..) => Kind::Term,
        Page::Search => Kind::Search,
        Page::NotFound => Kind::NotFound,
    }
}

/// The template `page` is rendered with: its content file's `template`, or its
/// kind's. A glossary section always has the glossary's.
pub fn template(page: Page, collection: &Collection) -> &str {
    let named = match page {
        Page::Section(id, _) if !collection.sections[id].glossary => {
            collection.sections[id].template.as_deref()
        }
        Page::Entry(id) => collection.entries[id].template.as_deref(),
        _ => None,
    };
    named.unwrap_or(kind(page, collection).names().1)
}
