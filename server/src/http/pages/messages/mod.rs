//! `/messagerie`: the folders, a message with its conversation, the writing form, and the
//! administrator's communication rules (`/admin/communication`). Everything works without
//! JavaScript.

mod compose;
mod folder;
mod read;
mod rules;

use axum::routing::{get, post};
use axum::Router;
use chrono::{DateTime, Datelike, Utc};
use chrono_tz::Europe::Paris;

use crate::domain::messages::message::Folder;
use crate::domain::DomainError;
use crate::http::AppState;

pub fn routes(upload_limit: usize) -> Router<AppState> {
    let uploads = axum::extract::DefaultBodyLimit::max(upload_limit);
    Router::new()
        .route("/messagerie", get(folder::inbox))
        .route("/messagerie/envoyes", get(folder::sent))
        .route("/messagerie/brouillons", get(folder::drafts))
        .route("/messagerie/corbeille", get(folder::trash))
        .route("/messagerie/corbeille/vider", post(folder::empty_trash))
        .route("/messagerie/recherche", get(folder::search))
        .route(
            "/messagerie/nouveau",
            get(compose::form).post(compose::submit).layer(uploads),
        )
        .route("/messagerie/messages/{id}", get(read::message))
        .route(
            "/messagerie/messages/{id}/pieces-jointes/{index}",
            get(read::attachment),
        )
        .route("/messagerie/messages/{id}/non-lu", post(read::mark_unread))
        .route("/messagerie/messages/{id}/corbeille", post(read::trash))
        .route("/messagerie/messages/{id}/restaurer", post(read::restore))
        .route("/messagerie/messages/{id}/supprimer", post(read::delete))
        .route("/admin/communication", get(rules::page).post(rules::save))
}

/// The address of a folder's page.
fn folder_href(folder: Folder) -> &'static str {
    match folder {
        Folder::Inbox => "/messagerie",
        Folder::Sent => "/messagerie/envoyes",
        Folder::Drafts => "/messagerie/brouillons",
        Folder::Trash => "/messagerie/corbeille",
    }
}

fn folder_label(folder: Folder) -> &'static str {
    match folder {
        Folder::Inbox => "Reçus",
        Folder::Sent => "Envoyés",
        Folder::Drafts => "Brouillons",
        Folder::Trash => "Corbeille",
    }
}

fn parse_id(id: &str) -> Result<u64, DomainError> {
    id.parse().map_err(|_| DomainError::UnknownMessage(0))
}

/// « 14:05 » today, « 28 nov. » this year, « 28/11/2025 » before.
fn short_date(instant: DateTime<Utc>, now: DateTime<Utc>) -> String {
    const MONTHS: [&str; 12] = [
        "janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.",
        "déc.",
    ];
    let local = instant.with_timezone(&Paris);
    let today = now.with_timezone(&Paris);
    if local.date_naive() == today.date_naive() {
        local.format("%H:%M").to_string()
    } else if local.year() == today.year() {
        format!("{} {}", local.day(), MONTHS[local.month0() as usize])
    } else {
        local.format("%d/%m/%Y").to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_shorten_with_their_age() {
        let now: DateTime<Utc> = "2026-11-30T13:00:00Z".parse().expect("date");
        let at = |text: &str| short_date(text.parse().expect("date"), now);
        assert_eq!(at("2026-11-30T13:05:00Z"), "14:05");
        assert_eq!(at("2026-11-28T10:00:00Z"), "28 nov.");
        assert_eq!(at("2026-02-01T10:00:00Z"), "1 févr.");
        assert_eq!(at("2025-11-28T10:00:00Z"), "28/11/2025");
    }
}
