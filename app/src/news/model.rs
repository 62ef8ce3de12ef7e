//! Views of the actualités pages.

use serde::{Deserialize, Serialize};

pub use crate::timetable::model::Choice;

/// `/actualites`: the news shown to the viewer, pinned first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ListView {
    pub items: Vec<NewsLine>,
    /// `/actualites/nouvelle`, for those who may publish.
    pub publish: Option<String>,
}

/// One news item in a list (and on the home page).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NewsLine {
    pub href: String,
    pub title: String,
    /// « Publiée le 1er décembre · 4e B ».
    pub detail: String,
    /// One line of the text.
    pub summary: String,
    pub pinned: bool,
    /// « Pas encore publiée » or « Plus publiée », for the author's own.
    pub status: Option<String>,
}

/// `/actualites/{id}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ItemView {
    pub title: String,
    pub detail: String,
    /// Cleaned HTML, from the server's sanitizer.
    pub body: String,
    pub image: Option<String>,
    pub delete: Option<String>,
}

/// `/actualites/nouvelle`: the form, again with what was typed when refused.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FormView {
    pub title: String,
    pub body: String,
    pub audiences: Vec<Choice>,
    pub from: String,
    pub until: String,
    pub pinned: bool,
    pub max_upload: String,
    pub error: Option<String>,
}
