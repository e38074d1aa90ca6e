//! Machine-readable outputs: the Atom feed, the sitemap, robots.txt, redirect pages
//! for aliases, and the catalogue as open data (`resources.json`, `resources.csv`,
//! and the exports of `super::exports`).

use std::collections::BTreeMap;
use std::fmt::Write;

use serde::Serialize;

use super::{RenderError, exports};
use crate::i18n::{Arg, Strings};
use crate::model::pages::CATALOGUE;
use crate::model::{Collection, Entry, EntryKind};
use crate::output::OutputFile;

use crate::paths::file_of_url;

/// The files that list the whole collection (feed, sitemap, robots.txt, JSON,
/// CSV, the exports), as [`catalogue`] makes them but the big ones in parallel:
/// `serve` makes them after every edit that changes what they list.
pub fn catalogue_in_parallel(editions: &[&Collection]) -> Result<Vec<OutputFile>, ExportError> {
    let collection = editions[0];
    let (((atom, sitemap), (json, csv)), (exports, references)) = rayon::join(
        || {
            rayon::join(
                || rayon::join(|| atom(collection), || sitemap(editions)),
                || {
                    let records = records(editions);
                    rayon::join(|| json(editions, &records), || csv(editions, &records))
                },
            )
        },
        || {
            rayon::join(
                || exports::collection_files(editions),
                || {
                    editions
                        .iter()
                        .map(|e| exports::all_references(e))
                        .collect::<Result<Vec<_>, _>>()
                },
            )
        },
    );
    let [feed, map, robots_txt, json_file, csv_file] = CATALOGUE;
    let mut files = vec![
        OutputFile::text(feed, atom),
        OutputFile::text(map, sitemap),
        OutputFile::text(robots_txt, robots(collection)),
        OutputFile::text(json_file, json?),
        OutputFile::text(csv_file, csv?),
    ];
    files.extend(editions[1..].iter().map(|c| language_feed(c)));
    files.extend(exports?);
    files.extend(references?.into_iter().flatten());
    Ok(files)
}

/// The Atom feed of a language other than the default, in its folder.
fn language_feed(collection: &Collection) -> OutputFile {
    let path = file_of_url(
        &collection.config.base_path,
        &format!("{}feed.xml", collection.config.home_path),
    );
    OutputFile::text(path, atom(collection))
}

/// The files that list the whole collection (`editions`: the collection in each of
/// its languages, the default first), made one after another, each handed to `emit`
/// before the next is made: for a large collection each is over 100 MB. Each
/// language has its feed; the sitemap and the exports name every language's pages.
/// Last come the resources' own reference files, made and handed on in parallel.
pub fn catalogue<E: Send>(
    editions: &[&Collection],
    emit: impl Fn(OutputFile) -> Result<(), E> + Sync,
) -> Result<(), RenderError<E>> {
    let collection = editions[0];
    let [feed, map, robots_txt, json_file, csv_file] = CATALOGUE;
    let put = |file| emit(file).map_err(RenderError::Output);
    put(OutputFile::text(feed, atom(collection)))?;
    put(OutputFile::text(map, sitemap(editions)))?;
    put(OutputFile::text(robots_txt, robots(collection)))?;
    // One set of records for both files: making them is most of the work of each.
    let resources = records(editions);
    put(OutputFile::text(
        json_file,
        json(editions, &resources).map_err(RenderError::Export)?,
    ))?;
    put(OutputFile::text(
        csv_file,
        csv(editions, &resources).map_err(RenderError::Export)?,
    ))?;
    drop(resources);
    for edition in &editions[1..] {
        put(language_feed(edition))?;
    }
    for file in exports::collection_files(editions).map_err(RenderError::Export)? {
        put(file)?;
    }
    for edition in editions {
        exports::each_reference(edition, &emit)?;
    }
    Ok(())
}

