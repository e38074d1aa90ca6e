//! Citable entries: the BibTeX, CSL-JSON and RIS read back and list the same
//! resources, resource pages carry their reference and what reference managers
//! save them from, and the formatted references are remembered between builds.

use std::collections::BTreeSet;

use biblatex::ChunksExt;

use crate::exports::{built, resource_ids};
use crate::support::{almanac, edit, fixture, read};

#[test]
fn bibtex_csl_json_and_ris_read_back_and_list_the_same_resources() {
    let (_dir, site) = built();
    let ids = resource_ids(&site);
    assert_eq!(ids.len(), 9);

    let bib = read(&site, "resources.bib");
    let bibliography = biblatex::Bibliography::parse(&bib).expect("BibTeX that parses");
    let mut keys = Vec::new();
    for entry in bibliography.iter() {
        for field in ["title", "url", "urldate"] {
            assert!(entry.get(field).is_some(), "{} has no {field}", entry.key);
        }
        keys.push(entry.key.replace(':', "/"));
    }
    assert_eq!(keys, ids);
    let report = bibliography.get("research:state-of-ai").unwrap();
    assert_eq!(
        report.title().unwrap().format_verbatim(),
        "The State of AI & Data: {Braces}, 100% and $ signs",
        "TeX's special characters are escaped and read back"
    );
    let authors = report.author().unwrap();
    assert_eq!(
        (authors[1].name.as_str(), authors[1].given_name.as_str()),
        ("Hopper", "Grace")
    );

    let items: Vec<serde_json::Value> =
        serde_json::from_str(&read(&site, "resources.csl.json")).unwrap();
    let mut types = BTreeSet::new();
    for item in &items {
        for field in ["id", "type", "title", "URL"] {
            assert!(item.get(field).is_some(), "{item} has no {field}");
        }
        let kind: hayagriva::citationberg::taxonomy::Kind =
            serde_json::from_value(item["type"].clone()).expect("a CSL type");
        types.insert(format!("{kind:?}"));
    }
    assert_eq!(
        items
            .iter()
            .map(|i| i["id"].as_str().unwrap())
            .collect::<Vec<_>>(),
        ids
    );
    assert_eq!(
        types.len(),
        9,
        "every kind of resource has its CSL type: {types:?}"
    );
    // Partial dates stay partial; the review date is the access date.
    let report = items
        .iter()
        .find(|i| i["id"] == "research/state-of-ai")
        .unwrap();
    assert_eq!(
        report["issued"]["date-parts"],
        serde_json::json!([[2023, 9]])
    );
    assert_eq!(
        report["accessed"]["date-parts"],
        serde_json::json!([[2025, 9, 15]])
    );
    let law = items.iter().find(|i| i["id"] == "law/ai-act").unwrap();
    assert_eq!(
        law["author"],
        serde_json::json!([{"literal": "European Parliament"}, {"literal": "Council of the European Union"}]),
        "organisations are authors where no person is"
    );

    let ris = read(&site, "resources.ris");
    let records: Vec<&str> = ris.split_inclusive("ER  - \r\n").collect();
    let mut ris_ids = Vec::new();
    for record in &records {
        let lines: Vec<&str> = record.split("\r\n").filter(|l| !l.is_empty()).collect();
        assert!(lines[0].starts_with("TY  - "), "{record}");
        assert_eq!(*lines.last().unwrap(), "ER  - ");
        assert!(
            lines.iter().all(|l| l.len() >= 6 && &l[2..6] == "  - "),
            "{record}"
        );
        ris_ids.extend(lines.iter().filter_map(|l| l.strip_prefix("ID  - ")));
    }
    assert_eq!(ris_ids, ids);

    let table = read(&site, "resources.csv");
    let mut csv = csv::Reader::from_reader(table.as_bytes());
    let column = csv
        .headers()
        .unwrap()
        .iter()
        .position(|h| h == "id")
        .expect("an id column");
    let csv_ids: Vec<String> = csv
        .records()
        .map(|r| r.unwrap()[column].to_string())
        .collect();
    assert_eq!(csv_ids, ids, "the CSV lists the same resources");
}

