//! Views of the cahier de textes pages.

use serde::{Deserialize, Serialize};

pub use crate::timetable::model::{Choice, Chooser};

/// `/cahier-de-textes/a-faire`: a pupil's homework by due date (a parent's child's).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TodoView {
    pub heading: String,
    /// A parent's children.
    pub chooser: Option<Chooser>,
    /// « Mis à jour le lundi 30 novembre à 17 h 05 »: shown as is when the page comes from the
    /// phone's copy, without the network.
    pub fetched: String,
    pub days: Vec<TodoDay>,
    /// Said when nothing is due.
    pub empty: Option<String>,
    /// The class's cahier de textes (what was done in class).
    pub class_href: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TodoDay {
    /// « Pour demain, mardi 1er décembre ».
    pub heading: String,
    pub items: Vec<TodoItem>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TodoItem {
    pub subject: String,
    /// « Exercice · 20 min ».
    pub kind: String,
    pub assessment: bool,
    pub description: String,
    /// « Donné le lundi 30 novembre par M. Moreau ».
    pub given: String,
    pub done: bool,
    /// The form ticking it done: pupils only.
    pub tick: Option<String>,
    /// The hand-in page, with what it says (« À rendre en ligne », « Rendu le … »).
    pub hand_in: Option<(String, String)>,
    /// The session's page.
    pub entry: String,
}

/// `/cahier-de-textes/seances`: a teacher's sessions of a week, filled or not.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SessionsView {
    pub week_label: String,
    pub previous: String,
    pub next: String,
    pub current: Option<String>,
    pub days: Vec<SessionsDay>,
    pub empty: Option<String>,
    /// The teacher's classes' cahiers de textes.
    pub classes: Vec<(String, String)>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SessionsDay {
    pub heading: String,
    pub today: bool,
    pub off: Option<String>,
    pub sessions: Vec<SessionItem>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SessionItem {
    pub time: String,
    pub subject: String,
    /// « 4e B · salle B12 ».
    pub detail: String,
    pub href: String,
    /// « Rempli · 1 travail », « À remplir », « Annulé ».
    pub status: String,
    pub filled: bool,
}

/// `/cahier-de-textes/seances/{id}`: a session's entry, and for its teacher the form.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EntryView {
    pub heading: String,
    pub facts: Vec<(String, String)>,
    pub back: (String, String),
    /// Cleaned HTML, from the server's sanitizer.
    pub content: Option<String>,
    pub attachments: Vec<FileLink>,
    pub resources: Vec<(String, String)>,
    pub homework: Vec<HomeworkLine>,
    /// « Visé par Mme Lefèvre le 2 décembre 2026 ».
    pub visa: Option<String>,
    pub form: Option<EntryForm>,
    pub copy: Option<CopyForm>,
    pub visa_form: Option<VisaForm>,
    pub error: Option<String>,
    pub notice: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FileLink {
    pub href: String,
    pub name: String,
    /// « PDF · 120 Ko ».
    pub detail: String,
    /// The value of the remove checkbox, in the teacher's form.
    pub hash: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HomeworkLine {
    /// « Pour le mardi 1er décembre ».
    pub due: String,
    /// « Exercice · 20 min ».
    pub kind: String,
    pub description: String,
    /// The teacher's view of hand-ins (« Rendus : 3 sur 25 »), or a pupil's hand-in page.
    pub link: Option<(String, String)>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EntryForm {
    pub action: String,
    pub content: String,
    pub homework: Vec<HomeworkFields>,
    /// The teacher's resources to link, checked when linked.
    pub resources: Vec<Choice>,
    /// The attachments, each with a box to remove it.
    pub attachments: Vec<FileLink>,
    pub max_upload: String,
}

/// One homework's fields; the last one of the form is blank, for a new homework.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HomeworkFields {
    /// Empty for the new one.
    pub id: String,
    pub description: String,
    /// `YYYY-MM-DD`; empty: the next session.
    pub due: String,
    pub kinds: Vec<Choice>,
    pub minutes: String,
    pub hand_in: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CopyForm {
    pub action: String,
    pub sessions: Vec<Choice>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VisaForm {
    pub action: String,
    pub signed: bool,
}

/// `/cahier-de-textes/classe`: a class's or group's entries of a week, all subjects.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClassView {
    pub heading: String,
    pub chooser: Option<Chooser>,
    pub week_label: String,
    pub previous: String,
    pub next: String,
    pub current: Option<String>,
    pub days: Vec<ClassDay>,
    pub empty: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClassDay {
    pub heading: String,
    pub entries: Vec<ClassEntry>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClassEntry {
    pub time: String,
    pub subject: String,
    pub teachers: String,
    pub href: String,
    /// One line of the lesson's text.
    pub summary: String,
    pub homework: Vec<String>,
    pub visa: bool,
}

/// `/cahier-de-textes/devoirs/{id}`: one homework, and a pupil's hand-in.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HandInView {
    pub heading: String,
    pub facts: Vec<(String, String)>,
    pub description: String,
    pub back: String,
    /// What the pupil handed in, if anything: the file and when.
    pub handed_in: Option<(FileLink, String)>,
    /// The upload form, for a pupil when the teacher asks for a file.
    pub upload: Option<String>,
    pub max_upload: String,
    pub error: Option<String>,
    pub notice: Option<String>,
}

/// `/cahier-de-textes/devoirs/{id}/rendus`: who handed in what, for the teacher.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HandInsView {
    pub heading: String,
    pub summary: String,
    pub back: String,
    pub rows: Vec<HandInRow>,
    /// The zip of every file, when there is one.
    pub archive: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HandInRow {
    pub pupil: String,
    pub file: Option<FileLink>,
    /// « Rendu le 1er décembre à 18 h 02 », « En retard », « Non rendu ».
    pub status: String,
    pub late: bool,
}
