//! The school as the directory describes it: the establishment's structures (classes, groups,
//! subjects, who teaches what where), class lists, person cards and connection sheets.

pub mod classes;
pub mod establishment;
pub mod indexed;
pub mod people;
pub mod sheets;
