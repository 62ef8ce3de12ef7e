//! Accounts: signing in, activating an account with its one-time code, and one's own account
//! with the password change.

pub mod model;

mod account;
mod activation;
mod installation;
mod login;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use model::{AccountView, ActivationView, InstallationView, InstalledView, LoginView};

/// The pages of the service.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Page {
    /// `/connexion`.
    Login(LoginView),
    /// `/activation`.
    Activation(ActivationView),
    /// `/compte`.
    Account(AccountView),
    /// `/installation`, on a box with no administrator yet.
    Installation(InstallationView),
    /// `/installation`, once done.
    Installed(InstalledView),
}

impl Page {
    pub(crate) fn render(self) -> AnyView {
        match self {
            Page::Login(data) => view! { <login::Login data=data/> }.into_any(),
            Page::Activation(data) => view! { <activation::Activation data=data/> }.into_any(),
            Page::Account(data) => view! { <account::Account data=data/> }.into_any(),
            Page::Installation(data) => {
                view! { <installation::Installation data=data/> }.into_any()
            }
            Page::Installed(data) => view! { <installation::Installed data=data/> }.into_any(),
        }
    }
}
