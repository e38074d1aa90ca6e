//! Which resources are due for review under the collection's `review:` policy, and
//! when each fell or falls due; `check` warns of the overdue ones and the curator's
//! report lists both.

use time::Date;

use super::date::PartialDate;
use super::{Collection, EntryId};
use crate::config::Interval;

/// Whether a review is late or coming.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ReviewState {
    Overdue,
    Soon,
}

/// One resource whose review is overdue or soon due.
#[derive(Debug, Clone)]
pub struct Due {
    pub id: EntryId,
    pub state: ReviewState,
    /// When the review fell (or falls) due; `None` for a resource never reviewed and
    /// with no date of publication to count from.
    pub date: Option<Date>,
    pub interval: Interval,
}

/// A partial date as the first day it may mean (`2025-03` is 1 March 2025).
pub fn first_day(date: PartialDate) -> Option<Date> {
    let month = time::Month::try_from(date.month.unwrap_or(1)).ok()?;
    Date::from_calendar_date(date.year, month, date.day.unwrap_or(1)).ok()
}

/// `YYYY-MM-DD`, as curators write dates.
pub fn iso(date: Date) -> String {
    format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

/// Resources whose review is overdue or due within the policy's `soon`, on `today`,
/// the most overdue first. Superseded and withdrawn resources are not reviewed.
/// Empty when the collection has no review policy.
pub fn due(collection: &Collection, today: Date) -> Vec<Due> {
    let Some(policy) = &collection.config.review else {
        return Vec::new();
    };
    let kind_taxonomy = collection.taxonomies.iter().position(|t| t.config.single);
    let horizon = policy.soon.after(today);
    let mut out = Vec::new();
    for (id, entry) in collection.resources() {
        if entry.lifecycle.status.is_retired() || entry.elsewhere {
            continue;
        }
        let kind = kind_taxonomy.and_then(|t| {
            let term = *entry.terms.get(t)?.first()?;
            Some(collection.taxonomies[t].terms[term].slug.as_str())
        });
        let dir = &collection.sections[entry.section].dir;
        let interval = policy.interval(dir, kind);
        let since = entry.reviewed.or(entry.published).and_then(first_day);
        let date = since.map(|d| interval.after(d));
        let state = match date {
            None => ReviewState::Overdue,
            Some(d) if d <= today => ReviewState::Overdue,
            Some(d) if d <= horizon => ReviewState::Soon,
            Some(_) => continue,
        };
        out.push(Due {
            id,
            state,
            date,
            interval,
        });
    }
    out.sort_by(|a, b| {
        (a.state, a.date, &collection.entries[a.id].file.rel).cmp(&(
            b.state,
            b.date,
            &collection.entries[b.id].file.rel,
        ))
    });
    out
}

/// Today, from `--today`, else `ALMANAC_TODAY`, else the clock (UTC), so that tests
/// and CI runs can pin the day. `Err` names the value that is not a full date.
pub fn today(given: Option<&str>) -> Result<Date, String> {
    let given = given.map(str::to_string).or_else(|| {
        std::env::var("ALMANAC_TODAY")
            .ok()
            .filter(|s| !s.is_empty())
    });
    match given {
        None => Ok(time::OffsetDateTime::now_utc().date()),
        Some(text) => text
            .parse::<PartialDate>()
            .ok()
            .filter(|d| d.day.is_some())
            .and_then(first_day)
            .ok_or_else(|| format!("`{text}` is not a date of the form YYYY-MM-DD")),
    }
}
