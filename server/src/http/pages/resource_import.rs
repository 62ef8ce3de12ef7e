//! `/ressources/import`: a teacher uploads a zip of files with the `ressources.csv` that describes
//! them; every resource is created, or none (see [`crate::domain::resource_import`]). The answer
//! is the same page, with the created resources or with every line to correct.

use std::sync::Arc;

use axum::extract::Multipart;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use preau_app::model::{Notice, NoticeKind, PageBody};
use preau_app::resources;
use preau_app::resources::model::ResourceImportView;

use super::PageCtx;
use crate::domain::access::Action;
use crate::domain::accounts::account::Account;
use crate::domain::DomainError;
use crate::http::error::ApiError;
use crate::http::resource_input;
use crate::http::AppState;

const TITLE: &str = "Importer des ressources";

pub fn routes(upload_limit: usize) -> Router<AppState> {
    Router::new().route(
        "/ressources/import",
        get(show)
            .post(import)
            .layer(axum::extract::DefaultBodyLimit::max(upload_limit)),
    )
}

/// The signed-in person if they may create resources, or the answer to give anyone else.
fn importer(ctx: &PageCtx) -> Result<Arc<Account>, Box<Response>> {
    ctx.require_to(Action::CreateResource)
        .map(|auth| auth.signed_in.account.clone())
}

async fn show(ctx: PageCtx) -> Response {
    if let Err(refused) = importer(&ctx) {
        return *refused;
    }
    page(&ctx, StatusCode::OK, None, view(&ctx))
}

async fn import(ctx: PageCtx, mut multipart: Multipart) -> Response {
    let account = match importer(&ctx) {
        Ok(account) => account,
        Err(refused) => {
            resource_input::drain_some(&mut multipart).await;
            return *refused;
        }
    };
    let _slot = match ctx.state.upload_slot(&account) {
        Ok(slot) => slot,
        Err(error) => {
            resource_input::drain(&mut multipart).await;
            return refused(&ctx, error);
        }
    };
    // The archive is streamed to the blob folder's staging area, never held in memory; it is
    // deleted when `archive` is dropped, after the import.
    let received = match ctx.state.domain.blobs() {
        Ok(blobs) => {
            let limit = ctx.state.domain.config().files.max_upload_bytes();
            resource_input::receive(multipart, blobs, "archive", limit).await
        }
        Err(error) => Err(ApiError::from(error)),
    };
    let archive = match received.map(|received| received.upload) {
        Ok(Some(archive)) => archive,
        Ok(None) => {
            let error = ApiError::bad_request("Choisissez l'archive zip à importer.");
            return refused(&ctx, error);
        }
        Err(error) => return refused(&ctx, error),
    };
    let domain = ctx.state.domain.clone();
    let outcome =
        crate::http::blocking(move || domain.import_resources(&account, &archive.path)).await;
    match outcome {
        Ok(outcome) => {
            if let Err(error) = ctx.state.domain.flush().await {
                return ctx.error(error);
            }
            let count = outcome.created.len();
            let text = if count == 1 {
                "1 ressource a été importée et publiée.".to_owned()
            } else {
                format!("{count} ressources ont été importées et publiées.")
            };
            let notice = Notice {
                kind: NoticeKind::Success,
                text,
            };
            let created = outcome
                .created
                .into_iter()
                .map(|(id, title)| (format!("/ressources/{id}"), title))
                .collect();
            page(
                &ctx,
                StatusCode::OK,
                Some(notice),
                ResourceImportView {
                    created,
                    ..view(&ctx)
                },
            )
        }
        Err(DomainError::ImportRefused(refusal)) => page(
            &ctx,
            StatusCode::UNPROCESSABLE_ENTITY,
            None,
            ResourceImportView {
                problems: refusal.french(),
                ..view(&ctx)
            },
        ),
        Err(error) => refused(&ctx, error.into()),
    }
}

/// The form again with the French message of `error`; an internal error gets the error page.
fn refused(ctx: &PageCtx, error: ApiError) -> Response {
    if error.status.is_server_error() {
        return ctx.error(error);
    }
    page(
        ctx,
        error.status,
        None,
        ResourceImportView {
            error: Some(error.message),
            ..view(ctx)
        },
    )
}

/// The empty form.
fn view(ctx: &PageCtx) -> ResourceImportView {
    ResourceImportView {
        error: None,
        problems: Vec::new(),
        created: Vec::new(),
        max_upload: format!("{} Mio", ctx.state.domain.config().files.max_upload_mb),
    }
}

fn page(
    ctx: &PageCtx,
    status: StatusCode,
    notice: Option<Notice>,
    view: ResourceImportView,
) -> Response {
    ctx.render(
        status,
        TITLE,
        notice,
        PageBody::Resources(resources::Page::Import(view)),
    )
}
