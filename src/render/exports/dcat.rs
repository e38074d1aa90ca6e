//! `catalog.ttl` and `catalog.jsonld`: the collection as a DCAT catalogue, as
//! DCAT-AP 3 asks (a `dcat:Catalog` holding one `dcat:Dataset`, the collection,
//! with a `dcat:Distribution` per export), for data portals to harvest.

use super::rdf::{self, DCAT, DCATAP, DCT, FOAF, Graph, VCARD, iri, plain, term, text};
use super::{Distribution, ExportError};
use crate::config::{Localized, iso639};
use crate::model::Collection;
use crate::model::date::PartialDate;

/// The EU's authority tables DCAT-AP takes its controlled values from.
const AUTHORITY: &str = "http://publications.europa.eu/resource/authority/";

/// A language as DCAT-AP wants it: the IRI of the EU's language authority table,
/// which names languages by their ISO 639-3 codes. The configuration has checked
/// that every language of the collection has one.
fn language_iri(code: &str) -> Result<oxrdf::NamedNode, ExportError> {
    let eu = iso639::eu_code(code)
        .ok_or_else(|| ExportError::Rdf(format!("`{code}` is not a language of ISO 639")))?;
    iri(&format!("{AUTHORITY}language/{eu}"))
}

/// What ADMS's licence-type vocabulary says of a licence given by its SPDX
/// identifier, where the identifier tells: attribution, share-alike,
/// non-commercial use, no derivatives, public domain.
fn licence_types(spdx: &str) -> Vec<&'static str> {
    let id = spdx.to_ascii_uppercase();
    let parts: Vec<&str> = id.split('-').collect();
    if id.starts_with("CC0") || id.starts_with("PDDL") || id == "UNLICENSE" {
        return vec!["PublicDomain"];
    }
    let mut types = Vec::new();
    if parts.first() == Some(&"CC") && parts.contains(&"BY") {
        types.push("Attribution");
        if parts.contains(&"NC") {
            types.push("NonCommercialUseOnly");
        }
        if parts.contains(&"ND") {
            types.push("NoDerivativeWork");
        }
        if parts.contains(&"SA") {
            types.push("ViralEffect-ShareAlike");
        }
    } else if id.starts_with("ODBL") {
        types.extend(["Attribution", "ViralEffect-ShareAlike"]);
    } else if id.starts_with("ODC-BY")
        || id.starts_with("OGL-")
        || id.starts_with("ETALAB-")
        || id.starts_with("DL-DE-BY")
        || id.starts_with("NLOD")
        || id == "MIT"
        || id.starts_with("APACHE-")
        || id.starts_with("BSD-")
    {
        types.push("Attribution");
    } else if ["GPL-", "AGPL-", "LGPL-", "EUPL-", "MPL-"]
        .iter()
        .any(|p| id.starts_with(p))
    {
        types.push("ViralEffect-ShareAlike");
    }
    types
}

