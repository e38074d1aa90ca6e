//! `almanac forms`: issue forms (GitHub's `.github/ISSUE_TEMPLATE` YAML) for
//! proposing a resource, made from the collection's fields, sections and
//! vocabularies, so that colleagues who do not use git can propose one; and
//! `almanac new --from-issue`, which turns a filed proposal into an entry ([`issue`]).

mod issue;

use std::fs;
use std::path::Path;
use std::process::ExitCode;

use serde::Serialize;

use crate::BuildOptions;
use crate::model::Collection;
pub use issue::{Provenance, from_issue};

/// The form's file name in the templates folder.
pub const FORM_FILE: &str = "propose-a-resource.yml";

/// One field of the form, as the issue body names it (`### label`).
#[derive(Debug, Clone)]
pub struct Field {
    pub id: String,
    pub label: String,
    pub kind: FieldKind,
    pub required: bool,
    pub description: String,
}

#[derive(Debug, Clone)]
pub enum FieldKind {
    Input,
    Textarea,
    /// Choices as (shown label, value written in the entry).
    Dropdown {
        options: Vec<(String, String)>,
        multiple: bool,
    },
}

/// What a proposal asks, in order: the fields `new --from-issue` reads back.
pub fn fields(collection: &Collection) -> Vec<Field> {
    let field = |id: &str, label: &str, kind: FieldKind, required: bool, description: &str| Field {
        id: id.to_string(),
        label: label.to_string(),
        kind,
        required,
        description: description.to_string(),
    };
    let mut out = vec![
        field(
            "title",
            "Title",
            FieldKind::Input,
            true,
            "The resource's title, as its publisher gives it.",
        ),
        field(
            "url",
            "Address",
            FieldKind::Input,
            true,
            "Where the resource is published (https://…).",
        ),
    ];
    let sections = resource_sections(collection);
    if !sections.is_empty() {
        out.push(field(
            "section",
            "Section",
            FieldKind::Dropdown {
                options: sections,
                multiple: false,
            },
            true,
            "Where in the collection the resource belongs.",
        ));
    }
    out.push(field(
        "summary",
        "Summary",
        FieldKind::Textarea,
        false,
        "One or two sentences: what it is and whom it helps.",
    ));
    out.push(field(
        "publisher",
        "Publisher",
        FieldKind::Input,
        false,
        "The organisation that publishes it; separate several with semicolons.",
    ));
    out.push(field(
        "authors",
        "Authors",
        FieldKind::Input,
        false,
        "People or organisations who wrote it; separate several with semicolons.",
    ));
    out.push(field(
        "published",
        "Published",
        FieldKind::Input,
        false,
        "The year it was published, or the date as YYYY-MM-DD.",
    ));
    for taxonomy in &collection.config.taxonomies {
        let kind = match &taxonomy.terms {
            Some(terms) => FieldKind::Dropdown {
                options: terms
                    .iter()
                    .map(|t| (t.label.clone(), t.slug.clone()))
                    .collect(),
                multiple: !taxonomy.single,
            },
            None => FieldKind::Input,
        };
        let description = match (&taxonomy.terms, taxonomy.description.is_empty()) {
            (None, _) => "Separate several with commas.".to_string(),
            (Some(_), false) => taxonomy.description.clone(),
            (Some(_), true) if taxonomy.single => "Choose one.".to_string(),
            (Some(_), true) => "Choose all that apply.".to_string(),
        };
        out.push(Field {
            id: taxonomy.name.clone(),
            label: taxonomy.label.clone(),
            kind,
            required: taxonomy.required,
            description,
        });
    }
    out.push(field(
        "notes",
        "Why it belongs in the collection",
        FieldKind::Textarea,
        false,
        "For the curators: what it covers, whom it helps, its limits. They read it before \
         publishing the entry; it is not published as written.",
    ));
    out
}

/// The sections a resource can be filed in, as (title, folder).
fn resource_sections(collection: &Collection) -> Vec<(String, String)> {
    collection
        .sections
        .iter()
        .filter(|s| !s.dir.is_empty() && !s.glossary)
        .map(|s| (s.title.clone(), s.dir.clone()))
        .collect()
}

