//! `almanac new SECTION/SLUG`: a new entry from the collection's archetype
//! (`archetypes/<section>.md`, `archetypes/default.md`) or a built-in one that lists
//! the collection's taxonomies and their terms.

use std::fmt::Write;
use std::fs;
use std::path::Path;
use std::process::ExitCode;

use crate::config::{self, Config};
use crate::paths::{clean_path, label_from_slug, slugify};

pub fn run(root: &Path, path: &str, title: Option<&str>, quiet: bool) -> ExitCode {
    // A config problem is shown as `check` shows it, with its place in almanac.yaml.
    let config = match crate::content::read_config(root)
        .map_err(|d| vec![d])
        .and_then(config::parse)
    {
        Ok(config) => config,
        Err(problems) => {
            super::print_diagnostics(&problems);
            return ExitCode::from(super::CONTENT_ERROR);
        }
    };
    match create(root, &config, path, title) {
        Ok(written) => {
            if !quiet {
                eprintln!("Created {written}");
            }
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(super::CONTENT_ERROR)
        }
    }
}

fn create(root: &Path, config: &Config, path: &str, title: Option<&str>) -> Result<String, String> {
    let clean = clean_path(path.trim_end_matches(".md")).filter(|p| !p.is_empty()).ok_or_else(|| {
        format!("`{path}` is not a path inside content/; write SECTION/SLUG, e.g. guidance/data-ethics-framework")
    })?;
    let (section, name) = clean.rsplit_once('/').unwrap_or(("", &clean));
    let slug = slugify(name);
    if slug.is_empty() {
        return Err(format!(
            "`{name}` has no letters or digits to make a file name from"
        ));
    }
    let section_dir = root.join("content").join(section);
    if !section_dir.is_dir() {
        return Err(format!(
            "there is no section content/{section}/; create the folder (with an _index.md) first"
        ));
    }
    let file = section_dir.join(format!("{slug}.md"));
    let shown = if section.is_empty() {
        format!("content/{slug}.md")
    } else {
        format!("content/{section}/{slug}.md")
    };
    if file.exists() {
        return Err(format!("{shown} already exists; nothing was changed"));
    }
    let title = title.map_or_else(|| label_from_slug(&slug), str::to_string);
    let top = section.split('/').next().unwrap_or("");
    let archetype = [
        format!("archetypes/{top}.md"),
        "archetypes/default.md".to_string(),
    ]
    .into_iter()
    .map(|p| root.join(p))
    .find(|p| p.is_file());
    let text = match archetype {
        Some(archetype) => fs::read_to_string(&archetype)
            .map_err(|e| format!("cannot read {}: {e}", archetype.display()))?
            .replace("{{ title }}", &yaml_string(&title))
            .replace("{{ date }}", &today()),
        None => built_in(config, &title),
    };
    fs::write(&file, text).map_err(|e| format!("cannot write {shown}: {e}"))?;
    Ok(shown)
}

/// A text as a double-quoted YAML string, so any title is valid front matter.
fn yaml_string(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| format!("\"{}\"", text.replace('"', "'")))
}

fn built_in(config: &Config, title: &str) -> String {
    let mut out = String::from("---\n");
    let _ = writeln!(out, "title: {}", yaml_string(title));
    out.push_str("summary: \"\"\nurl: \"\"\npublisher: \"\"\n");
    let _ = writeln!(out, "published: {}", &today()[..4]);
    let _ = writeln!(out, "reviewed: {}", today());
    for taxonomy in &config.taxonomies {
        let choices = taxonomy.terms.as_ref().map(|terms| {
            terms
                .iter()
                .map(|t| t.slug.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        });
        let value = match (&taxonomy.terms, taxonomy.single) {
            (Some(terms), true) if taxonomy.required => {
                terms.first().map_or(String::new(), |t| t.slug.clone())
            }
            (_, true) => "\"\"".to_string(),
            _ => "[]".to_string(),
        };
        let _ = write!(out, "{}: {value}", taxonomy.name);
        match choices {
            Some(choices) => {
                let _ = writeln!(
                    out,
                    "  # {}: {choices}",
                    if taxonomy.single { "one of" } else { "any of" }
                );
            }
            None => out.push('\n'),
        }
    }
    out.push_str("---\nWhat the resource is, who it is for, and how to use it.\n");
    out
}

/// Today's date as YYYY-MM-DD (UTC), for `reviewed` of a new entry.
fn today() -> String {
    let date = time::OffsetDateTime::now_utc().date();
    format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

#[cfg(test)]
mod tests {
    use super::today;
    use crate::model::date::PartialDate;

    #[test]
    fn today_is_a_whole_date() {
        let date: PartialDate = today().parse().expect("a valid date");
        assert!(date.day.is_some() && date.year >= 2024);
    }
}
