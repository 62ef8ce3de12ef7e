//! From the records of a file to typed entries of its kind.

use std::collections::HashMap;

use super::error::{Problem, Report};
use super::feed_name::FeedKind;
use super::field::Attrs;
use super::person::Parent;
use super::pupil::Pupil;
use super::staff::Staff;
use super::structure::{Mef, Structure, Subject};
use super::xml::{Operation, Record};

/// What a record asks for.
///
/// `Add` describes the whole object and creates or replaces it: full exports add every object
/// they contain, known or not. `Modify` changes only the fields it has (see [`Field`](super::Field)).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change<T> {
    /// `addRequest`: create or replace.
    Add(T),
    /// `modifyRequest`: replace the present fields.
    Modify(T),
    /// `deleteRequest`.
    Delete,
}

/// One typed record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry<T> {
    /// The record identifier: the jointure of the object.
    pub id: String,
    /// 1-based line where the record starts in its file.
    pub line: u64,
    /// What to do with the object.
    pub change: Change<T>,
}

/// The typed records of one file, in file order; the variant is the file's kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Records {
    /// `EtabEducNat`.
    Structures(Vec<Entry<Structure>>),
    /// `MatiereEducNat`.
    Subjects(Vec<Entry<Subject>>),
    /// `MefEducNat`.
    Mefs(Vec<Entry<Mef>>),
    /// `PersEducNat`.
    Staff(Vec<Entry<Staff>>),
    /// `Eleve`.
    Pupils(Vec<Entry<Pupil>>),
    /// `PersRelEleve`.
    Parents(Vec<Entry<Parent>>),
}

impl Records {
    /// Number of entries.
    pub fn len(&self) -> usize {
        match self {
            Self::Structures(entries) => entries.len(),
            Self::Subjects(entries) => entries.len(),
            Self::Mefs(entries) => entries.len(),
            Self::Staff(entries) => entries.len(),
            Self::Pupils(entries) => entries.len(),
            Self::Parents(entries) => entries.len(),
        }
    }

    /// Whether the file has no entries.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Types the records of a file of `kind`; refused records are reported and left out.
pub(crate) fn map_records(
    kind: FeedKind,
    file: &str,
    records: Vec<Record>,
    report: &mut Report,
) -> Records {
    warn_repeated_ids(file, &records, report);
    match kind {
        FeedKind::EtabEducNat => {
            Records::Structures(entries(file, records, report, Structure::read))
        }
        FeedKind::MatiereEducNat => {
            Records::Subjects(entries(file, records, report, Subject::read))
        }
        FeedKind::MefEducNat => Records::Mefs(entries(file, records, report, Mef::read)),
        FeedKind::PersEducNat => Records::Staff(entries(file, records, report, Staff::read)),
        FeedKind::Eleve => Records::Pupils(entries(file, records, report, Pupil::read)),
        FeedKind::PersRelEleve => Records::Parents(entries(file, records, report, Parent::read)),
    }
}

fn entries<T>(
    file: &str,
    records: Vec<Record>,
    report: &mut Report,
    read: fn(&mut Attrs<'_>) -> T,
) -> Vec<Entry<T>> {
    let mut entries = Vec::with_capacity(records.len());
    for record in records {
        let change = match record.op {
            Operation::Delete => Change::Delete,
            Operation::Add | Operation::Modify => {
                let mut attrs = Attrs::new(file, &record, report);
                let object = read(&mut attrs);
                let Some(object) = attrs.finish(object) else {
                    continue;
                };
                if record.op == Operation::Add {
                    Change::Add(object)
                } else {
                    Change::Modify(object)
                }
            }
        };
        entries.push(Entry {
            id: record.id,
            line: record.line,
            change,
        });
    }
    entries
}

/// A file that names an object twice is odd but can be applied in order; say so.
fn warn_repeated_ids(file: &str, records: &[Record], report: &mut Report) {
    let mut first_lines: HashMap<&str, u64> = HashMap::with_capacity(records.len());
    for record in records {
        let first = *first_lines.entry(&record.id).or_insert(record.line);
        if first != record.line {
            report.warn(
                Problem::new(
                    file,
                    format!("l'identifiant apparaît déjà à la ligne {first} ; les deux enregistrements sont appliqués dans l'ordre"),
                )
                .at_line(record.line)
                .for_record(&record.id),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::directory::testing::{add_request, feed_xml, typed, warnings};

    #[test]
    fn a_repeated_identifier_is_a_warning_and_both_records_are_kept() {
        let subject = |label: &str| {
            add_request(
                ("categorieMatiere", "MatEducNat"),
                "020700",
                &[("ENTLibelleMatiere", &[label])],
            )
        };
        let xml =
            feed_xml(&[subject("FRANCAIS"), subject("FRANÇAIS"), subject("LETTRES")].join("\n"));
        assert_eq!(typed("m.xml", &xml).len(), 3);
        let expected = |line| {
            format!("m.xml, line {line}, record 020700: l'identifiant apparaît déjà à la ligne 4 ; les deux enregistrements sont appliqués dans l'ordre")
        };
        assert_eq!(warnings("m.xml", &xml), [expected(5), expected(6)]);
    }

    #[test]
    fn a_refused_record_is_left_out_and_the_others_are_kept() {
        let pupil = |id: &str, date: &str| {
            add_request(
                ("categoriePersonne", "Eleve"),
                id,
                &[
                    ("sn", &["A"]),
                    ("givenName", &["B"]),
                    ("ENTPersonDateNaissance", &[date]),
                ],
            )
        };
        let xml = feed_xml(
            &[
                pupil("1", "01/01/2015"),
                pupil("2", "2015-01-01"),
                pupil("3", "02/01/2015"),
            ]
            .join("\n"),
        );
        let records = crate::directory::xml::parse_records("p.xml", &xml).unwrap();
        let mut report = Report::default();
        let Records::Pupils(entries) = map_records(FeedKind::Eleve, "p.xml", records, &mut report)
        else {
            panic!()
        };
        let ids: Vec<_> = entries.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, ["1", "3"]);
        assert_eq!(report.errors.len(), 1);
        assert!(Records::Subjects(Vec::new()).is_empty());
    }
}
