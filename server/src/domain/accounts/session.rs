//! A signed-in session, kept server-side and named by the hash of its token.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Session {
    pub account: u64,
    /// Echoed by cookie-authenticated writes (`X-CSRF-Token` or the `csrf` form field).
    pub csrf: String,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
}
