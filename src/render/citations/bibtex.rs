//! BibTeX records, written with the `biblatex` crate (which escapes what TeX
//! would read as commands): classic entry types, with `url` and `urldate`.

use biblatex::{Chunk, Entry, EntryType, Spanned};

use super::{Kind, Name, Reference};

fn normal(text: &str) -> Vec<Spanned<Chunk>> {
    vec![Spanned::detached(Chunk::Normal(text.to_string()))]
}

/// Braced, so that styles keep its capitals (a title, an organisation's name).
fn kept(text: &str) -> Vec<Spanned<Chunk>> {
    vec![Spanned::detached(Chunk::Verbatim(text.to_string()))]
}

/// The BibTeX key of a reference: its id, with `:` for `/` (a key may not hold
/// every character a path does).
pub fn key(reference: &Reference) -> String {
    reference
        .id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "-_.".contains(c) {
                c
            } else {
                ':'
            }
        })
        .collect()
}

/// One BibTeX record, ending in a newline.
pub fn bibtex(reference: &Reference) -> String {
    let kind = match reference.kind {
        Kind::Report | Kind::Standard => EntryType::TechReport,
        Kind::Article => EntryType::Article,
        _ => EntryType::Misc,
    };
    let report = kind == EntryType::TechReport;
    let mut entry = Entry::new(key(reference), kind);
    entry.set("title", kept(reference.title));
    if !reference.authors.is_empty() {
        let mut chunks = Vec::new();
        for (i, name) in reference.authors.iter().enumerate() {
            if i > 0 {
                chunks.push(Spanned::detached(Chunk::Normal(" and ".into())));
            }
            chunks.push(Spanned::detached(match name {
                Name::Person { .. } => Chunk::Normal(name.inverted()),
                Name::Organisation(org) => Chunk::Verbatim(org.clone()),
            }));
        }
        if reference.more_authors {
            chunks.push(Spanned::detached(Chunk::Normal(" and others".into())));
        }
        entry.set("author", chunks);
    }
    if !reference.publishers.is_empty() {
        let field = if report { "institution" } else { "publisher" };
        entry.set(field, kept(&reference.publishers.join(" and ")));
    }
    if let Some(date) = reference.issued {
        entry.set("date", normal(&date.to_string()));
    }
    entry.set("url", normal(&reference.url));
    if let Some(date) = reference.accessed {
        entry.set("urldate", normal(&date.full()));
    }
    if let Some(language) = reference.language {
        entry.set("language", normal(language));
    }
    if let Some(summary) = reference.summary {
        entry.set("abstract", normal(summary));
    }
    if !reference.keywords.is_empty() {
        entry.set("keywords", normal(&reference.keywords.join(", ")));
    }
    if let Some(licence) = reference.licence {
        entry.set("copyright", normal(licence));
    }
    let mut text = entry
        .to_bibtex_string()
        // A date that did not read back is left out rather than the record.
        .unwrap_or_else(|_| {
            entry.remove("date");
            entry.to_bibtex_string().unwrap_or_default()
        });
    text.push('\n');
    text
}
