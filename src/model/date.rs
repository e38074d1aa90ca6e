//! Partial dates as curators write them: a year, a month or a day (`2020`, `2020-09`,
//! `2020-09-01`), ordered; render writes them in words in each page's language.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

/// A date known to the year, the month or the day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PartialDate {
    pub year: i32,
    pub month: Option<u8>,
    pub day: Option<u8>,
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

impl PartialDate {
    /// A full RFC 3339 timestamp for feeds, taking the first day of an unknown month or day.
    pub fn rfc3339(&self) -> String {
        format!(
            "{:04}-{:02}-{:02}T00:00:00Z",
            self.year,
            self.month.unwrap_or(1),
            self.day.unwrap_or(1)
        )
    }

    /// `YYYY-MM-DD`, filling in the first day of an unknown month or day (sitemaps want full dates).
    pub fn full(&self) -> String {
        format!(
            "{:04}-{:02}-{:02}",
            self.year,
            self.month.unwrap_or(1),
            self.day.unwrap_or(1)
        )
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
        }
        if let Some(d) = self.day {
            write!(f, "-{d:02}")?;
        }
        Ok(())
    }
}

impl Ord for PartialDate {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.year, self.month.unwrap_or(0), self.day.unwrap_or(0)).cmp(&(
            other.year,
            other.month.unwrap_or(0),
            other.day.unwrap_or(0),
        ))
    }
}

impl PartialOrd for PartialDate {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Why a date could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateError(pub String);

impl FromStr for PartialDate {
    type Err = DateError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let text = text.trim();
        let mut parts = text.split('-');
        let bad = || {
            DateError(format!(
                "`{text}` is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD"
            ))
        };
        let year_text = parts.next().ok_or_else(bad)?;
        if year_text.len() != 4 || !year_text.chars().all(|c| c.is_ascii_digit()) {
            return Err(bad());
        }
        let year: i32 = year_text.parse().map_err(|_| bad())?;
        let number = |part: Option<&str>| -> Result<Option<u8>, DateError> {
            match part {
                None => Ok(None),
                Some(p) if p.len() == 2 && p.chars().all(|c| c.is_ascii_digit()) => {
                    p.parse().map(Some).map_err(|_| bad())
                }
                Some(_) => Err(bad()),
            }
        };
        let month = number(parts.next())?;
        let day = number(parts.next())?;
        if parts.next().is_some() {
            return Err(bad());
        }
        if let Some(m) = month
            && !(1..=12).contains(&m)
        {
            return Err(DateError(format!(
                "`{text}` has no month {m}: months run from 01 to 12"
            )));
        }
        if let (Some(m), Some(d)) = (month, day) {
            let last = time::Month::try_from(m).map_or(31, |month| month.length(year));
            if d == 0 || d > last {
                return Err(DateError(format!(
                    "`{text}` has no day {d}: {} {year} has {last} days",
                    MONTHS[m as usize - 1]
                )));
            }
        }
        Ok(PartialDate { year, month, day })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> PartialDate {
        text.parse().unwrap()
    }

    #[test]
    fn reads_years_months_and_days() {
        assert_eq!(
            date("2020"),
            PartialDate {
                year: 2020,
                month: None,
                day: None
            }
        );
        assert_eq!(date("2020-09-01").to_string(), "2020-09-01");
    }

    #[test]
    fn refuses_impossible_dates() {
        assert!("2021-02-29".parse::<PartialDate>().is_err());
        assert!("2024-02-29".parse::<PartialDate>().is_ok());
        assert!("1900-02-29".parse::<PartialDate>().is_err());
        assert!("2000-02-29".parse::<PartialDate>().is_ok());
        assert!("2020-13".parse::<PartialDate>().is_err());
        assert!("2020-9".parse::<PartialDate>().is_err());
        assert!("20-09-01".parse::<PartialDate>().is_err());
        assert!("2020-09-01-01".parse::<PartialDate>().is_err());
        assert!("last year".parse::<PartialDate>().is_err());
    }

    #[test]
    fn a_less_precise_date_sorts_first() {
        assert!(date("2020") < date("2020-01"));
        assert!(date("2020-01") < date("2020-01-01"));
        assert!(date("2019-12-31") < date("2020"));
    }
}
