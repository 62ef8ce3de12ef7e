//! View models shared by every page: the frame around a page (who is looking, the notice) and
//! [`PageBody`], one variant per service. Each service keeps the views of its pages in its own
//! `model.rs`.
//!
//! View models are everything a page shows, computed by the server. The UI never reaches the
//! store; it only ever sees these plain values. They are serialisable for the JSON twins of pages
//! (such as `/ressources.json`, which the search island draws from).

use serde::{Deserialize, Serialize};

use crate::error::ErrorView;
use crate::{
    accounts, admin, agenda, classes, home, logbook, messages, news, notifications, resources,
    timetable,
};

/// One page: the person looking at it (if any), an optional notice and the page body.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PageData {
    /// Text of `<title>`, without the establishment suffix.
    pub title: String,
    pub establishment: String,
    pub viewer: Option<Viewer>,
    pub notice: Option<Notice>,
    pub body: PageBody,
}

impl PageBody {
    /// Whether the page is kept by the service worker for reading offline: « à faire » only.
    pub fn kept_offline(&self) -> bool {
        matches!(self, PageBody::Logbook(logbook::Page::Todo(_)))
    }
}

/// A one-line message shown above the page body after a form was handled.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Notice {
    pub kind: NoticeKind,
    pub text: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum NoticeKind {
    Success,
    Info,
    Error,
}

/// The signed-in person, as the navigation and the forms need them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Viewer {
    pub login: String,
    pub display_name: String,
    /// Profile in words, e.g. « Élève », « Parent d'élève ».
    pub profile_label: String,
    pub is_admin: bool,
    /// Token to echo in the `csrf` field of every form that changes something.
    pub csrf: String,
    pub nav: Vec<NavLink>,
    /// True while the account must change its password before anything else.
    pub must_change_password: bool,
    /// The header's count of notifications not seen yet (kept live by `/notifications.js`).
    pub unseen_notifications: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NavLink {
    pub href: String,
    pub label: String,
    pub current: bool,
}

/// The page inside the frame: one variant per service, each holding that service's own `Page`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[allow(
    clippy::large_enum_variant,
    reason = "one value per response, moved once into the render: a box would buy nothing"
)]
pub enum PageBody {
    Home(home::Page),
    Accounts(accounts::Page),
    Admin(admin::Page),
    Classes(classes::Page),
    Resources(resources::Page),
    Timetable(timetable::Page),
    Logbook(logbook::Page),
    Agenda(agenda::Page),
    News(news::Page),
    Messages(messages::Page),
    Notifications(notifications::Page),
    /// The 403, 404, 429 and 500 answers, shared by every service.
    Error(ErrorView),
}
