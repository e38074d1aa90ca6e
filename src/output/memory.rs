//! The sink `serve` builds into: the files kept in memory, under the same path
//! rules as on disk.

use std::sync::Mutex;

use super::{Claims, OutputError, OutputFile, Sink};

/// Files of a build held in memory, in the order they were given.
#[derive(Default)]
pub struct Memory {
    claims: Claims,
    files: Mutex<Vec<OutputFile>>,
}

impl Memory {
    pub fn new() -> Memory {
        Memory::default()
    }

    /// Claims the path of a file that will be made later (a page rendered when it
    /// is first asked for), so that the paths are checked as a full build checks them.
    pub fn reserve(&self, path: &str) -> Result<(), OutputError> {
        self.claims.claim(path)
    }

    /// The files given, sorted by path.
    pub fn into_files(self) -> Result<Vec<OutputFile>, OutputError> {
        let mut files = self.files.into_inner().map_err(|_| OutputError::Poisoned)?;
        files.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(files)
    }

    fn keep(&self, file: OutputFile) -> Result<(), OutputError> {
        self.files
            .lock()
            .map_err(|_| OutputError::Poisoned)?
            .push(file);
        Ok(())
    }
}

impl Sink for Memory {
    fn put(&self, file: OutputFile) -> Result<(), OutputError> {
        self.claims.claim(&file.path)?;
        self.keep(file)
    }

    fn put_copy(&self, file: OutputFile) -> Result<(), OutputError> {
        if self.claims.claim_copy(&file.path)? {
            self.keep(file)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn made_files_claim_their_paths_and_copies_give_way() {
        let sink = Memory::new();
        sink.put(OutputFile::text("b/index.html", "page".into()))
            .unwrap();
        sink.reserve("later/index.html").unwrap();
        assert!(matches!(
            sink.put(OutputFile::text("b/index.html", "again".into())),
            Err(OutputError::Duplicate(_))
        ));
        assert!(matches!(
            sink.put(OutputFile::text("later/index.html", String::new())),
            Err(OutputError::Duplicate(_))
        ));
        assert!(matches!(
            sink.put(OutputFile::text("../x", String::new())),
            Err(OutputError::Escape(_))
        ));
        // Of hidden paths, only a published file of `.well-known/` is written.
        for hidden in [".well-known/old/index.html", ".git/HEAD"] {
            assert!(matches!(
                sink.put(OutputFile::text(hidden, String::new())),
                Err(OutputError::Escape(_))
            ));
        }
        for hidden in [".git/HEAD", ".well-known/.x", ".well-known/../x"] {
            assert!(matches!(
                sink.put_copy(OutputFile::copy(hidden, "static/x")),
                Err(OutputError::Escape(_))
            ));
        }
        sink.put_copy(OutputFile::copy(".well-known/security.txt", "static/s"))
            .unwrap();
        sink.put_copy(OutputFile::copy("b/index.html", "static/b.html"))
            .unwrap();
        sink.put_copy(OutputFile::copy("a.css", "theme/a.css"))
            .unwrap();
        sink.put_copy(OutputFile::copy("a.css", "static/a.css"))
            .unwrap();
        let files = sink.into_files().unwrap();
        let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths, [".well-known/security.txt", "a.css", "b/index.html"]);
        assert!(
            matches!(&files[1].contents, super::super::Contents::Copy(p) if p.ends_with("theme/a.css"))
        );
    }
}
