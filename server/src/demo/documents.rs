//! Small real documents for the demo library (an HTML page, an OpenDocument text, a PDF),
//! written from a resource's title and text, so that the demo's full-text search finds
//! words that only the attached file holds.

use std::io::Write;

use lopdf::content::{Content, Operation};
use lopdf::{dictionary, Document, Encoding, Object, ObjectId, Stream};
use zip::write::SimpleFileOptions;
use zip::CompressionMethod;

/// The formats a demo resource may attach.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentFormat {
    Html,
    OpenDocument,
    Pdf,
}

/// Why a demo document could not be written.
#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    #[error("cannot zip the OpenDocument text: {0}")]
    Zip(#[from] zip::result::ZipError),
    #[error("cannot write the PDF: {0}")]
    Pdf(#[from] lopdf::Error),
    /// The PDF's fonts are standard ones, not embedded: they only have the characters of
    /// WinAnsiEncoding, and any other would silently go missing from the page and the index.
    #[error("{0:?} is not in the standard PDF fonts' encoding (WinAnsiEncoding)")]
    NotInStandardFont(char),
}

impl DocumentFormat {
    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "html" => Some(Self::Html),
            "odt" => Some(Self::OpenDocument),
            "pdf" => Some(Self::Pdf),
            _ => None,
        }
    }

    /// The file's name as a teacher would have saved it.
    pub fn file_name(self) -> &'static str {
        match self {
            Self::Html => "fiche.html",
            Self::OpenDocument => "fiche.odt",
            Self::Pdf => "fiche.pdf",
        }
    }

    /// The document's bytes: `title` as its heading, `text` as its one paragraph.
    pub fn write(self, title: &str, text: &str) -> Result<Vec<u8>, DocumentError> {
        Ok(match self {
            Self::Html => html(title, text).into_bytes(),
            Self::OpenDocument => open_document(title, text)?,
            Self::Pdf => pdf(title, text)?,
        })
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn html(title: &str, text: &str) -> String {
    let (title, text) = (escape(title), escape(text));
    format!(
        "<!doctype html>\n<html lang=\"fr\">\n<head><meta charset=\"utf-8\"><title>{title}</title></head>\n\
         <body>\n<h1>{title}</h1>\n<p>{text}</p>\n</body>\n</html>\n"
    )
}

fn open_document(title: &str, text: &str) -> Result<Vec<u8>, zip::result::ZipError> {
    let content = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" \
         xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" office:version=\"1.3\">\
         <office:body><office:text><text:h text:outline-level=\"1\">{}</text:h><text:p>{}</text:p>\
         </office:text></office:body></office:document-content>\n",
        escape(title),
        escape(text)
    );
    let manifest = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
        <manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\" manifest:version=\"1.3\">\
        <manifest:file-entry manifest:full-path=\"/\" manifest:media-type=\"application/vnd.oasis.opendocument.text\"/>\
        <manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"/>\
        </manifest:manifest>\n";
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    // The media type comes first and uncompressed, as the OpenDocument format requires.
    zip.start_file(
        "mimetype",
        SimpleFileOptions::default().compression_method(CompressionMethod::Stored),
    )?;
    zip.write_all(b"application/vnd.oasis.opendocument.text")?;
    for (name, body) in [
        ("META-INF/manifest.xml", manifest),
        ("content.xml", content.as_str()),
    ] {
        zip.start_file(name, SimpleFileOptions::default())?;
        zip.write_all(body.as_bytes())?;
    }
    Ok(zip.finish()?.into_inner())
}

/// An A4 page, in points, and the margin around the text.
const PAGE_WIDTH: i64 = 595;
const PAGE_HEIGHT: i64 = 842;
const MARGIN: i64 = 56;

/// How a line of the PDF is set: its font (by its name in the page's resources), size and the
/// space from the previous line, in points, and the characters a line holds. Lines are wrapped
/// by characters, not measured: Helvetica averages about half its size a character in French,
/// so these lengths stay inside the 483 points between the margins.
struct LineStyle {
    font: &'static str,
    size: i64,
    leading: i64,
    chars: usize,
}

const TITLE: LineStyle = LineStyle {
    font: "F2",
    size: 16,
    leading: 20,
    chars: 50,
};

const PARAGRAPH: LineStyle = LineStyle {
    font: "F1",
    size: 11,
    leading: 15,
    chars: 80,
};

