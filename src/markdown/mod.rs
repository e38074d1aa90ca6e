//! Markdown bodies to HTML (placeholder until the full renderer lands).

use std::ops::Range;

pub struct Options {
    pub allow_html: bool,
}

pub struct Autolinker {
    _entries: Vec<(String, String, String)>,
}

impl Autolinker {
    pub fn new(entries: Vec<(String, String, String)>) -> Autolinker {
        Autolinker { _entries: entries }
    }
}

pub struct RenderContext<'a> {
    pub options: &'a Options,
    pub resolve: &'a (dyn Fn(&str) -> Option<String> + Sync),
    pub autolink: Option<&'a Autolinker>,
    pub self_url: &'a str,
}

pub struct Rendered {
    pub html: String,
    pub text: String,
    pub headings: Vec<Heading>,
    pub links: Vec<Link>,
}

pub struct Heading {
    pub level: u8,
    pub id: String,
    pub title: String,
}

pub struct Link {
    pub kind: LinkKind,
    pub span: Range<usize>,
}

pub enum LinkKind {
    Internal { path: String, anchor: Option<String>, resolved: bool },
    Anchor(String),
    External(String),
    Unsafe(String),
    Other(String),
}

pub fn render(source: &str, _cx: &RenderContext) -> Rendered {
    let parser = pulldown_cmark::Parser::new(source);
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, parser);
    Rendered { html, text: source.to_string(), headings: Vec::new(), links: Vec::new() }
}
