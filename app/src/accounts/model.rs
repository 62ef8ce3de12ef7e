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
