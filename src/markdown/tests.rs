//! Tests of `render`: one per behaviour the checker, the theme and readers rely on.

use super::*;

fn resolve(path: &str) -> Option<String> {
    match path {
        "guidance/x.md" => Some("/guidance/x/".to_owned()),
        "img/chart.svg" => Some("/img/chart.svg".to_owned()),
        _ => None,
    }
}

fn render_with(
    source: &str,
    allow_html: bool,
    glossary: Option<&Autolinker>,
    self_url: &str,
) -> Rendered {
    let options = Options { allow_html };
    let cx = RenderContext {
        options: &options,
        resolve: &resolve,
        autolink: glossary,
        self_url,
    };
    render(source, &cx)
}

fn html(source: &str) -> String {
    render_with(source, false, None, "/page/").html
}

fn glossary() -> Autolinker {
    let entry = |phrase: &str, url: &str, definition: &str| {
        (phrase.to_owned(), url.to_owned(), definition.to_owned())
    };
    Autolinker::new(vec![
        entry(
            "algorithmic bias",
            "/glossary/algorithmic-bias/",
            "Systematic \"unfair\" outcomes.",
        ),
        entry("bias", "/glossary/bias/", "A tilt."),
        entry("open data", "/glossary/open-data/", "Data anyone may use."),
        entry("open data portal", "/glossary/portal/", ""),
        entry("AI", "/glossary/ai/", "Artificial intelligence."),
        entry("artificial intelligence", "/glossary/ai/", ""),
    ])
}

fn linked(source: &str, self_url: &str) -> String {
    let glossary = glossary();
    render_with(source, false, Some(&glossary), self_url).html
}

#[test]
fn tables_footnotes_strikethrough_and_task_lists_render() {
    let out = html(
        "| a | b |\n|---|---|\n| 1 | 2 |\n\nText.[^n]\n\n[^n]: The note.\n\n~~old~~\n\n- [x] done\n- [ ] todo\n",
    );
    assert!(out.contains("<table>"), "{out}");
    assert!(out.contains("<th>a</th>"), "{out}");
    assert!(out.contains("<td>2</td>"), "{out}");
    assert!(out.contains("class=\"footnote-reference\""), "{out}");
    assert!(out.contains("class=\"footnote-definition\""), "{out}");
    assert!(out.contains("<del>old</del>"), "{out}");
    assert!(out.contains("type=\"checkbox\" checked"), "{out}");
}

#[test]
fn smart_punctuation_is_off() {
    assert_eq!(html("\"quoted\" -- it's"), "<p>\"quoted\" -- it's</p>\n");
}

#[test]
fn headings_get_slug_ids_and_accessible_anchors() {
    let rendered = render_with("## Data & Ethics\n", false, None, "/p/");
    assert_eq!(
        rendered.html,
        "<h2 id=\"data-ethics\">Data &amp; Ethics <a class=\"anchor\" href=\"#data-ethics\" \
         aria-label=\"Link to this section: Data &amp; Ethics\">#</a></h2>\n"
    );
    assert_eq!(
        rendered.headings,
        vec![Heading {
            level: 2,
            id: "data-ethics".to_owned(),
            title: "Data & Ethics".to_owned()
        }]
    );
}

#[test]
fn heading_ids_are_unique_and_explicit_ids_win() {
    let rendered = render_with(
        "# Scope\n\n## Scope\n\n### Scope {#scope-1 .wide onclick=x}\n\n## `Code` *and* text\n\n## ???\n",
        false,
        None,
        "/p/",
    );
    let ids: Vec<&str> = rendered.headings.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(
        ids,
        ["scope", "scope-2", "scope-1", "code-and-text", "section"]
    );
    let levels: Vec<u8> = rendered.headings.iter().map(|h| h.level).collect();
    assert_eq!(levels, [1, 2, 3, 2, 2]);
    assert_eq!(rendered.headings[3].title, "Code and text");
    assert!(
        rendered
            .html
            .contains("<h3 id=\"scope-1\" class=\"wide\">Scope "),
        "{}",
        rendered.html
    );
    assert!(!rendered.html.contains("onclick"), "{}", rendered.html);
}

