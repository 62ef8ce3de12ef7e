//! Agenda: establishment, class and personal events by day, week or month, one event, and the
//! form that adds one.

pub mod model;

mod views;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use model::{AgendaView, EventFormView, EventView};

/// The pages of the service.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Page {
    /// `/agenda`.
    Period(AgendaView),
    /// `/agenda/evenements/{id}`.
    Event(EventView),
    /// `/agenda/nouvel-evenement`.
    New(EventFormView),
}

impl Page {
    pub(crate) fn render(self) -> AnyView {
        match self {
            Page::Period(data) => view! { <views::Period data=data/> }.into_any(),
            Page::Event(data) => view! { <views::Event data=data/> }.into_any(),
            Page::New(data) => view! { <views::NewEvent data=data/> }.into_any(),
        }
    }
}
