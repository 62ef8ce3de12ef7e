//! Errors and warnings of the directory feed. They end up in the import report that
//! administrators read, so each one says where (file, line, record) and what: the `message` is in
//! French, for the administrator. The `Display` forms below, which frame it with the place in
//! English, are for logs and tests.

use std::fmt;

/// Where a problem was found in the feed and what it is.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Problem {
    /// Display name of the file, e.g. `export.zip!/ENT2D_Complet_20260901_Eleve_0000.xml`.
    pub file: String,
    /// 1-based line in the file, when the problem has a place in it.
    pub line: Option<u64>,
    /// Identifier of the record concerned, when there is one.
    pub record: Option<String>,
    /// What is wrong, in French, e.g.
    /// `ENTPersonDateNaissance : « 31/02/2015 » n'est pas une date valide (attendu : jj/mm/aaaa)`.
    pub message: String,
}

impl Problem {
    pub(crate) fn new(file: &str, message: impl Into<String>) -> Self {
        Self {
            file: file.to_owned(),
            line: None,
            record: None,
            message: message.into(),
        }
    }

    pub(crate) fn at_line(mut self, line: u64) -> Self {
        self.line = Some(line);
        self
    }

    pub(crate) fn for_record(mut self, id: &str) -> Self {
        self.record = Some(id.to_owned());
        self
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.file)?;
        if let Some(line) = self.line {
            write!(f, ", line {line}")?;
        }
        if let Some(record) = &self.record {
            write!(f, ", record {record}")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// An error that prevents a file, or a record of it, from being imported.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FeedError {
    /// A file, folder or archive entry could not be read.
    #[error("{0}")]
    Read(Problem),
    /// A zip archive is damaged or unsafe (path outside the archive, zip bomb, encryption).
    #[error("{0}")]
    Archive(Problem),
    /// The encoding is not supported, or the bytes do not match the declared encoding.
    #[error("{0}")]
    Encoding(Problem),
    /// The file is not a well-formed and complete `ficAlimMENESR` document.
    #[error("{0}")]
    Xml(Problem),
    /// The kind of a file or of a record cannot be recognised, or they disagree.
    #[error("{0}")]
    Kind(Problem),
    /// An attribute value does not have its expected format.
    #[error("{0}")]
    Value(Problem),
}

impl FeedError {
    /// The place and description shared by every kind of error.
    pub fn problem(&self) -> &Problem {
        match self {
            Self::Read(p)
            | Self::Archive(p)
            | Self::Encoding(p)
            | Self::Xml(p)
            | Self::Kind(p)
            | Self::Value(p) => p,
        }
    }
}

/// Why a feed was refused: every error found (never empty), with the warnings gathered on the way.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", list(.errors))]
pub struct FeedErrors {
    /// The errors, in the order the files were read.
    pub errors: Vec<FeedError>,
    /// Non-blocking observations made while reading.
    pub warnings: Vec<Problem>,
}

fn list(errors: &[FeedError]) -> String {
    let mut text = format!("the directory feed has {} error(s)", errors.len());
    for error in errors {
        text.push_str("\n- ");
        text.push_str(&error.to_string());
    }
    text
}

/// Collects errors and warnings so that one reading reports every problem at once.
#[derive(Debug, Default)]
pub(crate) struct Report {
    pub(crate) errors: Vec<FeedError>,
    pub(crate) warnings: Vec<Problem>,
}

impl Report {
    pub(crate) fn error(&mut self, error: FeedError) {
        self.errors.push(error);
    }

    pub(crate) fn warn(&mut self, warning: Problem) {
        self.warnings.push(warning);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_problem_reads_as_file_line_record_then_message() {
        let problem = Problem::new("a.xml", "sn: missing")
            .at_line(12)
            .for_record("3000006");
        assert_eq!(
            problem.to_string(),
            "a.xml, line 12, record 3000006: sn: missing"
        );
        assert_eq!(Problem::new("a.xml", "empty").to_string(), "a.xml: empty");
    }

    #[test]
    fn feed_errors_list_every_error() {
        let errors = FeedErrors {
            errors: vec![
                FeedError::Xml(Problem::new("a.xml", "truncated").at_line(3)),
                FeedError::Value(Problem::new("b.xml", "bad date").for_record("7")),
            ],
            warnings: Vec::new(),
        };
        assert_eq!(
            errors.to_string(),
            "the directory feed has 2 error(s)\n- a.xml, line 3: truncated\n- b.xml, record 7: bad date"
        );
        assert_eq!(errors.errors[1].problem().record.as_deref(), Some("7"));
    }
}
