//! The establishment's weekly courses, stored as one record and decoded with the lookups a week
//! page needs (the courses of a class or group, of a teacher) built once per stored value, as
//! the establishment is ([`IndexedEstablishment`](crate::domain::school::indexed)).

use std::collections::HashMap;
use std::ops::Deref;

use foldhash::fast::RandomState;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::course::Course;
use crate::domain::school::establishment::Target;

/// Every course of the timetable.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Timetable {
    pub courses: Vec<Course>,
}

pub struct IndexedTimetable {
    record: Timetable,
    by_target: HashMap<Target, Vec<usize>, RandomState>,
    by_teacher: HashMap<u64, Vec<usize>, RandomState>,
}

impl IndexedTimetable {
    pub fn new(record: Timetable) -> Self {
        let mut by_target: HashMap<Target, Vec<usize>, RandomState> = HashMap::default();
        let mut by_teacher: HashMap<u64, Vec<usize>, RandomState> = HashMap::default();
        for (index, course) in record.courses.iter().enumerate() {
            by_target
                .entry(course.target.clone())
                .or_default()
                .push(index);
            for teacher in &course.teachers {
                by_teacher.entry(*teacher).or_default().push(index);
            }
        }
        Self {
            record,
            by_target,
            by_teacher,
        }
    }

    pub fn record(&self) -> &Timetable {
        &self.record
    }

    /// The courses of any of `targets`, each once.
    pub fn of_targets<'a>(&'a self, targets: &[Target]) -> Vec<&'a Course> {
        let mut indexes: Vec<usize> = targets
            .iter()
            .filter_map(|target| self.by_target.get(target))
            .flatten()
            .copied()
            .collect();
        indexes.sort_unstable();
        indexes.dedup();
        indexes
            .into_iter()
            .filter_map(|index| self.record.courses.get(index))
            .collect()
    }

    /// The courses `teacher` teaches.
    pub fn of_teacher(&self, teacher: u64) -> Vec<&Course> {
        self.by_teacher
            .get(&teacher)
            .into_iter()
            .flatten()
            .filter_map(|&index| self.record.courses.get(index))
            .collect()
    }

    pub fn course(&self, id: u64) -> Option<&Course> {
        self.record.courses.iter().find(|course| course.id == id)
    }
}

impl Deref for IndexedTimetable {
    type Target = Timetable;

    fn deref(&self) -> &Timetable {
        &self.record
    }
}

impl From<Timetable> for IndexedTimetable {
    fn from(record: Timetable) -> Self {
        Self::new(record)
    }
}

impl Serialize for IndexedTimetable {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.record.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for IndexedTimetable {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Timetable::deserialize(deserializer).map(Self::new)
    }
}
