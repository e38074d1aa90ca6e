//! The list pages: a section's (`section`), the glossary's A–Z (`glossary`), a
//! taxonomy's terms (`taxonomy`), and a term's or a matrix cell's resources
//! (`taxonomy` and `term`).

use serde::Serialize;

use super::{Head, Input};
use crate::diagnostics::Diagnostic;
use crate::i18n::Arg;
use crate::model::pages::{cell_path, matrix_axes, page_count};
use crate::model::{Collection, EntryId, SectionId};
use crate::render::views::{self, Link, Pagination, TermLink, safe, term_link};

#[derive(Serialize)]
struct SectionView<'a> {
    title: &'a str,
    description: &'a str,
    body: tera::Value,
    url: &'a str,
    permalink: String,
    ancestors: Vec<Link<'a>>,
    subsections: Vec<views::SectionLink<'a>>,
    /// Cards (`views::Card`), shared between the lists that show them.
    resources: Vec<tera::Value>,
    pagination: Pagination,
}

#[derive(Serialize)]
struct GlossaryView<'a> {
    title: &'a str,
    description: &'a str,
    body: tera::Value,
    url: &'a str,
    permalink: String,
    letters: Vec<views::Letter<'a>>,
}

fn section_body(input: &Input, id: SectionId) -> tera::Value {
    input.bodies.sections[id]
        .as_ref()
        .map_or_else(|| safe(""), |b| safe(&b.html))
}

fn section_head<'a>(collection: &'a Collection, id: SectionId) -> Head<'a> {
    let section = &collection.sections[id];
    Head {
        title: section.title.as_str().into(),
        description: section.description.as_str().into(),
        source: Some(format!("content/{}/_index.md", section.dir)),
    }
}

/// `section.html`'s values for page `n` of a section.
pub fn section<'a>(cx: &mut tera::Context, input: &Input<'a>, id: SectionId, n: usize) -> Head<'a> {
    let collection = input.collection;
    let section = &collection.sections[id];
    let per_page = section.paginate_by.max(1);
    let ids: Vec<EntryId> = section
        .entries
        .iter()
        .copied()
        .skip((n - 1) * per_page)
        .take(per_page)
        .collect();
    cx.insert(
        "section",
        &SectionView {
            title: &section.title,
            description: &section.description,
            body: section_body(input, id),
            url: &section.path,
            permalink: collection.config.permalink(&section.path),
            ancestors: views::ancestors(collection, section.parent.unwrap_or(0)),
            subsections: section
                .children
                .iter()
                .map(|&c| views::section_link(collection, c))
                .collect(),
            resources: ids
                .iter()
                .map(|&e| input.cards.get(collection, e, input.strings))
                .collect(),
            pagination: Pagination::new(
                &section.path,
                n,
                page_count(section.entries.len(), per_page),
                section.entries.len(),
            ),
        },
    );
    section_head(collection, id)
}

/// `glossary.html`'s values: the glossary section's entries by letter.
pub fn glossary<'a>(cx: &mut tera::Context, input: &Input<'a>, id: SectionId) -> Head<'a> {
    let collection = input.collection;
    let section = &collection.sections[id];
    cx.insert(
        "glossary",
        &GlossaryView {
            title: &section.title,
            description: &section.description,
            body: section_body(input, id),
            url: &section.path,
            permalink: collection.config.permalink(&section.path),
            letters: views::letters(collection, &section.entries),
        },
    );
    section_head(collection, id)
}

#[derive(Serialize)]
struct TermCount<'a> {
    slug: &'a str,
    label: &'a str,
    description: &'a str,
    url: &'a str,
    count: usize,
}

#[derive(Serialize)]
struct TaxonomyView<'a> {
    name: &'a str,
    label: &'a str,
    description: &'a str,
    url: &'a str,
    terms: Vec<TermCount<'a>>,
}

fn taxonomy_view(collection: &Collection, t: usize) -> TaxonomyView<'_> {
    let taxonomy = &collection.taxonomies[t];
    TaxonomyView {
        name: &taxonomy.config.name,
        label: &taxonomy.config.label,
        description: &taxonomy.config.description,
        url: &taxonomy.path,
        terms: taxonomy
            .terms
            .iter()
            .map(|term| TermCount {
                slug: &term.slug,
                label: &term.label,
                description: &term.description,
                url: &term.path,
                count: term.resources.len(),
            })
            .collect(),
    }
}

/// `taxonomy.html`'s values: the taxonomy and its terms with counts.
pub fn taxonomy<'a>(cx: &mut tera::Context, input: &Input<'a>, t: usize) -> Head<'a> {
    let taxonomy = &input.collection.taxonomies[t];
    cx.insert("taxonomy", &taxonomy_view(input.collection, t));
    Head {
        title: taxonomy.config.label.as_str().into(),
        description: taxonomy.config.description.as_str().into(),
        source: None,
    }
}

