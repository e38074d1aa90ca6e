//! Character references in Markdown (`&#xFFFE;`, `&#x7;`) write characters the
//! file's own text may not hold; wherever the Markdown puts them (text, a link's
//! address or title, an image's, a code block's language) no page carries one.

use crate::support::{almanac, edit, fixture, read};

#[test]
fn references_to_forbidden_characters_reach_no_attribute() {
    let dir = fixture("build/basic");
    edit(
        dir.path(),
        "content/guidance/beta-guide.md",
        "Fairness matters in procurement.",
        "See [the framework](&#xFFFE;/alpha/) and [a term][t], ![a chart](https://e.example/c&#xFFFF;.png).\n\n\
         ```rust&#xFFFE;x\nlet a = 1;\n```\n\n[t]: /glossary/&#x7;fairness/",
    );
    let run = almanac(dir.path(), &["build"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let page = read(&dir.path().join("site"), "guidance/beta-guide/index.html");
    let found: Vec<String> = page
        .char_indices()
        .filter(|(_, c)| almanac::paths::forbidden(*c))
        .map(|(at, c)| {
            format!(
                "U+{:04X} in …{}",
                c as u32,
                &page[at.saturating_sub(30)..at]
            )
        })
        .collect();
    assert!(found.is_empty(), "{found:?}");
    assert!(page.contains("href=\"%EF%BF%BE/alpha/\""), "{page}");
    assert!(page.contains("language-rust\u{fffd}x"), "{page}");
}
