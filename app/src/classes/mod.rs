//! Classes: the class lists and the person cards, for the staff.

pub mod model;

mod lists;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use model::{ClassView, ClassesView, PersonView};

/// The pages of the service.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Page {
    /// `/classes`.
    List(ClassesView),
    /// `/classes/{code}`.
    Class(ClassView),
    /// `/personnes/{id}`.
    Person(PersonView),
}

impl Page {
    pub(crate) fn render(self) -> AnyView {
        match self {
            Page::List(data) => view! { <lists::Classes data=data/> }.into_any(),
            Page::Class(data) => view! { <lists::Class data=data/> }.into_any(),
            Page::Person(data) => view! { <lists::Person data=data/> }.into_any(),
        }
    }
}
