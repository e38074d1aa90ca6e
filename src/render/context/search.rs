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
    script_url: String,
    taxonomies: Vec<TaxonomyTerms<'a>>,
}

fn search_view<'a>(collection: &'a Collection, search: &SearchAssets) -> SearchView<'a> {
    let base = &collection.config.base_path;
    let version = search
        .version
        .as_ref()
        .map_or_else(String::new, |v| format!("?v={v}"));
    SearchView {
        index_url: search.index_path.as_ref().map(|p| format!("{base}{p}")),
        wasm_url: format!("{base}search/almanac_search_wasm_bg.wasm{version}"),
        script_url: format!("{base}search/search.js{version}"),
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