/// Why an open-data export could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("resources.csv could not be written: {0}")]
    Csv(#[from] csv::Error),
    #[error("a JSON export could not be written: {0}")]
    Json(#[from] serde_json::Error),
    #[error("an RDF export could not be written: {0}")]
    Rdf(String),
    #[error("{0} is not UTF-8 text")]
    NotText(&'static str),
}

/// Text for XML, without the characters XML 1.0 cannot carry (content files may
/// not hold them; a text of almanac.yaml written with YAML escapes can).
fn esc(text: &str) -> std::borrow::Cow<'_, str> {
    let invalid = |c: char| {
        (c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || c == '\u{fffe}' || c == '\u{ffff}'
    };
    if text.contains(invalid) {
        let valid: String = text.chars().filter(|&c| !invalid(c)).collect();
        std::borrow::Cow::Owned(quick_xml::escape::escape(&valid).into_owned())
    } else {
        quick_xml::escape::escape(text)
    }
}

/// A cell of the CSV export that a spreadsheet will not run as a formula: one
/// that starts with `=`, `+`, `-`, `@`, a tab or a carriage return gets a `'`
/// before it (as OWASP recommends against CSV injection).
fn cell(text: &str) -> std::borrow::Cow<'_, str> {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        std::borrow::Cow::Owned(format!("'{text}"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// The newest resources by publication date; undated ones are left out of the feed.
fn atom(collection: &Collection) -> String {
    let config = &collection.config;
    let mut entries: Vec<&Entry> = collection
        .resources()
        .map(|(_, e)| e)
        .filter(|e| e.published.is_some() && !e.elsewhere)
        .collect();
    // A change note is news: the entry comes back to the top of the feed.
    let news = |e: &Entry| e.published.max(e.lifecycle.last_change());
    entries.sort_by(|a, b| news(b).cmp(&news(a)).then_with(|| a.title.cmp(&b.title)));
    entries.truncate(config.feed_limit);
    let changed = |e: &Entry| {
        [
            e.published,
            e.updated,
            e.reviewed,
            e.lifecycle.last_change(),
        ]
        .into_iter()
        .flatten()
        .max()
    };
    let updated = entries
        .iter()
        .filter_map(|e| changed(e))
        .max()
        .map_or_else(|| "1970-01-01T00:00:00Z".to_string(), |d| d.rfc3339());
    let mut out = String::new();
    let _ = write!(
        out,
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{lang}\">\n  <title>{title}</title>\n  <subtitle>{subtitle}</subtitle>\n  <link href=\"{base}\"/>\n  <link rel=\"self\" type=\"application/atom+xml\" href=\"{base}feed.xml\"/>\n  <id>{base}</id>\n  <updated>{updated}</updated>\n  <author><name>{title}</name></author>\n  <generator>Almanac</generator>\n",
        lang = esc(&config.language),
        title = esc(&config.title),
        subtitle = esc(&config.description),
        base = esc(&config.permalink(&config.home_path)),
    );
    for e in entries {
        let link = config.permalink(&e.path);
        let _ = write!(
            out,
            "  <entry>\n    <title>{title}</title>\n    <link href=\"{link}\"/>\n    <id>{link}</id>\n    <updated>{updated}</updated>\n",
            title = esc(&e.title),
            link = esc(&link),
            updated = changed(e).map(|d| d.rfc3339()).unwrap_or_default(),
        );
        if let Some(published) = e.published {
            let _ = writeln!(out, "    <published>{}</published>", published.rfc3339());
        }
        for publisher in &e.publisher {
            let _ = writeln!(out, "    <author><name>{}</name></author>", esc(publisher));
        }
        if let Some(summary) = &e.summary {
            let _ = writeln!(out, "    <summary>{}</summary>", esc(summary));
        }
        if let Some(change) = e.lifecycle.changes.first() {
            let _ = writeln!(
                out,
                "    <content type=\"text\">{}: {}</content>",
                change.date,
                esc(&change.note)
            );
        }
        out.push_str("  </entry>\n");
    }
    out.push_str("</feed>\n");
    out
}

/// What a sitemap address is, the same in every language: a page's translations
/// are the addresses with its key.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Key {
    Home,
    Section(usize),
    Entry(usize),
    Taxonomy(usize),
    Term(usize, usize),
    Search,
}

/// Every page of every language; with several languages, each lists its
/// translations (`xhtml:link` alternates, the default language as `x-default`).
fn sitemap(editions: &[&Collection]) -> String {
    let mut urls: Vec<(String, Option<String>, Key, usize)> = Vec::new();
    for (l, collection) in editions.iter().enumerate() {
        let config = &collection.config;
        let mut push = |path: &str, lastmod: Option<String>, key: Key| {
            urls.push((config.permalink(path), lastmod, key, l));
        };
        push(&config.home_path, None, Key::Home);
        for (id, s) in collection.sections.iter().enumerate().skip(1) {
            push(&s.path, None, Key::Section(id));
        }
        for (id, e) in collection.entries.iter().enumerate() {
            if e.elsewhere {
                continue;
            }
            let lastmod = [
                e.updated,
                e.reviewed,
                e.published,
                e.lifecycle.last_change(),
            ]
            .into_iter()
            .flatten()
            .max();
            push(&e.path, lastmod.map(|d| d.full()), Key::Entry(id));
        }
        for (t, taxonomy) in collection.taxonomies.iter().enumerate() {
            push(&taxonomy.path, None, Key::Taxonomy(t));
            for (i, term) in taxonomy.terms.iter().enumerate() {
                if !term.resources.is_empty() {
                    push(&term.path, None, Key::Term(t, i));
                }
            }
        }
        push(&format!("{}search/", config.home_path), None, Key::Search);
    }
    let several = editions.len() > 1;
    let mut alternates: BTreeMap<Key, Vec<(usize, &str)>> = BTreeMap::new();
    if several {
        for (url, _, key, l) in &urls {
            alternates.entry(*key).or_default().push((*l, url.as_str()));
        }
    }
    let mut sorted: Vec<&(String, Option<String>, Key, usize)> = urls.iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(&b.1)));
    let mut out = String::from(if several {
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n"
    } else {
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
    });
    for (url, lastmod, key, _) in sorted {
        let _ = write!(out, "  <url><loc>{}</loc>", esc(url));
        if let Some(lastmod) = lastmod {
            let _ = write!(out, "<lastmod>{lastmod}</lastmod>");
        }
        if let Some(versions) = alternates.get(key).filter(|v| v.len() > 1) {
            for (l, href) in versions {
                let _ = write!(
                    out,
                    "<xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>",
                    esc(&editions[*l].config.language),
                    esc(href)
                );
            }
            if let Some((_, href)) = versions.iter().find(|(l, _)| *l == 0) {
                let _ = write!(
                    out,
                    "<xhtml:link rel=\"alternate\" hreflang=\"x-default\" href=\"{}\"/>",
                    esc(href)
                );
            }
        }
        out.push_str("</url>\n");
    }
    out.push_str("</urlset>\n");
    out
}

