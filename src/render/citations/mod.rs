//! Citable resources: each resource as a [`Reference`] (what it is, who made it,
//! when, where it is), written as CSL-JSON, BibTeX and RIS for reference managers
//! and formatted in the collection's CSL style for its page.

mod bibtex;
mod csl;
mod format;
mod memo;
mod ris;
mod specialise;

use crate::model::date::PartialDate;
use crate::model::{Collection, EntryId};

pub use bibtex::bibtex;
pub use csl::{csl_item, csl_json};
pub use format::{Citer, prepare};
pub use memo::ReferenceCounts;
pub use ris::ris;

/// What a resource is cited as. A collection's resource types map onto these
/// through the first `single` taxonomy: by the term's slug, or as `citation.types`
/// of `almanac.yaml` says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Legislation,
    Standard,
    Report,
    Article,
    Software,
    Dataset,
    Course,
    Event,
    WebPage,
}

impl Kind {
    /// One of `config::CITATION_KINDS`.
    pub fn from_name(name: &str) -> Option<Kind> {
        Some(match name {
            "legislation" => Kind::Legislation,
            "standard" => Kind::Standard,
            "report" => Kind::Report,
            "article" => Kind::Article,
            "software" => Kind::Software,
            "dataset" => Kind::Dataset,
            "course" => Kind::Course,
            "event" => Kind::Event,
            "webpage" => Kind::WebPage,
            _ => return None,
        })
    }

    /// The kind of a resource-type term, by the words its slug is made of.
    fn of_slug(slug: &str) -> Kind {
        let words: Vec<&str> = slug.split('-').collect();
        let has = |any: &[&str]| words.iter().any(|w| any.contains(w));
        if has(&[
            "legislation",
            "law",
            "act",
            "regulation",
            "directive",
            "statute",
            "treaty",
            "convention",
        ]) {
            Kind::Legislation
        } else if has(&["standard", "specification"]) {
            Kind::Standard
        } else if has(&["paper", "article", "preprint", "journal"]) {
            Kind::Article
        } else if has(&["report", "review", "study"]) {
            Kind::Report
        } else if has(&["software", "library", "application", "app"]) {
            Kind::Software
        } else if has(&["dataset", "data", "datasets"]) {
            Kind::Dataset
        } else if has(&["course", "training", "curriculum", "mooc"]) {
            Kind::Course
        } else if has(&["event", "conference", "workshop", "webinar"]) {
            Kind::Event
        } else {
            Kind::WebPage
        }
    }

    /// The CSL item type.
    pub fn csl(self) -> &'static str {
        match self {
            Kind::Legislation => "legislation",
            Kind::Standard => "standard",
            Kind::Report => "report",
            Kind::Article => "article-journal",
            Kind::Software => "software",
            Kind::Dataset => "dataset",
            Kind::Course => "document",
            Kind::Event => "event",
            Kind::WebPage => "webpage",
        }
    }

    /// The schema.org type of the resource.
    pub fn schema_type(self) -> &'static str {
        match self {
            Kind::Legislation => "Legislation",
            Kind::Report => "Report",
            Kind::Article => "ScholarlyArticle",
            Kind::Software => "SoftwareApplication",
            Kind::Dataset => "Dataset",
            Kind::Course => "Course",
            Kind::Event => "Event",
            Kind::Standard | Kind::WebPage => "CreativeWork",
        }
    }

    /// The Zotero item type, as `DC.type` gives it. Zotero's connector takes the
    /// type from `DC.type` when it names one of its item types, and otherwise
    /// guesses a journal article from `citation_title`: a DCMI type such as `Text`
    /// or `Software` loses to that guess.
    pub fn zotero_type(self) -> &'static str {
        match self {
            Kind::Legislation => "statute",
            Kind::Standard => "standard",
            Kind::Report => "report",
            Kind::Article => "journalArticle",
            Kind::Software => "computerProgram",
            Kind::Dataset => "dataset",
            // Zotero has no course or event; what is saved is the page about it,
            // and Zotero reads an event (DCMI's `Event`) as a presentation.
            Kind::Course | Kind::WebPage => "webpage",
            Kind::Event => "presentation",
        }
    }

    /// The DCMI type (`DCTERMS.type`).
    pub fn dcmi_type(self) -> &'static str {
        match self {
            Kind::Software => "Software",
            Kind::Dataset => "Dataset",
            Kind::Event => "Event",
            Kind::Course | Kind::WebPage => "InteractiveResource",
            _ => "Text",
        }
    }

    /// The word for it, as `kind` in templates.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Legislation => "legislation",
            Kind::Standard => "standard",
            Kind::Report => "report",
            Kind::Article => "article",
            Kind::Software => "software",
            Kind::Dataset => "dataset",
            Kind::Course => "course",
            Kind::Event => "event",
            Kind::WebPage => "webpage",
        }
    }
}

