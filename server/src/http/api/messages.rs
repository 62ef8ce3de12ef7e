//! The messagerie's API (`docs/api.md`): the recipients the caller may write to, sending, and
//! a folder's list.

use axum::extract::rejection::JsonRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};

use crate::domain::messages::message::Folder;
use crate::domain::messages::{Composed, SEARCH_LIMIT};
use crate::http::auth::ApiAuth;
use crate::http::error::ApiError;
use crate::http::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/messages", get(folder).post(send))
        .route("/api/v1/messages/recipients", get(recipients))
        .route("/api/v1/messages/{id}", get(message))
}

#[derive(Deserialize)]
struct Search {
    #[serde(default)]
    q: String,
}

#[derive(Serialize)]
struct RecipientJson {
    id: String,
    /// `person` or `group`.
    kind: &'static str,
    label: String,
}

async fn recipients(
    State(state): State<AppState>,
    ApiAuth(auth): ApiAuth,
    Query(search): Query<Search>,
) -> Result<Json<Vec<RecipientJson>>, ApiError> {
    let domain = state.domain.clone();
    let viewer = auth.signed_in.account.clone();
    let found =
        crate::http::blocking(move || domain.recipients_for(&viewer, &search.q, SEARCH_LIMIT))
            .await?;
    Ok(Json(
        found
            .into_iter()
            .map(|candidate| RecipientJson {
                kind: if candidate.id.is_group() {
                    "group"
                } else {
                    "person"
                },
                id: candidate.id.code(),
                label: candidate.label,
            })
            .collect(),
    ))
}

#[derive(Deserialize)]
struct NewMessage {
    to: Vec<String>,
    subject: String,
    body: String,
    #[serde(default)]
    in_reply_to: Option<u64>,
}

#[derive(Serialize)]
struct Created {
    id: u64,
}

async fn send(
    State(state): State<AppState>,
    ApiAuth(auth): ApiAuth,
    body: Result<Json<NewMessage>, JsonRejection>,
) -> Result<Response, ApiError> {
    let new = super::json_body(body)?;
    let domain = state.domain.clone();
    let viewer = auth.signed_in.account.clone();
    let sent = crate::http::blocking(move || {
        domain.send_message(
            &viewer,
            Composed {
                to: new.to,
                subject: new.subject,
                body: new.body,
                in_reply_to: new.in_reply_to,
                ..Composed::default()
            },
            None,
        )
    })
    .await?;
    state.domain.flush().await?;
    Ok((StatusCode::CREATED, Json(Created { id: sent.id })).into_response())
}

#[derive(Deserialize)]
struct FolderQuery {
    folder: Option<String>,
    page: Option<usize>,
}

#[derive(Serialize)]
struct Listed {
    unread: usize,
    total: usize,
    page: usize,
    pages: usize,
    items: Vec<Item>,
}

#[derive(Serialize)]
struct Item {
    id: u64,
    thread: u64,
    /// The sender's name.
    from: String,
    /// Who it went to, in words.
    to: String,
    subject: String,
    date: chrono::DateTime<chrono::Utc>,
    read: bool,
    attachments: bool,
}

async fn folder(
    State(state): State<AppState>,
    ApiAuth(auth): ApiAuth,
    Query(query): Query<FolderQuery>,
) -> Result<Json<Listed>, ApiError> {
    let code = query.folder.as_deref().unwrap_or("inbox");
    let folder = Folder::from_code(code).ok_or_else(|| {
        ApiError::bad_request(format!(
            "Dossier inconnu « {code} » : inbox, sent, drafts ou trash."
        ))
    })?;
    let domain = state.domain.clone();
    let viewer = auth.signed_in.account.clone();
    let listed = crate::http::blocking(move || {
        let page = domain.folder(&viewer, folder, query.page.unwrap_or(1))?;
        let mut names = crate::http::pages::Names::new(&domain);
        let mut items = Vec::with_capacity(page.entries.len());
        for entry in page.entries {
            items.push(Item {
                id: entry.message,
                thread: entry.thread,
                from: names.of(&[entry.from])?,
                to: entry.to_label,
                subject: entry.subject,
                date: entry.date,
                read: entry.read,
                attachments: entry.has_attachments,
            });
        }
        Ok::<_, crate::domain::DomainError>(Listed {
            unread: page.unread,
            total: page.total,
            page: page.page,
            pages: page.pages,
            items,
        })
    })
    .await?;
    Ok(Json(listed))
}

#[derive(Serialize)]
struct AddresseeJson {
    id: String,
    label: String,
}

#[derive(Serialize)]
struct AttachmentJson {
    name: String,
    size: u64,
    media_type: String,
    /// The page address that downloads it.
    href: String,
}

#[derive(Serialize)]
struct MessageJson {
    id: u64,
    thread: u64,
    from: u64,
    from_name: String,
    to: Vec<AddresseeJson>,
    /// For its sender only: every person it reached, groups expanded.
    #[serde(skip_serializing_if = "Option::is_none")]
    reached: Option<Vec<u64>>,
    subject: String,
    /// Cleaned HTML.
    body: String,
    date: chrono::DateTime<chrono::Utc>,
    /// `inbox`, `sent`, `drafts` or `trash`: where the caller keeps it.
    folder: &'static str,
    attachments: Vec<AttachmentJson>,
}

/// `GET /api/v1/messages/{id}`: a message the caller holds, marked read.
async fn message(
    State(state): State<AppState>,
    ApiAuth(auth): ApiAuth,
    axum::extract::Path(id): axum::extract::Path<String>,
) -> Result<Json<MessageJson>, ApiError> {
    let id: u64 = id
        .parse()
        .map_err(|_| ApiError::from(crate::domain::DomainError::UnknownMessage(0)))?;
    let domain = state.domain.clone();
    let viewer = auth.signed_in.account.clone();
    let shown = crate::http::blocking(move || {
        let opened = domain.open_message(&viewer, id)?;
        let from_name = crate::http::pages::Names::new(&domain).of(&[opened.message.from])?;
        let message = opened.message;
        Ok::<_, crate::domain::DomainError>(MessageJson {
            id: message.id,
            thread: message.thread,
            from: message.from,
            from_name,
            to: message
                .to
                .iter()
                .map(|addressee| AddresseeJson {
                    id: addressee.id.clone(),
                    label: addressee.label.clone(),
                })
                .collect(),
            reached: (message.from == viewer.id).then(|| message.recipients.clone()),
            subject: message.subject.clone(),
            body: message.body.clone(),
            date: message.date(),
            folder: opened.entry.folder.code(),
            attachments: message
                .attachments
                .iter()
                .enumerate()
                .map(|(index, file)| AttachmentJson {
                    name: file.name.clone(),
                    size: file.size,
                    media_type: file.media_type.clone(),
                    href: format!("/messagerie/messages/{}/pieces-jointes/{index}", message.id),
                })
                .collect(),
        })
    })
    .await?;
    state.domain.flush().await?;
    Ok(Json(shown))
}