fn robots(collection: &Collection) -> String {
    format!(
        "User-agent: *\nAllow: /\nSitemap: {}sitemap.xml\n",
        collection.config.base_url
    )
}

/// A page at each alias that sends readers on to the entry's address: a redirect
/// that works on any static host (no server rules needed), worded in `strings`'
/// language.
pub fn redirects(collection: &Collection, strings: &Strings) -> Vec<OutputFile> {
    let config = &collection.config;
    let pages = collection
        .entries
        .iter()
        .map(|e| (&e.title, &e.path, &e.aliases))
        .chain(
            collection
                .sections
                .iter()
                .map(|s| (&s.title, &s.path, &s.aliases)),
        );
    let mut files = Vec::new();
    for (title, path, aliases) in pages {
        for alias in aliases {
            let target = config.permalink(path);
            let link = format!("<a href=\"{}\">{}</a>", esc(path), esc(title));
            // The message is text with the link put in: everything but the link is escaped.
            let text = crate::i18n::pieces(
                strings
                    .get("redirect.text")
                    .and_then(|v| v.as_str())
                    .unwrap_or("{link}"),
            )
            .into_iter()
            .map(|piece| match piece {
                crate::i18n::Piece::Name("link") => link.clone(),
                crate::i18n::Piece::Name(name) => format!("{{{name}}}"),
                crate::i18n::Piece::Literal(text) => esc(text).into_owned(),
            })
            .collect::<String>();
            let html = format!(
                "<!DOCTYPE html>\n<html lang=\"{lang}\"{dir}>\n<head>\n<meta charset=\"utf-8\">\n<title>{heading}</title>\n<meta name=\"robots\" content=\"noindex\">\n<link rel=\"canonical\" href=\"{target}\">\n<meta http-equiv=\"refresh\" content=\"0; url={path}\">\n</head>\n<body>\n<p>{text}</p>\n</body>\n</html>\n",
                lang = esc(&config.language),
                dir = match config.current_language().direction {
                    crate::config::Direction::Rtl => " dir=\"rtl\"",
                    crate::config::Direction::Ltr => "",
                },
                heading = esc(&strings.fill(
                    "redirect.title",
                    &[("title", Arg::Text(title.as_str().into()))]
                )),
                target = esc(&target),
                path = esc(path),
            );
            files.push(OutputFile::text(
                file_of_url(&collection.config.base_path, alias),
                html,
            ));
        }
    }
    files
}

