//! Notifications: the viewer's feed of what concerns them. The header's count is the frame's
//! ([`crate::model::Viewer::unseen_notifications`]), kept live by `/notifications.js`.

pub mod model;

mod views;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use model::FeedView;

/// The pages of the service.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Page {
    /// `/notifications`.
    Feed(FeedView),
}

impl Page {
    pub(crate) fn render(self) -> AnyView {
        match self {
            Page::Feed(data) => view! { <views::Feed data=data/> }.into_any(),
        }
    }
}
