//! The settings of `almanac.yaml` for reuse: how resources are cited (`citation`:
//! a CSL style, each resource type's citation type), the collection as a data
//! catalogue (`catalog`: publisher and its type, licence, dates, contact, data
//! themes), and the hierarchy of
//! vocabulary terms (`broader`), each checked and located.

use std::collections::BTreeMap;

use super::Localized;
use super::raw::{RawCatalog, RawCitation};
use crate::diagnostics::{Diagnostic, Location, did_you_mean};
use crate::yaml::{Spans, Step};

/// How resources are cited.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CitationConfig {
    /// A CSL style Almanac bundles, by its short name (`apa`,
    /// `harvard-cite-them-right`), or `none`.
    pub style: String,
    /// Term slugs of the resource-type taxonomy (the first `single` one) mapped to
    /// one of [`CITATION_KINDS`], over the built-in mapping.
    pub types: BTreeMap<String, String>,
}

/// What a resource can be cited as.
pub const CITATION_KINDS: &[&str] = &[
    "legislation",
    "standard",
    "report",
    "article",
    "software",
    "dataset",
    "course",
    "event",
    "webpage",
];

/// The collection as a catalogue of open data.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CatalogConfig {
    /// Who publishes the collection; the collection's title when not given.
    pub publisher: Option<Localized>,
    pub publisher_url: Option<String>,
    /// The licence of the collection's metadata: an SPDX identifier or an address.
    pub licence: Option<String>,
    /// When the collection was first published: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    pub issued: Option<String>,
    pub contact: Option<Contact>,
    /// Codes of the EU's data themes ([`DATA_THEMES`]) the collection is about.
    pub themes: Vec<String>,
    /// The publisher's kind, one of ADMS's [`PUBLISHER_TYPES`].
    pub publisher_type: Option<String>,
    /// The places the collection is about (DCAT-AP's geographical coverage): the
    /// addresses of places, a code of the EU's country table standing for its own.
    pub spatial: Vec<String>,
}

/// The EU's country table (the Publications Office's `country` authority table),
/// whose codes `catalog.spatial` may name a place by.
pub const COUNTRY_TABLE: &str = "http://publications.europa.eu/resource/authority/country/";

/// The EU's data themes (the Publications Office's `data-theme` authority table),
/// which DCAT-AP classifies datasets by.
pub const DATA_THEMES: &[&str] = &[
    "AGRI",
    "ECON",
    "EDUC",
    "ENER",
    "ENVI",
    "GOVE",
    "HEAL",
    "INTR",
    "JUST",
    "REGI",
    "SOCI",
    "TECH",
    "TRAN",
    "OP_DATPRO",
];

/// The kinds of publisher of ADMS's publisher-type vocabulary, which DCAT-AP
/// names a publisher's kind by.
pub const PUBLISHER_TYPES: &[&str] = &[
    "Academia-ScientificOrganisation",
    "Company",
    "IndustryConsortium",
    "LocalAuthority",
    "NationalAuthority",
    "NonGovernmentalOrganisation",
    "NonProfitOrganisation",
    "PrivateIndividual(s)",
    "RegionalAuthority",
    "StandardisationBody",
    "SupraNationalAuthority",
];

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Contact {
    pub name: Option<String>,
    pub email: Option<String>,
    pub url: Option<String>,
}

impl CatalogConfig {
    /// The licence's address: itself, or the SPDX page of an SPDX identifier.
    pub fn licence_url(&self) -> Option<String> {
        self.licence.as_deref().map(licence_url)
    }
}

/// The address of a licence written as an SPDX identifier or as an address.
pub fn licence_url(licence: &str) -> String {
    if is_http(licence) {
        licence.to_string()
    } else {
        format!("http://spdx.org/licenses/{licence}")
    }
}

/// The style names a collection may choose besides those hayagriva knows by name:
/// the plain word for the usual variant.
const STYLE_ALIASES: &[(&str, &str)] = &[
    ("harvard", "harvard-cite-them-right"),
    ("chicago", "chicago-author-date"),
    ("vancouver", "nlm-citation-sequence"),
];