#[derive(Serialize)]
struct Catalogue<'a> {
    title: &'a str,
    description: &'a str,
    base_url: &'a str,
    count: usize,
    resources: &'a [Record<'a>],
}

/// One resource as open data.
#[derive(Serialize)]
struct Record<'a> {
    id: String,
    title: &'a str,
    summary: Option<&'a str>,
    url: Option<&'a str>,
    page: String,
    section: &'a str,
    publisher: &'a [String],
    authors: &'a [String],
    published: Option<String>,
    updated: Option<String>,
    reviewed: Option<String>,
    licence: Option<&'a str>,
    language: Option<&'a str>,
    taxonomies: BTreeMap<&'a str, Vec<&'a str>>,
    related: Vec<String>,
    /// The entry in the collection's other languages, where it is translated.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    translations: Vec<Translation<'a>>,
    /// `current`, `superseded`, `withdrawn` or `under-review`.
    status: &'static str,
    /// The page of the resource that replaces this one.
    superseded_by: Option<String>,
    /// The change notes, newest first.
    changes: Vec<Change<'a>>,
    /// A copy of the resource in a web archive, where the curator named one.
    archived_url: Option<&'a str>,
}

/// A change note, as open data.
#[derive(Serialize)]
struct Change<'a> {
    date: String,
    note: &'a str,
}

/// A resource's translation, as open data.
#[derive(Serialize)]
struct Translation<'a> {
    language: &'a str,
    title: &'a str,
    page: String,
}

fn records<'a>(editions: &[&'a Collection]) -> Vec<Record<'a>> {
    let collection = editions[0];
    let config = &collection.config;
    let mut records: Vec<Record> = collection
        .resources()
        .map(|(id, e)| Record {
            translations: editions[1..]
                .iter()
                .filter(|c| !c.entries[id].elsewhere)
                .map(|c| Translation {
                    language: &c.config.language,
                    title: &c.entries[id].title,
                    page: c.config.permalink(&c.entries[id].path),
                })
                .collect(),
            id: e.file.rel.trim_end_matches(".md").to_string(),
            title: &e.title,
            summary: e.summary.as_deref(),
            url: e.url.as_deref(),
            page: config.permalink(&e.path),
            section: &collection.sections[e.section].title,
            publisher: &e.publisher,
            authors: &e.authors,
            published: e.published.map(|d| d.to_string()),
            updated: e.updated.map(|d| d.to_string()),
            reviewed: e.reviewed.map(|d| d.to_string()),
            licence: e.licence.as_deref(),
            language: e.language.as_deref(),
            taxonomies: collection
                .taxonomies
                .iter()
                .enumerate()
                .map(|(t, taxonomy)| {
                    (
                        taxonomy.config.name.as_str(),
                        e.terms[t]
                            .iter()
                            .map(|&i| taxonomy.terms[i].slug.as_str())
                            .collect(),
                    )
                })
                .collect(),
            related: e
                .related
                .iter()
                .filter(|&&r| collection.entries[r].kind == EntryKind::Resource)
                .map(|&r| config.permalink(&collection.entries[r].path))
                .collect(),
            status: e.lifecycle.status.as_str(),
            superseded_by: e
                .superseded_by
                .map(|s| config.permalink(&collection.entries[s].path)),
            changes: e
                .lifecycle
                .changes
                .iter()
                .map(|c| Change {
                    date: c.date.to_string(),
                    note: &c.note,
                })
                .collect(),
            archived_url: e.archived_url.as_deref(),
        })
        .collect();
    records.sort_by(|a, b| a.id.cmp(&b.id));
    records
}

