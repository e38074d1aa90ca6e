//! `catalog.ttl` and `catalog.jsonld`: the collection as a DCAT catalogue, as
//! DCAT-AP 3 asks (a `dcat:Catalog` holding one `dcat:Dataset`, the collection,
//! with a `dcat:Distribution` per export), for data portals to harvest.

use super::rdf::{self, DCAT, DCT, FOAF, Graph, VCARD, iri, plain, term, text};
use super::{Distribution, ExportError};
use crate::config::Localized;
use crate::model::Collection;
use crate::model::date::PartialDate;

/// The EU's code of a language (its Publications Office's authority table, which
/// DCAT-AP names), or none for a language it is not given here.
fn eu_language(code: &str) -> Option<&'static str> {
    let primary = code.split('-').next().unwrap_or("").to_ascii_lowercase();
    Some(match primary.as_str() {
        "ar" => "ARA",
        "bg" => "BUL",
        "ca" => "CAT",
        "cs" => "CES",
        "cy" => "CYM",
        "da" => "DAN",
        "de" => "DEU",
        "el" => "ELL",
        "en" => "ENG",
        "es" => "SPA",
        "et" => "EST",
        "eu" => "EUS",
        "fi" => "FIN",
        "fr" => "FRA",
        "ga" => "GLE",
        "gd" => "GLA",
        "he" => "HEB",
        "hr" => "HRV",
        "hu" => "HUN",
        "is" => "ISL",
        "it" => "ITA",
        "ja" => "JPN",
        "ko" => "KOR",
        "lt" => "LIT",
        "lv" => "LAV",
        "mt" => "MLT",
        "nb" => "NOB",
        "nl" => "NLD",
        "nn" => "NNO",
        "no" => "NOR",
        "pl" => "POL",
        "pt" => "POR",
        "ro" => "RON",
        "ru" => "RUS",
        "sk" => "SLK",
        "sl" => "SLV",
        "sv" => "SWE",
        "tr" => "TUR",
        "uk" => "UKR",
        "zh" => "ZHO",
        _ => return None,
    })
}

/// A language as DCAT-AP wants it: the EU's authority IRI, or the Library of
/// Congress's ISO 639-1 one.
fn language_iri(code: &str) -> String {
    match eu_language(code) {
        Some(eu) => format!("http://publications.europa.eu/resource/authority/language/{eu}"),
        None => format!(
            "http://id.loc.gov/vocabulary/iso639-1/{}",
            code.split('-').next().unwrap_or(code).to_ascii_lowercase()
        ),
    }
}

/// The newest date an entry was updated or reviewed on: when the collection last
/// changed, by its own dates.
pub fn modified(collection: &Collection) -> Option<PartialDate> {
    collection
        .entries
        .iter()
        .flat_map(|e| [e.updated, e.reviewed])
        .flatten()
        .max()
}

/// The span of the resources' publication dates.
fn temporal(collection: &Collection) -> Option<(PartialDate, PartialDate)> {
    let mut dates = collection.resources().filter_map(|(_, e)| e.published);
    let first = dates.next()?;
    Some(dates.fold((first, first), |(lo, hi), d| (lo.min(d), hi.max(d))))
}

fn localized(
    graph: &mut Graph,
    subject: &oxrdf::NamedNode,
    predicate: oxrdf::NamedNode,
    texts: &Localized,
    default: &str,
) {
    if !texts.default.is_empty() {
        graph.add(subject, predicate.clone(), text(&texts.default, default));
    }
    for (language, value) in &texts.others {
        if !value.is_empty() {
            graph.add(subject, predicate.clone(), text(value, language));
        }
    }
}

