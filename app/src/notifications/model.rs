//! Views of the notifications page.

use serde::{Deserialize, Serialize};

/// `/notifications`: one page of the feed, newest first, as it was before this visit marked it
/// seen.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FeedView {
    /// « 2 nouvelles notifications depuis votre dernière visite. », or that nothing is new.
    pub summary: String,
    pub lines: Vec<NotificationLine>,
    /// The same page again, for a refresh without JavaScript.
    pub refresh: String,
    /// The newer page, when this is not the first.
    pub newer: Option<String>,
    /// The older page, when there is one.
    pub older: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NotificationLine {
    pub href: String,
    pub title: String,
    /// « Messagerie · lundi 7 septembre 2026 à 10:05 ».
    pub detail: String,
    /// Not seen before this visit.
    pub new: bool,
}