#[test]
fn internal_link_is_resolved() {
    let rendered = render_with("See [the x](@/guidance/x.md).", false, None, "/p/");
    assert_eq!(
        rendered.html,
        "<p>See <a href=\"/guidance/x/\">the x</a>.</p>\n"
    );
    assert_eq!(
        rendered.links,
        vec![Link {
            kind: LinkKind::Internal {
                path: "guidance/x.md".to_owned(),
                anchor: None,
                resolved: true
            },
            span: 4..28,
        }]
    );
}

#[test]
fn internal_link_keeps_its_anchor() {
    let rendered = render_with(
        "[x](@/guidance/x.md#scope \"The scope\")",
        false,
        None,
        "/p/",
    );
    assert_eq!(
        rendered.html,
        "<p><a href=\"/guidance/x/#scope\" title=\"The scope\">x</a></p>\n"
    );
    assert_eq!(
        rendered.links[0].kind,
        LinkKind::Internal {
            path: "guidance/x.md".to_owned(),
            anchor: Some("scope".to_owned()),
            resolved: true
        }
    );
}

#[test]
fn unresolved_internal_link_is_text_and_recorded_with_its_span() {
    let source = "Intro.\n\nRead *the* [missing page](@/guidance/y.md#a) now.";
    let rendered = render_with(source, false, None, "/p/");
    assert_eq!(
        rendered.html,
        "<p>Intro.</p>\n<p>Read <em>the</em> <span class=\"broken-link\">missing page</span> now.</p>\n"
    );
    let link = &rendered.links[0];
    assert_eq!(
        link.kind,
        LinkKind::Internal {
            path: "guidance/y.md".to_owned(),
            anchor: Some("a".to_owned()),
            resolved: false
        }
    );
    assert_eq!(
        &source[link.span.clone()],
        "[missing page](@/guidance/y.md#a)"
    );
}

#[test]
fn spans_point_at_each_link_in_the_source() {
    let source = "# Title\n\n- [a](#top)\n- <https://a.example/x>\n- ![chart](@/img/chart.svg)\n\n[ref link][r] and <me@a.example>\n\n[r]: ../rel/\n";
    let rendered = render_with(source, false, None, "/p/");
    let spans: Vec<&str> = rendered
        .links
        .iter()
        .map(|l| &source[l.span.clone()])
        .collect();
    assert_eq!(
        spans,
        [
            "[a](#top)",
            "<https://a.example/x>",
            "![chart](@/img/chart.svg)",
            "[ref link][r]",
            "<me@a.example>"
        ]
    );
    let kinds: Vec<&LinkKind> = rendered.links.iter().map(|l| &l.kind).collect();
    assert_eq!(
        kinds,
        [
            &LinkKind::Anchor("top".to_owned()),
            &LinkKind::External("https://a.example/x".to_owned()),
            &LinkKind::Internal {
                path: "img/chart.svg".to_owned(),
                anchor: None,
                resolved: true
            },
            &LinkKind::Other("../rel/".to_owned()),
            &LinkKind::External("mailto:me@a.example".to_owned()),
        ]
    );
}

#[test]
fn external_links_are_marked_and_mailto_stays_plain() {
    assert_eq!(
        html("[site](https://a.example/?a=1&b=\"2\")"),
        "<p><a href=\"https://a.example/?a=1&amp;b=%222%22\" class=\"external\" rel=\"external noopener\">site</a></p>\n"
    );
    assert_eq!(
        html("[mail](mailto:a@b.example)"),
        "<p><a href=\"mailto:a@b.example\">mail</a></p>\n"
    );
    assert_eq!(
        html("[rel](../x/ \"T\")"),
        "<p><a href=\"../x/\" title=\"T\">rel</a></p>\n"
    );
}

