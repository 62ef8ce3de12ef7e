//! Which reader a file needs, from its media type or its name.

use std::path::Path;

/// A file format this module reads text from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Format {
    Pdf,
    /// HTML and XHTML: both are read as HTML, which is what browsers do with uploaded pages.
    Html,
    /// OpenDocument text and presentation (ODT, ODP): same `content.xml` layout.
    OpenDocument,
    /// Office Open XML text (DOCX).
    WordDocument,
    /// Office Open XML presentation (PPTX).
    Presentation,
    /// .txt, .md, .csv.
    PlainText,
}

impl Format {
    /// None when the file carries no text this module reads: images, audio, video and unknown
    /// formats.
    pub(super) fn detect(file_name: &str, media_type: &str) -> Option<Format> {
        let essence = media_type
            .split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        if let Some(format) = Self::from_media_type(&essence) {
            return Some(format);
        }
        // A declared image, sound or video stays one whatever its name says.
        if ["image/", "audio/", "video/"]
            .iter()
            .any(|kind| essence.starts_with(kind))
        {
            return None;
        }
        Self::from_extension(file_name)
    }

    fn from_media_type(essence: &str) -> Option<Format> {
        Some(match essence {
            "application/pdf" => Format::Pdf,
            "text/html" | "application/xhtml+xml" => Format::Html,
            "application/vnd.oasis.opendocument.text"
            | "application/vnd.oasis.opendocument.presentation" => Format::OpenDocument,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document" => {
                Format::WordDocument
            }
            "application/vnd.openxmlformats-officedocument.presentationml.presentation" => {
                Format::Presentation
            }
            "text/plain" | "text/markdown" | "text/csv" => Format::PlainText,
            _ => return None,
        })
    }

    fn from_extension(file_name: &str) -> Option<Format> {
        let extension = Path::new(file_name)
            .extension()?
            .to_str()?
            .to_ascii_lowercase();
        Some(match extension.as_str() {
            "pdf" => Format::Pdf,
            "html" | "htm" | "xhtml" => Format::Html,
            "odt" | "odp" => Format::OpenDocument,
            "docx" => Format::WordDocument,
            "pptx" => Format::Presentation,
            "txt" | "md" | "csv" => Format::PlainText,
            _ => return None,
        })
    }
}
