//! Views of the home page.

use serde::{Deserialize, Serialize};

use crate::timetable::model::DayView;

/// The home page: who you are, your classes or children, your services.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HomeView {
    pub greeting: String,
    pub profile_label: String,
    /// Today's date in words, e.g. « dimanche 29 novembre 2026 ».
    pub today: String,
    pub classes: Vec<ClassCard>,
    pub children: Vec<ChildChoice>,
    pub selected_child: Option<ChildCard>,
    /// Today's sessions: the viewer's (a pupil, a teacher) or the selected child's.
    pub timetable: Option<TodayCard>,
    /// The latest news shown to the viewer (at most three, pinned first).
    pub news: Vec<crate::news::model::NewsLine>,
    pub services: Vec<ServiceCard>,
}

/// « Aujourd'hui »: the day of the timetable, with a link to the week.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TodayCard {
    pub day: DayView,
    pub week: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClassCard {
    pub code: String,
    pub label: String,
    /// What the viewer does in that class, e.g. « Mathématiques · professeur principal ».
    pub detail: String,
}

/// A child in the parent's chooser.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChildChoice {
    pub id: u64,
    pub display_name: String,
    pub class_label: String,
}

/// The child the page is about.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChildCard {
    pub id: u64,
    pub display_name: String,
    pub class_label: String,
    /// « Responsable légal » or « Personne en charge ».
    pub link_label: String,
    pub teachers: Vec<TeacherLine>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TeacherLine {
    pub subject: String,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ServiceCard {
    pub href: String,
    pub label: String,
    pub description: String,
    /// A connected service's logo (same origin), shown beside its name.
    pub logo: Option<String>,
}