/// A person or an organisation credited with a resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Name {
    Person { family: String, given: String },
    Organisation(String),
}

/// Words that make a credited name an organisation's (`AI Now Institute`,
/// `Council of Europe`), compared whole and without case. Words that are also
/// common surnames (`Court`, `Bank`, `Church`) are left out.
const ORGANISATION_WORDS: &[&str] = &[
    "academy",
    "agency",
    "alliance",
    "association",
    "authority",
    "board",
    "bureau",
    "center",
    "centre",
    "coalition",
    "college",
    "commission",
    "committee",
    "company",
    "consortium",
    "contributors",
    "corporation",
    "council",
    "department",
    "directorate",
    "foundation",
    "forum",
    "gmbh",
    "government",
    "group",
    "inc",
    "initiative",
    "institut",
    "institute",
    "institution",
    "lab",
    "laboratory",
    "labs",
    "league",
    "llc",
    "ltd",
    "ministry",
    "network",
    "observatory",
    "office",
    "organisation",
    "organization",
    "parliament",
    "partnership",
    "programme",
    "project",
    "secretariat",
    "services",
    "society",
    "team",
    "trust",
    "union",
    "universidad",
    "universität",
    "university",
    "université",
];

/// Words that join the words of an organisation's name, never a person's.
const JOINING_WORDS: &[&str] = &["of", "for", "the", "and", "on", "&"];

impl Name {
    /// A credited name as curators write it: an organisation's when a word of it
    /// says so (`AI Now Institute`, `Council of Europe`) or it is an acronym
    /// (`OECD`); otherwise a person's, `Given Family` or `Family, Given`, with
    /// lower-case particles kept with the family name (`Ludwig van Beethoven`),
    /// and a single word a family name (`Smith`).
    fn parse(text: &str) -> Name {
        let text = text.trim();
        if is_organisation(text) {
            return Name::Organisation(text.to_string());
        }
        if let Some((family, given)) = text.split_once(',') {
            return Name::Person {
                family: family.trim().to_string(),
                given: given.trim().to_string(),
            };
        }
        let words: Vec<&str> = text.split_whitespace().collect();
        let Some((last, firsts)) = words.split_last() else {
            return Name::Organisation(text.to_string());
        };
        let particles = firsts
            .iter()
            .rev()
            .take_while(|w| w.chars().next().is_some_and(char::is_lowercase))
            .count();
        let (given, particle) = firsts.split_at(firsts.len() - particles);
        let mut family = particle.join(" ");
        if !family.is_empty() {
            family.push(' ');
        }
        family.push_str(last);
        Name::Person {
            family,
            given: given.join(" "),
        }
    }

    /// `Family, Given` (`Family` alone without a given name), or the
    /// organisation's name.
    pub fn inverted(&self) -> String {
        match self {
            Name::Person { family, given } if given.is_empty() => family.clone(),
            Name::Person { family, given } => format!("{family}, {given}"),
            Name::Organisation(name) => name.clone(),
        }
    }

    /// `Given Family`, or the organisation's name.
    pub fn natural(&self) -> String {
        match self {
            Name::Person { family, given } if given.is_empty() => family.clone(),
            Name::Person { family, given } => format!("{given} {family}"),
            Name::Organisation(name) => name.clone(),
        }
    }
}