pub(super) fn read_citation(
    raw: RawCitation,
    spans: &Spans,
    problems: &mut Vec<Diagnostic>,
) -> CitationConfig {
    let at = |path: &[Step]| {
        spans
            .value(path)
            .unwrap_or_else(|| Location::span(spans.source(), 0..0))
    };
    let style = match raw.style {
        None => "apa".to_string(),
        // No formatted reference on the pages (the downloads stay): formatting is
        // a large share of a big collection's build time.
        Some(name) if name == "none" => name,
        Some(name) => {
            let wanted = STYLE_ALIASES
                .iter()
                .find(|(alias, _)| *alias == name)
                .map_or(name.as_str(), |(_, full)| full);
            match hayagriva::archive::ArchivedStyle::by_name(wanted) {
                Some(style) => style.names()[0].to_string(),
                None => {
                    let names = hayagriva::archive::ArchivedStyle::all()
                        .iter()
                        .flat_map(|s| s.names().iter().copied())
                        .chain(STYLE_ALIASES.iter().map(|(alias, _)| *alias));
                    problems.push(
                        Diagnostic::error(
                            "config",
                            format!("`{name}` is not a citation style Almanac knows"),
                        )
                        .at(at(&[Step::key("citation"), Step::key("style")]))
                        .label("unknown style")
                        .help(match did_you_mean(&name, names) {
                            Some(s) => format!("did you mean `{s}`?"),
                            None => "use `apa`, `harvard`, `chicago`, `ieee`, `mla` or `vancouver`"
                                .to_string(),
                        }),
                    );
                    "apa".to_string()
                }
            }
        }
    };
    let mut types = BTreeMap::new();
    for (slug, kind) in raw.types.unwrap_or_default() {
        if CITATION_KINDS.contains(&kind.as_str()) {
            types.insert(slug, kind);
        } else {
            problems.push(
                not_one_of(&kind, "a citation type", CITATION_KINDS)
                    .at(at(&[
                        Step::key("citation"),
                        Step::key("types"),
                        Step::key(&slug),
                    ]))
                    .label("unknown citation type"),
            );
        }
    }
    CitationConfig { style, types }
}

pub(super) fn read_catalog(
    raw: RawCatalog,
    publisher: Option<Localized>,
    spans: &Spans,
    problems: &mut Vec<Diagnostic>,
) -> CatalogConfig {
    let at = |field: &str| {
        let mut path = vec![Step::key("catalog")];
        path.extend(field.split('.').map(Step::key));
        spans
            .value(&path)
            .unwrap_or_else(|| Location::span(spans.source(), 0..0))
    };
    let address = |field: &str, value: Option<String>, problems: &mut Vec<Diagnostic>| {
        let value = value.filter(|v| !v.trim().is_empty())?;
        if crate::paths::is_web_address(&value) {
            Some(value)
        } else {
            problems.push(
                Diagnostic::error(
                    "config",
                    format!("`catalog.{field}` must be an http or https address, not `{value}`"),
                )
                .at(at(field))
                .label("not an http(s) address, or one with spaces, quotes or `<` `>`"),
            );
            None
        }
    };
    let publisher_url = address("publisher_url", raw.publisher_url, problems);
    let contact = raw.contact.map(|c| {
        let url = address("contact.url", c.url, problems);
        let email = c.email.filter(|e| !e.trim().is_empty());
        if let Some(email) = &email
            && (!email.contains('@') || email.contains([' ', ':']))
        {
            problems.push(
                Diagnostic::error(
                    "config",
                    format!("`catalog.contact.email` must be an e-mail address, not `{email}`"),
                )
                .at(at("contact.email"))
                .label("not an e-mail address"),
            );
        }
        Contact {
            name: c.name.filter(|n| !n.trim().is_empty()),
            email,
            url,
        }
    });
    let licence = raw.licence.filter(|l| !l.trim().is_empty());
    let spdx = |licence: &str| {
        licence
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || ".-+".contains(c))
    };
    if let Some(licence) = &licence
        && !(if is_http(licence) {
            crate::paths::is_web_address(licence)
        } else {
            spdx(licence)
        })
    {
        problems.push(
            Diagnostic::error(
                "config",
                format!(
                    "`catalog.licence` must be an SPDX identifier or an address, not `{licence}`"
                ),
            )
            .at(at("licence"))
            .label("not an SPDX identifier")
            .help("write e.g. `CC-BY-4.0`, `OGL-UK-3.0`, or the licence's address"),
        );
    }
    let issued = raw.issued.filter(|d| !d.trim().is_empty());
    if let Some(date) = &issued
        && !is_partial_date(date)
    {
        problems.push(
            Diagnostic::error(
                "config",
                format!("`catalog.issued` must be a date of the form YYYY, YYYY-MM or YYYY-MM-DD, not `{date}`"),
            )
            .at(at("issued"))
            .label("not a date"),
        );
    }
    let mut themes = Vec::new();
    for (j, theme) in raw.themes.unwrap_or_default().into_iter().enumerate() {
        let code = theme.trim().to_ascii_uppercase();
        if DATA_THEMES.contains(&code.as_str()) {
            if !themes.contains(&code) {
                themes.push(code);
            }
            continue;
        }
        let location = spans
            .value(&[Step::key("catalog"), Step::key("themes"), Step::Item(j)])
            .unwrap_or_else(|| at("themes"));
        problems.push(
            not_one_of(theme.trim(), "one of the EU's data themes", DATA_THEMES)
                .at(location)
                .label("unknown data theme"),
        );
    }
    let publisher_type = raw
        .publisher_type
        .filter(|t| !t.trim().is_empty())
        .and_then(|kind| {
            if PUBLISHER_TYPES.contains(&kind.as_str()) {
                return Some(kind);
            }
            problems.push(
                not_one_of(&kind, "a publisher type of ADMS", PUBLISHER_TYPES)
                    .at(at("publisher_type"))
                    .label("unknown publisher type"),
            );
            None
        });
    let mut spatial = Vec::new();
    for (j, place) in raw.spatial.unwrap_or_default().into_iter().enumerate() {
        let place = place.trim();
        let code = place.to_ascii_uppercase();
        let address = if is_http(place) && crate::paths::is_web_address(place) {
            place.to_string()
        } else if code.len() == 3 && code.chars().all(|c| c.is_ascii_alphabetic()) {
            format!("{COUNTRY_TABLE}{code}")
        } else {
            let location = spans
                .value(&[Step::key("catalog"), Step::key("spatial"), Step::Item(j)])
                .unwrap_or_else(|| at("spatial"));
            problems.push(
                Diagnostic::error(
                    "config",
                    format!("`{place}` is neither a country code nor the address of a place"),
                )
                .at(location)
                .label("not a place")
                .help("write a code of the EU's country table (`GBR`, `FRA`, `EUR`) or an http(s) address"),
            );
            continue;
        };
        if !spatial.contains(&address) {
            spatial.push(address);
        }
    }
    CatalogConfig {
        publisher,
        publisher_url,
        licence,
        issued,
        contact,
        themes,
        publisher_type,
        spatial,
    }
}

