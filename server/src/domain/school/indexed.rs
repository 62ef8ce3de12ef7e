//! The establishment as read from the store, with the lookups that pages make on every request
//! (a class's label, a subject's label and rank, who teaches a class or a group) built once.
//!
//! The establishment table decodes straight into this type, and the table decodes a stored
//! value once for the same bytes: the maps are built once per import, not once per request. A
//! collège of 30 classes has some 400 teachings; the home page of a parent of two used to scan
//! them all for each child (see `make profile`).

use std::collections::HashMap;
use std::ops::Deref;

use foldhash::fast::RandomState;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::establishment::{Class, Establishment, Target};
use crate::domain::timetable::calendar::Zone;

type Map<V> = HashMap<String, V, RandomState>;

pub struct IndexedEstablishment {
    record: Establishment,
    /// class code → position in `record.classes`
    classes: Map<usize>,
    /// subject code → position in `record.subjects`, which is also the subject's rank
    subjects: Map<usize>,
    /// class code → who teaches the class, in [`Taught`] order
    class_teachings: Map<Vec<Taught>>,
    /// group code → who teaches the group, in [`Taught`] order
    group_teachings: Map<Vec<Taught>>,
    /// The holiday zone of the académie the directory names.
    zone: Option<Zone>,
}

/// A teaching with its subject's rank: lists of these sort by subject order, then by subject
/// code (subjects the directory did not describe come last), then by teacher.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Taught {
    rank: usize,
    /// position in `record.teachings`
    teaching: usize,
}

/// Who teaches a pupil one subject.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TeacherOf<'a> {
    pub subject: &'a str,
    /// The subject's label, or its code when the directory gave none.
    pub subject_label: &'a str,
    pub teacher: u64,
}

impl IndexedEstablishment {
    pub fn new(record: Establishment) -> Self {
        let mut classes = Map::default();
        for (index, class) in record.classes.iter().enumerate() {
            classes.entry(class.code.clone()).or_insert(index);
        }
        let mut subjects = Map::default();
        for (index, subject) in record.subjects.iter().enumerate() {
            subjects.entry(subject.code.clone()).or_insert(index);
        }
        let mut class_teachings: Map<Vec<Taught>> = Map::default();
        let mut group_teachings: Map<Vec<Taught>> = Map::default();
        for (index, teaching) in record.teachings.iter().enumerate() {
            let (map, code) = match &teaching.target {
                Target::Class(code) => (&mut class_teachings, code),
                Target::Group(code) => (&mut group_teachings, code),
            };
            let rank = subjects.get(&teaching.subject).copied();
            map.entry(code.clone()).or_default().push(Taught {
                rank: rank.unwrap_or(usize::MAX),
                teaching: index,
            });
        }
        let zone = Zone::of_academie(&record.academie);
        let mut indexed = Self {
            zone,
            record,
            classes,
            subjects,
            class_teachings,
            group_teachings,
        };
        let record = &indexed.record;
        for list in indexed
            .class_teachings
            .values_mut()
            .chain(indexed.group_teachings.values_mut())
        {
            list.sort_by_key(|taught| order_key(record, taught));
        }
        indexed
    }

    /// The school holiday zone of the establishment's académie, when it has one.
    pub fn zone(&self) -> Option<Zone> {
        self.zone
    }

    /// The stored record itself, to start a changed copy from.
    pub fn record(&self) -> &Establishment {
        &self.record
    }

    pub fn class(&self, code: &str) -> Option<&Class> {
        self.classes
            .get(code)
            .and_then(|&index| self.record.classes.get(index))
    }

    pub fn class_label(&self, code: &str) -> String {
        self.class(code)
            .map(|class| class.label.clone())
            .unwrap_or_else(|| code.to_owned())
    }

    /// A class's or group's label, or its code when the directory gave none.
    pub fn target_label(&self, target: &Target) -> String {
        match target {
            Target::Class(code) => self.class_label(code),
            Target::Group(code) => self
                .record
                .groups
                .iter()
                .find(|group| &group.code == code)
                .map_or_else(|| code.clone(), |group| group.label.clone()),
        }
    }

    pub fn subject_label(&self, code: &str) -> String {
        self.subjects
            .get(code)
            .and_then(|&index| self.record.subjects.get(index))
            .map(|subject| subject.label.clone())
            .unwrap_or_else(|| code.to_owned())
    }