/// Whether a credited name is an organisation's: by its words, or as an acronym
/// of two letters or more (`OECD`, `IEEE`, `UNESCO`).
fn is_organisation(text: &str) -> bool {
    let words: Vec<String> = text
        .split(|c: char| c.is_whitespace() || c == ',' || c == '(' || c == ')')
        .filter(|w| !w.is_empty())
        .map(|w| w.trim_end_matches('.').to_lowercase())
        .collect();
    let acronym = words.len() == 1
        && text.chars().filter(|c| c.is_alphabetic()).count() >= 2
        && text
            .chars()
            .all(|c| c.is_uppercase() || c.is_ascii_digit() || "&-.".contains(c));
    acronym
        || words.iter().any(|w| {
            ORGANISATION_WORDS.contains(&w.as_str())
                || (JOINING_WORDS.contains(&w.as_str()) && words.len() > 1)
        })
}

/// A resource as reference managers and citation styles see it. Its texts are in
/// the language of the collection it is taken from.
#[derive(Debug, Clone)]
pub struct Reference<'a> {
    /// As in `resources.json`: the file's path under `content/` without `.md`.
    pub id: String,
    pub kind: Kind,
    pub title: &'a str,
    /// The people credited; when none is, the publishers, as organisations.
    pub authors: Vec<Name>,
    /// The curator's list of people ends in `et al.`: there are more.
    pub more_authors: bool,
    pub publishers: &'a [String],
    pub issued: Option<PartialDate>,
    /// When a curator last checked the address.
    pub accessed: Option<PartialDate>,
    /// The resource's address, or, while it is not verified, its page here.
    pub url: String,
    /// The resource's page in the collection.
    pub page: String,
    pub language: Option<&'a str>,
    pub summary: Option<&'a str>,
    pub keywords: Vec<&'a str>,
    pub licence: Option<&'a str>,
}

impl Reference<'_> {
    /// Whether the address is a PDF file.
    pub fn is_pdf(&self) -> bool {
        let path = self.url.split(['?', '#']).next().unwrap_or("");
        path.to_ascii_lowercase().ends_with(".pdf")
    }

    /// Whether the authors are the publishers (standing in for missing people, or
    /// named as both), which citation styles would otherwise name twice.
    pub fn authored_by_publishers(&self) -> bool {
        !self.authors.is_empty()
            && self.authors.len() == self.publishers.len()
            && self
                .authors
                .iter()
                .zip(self.publishers)
                .all(|(a, p)| matches!(a, Name::Organisation(name) if name == p))
    }
}

/// Resource `id` of `collection` as a reference.
pub fn reference(collection: &Collection, id: EntryId) -> Reference<'_> {
    let entry = &collection.entries[id];
    let config = &collection.config;
    let kind = collection
        .taxonomies
        .iter()
        .enumerate()
        .find(|(_, t)| t.config.single)
        .and_then(|(t, taxonomy)| {
            let term = &taxonomy.terms[*entry.terms.get(t)?.first()?];
            Some(
                config
                    .citation
                    .types
                    .get(&term.slug)
                    .and_then(|name| Kind::from_name(name))
                    .unwrap_or_else(|| Kind::of_slug(&term.slug)),
            )
        })
        .unwrap_or(Kind::WebPage);
    let mut more_authors = false;
    let mut authors: Vec<Name> = entry
        .authors
        .iter()
        .filter(|a| {
            let etal = a.trim().trim_end_matches('.').eq_ignore_ascii_case("et al");
            more_authors |= etal;
            !etal && !a.trim().is_empty()
        })
        .map(|a| Name::parse(a))
        .collect();
    if authors.is_empty() {
        authors = entry
            .publisher
            .iter()
            .map(|p| Name::Organisation(p.clone()))
            .collect();
    }
    let keywords = collection
        .taxonomies
        .iter()
        .enumerate()
        .filter(|(_, t)| !t.config.single)
        .flat_map(|(t, taxonomy)| {
            entry.terms[t]
                .iter()
                .map(move |&i| taxonomy.terms[i].label.as_str())
        })
        .collect();
    let page = config.permalink(&entry.path);
    Reference {
        id: entry.file.rel.trim_end_matches(".md").to_string(),
        kind,
        title: &entry.title,
        authors,
        more_authors,
        publishers: &entry.publisher,
        issued: entry.published,
        accessed: entry.reviewed,
        url: entry.url.clone().unwrap_or_else(|| page.clone()),
        page,
        language: entry.language.as_deref(),
        summary: entry.summary.as_deref(),
        keywords,
        licence: entry.licence.as_deref(),
    }
}

