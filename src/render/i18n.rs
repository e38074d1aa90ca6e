//! The interface strings as templates use them: the global `t` (the page's
//! language's strings as nested maps), the filters `fill` (placeholders and plural
//! forms), `number` and `in_text`, and the function `language_name`.

use std::borrow::Cow;
use std::sync::Arc;

use tera::{Kwargs, State, Tera, TeraResult, Value};

use crate::config::Language;
use crate::i18n::{Arg, Piece, Strings, pieces};

/// Sets `t` and the filters and function for pages in `strings`' language.
/// `languages` are the collection's, whose names `language_name` knows.
pub fn install(tera: &mut Tera, strings: Arc<Strings>, languages: &[Language]) {
    tera.global_context().insert("t", &strings.tree());
    let s = strings.clone();
    tera.register_filter("fill", move |message: Value, kwargs: Kwargs, _: &State| {
        fill(&s, &message, &kwargs)
    });
    let s = strings.clone();
    tera.register_filter(
        "number",
        move |n: Value, _: Kwargs, _: &State| -> TeraResult<String> {
            match whole(&n) {
                Some(n) => Ok(s.number.format(n)),
                None => Ok(n.to_string()),
            }
        },
    );
    let s = strings.clone();
    tera.register_filter(
        "in_text",
        move |label: &str, _: Kwargs, _: &State| -> String { s.in_text(label) },
    );
    let languages = languages.to_vec();
    tera.register_function(
        "language_name",
        move |kwargs: Kwargs, _: &State| -> TeraResult<String> {
            let code: &str = kwargs.must_get("code")?;
            Ok(language_name(&strings, &languages, code))
        },
    );
}

/// The name of the language `code` in the strings' language: its own entry, else
/// the name the collection declares (in that language itself), else the tag.
pub fn language_name(strings: &Strings, languages: &[Language], code: &str) -> String {
    if let Some(name) = strings.language_name(code) {
        return name.to_string();
    }
    languages
        .iter()
        .find(|l| l.code == code)
        .map_or_else(|| code.to_string(), |l| l.name.clone())
}

/// A non-negative whole number, as counts are.
fn whole(value: &Value) -> Option<u64> {
    value
        .as_u64()
        .or_else(|| value.as_i64().and_then(|n| u64::try_from(n).ok()))
}

/// `message` (a text or a counted phrase's forms) with the keyword arguments in
/// its placeholders. Numbers are written the language's way, and `count` picks the
/// form. When an argument is safe HTML (a link, a `<time>`), the rest is escaped
/// here and the whole is safe; otherwise the text is escaped where it is printed.
fn fill(strings: &Strings, message: &Value, kwargs: &Kwargs) -> TeraResult<Value> {
    let message: serde_json::Value =
        serde_json::to_value(message).map_err(|e| tera::Error::message(e.to_string()))?;
    let mut args: Vec<(String, Arg, bool)> = Vec::new();
    for (key, value) in kwargs.iter() {
        let name = key.to_string();
        let arg = match whole(value) {
            Some(n) => Arg::Count(n),
            None => Arg::Text(Cow::Owned(match value.as_str() {
                Some(text) => text.to_string(),
                None => value.to_string(),
            })),
        };
        args.push((name, arg, value.is_safe()));
    }
    let count = args.iter().find_map(|(name, arg, _)| match arg {
        Arg::Count(n) if name == "count" => Some(*n),
        _ => None,
    });
    let form = strings.form(&message, count);
    let any_safe = args.iter().any(|(_, _, safe)| *safe);
    let mut out = String::with_capacity(form.len() + 32);
    for piece in pieces(form) {
        let (text, safe) = match piece {
            Piece::Literal(text) => (Cow::Borrowed(text), false),
            Piece::Name(name) => match args.iter().find(|(n, _, _)| n == name) {
                Some((_, Arg::Count(n), _)) => (Cow::Owned(strings.number.format(*n)), false),
                Some((_, Arg::Text(text), safe)) => (Cow::Borrowed(text.as_ref()), *safe),
                None => (Cow::Owned(format!("{{{name}}}")), false),
            },
        };
        if any_safe && !safe {
            let mut escaped = Vec::new();
            tera::escape_html(&text, &mut escaped)
                .map_err(|e| tera::Error::message(e.to_string()))?;
            out.push_str(&String::from_utf8_lossy(&escaped));
        } else {
            out.push_str(&text);
        }
    }
    Ok(if any_safe {
        Value::safe_string(&out)
    } else {
        Value::from(out)
    })
}
