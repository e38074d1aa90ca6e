//! References formatted in a CSL style by hayagriva, from the same CSL-JSON item
//! the downloads hold, as HTML a Content-Security-Policy without inline styles
//! allows (`<i>`, `<b>`, classes, no `style` attributes).

use std::collections::HashMap;
use std::fmt::Write;
use std::sync::{Arc, Mutex, OnceLock};

use hayagriva::archive::{ArchivedStyle, locales};
use hayagriva::citationberg::json::Item;
use hayagriva::citationberg::taxonomy::Kind;
use hayagriva::citationberg::{
    FontStyle, FontVariant, FontWeight, IndependentStyle, Locale, LocaleCode, Style,
    TextDecoration, VerticalAlign,
};
use hayagriva::{
    BibliographyDriver, BibliographyRequest, CitationItem, CitationRequest, ElemChild,
    ElemChildren, Formatted,
};

use super::memo::Memo;
use super::specialise;
use super::{Reference, csl_item};

/// A CSL style with the locales of every language, ready to format references.
/// Made once for a build.
pub struct Citer {
    style: IndependentStyle,
    /// The style with nothing in its in-text citation: the processor formats a
    /// bibliography entry only for an entry cited, and the citation it renders on
    /// the way is thrown away (a third of the work). `None` where the citation
    /// can change the bibliography: a style whose citations use the citation
    /// label shows the label, not the number, in its bibliography.
    quiet: Option<IndependentStyle>,
    /// The style's name for readers (`APA Style 7th edition`).
    pub display_name: &'static str,
    locales: &'static [Locale],
    /// The name `almanac.yaml` gives the style.
    name: String,
    memo: Memo,
    /// `style` and `quiet` for each item type met so far, made the first time.
    by_type: Mutex<HashMap<Option<Kind>, Arc<Styles>>>,
}

/// The style and its quiet form, for one item type (see [`specialise`]).
struct Styles {
    style: IndependentStyle,
    quiet: Option<IndependentStyle>,
}

/// The locales hayagriva bundles, read once: reading them takes about 60 ms of one
/// thread, which a build would otherwise wait for between loading and rendering.
fn bundled_locales() -> &'static [Locale] {
    static LOCALES: OnceLock<Vec<Locale>> = OnceLock::new();
    LOCALES.get_or_init(locales)
}

/// Starts reading the locales on a thread of their own when `style` is one the
/// build will format references in, so that they are there when it does.
pub fn prepare(style: &str) {
    if ArchivedStyle::by_name(style).is_some() {
        std::thread::spawn(bundled_locales);
    }
}

impl std::fmt::Debug for Citer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Citer")
            .field("style", &self.display_name)
            .finish()
    }
}

impl Citer {
    /// The style of `almanac.yaml` (checked there). `None` for a style that
    /// depends on another (none of the bundled ones does).
    pub fn new(name: &str) -> Option<Citer> {
        let archived = ArchivedStyle::by_name(name)?;
        let Style::Independent(style) = archived.get() else {
            return None;
        };
        Some(Citer {
            quiet: quiet(&style),
            style,
            display_name: archived.display_name(),
            locales: bundled_locales(),
            name: name.to_string(),
            memo: Memo::default(),
            by_type: Mutex::default(),
        })
    }

    /// The locale to format for a page in `language`: the style's own where it is
    /// the same language (`en-GB` for Harvard on an English page), else the page's
    /// (hayagriva falls back to `en-US` for a language it has no locale of).
    /// A style without a default locale may still be written for one region: Cite
    /// Them Right names none but carries its terms as `en-GB`, and without that an
    /// English page would get American dates (`Accessed: November 1, 2026`).
    fn locale(&self, language: &str) -> Option<LocaleCode> {
        let primary = |code: &str| code.split('-').next().unwrap_or("").to_ascii_lowercase();
        let own = self.style.default_locale.as_ref().or_else(|| {
            self.style
                .locale
                .iter()
                .filter_map(|l| l.lang.as_ref())
                .find(|l| l.0.contains('-') && primary(&l.0) == primary(language))
        });
        match own {
            Some(own) if primary(&own.0) == primary(language) => Some(own.clone()),
            _ => Some(LocaleCode(language.to_string())),
        }
    }