#[test]
fn unsafe_schemes_are_neutralised() {
    for dest in [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "<\tjavascript:alert(1)>",
        "vbscript:x",
        "data:text/html,x",
    ] {
        let source = format!("[click]({dest})");
        let rendered = render_with(&source, false, None, "/p/");
        assert_eq!(rendered.html, "<p>click</p>\n", "{dest}");
        assert!(
            matches!(rendered.links[0].kind, LinkKind::Unsafe(_)),
            "{dest}"
        );
    }
    let rendered = render_with("[x](&#106;avascript:alert(1))", false, None, "/p/");
    assert_eq!(rendered.html, "<p>x</p>\n");
}

#[test]
fn images_resolve_and_unsafe_images_become_alt_text() {
    assert_eq!(
        html("![A chart](@/img/chart.svg)"),
        "<p><img src=\"/img/chart.svg\" alt=\"A chart\" /></p>\n"
    );
    assert_eq!(
        html("![gone](@/img/none.png)"),
        "<p><span class=\"broken-link\">gone</span></p>\n"
    );
    assert_eq!(html("![pic](javascript:x)"), "<p>pic</p>\n");
    assert!(
        html("![dot](data:image/png;base64,AAAA)")
            .contains("<img src=\"data:image/png;base64,AAAA\"")
    );
    // A link inside alt text is recorded but adds no markup to the attribute.
    let rendered = render_with("![see [x](@/guidance/x.md)](a.png)", false, None, "/p/");
    assert_eq!(
        rendered.html,
        "<p><img src=\"a.png\" alt=\"see x\" /></p>\n"
    );
    assert_eq!(rendered.links.len(), 2);
}

#[test]
fn raw_html_is_escaped_unless_allowed() {
    let source = "<div onclick=\"x()\">\nhi\n</div>\n\nInline <b>bold</b> <script>x</script>\n";
    let escaped = render_with(source, false, None, "/p/");
    assert!(!escaped.html.contains("<div"), "{}", escaped.html);
    assert!(!escaped.html.contains("<b>"), "{}", escaped.html);
    assert!(!escaped.html.contains("<script"), "{}", escaped.html);
    assert!(
        escaped.html.contains("<p>&lt;div onclick=\"x()\"&gt;"),
        "{}",
        escaped.html
    );
    assert!(
        escaped.html.contains("Inline &lt;b&gt;bold&lt;/b&gt;"),
        "{}",
        escaped.html
    );
    let allowed = render_with(source, true, None, "/p/");
    assert!(
        allowed.html.contains("<div onclick=\"x()\">\nhi\n</div>"),
        "{}",
        allowed.html
    );
    assert!(
        allowed
            .html
            .contains("Inline <b>bold</b> <script>x</script>"),
        "{}",
        allowed.html
    );
}

#[test]
fn autolink_links_first_occurrence_only() {
    let out = linked("Bias here. Bias again.\n\nMore bias.", "/p/");
    assert_eq!(
        out,
        "<p><a class=\"glossary-term\" href=\"/glossary/bias/\" title=\"A tilt.\">Bias</a> here. Bias again.</p>\n<p>More bias.</p>\n"
    );
}

#[test]
fn autolink_matches_whole_words_only() {
    let out = linked("Biased AIs and unbias. Then (bias) and AI's role.", "/p/");
    assert_eq!(
        out,
        "<p>Biased AIs and unbias. Then (<a class=\"glossary-term\" href=\"/glossary/bias/\" title=\"A tilt.\">bias</a>) \
         and <a class=\"glossary-term\" href=\"/glossary/ai/\" title=\"Artificial intelligence.\">AI</a>'s role.</p>\n"
    );
}

#[test]
fn autolink_prefers_the_longest_phrase_and_escapes_the_definition() {
    let out = linked("Algorithmic\nbias matters; bias too.", "/p/");
    assert_eq!(
        out,
        "<p><a class=\"glossary-term\" href=\"/glossary/algorithmic-bias/\" title=\"Systematic &quot;unfair&quot; outcomes.\">Algorithmic\nbias</a> matters; \
         <a class=\"glossary-term\" href=\"/glossary/bias/\" title=\"A tilt.\">bias</a> too.</p>\n"
    );
    // The longest phrase ends inside a word, so the shorter one at the same start matches.
    let out = linked("Two open data portals.", "/p/");
    assert!(out.contains(">open data</a> portals"), "{out}");
}

