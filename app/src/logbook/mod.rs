//! Cahier de textes: « à faire » for pupils and parents, « mes séances » for teachers, a
//! session's entry (and its form), a class's week across subjects, hand-ins.

pub mod model;

pub(crate) mod editor;
mod entry;
mod hand_in;
mod lists;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use model::{ClassView, EntryView, HandInView, HandInsView, SessionsView, TodoView};

/// The pages of the service.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Page {
    /// `/cahier-de-textes/a-faire`.
    Todo(TodoView),
    /// `/cahier-de-textes/seances`.
    Sessions(SessionsView),
    /// `/cahier-de-textes/seances/{id}`.
    Entry(EntryView),
    /// `/cahier-de-textes/classe`.
    Class(ClassView),
    /// `/cahier-de-textes/devoirs/{id}`.
    HandIn(HandInView),
    /// `/cahier-de-textes/devoirs/{id}/rendus`.
    HandIns(HandInsView),
}

impl Page {
    pub(crate) fn render(self) -> AnyView {
        match self {
            Page::Todo(data) => view! { <lists::Todo data=data/> }.into_any(),
            Page::Sessions(data) => view! { <lists::Sessions data=data/> }.into_any(),
            Page::Entry(data) => view! { <entry::Entry data=data/> }.into_any(),
            Page::Class(data) => view! { <lists::Class data=data/> }.into_any(),
            Page::HandIn(data) => view! { <hand_in::HandIn data=data/> }.into_any(),
            Page::HandIns(data) => view! { <hand_in::HandIns data=data/> }.into_any(),
        }
    }
}
