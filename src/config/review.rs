//! The review policy of `almanac.yaml` (`review:`): how long a resource may go
//! unreviewed, by default and per section or resource type, and how early a
//! coming review is announced. Intervals are read and located here.

use std::fmt;

use indexmap::IndexMap;
use serde::Deserialize;
use time::Date;

use crate::diagnostics::{Diagnostic, Location};
use crate::yaml::{Spans, Step};

/// `review:` as typed.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawReview {
    #[serde(default)]
    pub(super) every: Option<String>,
    #[serde(default)]
    pub(super) soon: Option<String>,
    #[serde(default)]
    pub(super) sections: IndexMap<String, String>,
    #[serde(default)]
    pub(super) types: IndexMap<String, String>,
}

/// A length of time written `12 months`, `30 days`, `2 years` or `6 weeks`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Interval {
    pub count: u32,
    pub unit: Unit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Days,
    Weeks,
    Months,
    Years,
}

impl Interval {
    /// `date` plus this interval; a month later than the 31st is the month's last day.
    pub fn after(self, date: Date) -> Date {
        let months = match self.unit {
            Unit::Days => return date.saturating_add(time::Duration::days(self.count.into())),
            Unit::Weeks => return date.saturating_add(time::Duration::weeks(self.count.into())),
            Unit::Months => i64::from(self.count),
            Unit::Years => i64::from(self.count) * 12,
        };
        let index = i64::from(date.year()) * 12 + i64::from(u8::from(date.month())) - 1 + months;
        let year = i32::try_from(index.div_euclid(12))
            .unwrap_or(9999)
            .min(9999);
        let month =
            time::Month::try_from(index.rem_euclid(12) as u8 + 1).unwrap_or(time::Month::December);
        let day = date.day().min(month.length(year));
        Date::from_calendar_date(year, month, day).unwrap_or(date)
    }
}

impl fmt::Display for Interval {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let word = match self.unit {
            Unit::Days => "day",
            Unit::Weeks => "week",
            Unit::Months => "month",
            Unit::Years => "year",
        };
        let s = if self.count == 1 { "" } else { "s" };
        write!(f, "{} {word}{s}", self.count)
    }
}

/// Reads `12 months`; `None` for anything else.
fn parse_interval(text: &str) -> Option<Interval> {
    let mut words = text.split_whitespace();
    let count: u32 = words.next()?.parse().ok()?;
    let unit = match words.next()?.trim_end_matches('s') {
        "day" => Unit::Days,
        "week" => Unit::Weeks,
        "month" => Unit::Months,
        "year" => Unit::Years,
        _ => return None,
    };
    (words.next().is_none() && count > 0).then_some(Interval { count, unit })
}

/// How often resources are reviewed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewPolicy {
    pub every: Interval,
    /// How long before it falls due a review is listed as coming.
    pub soon: Interval,
    /// Per section folder (`guidance`, `law/uk`), the most specific folder winning.
    pub sections: Vec<(String, Interval)>,
    /// Per term of the resource-type taxonomy (the first `single` one); over sections.
    pub types: Vec<(String, Interval)>,
}

impl ReviewPolicy {
    /// The interval for a resource in section folder `dir` of type `kind`.
    pub fn interval(&self, dir: &str, kind: Option<&str>) -> Interval {
        if let Some(kind) = kind
            && let Some((_, interval)) = self.types.iter().find(|(t, _)| t == kind)
        {
            return *interval;
        }
        self.sections
            .iter()
            .filter(|(s, _)| dir == s || dir.starts_with(&format!("{s}/")))
            .max_by_key(|(s, _)| s.len())
            .map_or(self.every, |(_, interval)| *interval)
    }
}