/// Written as an http(s) address (a licence is an address or an identifier).
/// A value that is not one of a fixed list, with the nearest one or the list.
fn not_one_of(value: &str, what: &str, list: &[&str]) -> Diagnostic {
    Diagnostic::error("config", format!("`{value}` is not {what}")).help(
        match did_you_mean(value, list.iter().copied()) {
            Some(s) => format!("did you mean `{s}`?"),
            None => format!("use one of {}", list.join(", ")),
        },
    )
}

fn is_http(text: &str) -> bool {
    text.starts_with("https://") || text.starts_with("http://")
}

/// `YYYY`, `YYYY-MM` or `YYYY-MM-DD` with a month of 1 to 12 and a day of 1 to 31.
fn is_partial_date(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    let digits = |p: &str, n: usize| p.len() == n && p.chars().all(|c| c.is_ascii_digit());
    let in_range = |p: &str, max: u8| p.parse::<u8>().is_ok_and(|v| (1..=max).contains(&v));
    match parts.as_slice() {
        [y] => digits(y, 4),
        [y, m] => digits(y, 4) && digits(m, 2) && in_range(m, 12),
        [y, m, d] => {
            digits(y, 4) && digits(m, 2) && digits(d, 2) && in_range(m, 12) && in_range(d, 31)
        }
        _ => false,
    }
}

/// A term's `broader` values as written, for [`resolve_broader`]: the taxonomy's
/// place in the file and among the taxonomies kept, the term's place, the values.
pub(super) struct PendingBroader {
    pub raw_index: usize,
    pub taxonomy: usize,
    pub term: usize,
    pub values: Vec<String>,
}

