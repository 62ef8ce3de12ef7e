//! `/admin/annuaire`: upload the académie's files, preview the import (dry run), apply it, and
//! read the history of imports and syncs.

use axum::extract::{Multipart, Query};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use preau_app::admin;
use preau_app::admin::model::{CountRow, DirectoryView, ImportPreview, ProblemLine};
use preau_app::model::{Notice, NoticeKind, PageBody};
use serde::Deserialize;

use super::admin::run_line;
use super::PageCtx;
use crate::directory::history::RunStatus;
use crate::directory::import::{Counts, ImportReport, ReportProblem};
use crate::directory::inbox::Inbox;
use crate::directory::sync::{self, RunError, SyncOutcome};
use crate::directory::upload::{self, UploadError};
use crate::domain::access::{Action, Actor};
use crate::domain::DomainError;
use crate::http::auth::Auth;
use crate::http::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/annuaire", get(show))
        .route(
            "/admin/annuaire/verifier",
            post(check).layer(axum::extract::DefaultBodyLimit::max(
                super::super::UPLOAD_LIMIT,
            )),
        )
        .route("/admin/annuaire/appliquer", post(apply))
}

/// The administrator, or the answer to give anyone else.
fn administrator(ctx: &PageCtx) -> Result<std::sync::Arc<Auth>, Box<Response>> {
    ctx.require_to(Action::Administer)
}

#[derive(Deserialize)]
struct ShowQuery {
    resultat: Option<String>,
}

async fn show(ctx: PageCtx, Query(query): Query<ShowQuery>) -> Response {
    if let Err(refused) = administrator(&ctx) {
        return *refused;
    }
    let notice = match query.resultat.as_deref() {
        Some("importe") => Some(Notice {
            kind: NoticeKind::Success,
            text: "L'import a été appliqué.".to_owned(),
        }),
        Some("refuse") => Some(Notice {
            kind: NoticeKind::Error,
            text: "L'import a été refusé : ses fichiers sont en quarantaine avec leur rapport."
                .to_owned(),
        }),
        Some("echec") => Some(Notice {
            kind: NoticeKind::Error,
            text: "L'import n'a pas pu être effectué ; rien n'a été modifié.".to_owned(),
        }),
        _ => None,
    };
    page(&ctx, StatusCode::OK, notice, None, None)
}

fn page(
    ctx: &PageCtx,
    status: StatusCode,
    notice: Option<Notice>,
    error: Option<String>,
    preview: Option<ImportPreview>,
) -> Response {
    let history = match Inbox::of(&ctx.state.data).history() {
        Ok(runs) => runs.iter().take(30).map(run_line).collect(),
        Err(error) => {
            tracing::warn!(%error, "cannot read the directory sync history");
            Vec::new()
        }
    };
    ctx.render(
        status,
        "Annuaire académique",
        notice,
        PageBody::Admin(admin::Page::Directory(DirectoryView {
            error,
            preview,
            history,
        })),
    )
}

async fn check(ctx: PageCtx, mut multipart: Multipart) -> Response {
    let auth = match administrator(&ctx) {
        Ok(auth) => auth,
        Err(refused) => {
            crate::http::resource_input::drain_some(&mut multipart).await;
            return *refused;
        }
    };
    let mut files = Vec::new();
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) => {
                if field.name() != Some("fichiers") {
                    continue;
                }
                let name = field.file_name().unwrap_or_default().to_owned();
                match field.bytes().await {
                    Ok(bytes) => files.push((name, bytes.to_vec())),
                    Err(error) => return upload_failed(&ctx, &error.to_string()),
                }
            }
            Ok(None) => break,
            Err(error) => return upload_failed(&ctx, &error.to_string()),
        }
    }
    let inbox = Inbox::of(&ctx.state.data);
    let domain = ctx.state.domain.clone();
    let admin = auth.signed_in.account.clone();
    let outcome = crate::http::blocking(move || {
        let mut rng = rand::rngs::OsRng;
        let actor = Actor::Person(&admin);
        let lot = match upload::stage(actor, &inbox, files, &mut rng) {
            Ok(lot) => lot,
            Err(UploadError::Forbidden) => return Err(DomainError::Forbidden),
            Err(error) => return Ok(Err(error)),
        };
        let report = upload::preview(&domain, actor, &lot.dir, &mut rng)?;
        if report.is_rejected() {
            upload::discard(&lot.dir);
        }
        Ok(Ok((lot, report)))
    })
    .await;
    match outcome {
        Ok(Ok((lot, report))) => {
            let status = if report.is_rejected() {
                StatusCode::UNPROCESSABLE_ENTITY
            } else {
                StatusCode::OK
            };
            let preview = preview(
                &report,
                (!report.is_rejected()).then_some(lot.id),
                lot.files,
            );
            page(&ctx, status, None, None, Some(preview))
        }
        Ok(Err(error)) => {
            let message = match error {
                UploadError::Empty => "Choisissez au moins un fichier.".to_owned(),
                UploadError::Unsupported(name) => format!(
                    "« {name} » n'est ni un fichier XML ni une archive zip : rien n'a été importé."
                ),
                other => {
                    tracing::error!(error = %other, "cannot stage an upload");
                    "Le téléversement n'a pas pu être enregistré sur le serveur.".to_owned()
                }
            };
            page(&ctx, StatusCode::BAD_REQUEST, None, Some(message), None)
        }
        Err(error) => ctx.error(error),
    }
}

