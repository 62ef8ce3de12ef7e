//! Streaming reader of `ficAlimMENESR` documents: one pass over quick-xml events, no DOM.
//!
//! ```text
//! ficAlimMENESR := (addRequest | modifyRequest | deleteRequest)*
//! addRequest    := operationalAttributes identifier(id) attributes(attr name=… value*)
//! modifyRequest := operationalAttributes identifier modifications(modification name=… operation="replace" value*)
//! deleteRequest := operationalAttributes identifier
//! ```
//! The DOCTYPE names `ficAlimMENESR.dtd`; quick-xml reports it as an event and never loads it,
//! and only the predefined entities and character references are expanded.

use quick_xml::errors::SyntaxError;
use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, XmlVersion};

use super::encoding::decode;
use super::error::{FeedError, Problem};
use super::feed_name::FeedKind;

/// What a request asks the directory to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Operation {
    Add,
    Modify,
    Delete,
}

/// One attribute of a record, with its values in document order (`<value/>` gives `""`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Attribute {
    pub(crate) name: String,
    pub(crate) values: Vec<String>,
}

/// One request of a feed file, as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Record {
    pub(crate) op: Operation,
    pub(crate) category: FeedKind,
    pub(crate) id: String,
    pub(crate) attributes: Vec<Attribute>,
    /// 1-based line of the request's start tag.
    pub(crate) line: u64,
}

/// Parses a whole feed file, decoding it as its prolog declares.
pub(crate) fn parse_records(file: &str, bytes: &[u8]) -> Result<Vec<Record>, FeedError> {
    let text = decode(file, bytes)?;
    Parser::new(file, &text).document()
}

/// What element-only content can hold once whitespace, comments and processing instructions are skipped.
enum Markup<'a> {
    Start(BytesStart<'a>),
    Empty(BytesStart<'a>),
    End,
    Eof,
}

struct Parser<'a> {
    file: &'a str,
    text: &'a str,
    reader: Reader<&'a [u8]>,
    /// Line number at byte `counted`; lets line numbers be computed in one forward pass.
    line: u64,
    counted: usize,
    /// Byte offset of the last start tag returned by `markup`.
    tag_start: u64,
}

impl<'a> Parser<'a> {
    fn new(file: &'a str, text: &'a str) -> Self {
        Self {
            file,
            text,
            reader: Reader::from_str(text),
            line: 1,
            counted: 0,
            tag_start: 0,
        }
    }

    fn line_at(&mut self, position: u64) -> u64 {
        let position =
            usize::try_from(position).map_or(self.text.len(), |p| p.min(self.text.len()));
        let newlines = |bytes: &[u8]| bytes.iter().filter(|&&b| b == b'\n').count() as u64;
        if position < self.counted {
            return 1 + newlines(&self.text.as_bytes()[..position]);
        }
        self.line += newlines(&self.text.as_bytes()[self.counted..position]);
        self.counted = position;
        self.line
    }

    fn error_at(&mut self, position: u64, message: impl Into<String>) -> FeedError {
        let line = self.line_at(position);
        FeedError::Xml(Problem::new(self.file, message).at_line(line))
    }

    fn error_here(&mut self, message: impl Into<String>) -> FeedError {
        self.error_at(self.reader.buffer_position(), message)
    }

    fn malformed(&mut self, error: quick_xml::Error) -> FeedError {
        // quick-xml's syntax errors, but one, are markup left open when the input ran out.
        let message = match error {
            quick_xml::Error::Syntax(kind) if kind != SyntaxError::InvalidBangMarkup => {
                format!("le fichier est tronqué : {error}")
            }
            _ => format!("XML mal formé : {error}"),
        };
        self.error_at(self.reader.error_position(), message)
    }

    fn truncated(&mut self, element: &str) -> FeedError {
        self.error_here(format!(
            "le fichier est tronqué : il s'arrête au milieu de <{element}>"
        ))
    }

