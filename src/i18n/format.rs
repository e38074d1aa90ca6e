//! Formatting with a language's strings: placeholders filled in messages, numbers
//! and dates written the way the language writes them.

use std::borrow::Cow;
use std::collections::BTreeSet;

use serde_json::Value;

/// A value given to a message's placeholder.
#[derive(Debug, Clone)]
pub enum Arg<'a> {
    Text(Cow<'a, str>),
    /// A count: written in the language's number format, and (named `count`) it
    /// picks the plural form.
    Count(u64),
}

/// A piece of a message: text as it is, or a placeholder's name (`{count}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Piece<'a> {
    Literal(&'a str),
    Name(&'a str),
}

/// A message cut at its placeholders: `{name}` with a name of lowercase letters,
/// digits and `_`; any other brace is text.
pub fn pieces(message: &str) -> Vec<Piece<'_>> {
    let mut pieces = Vec::new();
    let mut rest = message;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let name_len = after
            .find(|c: char| !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'))
            .unwrap_or(after.len());
        if name_len > 0 && after[name_len..].starts_with('}') {
            if open > 0 {
                pieces.push(Piece::Literal(&rest[..open]));
            }
            pieces.push(Piece::Name(&after[..name_len]));
            rest = &after[name_len + 1..];
        } else {
            pieces.push(Piece::Literal(&rest[..=open]));
            rest = after;
        }
    }
    if !rest.is_empty() {
        pieces.push(Piece::Literal(rest));
    }
    pieces
}

/// The placeholders of every form of a message.
pub fn placeholders(message: &Value) -> BTreeSet<String> {
    let texts: Vec<&str> = match message {
        Value::String(text) => vec![text.as_str()],
        Value::Object(forms) => forms.values().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    texts
        .into_iter()
        .flat_map(pieces)
        .filter_map(|p| match p {
            Piece::Name(name) => Some(name.to_string()),
            Piece::Literal(_) => None,
        })
        .collect()
}

/// How a language writes whole numbers: a separator between groups of three digits,
/// used from `minimum_grouping` + 3 digits on (Spanish writes 1000 but 10.000).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NumberFormat {
    pub group: String,
    pub minimum_grouping: usize,
}

impl NumberFormat {
    pub fn format(&self, n: u64) -> String {
        let digits = n.to_string();
        if digits.len() < 3 + self.minimum_grouping.max(1) {
            return digits;
        }
        let mut out = String::with_capacity(digits.len() + digits.len() / 3 * self.group.len());
        for (i, digit) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push_str(&self.group);
            }
            out.push(digit);
        }
        out
    }
}

/// How a language writes a date known to the day, the month or the year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateFormat {
    /// January to December.
    pub months: Vec<String>,
    /// With `{day}`, `{month}` and `{year}`: `{day} {month} {year}`.
    pub day: String,
    /// With `{month}` and `{year}`.
    pub month: String,
    /// How the first day of a month is written (`1er` in French).
    pub first_of_month: String,
}

impl DateFormat {
    pub fn format(&self, year: i32, month: Option<u8>, day: Option<u8>) -> String {
        let Some(name) = month.and_then(|m| self.months.get(usize::from(m).checked_sub(1)?)) else {
            return year.to_string();
        };
        let day = day.map(|d| match d {
            1 => self.first_of_month.clone(),
            d => d.to_string(),
        });
        let pattern = if day.is_some() {
            &self.day
        } else {
            &self.month
        };
        substitute(pattern, |name_of| match name_of {
            "day" => day.clone(),
            "month" => Some(name.clone()),
            "year" => Some(year.to_string()),
            _ => None,
        })
    }
}

/// `message` with each placeholder replaced by what `value` gives for its name; a
/// name it gives nothing for is left as written, so the mistake shows.
pub fn substitute(message: &str, value: impl Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(message.len() + 16);
    for piece in pieces(message) {
        match piece {
            Piece::Literal(text) => out.push_str(text),
            Piece::Name(name) => match value(name) {
                Some(v) => out.push_str(&v),
                None => {
                    out.push('{');
                    out.push_str(name);
                    out.push('}');
                }
            },
        }
    }
    out
}
