//! `almanac init DIR`: a small, working collection to start from — config with
//! taxonomies, a section with one resource, a glossary with one term, an about page.

use std::fs;
use std::path::Path;
use std::process::ExitCode;

const FILES: &[(&str, &str)] = &[
    (
        "almanac.yaml",
        r#"title: My Digital Ethics Collection
description: A curated library of guidance, standards and tools on the ethical use of data and AI.
base_url: https://example.org/
language: en
glossary: { autolink: true }
matrix: { rows: principles, columns: type }
taxonomies:
  - name: type
    label: Resource type
    single: true
    required: true
    terms:
      guidance: { label: Guidance, description: Advice on how to act. }
      standard: { label: Standard, description: A formal specification to conform to. }
      tool: { label: Tool, description: "Something to work with, such as a canvas or a checklist." }
  - name: principles
    label: Ethical principles
    terms:
      transparency: { label: Transparency }
      accountability: { label: Accountability }
      fairness: { label: Fairness }
      privacy: { label: Privacy }
  - name: topics
    label: Topics
"#,
    ),
    (
        "content/_index.md",
        "---\ntitle: My Digital Ethics Collection\n---\nA curated library of guidance, standards and tools. Edit `content/_index.md` to change this text.\n",
    ),
    (
        "content/about.md",
        "---\ntitle: About this collection\n---\nWho curates the collection, how entries are chosen, and how to suggest one.\n",
    ),
    (
        "content/guidance/_index.md",
        "---\ntitle: Guidance\ndescription: Advice for people who design, buy and run data and AI systems.\n---\n",
    ),
    (
        "content/guidance/example-guidance.md",
        "---\ntitle: An example entry\nsummary: Replace this entry with a real resource; `almanac new guidance/<name>` makes a new one.\nurl: https://example.org/guidance\npublisher: Example Council\npublished: 2024-05\nreviewed: 2026-01-15\ntype: guidance\nprinciples: [transparency, accountability]\ntopics: [data ethics]\n---\nThe curator's notes on the resource: what it is, who it is for and how to use it.\nTerms from the [glossary](@/glossary/_index.md) such as transparency are linked automatically.\n",
    ),
    (
        "content/glossary/_index.md",
        "---\ntitle: Glossary\ndescription: Terms used across the collection.\nkind: glossary\n---\n",
    ),
    (
        "content/glossary/transparency.md",
        "---\ntitle: Transparency\nsummary: Being open about how and why a system is used, so that people can understand and question it.\nsynonyms: [openness]\n---\nA longer definition, with sources.\n",
    ),
    (".gitignore", "/site\n/.site.almanac-*\n"),
];

pub fn run(dir: &Path, quiet: bool) -> ExitCode {
    if let Ok(mut entries) = fs::read_dir(dir)
        && entries.next().is_some()
    {
        eprintln!(
            "error: {} is not empty; init writes only into a new or empty folder",
            dir.display()
        );
        return ExitCode::from(super::CONTENT_ERROR);
    }
    for (path, text) in FILES {
        let target = dir.join(path);
        let result = target
            .parent()
            .map_or(Ok(()), fs::create_dir_all)
            .and_then(|()| fs::write(&target, text));
        if let Err(error) = result {
            eprintln!("error: cannot write {}: {error}", target.display());
            return ExitCode::from(super::CONTENT_ERROR);
        }
    }
    if !quiet {
        eprintln!(
            "Created a collection in {dir}. Next: cd {dir} && almanac build",
            dir = dir.display()
        );
    }
    ExitCode::SUCCESS
}
