//! The taxonomies declared in `almanac.yaml`: their names, labels and controlled
//! vocabularies, each term with its broader terms resolved.

use super::exports;
use super::fields::{RESERVED_SEGMENTS, is_built_in};
use super::languages::{Language, Localized, read_localized};
use super::raw::RawTaxonomy;
use crate::diagnostics::{Diagnostic, Location, SourceText};
use crate::paths::{is_segment, label_from_slug, slugify};
use crate::yaml::{Spans, Step};

/// One taxonomy as declared in `almanac.yaml`.
#[derive(Debug, Clone)]
pub struct TaxonomyConfig {
    pub name: String,
    pub label: String,
    pub description: String,
    pub labels: Localized,
    pub descriptions: Localized,
    pub single: bool,
    pub required: bool,
    pub paginate_by: usize,
    /// The controlled vocabulary, in the order written; `None` for an open vocabulary.
    pub terms: Option<Vec<TermConfig>>,
    /// Whether a term's page lists the resources of its narrower terms too.
    pub include_narrower: bool,
}

#[derive(Debug, Clone)]
pub struct TermConfig {
    pub slug: String,
    pub label: String,
    pub description: String,
    pub labels: Localized,
    pub descriptions: Localized,
    /// Other names of the term (acronyms, synonyms, spellings).
    pub alt_labels: Vec<String>,
    /// The more general terms, as (taxonomy, term) places in `Config::taxonomies`:
    /// in this vocabulary or another controlled one.
    pub broader: Vec<(usize, usize)>,
}

/// Reads every declared taxonomy, adding the problems found to `problems`; a
/// taxonomy declared twice is reported and its second declaration left out.
pub(super) fn read_taxonomies(
    raw_taxonomies: Vec<RawTaxonomy>,
    default_paginate: usize,
    (languages, spans): (&[Language], &Spans),
    source: &SourceText,
    problems: &mut Vec<Diagnostic>,
) -> Vec<TaxonomyConfig> {
    let key = Step::key;
    let at = |path: &[Step]| {
        spans
            .value(path)
            .unwrap_or_else(|| Location::span(source, 0..0))
    };
    let names: Vec<String> = raw_taxonomies.iter().map(|t| t.name.clone()).collect();

    let mut taxonomies: Vec<TaxonomyConfig> = Vec::new();
    let mut pending_broader = Vec::new();
    for (i, raw_taxonomy) in raw_taxonomies.into_iter().enumerate() {
        let name = raw_taxonomy.name.clone();
        let location = at(&[key("taxonomies"), Step::Item(i), key("name")]);
        if !is_segment(&name) {
            problems.push(
                Diagnostic::error(
                    "config",
                    format!("taxonomy name `{name}` must be lowercase letters, digits and `-`"),
                )
                .at(location.clone())
                .help(format!("try `{}`", slugify(&name))),
            );
        }
        if is_built_in(&name) || RESERVED_SEGMENTS.contains(&name.as_str()) {
            problems.push(
                Diagnostic::error(
                    "config",
                    format!("taxonomy name `{name}` is taken by a built-in field or page"),
                )
                .at(location.clone())
                .help(
                    "choose another name, e.g. `{name}s` or `resource-{name}`"
                        .replace("{name}", &name),
                ),
            );
        }
        if let Some(first) = names[..i].iter().position(|n| *n == name) {
            let first_line = at(&[key("taxonomies"), Step::Item(first), key("name")]).line;
            problems.push(
                Diagnostic::error(
                    "config",
                    format!(
                        "taxonomy `{name}` is declared twice; the first is on line {first_line}"
                    ),
                )
                .at(location.clone())
                .label("declared again here")
                .help("remove one of the two, or give this one another name"),
            );
            continue;
        }
        let kept = taxonomies.len();
        let terms = raw_taxonomy.terms.map(|terms| {
            terms
                .into_iter()
                .enumerate()
                .map(|(term_index, (slug, term))| {
                    if !is_segment(&slug) {
                        problems.push(
                            Diagnostic::error(
                                "config",
                                format!("term `{slug}` of `{name}` must be lowercase letters, digits and `-`"),
                            )
                            .at(spans
                                .key(&[key("taxonomies"), Step::Item(i), key("terms"), key(&slug)])
                                .unwrap_or_else(|| location.clone()))
                            .help(format!("try `{}`", slugify(&slug))),
                        );
                    }
                    let at_term = [key("taxonomies"), Step::Item(i), key("terms"), key(&slug)];
                    let labels = read_localized(
                        term.label,
                        &[&at_term[..], &[key("label")]].concat(),
                        label_from_slug(&slug),
                        (languages, spans),
                        problems,
                    );
                    let descriptions = read_localized(
                        term.description,
                        &[&at_term[..], &[key("description")]].concat(),
                        String::new(),
                        (languages, spans),
                        problems,
                    );
                    if let Some(broader) = term.broader {
                        pending_broader.push(exports::PendingBroader {
                            raw_index: i,
                            taxonomy: kept,
                            term: term_index,
                            values: broader.into_vec(),
                        });
                    }
                    TermConfig {
                        label: labels.default.clone(),
                        description: descriptions.default.clone(),
                        labels,
                        descriptions,
                        alt_labels: term.alt_labels,
                        broader: Vec::new(),
                        slug,
                    }
                })
                .collect()
        });
        let labels = read_localized(
            raw_taxonomy.label,
            &[key("taxonomies"), Step::Item(i), key("label")],
            label_from_slug(&name),
            (languages, spans),
            problems,
        );
        let descriptions = read_localized(
            raw_taxonomy.description,
            &[key("taxonomies"), Step::Item(i), key("description")],
            String::new(),
            (languages, spans),
            problems,
        );
        if raw_taxonomy.paginate_by == Some(0) {
            problems.push(
                Diagnostic::error("config", "`paginate_by` must be at least 1").at(at(&[
                    key("taxonomies"),
                    Step::Item(i),
                    key("paginate_by"),
                ])),
            );
        }
        taxonomies.push(TaxonomyConfig {
            label: labels.default.clone(),
            description: descriptions.default.clone(),
            labels,
            descriptions,
            single: raw_taxonomy.single,
            required: raw_taxonomy.required,
            paginate_by: raw_taxonomy.paginate_by.unwrap_or(default_paginate).max(1),
            terms,
            include_narrower: raw_taxonomy.include_narrower,
            name,
        });
    }
    exports::resolve_broader(&mut taxonomies, pending_broader, spans, problems);
    taxonomies
}