/// The labels of the terms the resources are tagged with, as readers see them, in
/// each language (a controlled vocabulary's translations too), each once.
fn keywords(collection: &Collection) -> Vec<(&str, &str)> {
    let default = collection.config.default_language();
    let mut seen = std::collections::BTreeSet::new();
    let mut keywords = Vec::new();
    for taxonomy in &collection.taxonomies {
        let declared = taxonomy.config.terms.as_deref().unwrap_or(&[]);
        for used in taxonomy.terms.iter().filter(|t| !t.resources.is_empty()) {
            let mut labels = vec![(used.label.as_str(), default)];
            if let Some(term) = declared.iter().find(|d| d.slug == used.slug) {
                labels.extend(
                    term.labels
                        .others
                        .iter()
                        .map(|(language, label)| (label.as_str(), language.as_str())),
                );
            }
            for keyword in labels {
                if !keyword.0.is_empty() && seen.insert(keyword) {
                    keywords.push(keyword);
                }
            }
        }
    }
    keywords
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
        .map(|l| language_iri(&l.code))
        .collect::<Result<_, _>>()?;
    let themes: Vec<oxrdf::NamedNode> = config
        .catalog
        .themes
        .iter()
        .map(|code| iri(&format!("{AUTHORITY}data-theme/{code}")))
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
    if !themes.is_empty() {
        g.add(
            &catalog,
            term(DCAT, "themeTaxonomy"),
            iri(&format!("{AUTHORITY}data-theme"))?,
        );
    }
    for scheme in schemes {
        g.add(&catalog, term(DCAT, "themeTaxonomy"), iri(scheme)?);
    }
    let places: Vec<oxrdf::NamedNode> = config
        .catalog
        .spatial
        .iter()
        .map(|place| iri(place))
        .collect::<Result<_, _>>()?;
    for place in &places {
        g.add(&catalog, term(DCT, "spatial"), place.clone());
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
    if let Some(kind) = &config.catalog.publisher_type {
        g.add(
            &publisher,
            term(DCT, "type"),
            iri(&format!("http://purl.org/adms/publishertype/{kind}"))?,
        );
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
    for (keyword, language) in keywords(collection) {
        g.add(&dataset, term(DCAT, "keyword"), text(keyword, language));
    }
    for theme in &themes {
        g.add(&dataset, term(DCAT, "theme"), theme.clone());
    }
    for place in &places {
        g.add(&dataset, term(DCT, "spatial"), place.clone());
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
        // The EU's file type where its table has the format (BibTeX and RIS it
        // has not), else the media type.
        let format = match d.eu_format {
            Some(format) => format!("{AUTHORITY}file-type/{format}"),
            None => format!(
                "http://www.iana.org/assignments/media-types/{}",
                d.media_type
            ),
        };
        g.add(&node, term(DCT, "format"), iri(&format)?);
        // Written again at every build, at the same address.
        g.add(
            &node,
            term(DCATAP, "availability"),
            iri(&format!("{AUTHORITY}planned-availability/STABLE"))?,
        );
        if let Some(language) = &d.language {
            g.add(&node, term(DCT, "language"), language_iri(language)?);
        }
        if let Some(licence) = &licence {
            g.add(&node, term(DCT, "license"), licence.clone());
        }
        if let Some(modified) = &modified {
            g.add(&node, term(DCT, "modified"), rdf::date(modified));
        }
    }
    // Typed as DCAT-AP's range for geographical coverage asks.
    for place in &places {
        g.a(place, term(DCT, "Location"));
    }
    if let Some(licence) = &licence {
        g.a(licence, term(DCT, "LicenseDocument"));
        let spdx = config
            .catalog
            .licence
            .as_deref()
            .filter(|l| *l != licence.as_str());
        for kind in spdx.map(licence_types).unwrap_or_default() {
            g.add(
                licence,
                term(DCT, "type"),
                iri(&format!("http://purl.org/adms/licencetype/{kind}"))?,
            );
        }
    }
    Ok(g)
}

#[cfg(test)]
mod tests {
    use super::{language_iri, licence_types};

    #[test]
    fn languages_as_dcat_ap_names_them() {
        let named = |code: &str| language_iri(code).unwrap().as_str().to_string();
        assert_eq!(
            named("fr"),
            "http://publications.europa.eu/resource/authority/language/FRA"
        );
        assert_eq!(
            named("pt-BR"),
            "http://publications.europa.eu/resource/authority/language/POR"
        );
        assert_eq!(
            named("sw"),
            "http://publications.europa.eu/resource/authority/language/SWA"
        );
        assert_eq!(
            named("haw"),
            "http://publications.europa.eu/resource/authority/language/HAW"
        );
        assert!(language_iri("qq").is_err());
    }

    #[test]
    fn licence_types_by_spdx_identifier() {
        assert_eq!(licence_types("CC-BY-4.0"), ["Attribution"]);
        assert_eq!(
            licence_types("CC-BY-SA-4.0"),
            ["Attribution", "ViralEffect-ShareAlike"]
        );
        assert_eq!(
            licence_types("CC-BY-NC-ND-4.0"),
            ["Attribution", "NonCommercialUseOnly", "NoDerivativeWork"]
        );
        assert_eq!(licence_types("CC0-1.0"), ["PublicDomain"]);
        assert_eq!(licence_types("OGL-UK-3.0"), ["Attribution"]);
        assert!(licence_types("LicenseRef-own").is_empty());
    }
}
