//! `POST /api/v1/resources`, `PUT` and `DELETE /api/v1/resources/{id}`: a teacher's writes to
//! the library, as JSON, or as multipart with a `metadata` JSON part and a `file` part.

use axum::extract::{FromRequest, Multipart, Path, Request, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};

use crate::domain::access::{self, Action};
use crate::domain::accounts::account::Account;
use crate::domain::resources::resource::Resource;
use crate::domain::resources::ResourceDraft;
use crate::domain::DomainError;
use crate::http::auth::ApiAuth;
use crate::http::error::ApiError;
use crate::http::resource_input::{self, ResourceInput};
use crate::http::AppState;

pub fn routes(upload_limit: usize) -> Router<AppState> {
    Router::new()
        .route("/api/v1/resources", post(create))
        .route(
            "/api/v1/resources/{id}",
            axum::routing::put(update).delete(delete),
        )
        .layer(axum::extract::DefaultBodyLimit::max(upload_limit))
}

/// The draft in the body: JSON alone, or multipart `metadata` + `file`. Called once the writer
/// is known to be allowed: nothing of the body is read before.
async fn draft_of(
    state: &AppState,
    writer: &Account,
    request: Request,
) -> Result<ResourceDraft, ApiError> {
    let content_type = crate::http::content_type(request.headers());
    if content_type.starts_with("multipart/form-data") {
        let _slot = state.upload_slot(writer)?;
        let multipart = Multipart::from_request(request, state)
            .await
            .map_err(|_| ApiError::bad_request("Le corps multipart est illisible."))?;
        let blobs = state.domain.blobs()?;
        let limit = state.domain.config().files.max_upload_bytes();
        let mut received = resource_input::receive(multipart, blobs, "file", limit).await?;
        let metadata = received.first("metadata").to_owned();
        let input: ResourceInput = serde_json::from_str(&metadata).map_err(|error| {
            tracing::debug!(%error, "bad metadata part");
            ApiError::bad_request("La partie « metadata » n'est pas un JSON valide de ressource.")
        })?;
        input.into_draft(received.upload.take())
    } else {
        let body = Json::<ResourceInput>::from_request(request, state).await;
        super::json_body(body)?.into_draft(None)
    }
}

/// Runs a write on the blocking pool (packages are inspected, texts extracted), then makes it
/// durable before answering.
async fn write(
    state: &AppState,
    work: impl FnOnce() -> Result<Resource, DomainError> + Send + 'static,
) -> Result<Resource, ApiError> {
    let resource = crate::http::blocking(work).await?;
    state.domain.flush().await?;
    Ok(resource)
}

async fn create(
    State(state): State<AppState>,
    ApiAuth(auth): ApiAuth,
    request: Request,
) -> Result<Response, ApiError> {
    let account = &auth.signed_in.account;
    if !access::allows(account, Action::CreateResource) {
        resource_input::drain_some_body(request.into_body()).await;
        return Err(ApiError::from(DomainError::Forbidden));
    }
    let draft = draft_of(&state, account, request).await?;
    let domain = state.domain.clone();
    let resource = write(&state, move || {
        domain.create_resource(&auth.signed_in.account, draft)
    })
    .await?;
    let location = format!("/api/v1/resources/{}", resource.id);
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        Json(resource),
    )
        .into_response())
}

fn resource_id(id: &str) -> Result<u64, ApiError> {
    id.parse()
        .map_err(|_| ApiError::from(DomainError::UnknownResource(0)))
}

async fn update(
    State(state): State<AppState>,
    ApiAuth(auth): ApiAuth,
    Path(id): Path<String>,
    request: Request,
) -> Result<Json<Resource>, ApiError> {
    let id = resource_id(&id)?;
    if let Err(refused) = state.domain.editable_resource(&auth.signed_in.account, id) {
        resource_input::drain_some_body(request.into_body()).await;
        return Err(refused.into());
    }
    let draft = draft_of(&state, &auth.signed_in.account, request).await?;
    let domain = state.domain.clone();
    let resource = write(&state, move || {
        domain.update_resource(&auth.signed_in.account, id, draft)
    })
    .await?;
    Ok(Json(resource))
}

async fn delete(
    State(state): State<AppState>,
    ApiAuth(auth): ApiAuth,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let id = resource_id(&id)?;
    let domain = state.domain.clone();
    write(&state, move || {
        domain.delete_resource(&auth.signed_in.account, id)
    })
    .await?;
    Ok(StatusCode::NO_CONTENT)
}
