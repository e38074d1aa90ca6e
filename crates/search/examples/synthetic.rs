//! Writes the index of a generated collection, for size and speed measurements
//! and browser tests without a built site.
//!
//! `cargo run --release -p almanac-search --features writer --example synthetic -- N DIR`
//! writes the index of N generated resources (plus a few glossary terms) into
//! DIR and prints the hot file's name, the sizes and the time the writer took.

use std::path::PathBuf;
use std::time::Instant;

use almanac_search::{DocKind, Document, IndexConfig, TaxonomyInfo, write_index};

const WORDS: &[&str] = &[
    "algorithmic",
    "impact",
    "assessment",
    "accountability",
    "transparency",
    "fairness",
    "privacy",
    "data",
    "protection",
    "public",
    "sector",
    "automated",
    "decision",
    "making",
    "governance",
    "framework",
    "guidance",
    "standard",
    "audit",
    "bias",
    "discrimination",
    "explainability",
    "consent",
    "citizens",
    "council",
    "procurement",
    "risk",
    "harm",
    "oversight",
    "human",
    "rights",
    "security",
    "open",
    "registry",
    "model",
    "training",
    "evaluation",
    "deployment",
    "monitoring",
    "stakeholder",
    "engagement",
    "inclusion",
    "accessibility",
    "sustainability",
    "environment",
    "children",
    "health",
    "education",
    "policing",
    "surveillance",
    "facial",
    "recognition",
    "employment",
    "welfare",
    "housing",
    "transport",
    "smart",
    "city",
    "sensors",
    "location",
    "sharing",
    "trust",
    "ethics",
    "principles",
    "values",
    "design",
    "engineering",
    "documentation",
    "datasheets",
    "cards",
];
const PUBLISHERS: &[&str] = &[
    "Central Digital and Data Office",
    "Ada Lovelace Institute",
    "OECD",
    "UNESCO",
    "European Commission",
    "City of Amsterdam",
    "IEEE",
    "Information Commissioner's Office",
];
const TYPES: &[(&str, &str)] = &[
    ("guidance", "Guidance"),
    ("standard", "Standard"),
    ("tool", "Tool"),
    ("legislation", "Legislation"),
    ("report", "Report"),
];
const PRINCIPLES: &[(&str, &str)] = &[
    ("transparency", "Transparency"),
    ("accountability", "Accountability"),
    ("fairness", "Fairness"),
    ("privacy", "Privacy"),
    ("beneficence", "Beneficence"),
    ("autonomy", "Autonomy"),
];

/// A small deterministic generator, so every run writes the same collection.
struct Words(u64);

impl Words {
    fn next(&mut self) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) as usize
    }

    /// `words` words, their number drawn from `min..min + spread`.
    fn text(&mut self, min: usize, spread: usize) -> String {
        let count = min + self.next() % spread;
        (0..count)
            .map(|_| WORDS[self.next() % WORDS.len()])
            .collect::<Vec<_>>()
            .join(" ")
    }
}

fn taxonomy(name: &str, label: &str, terms: &[(&str, &str)]) -> TaxonomyInfo {
    TaxonomyInfo {
        name: name.to_owned(),
        label: label.to_owned(),
        terms: terms
            .iter()
            .map(|(s, l)| ((*s).to_owned(), (*l).to_owned()))
            .collect(),
        alt_labels: Default::default(),
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let count: usize = args.next().ok_or("usage: synthetic N DIR")?.parse()?;
    let dir = PathBuf::from(args.next().ok_or("usage: synthetic N DIR")?);
    let base = std::env::var("BASE_PATH").unwrap_or_else(|_| "/".to_owned());

    let mut words = Words(7);
    let mut docs = Vec::with_capacity(count + 4);
    for n in 0..count {
        let kind = TYPES[words.next() % TYPES.len()];
        let mut facets = vec![("type".to_owned(), kind.0.to_owned())];
        for _ in 0..1 + words.next() % 3 {
            let principle = PRINCIPLES[words.next() % PRINCIPLES.len()].0.to_owned();
            if !facets.iter().any(|(_, s)| *s == principle) {
                facets.push(("principles".to_owned(), principle));
            }
        }
        let title = words.text(3, 4);
        docs.push(Document {
            kind: DocKind::Resource,
            url: format!("{base}resources/r{n}/"),
            title: format!("{}{}", title[..1].to_uppercase(), &title[1..]),
            summary: words.text(12, 12),
            body: words.text(80, 220).into(),
            publisher: PUBLISHERS[words.next() % PUBLISHERS.len()].to_owned(),
            synonyms: Vec::new(),
            facets,
            date: format!("{}-{:02}", 2010 + n % 15, 1 + n % 12),
            status: String::new(),
        });
    }
    for (title, summary, synonyms) in [
        (
            "Algorithmic bias",
            "Systematic errors in an automated system that create unfair outcomes.",
            vec!["machine bias"],
        ),
        (
            "Algorithmic impact assessment",
            "A structured review of the risks an automated decision system poses before it is deployed.",
            vec!["AIA"],
        ),
        (
            "Data protection impact assessment",
            "An assessment of the privacy risks of processing personal data.",
            vec!["DPIA"],
        ),
    ] {
        docs.push(Document {
            kind: DocKind::Glossary,
            url: format!("{base}glossary/{}/", title.to_lowercase().replace(' ', "-")),
            title: title.to_owned(),
            summary: summary.to_owned(),
            body: summary.into(),
            publisher: String::new(),
            synonyms: synonyms.into_iter().map(str::to_owned).collect(),
            facets: Vec::new(),
            date: String::new(),
            status: String::new(),
        });
    }
    let config = IndexConfig {
        language: "en".to_owned(),
        taxonomies: vec![
            taxonomy("type", "Resource type", TYPES),
            taxonomy("principles", "Ethical principles", PRINCIPLES),
        ],
    };

    let started = Instant::now();
    let files = write_index(&config, &docs)?;
    let took = started.elapsed();
    let mut total = 0;
    for file in &files {
        let path = dir.join(&file.name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(path, &file.bytes)?;
        total += file.bytes.len();
    }
    println!(
        "{}\t{} bytes hot\t{} chunks\t{total} bytes in all\t{} documents\t{:.2?}",
        files[0].name,
        files[0].bytes.len(),
        files.len() - 1,
        docs.len(),
        took
    );
    Ok(())
}
