//! `search.html`'s values: where the index, module and script are, and the
//! taxonomies to filter by.

use serde::Serialize;

use super::{Head, Input};
use crate::model::Collection;
use crate::render::SearchAssets;
use crate::render::views::{TaxonomyTerms, term_link};

#[derive(Serialize)]
struct SearchView<'a> {
    index_url: Option<String>,
    wasm_url: String,
    glue_url: String,
    script_url: String,
    css_url: String,
    /// The stemmer module of the page's language; none for a language that is not
    /// stemmed.
    stemmer_url: Option<String>,
    taxonomies: Vec<TaxonomyTerms<'a>>,
}

fn search_view<'a>(collection: &'a Collection, search: &SearchAssets) -> SearchView<'a> {
    let base = &collection.config.base_path;
    let stemmer = almanac_search::stemmer_algorithm(&collection.config.language);
    SearchView {
        index_url: search.index_path.as_ref().map(|p| format!("{base}{p}")),
        wasm_url: search.url(base, "search/almanac_search_wasm_bg.wasm"),
        glue_url: search.url(base, "search/almanac_search_wasm.js"),
        script_url: search.url(base, "search/search.js"),
        css_url: search.url(base, "search/search.css"),
        stemmer_url: stemmer.map(|name| search.url(base, &format!("search/stemmers/{name}.wasm"))),
        taxonomies: collection
            .taxonomies
            .iter()
            .map(|t| TaxonomyTerms {
                name: &t.config.name,
                label: &t.config.label,
                terms: t
                    .terms
                    .iter()
                    .filter(|term| !term.resources.is_empty())
                    .map(term_link)
                    .collect(),
            })
            .collect(),
    }
}

/// The search page's values.
pub fn insert<'a>(cx: &mut tera::Context, input: &Input<'a>) -> Head<'a> {
    cx.insert("search", &search_view(input.collection, input.search));
    Head {
        title: input.strings.text("search.title").into(),
        description: "".into(),
        source: None,
    }
}
