//! Views of the timetable pages.

use serde::{Deserialize, Serialize};

/// A choice of a `<select>`: value, label, selected.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// `/emploi-du-temps`: one week, day by day.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WeekView {
    /// « Mon emploi du temps », « Emploi du temps de 4e B », « Emploi du temps de Léa Martin ».
    pub heading: String,
    /// « Semaine du 30 novembre au 5 décembre 2026 · semaine B ».
    pub week_label: String,
    pub previous: String,
    pub next: String,
    /// Back to the current week, when another is shown.
    pub current: Option<String>,
    /// Whose week to show: a parent's children, or the classes a staff member or teacher may
    /// open; empty when there is nothing to choose.
    pub chooser: Option<Chooser>,
    pub days: Vec<DayView>,
    /// `/emploi-du-temps/gestion`, for those who manage the timetable.
    pub manage: Option<String>,
    /// Said when the week has no session at all.
    pub empty: Option<String>,
    /// The viewer's calendar subscription (pupils, parents, teachers).
    pub subscription: Option<Subscription>,
}

/// The secret address of the viewer's timetable for phone calendars, and the form renewing it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Subscription {
    /// `/agenda/{token}.ics`.
    pub href: String,
    /// `/emploi-du-temps/abonnement`.
    pub renew: String,
}

/// A GET form choosing whose week is shown.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Chooser {
    pub label: String,
    /// The query parameter: `enfant` or `classe`.
    pub name: String,
    pub choices: Vec<Choice>,
    /// The week shown, kept when choosing.
    pub week: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DayView {
    /// « Lundi 30 novembre ».
    pub heading: String,
    pub today: bool,
    /// Why there is no class: « Vacances de Noël », « Jour férié : Armistice 1918 ».
    pub off: Option<String>,
    pub sessions: Vec<SessionLine>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SessionLine {
    /// « 08:00 – 08:55 ».
    pub time: String,
    pub subject: String,
    /// Class or group, teachers, room: « 4e B · M. Durand · salle B12 ».
    pub detail: String,
    /// « Annulé », « Salle changée : CDI », « Remplacement : Mme Petit ».
    pub changes: Vec<String>,
    pub cancelled: bool,
    pub note: Option<String>,
    /// The session's page, for those who may change it.
    pub href: Option<String>,
}

/// `/emploi-du-temps/seances/{id}`: one session, and the form that changes it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SessionView {
    pub heading: String,
    pub facts: Vec<(String, String)>,
    pub action: String,
    pub back: String,
    pub cancelled: bool,
    pub room: String,
    pub note: String,
    pub replacements: Vec<Choice>,
    pub error: Option<String>,
}

/// `/emploi-du-temps/gestion`: the courses by class or group, a form to add one, the import.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ManageView {
    pub groups: Vec<CourseGroup>,
    pub targets: Vec<Choice>,
    pub subjects: Vec<Choice>,
    pub teachers: Vec<Choice>,
    pub weekdays: Vec<Choice>,
    /// The problems of a refused course or file, in French.
    pub errors: Vec<String>,
    pub zone: String,
    pub count: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CourseGroup {
    pub label: String,
    pub courses: Vec<CourseRow>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CourseRow {
    /// « Lundi 08:00 – 08:55 · semaine A ».
    pub when: String,
    pub subject: String,
    pub detail: String,
    /// `/emploi-du-temps/cours/{id}/supprimer`.
    pub remove: String,
}
