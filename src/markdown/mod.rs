//! Markdown stage of rendering: a page body (CommonMark with tables, footnotes,
//! strikethrough, task lists and heading attributes) becomes HTML, plus what the
//! checker and the search index need: plain text, headings and every link with
//! its byte span in the source.
//!
//! Pure: no disk, no globals. Internal links are resolved through the caller's
//! `resolve` function, so this module knows nothing of the collection.
//!
//! # Markup written beyond plain CommonMark
//!
//! - Headings: `<h2 id="ID">Title <a class="anchor" href="#ID"
//!   aria-label="Link to this section: Title">#</a></h2>`. The label replaces
//!   the `#` for assistive technology, so the symbol is never read out. Classes
//!   from `{.class}` are kept; other `{key=value}` attributes are dropped, since
//!   they could carry event handlers.
//! - Internal links (`@/path.md#anchor`): a plain `<a href="/resolved/#anchor">`.
//!   A link to no page is its text in `<span class="broken-link">`.
//! - Web links (http, https, `//`): `<a href="…" class="external" rel="external noopener">`.
//!   Other schemes (`mailto:` …) and relative links: a plain `<a href="…">`.
//! - Unsafe links (`javascript:`, `vbscript:`, `data:`): the link text alone.
//!   In images `data:image/…` is allowed; an unsafe or unresolved image is
//!   replaced by its alt text (in `<span class="broken-link">` when unresolved).
//! - Raw HTML, when not allowed: shown as text; an HTML block becomes `<p>`.
//! - Glossary mentions: `<a class="glossary-term" href="URL" title="short
//!   definition">mention</a>`. The link text is the mention as written and the
//!   target page holds the full definition, so nothing depends on the `title`
//!   tooltip, which only adds a hint for pointer users. `title` is left out
//!   when the definition is empty. Only the first mention of each term (any
//!   of its phrases) on a page is linked: whole words, ASCII case-insensitive,
//!   the longest phrase winning, also across a line break; never in headings,
//!   links, alt text or code, and never to the page itself.
//! - Footnotes use the writer's markup: `id="NAME"` on the definition and
//!   `href="#NAME"` on the reference, in the same id space as headings.
//!
//! Images are recorded in [`Rendered::links`] too, so the checker validates
//! their `@/` targets like any other link.

mod autolink;
mod escape;
mod headings;
mod links;
mod plain;

#[cfg(test)]
mod tests;

use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, LinkType, Parser, Tag, TagEnd};

use autolink::PageGlossary;
pub use autolink::{Autolinker, normalize_phrase};
use escape::{push_escaped, push_url};

/// `text` escaped for HTML text or a double-quoted attribute value.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    push_escaped(&mut out, text);
    out
}
use headings::HeadingIds;
use links::{Target, Use};
use plain::PlainText;

/// How a body is rendered; from the site configuration.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Options {
    /// Pass raw HTML through instead of escaping it.
    pub allow_html: bool,
}

/// Everything a render needs besides the source.
pub struct RenderContext<'a> {
    pub options: &'a Options,
    /// Maps an internal link target (the part after `@/`, e.g. `guidance/x.md`, without `#anchor`) to the page's rooted URL (`/guidance/x/`), or None when there is no such file.
    pub resolve: &'a (dyn Fn(&str) -> Option<String> + Sync),
    pub autolink: Option<&'a Autolinker>,
    /// URL of the page being rendered: the autolinker never links a page to itself.
    pub self_url: &'a str,
}

