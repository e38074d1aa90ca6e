//! `build`: the stages run one after the other, the pages rendered in slices and
//! written to disk as they come, with the time each stage took.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use super::load::load_for_build;
use super::{BuildOptions, Error, Site, load_theme};
use crate::bodies::{Bodies, Packing};
use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::model::EntryId;
use crate::output::{self, OutputError, Sink};
use crate::render::{
    Alternates, Citer, Page, Progress, ReferenceCounts, RenderError, SearchAssets,
};
use crate::search;

/// What a finished build did.
#[derive(Debug)]
pub struct BuildReport {
    pub output: PathBuf,
    pub pages: usize,
    pub files: usize,
    pub elapsed: Duration,
    /// How long each stage took, in pipeline order.
    pub timings: Vec<(&'static str, Duration)>,
    /// How the build came by its formatted references; `None` without a style.
    pub references: Option<ReferenceCounts>,
    pub warnings: Vec<Diagnostic>,
}

/// The output folder a build writes to.
pub fn output_dir(options: &BuildOptions, config: &Config) -> PathBuf {
    match &options.output {
        Some(dir) => dir.clone(),
        None => options.root.join(&config.output),
    }
}

/// Entry pages rendered between two releases of their bodies: large enough that
/// the threads rarely wait on each other at the end of a slice.
const ENTRY_SLICE: usize = 2048;

/// Loads, checks, renders and writes a collection. Pages go to disk as they are
/// rendered, so memory holds the collection, not the site.
pub fn build(
    options: &BuildOptions,
    deny_warnings: bool,
    report: &(dyn Fn(usize, usize) + Sync),
) -> Result<BuildReport, Error> {
    build_packing(options, deny_warnings, report, Packing::BySize)
}

/// [`build`], packing the bodies as `packing` says.
fn build_packing(
    options: &BuildOptions,
    deny_warnings: bool,
    report: &(dyn Fn(usize, usize) + Sync),
    packing: Packing,
) -> Result<BuildReport, Error> {
    let started = Instant::now();
    let loaded = load_for_build(options, packing)?;
    let mut timings = loaded.timings.clone();
    let mut lap = Instant::now();
    let mut mark = |stage: &'static str| {
        timings.push((stage, lap.elapsed()));
        lap = Instant::now();
    };
    if loaded.has_errors() || (deny_warnings && !loaded.diagnostics.is_empty()) {
        return Err(Error::Content(loaded.diagnostics));
    }
    let output = output_dir(options, &loaded.collection.config);
    let theme = Arc::new(load_theme(&options.root, &loaded.collection.config)?);
    let writer = output::Writer::begin(&output, &options.root)?;
    // References formatted by the last build into this output are taken up again.
    let citations = writer.beside(".almanac-citations");
    let citer = Citer::new(&loaded.collection.config.citation.style).map(|mut citer| {
        citer.recall(&citations);
        Arc::new(citer)
    });
    // The bodies stay apart from their sites while the pages render, to be let go
    // of one by one.
    let editions = std::iter::once((loaded.collection, loaded.bodies)).chain(loaded.translations);
    let mut sites: Vec<(Site, Bodies)> = editions
        .map(|(mut collection, bodies)| {
            collection.release_sources();
            let site = Site::new(
                Arc::new(collection),
                Arc::new(Bodies::default()),
                theme.clone(),
                SearchAssets::default(),
                citer.clone(),
            );
            (site, bodies)
        })
        .collect();
    if sites.len() > 1 {
        let alternates = Arc::new(Alternates::new(
            sites
                .iter()
                .map(|(site, _)| (site.collection.clone(), site.pages())),
        ));
        for (site, _) in &mut sites {
            site.alternates = alternates.clone();
        }
    }
    let total = sites.iter().map(|(site, _)| site.pages().len()).sum();
    let progress = Progress::new(total, report);
    let mut pages = 0;
    let mut first = None;
    for (mut site, mut bodies) in sites {
        // The index is the last reader of the plain texts; hand them over.
        let texts = bodies.take_texts();
        let catalogue = first.is_none();
        // The index is written on one thread while the pages render on the others,
        // and its files go out as soon as it is (at 100k resources they are over
        // 100 MB, which would otherwise wait for the last page).
        let (index, rendered) = rayon::join(
            || -> Result<String, Error> {
                let index = search::pack_texts(&site.collection, texts)?;
                index
                    .files()
                    .try_for_each(|file| -> Result<(), Error> { Ok(writer.put(file?)?) })?;
                Ok(index.path())
            },
            || render_releasing_bodies(&site, &mut bodies, &writer, &progress, catalogue),
        );
        pages += rendered? + 1;
        site.bodies = Arc::new(bodies);
        // The search page names the index, so it comes once the index is written.
        site.search.index_path = Some(index?);
        site.render(&[Page::Search], &writer, &progress)?;
        first.get_or_insert(site);
    }
    mark("render and index");
    if let Some(site) = &first {
        site.copies(&loaded.assets, &writer)?;
    }
    if let Some(citer) = &citer {
        // Only time is lost without it: the next build formats them again.
        let _ = citer.save(&citations);
    }
    let files = writer.finish()?;
    mark("write");
    Ok(BuildReport {
        output,
        pages,
        files,
        elapsed: started.elapsed(),
        timings,
        references: citer.as_ref().map(|citer| citer.counts()),
        warnings: loaded.diagnostics,
    })
}

