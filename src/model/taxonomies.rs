//! Taxonomies: each resource's values checked against the vocabularies (or, for an
//! open one, made into terms), and the resources listed under each term in order.

use super::fields;
use super::{Entry, Taxonomy, Term};
use crate::config::Config;
use crate::diagnostics::{Diagnostic, Location, did_you_mean};
use crate::paths::slugify;

pub(super) fn unknown_term(taxonomy: &Taxonomy, value: &str, location: Location) -> Diagnostic {
    let by_slug = did_you_mean(value, taxonomy.terms.iter().map(|t| t.slug.as_str()));
    let by_label = taxonomy
        .terms
        .iter()
        .find(|t| t.label.eq_ignore_ascii_case(value))
        .map(|t| t.slug.clone());
    let help = by_label
        .or(by_slug)
        .map(|s| format!("did you mean `{s}`?"))
        .unwrap_or_else(|| {
            format!(
                "use one of the terms declared for `{}` in almanac.yaml, or add `{value}` there",
                taxonomy.config.name
            )
        });
    Diagnostic::error(
        "unknown-term",
        format!(
            "`{value}` is not a term of `{}` ({})",
            taxonomy.config.name, taxonomy.config.label
        ),
    )
    .at(location)
    .label("not in the vocabulary")
    .help(help)
}

/// The taxonomies of the config with each resource's values resolved to terms:
/// checked against a controlled vocabulary, or made into terms of an open one.
/// Sets each entry's `terms` and lists the resources of each term.
pub(super) fn resolve(
    config: &Config,
    entries: &mut [Entry],
    values: Vec<Vec<Vec<String>>>,
    problems: &mut Vec<Diagnostic>,
) -> Vec<Taxonomy> {
    let mut taxonomies: Vec<Taxonomy> = config
        .taxonomies
        .iter()
        .map(|t| Taxonomy {
            path: format!("{}{}/", config.base_path, t.name),
            terms: t
                .terms
                .iter()
                .flatten()
                .map(|term| Term {
                    slug: term.slug.clone(),
                    label: term.label.clone(),
                    description: term.description.clone(),
                    path: format!("{}{}/{}/", config.base_path, t.name, term.slug),
                    resources: Vec::new(),
                    broader: term.broader.clone(),
                    narrower: Vec::new(),
                })
                .collect(),
            config: t.clone(),
        })
        .collect();
    // The narrower terms, from the broader ones each term names.
    for t in 0..taxonomies.len() {
        for i in 0..taxonomies[t].terms.len() {
            for (bt, bi) in taxonomies[t].terms[i].broader.clone() {
                if let Some(term) = taxonomies.get_mut(bt).and_then(|b| b.terms.get_mut(bi)) {
                    term.narrower.push((t, i));
                }
            }
        }
    }
    for (id, values) in values.into_iter().enumerate() {
        let mut chosen = vec![Vec::new(); taxonomies.len()];
        for (t, values) in values.into_iter().enumerate() {
            let taxonomy = &mut taxonomies[t];
            for value in values {
                let location =
                    || fields::locate_value(&entries[id].file, &taxonomy.config.name, &value);
                let index = if taxonomy.config.terms.is_some() {
                    match taxonomy.terms.iter().position(|term| term.slug == value) {
                        Some(i) => i,
                        None => {
                            problems.push(unknown_term(taxonomy, &value, location()));
                            continue;
                        }
                    }
                } else {
                    let slug = slugify(&value);
                    if slug.is_empty() {
                        problems.push(
                            Diagnostic::error(
                                "term",
                                format!(
                                    "`{value}` cannot be made into a term of `{}`",
                                    taxonomy.config.name
                                ),
                            )
                            .at(location())
                            .label("no letters or digits"),
                        );
                        continue;
                    }
                    match taxonomy.terms.iter().position(|term| term.slug == slug) {
                        Some(i) => i,
                        None => {
                            taxonomy.terms.push(Term {
                                path: format!("{}{}/", taxonomy.path, slug),
                                slug,
                                label: value.clone(),
                                description: String::new(),
                                resources: Vec::new(),
                                broader: Vec::new(),
                                narrower: Vec::new(),
                            });
                            taxonomy.terms.len() - 1
                        }
                    }
                };
                if !chosen[t].contains(&index) {
                    chosen[t].push(index);
                }
            }
        }
        for (t, terms) in chosen.iter().enumerate() {
            for &term in terms {
                taxonomies[t].terms[term].resources.push(id);
            }
        }
        entries[id].terms = chosen;
    }
    taxonomies
}

/// Puts an open vocabulary's terms in label order, and every term's resources in
/// title order (`rank`: each entry's place by title).
pub(super) fn order(taxonomies: &mut [Taxonomy], entries: &mut [Entry], rank: &[usize]) {
    for taxonomy in taxonomies.iter_mut() {
        if taxonomy.config.terms.is_none() {
            taxonomy.terms.sort_by(|a, b| {
                a.label
                    .to_lowercase()
                    .cmp(&b.label.to_lowercase())
                    .then_with(|| a.slug.cmp(&b.slug))
            });
        }
        for term in &mut taxonomy.terms {
            term.resources.sort_by_key(|&a| rank[a]);
        }
    }
    // Open vocabularies were re-sorted: map each entry's term indexes to the new order.
    for (t, taxonomy) in taxonomies.iter().enumerate() {
        if taxonomy.config.terms.is_none() {
            for entry in entries.iter_mut() {
                entry.terms[t].clear();
            }
            for (i, term) in taxonomy.terms.iter().enumerate() {
                for &r in &term.resources {
                    entries[r].terms[t].push(i);
                }
            }
        }
    }
}

/// With a taxonomy's `include_narrower`, each of its terms lists the resources of
/// every narrower term too (down the whole hierarchy, once each), in title order
/// (`rank`: each entry's place by title).
pub(super) fn include_narrower(taxonomies: &mut [Taxonomy], rank: &[usize]) {
    let mut merged = Vec::new();
    for (t, taxonomy) in taxonomies.iter().enumerate() {
        if !taxonomy.config.include_narrower {
            continue;
        }
        for (i, term) in taxonomy.terms.iter().enumerate() {
            if term.narrower.is_empty() {
                continue;
            }
            let mut seen = vec![(t, i)];
            let mut frontier = term.narrower.clone();
            let mut resources = term.resources.clone();
            while let Some((nt, ni)) = frontier.pop() {
                if seen.contains(&(nt, ni)) {
                    continue;
                }
                seen.push((nt, ni));
                let narrower = &taxonomies[nt].terms[ni];
                resources.extend_from_slice(&narrower.resources);
                frontier.extend_from_slice(&narrower.narrower);
            }
            resources.sort_by_key(|&id| rank[id]);
            resources.dedup();
            merged.push((t, i, resources));
        }
    }
    for (t, i, resources) in merged {
        taxonomies[t].terms[i].resources = resources;
    }
}
