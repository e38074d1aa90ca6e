//! The same page in each language of the collection, for the `hreflang` links in
//! every page's head and for the language switcher. Pages are comparable across
//! languages: every language's collection is made from the default one, with the
//! same entries, sections and terms at the same places.

use std::collections::HashSet;
use std::sync::Arc;

use serde::Serialize;

use crate::config::Language;
use crate::model::Collection;
use crate::model::pages::Page;

/// Every language's collection and the pages it has.
#[derive(Default)]
pub struct Alternates {
    editions: Vec<Edition>,
}

struct Edition {
    language: Language,
    collection: Arc<Collection>,
    pages: HashSet<Page>,
}

/// One language's version of a page, as templates see it (`languages`).
#[derive(Debug, Serialize)]
pub struct Alternate<'a> {
    pub code: &'a str,
    pub name: &'a str,
    pub direction: &'static str,
    /// The page in this language, or this language's home page when the page has
    /// no translation into it.
    pub url: String,
    pub permalink: String,
    /// Whether `url` is this page (translated), not the language's home page.
    pub translated: bool,
    /// The language of the page being rendered.
    pub current: bool,
}

impl Alternates {
    /// The languages' collections, the default first, each with its pages.
    pub fn new(editions: impl IntoIterator<Item = (Arc<Collection>, Vec<Page>)>) -> Alternates {
        Alternates {
            editions: editions
                .into_iter()
                .map(|(collection, pages)| Edition {
                    language: collection.config.current_language().clone(),
                    collection,
                    pages: pages.into_iter().collect(),
                })
                .collect(),
        }
    }

    /// Every language's collection, the default first; none for a collection in one
    /// language.
    pub fn collections(&self) -> impl Iterator<Item = &Arc<Collection>> {
        self.editions.iter().map(|e| &e.collection)
    }

    /// `page` in every language, for a page of `language`; nothing when the
    /// collection has one language.
    pub fn of(&self, page: Page, language: &str) -> Vec<Alternate<'_>> {
        if self.editions.len() < 2 {
            return Vec::new();
        }
        self.editions
            .iter()
            .map(|edition| {
                let translated = edition.pages.contains(&page);
                let url = if translated {
                    page.url(&edition.collection)
                } else {
                    Page::Home.url(&edition.collection)
                };
                Alternate {
                    code: &edition.language.code,
                    name: &edition.language.name,
                    direction: edition.language.direction.as_str(),
                    permalink: edition.collection.config.permalink(&url),
                    url,
                    translated,
                    current: edition.language.code == language,
                }
            })
            .collect()
    }
}
