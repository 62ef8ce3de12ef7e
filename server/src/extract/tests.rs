//! Text extraction on real files written by real tools (see tests/fixtures/resources/README.md).

use std::io::{Cursor, Write};

use super::*;

const LESSON: &str = "Les fractions : additionner des fractions de même dénominateur.";
const REMINDER: &str = "Élève, théorème de Pythagore.";
const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

fn fixture(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/../tests/fixtures/resources/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|error| panic!("{path}: {error}"))
}

fn extracted(file_name: &str, media_type: &str) -> String {
    text_of(file_name, media_type, &fixture(file_name))
        .unwrap()
        .expect("a format with text")
}

fn zip_of(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in parts {
        writer.start_file(*name, options).unwrap();
        writer.write_all(bytes).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

#[test]
fn a_pdf_written_with_an_embedded_font_gives_its_french_text() {
    let text = extracted("fractions.pdf", "application/pdf");
    assert_eq!(text, format!("Les fractions\n{LESSON}\n{REMINDER}"));
}

#[test]
fn an_odt_gives_its_paragraphs_as_lines_and_its_styled_spans_inline() {
    let text = extracted("fractions.odt", "application/vnd.oasis.opendocument.text");
    assert_eq!(text, format!("Les fractions\n{LESSON}\n{REMINDER}"));
}

#[test]
fn an_odp_gives_the_text_of_its_slides_in_order() {
    let text = extracted(
        "fractions.odp",
        "application/vnd.oasis.opendocument.presentation",
    );
    assert_eq!(text, format!("Les fractions\n{LESSON}\nRappel\n{REMINDER}"));
}

#[test]
fn a_docx_gives_its_paragraphs_as_lines_and_its_runs_joined() {
    let text = extracted("fractions.docx", DOCX);
    assert_eq!(text, format!("Les fractions\n{LESSON}\n{REMINDER}"));
}

#[test]
fn a_pptx_gives_the_text_of_its_slides_in_order() {
    let text = extracted(
        "fractions.pptx",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    );
    assert_eq!(text, format!("Les fractions\n{LESSON}\nRappel\n{REMINDER}"));
}

#[test]
fn an_html_page_gives_its_visible_text_with_entities_decoded() {
    let text = extracted("fractions.html", "text/html; charset=utf-8");
    assert_eq!(
        text,
        format!("Les fractions\nLes fractions\n{LESSON}\n{REMINDER}\n« Vu en 4e » & révisé.\nItem un\nItem deux")
    );
    assert!(!text.contains("ne-doit-pas-apparaitre"), "{text:?}");
}

#[test]
fn a_windows_1252_text_file_is_decoded() {
    let text = extracted("fractions-windows-1252.txt", "text/plain");
    assert_eq!(text, format!("{LESSON}\n{REMINDER}"));
}

#[test]
fn a_utf8_text_file_keeps_its_accents_and_loses_its_byte_order_mark() {
    let bytes = "\u{FEFF}Élève;théorème\r\n".as_bytes();
    let text = text_of("notes.csv", "text/csv", bytes).unwrap();
    assert_eq!(text.as_deref(), Some("Élève;théorème"));
}

#[test]
fn an_image_has_no_text_even_when_named_like_a_document() {
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
    assert!(text_of("photo.png", "image/png", png).unwrap().is_none());
    assert!(text_of("cours.pdf", "image/png", png).unwrap().is_none());
    assert!(text_of("clip.mp4", "video/mp4", png).unwrap().is_none());
}

#[test]
fn an_unknown_format_has_no_text() {
    let bytes = b"\0\x01\x02";
    let text = text_of("archive.bin", "application/octet-stream", bytes).unwrap();
    assert!(text.is_none());
}

#[test]
fn the_media_type_decides_before_the_extension() {
    let text = text_of("page.txt", "text/html", b"<p>un</p><p>deux</p>").unwrap();
    assert_eq!(text.as_deref(), Some("un\ndeux"));
}

#[test]
fn a_generic_media_type_falls_back_to_the_extension_whatever_its_case() {
    let bytes = fixture("fractions.docx");
    let text = text_of("Fractions.DOCX", "application/octet-stream", &bytes).unwrap();
    assert_eq!(text, Some(format!("Les fractions\n{LESSON}\n{REMINDER}")));
    let text = text_of("notes.md", "", b"# Titre\n\nCorps").unwrap();
    assert_eq!(text.as_deref(), Some("# Titre\nCorps"));
}

#[test]
fn a_truncated_pdf_is_an_error() {
    let pdf = fixture("fractions.pdf");
    let result = text_of("fractions.pdf", "application/pdf", &pdf[..pdf.len() / 2]);
    assert!(
        matches!(
            result,
            Err(ExtractError::Pdf(_) | ExtractError::PdfParserPanicked)
        ),
        "{result:?}"
    );
}

#[test]
fn a_pdf_the_parser_panics_on_is_an_error() {
    // pdf-extract 0.12 `expect`s every object reference to resolve; this font's does not.
    let pdf = fixture("fractions-dangling-font.pdf");
    let result = text_of("fractions.pdf", "application/pdf", &pdf);
    assert!(
        matches!(result, Err(ExtractError::PdfParserPanicked)),
        "{result:?}"
    );
}

#[test]
fn bytes_that_are_no_pdf_are_an_error() {
    let result = text_of("cours.pdf", "application/pdf", b"%PDF-1.7\nnot really");
    assert!(result.is_err(), "{result:?}");
}

#[test]
fn a_truncated_docx_is_an_error() {
    let docx = fixture("fractions.docx");
    let result = text_of("fractions.docx", DOCX, &docx[..docx.len() / 2]);
    assert!(
        matches!(result, Err(ExtractError::Package { format: "DOCX", .. })),
        "{result:?}"
    );
}

#[test]
fn a_docx_whose_document_part_is_damaged_is_an_error() {
    let original = zip_of(&[("word/document.xml", fixture_document_xml().as_bytes())]);
    // Overwrites the middle of the deflated document.xml: the inflater or the CRC check fails.
    let mut damaged = original.clone();
    let middle = damaged.len() / 3;
    damaged[middle..middle + 16].fill(0xA5);
    let result = text_of("fractions.docx", DOCX, &damaged);
    assert!(result.is_err(), "{result:?}");
}

#[test]
fn a_zip_without_the_document_part_is_not_a_docx() {
    let bytes = zip_of(&[("mimetype", b"application/zip")]);
    let result = text_of("faux.docx", DOCX, &bytes);
    assert!(
        matches!(
            result,
            Err(ExtractError::MissingPart {
                format: "DOCX",
                part: "word/document.xml"
            })
        ),
        "{result:?}"
    );
}

#[test]
fn malformed_xml_in_a_docx_is_an_error() {
    let bytes = zip_of(&[("word/document.xml", b"<w:document><w:body></w:p>")]);
    let result = text_of("fractions.docx", DOCX, &bytes);
    assert!(
        matches!(result, Err(ExtractError::Xml { .. })),
        "{result:?}"
    );
}

#[test]
fn an_odt_that_inflates_past_the_xml_limit_is_refused() {
    let mut content = b"<office:document-content><office:body><office:text><text:p>".to_vec();
    content.resize(MAX_XML_BYTES as usize + 1024, b' ');
    let bytes = zip_of(&[("content.xml", &content)]);
    assert!(bytes.len() < 100 * 1024, "a bomb: {} bytes", bytes.len());
    let result = text_of(
        "bombe.odt",
        "application/vnd.oasis.opendocument.text",
        &bytes,
    );
    assert!(
        matches!(
            result,
            Err(ExtractError::TooLarge {
                format: "OpenDocument"
            })
        ),
        "{result:?}"
    );
}

#[test]
fn the_text_is_capped_at_a_char_boundary_without_trailing_whitespace() {
    let long = "élève ".repeat(MAX_TEXT_CHARS / 3);
    let text = text_of("long.txt", "text/plain", long.as_bytes())
        .unwrap()
        .unwrap();
    let chars = text.chars().count();
    assert!(chars <= MAX_TEXT_CHARS, "{chars}");
    assert!(chars > MAX_TEXT_CHARS - 6, "{chars}");
    assert!(text.starts_with("élève élève"));
    assert!(!text.ends_with(' '));
}

#[test]
fn whitespace_runs_collapse_to_a_space_or_to_one_line_break() {
    let text = text_of(
        "notes.txt",
        "text/plain",
        "  un \t deux\u{A0}trois\n\n\n quatre  ".as_bytes(),
    )
    .unwrap();
    assert_eq!(text.as_deref(), Some("un deux trois\nquatre"));
}

#[test]
fn extraction_errors_can_cross_threads() {
    fn assert_send_sync<T: Send + Sync + 'static>() {}
    assert_send_sync::<ExtractError>();
}

fn fixture_document_xml() -> String {
    let docx = fixture("fractions.docx");
    let mut archive = zip::ZipArchive::new(Cursor::new(docx)).unwrap();
    let mut document = String::new();
    std::io::Read::read_to_string(
        &mut archive.by_name("word/document.xml").unwrap(),
        &mut document,
    )
    .unwrap();
    document
}