#[test]
fn resource_pages_carry_their_reference_and_what_reference_managers_read() {
    let (_dir, site) = built();
    for id in resource_ids(&site) {
        for folder in ["", "fr/"] {
            let page = format!("{folder}{id}/index.html");
            if !site.join(&page).exists() {
                assert_eq!(folder, "fr/", "{page}");
                continue;
            }
            let html = read(&site, &page);
            let dated = id != "tools/register-data";
            for tag in [
                "citation_title",
                "citation_author",
                "DC.title",
                "DC.creator",
                "citation_publication_date",
                "DC.date",
            ] {
                if !dated && tag.contains("date") {
                    // Its publication date is not known.
                    assert!(!html.contains(&format!("<meta name=\"{tag}\"")), "{page}");
                    continue;
                }
                assert!(
                    html.contains(&format!("<meta name=\"{tag}\"")),
                    "{page}: {tag}"
                );
            }
            let reference = html
                .split("id=\"reference\"")
                .nth(1)
                .expect("a formatted reference");
            let reference = &reference[..reference.find("</p>").unwrap()];
            assert!(!reference.contains("style="), "{page}: {reference}");
            let slug = id.rsplit('/').next().unwrap();
            for ext in ["bib", "ris", "csl.json"] {
                let file = format!("{folder}{id}/{slug}.{ext}");
                assert!(site.join(&file).is_file(), "{file}");
                assert!(
                    html.contains(&format!("href=\"/library/{file}\"")),
                    "{page} links {file}"
                );
            }
        }
    }
    let law = read(&site, "law/ai-act/index.html");
    assert!(law.contains("<meta name=\"citation_publication_date\" content=\"2024/06/13\">"));
    assert!(law.contains("<meta name=\"citation_author\" content=\"European Parliament,\">"));
    assert!(
        law.contains("\"@type\":\"Legislation\""),
        "schema.org per type"
    );
    assert!(law.contains("\"legislationLegalForce\":\"https://schema.org/InForce\""));
    assert!(
        law.contains("Available at:"),
        "Harvard, as almanac.yaml says"
    );
    let french = read(&site, "fr/law/ai-act/index.html");
    assert!(
        french.contains("Disponible sur"),
        "the reference in the page's language"
    );
    assert!(french.contains("content=\"Règlement (UE) 2024/1689"));
    let report = read(&site, "research/state-of-ai/index.html");
    assert!(report.contains(
        "<meta name=\"citation_pdf_url\" content=\"https://example.org/reports/state-of-ai.pdf\">"
    ));
    assert!(report.contains("<meta name=\"citation_publication_date\" content=\"2023/09\">"));
    assert!(report.contains("\"@type\":\"Report\""));
    let paper = read(&site, "research/five-principles/index.html");
    assert!(paper.contains("\"@type\":\"ScholarlyArticle\""));
    // The copy button's script is a file: no inline script under the policy.
    assert!(site.join("cite.js").is_file());
    assert!(law.contains("<script src=\"/library/cite.js\" defer></script>"));
    // The footer lists every export with its format, and the licence.
    for href in [
        "resources.bib",
        "resources.ris",
        "resources.csl.json",
        "catalog.ttl",
        "vocabularies/principles.jsonld",
    ] {
        assert!(
            law.contains(&format!("href=\"/library/{href}\"")),
            "footer: {href}"
        );
    }
    assert!(law.contains("rel=\"license\">CC-BY-4.0</a>"));
}

