//! Sections: every folder of `content/` is one, its `_index.md` giving it a title
//! and settings; nested into a tree and filled with their entries in order.

use std::collections::HashMap;
use std::sync::Arc;

use super::entries::{aliases, unknown_fields};
use super::fields::Fields;
use super::ordering::{first_order, weight_then};
use super::{Entry, Section, SectionId, SortBy};
use crate::config::{Config, SECTION_FIELDS};
use crate::content::SourceFile;
use crate::diagnostics::{Diagnostic, did_you_mean};
use crate::paths::slugify;

pub(super) fn read_section(
    config: &Config,
    dir: &str,
    file: Option<Arc<SourceFile>>,
    problems: &mut Vec<Diagnostic>,
) -> Section {
    let segments: Vec<String> = dir
        .split('/')
        .filter(|s| !s.is_empty())
        .map(slugify)
        .collect();
    let path = if segments.is_empty() {
        config.base_path.clone()
    } else {
        format!("{}{}/", config.base_path, segments.join("/"))
    };
    let fallback_title = if dir.is_empty() {
        config.title.clone()
    } else {
        crate::paths::label_from_slug(dir.rsplit('/').next().unwrap_or(dir))
    };
    let mut section = Section {
        dir: dir.to_string(),
        file: file.clone(),
        path,
        title: fallback_title,
        description: String::new(),
        sort_by: SortBy::Title,
        paginate_by: config.paginate_by,
        glossary: false,
        weight: None,
        extra: serde_json::Value::Object(Default::default()),
        aliases: Vec::new(),
        template: None,
        parent: None,
        children: Vec::new(),
        entries: Vec::new(),
    };
    let Some(file) = file else {
        return section;
    };
    let map = match file.fields() {
        Ok(map) => map,
        Err(mut found) => {
            // The section stays, named after its folder, so its entries still build.
            problems.append(&mut found);
            section.file = None;
            return section;
        }
    };
    let mut f = Fields::new(&file, &map);
    unknown_fields(&mut f, SECTION_FIELDS, &[], "a section's _index.md");
    if let Some(title) = f.text("title") {
        section.title = title;
    }
    section.description = f.text("description").unwrap_or_default();
    if let Some(sort_by) = f.text("sort_by") {
        section.sort_by = match sort_by.as_str() {
            "title" => SortBy::Title,
            "published" | "date" => SortBy::Published,
            "reviewed" => SortBy::Reviewed,
            "weight" => SortBy::Weight,
            other => {
                let location = f.value_location("sort_by", other);
                f.problems.push(
                    Diagnostic::error("field-value", format!("`sort_by` cannot be `{other}`"))
                        .at(location)
                        .label("expected title, published, reviewed or weight")
                        .maybe_help(
                            did_you_mean(other, ["title", "published", "reviewed", "weight"])
                                .map(|s| format!("did you mean `{s}`?")),
                        ),
                );
                SortBy::Title
            }
        };
    }
    if let Some(n) = f.positive("paginate_by") {
        section.paginate_by = n;
    }
    if let Some(kind) = f.text("kind") {
        if kind == "glossary" {
            section.glossary = true;
        } else {
            let location = f.value_location("kind", &kind);
            f.problems.push(
                Diagnostic::error("field-value", format!("`kind` cannot be `{kind}`"))
                    .at(location)
                    .label("the only kind is `glossary`")
                    .help("remove the field for an ordinary section"),
            );
        }
    }
    section.weight = f.integer("weight");
    section.extra = f.extra();
    section.template = f.text("template");
    section.aliases = aliases(config, &mut f);
    problems.append(&mut f.problems);
    section
}

/// Every folder as a section (the home page first), with its parent and children.
/// Gives the sections and the id of each folder.
pub(super) fn read_all(
    config: &Config,
    dirs: &[String],
    index_files: &HashMap<String, Arc<SourceFile>>,
    problems: &mut Vec<Diagnostic>,
) -> (Vec<Section>, HashMap<String, SectionId>) {
    let mut section_dirs: Vec<String> = vec![String::new()];
    section_dirs.extend(dirs.iter().cloned());
    section_dirs.sort();
    section_dirs.dedup();
    let ids: HashMap<String, SectionId> = section_dirs
        .iter()
        .enumerate()
        .map(|(i, d)| (d.clone(), i))
        .collect();
    let mut sections: Vec<Section> = section_dirs
        .iter()
        .map(|dir| read_section(config, dir, index_files.get(dir).cloned(), problems))
        .collect();
    for id in 1..sections.len() {
        let dir = sections[id].dir.clone();
        let parent_dir = dir.rsplit_once('/').map_or("", |(p, _)| p);
        let parent = ids.get(parent_dir).copied().unwrap_or(0);
        sections[id].parent = Some(parent);
        sections[parent].children.push(id);
    }
    (sections, ids)
}

/// Puts every entry that is `listed` into its section, in the section's order
/// (`rank`: each entry's place by title), and each section's children in order.
pub(super) fn fill(
    sections: &mut [Section],
    entries: &[Entry],
    rank: &[usize],
    listed: impl Fn(usize) -> bool,
) {
    for (id, entry) in entries.iter().enumerate() {
        if listed(id) {
            sections[entry.section].entries.push(id);
        }
    }
    for section in sections.iter_mut() {
        let sort_by = section.sort_by;
        section.entries.sort_by(|&a, &b| {
            first_order(sort_by, &entries[a], &entries[b]).then_with(|| rank[a].cmp(&rank[b]))
        });
    }
    let weights: Vec<(Option<i64>, String)> = sections
        .iter()
        .map(|s| (s.weight, s.title.to_lowercase()))
        .collect();
    for section in sections.iter_mut() {
        section
            .children
            .sort_by(|&a, &b| weight_then(&weights[a], &weights[b]));
    }
}
