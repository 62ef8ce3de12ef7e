//! Views of the sign-in, activation and account pages.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LoginView {
    pub login: String,
    /// Where to go once signed in (a local path).
    pub next: Option<String>,
    pub error: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ActivationView {
    pub login: String,
    pub error: Option<String>,
    pub min_password_len: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AccountView {
    pub login: String,
    pub display_name: String,
    pub profile_label: String,
    pub email: Option<String>,
    pub error: Option<String>,
    pub min_password_len: usize,
    /// The e-mail digest choice; `None` when the ENT e-mails no notifications.
    pub digest: Option<DigestChoice>,
}

/// Whether the person's notifications are e-mailed to them as a digest.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct DigestChoice {
    pub wanted: bool,
    /// Without an address nothing can be sent, whatever the choice.
    pub has_email: bool,
}

/// `/installation`: the first start's form, as typed so far (passwords are never sent back).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct InstallationView {
    /// The one-time token, when the address carried it.
    pub token: String,
    pub uai: String,
    pub name: String,
    pub login: String,
    /// `dossier` (the data directory's drop folder) or `adresse` (an HTTPS URL).
    pub source: String,
    pub url: String,
    pub schedule: String,
    /// `self-signed`, `off` or `files`.
    pub tls: String,
    pub cert: String,
    pub key: String,
    pub min_password_len: usize,
    /// Settings the configuration file or the environment fixes: (what, value), shown and not
    /// asked.
    pub fixed: Vec<(String, String)>,
    /// The `section.key`s of `fixed`: their fields are not in the form.
    pub fixed_keys: Vec<String>,
    pub error: Option<String>,
}

/// The installation is done; the appliance restarts with it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct InstalledView {
    pub login: String,
    pub establishment: String,
}
