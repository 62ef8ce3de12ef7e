//! Messagerie: folders, a message with its conversation, the writing form (recipients found by
//! a plain search without JavaScript), and the administrator's communication rules.

pub mod model;

mod picker;
mod views;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use model::{ComposeView, FolderView, MessageView, RulesView};

/// The pages of the service.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Page {
    Folder(FolderView),
    Message(MessageView),
    Compose(ComposeView),
    Rules(RulesView),
}

impl Page {
    pub(crate) fn render(self) -> AnyView {
        match self {
            Page::Folder(data) => view! { <views::Folder data=data/> }.into_any(),
            Page::Message(data) => view! { <views::Message data=data/> }.into_any(),
            Page::Compose(data) => view! { <views::Compose data=data/> }.into_any(),
            Page::Rules(data) => view! { <views::Rules data=data/> }.into_any(),
        }
    }
}
