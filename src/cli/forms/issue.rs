//! `almanac new --from-issue FILE`: a proposal filed with the form of `almanac forms`
//! made into an entry. The issue's Markdown body has a `### Label` heading per
//! field, then the answer (`_No response_` when left empty). The entry is a draft
//! with a `proposed:` record (when, by whom, where, and the proposer's reasons,
//! which are for the curator and never published), so that `almanac report` lists
//! it until a curator publishes it.

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

/// Who proposed the resource and where, when the curator knows (`--by`, `--issue`).
#[derive(Debug, Clone, Default)]
pub struct Provenance {
    pub by: Option<String>,
    pub issue: Option<String>,
}

pub fn from_issue(
    root: &Path,
    file: &Path,
    path: Option<&str>,
    provenance: &Provenance,
    quiet: bool,
) -> ExitCode {
    let today = match crate::model::review::today(None) {
        Ok(today) => crate::model::review::iso(today),
        Err(message) => {
            eprintln!("error: ALMANAC_TODAY: {message}");
            return ExitCode::from(2);
        }
    };
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
    let shown = file.display();
    let made = answers(&body, &form)
        .map_err(|message| vec![(None, message)])
        .and_then(|answers| {
            for (line, heading) in answers.unknown.iter().filter(|_| !quiet) {
                eprintln!(
                    "warning: {shown}:{line}: `### {heading}` is not a question of the proposal form; the text under it is left out"
                );
            }
            let missing = unanswered(&form, &answers);
            if !missing.is_empty() {
                return Err(missing);
            }
            let default_dir = collection
                .sections
                .iter()
                .find(|s| !s.dir.is_empty() && !s.glossary)
                .map(|s| s.dir.clone());
            let record = Record {
                date: &today,
                provenance,
            };
            write_entry(root, &form, &answers, path, default_dir, &record)
                .map_err(|problem| vec![problem])
        });
    match made {
        Ok(written) => {
            if !quiet {
                eprintln!(
                    "Created {written}, a draft until a curator publishes it (`almanac report` lists it); check it with `almanac check`"
                );
            }
            ExitCode::SUCCESS
        }
        Err(problems) => {
            for (line, message) in problems {
                match line {
                    Some(line) => eprintln!("error: {shown}:{line}: {message}"),
                    None => eprintln!("error: {shown}: {message}"),
                }
            }
            if !quiet {
                eprintln!("nothing was written");
            }
            ExitCode::from(super::super::CONTENT_ERROR)
        }
    }
}

/// Each field's answer by id, from the issue body. Every `### ` line ends the answer
/// before it: one that is not a label of the form is kept in `unknown`, and the
/// text under it is no answer.
fn answers(body: &str, form: &[Field]) -> Result<Answers, String> {
    let by_label: HashMap<&str, &str> = form
        .iter()
        .map(|f| (f.label.as_str(), f.id.as_str()))
        .collect();
    let mut out = Answers::default();
    // The field being read (none under an unknown heading), the line of its
    // heading, and its lines so far.
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
    let mut unknown = Vec::new();
    let mut headings = HashMap::new();
    for (number, line) in body.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        let Some(label) = line.strip_prefix("### ").map(str::trim) else {
            if let Some((_, _, lines)) = current.as_mut() {
                lines.push(line);
            }
            continue;
        };
        finish(current.take());
        match by_label.get(label) {
            Some(id) => {
                headings.entry(id.to_string()).or_insert(number + 1);
                current = Some((id, number + 1, Vec::new()));
            }
            None => unknown.push((number + 1, label.to_string())),
        }
    }
    finish(current);
    out.unknown = unknown;
    out.headings = headings;
    if out.headings.is_empty() {
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
    /// The line of each field's heading.
    headings: HashMap<String, usize>,
    /// `### ` headings that are no label of the form, with their lines.
    unknown: Vec<(usize, String)>,
}

