//! PDF, through pdf-extract: it decodes font encodings, ToUnicode maps and CFF/Type 1 glyph
//! names, and places spaces and line breaks from the glyph positions, which lopdf's own
//! `extract_text` does not.

use std::panic;

use super::error::ExtractError;
use super::text::Text;

pub(super) fn extract(bytes: &[u8], text: &mut Text) -> Result<(), ExtractError> {
    // pdf-extract and lopdf index, unwrap and recurse on what the file says; a broken upload
    // must cost its text, not the worker thread. The panic still reaches the panic hook, so the
    // log shows where the parser gave up.
    let extracted = panic::catch_unwind(|| pdf_extract::extract_text_from_mem(bytes))
        .map_err(|_| ExtractError::PdfParserPanicked)?
        .map_err(ExtractError::Pdf)?;
    text.push(&extracted);
    Ok(())
}
