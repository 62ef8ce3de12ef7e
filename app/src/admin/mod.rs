//! Administration: the establishment and its accounts at a glance, the « fiches de connexion »
//! of a class, and the académie directory imported by hand.

pub mod model;

mod backups;
mod directory;
mod home;
mod services;
mod sheets;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use model::{
    AdminView, BackupsView, CasServicesView, DirectoryView, SheetsConfirmView, SheetsView,
};

/// The pages of the service.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Page {
    /// `/admin`.
    Home(Box<AdminView>),
    /// `GET /admin/fiches/{classe}`.
    SheetsConfirm(SheetsConfirmView),
    /// `POST /admin/fiches/{classe}`.
    Sheets(SheetsView),
    /// `/admin/annuaire`.
    Directory(DirectoryView),
    /// `/admin/sauvegardes`.
    Backups(BackupsView),
    /// `/admin/services`.
    Services(Box<CasServicesView>),
}

impl Page {
    pub(crate) fn render(self) -> AnyView {
        match self {
            Page::Home(data) => view! { <home::AdminHome data=*data/> }.into_any(),
            Page::SheetsConfirm(data) => view! { <sheets::SheetsConfirm data=data/> }.into_any(),
            Page::Sheets(data) => view! { <sheets::Sheets data=data/> }.into_any(),
            Page::Directory(data) => view! { <directory::Directory data=data/> }.into_any(),
            Page::Backups(data) => view! { <backups::Backups data=data/> }.into_any(),
            Page::Services(data) => view! { <services::Services data=*data/> }.into_any(),
        }
    }
}
