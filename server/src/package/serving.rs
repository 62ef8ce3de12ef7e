//! Where each file of a stored package lies inside its zip, so that a browser's request is
//! answered by streaming those bytes straight from the file, never by inflating the entry into
//! memory. The map is read once per package (the central directory and each file's local
//! header) and kept by the caller; every entry is vetted as [`super::inspect`] vets it.

use std::collections::HashMap;
use std::io::{Read, Seek};

use zip::CompressionMethod;

use super::archive::{self, safe_path};
use super::{media_type, Limits, PackageError};

/// How an entry's bytes are stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stored {
    /// As they are: a range is a slice of the file.
    Plain,
    /// Raw deflate: inflated as it is sent.
    Deflated,
}

/// One file of a package, as found in the zip.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    /// Offset of the entry's (compressed) data in the zip file.
    pub offset: u64,
    /// Bytes of data in the zip file.
    pub stored_len: u64,
    /// Bytes once inflated, as declared; the sender stops there whatever the data holds.
    pub len: u64,
    pub stored: Stored,
    pub media_type: &'static str,
}

/// The files of one package, by normalised path.
#[derive(Debug, Default)]
pub struct EntryMap {
    files: HashMap<String, Span>,
}

impl EntryMap {
    /// Reads the map of a package; refuses it as [`super::inspect`] would.
    pub fn read<R: Read + Seek>(reader: R, limits: &Limits) -> Result<Self, PackageError> {
        let mut zip = archive::open(reader, limits)?;
        let data_end = zip.central_directory_start();
        let mut files = HashMap::new();
        for file in archive::check_entries(&zip, limits)? {
            let entry = zip
                .by_index_raw(file.index)
                .map_err(|error| PackageError::Damaged {
                    entry: file.path.clone(),
                    reason: error.to_string(),
                })?;
            let stored = match entry.compression() {
                CompressionMethod::Stored => Stored::Plain,
                CompressionMethod::Deflated => Stored::Deflated,
                // Vetted on upload: no other method reaches here.
                _ => continue,
            };
            let (compressed, len) = (entry.compressed_size(), entry.size());
            let plain = stored == Stored::Plain;
            if let Err(reason) =
                archive::check_span(entry.data_start(), compressed, len, plain, data_end)
            {
                return Err(PackageError::Damaged {
                    entry: file.path,
                    reason,
                });
            }
            let Some(offset) = entry.data_start() else {
                continue;
            };
            let span = Span {
                offset,
                stored_len: compressed,
                len,
                stored,
                media_type: media_type::of(&file.path),
            };
            files.insert(file.path, span);
        }
        Ok(Self { files })
    }

    /// The file at `url_path` (percent-decoded, after the package's prefix); `None` when there
    /// is none or the path could leave the package.
    pub fn get(&self, url_path: &str) -> Option<Span> {
        let path = safe_path(url_path).ok()?;
        self.files.get(&path).copied()
    }

    /// Number of files (the map's weight, for the caller's cache).
    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use std::io::{Cursor, Write};

    use super::*;

    fn zip_of(files: &[(&str, &[u8], CompressionMethod)]) -> Vec<u8> {
        let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, bytes, method) in files {
            let options = zip::write::SimpleFileOptions::default().compression_method(*method);
            writer.start_file(*name, options).expect("entry");
            writer.write_all(bytes).expect("bytes");
        }
        writer.finish().expect("zip").into_inner()
    }

    #[test]
    fn each_file_is_found_where_its_bytes_are() {
        let page = b"<html><body>Quiz</body></html>".repeat(50);
        let zip = zip_of(&[
            ("index.html", &page, CompressionMethod::Deflated),
            (
                "media/son.mp3",
                b"ID3 not really",
                CompressionMethod::Stored,
            ),
        ]);
        let map = EntryMap::read(Cursor::new(&zip), &Limits::default()).expect("map");
        assert_eq!(map.len(), 2);
        let sound = map.get("media/son.mp3").expect("sound");
        assert_eq!(sound.stored, Stored::Plain);
        assert_eq!(sound.media_type, "audio/mpeg");
        let start = usize::try_from(sound.offset).expect("small");
        assert_eq!(&zip[start..start + 14], b"ID3 not really");
        let index = map.get("./index.html").expect("normalised path");
        assert_eq!(index.stored, Stored::Deflated);
        assert_eq!(index.len, page.len() as u64);
        assert!(index.stored_len < index.len);
        assert_eq!(map.get("../index.html"), None);
        assert_eq!(map.get("media"), None, "folders are not files");
    }

    #[test]
    fn a_hostile_archive_gets_no_map() {
        let zip = zip_of(&[("../evil.html", b"x", CompressionMethod::Stored)]);
        assert!(matches!(
            EntryMap::read(Cursor::new(&zip), &Limits::default()),
            Err(PackageError::UnsafePath { .. })
        ));
    }
}