#[derive(Serialize)]
struct Form {
    name: String,
    description: String,
    title: String,
    labels: Vec<String>,
    body: Vec<Item>,
}

#[derive(Serialize)]
struct Item {
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<String>,
    attributes: Attributes,
    #[serde(skip_serializing_if = "Option::is_none")]
    validations: Option<Validations>,
}

#[derive(Serialize, Default)]
struct Attributes {
    #[serde(skip_serializing_if = "Option::is_none")]
    label: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    value: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    multiple: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    options: Option<Vec<String>>,
}

#[derive(Serialize)]
struct Validations {
    required: bool,
}

#[derive(Serialize)]
struct TemplateConfig {
    blank_issues_enabled: bool,
    contact_links: Vec<ContactLink>,
}

#[derive(Serialize)]
struct ContactLink {
    name: String,
    url: String,
    about: String,
}

/// The form's YAML.
pub fn form_yaml(collection: &Collection) -> String {
    let config = &collection.config;
    let mut body = vec![Item {
        kind: "markdown",
        id: None,
        attributes: Attributes {
            value: Some(format!(
                "Thank you for proposing a resource for {}. A curator reviews every proposal; \
                 fields marked with a red star are needed, the others help.",
                config.title
            )),
            ..Attributes::default()
        },
        validations: None,
    }];
    for field in fields(collection) {
        let (kind, multiple, options) = match field.kind {
            FieldKind::Input => ("input", None, None),
            FieldKind::Textarea => ("textarea", None, None),
            FieldKind::Dropdown { options, multiple } => (
                "dropdown",
                Some(multiple),
                Some(options.into_iter().map(|(label, _)| label).collect()),
            ),
        };
        body.push(Item {
            kind,
            id: Some(field.id),
            attributes: Attributes {
                label: Some(field.label),
                description: Some(field.description),
                value: None,
                multiple,
                options,
            },
            validations: Some(Validations {
                required: field.required,
            }),
        });
    }
    let form = Form {
        name: "Propose a resource".to_string(),
        description: format!("Suggest a resource to add to {}.", config.title),
        title: "Proposal: ".to_string(),
        labels: vec!["proposal".to_string()],
        body,
    };
    serde_yaml::to_string(&form).unwrap_or_default()
}

/// The templates folder's `config.yml`: blank issues stay possible, and the
/// published collection is one click away.
pub fn config_yaml(collection: &Collection) -> String {
    let config = &collection.config;
    serde_yaml::to_string(&TemplateConfig {
        blank_issues_enabled: true,
        contact_links: vec![ContactLink {
            name: config.title.clone(),
            url: config.base_url.clone(),
            about: "Read the published collection.".to_string(),
        }],
    })
    .unwrap_or_default()
}

/// Loads the collection to make forms from or read a proposal against.
pub(super) fn load(root: &Path) -> Result<Collection, ExitCode> {
    let options = BuildOptions {
        root: root.to_path_buf(),
        ..BuildOptions::default()
    };
    super::load_or_exit(&options).map(|loaded| loaded.collection)
}

pub fn run(root: &Path, output: Option<&Path>, quiet: bool) -> ExitCode {
    let collection = match load(root) {
        Ok(collection) => collection,
        Err(code) => return code,
    };
    let dir = output.map_or_else(|| root.join(".github/ISSUE_TEMPLATE"), Path::to_path_buf);
    let files = [
        (FORM_FILE, form_yaml(&collection)),
        ("config.yml", config_yaml(&collection)),
    ];
    // Each written whole and renamed into place: a link left where a form goes is
    // replaced, not written through to the file it leads to.
    let written = fs::create_dir_all(&dir).and_then(|()| {
        files.iter().try_for_each(|(name, text)| {
            crate::paths::write_whole(&dir.join(name), text.as_bytes())
        })
    });
    match written {
        Ok(()) => {
            if !quiet {
                eprintln!("Wrote {FORM_FILE} and config.yml in {}", dir.display());
            }
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!(
                "error: cannot write the forms in {}: {error}",
                dir.display()
            );
            ExitCode::from(super::CONTENT_ERROR)
        }
    }
}
