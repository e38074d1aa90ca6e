//! Where each kind of problem in front matter and almanac.yaml is shown: the exact
//! line, column and end of `check --format json`, on fixture collections under
//! tests/fixtures/positions with one problem per file (or per config).

use serde_json::Value;

use crate::support::{almanac, fixture, fixture_path};

/// Start line, start column, end line, end column.
type Place = (u64, u64, u64, u64);

/// The diagnostics `check --format json` gives for a fixture collection.
fn check(name: &str) -> Vec<Value> {
    let run = almanac(&fixture_path(name), &["check", "--format", "json"]);
    assert_eq!(run.status, 1, "{}", run.stderr);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    let items: Value = serde_json::from_str(&run.stdout).expect("JSON on stdout");
    items.as_array().expect("an array").clone()
}

/// The one diagnostic with `code` in `file`, and where it is.
fn found<'a>(items: &'a [Value], file: &str, code: &str) -> (&'a Value, Place) {
    let matching: Vec<&Value> = items
        .iter()
        .filter(|d| d["file"] == file && d["code"] == code)
        .collect();
    assert_eq!(matching.len(), 1, "one `{code}` in {file}: {items:#?}");
    (matching[0], place_of(matching[0]))
}

fn place_of(d: &Value) -> Place {
    let number = |key: &str| d[key].as_u64().unwrap_or_else(|| panic!("{key} in {d}"));
    (
        number("line"),
        number("column"),
        number("end_line"),
        number("end_column"),
    )
}

/// Each diagnostic's file, code, message and place, in the order reported.
fn summary(items: &[Value]) -> Vec<(&str, &str, &str, Place)> {
    items
        .iter()
        .map(|d| {
            let text = |key: &str| d[key].as_str().unwrap_or_default();
            (text("file"), text("code"), text("message"), place_of(d))
        })
        .collect()
}

fn front_matter(file: &str, code: &str) -> (Value, Place) {
    let items = check("positions/front-matter");
    let (d, place) = found(&items, &format!("content/notes/{file}"), code);
    (d.clone(), place)
}

#[test]
fn invalid_yaml_syntax_is_shown_at_the_parser_mark() {
    // `summary: [unclosed` on line 3: the reader gives up at the next line's `:`.
    let (d, place) = front_matter("syntax.md", "yaml");
    assert_eq!(place, (4, 5, 4, 5));
    assert_eq!(
        d["message"],
        "did not find expected ',' or ']', while parsing a flow sequence at line 3 column 10"
    );
}

#[test]
fn unclosed_front_matter_is_shown_at_the_opening_line() {
    let (_, place) = front_matter("unclosed.md", "front-matter-not-closed");
    assert_eq!(place, (1, 1, 1, 4));
}

#[test]
fn a_missing_title_is_shown_at_the_opening_line_or_the_empty_key() {
    assert_eq!(front_matter("no-title.md", "missing-title").1, (1, 1, 1, 4));
    assert_eq!(
        front_matter("empty-title.md", "missing-title").1,
        (2, 1, 2, 6)
    );
}

#[test]
fn a_field_of_the_wrong_type_is_shown_at_its_key() {
    let (d, place) = front_matter("list-for-text.md", "field-type");
    assert_eq!(place, (3, 1, 3, 8));
    assert_eq!(d["message"], "`summary` must be text, not a list");
    let (d, place) = front_matter("scalar-for-list.md", "field-type");
    assert_eq!(place, (4, 1, 4, 8));
    assert_eq!(
        d["message"],
        "`authors` must be a list of texts, not `true`"
    );
}

#[test]
fn an_unknown_field_is_shown_at_its_key_with_a_suggestion() {
    let (d, place) = front_matter("unknown-field.md", "unknown-field");
    assert_eq!(place, (3, 1, 3, 7));
    assert_eq!(d["help"], "did you mean `summary`?");
}

#[test]
fn an_unknown_term_is_shown_where_it_is_written() {
    let (d, place) = front_matter("terms-block.md", "unknown-term");
    assert_eq!(place, (6, 5, 6, 12));
    assert_eq!(d["help"], "did you mean `privacy`?");
    // Quoted in a flow list: the quotes are part of what is underlined.
    let (d, place) = front_matter("terms-flow.md", "unknown-term");
    assert_eq!(place, (4, 24, 4, 38));
    assert_eq!(d["help"], "did you mean `transparency`?");
    let (d, place) = front_matter("term-scalar.md", "unknown-term");
    assert_eq!(place, (4, 7, 4, 15));
    assert_eq!(d["help"], "did you mean `guidance`?");
}

