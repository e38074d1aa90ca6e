//! `almanac new --from-issue FILE`: a proposal filed with the form of `almanac forms`
//! made into an entry. The issue's Markdown body has a `### Label` heading per
//! field, then the answer (`_No response_` when left empty).

use std::collections::HashMap;
use std::fmt::Write;
use std::fs;
use std::path::Path;
use std::process::ExitCode;

use super::{Field, FieldKind, fields};
use crate::model::date::PartialDate;
use crate::paths::{clean_path, slugify};

/// What GitHub writes for a field left empty.
const NO_RESPONSE: &str = "_No response_";

pub fn from_issue(root: &Path, file: &Path, path: Option<&str>, quiet: bool) -> ExitCode {
    let collection = match super::load(root) {
        Ok(collection) => collection,
        Err(code) => return code,
    };
    let body = match fs::read_to_string(file) {
        Ok(body) => body,
        Err(error) => {
            eprintln!("error: cannot read {}: {error}", file.display());
            return ExitCode::from(super::super::CONTENT_ERROR);
        }
    };
    let form = fields(&collection);
    let made = answers(&body, &form).and_then(|answers| {
        let default_dir = collection
            .sections
            .iter()
            .find(|s| !s.dir.is_empty() && !s.glossary)
            .map(|s| s.dir.clone());
        write_entry(root, &form, &answers, path, default_dir)
    });
    match made {
        Ok(written) => {
            if !quiet {
                eprintln!("Created {written}; check it with `almanac check`");
            }
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("error: {}: {message}", file.display());
            ExitCode::from(super::super::CONTENT_ERROR)
        }
    }
}

/// Each field's answer by id, from the issue body. A `### ` line that is not one of
/// the form's labels is part of an answer (a heading in the notes).
fn answers(body: &str, form: &[Field]) -> Result<HashMap<String, String>, String> {
    let by_label: HashMap<&str, &str> = form
        .iter()
        .map(|f| (f.label.as_str(), f.id.as_str()))
        .collect();
    let mut out: HashMap<String, String> = HashMap::new();
    let mut current: Option<(&str, Vec<&str>)> = None;
    let mut finish = |current: Option<(&str, Vec<&str>)>| {
        if let Some((id, lines)) = current {
            let text = lines.join("\n").trim().to_string();
            if text != NO_RESPONSE && !text.is_empty() {
                out.insert(id.to_string(), text);
            }
        }
    };
    for line in body.lines() {
        let heading = line
            .strip_prefix("### ")
            .and_then(|label| by_label.get(label.trim()));
        match heading {
            Some(id) => {
                finish(current.take());
                current = Some((id, Vec::new()));
            }
            None => {
                if let Some((_, lines)) = current.as_mut() {
                    lines.push(line.trim_end_matches('\r'));
                }
            }
        }
    }
    finish(current);
    if out.is_empty() {
        return Err(
            "no answers of the proposal form found; save the issue's body as it is on the forge (### headings and answers)"
                .to_string(),
        );
    }
    Ok(out)
}

/// The values a dropdown answer names, as written in the entry.
fn choices(field: &Field, answer: &str) -> Result<Vec<String>, String> {
    let FieldKind::Dropdown { options, multiple } = &field.kind else {
        return Ok(answer
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect());
    };
    let find = |text: &str| {
        options
            .iter()
            .find(|(label, value)| label == text.trim() || value == text.trim())
            .map(|(_, value)| value.clone())
    };
    if let Some(one) = find(answer) {
        return Ok(vec![one]);
    }
    let parts: Vec<&str> = if *multiple {
        answer.split(", ").collect()
    } else {
        vec![answer]
    };
    parts
        .into_iter()
        .map(|part| {
            find(part).ok_or_else(|| {
                let known: Vec<&str> = options.iter().map(|(l, _)| l.as_str()).collect();
                format!(
                    "“{}” is not a choice of {}; the choices are: {}",
                    part.trim(),
                    field.label,
                    known.join(", ")
                )
            })
        })
        .collect()
}

fn yaml_string(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| format!("\"{}\"", text.replace('"', "'")))
}

fn yaml_list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| yaml_string(i)).collect();
    format!("[{}]", quoted.join(", "))
}