    fn markup(&mut self, parent: &str) -> Result<Markup<'a>, FeedError> {
        loop {
            self.tag_start = self.reader.buffer_position();
            match self.reader.read_event() {
                Ok(Event::Start(tag)) => return Ok(Markup::Start(tag)),
                Ok(Event::Empty(tag)) => return Ok(Markup::Empty(tag)),
                Ok(Event::End(_)) => return Ok(Markup::End),
                Ok(Event::Eof) => return Ok(Markup::Eof),
                Ok(Event::Text(text)) if text.trim().is_empty() => {}
                Ok(Event::Comment(_) | Event::PI(_)) => {}
                Ok(Event::Text(_) | Event::CData(_) | Event::GeneralRef(_)) => {
                    return Err(
                        self.error_at(self.tag_start, format!("texte inattendu dans <{parent}>"))
                    )
                }
                Ok(Event::Decl(_) | Event::DocType(_)) => return Err(self.declaration_in(parent)),
                Err(error) => return Err(self.malformed(error)),
            }
        }
    }

    fn declaration_in(&mut self, parent: &str) -> FeedError {
        self.error_at(
            self.tag_start,
            format!("déclaration inattendue dans <{parent}>"),
        )
    }

    fn unexpected(&mut self, tag: &BytesStart<'_>, parent: &str) -> FeedError {
        self.unexpected_in(tag, &format!("<{parent}>"))
    }

    fn unexpected_in(&mut self, tag: &BytesStart<'_>, place: &str) -> FeedError {
        let name = tag.name().as_ref().to_owned();
        self.error_at(
            self.tag_start,
            format!("élément <{name}> inattendu dans {place}"),
        )
    }

    fn document(mut self) -> Result<Vec<Record>, FeedError> {
        loop {
            self.tag_start = self.reader.buffer_position();
            match self.reader.read_event() {
                Ok(Event::Decl(_) | Event::DocType(_) | Event::Comment(_) | Event::PI(_)) => {}
                Ok(Event::Text(text)) if text.trim().is_empty() => {}
                Ok(Event::Start(tag)) if tag.name().as_ref() == "ficAlimMENESR" => break,
                Ok(Event::Empty(tag)) if tag.name().as_ref() == "ficAlimMENESR" => {
                    return self.end_of_document(Vec::new())
                }
                Ok(Event::Start(tag) | Event::Empty(tag)) => {
                    return Err(self.unexpected_in(&tag, "le document (attendu : <ficAlimMENESR>)"))
                }
                Ok(Event::Eof) => {
                    return Err(
                        self.error_here("le fichier ne contient pas d'élément <ficAlimMENESR>")
                    )
                }
                Ok(_) => {
                    return Err(
                        self.error_at(self.tag_start, "contenu inattendu avant <ficAlimMENESR>")
                    )
                }
                Err(error) => return Err(self.malformed(error)),
            }
        }
        let mut records = Vec::new();
        loop {
            match self.markup("ficAlimMENESR")? {
                Markup::Start(tag) => {
                    let op = match tag.name().as_ref() {
                        "addRequest" => Operation::Add,
                        "modifyRequest" => Operation::Modify,
                        "deleteRequest" => Operation::Delete,
                        _ => return Err(self.unexpected(&tag, "ficAlimMENESR")),
                    };
                    let line = self.line_at(self.tag_start);
                    records.push(self.request(op, line)?);
                }
                Markup::Empty(tag) => return Err(self.unexpected(&tag, "ficAlimMENESR")),
                Markup::End => return self.end_of_document(records),
                Markup::Eof => return Err(self.truncated("ficAlimMENESR")),
            }
        }
    }

    fn end_of_document(mut self, records: Vec<Record>) -> Result<Vec<Record>, FeedError> {
        match self.markup("document")? {
            Markup::Eof => Ok(records),
            Markup::Start(tag) | Markup::Empty(tag) => {
                Err(self.unexpected_in(&tag, "le document, après </ficAlimMENESR>"))
            }
            Markup::End => {
                Err(self.error_here("balise fermante inattendue après </ficAlimMENESR>"))
            }
        }
    }

    fn request(&mut self, op: Operation, line: u64) -> Result<Record, FeedError> {
        let element = match op {
            Operation::Add => "addRequest",
            Operation::Modify => "modifyRequest",
            Operation::Delete => "deleteRequest",
        };
        let mut operational = Vec::new();
        let mut id = None;
        let mut attributes = Vec::new();
        loop {
            let (tag, has_content) = match self.markup(element)? {
                Markup::Start(tag) => (tag, true),
                Markup::Empty(tag) => (tag, false),
                Markup::End => break,
                Markup::Eof => return Err(self.truncated(element)),
            };
            match (tag.name().as_ref(), op) {
                ("operationalAttributes", _) if has_content => {
                    self.attributes("operationalAttributes", "attr", &mut operational)?
                }
                ("identifier", _) if has_content => id = self.identifier()?,
                ("attributes", Operation::Add) if has_content => {
                    self.attributes("attributes", "attr", &mut attributes)?
                }
                ("modifications", Operation::Modify) if has_content => {
                    self.attributes("modifications", "modification", &mut attributes)?
                }
                ("operationalAttributes" | "identifier", _)
                | ("attributes", Operation::Add)
                | ("modifications", Operation::Modify) => {}
                _ => return Err(self.unexpected(&tag, element)),
            }
        }
        let problem = |message: String| Problem::new(self.file, message).at_line(line);
        let Some(id) = id else {
            return Err(FeedError::Xml(problem(format!(
                "<{element}> ne contient pas de <identifier><id>"
            ))));
        };
        let category = category(&operational).map_err(|message| {
            FeedError::Kind(problem(format!("<{element}> : {message}")).for_record(&id))
        })?;
        Ok(Record {
            op,
            category,
            id,
            attributes,
            line,
        })
    }

    fn identifier(&mut self) -> Result<Option<String>, FeedError> {
        let mut id = None;
        loop {
            match self.markup("identifier")? {
                Markup::Start(tag) if tag.name().as_ref() == "id" => {
                    let value = self.text("id")?;
                    let value = value.trim();
                    if !value.is_empty() {
                        id = Some(value.to_owned());
                    }
                }
                Markup::Empty(tag) if tag.name().as_ref() == "id" => {}
                Markup::Start(tag) | Markup::Empty(tag) => {
                    return Err(self.unexpected(&tag, "identifier"))
                }
                Markup::End => return Ok(id),
                Markup::Eof => return Err(self.truncated("identifier")),
            }
        }
    }

    /// Reads the `<attr>` or `<modification>` children of `parent`, merging repeated names.
    fn attributes(
        &mut self,
        parent: &str,
        child: &str,
        into: &mut Vec<Attribute>,
    ) -> Result<(), FeedError> {
        loop {
            let (tag, has_content) = match self.markup(parent)? {
                Markup::Start(tag) if tag.name().as_ref() == child => (tag, true),
                Markup::Empty(tag) if tag.name().as_ref() == child => (tag, false),
                Markup::Start(tag) | Markup::Empty(tag) => {
                    return Err(self.unexpected(&tag, parent))
                }
                Markup::End => return Ok(()),
                Markup::Eof => return Err(self.truncated(parent)),
            };
            let name = self.required_attribute(&tag, child, "name")?;
            if child == "modification" {
                let operation = self.required_attribute(&tag, child, "operation")?;
                if operation != "replace" {
                    return Err(self.error_at(
                        self.tag_start,
                        format!(
                            "modification de {name} : l'opération « {operation} » n'est pas prise en charge (seule « replace » l'est)"
                        ),
                    ));
                }
            }
            let values = if has_content {
                self.values(child)?
            } else {
                Vec::new()
            };
            match into.iter_mut().find(|attribute| attribute.name == name) {
                Some(attribute) => attribute.values.extend(values),
                None => into.push(Attribute { name, values }),
            }
        }
    }

    fn required_attribute(
        &mut self,
        tag: &BytesStart<'_>,
        element: &str,
        key: &str,
    ) -> Result<String, FeedError> {
        let value = match tag.try_get_attribute(key) {
            Ok(Some(attribute)) => attribute.normalized_value(XmlVersion::Implicit1_0),
            Ok(None) => {
                return Err(self.error_at(
                    self.tag_start,
                    format!("<{element}> n'a pas d'attribut {key}"),
                ))
            }
            Err(error) => return Err(self.malformed(error.into())),
        };
        value
            .map(|value| value.into_owned())
            .map_err(|error| self.malformed(error))
    }

    fn values(&mut self, parent: &str) -> Result<Vec<String>, FeedError> {
        let mut values = Vec::new();
        loop {
            match self.markup(parent)? {
                Markup::Start(tag) if tag.name().as_ref() == "value" => {
                    values.push(self.text("value")?)
                }
                Markup::Empty(tag) if tag.name().as_ref() == "value" => values.push(String::new()),
                Markup::Start(tag) | Markup::Empty(tag) => {
                    return Err(self.unexpected(&tag, parent))
                }
                Markup::End => return Ok(values),
                Markup::Eof => return Err(self.truncated(parent)),
            }
        }
    }

    /// Text content of a leaf element, with entities and character references decoded.
    fn text(&mut self, element: &str) -> Result<String, FeedError> {
        let mut text = String::new();
        loop {
            self.tag_start = self.reader.buffer_position();
            match self.reader.read_event() {
                Ok(Event::Text(part)) => text.push_str(&part.xml10_content()),
                Ok(Event::CData(part)) => text.push_str(&part.xml10_content()),
                Ok(Event::GeneralRef(reference)) => match reference.resolve_char_ref() {
                    Ok(Some(character)) => text.push(character),
                    Ok(None) => match resolve_predefined_entity(&reference) {
                        Some(replacement) => text.push_str(replacement),
                        None => {
                            return Err(self.error_at(
                                self.tag_start,
                                format!("entité inconnue &{};", &*reference),
                            ))
                        }
                    },
                    Err(error) => return Err(self.malformed(error)),
                },
                Ok(Event::Comment(_) | Event::PI(_)) => {}
                Ok(Event::End(_)) => return Ok(text),
                Ok(Event::Start(tag) | Event::Empty(tag)) => {
                    return Err(self.unexpected(&tag, element))
                }
                Ok(Event::Eof) => return Err(self.truncated(element)),
                Ok(Event::Decl(_) | Event::DocType(_)) => return Err(self.declaration_in(element)),
                Err(error) => return Err(self.malformed(error)),
            }
        }
    }
}

/// The kind named by the `categorie…` attribute of `operationalAttributes`.
fn category(operational: &[Attribute]) -> Result<FeedKind, String> {
    let Some(attribute) = operational
        .iter()
        .find(|attribute| FeedKind::is_category_attribute(&attribute.name))
    else {
        return Err(
            "operationalAttributes ne contient ni categoriePersonne, ni categorieStructure, \
             ni categorieMatiere, ni categorieMef"
                .to_owned(),
        );
    };
    let value = attribute.values.first().map_or("", |value| value.trim());
    FeedKind::from_category(&attribute.name, value)
        .ok_or_else(|| format!("catégorie inconnue ({} = « {value} »)", attribute.name))
}

#[cfg(test)]
mod tests;
