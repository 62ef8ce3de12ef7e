//! `/admin/sauvegardes`: the backups in `data/backups/`, each downloadable, the last nightly
//! run, and « Sauvegarder maintenant » (POST → redirect → GET).

use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use preau_app::admin;
use preau_app::admin::model::{BackupLine, BackupsView, SyncRun};
use preau_app::model::{Notice, NoticeKind, PageBody};
use serde::Deserialize;

use super::{format, PageCtx};
use crate::backup::{self, retention, BackupKind};
use crate::directory::schedule::Schedule;
use crate::domain::access::Action;
use crate::http::error::ApiError;
use crate::http::AppState;

/// Where the page is and its form posts (the route's literal is the same: the authorization
/// matrix reads routes from the source). The POST holds no write permit (`http::gate_writes`):
/// the backup it takes must close the gate itself.
pub const PATH: &str = "/admin/sauvegardes";

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/sauvegardes", get(show).post(back_up_now))
        .route("/admin/sauvegardes/{name}", get(download))
}

#[derive(Deserialize)]
struct ShowQuery {
    resultat: Option<String>,
}

async fn show(ctx: PageCtx, Query(query): Query<ShowQuery>) -> Response {
    if let Err(refused) = ctx.require_to(Action::Administer) {
        return *refused;
    }
    let notice = match query.resultat.as_deref() {
        Some("ok") => Some(Notice {
            kind: NoticeKind::Success,
            text: "La sauvegarde a été faite.".to_owned(),
        }),
        Some("echec") => Some(Notice {
            kind: NoticeKind::Error,
            text: "La sauvegarde a échoué ; le journal du serveur en donne la raison.".to_owned(),
        }),
        _ => None,
    };
    let folder = backup::folder(&ctx.state.data);
    let backups = match retention::list(&folder) {
        Ok(backups) => backups,
        Err(error) => {
            tracing::error!(%error, "cannot list the backups");
            Vec::new()
        }
    };
    let config = &ctx.state.domain.config().backup;
    let view = BackupsView {
        schedule: match config.schedule {
            Schedule::Off => "sauvegardes automatiques désactivées".to_owned(),
            other => other.french(),
        },
        copy_to: config.copy_to.as_ref().map(|p| p.display().to_string()),
        retention: format!(
            "{} quotidienne(s) et {} hebdomadaire(s) ; les manuelles et celles d'avant mise à jour sont gardées",
            config.keep_daily, config.keep_weekly
        ),
        last_nightly: retention::last_run(&folder).map(|run| SyncRun {
            when: format::long_date_time(run.at),
            outcome: if run.failure.is_some() { "échouée" } else { "réussie" }.to_owned(),
            ok: run.failure.is_none(),
            detail: run.failure.or(run.file).unwrap_or_default(),
        }),
        backups: backups
            .into_iter()
            .map(|file| BackupLine {
                when: format::long_date_time(file.created_at),
                kind: file.kind.label().to_owned(),
                size: size_in_words(file.size),
                download: format!("{PATH}/{}", file.name),
            })
            .collect(),
    };
    ctx.render(
        StatusCode::OK,
        "Sauvegardes",
        notice,
        PageBody::Admin(admin::Page::Backups(view)),
    )
}

async fn back_up_now(ctx: PageCtx) -> Response {
    if let Err(refused) = ctx.require_to(Action::Administer) {
        return *refused;
    }
    let outcome = backup::create(&ctx.state.domain, &ctx.state.data, BackupKind::Manual).await;
    let result = match outcome {
        Ok(_) => "ok",
        Err(error) => {
            tracing::error!(%error, "backup asked from the administration page failed");
            "echec"
        }
    };
    Redirect::to(&format!("{PATH}?resultat={result}")).into_response()
}

async fn download(ctx: PageCtx, Path(name): Path<String>) -> Response {
    if let Err(refused) = ctx.require_to(Action::Administer) {
        return *refused;
    }
    // Only a backup's name: nothing else of the folder (or outside it) can be named.
    if retention::parse_name(&name).is_none() {
        return ctx.error(ApiError::not_found());
    }
    let path = backup::folder(&ctx.state.data).join(&name);
    let file = match tokio::fs::File::open(&path).await {
        Ok(file) => file,
        Err(_) => return ctx.error(ApiError::not_found()),
    };
    crate::http::files::private_zip(file, &name)
}

/// « 12,4 Mo », « 850 ko ».
fn size_in_words(bytes: u64) -> String {
    const MB: f64 = 1_000_000.0;
    if bytes >= 1_000_000 {
        format!("{:.1} Mo", bytes as f64 / MB).replace('.', ",")
    } else {
        format!("{} ko", bytes.div_ceil(1000))
    }
}
