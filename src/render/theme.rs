//! The theme a collection is rendered with: the default theme compiled into the
//! binary, overlaid file by file by a theme folder on disk and then by the
//! collection's own `templates/` and `static/`.

use std::collections::BTreeMap;
use std::sync::Arc;

use include_dir::{Dir, include_dir};
use tera::{Kwargs, State, Tera, TeraResult, Value};

use crate::content::Asset;
use crate::diagnostics::{Diagnostic, Location, SourceText};
use crate::i18n::{Catalogs, FALLBACK, Strings, StringsFile};
use crate::output::{Contents, OutputFile};

/// The default theme as it was when the binary was built.
static DEFAULT_THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// One layer of templates, static files and interface strings read from disk.
#[derive(Debug, Default)]
pub struct Layer {
    pub templates: Vec<(String, SourceText)>,
    pub statics: Vec<Asset>,
    /// `i18n/<code>.yaml` files.
    pub strings: Vec<StringsFile>,
    /// `theme.yaml` of a theme folder.
    pub manifest: Option<SourceText>,
}

/// Templates ready to render, and the static files that go with them.
pub struct Theme {
    pub tera: Tera,
    pub statics: Vec<OutputFile>,
    pub options: serde_json::Map<String, serde_json::Value>,
    /// Every template's text by name, the layers applied: `serve` compares them to
    /// tell which pages a template edit affects.
    pub sources: BTreeMap<String, String>,
    /// The search files (`search/…` of the theme: script, stylesheet, module, glue,
    /// stemmers), each published under a name with a hash of its bytes
    /// (`search/search.<hash>.js`): by theme path, the published path. Hosts may
    /// cache them forever, and a browser never pairs a cached file with a newer one.
    pub search_files: BTreeMap<String, String>,
    /// The interface strings of every layer, the default theme's first.
    pub catalogs: Catalogs,
}

impl Theme {
    /// The interface strings for pages in `code`.
    pub fn strings(&self, code: &str) -> Arc<Strings> {
        Arc::new(self.catalogs.resolve(code))
    }
}

/// The default theme's `i18n/<code>.yaml` files.
pub fn default_strings() -> Vec<StringsFile> {
    let Some(dir) = DEFAULT_THEME.get_dir("i18n") else {
        return Vec::new();
    };
    let mut files: Vec<StringsFile> = dir
        .files()
        .filter_map(|file| {
            let name = rel_name(file.path(), "i18n");
            let code = name.strip_suffix(".yaml")?.to_string();
            let text = file.contents_utf8()?;
            Some(StringsFile {
                code,
                source: SourceText::new(format!("themes/default/i18n/{name}"), text),
            })
        })
        .collect();
    files.sort_by(|a, b| a.code.cmp(&b.code));
    files
}

/// The default theme's static files, by their path in the output (the search
/// files before their names gain a hash).
pub fn default_static_paths() -> Vec<String> {
    DEFAULT_THEME
        .get_dir("static")
        .map(|dir| {
            all_files(dir)
                .into_iter()
                .map(|file| rel_name(file.path(), "static"))
                .collect()
        })
        .unwrap_or_default()
}