/// Renders every page but the search page, the redirects and (for the default
/// language's site) the catalogue into `sink`. An entry's body is shown on its own
/// page only, so each body's HTML is let go once that page is made: entry pages go
/// first, a slice at a time (in a large collection the HTML is a fifth of the
/// memory). Gives the number of pages.
fn render_releasing_bodies(
    site: &Site,
    bodies: &mut Bodies,
    sink: &dyn Sink,
    progress: &Progress,
    catalogue: bool,
) -> Result<usize, Error> {
    let (entries, others): (Vec<Page>, Vec<Page>) = site
        .pages()
        .into_iter()
        .filter(|page| *page != Page::Search)
        .partition(|page| matches!(page, Page::Entry(_)));
    let put = |file| sink.put(file);
    // The catalogue is made on a thread of its own beside the pages: its files are
    // each one long serial task, which would otherwise run after them.
    let (pages, catalogue) = rayon::join(
        || render_pages(site, bodies, &entries, &others, &put, progress),
        || {
            if catalogue {
                site.catalogue(sink)
            } else {
                Ok(())
            }
        },
    );
    pages?;
    catalogue?;
    site.redirects(sink)?;
    Ok(entries.len() + others.len())
}

/// Renders the entry pages a slice at a time, each slice's bodies' HTML unpacked
/// for it and let go of once its pages are made, then the other pages.
fn render_pages(
    site: &Site,
    bodies: &mut Bodies,
    entries: &[Page],
    others: &[Page],
    put: &(dyn Fn(crate::output::OutputFile) -> Result<(), OutputError> + Sync),
    progress: &Progress,
) -> Result<(), Error> {
    let renderer = site.renderer();
    let mut problems = Vec::new();
    for slice in entries.chunks(ENTRY_SLICE) {
        let ids: Vec<EntryId> = slice
            .iter()
            .filter_map(|page| match page {
                Page::Entry(id) => Some(*id),
                _ => None,
            })
            .collect();
        bodies.unpack_html(&ids);
        match renderer.render(bodies, slice, put, progress) {
            Err(RenderError::Templates(mut found)) => problems.append(&mut found),
            other => other?,
        }
        for id in ids {
            bodies.entries[id].html = String::new();
        }
    }
    match renderer.render(bodies, others, put, progress) {
        Err(RenderError::Templates(mut found)) => problems.append(&mut found),
        other => other?,
    }
    if !problems.is_empty() {
        // A template that fails every slice's pages is said once.
        let mut said = std::collections::HashSet::new();
        problems.retain(|d| said.insert(d.message.clone()));
        return Err(Error::Templates(problems));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    /// Every file under `dir` with its bytes, by path.
    fn files(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
        let mut files: Vec<(PathBuf, Vec<u8>)> = walkdir::WalkDir::new(dir)
            .into_iter()
            .map(|entry| entry.unwrap())
            .filter(|entry| entry.file_type().is_file())
            .map(|entry| {
                let rel = entry.path().strip_prefix(dir).unwrap().to_path_buf();
                (rel, std::fs::read(entry.path()).unwrap())
            })
            .collect();
        files.sort();
        files
    }

    #[test]
    fn packed_bodies_make_the_same_site() {
        // Small collections are built unpacked; the packed path (HTML inflated a
        // slice at a time, texts handed to the index packed, translations
        // sharing the default language's packs) must give the same bytes.
        for fixture in [
            "tests/fixtures/build/basic",
            "tests/fixtures/languages/basic",
        ] {
            let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(fixture);
            let out = tempfile::tempdir().unwrap();
            let sites = [Packing::BySize, Packing::Always].map(|packing| {
                let output = out.path().join(format!("{packing:?}"));
                let options = BuildOptions {
                    root: root.clone(),
                    output: Some(output.clone()),
                    ..BuildOptions::default()
                };
                let report = build_packing(&options, false, &|_, _| {}, packing).unwrap();
                assert!(report.pages > 3, "{fixture}");
                files(&output)
            });
            assert!(!sites[0].is_empty());
            assert_eq!(sites[0], sites[1], "{fixture}");
        }
    }
}
