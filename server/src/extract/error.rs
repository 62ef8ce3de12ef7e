//! Errors of text extraction.

/// Why the text of a file could not be read. The file itself may still be stored and served:
/// only its words are missing from the index.
#[derive(Debug, thiserror::Error)]
pub enum ExtractError {
    #[error("unreadable PDF: {0}")]
    Pdf(#[source] pdf_extract::OutputError),
    /// The PDF parser panicked, as PDF parsers do on files their authors never met.
    #[error("unreadable PDF: the PDF parser failed on this file")]
    PdfParserPanicked,
    #[error("unreadable {format} file: {source}")]
    Package {
        format: &'static str,
        #[source]
        source: zip::result::ZipError,
    },
    #[error("unreadable {format} file: it has no {part}")]
    MissingPart {
        format: &'static str,
        part: &'static str,
    },
    #[error("unreadable {format} file: malformed XML in {part}: {source}")]
    Xml {
        format: &'static str,
        part: String,
        #[source]
        source: quick_xml::Error,
    },
    #[error(
        "{format} file refused: it holds more than {} MiB of XML",
        super::MAX_XML_BYTES / (1024 * 1024)
    )]
    TooLarge { format: &'static str },
}
