//! The report as one self-contained, accessible HTML page (no scripts, no files
//! beside it): a table per section, so it can be mailed or attached to a ticket.

use std::fmt::Write;

use super::Report;
use crate::markdown::escape_html;

const STYLE: &str = "body{font-family:system-ui,sans-serif;line-height:1.5;margin:0;color:#1b1b1b;background:#fff}\
main{max-width:60rem;margin:0 auto;padding:1rem 1.25rem 3rem}\
h1{font-size:1.75rem;margin-bottom:.25rem}h2{font-size:1.25rem;margin-top:2rem}\
table{border-collapse:collapse;width:100%}caption{text-align:left;font-weight:600;padding:.25rem 0}\
th,td{text-align:left;vertical-align:top;padding:.4rem .5rem;border-bottom:1px solid #6b6b6b}\
th{background:#f0f0f0}td{overflow-wrap:anywhere}code{font-size:.95em;overflow-wrap:anywhere}\
nav ul{padding-left:1.25rem}a{color:#0b4f9c}a:focus{outline:3px solid #b34700;outline-offset:2px}\
@media (prefers-color-scheme:dark){body{color:#f2f2f2;background:#161616}th{background:#2a2a2a}\
th,td{border-color:#8a8a8a}a{color:#8cc4ff}}";

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    let e = |s: &str| escape_html(s);
    let title = format!("Curator's report: {}", report.collection);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n\
         <h1>{}</h1>\n<p>As of <time datetime=\"{}\">{}</time>: {} findings.</p>\n",
        e(&title),
        e(&title),
        e(&report.today),
        e(&report.today),
        report.count()
    );
    out.push_str("<nav aria-label=\"Sections of the report\">\n<ul>\n");
    for section in &report.sections {
        let _ = writeln!(
            out,
            "<li><a href=\"#{}\">{}</a> ({})</li>",
            section.name,
            e(section.title),
            section.items.len()
        );
    }
    out.push_str("</ul>\n</nav>\n");
    for section in &report.sections {
        let _ = writeln!(
            out,
            "<section aria-labelledby=\"{0}\">\n<h2 id=\"{0}\">{1}</h2>",
            section.name,
            e(section.title)
        );
        if let Some(why) = &section.skipped {
            let _ = writeln!(out, "<p>{}</p>\n</section>", e(why));
            continue;
        }
        if let Some(note) = &section.note {
            let _ = writeln!(out, "<p>{}</p>", e(note));
        }
        if section.items.is_empty() {
            let _ = writeln!(out, "<p>{}</p>\n</section>", e(section.empty));
            continue;
        }
        let _ = writeln!(
            out,
            "<table>\n<caption>{} findings</caption>\n<thead><tr><th scope=\"col\">Entry</th><th scope=\"col\">File</th><th scope=\"col\">Finding</th></tr></thead>\n<tbody>",
            section.items.len()
        );
        for item in &section.items {
            let place = match (&item.file, item.line) {
                (Some(file), Some(line)) => format!("<code>{}:{line}</code>", e(file)),
                (Some(file), None) => format!("<code>{}</code>", e(file)),
                _ => String::new(),
            };
            let _ = writeln!(
                out,
                "<tr><th scope=\"row\">{}</th><td>{place}</td><td>{}</td></tr>",
                e(&item.title),
                e(&item.detail)
            );
        }
        out.push_str("</tbody>\n</table>\n</section>\n");
    }
    out.push_str("</main>\n</body>\n</html>\n");
    out
}
