//! Interactive zip packages that teachers upload as resources: IMS Content Packaging (SCORM 1.2,
//! SCORM 2004, plain IMS CP) and plain HTML zips.
//!
//! A package is never extracted to disk: it is checked once, on upload, by [`inspect`], then
//! served to browsers file by file, straight out of the zip, through an [`EntryMap`]. Both treat the
//! archive as hostile. One unsafe entry name (zip-slip), link, encrypted entry or decompression
//! bomb refuses the whole package, so that what a teacher sees accepted is what pupils get.
//! Sizes are checked twice: the sizes the headers declare, before anything is decompressed, then
//! the bytes actually produced, since headers can lie.
//!
//! Both read synchronously ([`inspect`] may decompress hundreds of megabytes): async callers run
//! them in `spawn_blocking`, on a `BufReader<File>` of the stored package.

mod archive;
mod error;
mod french;
mod html;
mod layout;
mod manifest;
mod media_type;
#[cfg(test)]
mod safety_tests;
mod serving;
#[cfg(test)]
mod tests;
mod xml;

use std::io::{self, Read, Seek};

pub(crate) use archive::{ratio_allowance, safe_path};
use archive::{unpack, Head};
pub use error::{PackageError, PathProblem};
use html::PackageText;
use layout::Layout;
use manifest::Lom;
pub use serving::{EntryMap, Span, Stored};

/// Bounds on what one package may expand to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub max_entries: usize,
    /// Sum over all entries, declared and actual.
    pub max_unpacked_bytes: u64,
    /// Unpacked size over compressed size of one entry. Web content compresses up to about
    /// 20:1, zip bombs about 1000:1.
    pub max_ratio: u64,
}

impl Default for Limits {
    /// Far beyond any real course (videos included), far below what would exhaust the appliance.
    fn default() -> Self {
        Self {
            max_entries: 10_000,
            max_unpacked_bytes: 512 * 1024 * 1024,
            max_ratio: 200,
        }
    }
}

/// The packaging standard a package follows, which tells the player how to run it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standard {
    Scorm12,
    Scorm2004,
    /// An `imsmanifest.xml` without SCORM's run-time: plain content to display.
    ImsCp,
    /// A zip of web pages without a manifest.
    Html,
}

impl Standard {
    /// The name teachers see next to the resource.
    pub fn label_fr(&self) -> &'static str {
        match self {
            Self::Scorm12 => "SCORM 1.2",
            Self::Scorm2004 => "SCORM 2004",
            Self::ImsCp => "Paquet IMS Content Packaging",
            Self::Html => "Site web (pages HTML)",
        }
    }
}

/// What [`inspect`] learns about an accepted package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackageInfo {
    pub standard: Standard,
    /// Path inside the zip of the page to open, normalised and `/`-separated, as
    /// [`EntryMap::get`] takes it (percent-encode it in URLs); without the query or fragment a
    /// manifest may add.
    pub launch: String,
    /// From the manifest's LOM `general/title` (French preferred), else the default
    /// organisation's title, else the launch page's `<title>`.
    pub title: Option<String>,
    /// From the manifest's LOM `general/description`.
    pub description: Option<String>,
    /// From the manifest's LOM `general/keyword`s.
    pub keywords: Vec<String>,
    /// The taxon ids of the manifest's LOM `classification`s, in order and without repeats:
    /// `num-NNN` for a ScoLOMFR concept (`scolomfr-voc-015-num-951`, its concept URI or
    /// `num-951` alike), other ids as written. Which vocabulary knows them is the caller's affair.
    pub taxons: Vec<String>,
    /// Number of entries in the zip, folders included.
    pub entries: usize,
    /// Bytes actually produced by decompressing every entry.
    pub unpacked_bytes: u64,
    /// Visible text of the HTML pages, launch page first, for the search index.
    pub text: String,
}

/// The text kept for the search index; beyond it, more words add little but weight.
const MAX_TEXT_CHARS: usize = 200_000;

/// The part of a page read for its text. Far more than its words need, even with images inlined
/// in base64, and it keeps a huge page from sitting whole in memory.
const MAX_PAGE_BYTES: usize = 16 * 1024 * 1024;

/// Checks a package and describes it, decompressing every entry once.
pub fn inspect<R: Read + Seek>(archive: R, limits: &Limits) -> Result<PackageInfo, PackageError> {
    let mut zip = archive::open(archive, limits)?;
    let files = archive::check_entries(&zip, limits)?;
    let layout = Layout::of(&files);
    let mut unpacked = 0;
    let manifest = match layout.manifest {
        Some(position) => {
            let mut bytes = Vec::new();
            unpacked += unpack(&mut zip, &files[position], unpacked, limits, &mut bytes)?;
            Some(manifest::parse(&bytes)?)
        }
        None => None,
    };
    let launch = match &manifest {
        Some(manifest) => layout.manifest_launch(&files, manifest)?,
        None => layout.html_start_page(&files)?,
    };
    let metadata_file = manifest
        .as_ref()
        .and_then(|manifest| manifest.metadata_location.as_deref())
        .and_then(|location| layout.find(&files, location));

    let mut text = PackageText::new(MAX_TEXT_CHARS);
    let mut external_lom = None;
    for (position, file) in files.iter().enumerate() {
        if Some(position) == layout.manifest {
            continue;
        }
        if Some(position) == metadata_file {
            let mut bytes = Vec::new();
            unpacked += unpack(&mut zip, file, unpacked, limits, &mut bytes)?;
            // A courtesy: a broken metadata file leaves the fields empty, it refuses nothing.
            external_lom = manifest::parse_lom(&bytes);
        } else if html::is_page(&file.path) && !layout::is_junk(&file.path) {
            let mut page = Head::new(MAX_PAGE_BYTES);
            unpacked += unpack(&mut zip, file, unpacked, limits, &mut page)?;
            if position == launch {
                text.add_launch_page(&page.bytes);
            } else {
                text.add_page(&page.bytes);
            }
        } else {
            unpacked += unpack(&mut zip, file, unpacked, limits, &mut io::sink())?;
        }
    }

    let (page_title, text) = text.finish();
    let (standard, lom, organization_title) = match manifest {
        Some(manifest) => (
            manifest.standard,
            manifest.lom.or(external_lom.unwrap_or_default()),
            manifest.organization_title,
        ),
        None => (Standard::Html, Lom::default(), None),
    };
    Ok(PackageInfo {
        standard,
        launch: files[launch].path.clone(),
        title: lom.title.or(organization_title).or(page_title),
        description: lom.description,
        keywords: lom.keywords,
        taxons: lom.taxons,
        entries: zip.len(),
        unpacked_bytes: unpacked,
        text,
    })
}
