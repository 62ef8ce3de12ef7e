//! Home: who you are, your classes or children, the services open to you.

pub mod model;

mod overview;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use model::HomeView;

/// The pages of the service.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Page {
    /// `/`.
    Home(HomeView),
}

impl Page {
    pub(crate) fn render(self) -> AnyView {
        match self {
            Page::Home(data) => view! { <overview::Home data=data/> }.into_any(),
        }
    }
}
