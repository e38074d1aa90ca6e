//! Acronyms a collection defines in its own text: "General Data Protection
//! Regulation (GDPR)" makes GDPR and its long form one name to a search.
//!
//! A short form in brackets is taken as an abbreviation of the words before it
//! when its letters can be found, in order, in those words, its first letter
//! starting one of them (the method of Schwartz and Hearst, 2003); the long
//! form runs from that word to the bracket. "Regulation (EU)" and "Data
//! Protection Commission (Singapore)" define nothing.

/// `(short form, long form)` pairs defined in `text`, in the order found.
pub(crate) fn definitions(text: &str) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let mut rest = text;
    let mut offset = 0;
    while let Some(open) = rest.find('(') {
        let at = offset + open;
        let Some(close) = text[at + 1..].find(')') else {
            break;
        };
        let inner = text[at + 1..at + 1 + close].trim();
        if let Some(short) = short_form(inner)
            && let Some(long) = long_form(&text[..at], short)
        {
            found.push((short.to_owned(), long));
        }
        offset = at + 1;
        rest = &text[offset..];
    }
    found
}

/// `inner` when it looks like an acronym: one word of 2 to 10 letters and
/// digits, starting with a letter, with at least two capitals.
fn short_form(inner: &str) -> Option<&str> {
    let chars: Vec<char> = inner.chars().collect();
    let ok = (2..=10).contains(&chars.len())
        && chars[0].is_alphabetic()
        && chars.iter().all(|c| c.is_alphanumeric())
        && chars.iter().filter(|c| c.is_uppercase()).count() >= 2;
    ok.then_some(inner)
}

/// The words before the bracket that `short` abbreviates, if any.
fn long_form(before: &str, short: &str) -> Option<String> {
    let letters: Vec<char> = short
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    // At most min(|A| + 5, 2|A|) words, as Schwartz and Hearst bound it, and
    // never across the end of a sentence or another bracket.
    let limit = (letters.len() + 5).min(2 * letters.len());
    let clause = before
        .rsplit(['.', ';', ':', '(', ')', '\n'])
        .next()
        .unwrap_or_default();
    let words: Vec<&str> = clause.split_whitespace().collect();
    let words = &words[words.len().saturating_sub(limit)..];
    let written = words.join(" ");
    // One lowercase char per written char, so positions carry over.
    let candidate: Vec<char> = written
        .chars()
        .map(|c| c.to_lowercase().next().unwrap_or(c))
        .collect();
    // Match the short form's letters from the last, backwards; the first
    // letter must start a word.
    let mut at = candidate.len();
    for (i, letter) in letters.iter().enumerate().rev() {
        loop {
            if at == 0 {
                return None;
            }
            at -= 1;
            let starts_word = at == 0 || !candidate[at - 1].is_alphanumeric();
            if candidate[at] == *letter && (i > 0 || starts_word) {
                break;
            }
        }
    }
    let long: String = written.chars().skip(at).collect();
    // A long form of one word is a spelling, not an expansion.
    (long.split_whitespace().count() >= 2).then_some(long)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(text: &str) -> Vec<(String, String)> {
        definitions(text)
    }

    #[test]
    fn finds_long_forms_before_brackets() {
        assert_eq!(
            pairs("Regulation (EU) 2016/679 - General Data Protection Regulation (GDPR)"),
            [(
                "GDPR".to_owned(),
                "General Data Protection Regulation".to_owned()
            )]
        );
        assert_eq!(
            pairs("the Assessment List for Trustworthy Artificial Intelligence (ALTAI) helps"),
            [(
                "ALTAI".to_owned(),
                "Assessment List for Trustworthy Artificial Intelligence".to_owned()
            )]
        );
        assert_eq!(
            pairs("Fundamental Rights and Algorithms Impact Assessment (FRAIA)"),
            [(
                "FRAIA".to_owned(),
                "Fundamental Rights and Algorithms Impact Assessment".to_owned()
            )]
        );
        assert_eq!(
            pairs("AI Fairness 360 (AIF360)"),
            [("AIF360".to_owned(), "AI Fairness 360".to_owned())]
        );
    }

    #[test]
    fn brackets_that_abbreviate_nothing_define_nothing() {
        assert!(pairs("Office of the Privacy Commissioner (NZ)").is_empty());
        assert!(pairs("Personal Data Protection Commission (Singapore)").is_empty());
        assert!(pairs("a guide (second edition) and (AB) alone").is_empty());
        assert!(pairs("unclosed (GDPR").is_empty());
    }
}
