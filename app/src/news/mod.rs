//! Actualités: the news shown to the viewer, one item, and the form that publishes one.

pub mod model;

mod views;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use model::{FormView, ItemView, ListView};

/// The pages of the service.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Page {
    /// `/actualites`.
    List(ListView),
    /// `/actualites/{id}`.
    Item(ItemView),
    /// `/actualites/nouvelle`.
    New(FormView),
}

/// The home page's card: the latest news.
pub fn home_card(lines: Vec<model::NewsLine>) -> impl IntoView {
    view! { <views::HomeCard lines=lines/> }
}

impl Page {
    pub(crate) fn render(self) -> AnyView {
        match self {
            Page::List(data) => view! { <views::List data=data/> }.into_any(),
            Page::Item(data) => view! { <views::Item data=data/> }.into_any(),
            Page::New(data) => view! { <views::NewItem data=data/> }.into_any(),
        }
    }
}