fn json(editions: &[&Collection], resources: &[Record]) -> Result<String, ExportError> {
    let config = &editions[0].config;
    let catalogue = Catalogue {
        title: &config.title,
        description: &config.description,
        base_url: &config.base_url,
        count: resources.len(),
        resources,
    };
    let mut text = serde_json::to_string_pretty(&catalogue)?;
    text.push('\n');
    Ok(text)
}

fn csv(editions: &[&Collection], records: &[Record]) -> Result<String, ExportError> {
    let collection = editions[0];
    let mut writer = csv::Writer::from_writer(Vec::new());
    let mut header: Vec<&str> = vec![
        "id",
        "title",
        "summary",
        "url",
        "page",
        "section",
        "publisher",
        "authors",
        "published",
        "updated",
        "reviewed",
        "licence",
        "language",
    ];
    header.extend(collection.taxonomies.iter().map(|t| t.config.name.as_str()));
    header.push("related");
    // Before the translations, which stay the last column.
    header.extend(["status", "superseded_by", "changes", "archived_url"]);
    if editions.len() > 1 {
        header.push("translations");
    }
    writer.write_record(&header)?;
    // Every data cell is quoted (the header stays bare, as readers expect it): a
    // spreadsheet then takes each cell as text, whatever it starts with.
    let header = writer
        .into_inner()
        .map_err(|e| ExportError::Csv(e.into_error().into()))?;
    let mut writer = csv::WriterBuilder::new()
        .quote_style(csv::QuoteStyle::Always)
        .from_writer(header);
    for r in records {
        let mut row: Vec<String> = vec![
            r.id.clone(),
            r.title.to_string(),
            r.summary.unwrap_or("").to_string(),
            r.url.unwrap_or("").to_string(),
            r.page.clone(),
            r.section.to_string(),
            r.publisher.join("; "),
            r.authors.join("; "),
            r.published.clone().unwrap_or_default(),
            r.updated.clone().unwrap_or_default(),
            r.reviewed.clone().unwrap_or_default(),
            r.licence.unwrap_or("").to_string(),
            r.language.unwrap_or("").to_string(),
        ];
        for taxonomy in &collection.taxonomies {
            row.push(
                r.taxonomies
                    .get(taxonomy.config.name.as_str())
                    .map(|terms| terms.join("; "))
                    .unwrap_or_default(),
            );
        }
        row.push(r.related.join("; "));
        row.push(r.status.to_string());
        row.push(r.superseded_by.clone().unwrap_or_default());
        let changes: Vec<String> = r
            .changes
            .iter()
            .map(|c| format!("{}: {}", c.date, c.note))
            .collect();
        row.push(changes.join("; "));
        row.push(r.archived_url.unwrap_or("").to_string());
        if editions.len() > 1 {
            let translations: Vec<String> = r
                .translations
                .iter()
                .map(|t| format!("{}: {}", t.language, t.page))
                .collect();
            row.push(translations.join("; "));
        }
        writer.write_record(row.iter().map(|value| cell(value).into_owned()))?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|e| ExportError::Csv(e.into_error().into()))?;
    String::from_utf8(bytes).map_err(|_| ExportError::NotText("resources.csv"))
}
