//! Emploi du temps: a week of sessions (the viewer's, a child's, a class's), one session with
//! its change, and the timetable management of direction and vie scolaire.

pub mod model;

mod manage;
mod week;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use model::{ManageView, SessionView, WeekView};

/// The pages of the service.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Page {
    /// `/emploi-du-temps`.
    Week(WeekView),
    /// `/emploi-du-temps/seances/{id}`.
    Session(SessionView),
    /// `/emploi-du-temps/gestion`.
    Manage(ManageView),
}

/// One day of a week, as the home page shows today.
pub fn day(day: model::DayView) -> impl IntoView {
    view! { <week::Day day=day/> }
}

impl Page {
    pub(crate) fn render(self) -> AnyView {
        match self {
            Page::Week(data) => view! { <week::Week data=data/> }.into_any(),
            Page::Session(data) => view! { <week::Session data=data/> }.into_any(),
            Page::Manage(data) => view! { <manage::Manage data=data/> }.into_any(),
        }
    }
}