#[test]
fn without_a_style_the_pages_keep_the_downloads_but_format_no_reference() {
    let dir = fixture("exports/citable");
    edit(dir.path(), "almanac.yaml", "style: harvard", "style: none");
    let run = almanac(dir.path(), &["build"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let page = read(&dir.path().join("site"), "law/ai-act/index.html");
    assert!(!page.contains("id=\"reference\""));
    assert!(page.contains("href=\"/library/law/ai-act/ai-act.bib\""));
    assert!(page.contains("<meta name=\"citation_title\""));
}

#[test]
fn a_build_takes_up_the_references_the_last_one_formatted_unless_their_item_or_style_changed() {
    let dir = fixture("exports/citable");
    let run = almanac(dir.path(), &["build", "--timings"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let memo_path = dir.path().join(".site.almanac-citations");
    let site = dir.path().join("site");
    let first = read(&site, "law/ai-act/index.html");
    // What the next build finds there is what it shows: mark every reference.
    let mut memo: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&memo_path).unwrap()).unwrap();
    assert_eq!(memo["style"], "harvard-cite-them-right");
    let references = memo["references"].as_object_mut().unwrap();
    let n = references.len();
    assert!(n >= 10, "{n}");
    // `--timings` says how the build came by them: here, all formatted.
    let counts = |formatted: usize, recalled: usize| {
        format!("references: {formatted} formatted, {recalled} from the last build")
    };
    assert!(run.stderr.contains(&counts(n, 0)), "{}", run.stderr);
    for html in references.values_mut() {
        *html = "<i>remembered</i>".into();
    }
    std::fs::write(&memo_path, memo.to_string()).unwrap();

    let run = almanac(dir.path(), &["build", "--timings"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(run.stderr.contains(&counts(0, n)), "{}", run.stderr);
    assert!(read(&site, "law/ai-act/index.html").contains("<i>remembered</i>"));
    assert!(read(&site, "tools/fairlearn/index.html").contains("<i>remembered</i>"));

    // A changed entry is formatted again; the others are still taken up.
    edit(
        dir.path(),
        "content/law/ai-act.md",
        "(Artificial Intelligence Act)",
        "(AI Act)",
    );
    let run = almanac(dir.path(), &["build", "--timings"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(run.stderr.contains(&counts(1, n - 1)), "{}", run.stderr);
    let changed = read(&site, "law/ai-act/index.html");
    assert!(!changed.contains("<i>remembered</i>"));
    assert!(changed.contains("(AI Act)"));
    assert!(read(&site, "tools/fairlearn/index.html").contains("<i>remembered</i>"));

    // Another style formats everything anew, and the memo is now that style's.
    edit(dir.path(), "almanac.yaml", "style: harvard", "style: apa");
    let run = almanac(dir.path(), &["build"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(!read(&site, "tools/fairlearn/index.html").contains("<i>remembered</i>"));
    let memo: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&memo_path).unwrap()).unwrap();
    assert_eq!(memo["style"], "american-psychological-association");
    assert!(!first.contains("<i>remembered</i>"));
}

/// The `content` of each `<meta name="…">` of a page, in order.
fn meta_tags(html: &str) -> Vec<(String, String)> {
    html.split("<meta name=\"")
        .skip(1)
        .filter_map(|rest| {
            let (name, rest) = rest.split_once('"')?;
            let content = rest.strip_prefix(" content=\"")?.split('"').next()?;
            Some((name.to_string(), content.to_string()))
        })
        .collect()
}

/// The item type Zotero's connector saves a page as, decided as its "Embedded
/// Metadata" translator (and the RDF translator it hands `DC.*` to) decide: a
/// Highwire tag that names a kind of publication wins; then `og:type` `website`;
/// then a `DC.type` that names a Zotero item type (or an eprints type); and
/// otherwise the journal article it guesses from `citation_title`.
fn zotero_item_type(html: &str) -> String {
    const ITEM_TYPES: [&str; 9] = [
        "statute",
        "standard",
        "report",
        "journalArticle",
        "computerProgram",
        "dataset",
        "webpage",
        "presentation",
        "document",
    ];
    let tags = meta_tags(html);
    let named = |name: &str| {
        tags.iter()
            .find(|(n, _)| n == name)
            .map(|(_, c)| c.as_str())
    };
    for (tag, kind) in [
        ("citation_journal_title", "journalArticle"),
        ("citation_technical_report_institution", "report"),
        ("citation_conference_title", "conferencePaper"),
        ("citation_conference", "conferencePaper"),
        ("citation_book_title", "bookSection"),
        ("citation_inbook_title", "bookSection"),
        ("citation_dissertation_institution", "thesis"),
    ] {
        if named(tag).is_some() {
            return kind.to_string();
        }
    }
    if html.contains("<meta property=\"og:type\" content=\"website\">") {
        return "webpage".to_string();
    }
    if let Some(dc) = named("DC.type") {
        if ITEM_TYPES.contains(&dc) {
            return dc.to_string();
        }
        match dc.to_lowercase().replace(' ', "").as_str() {
            "report" | "workingpaper" => return "report".to_string(),
            "dataset" => return "dataset".to_string(),
            "article" | "journalarticle" => return "journalArticle".to_string(),
            "webpage" | "homepage" => return "webpage".to_string(),
            _ => {}
        }
    }
    assert!(named("citation_title").is_some());
    "journalArticle".to_string()
}

/// A `citation_author` as Zotero's connector reads it (`cleanAuthor`): with a
/// comma, the family name before it and the given name after; without, split at
/// the last space. Trailing punctuation is dropped first.
fn zotero_creator(value: &str) -> (String, String) {
    let with_comma = value.contains(',');
    let name = value.trim_end_matches([' ', '.', ',', '/', '[', ']', ':']);
    if with_comma {
        let mut parts = name.splitn(2, ',');
        let family = parts.next().unwrap_or("").trim().to_string();
        let given = parts.next().unwrap_or("").trim().to_string();
        (family, given)
    } else {
        match name.rsplit_once(' ') {
            Some((given, family)) => (family.to_string(), given.to_string()),
            None => (name.to_string(), String::new()),
        }
    }
}

#[test]
fn zotero_saves_each_kind_of_resource_as_its_item_type() {
    let (_dir, site) = built();
    for (id, item_type) in [
        ("law/ai-act", "statute"),
        ("research/ieee-7000", "standard"),
        ("research/state-of-ai", "report"),
        ("research/five-principles", "journalArticle"),
        ("tools/fairlearn", "computerProgram"),
        ("tools/register-data", "dataset"),
        ("tools/workshop-kit", "webpage"),
        ("research/summit", "presentation"),
        ("tools/unverified-guide", "webpage"),
    ] {
        let html = read(&site, &format!("{id}/index.html"));
        assert_eq!(zotero_item_type(&html), item_type, "{id}");
    }
    // Authors as Zotero reads them: people by family and given name,
    // organisations whole.
    let authors = |id: &str| -> Vec<(String, String)> {
        meta_tags(&read(&site, &format!("{id}/index.html")))
            .into_iter()
            .filter(|(name, _)| name == "citation_author")
            .map(|(_, value)| zotero_creator(&value))
            .collect()
    };
    let pair = |family: &str, given: &str| (family.to_string(), given.to_string());
    assert_eq!(
        authors("law/ai-act"),
        [
            pair("European Parliament", ""),
            pair("Council of the European Union", "")
        ]
    );
    assert_eq!(
        authors("research/state-of-ai"),
        [pair("Lovelace", "Ada"), pair("Hopper", "Grace")]
    );
    // The DCMI type stays, as Dublin Core's terms say it.
    let law = read(&site, "law/ai-act/index.html");
    assert!(law.contains("<link rel=\"schema.DCTERMS\" href=\"http://purl.org/dc/terms/\">"));
    assert!(law.contains("<meta name=\"DCTERMS.type\" content=\"Text\">"));
    let tool = read(&site, "tools/fairlearn/index.html");
    assert!(tool.contains("<meta name=\"DCTERMS.type\" content=\"Software\">"));
}

#[test]
fn an_organisation_among_the_authors_is_cited_by_its_whole_name() {
    let dir = fixture("exports/citable");
    edit(
        dir.path(),
        "content/research/summit.md",
        "publisher: Example Society",
        "publisher: Example Society\nauthors: [AI Now Institute, Jane Smith, Council of Europe]",
    );
    let run = almanac(dir.path(), &["build"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let site = dir.path().join("site");

    let items: Vec<serde_json::Value> =
        serde_json::from_str(&read(&site, "resources.csl.json")).unwrap();
    let summit = items.iter().find(|i| i["id"] == "research/summit").unwrap();
    assert_eq!(
        summit["author"],
        serde_json::json!([
            {"literal": "AI Now Institute"},
            {"family": "Smith", "given": "Jane"},
            {"literal": "Council of Europe"}
        ])
    );
    assert_eq!(summit["publisher"], "Example Society");

    let bib = read(&site, "resources.bib");
    let bibliography = biblatex::Bibliography::parse(&bib).expect("BibTeX that parses");
    let entry = bibliography.get("research:summit").unwrap();
    let authors = entry.author().unwrap();
    assert_eq!(
        authors
            .iter()
            .map(|a| (a.name.as_str(), a.given_name.as_str()))
            .collect::<Vec<_>>(),
        [
            ("AI Now Institute", ""),
            ("Smith", "Jane"),
            ("Council of Europe", "")
        ],
        "{bib}"
    );
    assert!(bib.contains("{AI Now Institute}"), "{bib}");

    let ris = read(&site, "research/summit/summit.ris");
    assert!(
        ris.contains("AU  - AI Now Institute\r\nAU  - Smith, Jane\r\nAU  - Council of Europe\r\n")
    );

    let page = read(&site, "research/summit/index.html");
    assert!(page.contains("<meta name=\"citation_author\" content=\"AI Now Institute,\">"));
    assert!(
        page.contains("{\"@type\":\"Organization\",\"name\":\"AI Now Institute\"}"),
        "{page}"
    );
    assert!(page.contains("{\"@type\":\"Person\",\"name\":\"Jane Smith\"}"));
    assert!(page.contains("{\"@type\":\"Organization\",\"name\":\"Council of Europe\"}"));
}

#[test]
fn harvard_writes_british_dates_on_english_pages() {
    let (_dir, site) = built();
    // Cite Them Right names no default locale but is written in British English.
    let law = read(&site, "law/ai-act/index.html");
    assert!(law.contains("(Accessed: 1 October 2025)"), "{law}");
    let french = read(&site, "fr/law/ai-act/index.html");
    assert!(french.contains("1 octobre 2025"), "{french}");
}

#[test]
fn legislation_names_its_jurisdiction_in_its_json_ld() {
    let dir = fixture("exports/citable");
    edit(
        dir.path(),
        "almanac.yaml",
        "  - name: topics\n",
        "  - name: jurisdiction\n    label: Jurisdiction\n    terms:\n      eu: { label: { en: European Union, fr: Union européenne } }\n      be: { label: { en: Belgium, fr: Belgique } }\n  - name: topics\n",
    );
    edit(
        dir.path(),
        "content/law/ai-act.md",
        "type: legislation\n",
        "type: legislation\njurisdiction: [eu, be]\n",
    );
    let run = almanac(dir.path(), &["build"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let site = dir.path().join("site");
    let law = read(&site, "law/ai-act/index.html");
    assert!(
        law.contains("\"legislationJurisdiction\":\"European Union, Belgium\""),
        "{law}"
    );
    assert!(law.contains("\"legislationLegalForce\":\"https://schema.org/InForce\""));
    assert!(law.contains("\"legislationType\":\"Legislation\""));
}

#[test]
fn a_legal_force_is_one_of_schema_orgs_or_left_out() {
    for (written, expected) in [
        ("partially in force", Some("PartiallyInForce")),
        ("not-in-force", Some("NotInForce")),
        ("InForce", Some("InForce")),
        ("repealed", None),
    ] {
        let dir = fixture("exports/citable");
        edit(
            dir.path(),
            "content/law/ai-act.md",
            "legal_force: InForce",
            &format!("legal_force: {written}"),
        );
        let run = almanac(dir.path(), &["build"]);
        assert_eq!(run.status, 0, "{}", run.stderr);
        let law = read(&dir.path().join("site"), "law/ai-act/index.html");
        match expected {
            Some(status) => assert!(
                law.contains(&format!(
                    "\"legislationLegalForce\":\"https://schema.org/{status}\""
                )),
                "{written}: {law}"
            ),
            None => assert!(!law.contains("legislationLegalForce"), "{written}: {law}"),
        }
    }
}
