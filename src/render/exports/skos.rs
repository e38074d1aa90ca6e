//! `vocabularies/<name>.ttl` and `.jsonld`: each controlled vocabulary as a SKOS
//! concept scheme (labels and definitions in every language, alternative labels,
//! the slug as notation, broader and narrower terms), and the glossary as a
//! concept scheme that is also a schema.org `DefinedTermSet`.
//!
//! A scheme is named by its taxonomy's page and a concept by its term's page, in
//! the default language: the addresses are readers' pages too.

use oxrdf::NamedNode;

use super::ExportError;
use super::rdf::{DCT, Graph, SCHEMA, SKOS, iri, plain, term, text};
use crate::model::{Collection, EntryKind, SectionId};

fn term_iri(collection: &Collection, t: usize, i: usize) -> Result<NamedNode, ExportError> {
    let config = &collection.config;
    iri(&config.permalink(&collection.taxonomies[t].terms[i].path))
}

/// The concept-scheme IRI of taxonomy `t`.
pub fn taxonomy_scheme(collection: &Collection, t: usize) -> String {
    collection.config.permalink(&collection.taxonomies[t].path)
}

/// The concept-scheme IRI of the glossary section `id`.
pub fn glossary_scheme(collection: &Collection, id: SectionId) -> String {
    collection.config.permalink(&collection.sections[id].path)
}

/// Taxonomy `t` of the default language's collection, with a controlled vocabulary.
pub fn taxonomy(collection: &Collection, t: usize) -> Result<Graph, ExportError> {
    let taxonomy = &collection.taxonomies[t];
    let config = &collection.config;
    let default = config.default_language();
    let scheme = iri(&taxonomy_scheme(collection, t))?;
    let localized =
        |g: &mut Graph, subject: &NamedNode, predicate: &str, texts: &crate::config::Localized| {
            if !texts.default.is_empty() {
                g.add(
                    subject,
                    term(SKOS, predicate),
                    text(&texts.default, default),
                );
            }
            for (language, value) in &texts.others {
                if !value.is_empty() {
                    g.add(subject, term(SKOS, predicate), text(value, language));
                }
            }
        };
    let mut g = Graph::default();
    g.a(&scheme, term(SKOS, "ConceptScheme"));
    localized(&mut g, &scheme, "prefLabel", &taxonomy.config.labels);
    for (language, title) in std::iter::once((default, &taxonomy.config.labels.default)).chain(
        taxonomy
            .config
            .labels
            .others
            .iter()
            .map(|(l, v)| (l.as_str(), v)),
    ) {
        g.add(&scheme, term(DCT, "title"), text(title, language));
    }
    localized(&mut g, &scheme, "definition", &taxonomy.config.descriptions);
    // Top concepts: those with no broader term in this scheme.
    let top = |i: usize| !taxonomy.terms[i].broader.iter().any(|&(bt, _)| bt == t);
    for i in (0..taxonomy.terms.len()).filter(|&i| top(i)) {
        g.add(
            &scheme,
            term(SKOS, "hasTopConcept"),
            term_iri(collection, t, i)?,
        );
    }
    let declared = taxonomy.config.terms.as_deref().unwrap_or(&[]);
    for (i, item) in taxonomy.terms.iter().enumerate() {
        let concept = term_iri(collection, t, i)?;
        g.a(&concept, term(SKOS, "Concept"));
        g.add(&concept, term(SKOS, "inScheme"), scheme.clone());
        if top(i) {
            g.add(&concept, term(SKOS, "topConceptOf"), scheme.clone());
        }
        g.add(&concept, term(SKOS, "notation"), plain(&item.slug));
        match declared.get(i) {
            Some(declared) => {
                localized(&mut g, &concept, "prefLabel", &declared.labels);
                localized(&mut g, &concept, "definition", &declared.descriptions);
                for alt in &declared.alt_labels {
                    g.add(&concept, term(SKOS, "altLabel"), text(alt, default));
                }
            }
            None => g.add(
                &concept,
                term(SKOS, "prefLabel"),
                text(&item.label, default),
            ),
        }
        // Within the scheme a hierarchy; across schemes a mapping.
        for &(bt, bi) in &item.broader {
            let relation = if bt == t { "broader" } else { "broadMatch" };
            g.add(
                &concept,
                term(SKOS, relation),
                term_iri(collection, bt, bi)?,
            );
        }
        for &(nt, ni) in &item.narrower {
            let relation = if nt == t { "narrower" } else { "narrowMatch" };
            g.add(
                &concept,
                term(SKOS, relation),
                term_iri(collection, nt, ni)?,
            );
        }
    }
    Ok(g)
}

/// The glossary section `id`, its terms labelled in every language they are
/// translated into (`editions`: the collection in each language, the default first).
pub fn glossary(editions: &[&Collection], id: SectionId) -> Result<Graph, ExportError> {
    let collection = editions[0];
    let scheme = iri(&glossary_scheme(collection, id))?;
    let mut g = Graph::default();
    g.a(&scheme, term(SKOS, "ConceptScheme"));
    g.a(&scheme, term(SCHEMA, "DefinedTermSet"));
    for edition in editions {
        let language = &edition.config.language;
        let title = &edition.sections[id].title;
        g.add(&scheme, term(DCT, "title"), text(title, language));
        g.add(&scheme, term(SKOS, "prefLabel"), text(title, language));
        g.add(&scheme, term(SCHEMA, "name"), text(title, language));
    }
    let terms: Vec<usize> = collection.sections[id]
        .entries
        .iter()
        .copied()
        .filter(|&e| collection.entries[e].kind == EntryKind::Glossary)
        .collect();
    let concept = |e: usize| iri(&collection.config.permalink(&collection.entries[e].path));
    for &e in &terms {
        g.add(&scheme, term(SKOS, "hasTopConcept"), concept(e)?);
    }
    for &e in &terms {
        let node = concept(e)?;
        g.a(&node, term(SKOS, "Concept"));
        g.a(&node, term(SCHEMA, "DefinedTerm"));
        g.add(&node, term(SKOS, "inScheme"), scheme.clone());
        g.add(&node, term(SKOS, "topConceptOf"), scheme.clone());
        g.add(&node, term(SCHEMA, "inDefinedTermSet"), scheme.clone());
        g.add(
            &node,
            term(SKOS, "notation"),
            plain(&collection.entries[e].slug),
        );
        for edition in editions {
            let entry = &edition.entries[e];
            if entry.elsewhere {
                continue;
            }
            let language = &edition.config.language;
            g.add(&node, term(SKOS, "prefLabel"), text(&entry.title, language));
            g.add(&node, term(SCHEMA, "name"), text(&entry.title, language));
            if let Some(summary) = &entry.summary {
                g.add(&node, term(SKOS, "definition"), text(summary, language));
                g.add(&node, term(SCHEMA, "description"), text(summary, language));
            }
            for synonym in &entry.synonyms {
                g.add(&node, term(SKOS, "altLabel"), text(synonym, language));
            }
        }
        for &r in &collection.entries[e].related {
            if collection.entries[r].kind == EntryKind::Glossary {
                g.add(&node, term(SKOS, "related"), concept(r)?);
            }
        }
    }
    Ok(g)
}
