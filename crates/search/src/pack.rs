//! The packed index file: one download holding the tantivy files and the labels
//! the reader shows, and a read-only tantivy `Directory` over it.
//!
//! Layout: 8-byte marker, format version (u32 LE), header length (u32 LE), the
//! JSON header, then every file's bytes in the header's order.

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use tantivy::Directory;
use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    DirectoryLock, FileHandle, Lock, OwnedBytes, WatchCallback, WatchHandle, WritePtr,
};

use crate::document::TaxonomyInfo;
use crate::{Error, FORMAT_VERSION};

const MAGIC: &[u8; 8] = b"ALMSRCH\0";
const PREFIX_LEN: usize = MAGIC.len() + 4 + 4;

/// What the reader needs beside the tantivy files.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct Header {
    pub language: String,
    pub taxonomies: Vec<TaxonomyInfo>,
    /// Glossary terms, so a query that names one can show its definition.
    pub glossary: Vec<GlossaryEntry>,
    pub files: Vec<PackedFile>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct GlossaryEntry {
    pub title: String,
    pub url: String,
    pub summary: String,
    pub synonyms: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct PackedFile {
    pub name: String,
    pub len: u64,
}

/// Packs `files` after `header`; `header.files` is filled in here.
#[cfg(feature = "writer")]
pub(crate) fn encode(mut header: Header, files: Vec<(String, Vec<u8>)>) -> Result<Vec<u8>, Error> {
    header.files = files
        .iter()
        .map(|(name, bytes)| PackedFile {
            name: name.clone(),
            len: bytes.len() as u64,
        })
        .collect();
    let json = serde_json::to_vec(&header)?;
    let json_len = u32::try_from(json.len())
        .map_err(|_| Error::Corrupt("the index header is larger than 4 GiB".to_owned()))?;
    let total = PREFIX_LEN + json.len() + files.iter().map(|(_, b)| b.len()).sum::<usize>();
    let mut out = Vec::with_capacity(total);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    out.extend_from_slice(&json_len.to_le_bytes());
    out.extend_from_slice(&json);
    for (_, bytes) in files {
        out.extend_from_slice(&bytes);
    }
    Ok(out)
}

/// Splits a packed index into its header and a directory over its files,
/// sharing `bytes` rather than copying each file.
pub(crate) fn decode(bytes: OwnedBytes) -> Result<(Header, PackDirectory), Error> {
    let data = bytes.as_slice();
    if data.len() < PREFIX_LEN || &data[..MAGIC.len()] != MAGIC {
        return Err(Error::NotAnIndex);
    }
    let version = read_u32(&data[8..12]);
    if version != FORMAT_VERSION {
        return Err(Error::UnsupportedVersion {
            found: version,
            expected: FORMAT_VERSION,
        });
    }
    let json_len = read_u32(&data[12..16]) as usize;
    let json_end = PREFIX_LEN
        .checked_add(json_len)
        .filter(|&end| end <= data.len())
        .ok_or_else(|| Error::Corrupt("the header runs past the end of the file".to_owned()))?;
    let header: Header = serde_json::from_slice(&data[PREFIX_LEN..json_end])?;

    let mut files = BTreeMap::new();
    let mut start = json_end;
    for file in &header.files {
        let end = usize::try_from(file.len)
            .ok()
            .and_then(|len| start.checked_add(len))
            .filter(|&end| end <= data.len())
            .ok_or_else(|| Error::Corrupt(format!("file {} runs past the end", file.name)))?;
        files.insert(PathBuf::from(&file.name), bytes.slice(start..end));
        start = end;
    }
    if start != data.len() {
        return Err(Error::Corrupt(
            "unexpected bytes after the last file".to_owned(),
        ));
    }
    Ok((
        header,
        PackDirectory {
            files: Arc::new(files),
        },
    ))
}

fn read_u32(bytes: &[u8]) -> u32 {
    let mut word = [0u8; 4];
    word.copy_from_slice(bytes);
    u32::from_le_bytes(word)
}

/// A read-only tantivy directory over the files of a packed index.
#[derive(Debug, Clone)]
pub(crate) struct PackDirectory {
    files: Arc<BTreeMap<PathBuf, OwnedBytes>>,
}

fn read_only(path: &Path) -> io::Error {
    io::Error::new(
        io::ErrorKind::PermissionDenied,
        format!("the packed search index is read-only ({})", path.display()),
    )
}

impl Directory for PackDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        match self.files.get(path) {
            Some(bytes) => Ok(Arc::new(bytes.clone())),
            None => Err(OpenReadError::FileDoesNotExist(path.to_path_buf())),
        }
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        Err(DeleteError::IoError {
            io_error: Arc::new(read_only(path)),
            filepath: path.to_path_buf(),
        })
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        Ok(self.files.contains_key(path))
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        Err(OpenWriteError::wrap_io_error(
            read_only(path),
            path.to_path_buf(),
        ))
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        match self.files.get(path) {
            Some(bytes) => Ok(bytes.as_slice().to_vec()),
            None => Err(OpenReadError::FileDoesNotExist(path.to_path_buf())),
        }
    }

    fn atomic_write(&self, path: &Path, _data: &[u8]) -> io::Result<()> {
        Err(read_only(path))
    }

    fn sync_directory(&self) -> io::Result<()> {
        Ok(())
    }

    fn acquire_lock(&self, _lock: &Lock) -> Result<DirectoryLock, LockError> {
        // Locks keep writers apart; nothing writes to a pack, so readers need none.
        Ok(DirectoryLock::from(Box::new(())))
    }

    fn watch(&self, _callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        // The pack never changes, so there is nothing to watch.
        Ok(WatchHandle::empty())
    }
}

#[cfg(all(test, feature = "writer"))]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_rejects() {
        let packed = encode(
            Header::default(),
            vec![("a".to_owned(), b"one".to_vec()), ("b".to_owned(), vec![])],
        )
        .expect("encode");
        let (header, dir) = decode(OwnedBytes::new(packed.clone())).expect("decode");
        assert_eq!(header.files.len(), 2);
        assert_eq!(dir.atomic_read(Path::new("a")).expect("a"), b"one");
        assert!(dir.exists(Path::new("b")).expect("b"));

        assert!(matches!(
            decode(OwnedBytes::new(b"nope".to_vec())),
            Err(Error::NotAnIndex)
        ));
        let mut future = packed.clone();
        future[8] = 99;
        assert!(matches!(
            decode(OwnedBytes::new(future)),
            Err(Error::UnsupportedVersion { found: 99, .. })
        ));
        let truncated = packed[..packed.len() - 1].to_vec();
        assert!(matches!(
            decode(OwnedBytes::new(truncated)),
            Err(Error::Corrupt(_))
        ));
    }
}