/// The catalogue's graph. `schemes` are the vocabularies' concept-scheme IRIs.
pub fn graph(
    collection: &Collection,
    distributions: &[Distribution],
    schemes: &[String],
) -> Result<Graph, ExportError> {
    let config = &collection.config;
    let default = config.default_language();
    let base = &config.base_url;
    let here = |fragment: &str| iri(&format!("{base}catalog.ttl#{fragment}"));
    let catalog = here("catalog")?;
    let dataset = here("collection")?;
    let publisher = here("publisher")?;
    let home = iri(base)?;
    let licence = config
        .catalog
        .licence_url()
        .map(|url| iri(&url))
        .transpose()?;
    let issued = config
        .catalog
        .issued
        .as_deref()
        .and_then(|d| d.parse::<PartialDate>().ok());
    let modified = modified(collection);
    let languages: Vec<oxrdf::NamedNode> = config
        .languages
        .iter()
        .map(|l| iri(&language_iri(&l.code)))
        .collect::<Result<_, _>>()?;

    let mut g = Graph::default();
    g.a(&catalog, term(DCAT, "Catalog"));
    localized(
        &mut g,
        &catalog,
        term(DCT, "title"),
        &config.titles,
        default,
    );
    localized(
        &mut g,
        &catalog,
        term(DCT, "description"),
        &config.descriptions,
        default,
    );
    g.add(&catalog, term(DCT, "publisher"), publisher.clone());
    g.add(&catalog, term(FOAF, "homepage"), home.clone());
    for language in &languages {
        g.add(&catalog, term(DCT, "language"), language.clone());
    }
    if let Some(licence) = &licence {
        g.add(&catalog, term(DCT, "license"), licence.clone());
    }
    if let Some(issued) = &issued {
        g.add(&catalog, term(DCT, "issued"), rdf::date(issued));
    }
    if let Some(modified) = &modified {
        g.add(&catalog, term(DCT, "modified"), rdf::date(modified));
    }
    for scheme in schemes {
        g.add(&catalog, term(DCAT, "themeTaxonomy"), iri(scheme)?);
    }
    g.add(&catalog, term(DCAT, "dataset"), dataset.clone());

    g.a(&publisher, term(FOAF, "Agent"));
    let name = config
        .catalog
        .publisher
        .clone()
        .unwrap_or_else(|| config.titles.clone());
    localized(&mut g, &publisher, term(FOAF, "name"), &name, default);
    if let Some(url) = &config.catalog.publisher_url {
        g.add(&publisher, term(FOAF, "homepage"), iri(url)?);
    }

    g.a(&dataset, term(DCAT, "Dataset"));
    localized(
        &mut g,
        &dataset,
        term(DCT, "title"),
        &config.titles,
        default,
    );
    localized(
        &mut g,
        &dataset,
        term(DCT, "description"),
        &config.descriptions,
        default,
    );
    g.add(&dataset, term(DCT, "identifier"), plain(base));
    g.add(&dataset, term(DCT, "publisher"), publisher.clone());
    g.add(&dataset, term(DCAT, "landingPage"), home.clone());
    for language in &languages {
        g.add(&dataset, term(DCT, "language"), language.clone());
    }
    for taxonomy in &config.taxonomies {
        localized(
            &mut g,
            &dataset,
            term(DCAT, "keyword"),
            &taxonomy.labels,
            default,
        );
    }
    if let Some(issued) = &issued {
        g.add(&dataset, term(DCT, "issued"), rdf::date(issued));
    }
    if let Some(modified) = &modified {
        g.add(&dataset, term(DCT, "modified"), rdf::date(modified));
    }
    let period = temporal(collection);
    if period.is_some() {
        g.add(&dataset, term(DCT, "temporal"), here("period")?);
    }
    let contact = config.catalog.contact.as_ref();
    if contact.is_some() {
        g.add(&dataset, term(DCAT, "contactPoint"), here("contact")?);
    }
    for d in distributions {
        g.add(&dataset, term(DCAT, "distribution"), here(&d.id)?);
    }

    if let Some((start, end)) = period {
        let period = here("period")?;
        g.a(&period, term(DCT, "PeriodOfTime"));
        g.add(&period, term(DCAT, "startDate"), rdf::date(&start));
        g.add(&period, term(DCAT, "endDate"), rdf::date(&end));
    }
    if let Some(contact) = contact {
        let node = here("contact")?;
        g.a(&node, term(VCARD, "Kind"));
        let name = contact.name.clone().unwrap_or_else(|| name.default.clone());
        g.add(&node, term(VCARD, "fn"), plain(&name));
        if let Some(email) = &contact.email {
            g.add(
                &node,
                term(VCARD, "hasEmail"),
                iri(&format!("mailto:{email}"))?,
            );
        }
        if let Some(url) = &contact.url {
            g.add(&node, term(VCARD, "hasURL"), iri(url)?);
        }
    }
    for d in distributions {
        let node = here(&d.id)?;
        let url = iri(&format!("{base}{}", d.file))?;
        g.a(&node, term(DCAT, "Distribution"));
        g.add(&node, term(DCT, "title"), text(d.title, "en"));
        g.add(&node, term(DCT, "description"), text(d.description, "en"));
        g.add(&node, term(DCAT, "accessURL"), url.clone());
        g.add(&node, term(DCAT, "downloadURL"), url);
        if let Some(media_type) = d.iana_media_type() {
            g.add(
                &node,
                term(DCAT, "mediaType"),
                iri(&format!(
                    "http://www.iana.org/assignments/media-types/{media_type}"
                ))?,
            );
        }
        if let Some(format) = d.eu_format {
            g.add(
                &node,
                term(DCT, "format"),
                iri(&format!(
                    "http://publications.europa.eu/resource/authority/file-type/{format}"
                ))?,
            );
        }
        if let Some(language) = &d.language {
            g.add(&node, term(DCT, "language"), iri(&language_iri(language))?);
        }
        if let Some(licence) = &licence {
            g.add(&node, term(DCT, "license"), licence.clone());
        }
        if let Some(modified) = &modified {
            g.add(&node, term(DCT, "modified"), rdf::date(modified));
        }
    }
    if let Some(licence) = &licence {
        g.a(licence, term(DCT, "LicenseDocument"));
    }
    Ok(g)
}

#[cfg(test)]
mod tests {
    use super::language_iri;

    #[test]
    fn languages_as_dcat_ap_names_them() {
        assert_eq!(
            language_iri("fr"),
            "http://publications.europa.eu/resource/authority/language/FRA"
        );
        assert_eq!(
            language_iri("pt-BR"),
            "http://publications.europa.eu/resource/authority/language/POR"
        );
        assert_eq!(
            language_iri("sw"),
            "http://id.loc.gov/vocabulary/iso639-1/sw"
        );
    }
}
