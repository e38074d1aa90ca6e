//! RIS records, the tagged lines every reference manager imports. Written here
//! rather than with a crate: the format is one `TAG  - value` per line, and no
//! maintained Rust crate writes it.

use std::fmt::Write;

use super::{Kind, Reference};
use crate::model::date::PartialDate;

fn ris_type(kind: Kind) -> &'static str {
    match kind {
        Kind::Legislation => "STAT",
        Kind::Standard => "STAND",
        Kind::Report => "RPRT",
        Kind::Article => "JOUR",
        Kind::Software => "COMP",
        Kind::Dataset => "DATA",
        Kind::Course | Kind::WebPage => "ELEC",
        Kind::Event => "GEN",
    }
}

/// `YYYY/MM/DD/`, with what is not known left empty (`2020/09//`).
fn ris_date(date: PartialDate) -> String {
    let part = |n: Option<u8>| n.map(|n| format!("{n:02}")).unwrap_or_default();
    format!("{:04}/{}/{}/", date.year, part(date.month), part(date.day))
}

/// One RIS record, from `TY` to `ER`, with the lines ended as the format asks
/// (CR LF). A value's own line breaks become spaces.
pub fn ris(reference: &Reference) -> String {
    let mut out = String::new();
    let mut line = |tag: &str, value: &str| {
        let value: String = value.split_whitespace().collect::<Vec<_>>().join(" ");
        let _ = write!(out, "{tag}  - {value}\r\n");
    };
    line("TY", ris_type(reference.kind));
    line("ID", &reference.id);
    line("TI", reference.title);
    for name in &reference.authors {
        line("AU", &name.inverted());
    }
    for publisher in reference.publishers {
        line("PB", publisher);
    }
    if let Some(date) = reference.issued {
        line("PY", &format!("{:04}", date.year));
        line("DA", &ris_date(date));
    }
    line("UR", &reference.url);
    if let Some(date) = reference.accessed {
        line("Y2", &ris_date(date));
    }
    if let Some(language) = reference.language {
        line("LA", language);
    }
    if let Some(summary) = reference.summary {
        line("AB", summary);
    }
    for keyword in &reference.keywords {
        line("KW", keyword);
    }
    line("ER", "");
    out
}
