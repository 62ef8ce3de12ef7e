//! Views of the agenda pages.

use serde::{Deserialize, Serialize};

pub use crate::timetable::model::Choice;

/// `/agenda`: a day, a week or a month of events, day by day.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AgendaView {
    /// « Semaine du 30 novembre au 6 décembre 2026 ».
    pub period: String,
    /// Jour, Semaine, Mois: `(href, label, current)`.
    pub views: Vec<(String, String, bool)>,
    pub previous: String,
    pub next: String,
    /// Back to today, when another period is shown.
    pub current: Option<String>,
    pub days: Vec<AgendaDay>,
    /// Said when the period has no event.
    pub empty: Option<String>,
    /// `/agenda/nouvel-evenement`.
    pub create: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AgendaDay {
    pub heading: String,
    pub today: bool,
    pub events: Vec<EventLine>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EventLine {
    /// « 17:00 – 19:00 », « Toute la journée », « Jusqu'au 9 décembre ».
    pub time: String,
    pub title: String,
    pub href: String,
    /// « Conseil de classe · 4e B · salle du conseil ».
    pub detail: String,
}

/// `/agenda/evenements/{id}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EventView {
    pub title: String,
    pub facts: Vec<(String, String)>,
    pub description: String,
    pub back: String,
    /// The removal form, for those who may remove it.
    pub delete: Option<String>,
}

/// `/agenda/nouvel-evenement`: the form, again with what was typed when refused.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EventFormView {
    pub title: String,
    pub kinds: Vec<Choice>,
    pub audiences: Vec<Choice>,
    pub start_date: String,
    pub start_time: String,
    pub end_date: String,
    pub end_time: String,
    pub all_day: bool,
    pub place: String,
    pub description: String,
    pub error: Option<String>,
}
