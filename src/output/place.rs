//! Where a build may write: the output path resolved (`site/sub/..` is `site`; an
//! output that is a link is the folder it leads to, whose lock every build of it
//! takes, by whichever name), and refused inside the folders the build reads,
//! where the site would be published inside itself and grow with every build.

use std::path::{Component, Path, PathBuf};

use super::OutputError;

/// The folders of a collection a build reads.
const READ_FOLDERS: [&str; 5] = ["content", "static", "templates", "i18n", "themes"];

/// `dir` as an absolute path without `.`, `..` or links, after checking that it
/// is not inside a folder of the collection at `root` that the build reads.
pub fn resolve(dir: &Path, root: &Path) -> Result<PathBuf, OutputError> {
    if let Some(folder) = read_folder_holding(dir, root) {
        return Err(OutputError::InCollection {
            output: dir.to_path_buf(),
            folder: folder.to_string(),
        });
    }
    Ok(real(&lexical(dir)))
}

/// The folder of the collection at `root` that the build reads and that holds
/// `dir`, if one does.
pub fn read_folder_holding(dir: &Path, root: &Path) -> Option<&'static str> {
    let out = lexical(dir);
    let root = lexical(root);
    // Compared as written and with links resolved: either may reach the other
    // through a link.
    let pairs = [(real(&out), real(&root)), (out, root)];
    pairs.into_iter().find_map(|(out, root)| {
        READ_FOLDERS
            .into_iter()
            .find(|folder| out.starts_with(root.join(folder)))
    })
}

/// The absolute form of `path` with `.` and `..` taken away as written.
fn lexical(path: &Path) -> PathBuf {
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let mut out = PathBuf::new();
    for part in absolute.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// `path` with the links of its longest existing part resolved.
fn real(path: &Path) -> PathBuf {
    let mut existing = path;
    let mut rest = Vec::new();
    loop {
        if let Ok(found) = existing.canonicalize() {
            let mut out = found;
            out.extend(rest.iter().rev());
            return out;
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => return path.to_path_buf(),
        }
    }
}
