//! The XML parts of office files as a stream of element boundaries and text.

use std::borrow::Cow;

use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::{BytesRef, Event};
use quick_xml::Reader;

use super::error::ExtractError;
use super::text::Text;

/// What a format's reader is shown of its XML. Names are local (no prefix): office vocabularies
/// always use the same prefixes in practice, but nothing obliges them to.
pub(super) enum Node<'a> {
    Open(&'a str),
    Close(&'a str),
    Text(&'a str),
}

/// One XML part of a package, decoded.
pub(super) struct Part {
    /// The package's format, for errors, e.g. "DOCX".
    pub(super) format: &'static str,
    pub(super) name: String,
    pub(super) xml: String,
}

impl Part {
    /// Streams the part to `visit` until its end or until `text` is full. An empty element is
    /// shown as an `Open` and a `Close`.
    pub(super) fn walk(
        &self,
        text: &mut Text,
        mut visit: impl FnMut(Node<'_>, &mut Text),
    ) -> Result<(), ExtractError> {
        let mut reader = Reader::from_str(&self.xml);
        reader.config_mut().expand_empty_elements = true;
        while !text.is_full() {
            let event = reader.read_event().map_err(|source| ExtractError::Xml {
                format: self.format,
                part: self.name.clone(),
                source,
            })?;
            match event {
                Event::Start(tag) => visit(Node::Open(tag.local_name().as_ref()), text),
                Event::End(tag) => visit(Node::Close(tag.local_name().as_ref()), text),
                Event::Text(content) => visit(Node::Text(&content.xml10_content()), text),
                Event::CData(content) => visit(Node::Text(&content), text),
                Event::GeneralRef(reference) => {
                    if let Some(resolved) = resolve(&reference) {
                        visit(Node::Text(&resolved), text);
                    }
                }
                Event::Eof => break,
                _ => {}
            }
        }
        Ok(())
    }
}

/// Character references and the five predefined entities; office files declare no others,
/// and an unknown one is dropped rather than failing the whole file.
fn resolve(reference: &BytesRef<'_>) -> Option<Cow<'static, str>> {
    match reference.resolve_char_ref() {
        Ok(Some(c)) => Some(Cow::Owned(c.to_string())),
        Ok(None) => resolve_predefined_entity(reference).map(Cow::Borrowed),
        Err(_) => None,
    }
}

/// Counts how deep a reader is inside elements it skips.
#[derive(Debug, Default)]
pub(super) struct Skipping {
    depth: usize,
}

impl Skipping {
    /// Call on every open and close; true while inside a skipped element (the skipped element's
    /// own open and close included).
    pub(super) fn track(&mut self, node: &Node<'_>, skipped: &[&str]) -> bool {
        match node {
            Node::Open(name) if self.depth > 0 || skipped.contains(name) => {
                self.depth += 1;
                true
            }
            Node::Close(_) if self.depth > 0 => {
                self.depth -= 1;
                true
            }
            _ => self.depth > 0,
        }
    }
}