/// A PDF as an office suite exports a handout: the title in bold, then the paragraph, on as many
/// pages as it takes. The fonts are two of the standard fourteen (Helvetica, not embedded, in
/// WinAnsiEncoding), which many tools leave out of a PDF; in that encoding French accents come
/// back from the text extraction.
fn pdf(title: &str, text: &str) -> Result<Vec<u8>, DocumentError> {
    let mut doc = Document::with_version("1.4");
    let pages_id = doc.new_object_id();
    let mut font = |name: &str| {
        doc.add_object(dictionary! {
            "Type" => "Font",
            "Subtype" => "Type1",
            "BaseFont" => Object::Name(name.as_bytes().to_vec()),
            "Encoding" => "WinAnsiEncoding",
        })
    };
    let regular = font("Helvetica");
    let bold = font("Helvetica-Bold");
    let resources_id = doc.add_object(dictionary! {
        "Font" => dictionary! { "F1" => regular, "F2" => bold },
    });

    let lines = wrap(title, TITLE.chars)
        .into_iter()
        .map(|line| (&TITLE, line))
        .chain(
            wrap(text, PARAGRAPH.chars)
                .into_iter()
                .map(|line| (&PARAGRAPH, line)),
        );
    let top = PAGE_HEIGHT - MARGIN;
    let mut pages: Vec<Vec<Operation>> = Vec::new();
    let mut page = Vec::new();
    let mut y = top;
    let mut previous: Option<&LineStyle> = None;
    for (style, line) in lines {
        y -= match previous {
            None => style.size,
            // A blank line between the title and the paragraph, as under a heading.
            Some(before) if !std::ptr::eq(before, style) => 2 * style.leading,
            Some(_) => style.leading,
        };
        if y < MARGIN {
            pages.push(std::mem::take(&mut page));
            y = top - style.size;
        }
        page.extend([
            Operation::new("BT", vec![]),
            Operation::new("Tf", vec![style.font.into(), style.size.into()]),
            Operation::new("Td", vec![MARGIN.into(), y.into()]),
            Operation::new("Tj", vec![Object::string_literal(win_ansi(&line)?)]),
            Operation::new("ET", vec![]),
        ]);
        previous = Some(style);
    }
    pages.push(page);

    let mut kids = Vec::with_capacity(pages.len());
    for operations in pages {
        let content = Content { operations }.encode()?;
        let content_id = doc.add_object(Stream::new(dictionary! {}, content));
        let page_id: ObjectId = doc.add_object(dictionary! {
            "Type" => "Page",
            "Parent" => pages_id,
            "Contents" => content_id,
        });
        kids.push(Object::from(page_id));
    }
    let count = kids.len() as i64;
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages",
            "Kids" => kids,
            "Count" => count,
            "Resources" => resources_id,
            "MediaBox" => vec![0.into(), 0.into(), PAGE_WIDTH.into(), PAGE_HEIGHT.into()],
        }),
    );
    let catalog_id = doc.add_object(dictionary! {
        "Type" => "Catalog",
        "Pages" => pages_id,
    });
    doc.trailer.set("Root", catalog_id);
    doc.compress();
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes).map_err(lopdf::Error::from)?;
    Ok(bytes)
}

/// `text` in lines of at most `chars` characters, broken between words (a longer word has a line
/// of its own).
fn wrap(text: &str, chars: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > chars {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// `text` in WinAnsiEncoding, the encoding of the standard fonts; a character it lacks is an
/// error rather than a hole in the page.
fn win_ansi(text: &str) -> Result<Vec<u8>, DocumentError> {
    let encoding = Encoding::SimpleEncoding(b"WinAnsiEncoding");
    let mut bytes = Vec::with_capacity(text.len());
    let mut buffer = [0; 4];
    for c in text.chars() {
        match encoding
            .string_to_bytes(c.encode_utf8(&mut buffer))
            .as_slice()
        {
            [byte] => bytes.push(*byte),
            _ => return Err(DocumentError::NotInStandardFont(c)),
        }
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn extracted(format: DocumentFormat) -> String {
        let bytes = format
            .write(
                "La Seconde Guerre mondiale",
                "Le débarquement du 6 juin 1944 en Normandie (« Overlord ») ouvre le front de l'Ouest.",
            )
            .expect("writes");
        crate::extract::text_of(format.file_name(), "", &bytes)
            .expect("reads")
            .expect("a text format")
    }

    #[test]
    fn every_format_gives_back_its_words_to_the_text_extraction() {
        for format in [
            DocumentFormat::Html,
            DocumentFormat::OpenDocument,
            DocumentFormat::Pdf,
        ] {
            let text = extracted(format);
            for word in ["Seconde", "débarquement", "Normandie", "« Overlord »"] {
                assert!(
                    text.contains(word),
                    "{format:?}: {word} missing in {text:?}"
                );
            }
        }
    }
}
