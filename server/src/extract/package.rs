//! The zip container of OpenDocument and Office Open XML files.

use std::io::{Cursor, Read};

use zip::result::ZipError;
use zip::ZipArchive;

use super::encoding::decode;
use super::error::ExtractError;
use super::xml::Part;
use super::MAX_XML_BYTES;

/// An opened package and what is left of its decompression budget.
pub(super) struct Package<'a> {
    format: &'static str,
    archive: ZipArchive<Cursor<&'a [u8]>>,
    budget: u64,
}

impl<'a> Package<'a> {
    /// `format` names the file in errors, e.g. "DOCX".
    pub(super) fn open(format: &'static str, bytes: &'a [u8]) -> Result<Self, ExtractError> {
        let archive = ZipArchive::new(Cursor::new(bytes))
            .map_err(|source| ExtractError::Package { format, source })?;
        Ok(Self {
            format,
            archive,
            budget: MAX_XML_BYTES,
        })
    }

    pub(super) fn part_names(&self) -> Vec<String> {
        self.archive
            .file_names()
            .filter_map(Result::ok)
            .map(|name| name.into_owned())
            .collect()
    }

    /// The part, decoded. Bytes are counted as they come out of the decompressor, since
    /// the sizes in zip headers are whatever the file says; the budget is shared by all the
    /// parts read from this package.
    pub(super) fn read_part(&mut self, name: &'static str) -> Result<Part, ExtractError> {
        self.read(name).map_err(|error| match error {
            ExtractError::Package {
                format,
                source: ZipError::FileNotFound,
            } => ExtractError::MissingPart { format, part: name },
            other => other,
        })
    }

    /// Same as [`Package::read_part`] for a part whose name comes from the package itself.
    pub(super) fn read(&mut self, name: &str) -> Result<Part, ExtractError> {
        let format = self.format;
        let entry = self
            .archive
            .by_name(name)
            .map_err(|source| ExtractError::Package { format, source })?;
        let mut raw = Vec::new();
        entry
            .take(self.budget + 1)
            .read_to_end(&mut raw)
            .map_err(|error| ExtractError::Package {
                format,
                source: ZipError::Io(error),
            })?;
        let length = raw.len() as u64;
        if length > self.budget {
            return Err(ExtractError::TooLarge { format });
        }
        self.budget -= length;
        Ok(Part {
            format,
            name: name.to_owned(),
            xml: decode(&raw).into_owned(),
        })
    }
}