#[derive(Serialize)]
struct TermView<'a> {
    slug: &'a str,
    label: &'a str,
    description: &'a str,
    url: &'a str,
    permalink: String,
    count: usize,
    /// Cards (`views::Card`), shared between the lists that show them.
    resources: Vec<tera::Value>,
    pagination: Pagination,
    /// On a matrix cell's page: the second term the list is narrowed by.
    filter: Option<Filter<'a>>,
    /// The more general and the more specific terms (`broader` in almanac.yaml).
    broader: Vec<RelatedTerm<'a>>,
    narrower: Vec<RelatedTerm<'a>>,
}

/// A term linked from another's page, with its taxonomy's label (it may be
/// another taxonomy's).
#[derive(Serialize)]
struct RelatedTerm<'a> {
    slug: &'a str,
    label: &'a str,
    url: &'a str,
    taxonomy: &'a str,
}

fn related_terms<'a>(
    collection: &'a crate::model::Collection,
    places: &[(usize, usize)],
) -> Vec<RelatedTerm<'a>> {
    places
        .iter()
        .map(|&(t, i)| {
            let taxonomy = &collection.taxonomies[t];
            let term = &taxonomy.terms[i];
            RelatedTerm {
                slug: &term.slug,
                label: &term.label,
                url: &term.path,
                taxonomy: &taxonomy.config.label,
            }
        })
        .collect()
}

#[derive(Serialize)]
struct Filter<'a> {
    name: &'a str,
    label: &'a str,
    term: TermLink<'a>,
}

/// `term.html`'s values for page `n` of a term's list.
pub fn term<'a>(
    cx: &mut tera::Context,
    input: &Input<'a>,
    t: usize,
    i: usize,
    n: usize,
) -> Head<'a> {
    let collection = input.collection;
    let taxonomy = &collection.taxonomies[t];
    let term = &taxonomy.terms[i];
    let per_page = taxonomy.config.paginate_by.max(1);
    cx.insert("taxonomy", &taxonomy_view(collection, t));
    cx.insert(
        "term",
        &TermView {
            slug: &term.slug,
            label: &term.label,
            description: &term.description,
            url: &term.path,
            permalink: collection.config.permalink(&term.path),
            count: term.resources.len(),
            resources: term
                .resources
                .iter()
                .skip((n - 1) * per_page)
                .take(per_page)
                .map(|&e| input.cards.get(collection, e, input.strings))
                .collect(),
            pagination: Pagination::new(
                &term.path,
                n,
                page_count(term.resources.len(), per_page),
                term.resources.len(),
            ),
            filter: None,
            broader: related_terms(collection, &term.broader),
            narrower: related_terms(collection, &term.narrower),
        },
    );
    Head {
        title: term.label.as_str().into(),
        description: term.description.as_str().into(),
        source: None,
    }
}

/// `term.html`'s values for page `n` of a matrix cell: the row term's list narrowed
/// by the column term.
pub fn cell<'a>(
    cx: &mut tera::Context,
    input: &Input<'a>,
    row: usize,
    column: usize,
    n: usize,
) -> Result<Head<'a>, Diagnostic> {
    let collection = input.collection;
    let (r, c) = matrix_axes(collection).ok_or_else(|| {
        Diagnostic::error("matrix", "a matrix cell was rendered without a matrix")
    })?;
    let row_taxonomy = &collection.taxonomies[r];
    let column_taxonomy = &collection.taxonomies[c];
    let row_term = &row_taxonomy.terms[row];
    let column_term = &column_taxonomy.terms[column];
    let path = cell_path(collection, row, column).unwrap_or_default();
    let ids = input.cells.get(row, column);
    let per_page = row_taxonomy.config.paginate_by.max(1);
    let title = format!("{} · {}", row_term.label, column_term.label);
    let text = |s: &str| Arg::Text(s.to_string().into());
    let description = input.strings.fill(
        "term.cell_description",
        &[
            ("row", text(&row_term.label)),
            ("row_taxonomy", text(&row_taxonomy.config.label)),
            ("column", text(&column_term.label)),
            ("column_taxonomy", text(&column_taxonomy.config.label)),
        ],
    );
    cx.insert("taxonomy", &taxonomy_view(collection, r));
    cx.insert(
        "term",
        &TermView {
            slug: &row_term.slug,
            label: &title,
            description: &description,
            url: &path,
            permalink: collection.config.permalink(&path),
            count: ids.len(),
            resources: ids
                .iter()
                .skip((n - 1) * per_page)
                .take(per_page)
                .map(|&e| input.cards.get(collection, e, input.strings))
                .collect(),
            pagination: Pagination::new(&path, n, page_count(ids.len(), per_page), ids.len()),
            filter: Some(Filter {
                name: &column_taxonomy.config.name,
                label: &column_taxonomy.config.label,
                term: term_link(column_term),
            }),
            broader: Vec::new(),
            narrower: Vec::new(),
        },
    );
    Ok(Head {
        title: title.into(),
        description: description.into(),
        source: None,
    })
}
