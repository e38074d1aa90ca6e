//! A [`Site`]: what every page and file of a build is made from, and the calls that
//! make them into a sink.

use std::sync::Arc;

use super::Error;
use crate::bodies::Bodies;
use crate::content::Asset;
use crate::model::Collection;
use crate::output::{OutputError, Sink};
use crate::render::{
    self, Alternates, Cells, Citer, Page, Progress, Renderer, SearchAssets, Theme,
};

/// What every file of a site is made from: a checked collection, its bodies, its
/// theme and the search index the search page names. Cheap to clone: `serve`
/// keeps one to render pages from when they are first asked for.
#[derive(Clone)]
pub struct Site {
    pub collection: Arc<Collection>,
    pub bodies: Arc<Bodies>,
    pub theme: Arc<Theme>,
    /// The collection's matrix cells: kept with it, as every list page needs them.
    pub cells: Arc<Cells>,
    pub search: SearchAssets,
    /// Every language's pages, for the links between translations.
    pub alternates: Arc<Alternates>,
    /// The citation style the resource pages format their references in.
    pub citer: Option<Arc<Citer>>,
}

impl Site {
    pub fn new(
        collection: Arc<Collection>,
        bodies: Arc<Bodies>,
        theme: Arc<Theme>,
        search: SearchAssets,
        citer: Option<Arc<Citer>>,
    ) -> Site {
        let cells = Arc::new(Cells::new(&collection));
        Site {
            collection,
            bodies,
            theme,
            cells,
            search,
            alternates: Arc::new(Alternates::default()),
            citer,
        }
    }

    /// Every page of the site, in a stable order.
    pub fn pages(&self) -> Vec<Page> {
        crate::model::pages::all(&self.collection, &self.cells)
    }

    pub fn renderer(&self) -> Renderer<'_> {
        Renderer::new(
            &self.collection,
            &self.theme,
            &self.cells,
            &self.alternates,
            &self.search,
            self.citer.as_deref(),
        )
    }

    /// Renders `pages` into `sink`.
    pub fn render(
        &self,
        pages: &[Page],
        sink: &dyn Sink,
        progress: &Progress,
    ) -> Result<(), Error> {
        let put = |file| sink.put(file);
        Ok(self
            .renderer()
            .render(&self.bodies, pages, &put, progress)?)
    }

    /// The collection in each of its languages, the default first (this one alone
    /// when it has one language).
    pub fn editions(&self) -> Vec<Arc<Collection>> {
        let all: Vec<Arc<Collection>> = self.alternates.collections().cloned().collect();
        if all.is_empty() {
            vec![self.collection.clone()]
        } else {
            all
        }
    }

    /// The files that list the whole collection: each language's feed, the sitemap,
    /// robots.txt, JSON, CSV. Made once, by the default language's site.
    pub fn catalogue(&self, sink: &dyn Sink) -> Result<(), Error> {
        let editions = self.editions();
        let editions: Vec<&Collection> = editions.iter().map(|c| c.as_ref()).collect();
        Ok(render::catalogue(&editions, |file| sink.put(file))?)
    }

    /// The redirect pages of the aliases.
    pub fn redirects(&self, sink: &dyn Sink) -> Result<(), OutputError> {
        let strings = self.theme.strings(&self.collection.config.language);
        render::redirects(&self.collection, &strings)
            .into_iter()
            .try_for_each(|file| sink.put(file))
    }

    /// The files published as they are: the theme's static files, then the assets
    /// beside the content. Given after every made file (they give way to those).
    pub fn copies(&self, assets: &[Asset], sink: &dyn Sink) -> Result<(), OutputError> {
        let statics = self.theme.statics.iter().cloned();
        statics
            .chain(assets.iter().map(Asset::output_file))
            .try_for_each(|file| sink.put_copy(file))
    }
}