#[test]
fn autolink_counts_synonyms_as_one_term() {
    let out = linked("Artificial intelligence, or AI.", "/p/");
    assert_eq!(out.matches("glossary-term").count(), 1, "{out}");
    assert!(
        out.contains(">Artificial intelligence</a>, or AI."),
        "{out}"
    );
}

#[test]
fn autolink_skips_headings_links_code_and_alt_text() {
    let source = "## Bias\n\n[bias](https://a.example/) `bias` ![bias](b.png)\n\n```\nbias\n```\n\n    bias\n\nFinally bias.";
    let out = linked(source, "/p/");
    assert_eq!(out.matches("glossary-term").count(), 1, "{out}");
    assert!(out.contains("Finally <a class=\"glossary-term\""), "{out}");
}

#[test]
fn autolink_never_links_a_page_to_itself() {
    let out = linked("Bias and bias.", "/glossary/bias/");
    assert!(!out.contains("glossary-term"), "{out}");
    // The self term still claims its text: no shorter term is linked inside it.
    let out = linked("Algorithmic bias.", "/glossary/algorithmic-bias/");
    assert!(!out.contains("glossary-term"), "{out}");
}

#[test]
fn autolinker_does_not_depend_on_entry_order() {
    let mut entries = vec![
        ("Privacy".to_owned(), "/g/b/".to_owned(), "B".to_owned()),
        ("privacy".to_owned(), "/g/a/".to_owned(), "A".to_owned()),
        ("  ".to_owned(), "/g/c/".to_owned(), String::new()),
    ];
    let forward = Autolinker::new(entries.clone());
    entries.reverse();
    let backward = Autolinker::new(entries);
    let render =
        |glossary: &Autolinker| render_with("On privacy.", false, Some(glossary), "/p/").html;
    assert_eq!(render(&forward), render(&backward));
    assert!(render(&forward).contains("href=\"/g/a/\""));
}

#[test]
fn plain_text_has_words_and_no_markup() {
    let source = "# Title\n\nSome *emphasis* and `code`,\nwrapped [link](@/guidance/x.md).\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n- one\n- two<br>\n\n![alt text](x.png)";
    let rendered = render_with(source, false, None, "/p/");
    assert_eq!(
        rendered.text,
        "Title\nSome emphasis and code, wrapped link.\na b\n1 2\none\ntwo\nalt text"
    );
}

#[test]
fn output_is_deterministic() {
    let glossary = glossary();
    let source = "# A\n\n## A\n\nBias, open data and AI.[^1]\n\n[^1]: Note.\n";
    let first = render_with(source, false, Some(&glossary), "/p/");
    let second = render_with(source, false, Some(&glossary), "/p/");
    assert_eq!(first, second);
}

#[test]
fn autolinker_is_send_and_sync() {
    fn shared<T: Send + Sync>() {}
    shared::<Autolinker>();
}

#[test]
fn character_references_write_no_character_a_page_may_not_carry() {
    // Found by the fuzzing harness: a link to `&#xFFFE;…` kept U+FFFE in its href.
    let out =
        html("Bell&#x7; [a](&#xFFFE;/x/ \"t&#x7;\") [b](https://e.example/&#x7;&#xFFFF;) &#0;\n");
    assert!(!out.contains(crate::paths::forbidden), "{out:?}");
    assert!(out.contains("Bell\u{fffd}"), "{out}");
    assert!(out.contains("href=\"%EF%BF%BE/x/\""), "{out}");
    assert!(out.contains("title=\"t\u{fffd}\""), "{out}");
    assert!(
        out.contains("href=\"https://e.example/%07%EF%BF%BF\""),
        "{out}"
    );
}

#[test]
fn html_and_text_are_held_without_spare_room() {
    let source = "# Title\n\nSome *text* with a [link](guidance/x.md) and more words.\n";
    let rendered = render_with(source, false, None, "/page/");
    assert!(!rendered.html.is_empty() && !rendered.text.is_empty());
    assert_eq!(rendered.html.capacity(), rendered.html.len());
    assert_eq!(rendered.text.capacity(), rendered.text.len());
}