/// The resources of a collection in `resources.json`'s order (by id), each once.
pub fn references(collection: &Collection) -> Vec<Reference<'_>> {
    let mut all: Vec<Reference> = collection
        .resources()
        .map(|(id, _)| reference(collection, id))
        .collect();
    all.sort_by(|a, b| a.id.cmp(&b.id));
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(family: &str, given: &str) -> Name {
        Name::Person {
            family: family.into(),
            given: given.into(),
        }
    }

    #[test]
    fn names_as_curators_write_them() {
        assert_eq!(Name::parse("Luciano Floridi"), person("Floridi", "Luciano"));
        assert_eq!(
            Name::parse("Aline Shakti Franzke"),
            person("Franzke", "Aline Shakti")
        );
        assert_eq!(Name::parse("Floridi, L."), person("Floridi", "L."));
        assert_eq!(
            Name::parse("Ludwig van Beethoven"),
            person("van Beethoven", "Ludwig")
        );
        assert_eq!(Name::parse("OECD"), Name::Organisation("OECD".into()));
    }

    #[test]
    fn organisations_by_their_words_and_people_otherwise() {
        for name in [
            "AI Now Institute",
            "Council of Europe",
            "Ada Lovelace Institute",
            "Oxford Internet Institute, University of Oxford",
            "Information Commissioner's Office",
            "Alan Turing Institute",
            "Partnership on AI",
            "Mozilla Foundation",
            "Open Data Institute",
            "European Commission",
            "High-Level Expert Group on AI",
            "Data & Society",
            "UNESCO",
            "IEEE",
        ] {
            assert_eq!(Name::parse(name), Name::Organisation(name.into()), "{name}");
        }
        // Names that only look like those words stay people's.
        assert_eq!(Name::parse("Smith"), person("Smith", ""));
        assert_eq!(Name::parse("Jane Smith"), person("Smith", "Jane"));
        assert_eq!(Name::parse("Kate Crawford"), person("Crawford", "Kate"));
        assert_eq!(Name::parse("Timnit Gebru"), person("Gebru", "Timnit"));
        assert_eq!(Name::parse("Margaret Court"), person("Court", "Margaret"));
        assert_eq!(Name::parse("Boardman, Anna"), person("Boardman", "Anna"));
        assert_eq!(Name::parse("Smith").inverted(), "Smith");
        assert_eq!(Name::parse("Jane Smith").natural(), "Jane Smith");
    }

    #[test]
    fn resource_types_by_their_words() {
        assert_eq!(Kind::of_slug("legislation"), Kind::Legislation);
        assert_eq!(Kind::of_slug("treaty"), Kind::Legislation);
        assert_eq!(Kind::of_slug("data-standard"), Kind::Standard);
        assert_eq!(Kind::of_slug("academic-paper"), Kind::Article);
        assert_eq!(Kind::of_slug("report"), Kind::Report);
        assert_eq!(Kind::of_slug("software"), Kind::Software);
        assert_eq!(Kind::of_slug("dataset"), Kind::Dataset);
        assert_eq!(Kind::of_slug("course"), Kind::Course);
        assert_eq!(Kind::of_slug("event"), Kind::Event);
        assert_eq!(Kind::of_slug("guidance"), Kind::WebPage);
    }
}
