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
    let made = answers(&body, &form)
        .map_err(|message| (None, message))
        .and_then(|answers| {
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
        Err((line, message)) => {
            match line {
                Some(line) => eprintln!("error: {}:{line}: {message}", file.display()),
                None => eprintln!("error: {}: {message}", file.display()),
            }
            ExitCode::from(super::super::CONTENT_ERROR)
        }
    }
}

/// Each field's answer by id, from the issue body. A `### ` line that is not one of
/// the form's labels is part of an answer (a heading in the notes).
fn answers(body: &str, form: &[Field]) -> Result<Answers, String> {
    let by_label: HashMap<&str, &str> = form
        .iter()
        .map(|f| (f.label.as_str(), f.id.as_str()))
        .collect();
    let mut out = Answers::default();
    // The field being read, the line of its heading, and its lines so far.
    let mut current: Option<(&str, usize, Vec<&str>)> = None;
    let mut finish = |current: Option<(&str, usize, Vec<&str>)>| {
        if let Some((id, heading, lines)) = current {
            let text = lines.join("\n").trim().to_string();
            if text != NO_RESPONSE && !text.is_empty() {
                let first = lines.iter().position(|l| !l.trim().is_empty()).unwrap_or(0);
                out.lines.insert(id.to_string(), heading + 1 + first);
                out.values.insert(id.to_string(), text);
            }
        }
    };
    for (number, line) in body.lines().enumerate() {
        let heading = line
            .strip_prefix("### ")
            .and_then(|label| by_label.get(label.trim()));
        match heading {
            Some(id) => {
                finish(current.take());
                current = Some((id, number + 1, Vec::new()));
            }
            None => {
                if let Some((_, _, lines)) = current.as_mut() {
                    lines.push(line.trim_end_matches('\r'));
                }
            }
        }
    }
    finish(current);
    if out.values.is_empty() {
        return Err(
            "no answers of the proposal form found; save the issue's body as it is on the forge (### headings and answers)"
                .to_string(),
        );
    }
    Ok(out)
}

/// The answers of a proposal by field id, and the line each starts on.
#[derive(Debug, Default)]
struct Answers {
    values: HashMap<String, String>,
    lines: HashMap<String, usize>,
}

/// A problem with a proposal, at the line of the answer that has it when known.
type Problem = (Option<usize>, String);

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
    answers: &Answers,
    path: Option<&str>,
    default_dir: Option<String>,
) -> Result<String, Problem> {
    let field = |id: &str| form.iter().find(|f| f.id == id);
    let answer = |id: &str| answers.values.get(id).map(String::as_str);
    let at = |id: &str| {
        let line = answers.lines.get(id).copied();
        move |message: String| (line, message)
    };
    let title = answer("title").ok_or((None, "the proposal has no title".to_string()))?;
    let url = answer("url").unwrap_or("");
    if !(url.is_empty() || url.starts_with("https://") || url.starts_with("http://")) {
        return Err(at("url")(format!(
            "the address “{url}” is not an http(s) address"
        )));
    }
    let (dir, slug) = match path {
        Some(path) => {
            let clean = clean_path(path.trim_end_matches(".md"))
                .filter(|p| p.contains('/'))
                .ok_or_else(|| {
                    (
                        None,
                        format!("`{path}` is not SECTION/SLUG inside content/"),
                    )
                })?;
            let (dir, slug) = clean.rsplit_once('/').unwrap_or(("", &clean));
            (dir.to_string(), slugify(slug))
        }
        None => {
            let dir = match (field("section"), answer("section")) {
                (Some(f), Some(a)) => choices(f, a).map_err(at("section"))?.into_iter().next(),
                _ => default_dir,
            };
            let dir = dir.ok_or((
                None,
                "the proposal names no section, and the collection has none".to_string(),
            ))?;
            (dir, slugify(title))
        }
    };
    if slug.is_empty() {
        return Err(at("title")(format!(
            "“{title}” has no letters or digits to name a file"
        )));
    }
    let rel = format!("content/{dir}/{slug}.md");
    let target = root.join(&rel);
    if !target.parent().is_some_and(Path::is_dir) {
        return Err((None, format!("there is no section content/{dir}/")));
    }
    if target.exists() {
        return Err((None, format!("{rel} already exists; nothing was changed")));
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
        published.parse::<PartialDate>().map_err(|_| {
            at("published")(format!("“{published}” is not a year or a YYYY-MM-DD date"))
        })?;
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
        let values = choices(field, value).map_err(at(&field.id))?;
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
    fs::write(&target, out).map_err(|e| (None, format!("cannot write {rel}: {e}")))?;
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
        let Answers { values, lines } = answers(body, &form()).unwrap();
        assert_eq!(values["title"], "A guide");
        assert_eq!(lines["title"], 3);
        assert_eq!(lines["notes"], 11);
        assert!(!values.contains_key("principles"));
        assert_eq!(values["notes"], "First.\n\n### Not a field\n\nStill notes.");
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
