//! Static SVG charts for the home page, drawn at build time (no chart library in the
//! browser), each with a data table so the figures are readable without the picture.

use std::collections::BTreeMap;
use std::fmt::Write;

use serde::Serialize;

use crate::i18n::{Arg, Strings};
use crate::model::Collection;

#[derive(Serialize)]
pub struct Chart {
    pub id: String,
    pub title: String,
    pub svg: tera::Value,
    pub caption: String,
    pub table: Table,
}

#[derive(Serialize)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// The home page's charts: resources by type (the first single-term taxonomy) and by
/// year, titled and captioned in `strings`' language.
pub fn home(collection: &Collection, strings: &Strings) -> Vec<Chart> {
    let mut charts = Vec::new();
    if let Some(taxonomy) = collection.taxonomies.iter().find(|t| t.config.single) {
        let mut rows: Vec<(String, usize)> = taxonomy
            .terms
            .iter()
            .filter(|term| !term.resources.is_empty())
            .map(|term| (term.label.clone(), term.resources.len()))
            .collect();
        rows.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        if !rows.is_empty() {
            let label = strings.in_text(&taxonomy.config.label);
            charts.push(bar_chart(
                "chart-by-type",
                &strings.fill("charts.by_type", &[("taxonomy", Arg::Text(label.into()))]),
                &taxonomy.config.label,
                &rows,
                strings,
            ));
        }
    }
    let mut years: BTreeMap<i32, usize> = BTreeMap::new();
    for (_, entry) in collection.listed_resources() {
        if let Some(date) = entry.published {
            *years.entry(date.year).or_default() += 1;
        }
    }
    if !years.is_empty() {
        let rows: Vec<(String, usize)> = years
            .iter()
            .rev()
            .map(|(y, n)| (y.to_string(), *n))
            .collect();
        charts.push(bar_chart(
            "chart-by-year",
            &strings.text("charts.by_year"),
            &strings.text("charts.year"),
            &rows,
            strings,
        ));
    }
    charts
}

const WIDTH: usize = 640;
const LABEL_WIDTH: usize = 200;
const ROW: usize = 24;
const BAR: usize = 16;

/// A horizontal bar chart with a label and the count beside every bar.
fn bar_chart(
    id: &str,
    title: &str,
    label_header: &str,
    rows: &[(String, usize)],
    strings: &Strings,
) -> Chart {
    let number = |n: usize| strings.number.format(n as u64);
    let max = rows.iter().map(|r| r.1).max().unwrap_or(1).max(1);
    let plot = WIDTH - LABEL_WIDTH - 48;
    let height = rows.len() * ROW + 8;
    let mut svg = String::new();
    let title_id = format!("{id}-title");
    let _ = write!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {height}" role="img" aria-labelledby="{title_id}"><title id="{title_id}">{}</title>"#,
        escape(title)
    );
    for (i, (label, count)) in rows.iter().enumerate() {
        let y = 4 + i * ROW;
        let w = (count * plot).div_ceil(max).max(2);
        let text_y = y + BAR - 3;
        let _ = write!(
            svg,
            r#"<g><text class="chart-label" x="{lx}" y="{text_y}" text-anchor="end" fill="currentColor">{label}</text><rect class="bar" x="{bx}" y="{y}" width="{w}" height="{BAR}" rx="2"/><text class="chart-value" x="{vx}" y="{text_y}" fill="currentColor">{value}</text></g>"#,
            lx = LABEL_WIDTH - 8,
            bx = LABEL_WIDTH,
            vx = LABEL_WIDTH + w + 6,
            label = escape(&truncate(label, 30)),
            value = escape(&number(*count)),
        );
    }
    svg.push_str("</svg>");
    let total: usize = rows.iter().map(|r| r.1).sum();
    Chart {
        id: id.to_string(),
        title: title.to_string(),
        svg: tera::Value::safe_string(&svg),
        caption: strings.fill(
            "charts.caption",
            &[
                (
                    "resources",
                    Arg::Text(
                        strings
                            .fill(
                                "charts.caption_resources",
                                &[("count", Arg::Count(total as u64))],
                            )
                            .into(),
                    ),
                ),
                (
                    "groups",
                    Arg::Text(
                        strings
                            .fill(
                                "charts.caption_groups",
                                &[("count", Arg::Count(rows.len() as u64))],
                            )
                            .into(),
                    ),
                ),
            ],
        ),
        table: Table {
            headers: vec![label_header.to_string(), strings.text("charts.resources")],
            rows: rows
                .iter()
                .map(|(l, n)| vec![l.clone(), number(*n)])
                .collect(),
        },
    }
}

fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let cut: String = text.chars().take(max - 1).collect();
        format!("{cut}…")
    }
}

fn escape(text: &str) -> String {
    quick_xml::escape::escape(text).into_owned()
}
