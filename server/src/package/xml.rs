//! Just enough XML for manifests and their metadata: decoding as the prolog declares, and a walk
//! over elements by local name. Authoring tools bind the IMS and LOM namespaces to any prefix
//! (`imscp:`, `imsmd:`, `lom:`, none), so prefixes are dropped and names lower-cased.
//!
//! quick-xml never loads a DTD and expands only predefined entities and character references,
//! so entity bombs have nothing to expand.

use encoding_rs::{Encoding, UTF_8};
use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, XmlVersion};

use super::PackageError;

/// Deeper than any manifest; bounds the walk's memory on hostile input.
const MAX_DEPTH: usize = 256;

/// Decodes as the BOM, else the XML declaration, says; UTF-8 otherwise. Invalid bytes become
/// U+FFFD: metadata is read to describe a package, not to validate it.
pub(super) fn decode(bytes: &[u8]) -> String {
    let encoding = declared_encoding(bytes)
        .and_then(Encoding::for_label)
        .unwrap_or(UTF_8);
    let (text, _, _) = encoding.decode(bytes);
    text.into_owned()
}

/// The `encoding` pseudo-attribute of the XML declaration, if there is one.
fn declared_encoding(bytes: &[u8]) -> Option<&[u8]> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let declaration = bytes.strip_prefix(b"<?xml")?;
    let declaration = &declaration[..declaration.windows(2).position(|w| w == b"?>")?];
    let at = declaration.windows(8).position(|w| w == b"encoding")?;
    let value = declaration[at + 8..]
        .trim_ascii_start()
        .strip_prefix(b"=")?;
    let value = value.trim_ascii_start();
    let quote = *value.first()?;
    let value = value.get(1..)?;
    let end = value.iter().position(|&b| b == quote)?;
    Some(&value[..end])
}

/// An open element: its local name, lower-cased, and its attributes as written.
#[derive(Debug)]
pub(super) struct Element {
    pub(super) name: String,
    attributes: Vec<(String, String)>,
}

impl Element {
    /// The attribute whose local name is `local`, whatever its prefix (`xml:lang` for `lang`).
    pub(super) fn attribute(&self, local: &str) -> Option<&str> {
        self.attributes
            .iter()
            .filter(|(name, _)| !name.starts_with("xmlns"))
            .find(|(name, _)| {
                let name_local = name.rsplit(':').next().unwrap_or(name);
                name_local.eq_ignore_ascii_case(local)
            })
            .map(|(_, value)| value.as_str())
    }

    /// The namespace names this element declares.
    pub(super) fn namespaces(&self) -> impl Iterator<Item = &str> {
        self.attributes
            .iter()
            .filter(|(name, _)| name == "xmlns" || name.starts_with("xmlns:"))
            .map(|(_, value)| value.as_str())
    }
}

/// What a walk reports: elements as they open, then as they close with their own text.
pub(super) trait Visitor {
    /// `path` runs from the root to the element just opened.
    fn open(&mut self, path: &[Element]);
    /// `path` runs from the root to the element being closed; `text` is the text directly in it.
    fn close(&mut self, path: &[Element], text: &str);
}

/// Walks a whole document; a malformed one is an [`PackageError::InvalidManifest`].
pub(super) fn walk(text: &str, visitor: &mut impl Visitor) -> Result<(), PackageError> {
    let mut reader = Reader::from_str(text);
    reader.config_mut().expand_empty_elements = true;
    let invalid = |position: u64, reason: String| {
        let end = usize::try_from(position).map_or(text.len(), |p| p.min(text.len()));
        let line = 1 + text.as_bytes()[..end]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        PackageError::InvalidManifest {
            line: line as u64,
            reason,
        }
    };
    let mut path: Vec<Element> = Vec::new();
    let mut texts: Vec<String> = Vec::new();
    loop {
        let event = reader
            .read_event()
            .map_err(|error| invalid(reader.error_position(), error.to_string()))?;
        match event {
            Event::Start(tag) => {
                if path.len() == MAX_DEPTH {
                    let reason = format!("elements nested deeper than {MAX_DEPTH}");
                    return Err(invalid(reader.buffer_position(), reason));
                }
                let element =
                    element(&tag).map_err(|reason| invalid(reader.buffer_position(), reason))?;
                path.push(element);
                texts.push(String::new());
                visitor.open(&path);
            }
            Event::End(_) => {
                let text = texts.pop().unwrap_or_default();
                visitor.close(&path, &text);
                path.pop();
            }
            Event::Text(part) => push_text(&mut texts, &part.xml10_content()),
            Event::CData(part) => push_text(&mut texts, &part.xml10_content()),
            Event::GeneralRef(reference) => {
                let character = reference
                    .resolve_char_ref()
                    .map_err(|error| invalid(reader.buffer_position(), error.to_string()))?;
                match character {
                    Some(character) => push_text(&mut texts, character.encode_utf8(&mut [0; 4])),
                    None => {
                        let replacement = resolve_predefined_entity(&reference).unwrap_or("");
                        push_text(&mut texts, replacement);
                    }
                }
            }
            Event::Eof if path.is_empty() => return Ok(()),
            Event::Eof => {
                let reason = "the document ends inside an element".to_owned();
                return Err(invalid(reader.buffer_position(), reason));
            }
            Event::Empty(_) | Event::Comment(_) | Event::Decl(_) | Event::PI(_) => {}
            Event::DocType(_) => {}
        }
    }
}

fn element(tag: &BytesStart<'_>) -> Result<Element, String> {
    let mut attributes = Vec::new();
    for attribute in tag.attributes() {
        let attribute = attribute.map_err(|error| error.to_string())?;
        let value = attribute
            .normalized_value(XmlVersion::Implicit1_0)
            .map_err(|error| error.to_string())?;
        attributes.push((attribute.key.as_ref().to_owned(), value.into_owned()));
    }
    Ok(Element {
        name: tag.local_name().as_ref().to_ascii_lowercase(),
        attributes,
    })
}

fn push_text(texts: &mut [String], part: &str) {
    if let Some(text) = texts.last_mut() {
        text.push_str(part);
    }
}

/// The names along `path`, to match against a pattern like `["manifest", "metadata"]`.
pub(super) fn names(path: &[Element]) -> Vec<&str> {
    path.iter().map(|element| element.name.as_str()).collect()
}

/// Whitespace runs collapsed to one space, trimmed; `None` when nothing is left.
pub(super) fn clean(text: &str) -> Option<String> {
    let cleaned = text.split_whitespace().collect::<Vec<_>>().join(" ");
    (!cleaned.is_empty()).then_some(cleaned)
}
