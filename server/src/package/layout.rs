//! Where a package's content sits in its zip, and which page opens it.
//!
//! Teachers often zip the folder of a course rather than its content, so a zip whose files are
//! all in one top-level folder is read as if that folder were the root. Finder adds
//! `__MACOSX/` resource forks next to that folder; they are ignored.

use super::archive::File;
use super::html;
use super::manifest::Manifest;
use super::PackageError;

/// The package's home folder and manifest, found from the file names alone.
#[derive(Debug)]
pub(super) struct Layout {
    /// `""` or the single top-level folder, with its trailing `/`.
    home: String,
    /// Position in the files of `imsmanifest.xml`, at the top of the home folder.
    pub(super) manifest: Option<usize>,
}

impl Layout {
    pub(super) fn of(files: &[File]) -> Self {
        let home = home_folder(files);
        let manifest = files.iter().position(|file| {
            in_folder(&home, &file.path)
                .is_some_and(|name| name.eq_ignore_ascii_case("imsmanifest.xml"))
        });
        Self { home, manifest }
    }

    /// The file the manifest launches.
    pub(super) fn manifest_launch(
        &self,
        files: &[File],
        manifest: &Manifest,
    ) -> Result<usize, PackageError> {
        let href = manifest
            .launch
            .as_deref()
            .ok_or(PackageError::NoLaunchResource)?;
        self.find(files, href)
            .ok_or_else(|| PackageError::LaunchMissing {
                href: href.to_owned(),
            })
    }

    /// The start page of a zip without manifest: `index.html` (or `.htm`) at the top of the home
    /// folder, else the only page there.
    pub(super) fn html_start_page(&self, files: &[File]) -> Result<usize, PackageError> {
        let top_names = || {
            files.iter().enumerate().filter_map(|(position, file)| {
                let name = in_folder(&self.home, &file.path)?;
                (!is_junk(&file.path)).then_some((position, name))
            })
        };
        for index in ["index.html", "index.htm"] {
            if let Some((position, _)) =
                top_names().find(|(_, name)| name.eq_ignore_ascii_case(index))
            {
                return Ok(position);
            }
        }
        let mut pages = top_names().filter(|(_, name)| html::is_page(name));
        match (pages.next(), pages.next()) {
            (Some((position, _)), None) => Ok(position),
            _ => Err(PackageError::NoStartPage),
        }
    }

    /// The file a manifest's reference names, relative to the manifest's folder. The query and
    /// fragment are dropped; the reference is tried as written, then percent-decoded, since a
    /// manifest may write `mon%20cours.html` for `mon cours.html`.
    pub(super) fn find(&self, files: &[File], reference: &str) -> Option<usize> {
        let reference = reference.split(['?', '#']).next().unwrap_or(reference);
        [reference.to_owned(), percent_decoded(reference)]
            .iter()
            .filter_map(|candidate| resolve(&self.home, candidate))
            .find_map(|path| files.iter().position(|file| file.path == path))
    }
}

/// Files of a package that its author never saw: macOS and Windows folder clutter.
pub(super) fn is_junk(path: &str) -> bool {
    path.split('/').any(|segment| {
        segment == "__MACOSX"
            || segment.starts_with("._")
            || segment == ".DS_Store"
            || segment.eq_ignore_ascii_case("Thumbs.db")
    })
}

fn home_folder(files: &[File]) -> String {
    let mut top = None;
    for file in files.iter().filter(|file| !is_junk(&file.path)) {
        let Some((folder, _)) = file.path.split_once('/') else {
            return String::new();
        };
        match top {
            None => top = Some(folder),
            Some(seen) if seen == folder => {}
            Some(_) => return String::new(),
        }
    }
    top.map(|folder| format!("{folder}/")).unwrap_or_default()
}

/// The name of `path` when it sits directly in `folder`.
fn in_folder<'a>(folder: &str, path: &'a str) -> Option<&'a str> {
    path.strip_prefix(folder).filter(|name| !name.contains('/'))
}

/// `reference` resolved against `folder`, like a browser would; `None` when it leaves the zip
/// or is not a relative path.
fn resolve(folder: &str, reference: &str) -> Option<String> {
    if reference.contains(':') || reference.starts_with('/') || reference.contains('\\') {
        return None;
    }
    let mut segments: Vec<&str> = folder.split('/').filter(|s| !s.is_empty()).collect();
    for segment in reference.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop()?;
            }
            segment => segments.push(segment),
        }
    }
    Some(segments.join("/"))
}

fn percent_decoded(reference: &str) -> String {
    let bytes = reference.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .filter(|hex| hex.iter().all(u8::is_ascii_hexdigit))
            .and_then(|hex| std::str::from_utf8(hex).ok())
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                decoded.push(byte);
                i += 3;
            }
            (byte, _) => {
                decoded.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&decoded).into_owned()
}