pub(super) fn read_review(
    raw: Option<RawReview>,
    spans: &Spans,
    problems: &mut Vec<Diagnostic>,
) -> Option<ReviewPolicy> {
    let raw = raw?;
    let mut read = |text: &str, path: &[Step]| -> Option<Interval> {
        let interval = parse_interval(text);
        if interval.is_none() {
            problems.push(
                Diagnostic::error("config", format!("`{text}` is not a review interval"))
                    .at(spans
                        .value(path)
                        .unwrap_or_else(|| Location::span(spans.source(), 0..0)))
                    .label("not an interval")
                    .help("write a number and a unit, e.g. `12 months`, `30 days`, `2 years`"),
            );
        }
        interval
    };
    let key = Step::key;
    let every = match &raw.every {
        Some(text) => read(text, &[key("review"), key("every")]),
        None => None,
    }
    .unwrap_or(Interval {
        count: 12,
        unit: Unit::Months,
    });
    let soon = match &raw.soon {
        Some(text) => read(text, &[key("review"), key("soon")]),
        None => None,
    }
    .unwrap_or(Interval {
        count: 30,
        unit: Unit::Days,
    });
    let mut overrides = |map: &IndexMap<String, String>, field: &str| {
        map.iter()
            .filter_map(|(name, text)| {
                let interval = read(text, &[key("review"), key(field), key(name)])?;
                Some((name.trim_matches('/').to_string(), interval))
            })
            .collect::<Vec<_>>()
    };
    let sections = overrides(&raw.sections, "sections");
    let types = overrides(&raw.types, "types");
    Some(ReviewPolicy {
        every,
        soon,
        sections,
        types,
    })
}

/// Each key of `review.types` must be a term of the resource-type taxonomy (the
/// first `single` one with a controlled vocabulary), or the override would never apply.
pub(super) fn check_types(
    policy: &ReviewPolicy,
    taxonomies: &[super::TaxonomyConfig],
    spans: &Spans,
    problems: &mut Vec<Diagnostic>,
) {
    let kind = taxonomies.iter().find(|t| t.single);
    let terms: Vec<&str> = kind
        .and_then(|t| t.terms.as_ref())
        .map(|terms| terms.iter().map(|t| t.slug.as_str()).collect())
        .unwrap_or_default();
    for (name, _) in &policy.types {
        if terms.contains(&name.as_str()) || kind.is_some_and(|t| t.terms.is_none()) {
            continue;
        }
        let location = spans
            .key(&[Step::key("review"), Step::key("types"), Step::key(name)])
            .unwrap_or_else(|| Location::span(spans.source(), 0..0));
        let message = match kind {
            Some(t) => format!("`{name}` is not a term of `{}`", t.name),
            None => format!(
                "`review.types` names `{name}`, but no taxonomy is `single` to give resources a type"
            ),
        };
        problems.push(
            Diagnostic::error("config", message)
                .at(location)
                .label("no such resource type")
                .maybe_help(
                    crate::diagnostics::did_you_mean(name, terms.iter().copied())
                        .map(|s| format!("did you mean `{s}`?")),
                ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u8, d: u8) -> Date {
        Date::from_calendar_date(y, time::Month::try_from(m).unwrap(), d).unwrap()
    }

    #[test]
    fn intervals_are_read_in_words() {
        assert_eq!(
            parse_interval("12 months").unwrap().to_string(),
            "12 months"
        );
        assert_eq!(parse_interval("1 year").unwrap().to_string(), "1 year");
        assert!(parse_interval("monthly").is_none());
        assert!(parse_interval("0 days").is_none());
        assert!(parse_interval("3 fortnights").is_none());
    }

    #[test]
    fn a_month_later_keeps_the_day_or_takes_the_last() {
        let months = |n| Interval {
            count: n,
            unit: Unit::Months,
        };
        assert_eq!(months(12).after(day(2025, 3, 3)), day(2026, 3, 3));
        assert_eq!(months(1).after(day(2026, 1, 31)), day(2026, 2, 28));
        let days = Interval {
            count: 30,
            unit: Unit::Days,
        };
        assert_eq!(days.after(day(2026, 1, 15)), day(2026, 2, 14));
    }
}
