//! `almanac fix-links`: the `url:` of every resource that moved permanently (as the
//! link cache says) rewritten to its new address. Only the value changes: the rest
//! of the file keeps its bytes, line ends and comments.

use std::fs;
use std::path::Path;
use std::process::ExitCode;

use crate::BuildOptions;
use crate::content::links::LinkStatus;
use crate::yaml::Step;

pub fn run(root: &Path, dry_run: bool, quiet: bool) -> ExitCode {
    let options = BuildOptions {
        root: root.to_path_buf(),
        drafts: true,
        ..BuildOptions::default()
    };
    let loaded = match super::load_or_exit(&options) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    if let Some(problem) = loaded.diagnostics.iter().find(|d| d.code == "link-cache") {
        super::print_diagnostics(std::slice::from_ref(problem));
        return ExitCode::from(super::CONTENT_ERROR);
    }
    let collection = &loaded.collection;
    let mut changed = 0;
    let mut failed = false;
    for entry in &collection.entries {
        let Some(url) = &entry.url else { continue };
        let Some(record) = collection.links.get(url) else {
            continue;
        };
        let (LinkStatus::Redirected, Some(new)) = (record.status, &record.moved_to) else {
            continue;
        };
        let file = &entry.file;
        let shown = format!("content/{}", file.rel);
        // Where a server said it moved, or what a hand edit of the cache wrote.
        if !crate::paths::is_web_address(new) {
            eprintln!(
                "warning: {shown}: `{url}` moved to `{new}`, which is not a web address; it was left as it is"
            );
            continue;
        }
        let Some(location) = file
            .spans()
            .find(&[Step::key("url")], |text| text.trim() == url)
        else {
            continue;
        };
        let Some(range) = location.range() else {
            continue;
        };
        let written = &file.source.text[range];
        let path = root.join("content").join(&file.rel);
        let result = fs::read_to_string(&path)
            .map_err(|e| e.to_string())
            .and_then(|raw| {
                replace_on_line(&raw, location.line, written, &yaml_value(written, new))
                    .ok_or_else(|| format!("`{written}` is not on line {}", location.line))
            });
        match result {
            Ok(text) => {
                if !quiet || dry_run {
                    println!("{shown}:{}: {url} → {new}", location.line);
                }
                if !dry_run && let Err(error) = fs::write(&path, text) {
                    eprintln!("error: cannot write {shown}: {error}");
                    failed = true;
                    continue;
                }
                changed += 1;
            }
            Err(message) => {
                eprintln!("error: {shown}: {message}; nothing was changed in it");
                failed = true;
            }
        }
    }
    if !quiet {
        let verb = if dry_run {
            "would be rewritten"
        } else {
            "rewritten"
        };
        eprintln!(
            "{changed} address{} {verb}",
            if changed == 1 { "" } else { "es" }
        );
    }
    if failed {
        ExitCode::from(super::CONTENT_ERROR)
    } else {
        ExitCode::SUCCESS
    }
}

/// The new address written as the old one was: in the same quotes, or plain when
/// that is safe YAML.
fn yaml_value(written: &str, new: &str) -> String {
    let double = || serde_json::to_string(new).unwrap_or_else(|_| format!("\"{new}\""));
    if written.starts_with('"') {
        double()
    } else if written.starts_with('\'') {
        format!("'{}'", new.replace('\'', "''"))
    } else if new.contains(": ") || new.contains(" #") || new.contains(['\'', '"', '\n']) {
        double()
    } else {
        new.to_string()
    }
}

/// `raw` with the first `from` on its 1-based line `line` replaced by `to`. The file
/// is read raw (a byte-order mark and CRLF line ends stay), so lines are counted
/// rather than offsets taken from the normalised text.
fn replace_on_line(raw: &str, line: usize, from: &str, to: &str) -> Option<String> {
    let mut start = 0;
    for _ in 1..line {
        start += raw[start..].find('\n')? + 1;
    }
    let end = raw[start..].find('\n').map_or(raw.len(), |i| start + i);
    let at = start + raw[start..end].find(from)?;
    let mut out = String::with_capacity(raw.len() + to.len());
    out.push_str(&raw[..at]);
    out.push_str(to);
    out.push_str(&raw[at + from.len()..]);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_value_on_its_line_changes() {
        let raw = "\u{feff}---\r\ntitle: A\r\n# url: https://old.test/\r\nurl: \"https://old.test/\"\r\n---\r\nSee https://old.test/.\r\n";
        let out = replace_on_line(
            raw,
            4,
            "\"https://old.test/\"",
            &yaml_value("\"https://old.test/\"", "https://new.test/x"),
        )
        .unwrap();
        assert_eq!(
            out,
            raw.replace("url: \"https://old.test/\"", "url: \"https://new.test/x\"")
        );
    }

    #[test]
    fn plain_values_stay_plain_unless_unsafe() {
        assert_eq!(
            yaml_value("https://a.test/", "https://b.test/"),
            "https://b.test/"
        );
        assert_eq!(
            yaml_value("'https://a.test/'", "https://b.test/'"),
            "'https://b.test/'''"
        );
        assert_eq!(
            yaml_value("https://a.test/", "https://b.test/#x y #z"),
            "\"https://b.test/#x y #z\""
        );
    }
}