/// The required questions the proposal leaves unanswered: at the heading of one
/// answered `_No response_`, or without a line when its heading is missing.
fn unanswered(form: &[Field], answers: &Answers) -> Vec<Problem> {
    form.iter()
        .filter(|f| f.required && !answers.values.contains_key(&f.id))
        .map(|f| match answers.headings.get(&f.id) {
            Some(&line) => (
                Some(line),
                format!("“{}” must be answered, but it was left empty", f.label),
            ),
            None => (
                None,
                format!(
                    "“{}” must be answered, but the proposal has no `### {}` heading",
                    f.label, f.label
                ),
            ),
        })
        .collect()
}

/// What the entry records of the proposal besides the answers.
struct Record<'a> {
    /// The day the entry is made (YYYY-MM-DD).
    date: &'a str,
    provenance: &'a Provenance,
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

/// `text` as a literal block (`|`) under a key indented by two spaces.
fn yaml_block(text: &str) -> String {
    let mut out = String::from("|\n");
    for line in text.lines() {
        if line.trim().is_empty() {
            out.push('\n');
        } else {
            let _ = writeln!(out, "    {}", line.trim_end());
        }
    }
    out
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
    record: &Record,
) -> Result<String, Problem> {
    let field = |id: &str| form.iter().find(|f| f.id == id);
    let answer = |id: &str| answers.values.get(id).map(String::as_str);
    let at = |id: &str| {
        let line = answers.lines.get(id).copied();
        move |message: String| (line, message)
    };
    let title = answer("title").ok_or((None, "the proposal has no title".to_string()))?;
    let url = answer("url").unwrap_or("");
    if !(url.is_empty() || crate::paths::is_web_address(url)) {
        return Err(at("url")(format!(
            "the address “{url}” is not an http(s) address (or holds spaces, quotes or `<` `>`)"
        )));
    }
    if let Some(issue) = &record.provenance.issue
        && !crate::paths::is_web_address(issue)
    {
        return Err((
            None,
            format!(
                "`--issue` “{issue}” is not an http(s) address (or holds spaces, quotes or `<` `>`)"
            ),
        ));
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
    // A link there, even to nothing, is something: it is not written through.
    if fs::symlink_metadata(&target).is_ok() {
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
    // A draft until a curator publishes it; the reasons stay in the front matter,
    // which no page shows, rather than becoming the published notes.
    out.push_str("draft: true  # a proposal: a curator removes this line to publish it\n");
    let _ = writeln!(out, "proposed:\n  date: {}", record.date);
    if let Some(by) = &record.provenance.by {
        let _ = writeln!(out, "  by: {}", yaml_string(by));
    }
    if let Some(issue) = &record.provenance.issue {
        let _ = writeln!(out, "  issue: {}", yaml_string(issue));
    }
    if let Some(why) = answer("notes") {
        let _ = write!(out, "  why: {}", yaml_block(why));
    }
    out.push_str("---\n");
    crate::paths::write_new(&target, &out)
        .map_err(|e| (None, format!("cannot write {rel}: {e}")))?;
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
        let found = answers(body, &form()).unwrap();
        let Answers { values, lines, .. } = &found;
        assert_eq!(values["title"], "A guide");
        assert_eq!(lines["title"], 3);
        assert_eq!(lines["notes"], 11);
        assert!(!values.contains_key("principles"));
        // An unknown heading ends the answer before it, and is named.
        assert_eq!(values["notes"], "First.");
        assert_eq!(found.unknown, [(13, "Not a field".to_string())]);
        assert_eq!(found.headings["principles"], 5);
    }

    #[test]
    fn required_questions_left_empty_or_missing_are_named() {
        let mut required = form();
        required[1].required = true;
        let body = "### Principles\n\n_No response_\n\n### Notes\n\nWhy.\n";
        let found = answers(body, &required).unwrap();
        let problems = unanswered(&required, &found);
        assert_eq!(
            problems,
            [
                (
                    None,
                    "“Title” must be answered, but the proposal has no `### Title` heading"
                        .to_string()
                ),
                (
                    Some(1),
                    "“Principles” must be answered, but it was left empty".to_string()
                ),
            ]
        );
    }

    #[test]
    fn the_reasons_are_a_literal_block() {
        assert_eq!(
            yaml_block("First: a line.\n\n  - # not a comment\n"),
            "|\n    First: a line.\n\n      - # not a comment\n"
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
