//! The collection for reuse beyond JSON and CSV: its references for reference
//! managers (`resources.bib`, `.ris`, `.csl.json`, and each resource's beside its
//! page), its catalogue for data portals (DCAT) and its vocabularies (SKOS).

mod dcat;
mod rdf;
mod skos;

use rayon::prelude::*;

use super::citations::{self, Reference};
use super::feeds::ExportError;
use crate::model::pages::{self, CITATION_FORMATS, EXPORTS, VOCABULARIES, Vocabulary};
use crate::model::{Collection, EntryId};
use crate::output::OutputFile;
use crate::paths::file_of_url;

pub use dcat::modified;

/// One file of the collection as data: what the catalogue lists as a
/// distribution and the footer offers for reuse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Distribution {
    /// Its name in the catalogue (`#resources.json`).
    pub id: String,
    /// Its path from the site's root.
    pub file: String,
    pub title: &'static str,
    pub description: &'static str,
    /// The format's name (`CSV`, `BibTeX`).
    pub format: &'static str,
    pub media_type: &'static str,
    /// The format in the EU's file-type authority table, where it is there.
    pub eu_format: Option<&'static str>,
    /// A feed is in one language.
    pub language: Option<String>,
}

impl Distribution {
    /// The media type where IANA registered it (BibTeX and RIS have none).
    pub fn iana_media_type(&self) -> Option<&'static str> {
        (!self.media_type.contains("/x-")).then_some(self.media_type)
    }
}

/// Every export of the collection, as its catalogue lists them.
pub fn distributions(collection: &Collection) -> Vec<Distribution> {
    let file = |id: &str,
                title: &'static str,
                description: &'static str,
                format: &'static str,
                media_type: &'static str,
                eu_format: Option<&'static str>| Distribution {
        id: id.to_string(),
        file: id.to_string(),
        title,
        description,
        format,
        media_type,
        eu_format,
        language: None,
    };
    let mut all = vec![
        file(
            "resources.json",
            "Resources as JSON",
            "Every resource with its metadata, terms, translations and page address.",
            "JSON",
            "application/json",
            Some("JSON"),
        ),
        file(
            "resources.csv",
            "Resources as CSV",
            "Every resource with its metadata and terms, one row each.",
            "CSV",
            "text/csv",
            Some("CSV"),
        ),
        file(
            "resources.bib",
            "References as BibTeX",
            "Every resource as a BibTeX record, for reference managers and LaTeX.",
            "BibTeX",
            "application/x-bibtex",
            None,
        ),
        file(
            "resources.ris",
            "References as RIS",
            "Every resource as a RIS record, for reference managers.",
            "RIS",
            "application/x-research-info-systems",
            None,
        ),
        file(
            "resources.csl.json",
            "References as CSL-JSON",
            "Every resource as a Citation Style Language item.",
            "CSL-JSON",
            "application/vnd.citationstyles.csl+json",
            Some("JSON"),
        ),
    ];
    let config = &collection.config;
    for language in &config.languages {
        let folder = match config.languages.first() {
            Some(first) if first.code == language.code => String::new(),
            _ => format!("{}/", language.segment()),
        };
        let path = format!("{folder}feed.xml");
        all.push(Distribution {
            id: path.clone(),
            file: path,
            title: "Newest resources (Atom feed)",
            description: "The newest resources, as an Atom feed.",
            format: "Atom",
            media_type: "application/atom+xml",
            eu_format: Some("ATOM"),
            language: Some(language.code.clone()),
        });
    }
    all
}

/// The files of the collection as a whole, made from the collection in each of
/// its languages (`editions`, the default first): [`EXPORTS`] and the vocabularies.
pub fn collection_files(editions: &[&Collection]) -> Result<Vec<OutputFile>, ExportError> {
    let collection = editions[0];
    let references = citations::references(collection);
    let [bib, ris, csl, ttl, jsonld] = EXPORTS;
    let mut files = vec![
        OutputFile::text(
            bib,
            references.iter().map(citations::bibtex).collect::<String>(),
        ),
        OutputFile::text(
            ris,
            references.iter().map(citations::ris).collect::<String>(),
        ),
        OutputFile::text(csl, citations::csl_json(&references)?),
    ];
    let vocabularies = pages::vocabularies(collection);
    let schemes: Vec<String> = vocabularies
        .iter()
        .map(|(_, v)| match *v {
            Vocabulary::Taxonomy(t) => skos::taxonomy_scheme(collection, t),
            Vocabulary::Glossary(id) => skos::glossary_scheme(collection, id),
        })
        .collect();
    let catalog = dcat::graph(collection, &distributions(collection), &schemes)?;
    files.push(OutputFile::text(ttl, catalog.turtle()?));
    files.push(OutputFile::text(jsonld, catalog.json_ld()?));
    for (name, vocabulary) in vocabularies {
        let graph = match vocabulary {
            Vocabulary::Taxonomy(t) => skos::taxonomy(collection, t)?,
            Vocabulary::Glossary(id) => skos::glossary(editions, id)?,
        };
        files.push(OutputFile::text(
            format!("{VOCABULARIES}/{name}.ttl"),
            graph.turtle()?,
        ));
        files.push(OutputFile::text(
            format!("{VOCABULARIES}/{name}.jsonld"),
            graph.json_ld()?,
        ));
    }
    Ok(files)
}

/// A resource's reference in each download format, beside its page.
fn reference_files(collection: &Collection, id: EntryId) -> Result<Vec<OutputFile>, ExportError> {
    let reference: Reference = citations::reference(collection, id);
    let base = &collection.config.base_path;
    let mut files = Vec::with_capacity(CITATION_FORMATS.len());
    for (_, ext, _) in CITATION_FORMATS {
        let text = match ext {
            "bib" => citations::bibtex(&reference),
            "ris" => citations::ris(&reference),
            _ => {
                let mut text = serde_json::to_string_pretty(&[citations::csl_item(&reference)])?;
                text.push('\n');
                text
            }
        };
        let url = pages::citation_url(collection, id, ext);
        files.push(OutputFile::text(file_of_url(base, &url), text));
    }
    Ok(files)
}

/// The resources with reference files in this language: those with a page in
/// it (not listed from another language's site).
fn cited(collection: &Collection) -> Vec<EntryId> {
    collection
        .resources()
        .filter(|(_, e)| !e.elsewhere)
        .map(|(id, _)| id)
        .collect()
}

/// Every resource's reference files in one language, made and handed to `emit` in
/// parallel: thousands of small files, which one thread would be left writing
/// after the pages are done.
pub fn each_reference<E: Send>(
    collection: &Collection,
    emit: &(impl Fn(OutputFile) -> Result<(), E> + Sync),
) -> Result<(), super::RenderError<E>> {
    cited(collection).par_iter().try_for_each(|&id| {
        reference_files(collection, id)
            .map_err(super::RenderError::Export)?
            .into_iter()
            .try_for_each(|file| emit(file).map_err(super::RenderError::Output))
    })
}

/// Every resource's reference files in one language, made in parallel.
pub fn all_references(collection: &Collection) -> Result<Vec<OutputFile>, ExportError> {
    let made: Vec<Vec<OutputFile>> = cited(collection)
        .par_iter()
        .map(|&id| reference_files(collection, id))
        .collect::<Result<_, _>>()?;
    Ok(made.into_iter().flatten().collect())
}
