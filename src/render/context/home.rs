//! `home`: the collection at a glance (counts, the matrix, newest and recently
//! reviewed resources, charts) for `home.html`.

use serde::Serialize;

use super::{Head, Input};
use crate::model::EntryId;
use crate::model::date::PartialDate;
use crate::model::pages::{cell_path, matrix_axes};
use crate::render::charts;
use crate::render::views::{Card, TermLink, safe, term_link};

#[derive(Serialize)]
struct HomeView<'a> {
    title: &'a str,
    body: tera::Value,
    counts: Vec<HomeCount<'a>>,
    matrix: Option<Matrix<'a>>,
    newest: Vec<Card<'a>>,
    recently_reviewed: Vec<Card<'a>>,
    charts: Vec<charts::Chart>,
}

#[derive(Serialize)]
struct HomeCount<'a> {
    label: String,
    count: usize,
    url: Option<&'a str>,
}

#[derive(Serialize)]
struct Matrix<'a> {
    rows_label: &'a str,
    columns_label: &'a str,
    columns: Vec<TermLink<'a>>,
    rows: Vec<MatrixRow<'a>>,
}

#[derive(Serialize)]
struct MatrixRow<'a> {
    term: TermLink<'a>,
    cells: Vec<MatrixCell>,
    total: usize,
}

#[derive(Serialize)]
struct MatrixCell {
    count: usize,
    /// The list of the cell's resources; none when it has none.
    url: Option<String>,
}

fn home_view<'a>(input: &Input<'a>) -> HomeView<'a> {
    let Input {
        collection, bodies, ..
    } = *input;
    let root = &collection.sections[0];
    // In another language, `untranslated: hide` leaves the untranslated out.
    let resources: Vec<EntryId> = collection.listed_resources().map(|(id, _)| id).collect();
    let newest_first = |key: &dyn Fn(EntryId) -> Option<PartialDate>| {
        let mut ids: Vec<EntryId> = resources
            .iter()
            .copied()
            // Superseded and withdrawn resources are kept, not recommended.
            .filter(|&id| !collection.entries[id].lifecycle.status.is_retired())
            .filter(|&id| key(id).is_some())
            .collect();
        ids.sort_by(|&a, &b| {
            key(b).cmp(&key(a)).then_with(|| {
                collection.entries[a]
                    .title
                    .cmp(&collection.entries[b].title)
            })
        });
        ids.truncate(6);
        ids.into_iter()
            .map(|id| Card::new(collection, id, input.strings))
            .collect::<Vec<_>>()
    };
    let strings = input.strings;
    let mut counts = vec![HomeCount {
        label: strings.text("home.stat_resources"),
        count: resources.len(),
        url: None,
    }];
    if let Some(g) = collection.sections.iter().find(|s| s.glossary) {
        counts.push(HomeCount {
            label: strings.text("home.stat_glossary"),
            count: g.entries.len(),
            url: Some(&g.path),
        });
    }
    for taxonomy in &collection.taxonomies {
        counts.push(HomeCount {
            label: taxonomy.config.label.clone(),
            count: taxonomy
                .terms
                .iter()
                .filter(|t| !t.resources.is_empty())
                .count(),
            url: Some(&taxonomy.path),
        });
    }
    HomeView {
        title: &root.title,
        body: bodies.sections[0]
            .as_ref()
            .map_or_else(|| safe(""), |b| safe(&b.html)),
        counts,
        matrix: matrix(input),
        newest: newest_first(&|id| collection.entries[id].published),
        recently_reviewed: newest_first(&|id| collection.entries[id].reviewed),
        charts: charts::home(collection, strings),
    }
}

fn matrix<'a>(input: &Input<'a>) -> Option<Matrix<'a>> {
    let Input {
        collection, cells, ..
    } = *input;
    let (r, c) = matrix_axes(collection)?;
    let rows_tax = &collection.taxonomies[r];
    let cols_tax = &collection.taxonomies[c];
    let used_columns: Vec<usize> = (0..cols_tax.terms.len())
        .filter(|&i| !cols_tax.terms[i].resources.is_empty())
        .collect();
    Some(Matrix {
        rows_label: &rows_tax.config.label,
        columns_label: &cols_tax.config.label,
        columns: used_columns
            .iter()
            .map(|&i| term_link(&cols_tax.terms[i]))
            .collect(),
        rows: rows_tax
            .terms
            .iter()
            .enumerate()
            .filter(|(_, term)| !term.resources.is_empty())
            .map(|(row, term)| MatrixRow {
                term: term_link(term),
                cells: used_columns
                    .iter()
                    .map(|&column| {
                        let count = cells.get(row, column).len();
                        MatrixCell {
                            count,
                            url: (count > 0)
                                .then(|| cell_path(collection, row, column))
                                .flatten(),
                        }
                    })
                    .collect(),
                total: term.resources.len(),
            })
            .collect(),
    })
}

/// `home.html`'s values.
pub fn insert<'a>(cx: &mut tera::Context, input: &Input<'a>) -> Head<'a> {
    let collection = input.collection;
    let root = &collection.sections[0];
    cx.insert("home", &home_view(input));
    Head {
        title: root.title.as_str().into(),
        description: collection.config.description.as_str().into(),
        source: root.file.as_ref().map(|f| format!("content/{}", f.rel)),
    }
}
