//! ISO 639 language codes: the three-letter code (ISO 639-3) of each two-letter one
//! (ISO 639-1), which the EU's language authority table, and so DCAT-AP, names
//! languages by. Taken from the ISO 639-3 table as Debian's iso-codes publishes it.

/// Each ISO 639-1 code followed by its ISO 639-3 code, five letters a language,
/// sorted by the two-letter code.
const TABLE: [&str; 15] = [
    "aaaarababkaeaveafafrakakaamamhanargararaasasmavavaayaymazazebabak",
    "bebelbgbulbibisbmbambnbenbobodbrbrebsboscacatcechechchacocoscrcre",
    "cscescuchucvchvcycymdadandedeudvdivdzdzoeeeweelellenengeoepoesspa",
    "etesteueusfafasfffulfifinfjfijfofaofrfrafyfrygaglegdglaglglggngrn",
    "gugujgvglvhahauhehebhihinhohmohrhrvhthathuhunhyhyehzheriainaidind",
    "ieileigiboiiiiiikipkioidoisislititaiuikujajpnjvjavkakatkgkonkikik",
    "kjkuakkkazklkalkmkhmknkankokorkrkaukskaskukurkvkomkwcorkykirlalat",
    "lbltzlgluglilimlnlinlolaoltlitlulublvlavmgmlgmhmahmimrimkmkdmlmal",
    "mnmonmrmarmsmsamtmltmymyananaunbnobndndenenepngndonlnldnnnnononor",
    "nrnblnvnavnynyaocociojojiomormororiososspapanpipliplpolpspusptpor",
    "ququermrohrnrunroronrurusrwkinsasanscsrdsdsndsesmesgsagshhbssisin",
    "skslkslslvsmsmosnsnasosomsqsqisrsrpsssswstsotsusunsvsweswswatatam",
    "teteltgtgkththatitirtktuktltgltntsntotontrturtstsotttattwtwitytah",
    "uguigukukrururduzuzbvevenvivievovolwawlnwowolxhxhoyiyidyoyorzazha",
    "zhzhozuzul",
];

/// ISO 639-2's bibliographic codes, which differ from the terminology codes ISO
/// 639-3 and the EU's table use (`fre` for `fra`), each with the latter.
const BIBLIOGRAPHIC: [(&str, &str); 20] = [
    ("alb", "sqi"),
    ("arm", "hye"),
    ("baq", "eus"),
    ("bur", "mya"),
    ("chi", "zho"),
    ("cze", "ces"),
    ("dut", "nld"),
    ("fre", "fra"),
    ("geo", "kat"),
    ("ger", "deu"),
    ("gre", "ell"),
    ("ice", "isl"),
    ("mac", "mkd"),
    ("mao", "mri"),
    ("may", "msa"),
    ("per", "fas"),
    ("rum", "ron"),
    ("slo", "slk"),
    ("tib", "bod"),
    ("wel", "cym"),
];

/// The ISO 639-3 code of an ISO 639-1 code (`fr` → `fra`), or none for a code
/// that is not one.
pub fn alpha3(alpha2: &str) -> Option<&'static str> {
    let alpha2 = alpha2.to_ascii_lowercase();
    TABLE.iter().find_map(|line| {
        (0..line.len())
            .step_by(5)
            .map(|i| &line[i..i + 5])
            .find(|record| record[..2] == alpha2)
            .map(|record| &record[2..])
    })
}

/// The language a language tag is in (its primary subtag) as the EU's authority
/// table names it: `FRA` for `fr`, `fr-CA` or `fre`, `FIL` for `fil`; none for
/// a two-letter subtag ISO 639-1 does not have.
pub fn eu_code(tag: &str) -> Option<String> {
    let primary = tag.split('-').next().unwrap_or("").to_ascii_lowercase();
    match primary.len() {
        2 => alpha3(&primary).map(str::to_ascii_uppercase),
        3 if primary.chars().all(|c| c.is_ascii_alphabetic()) => {
            let terminology = BIBLIOGRAPHIC
                .iter()
                .find(|(b, _)| *b == primary)
                .map_or(primary.as_str(), |(_, t)| t);
            Some(terminology.to_ascii_uppercase())
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_letter_codes_and_their_three_letter_ones() {
        assert_eq!(alpha3("aa"), Some("aar"));
        assert_eq!(alpha3("zu"), Some("zul"));
        assert_eq!(alpha3("de"), Some("deu"));
        assert_eq!(alpha3("sw"), Some("swa"));
        assert_eq!(alpha3("xx"), None);
        assert_eq!(eu_code("pt-BR").as_deref(), Some("POR"));
        assert_eq!(eu_code("cy").as_deref(), Some("CYM"));
        assert_eq!(eu_code("fil").as_deref(), Some("FIL"));
        assert_eq!(eu_code("fre").as_deref(), Some("FRA"));
        assert_eq!(eu_code("ger-CH").as_deref(), Some("DEU"));
        assert_eq!(eu_code("qq"), None);
    }
}