    /// The reference as the style formats it in a bibliography, as HTML; `None`
    /// when the style gives nothing for it.
    pub fn format(&self, reference: &Reference, language: &str) -> Option<String> {
        let value = csl_item(reference)
            .for_styles(reference.authored_by_publishers())
            .ok()?;
        let locale = self.locale(language);
        let key = Memo::key(&value, locale.as_ref().map_or("", |l| l.0.as_str()));
        self.memo.get_or(key, || self.format_item(value, locale))
    }

    /// How the references asked for so far were come by.
    pub fn counts(&self) -> super::ReferenceCounts {
        self.memo.counts()
    }

    /// Takes up the references a build saved at `path` (see [`Citer::save`]).
    pub fn recall(&mut self, path: &std::path::Path) {
        self.memo = Memo::load(path, &self.name);
    }

    /// Saves the references formatted or recalled so far at `path`, for the next
    /// build to recall.
    pub fn save(&self, path: &std::path::Path) -> std::io::Result<()> {
        self.memo.save(path, &self.name)
    }

    /// The style and its quiet form cut down for items of type `kind`.
    fn for_type(&self, kind: Option<Kind>) -> Arc<Styles> {
        let mut by_type = self.by_type.lock().unwrap_or_else(|e| e.into_inner());
        by_type
            .entry(kind)
            .or_insert_with(|| {
                Arc::new(Styles {
                    style: specialise::for_type(&self.style, kind),
                    quiet: self.quiet.as_ref().map(|q| specialise::for_type(q, kind)),
                })
            })
            .clone()
    }

    fn format_item(&self, value: serde_json::Value, locale: Option<LocaleCode>) -> Option<String> {
        let item: Item = serde_json::from_value(value).ok()?;
        let styles = self.for_type(item.type_().and_then(|t| t.parse().ok()));
        self.format_with(&item, &styles.style, styles.quiet.as_ref(), locale)
    }

    fn format_with(
        &self,
        item: &Item,
        style: &IndependentStyle,
        quiet: Option<&IndependentStyle>,
        locale: Option<LocaleCode>,
    ) -> Option<String> {
        let mut driver: BibliographyDriver<'_, Item> = BibliographyDriver::new();
        driver.citation(CitationRequest::new(
            vec![CitationItem::with_entry(item)],
            quiet.unwrap_or(style),
            locale.clone(),
            self.locales,
            None,
        ));
        let rendered = driver.finish(BibliographyRequest::new(style, locale, self.locales));
        let bibliography = rendered.bibliography?;
        let first = bibliography.items.into_iter().next()?;
        let mut html = String::new();
        if let Some(field) = &first.first_field {
            child(&mut html, field);
            html.push(' ');
        }
        children(&mut html, &first.content);
        let html = without_empty_date_parts(html.trim());
        (!html.is_empty()).then_some(html)
    }
}

/// `style` with an empty in-text citation, unless its citations use the citation
/// label (see `Citer::quiet`).
fn quiet(style: &IndependentStyle) -> Option<IndependentStyle> {
    let labels = format!("{:?}", style.citation).contains("CitationLabel");
    (!labels).then(|| {
        let mut quiet = style.clone();
        quiet.citation.layout.elements.clear();
        quiet.citation.sort = None;
        quiet
    })
}

/// The processor keeps the separator of a date part the entry does not have: a
/// year alone comes out as `(2018,)` in styles that write `(2018, May 3)`.
fn without_empty_date_parts(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find(",)") {
        let before = &rest[..at];
        let year = before.rsplit('(').next().unwrap_or("");
        out.push_str(before);
        if !(year.len() >= 4 && year[..4].chars().all(|c| c.is_ascii_digit())) {
            out.push(',');
        }
        out.push(')');
        rest = &rest[at + 2..];
    }
    out.push_str(rest);
    out
}

fn children(out: &mut String, children: &ElemChildren) {
    for c in &children.0 {
        child(out, c);
    }
}

fn child(out: &mut String, child: &ElemChild) {
    match child {
        ElemChild::Text(text) => formatted(out, text, None),
        ElemChild::Elem(elem) => children(out, &elem.children),
        ElemChild::Markup(text) => out.push_str(&escape(text)),
        ElemChild::Link { text, url } => formatted(out, text, Some(url)),
        ElemChild::Transparent { .. } => {}
    }
}

