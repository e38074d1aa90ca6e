//! The front-matter keys Almanac reads itself, per kind of page, and the URL
//! segments the build keeps; taxonomies and sections may take neither.

/// Fields a resource may have (besides its taxonomies).
pub const RESOURCE_FIELDS: &[&str] = &[
    "title",
    "summary",
    "url",
    "publisher",
    "authors",
    "published",
    "updated",
    "reviewed",
    "licence",
    "language",
    "related",
    "aliases",
    "slug",
    "weight",
    "draft",
    "autolink",
    "extra",
    "template",
    "status",
    "superseded_by",
    "changes",
    "archived_url",
    "proposed",
];
/// Fields a glossary entry may have.
pub const GLOSSARY_FIELDS: &[&str] = &[
    "title", "summary", "synonyms", "sources", "related", "aliases", "slug", "weight", "draft",
    "autolink", "extra", "language", "updated", "reviewed", "template",
];
/// Fields a plain page may have.
pub const PAGE_FIELDS: &[&str] = &[
    "title", "summary", "aliases", "slug", "weight", "draft", "autolink", "extra", "language",
    "updated", "template",
];
/// Fields a section's `_index.md` may have.
pub const SECTION_FIELDS: &[&str] = &[
    "title",
    "description",
    "sort_by",
    "paginate_by",
    "kind",
    "weight",
    "extra",
    "aliases",
    "template",
];

/// Whether a front-matter key is one Almanac reads itself on some kind of page; a
/// taxonomy may not take such a name.
pub fn is_built_in(name: &str) -> bool {
    [
        RESOURCE_FIELDS,
        GLOSSARY_FIELDS,
        PAGE_FIELDS,
        SECTION_FIELDS,
    ]
    .iter()
    .any(|fields| fields.contains(&name))
}

/// URL segments the build writes itself, which neither a taxonomy nor a section may take.
pub const RESERVED_SEGMENTS: &[&str] = &["search", "static", "page"];