fn write_entry(
    root: &Path,
    form: &[Field],
    answers: &HashMap<String, String>,
    path: Option<&str>,
    default_dir: Option<String>,
) -> Result<String, String> {
    let field = |id: &str| form.iter().find(|f| f.id == id);
    let answer = |id: &str| answers.get(id).map(String::as_str);
    let title = answer("title").ok_or("the proposal has no title")?;
    let url = answer("url").unwrap_or("");
    if !(url.is_empty() || url.starts_with("https://") || url.starts_with("http://")) {
        return Err(format!("the address “{url}” is not an http(s) address"));
    }
    let (dir, slug) = match path {
        Some(path) => {
            let clean = clean_path(path.trim_end_matches(".md"))
                .filter(|p| p.contains('/'))
                .ok_or_else(|| format!("`{path}` is not SECTION/SLUG inside content/"))?;
            let (dir, slug) = clean.rsplit_once('/').unwrap_or(("", &clean));
            (dir.to_string(), slugify(slug))
        }
        None => {
            let dir = match (field("section"), answer("section")) {
                (Some(f), Some(a)) => choices(f, a)?.into_iter().next(),
                _ => default_dir,
            };
            let dir = dir.ok_or("the proposal names no section, and the collection has none")?;
            (dir, slugify(title))
        }
    };
    if slug.is_empty() {
        return Err(format!("“{title}” has no letters or digits to name a file"));
    }
    let rel = format!("content/{dir}/{slug}.md");
    let target = root.join(&rel);
    if !target.parent().is_some_and(Path::is_dir) {
        return Err(format!("there is no section content/{dir}/"));
    }
    if target.exists() {
        return Err(format!("{rel} already exists; nothing was changed"));
    }
    let mut out = String::from("---\n");
    let _ = writeln!(out, "title: {}", yaml_string(title));
    if let Some(summary) = answer("summary") {
        let _ = writeln!(out, "summary: {}", yaml_string(&summary.replace('\n', " ")));
    }
    let _ = writeln!(out, "url: {}", yaml_string(url));
    for id in ["publisher", "authors"] {
        if let Some(value) = answer(id) {
            let items: Vec<String> = value
                .split(';')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect();
            let _ = writeln!(out, "{id}: {}", yaml_list(&items));
        }
    }
    if let Some(published) = answer("published") {
        published
            .parse::<PartialDate>()
            .map_err(|_| format!("“{published}” is not a year or a YYYY-MM-DD date"))?;
        let _ = writeln!(out, "published: {}", yaml_string(published));
    }
    let fixed = [
        "title",
        "url",
        "section",
        "summary",
        "publisher",
        "authors",
        "published",
        "notes",
    ];
    for field in form.iter().filter(|f| !fixed.contains(&f.id.as_str())) {
        let Some(value) = answer(&field.id) else {
            continue;
        };
        let values = choices(field, value)?;
        match &field.kind {
            FieldKind::Dropdown {
                multiple: false, ..
            } => {
                let _ = writeln!(out, "{}: {}", field.id, yaml_string(&values[0]));
            }
            _ => {
                let _ = writeln!(out, "{}: {}", field.id, yaml_list(&values));
            }
        }
    }
    out.push_str("---\n");
    if let Some(notes) = answer("notes") {
        out.push_str(notes);
        out.push('\n');
    }
    fs::write(&target, out).map_err(|e| format!("cannot write {rel}: {e}"))?;
    Ok(rel)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> Vec<Field> {
        vec![
            Field {
                id: "title".into(),
                label: "Title".into(),
                kind: FieldKind::Input,
                required: true,
                description: String::new(),
            },
            Field {
                id: "principles".into(),
                label: "Principles".into(),
                kind: FieldKind::Dropdown {
                    options: vec![
                        ("Transparency".into(), "transparency".into()),
                        ("Fairness".into(), "fairness".into()),
                    ],
                    multiple: true,
                },
                required: false,
                description: String::new(),
            },
            Field {
                id: "notes".into(),
                label: "Notes".into(),
                kind: FieldKind::Textarea,
                required: false,
                description: String::new(),
            },
        ]
    }

    #[test]
    fn answers_are_read_by_label_and_empty_ones_left_out() {
        let body = "### Title\n\nA guide\n\n### Principles\n\n_No response_\n\n### Notes\n\nFirst.\n\n### Not a field\n\nStill notes.\n";
        let answers = answers(body, &form()).unwrap();
        assert_eq!(answers["title"], "A guide");
        assert!(!answers.contains_key("principles"));
        assert_eq!(
            answers["notes"],
            "First.\n\n### Not a field\n\nStill notes."
        );
    }

    #[test]
    fn several_choices_become_their_values_and_unknown_ones_are_named() {
        let field = &form()[1];
        assert_eq!(
            choices(field, "Transparency, Fairness").unwrap(),
            ["transparency", "fairness"]
        );
        let error = choices(field, "Transparency, Speed").unwrap_err();
        assert!(error.contains("“Speed”"), "{error}");
    }
}
