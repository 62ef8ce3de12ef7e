//! Plain text of uploaded files, for the full-text body of the resource search index.
//!
//! Teachers upload whatever their tools write: PDF, OpenDocument and Office files, web pages,
//! plain text. Every reader here treats its input as hostile: a malformed file gives an
//! [`ExtractError`], never a panic; an OpenDocument or Office file is refused past
//! [`MAX_XML_BYTES`] of decompressed XML; the text is cut at [`MAX_TEXT_CHARS`] characters.
//! PDF streams are inflated by lopdf with no such bound: a crafted PDF can still cost memory
//! far beyond its size, or CPU time, and a parser bug may do worse. The server therefore extracts
//! in a confined child process ([`Extractor::Subprocess`], in [`sandbox`]; what confines it is in
//! [`confine`]), one child at a time with single uploads first ([`queue`]).
//!
//! The text is for the index, not for display: whitespace runs are collapsed to one space, or to
//! one newline where they held a paragraph or line break.
//!
//! Extraction is CPU-bound and synchronous: async callers run it in `spawn_blocking`.

pub mod confine;
mod encoding;
mod error;
mod format;
mod html;
mod ooxml;
mod opendocument;
mod package;
mod pdf;
mod queue;
pub mod sandbox;
mod text;
mod xml;

#[cfg(test)]
mod confine_tests;
#[cfg(test)]
mod tests;

pub use error::ExtractError;
pub use queue::Priority;
pub use sandbox::{Extractor, ExtractorError};

use format::Format;
use text::Text;

/// The index keeps at most this many characters of a file: enough for any lesson, and a bound on
/// what one upload costs the index.
pub const MAX_TEXT_CHARS: usize = 200_000;

/// Decompressed XML read from one OpenDocument or Office file, at most; a zip bomb is refused
/// before it fills the memory.
pub const MAX_XML_BYTES: u64 = 20 * 1024 * 1024;

/// Plain text of an uploaded file for the search index, or None when the format carries no
/// extractable text (images, audio, video, unknown).
///
/// The format is told by `media_type` when it names one, by the extension of `file_name`
/// otherwise (browsers send `application/octet-stream` for what they do not know).
pub fn text_of(
    file_name: &str,
    media_type: &str,
    bytes: &[u8],
) -> Result<Option<String>, ExtractError> {
    let Some(format) = Format::detect(file_name, media_type) else {
        return Ok(None);
    };
    let mut text = Text::default();
    match format {
        Format::Pdf => pdf::extract(bytes, &mut text)?,
        Format::Html => html::extract(bytes, &mut text),
        Format::OpenDocument => opendocument::extract(bytes, &mut text)?,
        Format::WordDocument => ooxml::extract_document(bytes, &mut text)?,
        Format::Presentation => ooxml::extract_presentation(bytes, &mut text)?,
        Format::PlainText => text.push(&encoding::decode(bytes)),
    }
    Ok(Some(text.into_string()))
}
