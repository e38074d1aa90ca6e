//! What each page's template receives: one builder per kind of page, named as in
//! docs/templates.md, plus the values every page shares (`current_url`,
//! `page_kind`, `page_title`, …). `site.*` is in [`site`].

mod cite;
mod entry;
mod home;
mod lists;
mod search;
pub mod site;

use std::borrow::Cow;

use serde::Serialize;
use tera::Context;

use super::SearchAssets;
use super::alternates::{Alternate, Alternates};
use super::pages::{self, Kind};
use super::views::CardValues;
use super::views::DateView;
use crate::bodies::Bodies;
use crate::diagnostics::Diagnostic;
use crate::i18n::Strings;
use crate::model::pages::{Cells, Page};
use crate::model::{Collection, Outdated, Target};

/// What every builder reads from: the collection, its bodies, and what one render
/// shares between pages.
#[derive(Clone, Copy)]
pub struct Input<'a> {
    pub collection: &'a Collection,
    pub bodies: &'a Bodies,
    pub search: &'a SearchAssets,
    pub cells: &'a Cells,
    pub cards: &'a CardValues,
    pub alternates: &'a Alternates,
    /// The interface strings of the collection's language.
    pub strings: &'a Strings,
    /// The collection's citation style, when it could be read.
    pub citer: Option<&'a crate::render::Citer>,
}

/// What a page tells its `<head>`, and the content file that error messages name.
pub struct Head<'a> {
    pub title: Cow<'a, str>,
    pub description: Cow<'a, str>,
    pub source: Option<String>,
}

/// A page ready for its template: everything its HTML depends on besides `site`.
pub struct Prepared {
    pub template: String,
    pub url: String,
    /// The content file shown in error messages.
    pub source: Option<String>,
    pub cx: Context,
}

/// `translation`: on a translated page of a language other than the default, what
/// it translates and whether that original changed after it (in a git checkout).
#[derive(Serialize)]
struct TranslationView<'a> {
    /// The original was committed after this translation was last committed.
    outdated: bool,
    /// The day of the original's last change, when `outdated`.
    source_changed: Option<DateView>,
    /// The day of the translation's last change, when `outdated`.
    translated: Option<DateView>,
    /// The original page, in the default language.
    original: &'a Alternate<'a>,
}

fn translation<'a>(
    input: &Input,
    page: Page,
    languages: &'a [Alternate<'a>],
) -> Option<TranslationView<'a>> {
    let collection = input.collection;
    if collection.config.is_default_language() {
        return None;
    }
    let target = match page {
        Page::Home => Target::Section(0),
        Page::Section(id, _) => Target::Section(id),
        Page::Entry(id) => Target::Entry(id),
        _ => return None,
    };
    // A section is translated when its text is another file than the default
    // language's `_index.md`.
    let translated = match target {
        Target::Entry(id) => !collection.entries[id].elsewhere,
        Target::Section(id) => {
            let default = input.alternates.collections().next()?;
            let rel = |c: &'_ Collection| c.sections[id].file.as_ref().map(|f| f.rel.clone());
            rel(collection).is_some() && rel(collection) != rel(default)
        }
    };
    let original = languages.first().filter(|l| l.translated)?;
    if !translated {
        return None;
    }
    let outdated = collection.outdated.get(&target);
    let day = |seconds: i64| DateView::new(&Outdated::day(seconds), input.strings);
    Some(TranslationView {
        outdated: outdated.is_some(),
        source_changed: outdated.map(|o| day(o.source_changed)),
        translated: outdated.map(|o| day(o.translated)),
        original,
    })
}

/// The context of one page.
pub fn prepare(input: &Input, page: Page) -> Result<Prepared, Diagnostic> {
    let collection = input.collection;
    let mut cx = Context::new();
    let kind = pages::kind(page, collection);
    let head = match page {
        Page::Home => home::insert(&mut cx, input),
        Page::Section(id, _) if kind == Kind::Glossary => lists::glossary(&mut cx, input, id),
        Page::Section(id, n) => lists::section(&mut cx, input, id, n),
        Page::Entry(id) => match kind {
            Kind::Resource => entry::resource(&mut cx, input, id),
            Kind::GlossaryTerm => entry::glossary_term(&mut cx, input, id),
            _ => entry::plain_page(&mut cx, input, id),
        },
        Page::Taxonomy(t) => lists::taxonomy(&mut cx, input, t),
        Page::Term(t, i, n) => lists::term(&mut cx, input, t, i, n),
        Page::Cell(row, column, n) => lists::cell(&mut cx, input, row, column, n)?,
        Page::Search => search::insert(&mut cx, input),
        Page::NotFound => Head {
            title: input.strings.text("not_found.title").into(),
            description: "".into(),
            source: None,
        },
    };
    let url = page.url(collection);
    cx.insert("current_url", &url);
    cx.insert("current_permalink", &collection.config.permalink(&url));
    cx.insert("page_kind", kind.names().0);
    cx.insert("page_title", &head.title);
    cx.insert("page_description", &head.description);
    let languages = input.alternates.of(page, &collection.config.language);
    // The page's translations, for `hreflang` links: none when it has no other.
    let translations: Vec<_> = languages.iter().filter(|l| l.translated).collect();
    let translations = if translations.len() > 1 {
        translations
    } else {
        Vec::new()
    };
    cx.insert("translations", &translations);
    if let Some(source) = &head.source {
        let (edit_url, issue_url) = crate::config::contribute_links(
            &collection.config.contribute,
            source,
            &head.title,
            &collection.config.permalink(&url),
        );
        if edit_url.is_some() || issue_url.is_some() {
            cx.insert(
                "contribute",
                &serde_json::json!({ "edit_url": edit_url, "issue_url": issue_url }),
            );
        }
    }
    cx.insert("translation", &translation(input, page, &languages));
    cx.insert("languages", &languages);
    Ok(Prepared {
        template: pages::template(page, collection).to_string(),
        url,
        source: head.source,
        cx,
    })
}