    /// Who teaches a pupil of `class` and `groups`, one line per subject and teacher, in subject
    /// order.
    pub fn teachers_of(&self, class: Option<&str>, groups: &[String]) -> Vec<TeacherOf<'_>> {
        let mut found: Vec<Taught> = class
            .and_then(|code| self.class_teachings.get(code))
            .into_iter()
            .chain(
                groups
                    .iter()
                    .filter_map(|code| self.group_teachings.get(code)),
            )
            .flatten()
            .copied()
            .collect();
        found.sort_by_key(|taught| order_key(&self.record, taught));
        found.dedup_by_key(|taught| order_key(&self.record, taught));
        found
            .into_iter()
            .filter_map(|taught| {
                let teaching = self.record.teachings.get(taught.teaching)?;
                let subject_label = self
                    .record
                    .subjects
                    .get(taught.rank)
                    .map_or(teaching.subject.as_str(), |subject| subject.label.as_str());
                Some(TeacherOf {
                    subject: &teaching.subject,
                    subject_label,
                    teacher: teaching.teacher,
                })
            })
            .collect()
    }
}

/// Subject rank, subject code, teacher: the order of the lines of [`IndexedEstablishment::teachers_of`].
fn order_key<'a>(record: &'a Establishment, taught: &Taught) -> (usize, &'a str, u64) {
    match record.teachings.get(taught.teaching) {
        Some(teaching) => (taught.rank, teaching.subject.as_str(), teaching.teacher),
        None => (usize::MAX, "", 0),
    }
}

impl Deref for IndexedEstablishment {
    type Target = Establishment;

    fn deref(&self) -> &Establishment {
        &self.record
    }
}

impl From<Establishment> for IndexedEstablishment {
    fn from(record: Establishment) -> Self {
        Self::new(record)
    }
}

/// Stored as the plain record: the maps are rebuilt on reading.
impl Serialize for IndexedEstablishment {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.record.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for IndexedEstablishment {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Establishment::deserialize(deserializer).map(Self::new)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::school::establishment::testing::sample;
    use crate::domain::school::establishment::Teaching;

    fn lines(teachers: Vec<TeacherOf<'_>>) -> Vec<(String, u64)> {
        teachers
            .into_iter()
            .map(|line| (line.subject.to_owned(), line.teacher))
            .collect()
    }

    #[test]
    fn a_pupil_has_the_teachers_of_their_class_and_groups_in_subject_order() {
        let school = IndexedEstablishment::new(sample());
        assert_eq!(
            lines(school.teachers_of(Some("4B"), &["4-ESP2".to_owned()])),
            [
                ("020700".to_owned(), 2),
                ("061300".to_owned(), 1),
                ("030602".to_owned(), 3)
            ]
        );
        assert_eq!(
            lines(school.teachers_of(Some("4B"), &[])),
            [("020700".to_owned(), 2), ("061300".to_owned(), 1)]
        );
        assert_eq!(
            lines(school.teachers_of(None, &["4-ESP2".to_owned(), "ABSENT".to_owned()])),
            [("030602".to_owned(), 3)]
        );
        assert!(school.teachers_of(Some("5C"), &[]).is_empty());
        assert_eq!(
            school.teachers_of(Some("4B"), &[])[0].subject_label,
            "Français"
        );
    }

    #[test]
    fn a_subject_taught_twice_or_unknown_keeps_one_line_each() {
        let mut record = sample();
        let twice = record.teachings[0].clone();
        record.teachings.push(twice);
        record.teachings.push(Teaching {
            teacher: 9,
            target: Target::Class("4B".into()),
            subject: "999999".into(),
        });
        let school = IndexedEstablishment::new(record);
        assert_eq!(
            lines(school.teachers_of(Some("4B"), &[])),
            [
                ("020700".to_owned(), 2),
                ("061300".to_owned(), 1),
                ("999999".to_owned(), 9)
            ],
            "unknown subjects come last, duplicates once"
        );
        assert_eq!(
            school.teachers_of(Some("4B"), &[])[2].subject_label,
            "999999"
        );
        assert_eq!(school.subject_label("999999"), "999999");
    }

    #[test]
    fn labels_come_from_the_codes() {
        let school = IndexedEstablishment::new(sample());
        assert_eq!(school.class_label("4B"), "4e B");
        assert_eq!(
            school.class_label("5C"),
            "5C",
            "an unknown class keeps its code"
        );
        assert_eq!(school.class("6A"), sample().class("6A"));
        assert_eq!(school.subject_label("061300"), "Mathématiques");
    }

    #[test]
    fn it_is_stored_as_the_plain_record() {
        let record = sample();
        let bytes = crate::store::codec::encode(&IndexedEstablishment::new(record.clone()))
            .expect("encodes");
        assert_eq!(
            bytes,
            crate::store::codec::encode(&record).expect("encodes")
        );
        let read: IndexedEstablishment =
            crate::store::codec::decode("establishment", &bytes).expect("decodes");
        assert_eq!(read.record(), &record);
        assert_eq!(read.subject_label("061300"), "Mathématiques");
    }
}