fn upload_failed(ctx: &PageCtx, detail: &str) -> Response {
    tracing::info!(detail, "directory upload interrupted");
    page(
        ctx,
        StatusCode::BAD_REQUEST,
        None,
        Some("Le téléversement a échoué ou dépasse 64 Mo : rien n'a été importé.".to_owned()),
        None,
    )
}

fn preview(report: &ImportReport, lot: Option<String>, files: Vec<String>) -> ImportPreview {
    let row = |label: &str, counts: &Counts| CountRow {
        label: label.to_owned(),
        pupils: counts.pupils,
        parents: counts.parents,
        staff: counts.staff,
        classes: counts.classes,
        groups: counts.groups,
    };
    ImportPreview {
        lot,
        files,
        adopted_uai: report.adopted_uai.clone(),
        rows: vec![
            row("créés", &report.created),
            row("mis à jour", &report.updated),
            row("changés de classe", &report.moved),
            row("désactivés", &report.deactivated),
            row("réactivés", &report.reactivated),
            row("inchangés", &report.unchanged),
            row("hors établissement", &report.skipped),
        ],
        warnings: report.warnings.iter().map(problem).collect(),
        errors: report.errors.iter().map(problem).collect(),
    }
}

fn problem(problem: &ReportProblem) -> ProblemLine {
    let mut place = problem.file.clone();
    if let Some(line) = problem.line {
        place.push_str(&format!(", ligne {line}"));
    }
    if let Some(record) = &problem.record {
        place.push_str(&format!(", enregistrement {record}"));
    }
    ProblemLine {
        place,
        message: problem.message.clone(),
    }
}

#[derive(Deserialize)]
struct ApplyForm {
    #[serde(default)]
    lot: String,
}

async fn apply(ctx: PageCtx, Form(form): Form<ApplyForm>) -> Response {
    let auth = match administrator(&ctx) {
        Ok(auth) => auth,
        Err(refused) => return *refused,
    };
    let inbox = Inbox::of(&ctx.state.data);
    let lot = match upload::find(&inbox, &form.lot) {
        Ok(lot) => lot,
        Err(_) => {
            let message = "Cet import n'est plus disponible (déjà appliqué ?). Téléversez à nouveau les fichiers.";
            return page(
                &ctx,
                StatusCode::NOT_FOUND,
                None,
                Some(message.to_owned()),
                None,
            );
        }
    };
    let domain = ctx.state.domain.clone();
    let described = format!("téléversement par {}", auth.signed_in.account.login);
    let admin = auth.signed_in.account.clone();
    let outcome = tokio::task::spawn_blocking(move || {
        let actor = Actor::Person(&admin);
        let result = sync::run_from_folder(
            &domain,
            actor,
            &inbox,
            &lot,
            described,
            &mut rand::rngs::OsRng,
        );
        upload::discard(&lot);
        result
    })
    .await;
    let result = match outcome {
        Ok(Ok(SyncOutcome::Ran(run))) if run.record.status == RunStatus::Applied => "importe",
        Ok(Ok(SyncOutcome::Ran(run))) if run.record.status == RunStatus::Rejected => "refuse",
        Ok(Ok(_)) => "echec",
        Ok(Err(RunError::Forbidden)) => return ctx.error(DomainError::Forbidden),
        Ok(Err(error)) => {
            tracing::error!(%error, "directory upload could not be applied");
            "echec"
        }
        Err(error) => {
            tracing::error!(%error, "directory upload worker failed");
            "echec"
        }
    };
    Redirect::to(&format!("/admin/annuaire?resultat={result}")).into_response()
}
