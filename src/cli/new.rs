//! `almanac new SECTION/SLUG`: a new entry from the collection's archetype
//! (`archetypes/<section>.md`, `archetypes/default.md`) or a built-in one that lists
//! the collection's taxonomies and their terms; with `--lang`, a translation of an
//! existing entry or section, started from its source's words and marked as a
//! draft until it is translated.

use std::fmt::Write;
use std::fs;
use std::path::Path;
use std::process::ExitCode;

use crate::config::{self, Config};
use crate::content::read_text;
use crate::diagnostics::Diagnostic;
use crate::paths::{clean_path, label_from_slug, slugify, write_new};

/// Why nothing was made: a sentence, or a problem with a file of the collection
/// that `new` read (an archetype, a translation's source), at its place.
enum Failure {
    Said(String),
    Located(Diagnostic),
}

impl From<String> for Failure {
    fn from(message: String) -> Failure {
        Failure::Said(message)
    }
}

pub fn run(
    root: &Path,
    path: &str,
    title: Option<&str>,
    lang: Option<&str>,
    quiet: bool,
) -> ExitCode {
    // A config problem is shown as `check` shows it, with its place in almanac.yaml.
    let config = match crate::content::read_config(root)
        .map_err(|d| vec![d])
        .and_then(config::parse)
    {
        Ok(config) => {
            crate::paths::trust(&config.trusted_paths);
            config
        }
        Err(problems) => {
            super::print_diagnostics(&problems);
            return ExitCode::from(super::CONTENT_ERROR);
        }
    };
    let made = match lang {
        Some(lang) => translation(root, &config, path, lang),
        None => create(root, &config, path, title),
    };
    match made {
        Ok(written) => {
            if !quiet {
                eprintln!("Created {written}");
            }
            ExitCode::SUCCESS
        }
        Err(Failure::Said(message)) => {
            eprintln!("error: {message}");
            ExitCode::from(super::CONTENT_ERROR)
        }
        Err(Failure::Located(problem)) => {
            super::print_diagnostics(&[problem]);
            ExitCode::from(super::CONTENT_ERROR)
        }
    }
}

fn create(
    root: &Path,
    config: &Config,
    path: &str,
    title: Option<&str>,
) -> Result<String, Failure> {
    let clean = clean_path(path.trim_end_matches(".md")).filter(|p| !p.is_empty()).ok_or_else(|| {
        format!("`{path}` is not a path inside content/; write SECTION/SLUG, e.g. guidance/data-ethics-framework")
    })?;
    let (section, name) = clean.rsplit_once('/').unwrap_or(("", &clean));
    let slug = slugify(name);
    if slug.is_empty() {
        return Err(format!("`{name}` has no letters or digits to make a file name from").into());
    }
    let section_dir = root.join("content").join(section);
    if !section_dir.is_dir() {
        return Err(format!(
            "there is no section content/{section}/; create the folder (with an _index.md) first"
        )
        .into());
    }
    // A section that is a link out of the collection is refused, as the build
    // refuses it: the entry would be written outside, where no build reads it.
    let section_shown = Path::new("content").join(section);
    crate::content::Bounds::new(root)
        .admit_write(&section_dir, &section_shown)
        .map_err(Failure::Located)?;
    let file = section_dir.join(format!("{slug}.md"));
    let shown = if section.is_empty() {
        format!("content/{slug}.md")
    } else {
        format!("content/{section}/{slug}.md")
    };
    if fs::symlink_metadata(&file).is_ok() {
        return Err(format!("{shown} already exists; nothing was changed").into());
    }
    let title = title.map_or_else(|| label_from_slug(&slug), str::to_string);
    let top = section.split('/').next().unwrap_or("");
    let archetype = [
        format!("archetypes/{top}.md"),
        "archetypes/default.md".to_string(),
    ]
    .into_iter()
    // Whatever is there is the archetype: a FIFO or a link out of the
    // collection is refused by the rules every read of it follows.
    .find(|p| root.join(p).symlink_metadata().is_ok());
    let text = match archetype {
        Some(archetype) => read_text(&root.join(&archetype), Path::new(&archetype))
            .map_err(Failure::Located)?
            .text
            .replace("{{ title }}", &yaml_string(&title))
            .replace("{{ date }}", &today()),
        None => built_in(config, &title),
    };
    write_new(&file, &text).map_err(|e| format!("cannot write {shown}: {e}"))?;
    Ok(shown)
}

/// Starts `content/<path>.<lang>.md` from `content/<path>.md`: the fields a
/// translation says in words (title, summary, synonyms, description), to be
/// translated, and the body. Everything else stays the source's.
fn translation(root: &Path, config: &Config, path: &str, lang: &str) -> Result<String, Failure> {
    let language = config
        .languages
        .iter()
        .skip(1)
        .find(|l| l.code.eq_ignore_ascii_case(lang))
        .ok_or_else(|| {
            let others: Vec<&str> = config.languages[1..].iter().map(|l| l.code.as_str()).collect();
            if others.is_empty() {
                format!("`{lang}` is not a language of this collection; declare it under `languages:` in almanac.yaml")
            } else {
                format!(
                    "`{lang}` is not a language to translate into; this collection's are {}",
                    others.join(", ")
                )
            }
        })?;
    let clean = clean_path(path.trim_end_matches(".md"))
        .filter(|p| !p.is_empty())
        .ok_or_else(|| format!("`{path}` is not a path inside content/"))?;
    let source_rel = format!("{clean}.md");
    let source_path = root.join("content").join(&source_rel);
    if fs::symlink_metadata(&source_path).is_err() {
        return Err(format!("there is no content/{source_rel} to translate").into());
    }
    let source = read_text(&source_path, &Path::new("content").join(&source_rel))
        .map_err(Failure::Located)?;
    let target_rel = format!("{clean}.{}.md", language.code);
    let target = root.join("content").join(&target_rel);
    if fs::symlink_metadata(&target).is_ok() {
        return Err(format!("content/{target_rel} already exists; nothing was changed").into());
    }
    let parts = crate::content::split(&source).map_err(Failure::Located)?;
    let fields: serde_yaml::Mapping =
        serde_yaml::from_str(&source.text[parts.front.clone()]).unwrap_or_default();
    let mut out = format!(
        "---\n# Translate into {}: these fields and the text below. Everything else comes from content/{source_rel}.\n",
        language.name
    );
    // Until someone has translated it, the file holds the source's words: a draft
    // keeps them from being published as the language's text.
    out.push_str(
        "# A draft is not published (only with --drafts): remove `draft: true` once translated.\ndraft: true\n",
    );
    for key in ["title", "summary", "description", "synonyms"] {
        if let Some(value) = fields.get(key) {
            let mut one = serde_yaml::Mapping::new();
            one.insert(key.into(), value.clone());
            out.push_str(&serde_yaml::to_string(&one).map_err(|e| e.to_string())?);
        }
    }
    out.push_str("---\n");
    out.push_str(&source.text[parts.body.clone()]);
    write_new(&target, &out).map_err(|e| format!("cannot write content/{target_rel}: {e}"))?;
    Ok(format!(
        "content/{target_rel}, a draft until it is translated and `draft: true` removed"
    ))
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
