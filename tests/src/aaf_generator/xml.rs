//! Writing `ficAlimMENESR` files: the prolog the académie writes, one `addRequest` a line,
//! values escaped, and the text encoded as the prolog declares.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;

use encoding_rs::Encoding;

/// One feed file being written.
pub(super) struct FeedFile {
    out: BufWriter<File>,
    encoding: &'static Encoding,
}

impl FeedFile {
    pub(super) fn create(
        path: &Path,
        encoding: &'static Encoding,
        academie_code: &str,
    ) -> io::Result<Self> {
        let mut file = Self {
            out: BufWriter::new(File::create(path)?),
            encoding,
        };
        let prolog = format!(
            "<?xml version=\"1.0\" encoding=\"{}\"?>\n\
             <!DOCTYPE ficAlimMENESR SYSTEM \"ficAlimMENESR.dtd\">\n\
             <ficAlimMENESR>\n\
             <!-- versionAF=\"AAF-VE2407\" codeAcademieExport=\"{academie_code}\" degre=\"2D\" -->\n",
            encoding.name()
        );
        file.write_text(&prolog)?;
        Ok(file)
    }

    pub(super) fn write(&mut self, record: Record) -> io::Result<()> {
        let mut line = record.0;
        line.push_str("</attributes></addRequest>\n");
        self.write_text(&line)
    }

    pub(super) fn finish(mut self) -> io::Result<()> {
        self.write_text("</ficAlimMENESR>\n")?;
        self.out.flush()
    }

    fn write_text(&mut self, text: &str) -> io::Result<()> {
        let (bytes, _, unmappable) = self.encoding.encode(text);
        if unmappable {
            // encoding_rs would write a character reference; the académie's files never do.
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("not encodable in {}: {text}", self.encoding.name()),
            ));
        }
        self.out.write_all(&bytes)
    }
}

/// An `addRequest` under construction.
pub(super) struct Record(String);

impl Record {
    /// `category` is the operational attribute, e.g. `("categoriePersonne", "Eleve")`.
    pub(super) fn add(category: (&str, &str), id: &str) -> Self {
        let mut xml = String::with_capacity(1024);
        xml.push_str("<addRequest><operationalAttributes>");
        push_attr(&mut xml, category.0, [category.1]);
        xml.push_str("</operationalAttributes><identifier><id>");
        escape_into(&mut xml, id);
        xml.push_str("</id></identifier><attributes>");
        Self(xml)
    }

    /// A multi-valued attribute; no value, or an empty one, is written `<value/>`.
    pub(super) fn values<S: AsRef<str>>(
        mut self,
        name: &str,
        values: impl IntoIterator<Item = S>,
    ) -> Self {
        push_attr(&mut self.0, name, values);
        self
    }

    pub(super) fn value(self, name: &str, value: &str) -> Self {
        self.values(name, [value])
    }
}

fn push_attr<S: AsRef<str>>(xml: &mut String, name: &str, values: impl IntoIterator<Item = S>) {
    xml.push_str("<attr name=\"");
    xml.push_str(name);
    xml.push_str("\">");
    let mut empty = true;
    for value in values {
        let value = value.as_ref();
        if value.is_empty() {
            continue;
        }
        empty = false;
        xml.push_str("<value>");
        escape_into(xml, value);
        xml.push_str("</value>");
    }
    if empty {
        xml.push_str("<value/>");
    }
    xml.push_str("</attr>");
}

fn escape_into(xml: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => xml.push_str("&amp;"),
            '<' => xml.push_str("&lt;"),
            '>' => xml.push_str("&gt;"),
            '\'' => xml.push_str("&apos;"),
            '"' => xml.push_str("&quot;"),
            _ => xml.push(c),
        }
    }
}
