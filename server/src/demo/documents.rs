//! Small real documents for the demo library (an HTML page, an OpenDocument text), written
//! from a resource's title and text, so that the demo's full-text search finds
//! words that only the attached file holds.

use std::io::Write;

use zip::write::SimpleFileOptions;
use zip::CompressionMethod;

/// The formats a demo resource may attach.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentFormat {
    Html,
    OpenDocument,
}

impl DocumentFormat {
    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "html" => Some(Self::Html),
            "odt" => Some(Self::OpenDocument),
            _ => None,
        }
    }

    /// The file's name as a teacher would have saved it.
    pub fn file_name(self) -> &'static str {
        match self {
            Self::Html => "fiche.html",
            Self::OpenDocument => "fiche.odt",
        }
    }

    /// The document's bytes: `title` as its heading, `text` as its one paragraph.
    pub fn write(self, title: &str, text: &str) -> Result<Vec<u8>, zip::result::ZipError> {
        Ok(match self {
            Self::Html => html(title, text).into_bytes(),
            Self::OpenDocument => open_document(title, text)?,
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
        for format in [DocumentFormat::Html, DocumentFormat::OpenDocument] {
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