/// A rendered body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rendered {
    pub html: String,
    /// Plain text of the body (for the search index and for excerpts): words separated by single spaces/newlines, no markup.
    pub text: String,
    /// In document order.
    pub headings: Vec<Heading>,
    /// Links and images, in document order.
    pub links: Vec<Link>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Heading {
    pub level: u8,
    /// As written in the `id` attribute; explicit `{#id}`s are kept even when
    /// two are equal, so the checker can report the duplicate.
    pub id: String,
    /// Plain text.
    pub title: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    pub kind: LinkKind,
    /// Byte range of the whole link (`[text](dest)`, `![alt](src)`, `<url>`)
    /// in the `source` given to [`render`].
    pub span: Range<usize>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LinkKind {
    /// `@/path.md` or `@/path.md#anchor`
    Internal {
        path: String,
        anchor: Option<String>,
        resolved: bool,
    },
    /// `#anchor` on the same page
    Anchor(String),
    /// http(s), mailto: …
    External(String),
    /// a scheme that must not be followed (javascript:, vbscript:, data: in links) — rendered inert
    Unsafe(String),
    /// relative links and anything else, left as written
    Other(String),
}

/// Renders one page body. Deterministic: the same inputs give the same bytes.
pub fn render(source: &str, cx: &RenderContext) -> Rendered {
    let events = parse(source);
    let mut ids = HeadingIds::default();
    for (event, _) in &events {
        if let Event::Start(Tag::Heading { id: Some(id), .. }) = event {
            ids.reserve(id);
        }
    }
    let mut renderer = Renderer {
        cx,
        out: Vec::with_capacity(events.len() + 8),
        text: PlainText::with_capacity(source.len()),
        headings: Vec::new(),
        links: Vec::new(),
        ids,
        heading: None,
        closers: Vec::new(),
        code_blocks: 0,
        glossary: cx.autolink.map(|g| PageGlossary::new(g, cx.self_url)),
    };
    for (event, range) in events {
        renderer.event(event, range);
    }
    let mut html = String::with_capacity(source.len() + source.len() / 2);
    pulldown_cmark::html::push_html(&mut html, renderer.out.into_iter());
    // A build holds every body's HTML and text at once, so the room each buffer was
    // given to grow into (a third or more of it) is let go. Copied, not shrunk in
    // place: the allocator keeps a block that shrinks by less than half.
    Rendered {
        html: exact(html),
        text: exact(renderer.text.into_string()),
        headings: renderer.headings,
        links: renderer.links,
    }
}

/// `s` in an allocation of its length.
fn exact(s: String) -> String {
    if s.capacity() == s.len() {
        s
    } else {
        s.as_str().to_owned()
    }
}

/// Parses `source` with adjacent text merged and soft breaks folded into it,
/// so a glossary phrase split across a line break is one piece of text. The
/// HTML writer renders a soft break as `\n`, exactly like the text it becomes.
fn parse(source: &str) -> Vec<(Event<'_>, Range<usize>)> {
    let mut options = pulldown_cmark::Options::empty();
    options.insert(pulldown_cmark::Options::ENABLE_TABLES);
    options.insert(pulldown_cmark::Options::ENABLE_FOOTNOTES);
    options.insert(pulldown_cmark::Options::ENABLE_STRIKETHROUGH);
    options.insert(pulldown_cmark::Options::ENABLE_TASKLISTS);
    options.insert(pulldown_cmark::Options::ENABLE_HEADING_ATTRIBUTES);

    let mut events: Vec<(Event<'_>, Range<usize>)> = Vec::new();
    for (event, range) in Parser::new_ext(source, options).into_offset_iter() {
        let event = match event {
            Event::SoftBreak => Event::Text(CowStr::Borrowed("\n")),
            Event::Text(text) => Event::Text(replace_forbidden(text)),
            Event::Code(code) => Event::Code(replace_forbidden(code)),
            // A code block's language is decoded too: a reference there would
            // reach its class attribute. Addresses keep what they decode to and
            // are percent-encoded where they are written (`escape::push_url`).
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => Event::Start(Tag::Link {
                link_type,
                dest_url,
                title: replace_forbidden(title),
                id,
            }),
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => Event::Start(Tag::Image {
                link_type,
                dest_url,
                title: replace_forbidden(title),
                id,
            }),
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => Event::Start(
                Tag::CodeBlock(CodeBlockKind::Fenced(replace_forbidden(info))),
            ),
            other => other,
        };
        if let (Some((Event::Text(previous), previous_range)), Event::Text(next)) =
            (events.last_mut(), &event)
        {
            let mut merged = std::mem::replace(previous, CowStr::Borrowed("")).into_string();
            merged.push_str(next);
            *previous = CowStr::from(merged);
            previous_range.end = range.end;
            continue;
        }
        events.push((event, range));
    }
    events
}

/// `text` with each character no page or feed may carry as U+FFFD: the file's
/// own text cannot hold them, but a character reference (`&#x7;`) writes one.
fn replace_forbidden(text: CowStr<'_>) -> CowStr<'_> {
    if crate::paths::has_forbidden(&text) {
        CowStr::from(text.replace(crate::paths::forbidden, "\u{fffd}"))
    } else {
        text
    }
}

/// What ends a link or image that was opened with custom markup.
enum Closer {
    /// Write this markup.
    Markup(&'static str),
    /// Pass the original end event to the HTML writer (it wrote the start).
    Image,
    /// The link was dropped; write nothing.
    Nothing,
}

struct OpenHeading<'s> {
    level: u8,
    explicit_id: Option<CowStr<'s>>,
    classes: Vec<CowStr<'s>>,
    title: PlainText,
    /// Index in `out` of the placeholder for the opening tag.
    placeholder: usize,
}

struct Renderer<'s, 'c> {
    cx: &'c RenderContext<'c>,
    out: Vec<Event<'s>>,
    text: PlainText,
    headings: Vec<Heading>,
    links: Vec<Link>,
    ids: HeadingIds,
    heading: Option<OpenHeading<'s>>,
    /// One per open link or image; non-empty means "inside a link or alt text".
    closers: Vec<Closer>,
    code_blocks: usize,
    glossary: Option<PageGlossary<'c>>,
}

impl<'s> Renderer<'s, '_> {
    fn event(&mut self, event: Event<'s>, range: Range<usize>) {
        let allow_html = self.cx.options.allow_html;
        match event {
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs: _,
            }) => {
                self.heading = Some(OpenHeading {
                    level: level as u8,
                    explicit_id: id,
                    classes,
                    title: PlainText::with_capacity(64),
                    placeholder: self.out.len(),
                });
                self.out.push(Event::Html(CowStr::Borrowed("")));
            }
            Event::End(TagEnd::Heading(_)) => self.end_heading(),
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                ..
            }) => self.start_link(link_type, dest_url, title, range),
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => self.start_image(link_type, dest_url, title, id, range),
            Event::End(TagEnd::Link | TagEnd::Image) => match self.closers.pop() {
                Some(Closer::Markup(markup)) => self.out.push(Event::InlineHtml(markup.into())),
                Some(Closer::Image) => self.out.push(event),
                Some(Closer::Nothing) | None => {}
            },
            Event::Start(Tag::CodeBlock(_)) => {
                self.code_blocks += 1;
                self.out.push(event);
            }
            Event::End(TagEnd::CodeBlock) => {
                self.code_blocks = self.code_blocks.saturating_sub(1);
                self.text.line();
                self.out.push(event);
            }
            Event::Start(Tag::HtmlBlock) if !allow_html => {
                self.out.push(Event::Html("<p>".into()));
            }
            Event::End(TagEnd::HtmlBlock) if !allow_html => {
                self.out.push(Event::Html("</p>\n".into()));
            }
            Event::Html(raw) | Event::InlineHtml(raw) if !allow_html => {
                // Escaped by the HTML writer like any text; kept out of the
                // plain text, which is for reading, not markup.
                self.out.push(Event::Text(raw));
            }
            Event::Text(text) => self.text(text),
            Event::Code(code) => {
                self.text.push(&code);
                if let Some(heading) = &mut self.heading {
                    heading.title.push(&code);
                }
                self.out.push(Event::Code(code));
            }
            Event::HardBreak => {
                self.text.line();
                self.out.push(event);
            }
            Event::End(TagEnd::TableCell) => {
                self.text.space();
                self.out.push(event);
            }
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Item
                | TagEnd::TableRow
                | TagEnd::TableHead
                | TagEnd::BlockQuote(_)
                | TagEnd::FootnoteDefinition
                | TagEnd::DefinitionListTitle
                | TagEnd::DefinitionListDefinition
                | TagEnd::HtmlBlock,
            ) => {
                self.text.line();
                self.out.push(event);
            }
            other => self.out.push(other),
        }
    }

    fn text(&mut self, text: CowStr<'s>) {
        self.text.push(&text);
        if let Some(heading) = &mut self.heading {
            heading.title.push(&text);
        }
        let ordinary = self.heading.is_none() && self.closers.is_empty() && self.code_blocks == 0;
        if ordinary && let Some(html) = self.glossary.as_mut().and_then(|g| g.link(&text)) {
            self.out.push(Event::InlineHtml(html.into()));
            return;
        }
        self.out.push(Event::Text(text));
    }

    fn end_heading(&mut self) {
        let Some(heading) = self.heading.take() else {
            return;
        };
        let title = heading.title.into_string();
        let id = match heading.explicit_id {
            Some(id) => id.into_string(),
            None => self.ids.generate(&title),
        };
        let level = heading.level;

        let mut open = String::with_capacity(32 + id.len());
        open.push_str("<h");
        open.push(char::from(b'0' + level));
        open.push_str(" id=\"");
        push_escaped(&mut open, &id);
        open.push('"');
        if !heading.classes.is_empty() {
            open.push_str(" class=\"");
            for (i, class) in heading.classes.iter().enumerate() {
                if i > 0 {
                    open.push(' ');
                }
                push_escaped(&mut open, class);
            }
            open.push('"');
        }
        open.push('>');
        if let Some(slot) = self.out.get_mut(heading.placeholder) {
            *slot = Event::Html(open.into());
        }

        let mut close = String::with_capacity(80 + id.len() + title.len());
        close.push_str(" <a class=\"anchor\" href=\"#");
        push_url(&mut close, &id);
        close.push_str("\" aria-label=\"Link to this section: ");
        push_escaped(&mut close, &title);
        close.push_str("\">#</a></h");
        close.push(char::from(b'0' + level));
        close.push_str(">\n");
        self.out.push(Event::Html(close.into()));

        self.text.line();
        self.headings.push(Heading { level, id, title });
    }

    fn start_link(
        &mut self,
        link_type: LinkType,
        dest: CowStr<'s>,
        title: CowStr<'s>,
        span: Range<usize>,
    ) {
        // The parser strips `mailto:` from `<a@b.example>`; put it back so the
        // destination is a URL like any other.
        let dest: CowStr<'s> = if link_type == LinkType::Email {
            format!("mailto:{dest}").into()
        } else {
            dest
        };
        if self.closers.iter().any(|c| matches!(c, Closer::Image)) {
            // A link inside alt text: the HTML writer prints alt text as plain
            // text, so markup here would show up escaped. Record it only.
            let kind = link_kind(&dest, self.cx);
            self.links.push(Link { kind, span });
            self.closers.push(Closer::Nothing);
            return;
        }
        let mut open = String::with_capacity(32 + dest.len());
        let (kind, closer) = match links::classify(&dest, Use::Link) {
            Target::Internal { path, anchor } => {
                let resolved = (self.cx.resolve)(path);
                match &resolved {
                    Some(url) => {
                        open.push_str("<a href=\"");
                        push_url(&mut open, url);
                        if let Some(anchor) = anchor {
                            open.push('#');
                            push_url(&mut open, anchor);
                        }
                        open.push('"');
                    }
                    None => open.push_str("<span class=\"broken-link\""),
                }
                let kind = LinkKind::Internal {
                    path: path.to_owned(),
                    anchor: anchor.map(str::to_owned),
                    resolved: resolved.is_some(),
                };
                let closer = if resolved.is_some() {
                    "</a>"
                } else {
                    "</span>"
                };
                (kind, Closer::Markup(closer))
            }
            Target::Anchor(anchor) => {
                open_anchor(&mut open, &dest);
                (LinkKind::Anchor(anchor.to_owned()), Closer::Markup("</a>"))
            }
            Target::Web => {
                open_anchor(&mut open, &dest);
                open.push_str(" class=\"external\" rel=\"external noopener\"");
                (LinkKind::External(dest.to_string()), Closer::Markup("</a>"))
            }
            Target::OtherScheme => {
                open_anchor(&mut open, &dest);
                (LinkKind::External(dest.to_string()), Closer::Markup("</a>"))
            }
            Target::Relative => {
                open_anchor(&mut open, &dest);
                (LinkKind::Other(dest.to_string()), Closer::Markup("</a>"))
            }
            Target::Unsafe => (LinkKind::Unsafe(dest.to_string()), Closer::Nothing),
        };
        if !open.is_empty() {
            if !title.is_empty() && open.starts_with("<a") {
                open.push_str(" title=\"");
                push_escaped(&mut open, &title);
                open.push('"');
            }
            open.push('>');
            self.out.push(Event::InlineHtml(open.into()));
        }
        self.links.push(Link { kind, span });
        self.closers.push(closer);
    }

    fn start_image(
        &mut self,
        link_type: LinkType,
        dest: CowStr<'s>,
        title: CowStr<'s>,
        id: CowStr<'s>,
        span: Range<usize>,
    ) {
        let target = links::classify(&dest, Use::Image);
        let (kind, src) = match target {
            Target::Internal { path, anchor } => {
                let resolved = (self.cx.resolve)(path);
                let kind = LinkKind::Internal {
                    path: path.to_owned(),
                    anchor: anchor.map(str::to_owned),
                    resolved: resolved.is_some(),
                };
                let src = resolved.map(|mut url| {
                    if let Some(anchor) = anchor {
                        url.push('#');
                        url.push_str(anchor);
                    }
                    CowStr::from(url)
                });
                (kind, src)
            }
            Target::Anchor(anchor) => (LinkKind::Anchor(anchor.to_owned()), Some(dest)),
            Target::Web | Target::OtherScheme => (LinkKind::External(dest.to_string()), Some(dest)),
            Target::Relative => (LinkKind::Other(dest.to_string()), Some(dest)),
            Target::Unsafe => (LinkKind::Unsafe(dest.to_string()), None),
        };
        let unresolved = matches!(
            kind,
            LinkKind::Internal {
                resolved: false,
                ..
            }
        );
        self.links.push(Link { kind, span });
        match src {
            Some(dest_url) => {
                self.out.push(Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                }));
                self.closers.push(Closer::Image);
            }
            None if unresolved => {
                self.out
                    .push(Event::InlineHtml("<span class=\"broken-link\">".into()));
                self.closers.push(Closer::Markup("</span>"));
            }
            // The alt text stands in for an image that must not load.
            None => self.closers.push(Closer::Nothing),
        }
    }
}

/// The kind of a link that is recorded but not rendered.
fn link_kind(dest: &str, cx: &RenderContext) -> LinkKind {
    match links::classify(dest, Use::Link) {
        Target::Internal { path, anchor } => LinkKind::Internal {
            path: path.to_owned(),
            anchor: anchor.map(str::to_owned),
            resolved: (cx.resolve)(path).is_some(),
        },
        Target::Anchor(anchor) => LinkKind::Anchor(anchor.to_owned()),
        Target::Web | Target::OtherScheme => LinkKind::External(dest.to_owned()),
        Target::Relative => LinkKind::Other(dest.to_owned()),
        Target::Unsafe => LinkKind::Unsafe(dest.to_owned()),
    }
}

fn open_anchor(open: &mut String, href: &str) {
    open.push_str("<a href=\"");
    push_url(open, href);
    open.push('"');
}