#[test]
fn an_unknown_term_is_not_confused_with_the_same_text_earlier_in_the_file() {
    // `privasy` is in the title, a block string, a comment line and a comment after
    // the list's first item before the item that names it.
    let (_, place) = front_matter("term-written-earlier.md", "unknown-term");
    assert_eq!(place, (9, 5, 9, 12));
}

#[test]
fn a_bad_date_is_shown_at_its_value() {
    assert_eq!(front_matter("bad-date.md", "date").1, (4, 12, 4, 23));
}

#[test]
fn an_address_that_is_not_http_is_shown_at_its_value() {
    // The summary quotes the same text on the line before.
    assert_eq!(front_matter("bad-url.md", "url-scheme").1, (4, 6, 4, 27));
}

#[test]
fn a_duplicated_key_is_shown_at_the_repeat_and_names_the_first() {
    let (d, place) = front_matter("duplicate-key.md", "duplicate-key");
    assert_eq!(place, (4, 1, 4, 6));
    assert_eq!(
        d["message"],
        "`title` is declared twice; the first is on line 2"
    );
}

#[test]
fn a_related_path_to_nothing_is_shown_at_the_item() {
    let (d, place) = front_matter("related-to-nothing.md", "broken-link");
    assert_eq!(place, (6, 5, 6, 21));
    assert_eq!(
        d["message"],
        "`related` names `notes/missing.md`, which is not in the collection"
    );
}

#[test]
fn the_valid_entry_beside_them_has_no_problem() {
    let items = check("positions/front-matter");
    assert!(
        !items.iter().any(|d| d["file"] == "content/notes/fine.md"),
        "{items:#?}"
    );
}

#[test]
fn config_unknown_key_is_shown_at_the_key() {
    let items = check("positions/config-unknown-key");
    let (d, place) = found(&items, "almanac.yaml", "yaml");
    assert_eq!(place, (6, 5, 6, 10));
    assert_eq!(d["help"], "did you mean `label`?");
}

#[test]
fn config_wrong_type_is_shown_at_the_value() {
    let items = check("positions/config-wrong-type");
    let (d, place) = found(&items, "almanac.yaml", "yaml");
    assert_eq!(place, (4, 14, 4, 18));
    assert_eq!(d["label"], "wrong type");
}

#[test]
fn config_duplicate_keys_are_each_shown_at_the_repeat() {
    let items = check("positions/config-duplicate-key");
    assert_eq!(
        summary(&items),
        [
            (
                "almanac.yaml",
                "duplicate-key",
                "`guidance` is declared twice; the first is on line 6",
                (8, 7, 8, 15)
            ),
            (
                "almanac.yaml",
                "duplicate-key",
                "`title` is declared twice; the first is on line 1",
                (9, 1, 9, 6)
            ),
        ]
    );
}

#[test]
fn config_bad_taxonomy_names_are_shown_where_each_is_declared() {
    // Both names also appear earlier: in the title and on the matrix line.
    let items = check("positions/config-taxonomy-name");
    assert_eq!(
        summary(&items),
        [
            (
                "almanac.yaml",
                "config",
                "taxonomy name `Topics` must be lowercase letters, digits and `-`",
                (6, 11, 6, 17)
            ),
            (
                "almanac.yaml",
                "config",
                "taxonomy `type` is declared twice; the first is on line 5",
                (7, 11, 7, 15)
            ),
        ]
    );
}

#[test]
fn new_shows_a_config_problem_where_it_is() {
    let dir = fixture("positions/config-unknown-key");
    let run = almanac(dir.path(), &["new", "notes/an-entry"]);
    assert_eq!(run.status, 1, "{}", run.stderr);
    for needle in ["almanac.yaml:6:5", "lable: Type", "did you mean `label`?"] {
        assert!(
            run.stderr.contains(needle),
            "`{needle}` in:\n{}",
            run.stderr
        );
    }
    assert!(!dir.path().join("content/notes/an-entry.md").exists());
}