/// Stacks the layers (later ones win) and compiles the templates.
pub fn assemble(
    layers: &[Layer],
    site_options: &serde_json::Map<String, serde_json::Value>,
    base_path: &str,
) -> Result<Theme, Vec<Diagnostic>> {
    let mut templates: BTreeMap<String, (String, String)> = BTreeMap::new();
    let mut statics: BTreeMap<String, Contents> = BTreeMap::new();
    let mut manifest: Option<(String, String)> = None;

    if let Some(dir) = DEFAULT_THEME.get_dir("templates") {
        for file in all_files(dir) {
            let name = rel_name(file.path(), "templates");
            if let Some(text) = file.contents_utf8() {
                templates.insert(
                    name.clone(),
                    (format!("themes/default/templates/{name}"), text.to_string()),
                );
            }
        }
    }
    if let Some(dir) = DEFAULT_THEME.get_dir("static") {
        for file in all_files(dir) {
            statics.insert(
                rel_name(file.path(), "static"),
                Contents::Static(file.contents()),
            );
        }
    }
    if let Some(file) = DEFAULT_THEME.get_file("theme.yaml")
        && let Some(text) = file.contents_utf8()
    {
        manifest = Some(("themes/default/theme.yaml".into(), text.to_string()));
    }
    for layer in layers {
        for (name, source) in &layer.templates {
            templates.insert(
                name.clone(),
                (
                    crate::diagnostics::display_path(&source.path),
                    source.text.to_string(),
                ),
            );
        }
        for asset in &layer.statics {
            statics.insert(asset.rel.clone(), Contents::Copy(asset.path.clone()));
        }
        if let Some(source) = &layer.manifest {
            manifest = Some((
                crate::diagnostics::display_path(&source.path),
                source.text.to_string(),
            ));
        }
    }

    let mut problems = Vec::new();
    let mut options = match &manifest {
        Some((path, text)) => match theme_options(path, text) {
            Ok(options) => options,
            Err(d) => {
                problems.push(d);
                serde_json::Map::new()
            }
        },
        None => serde_json::Map::new(),
    };
    for (key, value) in site_options {
        options.insert(key.clone(), value.clone());
    }

    let mut string_layers = vec![default_strings()];
    string_layers.extend(layers.iter().map(|layer| layer.strings.clone()));
    let (catalogs, mut found) = Catalogs::parse(string_layers);
    problems.append(&mut found);

    let mut tera = Tera::new();
    tera.autoescape_on([".html", ".xml", ".svg"]);
    // The filters must be known for the templates to compile; each renderer sets
    // its own language's.
    super::i18n::install(&mut tera, Arc::new(catalogs.resolve(FALLBACK)), &[]);
    let base = base_path.to_string();
    tera.register_function(
        "url",
        move |kwargs: Kwargs, _: &State| -> TeraResult<String> {
            let path: &str = kwargs.must_get("path")?;
            Ok(format!("{base}{}", path.trim_start_matches('/')))
        },
    );
    tera.register_filter("json", json_filter);
    let sources: Vec<(&str, &str)> = templates
        .iter()
        .map(|(name, (_, text))| (name.as_str(), text.as_str()))
        .collect();
    if let Err(error) = tera.add_raw_templates(sources) {
        let message = error.to_string();
        // Tera names the template at fault in its message; point at that file.
        let culprit = templates
            .iter()
            .find(|(name, _)| message.contains(name.as_str()))
            .map(|(_, (path, _))| path.clone())
            .unwrap_or_else(|| "templates".into());
        problems.push(
            Diagnostic::error(
                "template",
                format!("a template cannot be compiled: {}", full_error(&error)),
            )
            .at(Location::file(culprit))
            .help("fix the template syntax; see docs/templates.md for what each template receives"),
        );
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut statics: Vec<OutputFile> = statics
        .into_iter()
        .map(|(path, contents)| OutputFile { path, contents })
        .collect();
    let search_files = hash_search_files(&mut statics);
    let sources = templates
        .into_iter()
        .map(|(name, (_, text))| (name, text))
        .collect();
    Ok(Theme {
        tera,
        statics,
        options,
        sources,
        search_files,
        catalogs,
    })
}

/// Renames the theme's search files to content-hashed names; returns the
/// renames (theme path → published path).
fn hash_search_files(statics: &mut [OutputFile]) -> BTreeMap<String, String> {
    let mut renamed = BTreeMap::new();
    for file in statics.iter_mut().filter(|f| is_search_file(&f.path)) {
        let digest = match &file.contents {
            Contents::Bytes(bytes) => xxhash_rust::xxh3::xxh3_64(bytes),
            Contents::Static(bytes) => xxhash_rust::xxh3::xxh3_64(bytes),
            // A theme's own copy; unreadable here, it fails later when copied.
            Contents::Copy(path) => xxhash_rust::xxh3::xxh3_64(
                &crate::paths::read_regular(path, crate::paths::MAX_COPY_BYTES).unwrap_or_default(),
            ),
        };
        let hash = format!("{digest:016x}");
        let published = hashed_name(&file.path, &hash[..12]);
        renamed.insert(
            std::mem::replace(&mut file.path, published.clone()),
            published,
        );
    }
    renamed
}

fn is_search_file(path: &str) -> bool {
    path.starts_with("search/")
        && [".js", ".css", ".wasm"]
            .iter()
            .any(|extension| path.ends_with(extension))
}

/// `search/search.js` → `search/search.<hash>.js`.
fn hashed_name(path: &str, hash: &str) -> String {
    match path.rsplit_once('.') {
        Some((stem, extension)) if !stem.ends_with('/') => format!("{stem}.{hash}.{extension}"),
        _ => format!("{path}.{hash}"),
    }
}

/// A tera error with its causes, which hold the useful part (line, what was expected).
pub fn full_error(error: &tera::Error) -> String {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// Serialises a value as JSON that is safe inside a `<script type="application/ld+json">`.
fn json_filter(value: Value, _: Kwargs, _: &State) -> TeraResult<Value> {
    let json = serde_json::to_string(&value).map_err(|e| tera::Error::message(e.to_string()))?;
    // `</script>` or `<!--` inside the data would end or upset the element; JSON
    // allows these escapes anywhere in strings, so the data reads the same.
    let json = json
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026");
    Ok(Value::safe_string(&json))
}

fn theme_options(
    path: &str,
    text: &str,
) -> Result<serde_json::Map<String, serde_json::Value>, Diagnostic> {
    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Manifest {
        #[allow(dead_code)]
        name: String,
        #[serde(default)]
        #[allow(dead_code)]
        description: String,
        #[serde(default)]
        options: Option<serde_yaml::Value>,
    }
    let source = SourceText::new(path, text);
    let manifest: Manifest = serde_yaml::from_str(text).map_err(|e| {
        crate::yaml::error_diagnostic(
            &source,
            0..text.len(),
            &e,
            &["name", "description", "options"],
        )
    })?;
    Ok(match manifest.options.map(|o| crate::yaml::to_json(&o)) {
        Some(serde_json::Value::Object(map)) => map,
        _ => serde_json::Map::new(),
    })
}

fn all_files<'a>(dir: &'a Dir<'a>) -> Vec<&'a include_dir::File<'a>> {
    let mut out: Vec<&include_dir::File> = dir.files().collect();
    for sub in dir.dirs() {
        out.extend(all_files(sub));
    }
    out
}

fn rel_name(path: &std::path::Path, prefix: &str) -> String {
    let rel = path.strip_prefix(prefix).unwrap_or(path);
    crate::content::relative(std::path::Path::new(""), rel)
}
