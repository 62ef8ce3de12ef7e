//! Views of the class lists and the person cards.

use serde::{Deserialize, Serialize};

/// `/classes`: the classes the viewer may see.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClassesView {
    pub classes: Vec<ClassLine>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClassLine {
    pub code: String,
    pub label: String,
    pub pupils: usize,
}

/// `/classes/{code}`: a class's pupils and teaching team.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClassView {
    pub label: String,
    pub pupils: Vec<PersonLine>,
    pub teachers: Vec<PersonLine>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PersonLine {
    pub name: String,
    pub login: String,
    /// The person's card, `/personnes/{id}`.
    pub href: String,
    /// What to say next to the name: subjects, « professeur principal », « compte à activer ».
    pub detail: String,
}

/// `/personnes/{id}`: a person's card.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PersonView {
    pub name: String,
    pub facts: Vec<(String, String)>,
    pub guardians: Vec<PersonLine>,
    pub children: Vec<PersonLine>,
    pub teaching: Vec<String>,
}
