//! The library's query string (`/ressources`, `/ressources.json`, `/api/v1/resources`), read
//! into a search: shared by the pages and the JSON API so that both accept exactly the same.

use serde::Deserialize;

use crate::domain::resources::resource_search::PER_PAGE;
use crate::domain::DomainError;
use crate::search::{SearchQuery, Sort, MAX_PAGE};

#[derive(Deserialize, Default)]
pub struct ResourceQuery {
    #[serde(default)]
    pub q: String,
    pub discipline: Option<String>,
    pub level: Option<String>,
    pub theme: Option<String>,
    pub kind: Option<String>,
    /// `date` for newest first; relevance otherwise.
    pub sort: Option<String>,
    /// Read by [`page_number`]: a page number is checked, not trusted.
    pub page: Option<String>,
}

/// The page asked for: 1 when absent, an error for anything but a number from 1 to
/// [`MAX_PAGE`] (a page past the last one is brought back to the last by
/// [`Domain::find_resources`](crate::domain::Domain::find_resources)).
pub fn page_number(raw: Option<&str>) -> Result<usize, DomainError> {
    match raw.map(str::trim) {
        None | Some("") => Ok(1),
        Some(text) => text
            .parse::<usize>()
            .ok()
            .filter(|page| (1..=MAX_PAGE).contains(page))
            .ok_or_else(|| DomainError::InvalidPage(text.chars().take(20).collect())),
    }
}

impl ResourceQuery {
    pub fn to_search(&self) -> Result<SearchQuery, DomainError> {
        let one = |value: &Option<String>| -> Vec<String> {
            value
                .iter()
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
                .collect()
        };
        Ok(SearchQuery {
            text: self.q.trim().chars().take(200).collect(),
            disciplines: one(&self.discipline),
            levels: one(&self.level),
            theme: one(&self.theme).into_iter().next(),
            kinds: one(&self.kind),
            audiences: None,
            own_audiences: Vec::new(),
            own_levels: Vec::new(),
            sort: if self.sort.as_deref() == Some("date") {
                Sort::Newest
            } else {
                Sort::Relevance
            },
            page: page_number(self.page.as_deref())?,
            per_page: PER_PAGE,
        })
    }
}