/// Text with its formatting as elements, a link around it where it has one.
fn formatted(out: &mut String, text: &Formatted, url: Option<&str>) {
    let f = &text.formatting;
    let mut close = Vec::new();
    let mut open = |tag: &'static str, attributes: &str| {
        let _ = write!(out, "<{tag}{attributes}>");
        close.push(tag);
    };
    if let Some(url) = url {
        open("a", &format!(" href=\"{}\" rel=\"external\"", escape(url)));
    }
    if f.font_style == FontStyle::Italic {
        open("i", "");
    }
    if f.font_weight == FontWeight::Bold {
        open("b", "");
    }
    if f.font_variant == FontVariant::SmallCaps {
        open("span", " class=\"small-caps\"");
    }
    if f.text_decoration == TextDecoration::Underline {
        open("u", "");
    }
    match f.vertical_align {
        VerticalAlign::Sup => open("sup", ""),
        VerticalAlign::Sub => open("sub", ""),
        _ => {}
    }
    out.push_str(&escape(&text.text));
    for tag in close.into_iter().rev() {
        let _ = write!(out, "</{tag}>");
    }
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let _ = pulldown_cmark_escape::escape_html(&mut out, text);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Items of every type the collection's resources are cited as, and of two
    /// types they never are (`book`, and one the processor does not know), with
    /// people or an organisation, dated or not.
    fn items() -> Vec<Item> {
        let types = [
            "legislation",
            "standard",
            "report",
            "article-journal",
            "software",
            "dataset",
            "document",
            "event",
            "webpage",
            "book",
            "no-such-type",
        ];
        let mut items = Vec::new();
        for kind in types {
            for value in [
                serde_json::json!({
                    "id": "a", "type": kind, "title": "Principles on AI",
                    "author": [{"family": "Floridi", "given": "Luciano"}, {"family": "Cowls", "given": "Josh"}],
                    "publisher": "Harvard Data Science Review",
                    "issued": {"date-parts": [[2019, 6, 23]]},
                    "accessed": {"date-parts": [[2026, 11, 1]]},
                    "URL": "https://example.org/principles.pdf",
                    "language": "en", "abstract": "Five principles.", "keyword": "ethics, AI",
                }),
                serde_json::json!({
                    "id": "b", "type": kind, "title": "Recommendation on the Ethics of AI",
                    "author": [{"literal": "UNESCO"}],
                    "URL": "https://example.org/recommendation",
                    "license": "CC-BY-4.0",
                }),
            ] {
                items.push(serde_json::from_value(value).unwrap());
            }
        }
        items
    }

    #[test]
    fn each_type_is_formatted_by_its_cut_down_style_as_by_the_whole_style() {
        let items = items();
        let mut formatted = 0;
        for archived in hayagriva::archive::ArchivedStyle::all() {
            let name = archived.names()[0];
            let Some(citer) = Citer::new(name) else {
                continue;
            };
            for item in &items {
                for language in ["en", "de"] {
                    let locale = citer.locale(language);
                    let whole =
                        citer.format_with(item, &citer.style, citer.quiet.as_ref(), locale.clone());
                    let kind = item.type_().and_then(|t| t.parse().ok());
                    let styles = citer.for_type(kind);
                    let cut = citer.format_with(item, &styles.style, styles.quiet.as_ref(), locale);
                    assert_eq!(whole, cut, "{name}, {:?}, {language}", item.type_());
                    formatted += usize::from(whole.is_some());
                }
            }
        }
        assert!(formatted > 1000, "{formatted} references formatted");
    }

    #[test]
    fn a_year_alone_loses_the_separator_of_the_missing_parts() {
        assert_eq!(
            without_empty_date_parts("OECD. (2019,). <i>Principles</i>."),
            "OECD. (2019). <i>Principles</i>."
        );
        assert_eq!(without_empty_date_parts("(2019, May 3)."), "(2019, May 3).");
        assert_eq!(without_empty_date_parts("(n.d.,)"), "(n.d.,)");
    }
}
