//! Check: the problems that need the whole collection and every rendered body:
//! internal links and their anchors, links that must not be followed, output paths
//! and likely mistakes ([`paths`]); outbound addresses on request ([`external`]);
//! interface strings a declared language lacks ([`strings`]). Returns diagnostics only.

mod entries;
pub mod external;
mod outputs;
pub mod probe;
mod reviews;
mod strings;
mod translations;

pub use entries::{ENTRY_WARNINGS, entries};
pub use outputs::{Copies, output_paths};
pub use reviews::reviews;
pub use strings::strings;
pub use translations::{behind as translations_behind, outdated as outdated_translations};

use std::collections::HashSet;

use crate::bodies::Bodies;
use crate::content::SourceFile;
use crate::diagnostics::{Diagnostic, Location, did_you_mean};
use crate::markdown::{LinkKind, Rendered};
use crate::model::{self, Collection, Target};

/// Whether [`links`] may need this body's source to place a problem it finds there:
/// a build lets go of the other sources as soon as their bodies are rendered.
pub fn needs_source(rendered: &Rendered) -> bool {
    rendered.links.iter().any(|link| match &link.kind {
        LinkKind::Internal {
            resolved, anchor, ..
        } => !resolved || anchor.is_some(),
        LinkKind::Anchor(_) | LinkKind::Unsafe(_) => true,
        LinkKind::External(_) | LinkKind::Other(_) => false,
    })
}

/// Every problem with the links in bodies, across the whole collection.
pub fn links(collection: &Collection, bodies: &Bodies) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let anchors_of = |target: Target| -> Option<&Rendered> {
        match target {
            Target::Entry(id) => bodies.entries.get(id),
            Target::Section(id) => bodies.sections.get(id).and_then(Option::as_ref),
        }
    };
    let pages = collection
        .entries
        .iter()
        .zip(&bodies.entries)
        .map(|(e, r)| (e.file.as_ref(), r))
        .chain(
            collection
                .sections
                .iter()
                .zip(&bodies.sections)
                .filter_map(|(s, r)| Some((s.file.as_deref()?, r.as_ref()?))),
        );
    for (file, rendered) in pages {
        for link in &rendered.links {
            let location = || body_location(file, link.span.clone());
            match &link.kind {
                LinkKind::Internal {
                    path,
                    anchor,
                    resolved,
                } => {
                    if !resolved {
                        problems.push(model::missing_target(
                            &collection.targets,
                            path,
                            location(),
                            "the link points to",
                        ));
                        continue;
                    }
                    let Some(anchor) = anchor else { continue };
                    let target = collection.targets.get(path.trim_start_matches('/'));
                    let target_body = target.and_then(|t| anchors_of(*t));
                    if let Some(body) = target_body {
                        check_anchor(
                            anchor,
                            body,
                            &format!("`{path}`"),
                            location(),
                            &mut problems,
                        );
                    }
                }
                LinkKind::Anchor(anchor) => {
                    check_anchor(anchor, rendered, "this page", location(), &mut problems);
                }
                LinkKind::Unsafe(url) => problems.push(
                    Diagnostic::error(
                        "unsafe-link",
                        format!("the link `{url}` would run code in the reader's browser"),
                    )
                    .at(location())
                    .label("not followed; shown as plain text")
                    .help(
                        "link to an http(s) address or to another entry with `@/section/file.md`",
                    ),
                ),
                LinkKind::External(_) | LinkKind::Other(_) => {}
            }
        }
    }
    problems
}

fn check_anchor(
    anchor: &str,
    body: &Rendered,
    what: &str,
    location: Location,
    problems: &mut Vec<Diagnostic>,
) {
    let ids: HashSet<&str> = body.headings.iter().map(|h| h.id.as_str()).collect();
    if anchor.is_empty() || ids.contains(anchor) {
        return;
    }
    problems.push(
        Diagnostic::error(
            "broken-anchor",
            format!("{what} has no heading with the id `{anchor}`"),
        )
        .at(location)
        .label("no such anchor")
        .help(match did_you_mean(anchor, ids.iter().copied()) {
            Some(s) => format!("did you mean `#{s}`?"),
            None if ids.is_empty() => "the page has no headings to link to".to_string(),
            None => {
                let mut known: Vec<&str> = ids.into_iter().collect();
                known.sort_unstable();
                format!("its headings are: {}", known.join(", "))
            }
        }),
    );
}

/// A span of a body as a location in its file.
fn body_location(file: &SourceFile, span: std::ops::Range<usize>) -> Location {
    let start = file.body.start + span.start;
    let end = file.body.start + span.end;
    Location::span(&file.source, start..end)
}