/// Each `broader` value resolved to (taxonomy, term): a slug names a term of the
/// same taxonomy, `taxonomy/slug` one of another controlled vocabulary. Unknown
/// terms and loops are located problems.
pub(super) fn resolve_broader(
    taxonomies: &mut [super::TaxonomyConfig],
    pending: Vec<PendingBroader>,
    spans: &Spans,
    problems: &mut Vec<Diagnostic>,
) {
    for p in pending {
        let slug = taxonomies[p.taxonomy]
            .terms
            .as_ref()
            .map(|terms| terms[p.term].slug.clone())
            .unwrap_or_default();
        let many = p.values.len() > 1;
        for (j, value) in p.values.iter().enumerate() {
            let mut path = vec![
                Step::key("taxonomies"),
                Step::Item(p.raw_index),
                Step::key("terms"),
                Step::key(&slug),
                Step::key("broader"),
            ];
            if many {
                path.push(Step::Item(j));
            }
            let location = spans
                .value(&path)
                .unwrap_or_else(|| Location::span(spans.source(), 0..0));
            let (taxonomy_name, term_slug) = match value.split_once('/') {
                Some((t, s)) => (t.to_string(), s.to_string()),
                None => (taxonomies[p.taxonomy].name.clone(), value.clone()),
            };
            let Some(t) = taxonomies.iter().position(|t| t.name == taxonomy_name) else {
                problems.push(
                    Diagnostic::error(
                        "config",
                        format!(
                            "`broader` names the taxonomy `{taxonomy_name}`, which is not declared"
                        ),
                    )
                    .at(location)
                    .label("no such taxonomy")
                    .maybe_help(
                        did_you_mean(&taxonomy_name, taxonomies.iter().map(|t| t.name.as_str()))
                            .map(|s| format!("did you mean `{s}/{term_slug}`?")),
                    ),
                );
                continue;
            };
            let Some(terms) = taxonomies[t].terms.as_ref() else {
                problems.push(
                    Diagnostic::error(
                        "config",
                        format!("`broader` names `{value}`, but `{taxonomy_name}` has no vocabulary of terms"),
                    )
                    .at(location)
                    .label("an open vocabulary")
                    .help("a broader term must be declared under `terms:` of a taxonomy"),
                );
                continue;
            };
            let Some(i) = terms.iter().position(|term| term.slug == term_slug) else {
                problems.push(
                    Diagnostic::error(
                        "config",
                        format!("`broader` names `{term_slug}`, which is not a term of `{taxonomy_name}`"),
                    )
                    .at(location)
                    .label("not in the vocabulary")
                    .maybe_help(
                        did_you_mean(&term_slug, terms.iter().map(|t| t.slug.as_str()))
                            .map(|s| format!("did you mean `{s}`?")),
                    ),
                );
                continue;
            };
            if (t, i) == (p.taxonomy, p.term) {
                problems.push(
                    Diagnostic::error(
                        "config",
                        format!("the term `{slug}` names itself as `broader`"),
                    )
                    .at(location)
                    .label("a term cannot be broader than itself"),
                );
                continue;
            }
            if let Some(terms) = taxonomies[p.taxonomy].terms.as_mut()
                && !terms[p.term].broader.contains(&(t, i))
            {
                terms[p.term].broader.push((t, i));
            }
        }
    }
    report_loops(taxonomies, spans, problems);
}

/// A term that is, through its broader terms, broader than itself.
fn report_loops(
    taxonomies: &mut [super::TaxonomyConfig],
    spans: &Spans,
    problems: &mut Vec<Diagnostic>,
) {
    let broader = |(t, i): (usize, usize)| -> &[(usize, usize)] {
        taxonomies[t]
            .terms
            .as_ref()
            .map_or(&[][..], |terms| terms[i].broader.as_slice())
    };
    let mut looped = Vec::new();
    for (t, taxonomy) in taxonomies.iter().enumerate() {
        for i in 0..taxonomy.terms.as_ref().map_or(0, Vec::len) {
            // Walk up; a walk that comes back to the start is a loop.
            let mut seen = vec![(t, i)];
            let mut frontier = broader((t, i)).to_vec();
            while let Some(next) = frontier.pop() {
                if next == (t, i) {
                    looped.push((t, i));
                    break;
                }
                if !seen.contains(&next) {
                    seen.push(next);
                    frontier.extend_from_slice(broader(next));
                }
            }
        }
    }
    for &(t, i) in &looped {
        let Some(terms) = taxonomies[t].terms.as_mut() else {
            continue;
        };
        let slug = terms[i].slug.clone();
        // The loop is reported once per term in it, and no longer followed.
        terms[i].broader.clear();
        let location = spans
            .key(&[
                Step::key("taxonomies"),
                Step::Item(t),
                Step::key("terms"),
                Step::key(&slug),
                Step::key("broader"),
            ])
            .unwrap_or_else(|| Location::span(spans.source(), 0..0));
        problems.push(
            Diagnostic::error(
                "config",
                format!("the term `{slug}` of `{}` is, through its `broader` terms, broader than itself", taxonomies[t].name),
            )
            .at(location)
            .label("a loop of broader terms")
            .help("a broader term is more general: remove one `broader` of the loop"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::is_partial_date;

    #[test]
    fn dates_of_the_catalogue() {
        for good in ["2024", "2024-05", "2024-05-31"] {
            assert!(is_partial_date(good), "{good}");
        }
        for bad in ["24", "2024-5", "2024-13", "2024-05-32", "May 2024", ""] {
            assert!(!is_partial_date(bad), "{bad}");
        }
    }
}
