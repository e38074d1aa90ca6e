//! Plural categories (CLDR's `zero`, `one`, `two`, `few`, `many`, `other`) and the
//! rules that pick one for a whole number in the languages the default theme ships,
//! plus Arabic. Counts in the interface are whole numbers, so only the integer part
//! of CLDR's rules is needed.

/// A CLDR plural category: which form of a counted phrase a number takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Category {
    Zero,
    One,
    Two,
    Few,
    Many,
    Other,
}

impl Category {
    pub const ALL: [Category; 6] = [
        Category::Zero,
        Category::One,
        Category::Two,
        Category::Few,
        Category::Many,
        Category::Other,
    ];

    /// The name written in an i18n file (`one`, `other`, …).
    pub fn name(self) -> &'static str {
        match self {
            Category::Zero => "zero",
            Category::One => "one",
            Category::Two => "two",
            Category::Few => "few",
            Category::Many => "many",
            Category::Other => "other",
        }
    }

    pub fn from_name(name: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.name() == name)
    }
}

/// The plural rule of a language, by its primary subtag. Languages without a rule
/// here take English's (`one` for 1, `other` for the rest): the closest guess for
/// most European languages, and an i18n file's `other` form is used whenever the
/// form a rule picks is missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// en, de, nl: `one` for 1.
    OneOther,
    /// es, it, pt, ca: `one` for 1, `many` for whole millions.
    OneManyOther,
    /// fr: `one` for 0 and 1, `many` for whole millions.
    French,
    /// cy: zero, one, two, few (3), many (6), other.
    Welsh,
    /// ar: zero, one, two, few (3–10 modulo 100), many (11–99 modulo 100), other.
    Arabic,
}

impl Rule {
    pub fn of(code: &str) -> Rule {
        let primary = code.split('-').next().unwrap_or("").to_ascii_lowercase();
        match primary.as_str() {
            "es" | "it" | "pt" | "ca" => Rule::OneManyOther,
            "fr" => Rule::French,
            "cy" => Rule::Welsh,
            "ar" => Rule::Arabic,
            _ => Rule::OneOther,
        }
    }

    /// The category of the whole number `n`.
    pub fn category(self, n: u64) -> Category {
        let millions = n != 0 && n.is_multiple_of(1_000_000);
        match self {
            Rule::OneOther => match n {
                1 => Category::One,
                _ => Category::Other,
            },
            Rule::OneManyOther => match n {
                1 => Category::One,
                _ if millions => Category::Many,
                _ => Category::Other,
            },
            Rule::French => match n {
                0 | 1 => Category::One,
                _ if millions => Category::Many,
                _ => Category::Other,
            },
            Rule::Welsh => match n {
                0 => Category::Zero,
                1 => Category::One,
                2 => Category::Two,
                3 => Category::Few,
                6 => Category::Many,
                _ => Category::Other,
            },
            Rule::Arabic => match (n, n % 100) {
                (0, _) => Category::Zero,
                (1, _) => Category::One,
                (2, _) => Category::Two,
                (_, 3..=10) => Category::Few,
                (_, 11..=99) => Category::Many,
                _ => Category::Other,
            },
        }
    }

    /// Every category the rule can pick: the forms a counted phrase needs.
    pub fn categories(self) -> &'static [Category] {
        use Category::*;
        match self {
            Rule::OneOther => &[One, Other],
            Rule::OneManyOther | Rule::French => &[One, Many, Other],
            Rule::Welsh | Rule::Arabic => &[Zero, One, Two, Few, Many, Other],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Category::*;
    use super::*;

    fn categories(code: &str, numbers: &[u64]) -> Vec<Category> {
        numbers
            .iter()
            .map(|&n| Rule::of(code).category(n))
            .collect()
    }

    #[test]
    fn english_german_and_dutch_have_one_and_other() {
        for code in ["en", "en-GB", "de", "nl"] {
            assert_eq!(
                categories(code, &[0, 1, 2, 21, 1_000_000]),
                [Other, One, Other, Other, Other],
                "{code}"
            );
            assert_eq!(Rule::of(code).categories(), [One, Other]);
        }
    }

    #[test]
    fn french_counts_zero_as_one_and_whole_millions_as_many() {
        assert_eq!(
            categories("fr", &[0, 1, 2, 999_999, 1_000_000, 2_000_000, 1_000_001]),
            [One, One, Other, Other, Many, Many, Other]
        );
        assert_eq!(categories("fr-CA", &[0]), [One]);
    }

    #[test]
    fn spanish_has_one_many_and_other() {
        assert_eq!(
            categories("es", &[0, 1, 2, 1_000_000, 3_000_000, 1_500_000]),
            [Other, One, Other, Many, Many, Other]
        );
    }

    #[test]
    fn welsh_has_six_forms() {
        assert_eq!(
            categories("cy", &[0, 1, 2, 3, 4, 5, 6, 7, 10, 11, 100, 1_000_000]),
            [
                Zero, One, Two, Few, Other, Other, Many, Other, Other, Other, Other, Other
            ]
        );
        assert_eq!(Rule::of("cy").categories().len(), 6);
    }

    #[test]
    fn arabic_follows_the_last_two_digits() {
        assert_eq!(
            categories("ar", &[0, 1, 2, 3, 10, 11, 99, 100, 102, 103, 111, 1000]),
            [
                Zero, One, Two, Few, Few, Many, Many, Other, Other, Few, Many, Other
            ]
        );
    }

    #[test]
    fn category_names_round_trip() {
        for category in Category::ALL {
            assert_eq!(Category::from_name(category.name()), Some(category));
        }
        assert_eq!(Category::from_name("several"), None);
    }
}
