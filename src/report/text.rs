//! The report for a terminal: one heading per section, one line per finding,
//! `file:line` first so that editors and terminals can open it.

use std::fmt::Write;

use super::Report;

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Curator's report: {} (as of {})",
        report.collection, report.today
    );
    for section in &report.sections {
        let _ = writeln!(out);
        let _ = writeln!(out, "{} ({})", section.title, section.items.len());
        if let Some(why) = &section.skipped {
            let _ = writeln!(out, "  {why}");
            continue;
        }
        if let Some(note) = &section.note {
            let _ = writeln!(out, "  {note}");
        }
        if section.items.is_empty() {
            let _ = writeln!(out, "  {}", section.empty);
        }
        for item in &section.items {
            let place = match (&item.file, item.line) {
                (Some(file), Some(line)) => format!("{file}:{line}: "),
                (Some(file), None) => format!("{file}: "),
                _ => String::new(),
            };
            let _ = writeln!(out, "  {place}{} — {}", item.title, item.detail);
        }
    }
    let _ = writeln!(out);
    let _ = writeln!(out, "{} findings", report.count());
    out
}
