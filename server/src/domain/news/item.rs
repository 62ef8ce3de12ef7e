//! A news item (actualité): what direction, vie scolaire or a teacher publishes to the
//! establishment, the staff or classes and groups, from a date and until another.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::resources::resource::StoredFile;
use crate::domain::school::establishment::Target;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewsItem {
    pub id: u64,
    pub title: String,
    /// Cleaned HTML ([`crate::domain::logbook::content::clean`]).
    pub body: String,
    /// A picture shown with it (PNG, JPEG, GIF, WebP or AVIF).
    pub image: Option<StoredFile>,
    pub audience: NewsAudience,
    /// Shown from this day on.
    pub from: NaiveDate,
    /// Shown up to this day included; `None`: until removed.
    pub until: Option<NaiveDate>,
    /// Shown before the others.
    pub pinned: bool,
    pub author: u64,
    pub created_at: DateTime<Utc>,
}

impl NewsItem {
    /// Whether it is shown on `day`.
    pub fn is_current(&self, day: NaiveDate) -> bool {
        self.from <= day && self.until.is_none_or(|until| day <= until)
    }
}

/// Who a news item is for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "to", content = "targets", rename_all = "snake_case")]
pub enum NewsAudience {
    Establishment,
    Staff,
    Targets(Vec<Target>),
}

/// Every news item of the establishment, newest last: one record, read once per page.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewsBoard {
    pub items: Vec<NewsItem>,
}
