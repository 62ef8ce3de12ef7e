//! `/installation`: the first start of a box with no administrator (`crate::installation`).
//! Answered only from the box's own network and with the token the log shows; once done, the
//! server restarts with the choices, and the page is gone.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Query, Request, State};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use preau_app::accounts::model::{InstallationView, InstalledView};
use preau_app::accounts::Page;
use preau_app::model::PageBody;
use serde::Deserialize;

use super::PageCtx;
use crate::config::{TlsConfig, TlsMode};
use crate::directory::source::SyncSource;
use crate::http::error::ApiError;
use crate::http::AppState;
use crate::installation::choices::Choices;
use crate::installation::{is_local, Installation};

pub fn routes() -> Router<AppState> {
    Router::new().route("/installation", get(form).post(install))
}

/// Whether the box still waits for its installation; once an administrator exists, however
/// made, it no longer does (only read while waiting: the accounts of a new box are few).
fn still_waiting(state: &AppState) -> bool {
    let Some(installation) = state.installation.as_ref() else {
        return false;
    };
    if !installation.is_pending() {
        return false;
    }
    if state.domain.accounts().has_administrator().unwrap_or(false) {
        installation.close();
        return false;
    }
    true
}

/// While the box waits for its installation, its home and sign-in pages lead to it.
pub async fn lead_to_installation(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let waiting = still_waiting(&state);
    if waiting
        && request.method() == Method::GET
        && matches!(request.uri().path(), "/" | "/connexion")
    {
        return Redirect::to("/installation").into_response();
    }
    next.run(request).await
}

#[derive(Deserialize)]
struct TokenQuery {
    jeton: Option<String>,
}

/// The pending installation this client may see, or the answer to give instead.
fn pending(ctx: &PageCtx) -> Result<Arc<Installation>, Box<Response>> {
    let Some(installation) = ctx
        .state
        .installation
        .clone()
        .filter(|_| still_waiting(&ctx.state))
    else {
        return Err(Box::new(Redirect::to("/connexion").into_response()));
    };
    if !is_local(ctx.client.address) {
        tracing::warn!(address = %ctx.client.address, "installation page refused: not a local address");
        return Err(Box::new(ctx.error(ApiError::new(
            StatusCode::FORBIDDEN,
            "installation_not_local",
            "La mise en service de Préau se fait depuis le réseau de l'établissement, là où se \
             trouve le boîtier.",
        ))));
    }
    Ok(installation)
}

fn blank(ctx: &PageCtx, installation: &Installation, token: String) -> InstallationView {
    let config = ctx.state.domain.config();
    let mut fixed = Vec::new();
    let mut fixed_keys = Vec::new();
    let mut show = |key: &str, what: &str, value: String| {
        if installation.is_explicit(key) {
            fixed.push((what.to_owned(), value));
            fixed_keys.push(key.to_owned());
        }
    };
    show(
        "establishment.uai",
        "Numéro UAI",
        config.establishment.uai.clone().unwrap_or_default(),
    );
    show(
        "establishment.name",
        "Nom de l'établissement",
        config.establishment.name.clone().unwrap_or_default(),
    );
    let source = match &config.directory.source {
        SyncSource::Inbox => "le dossier « inbox » du boîtier".to_owned(),
        SyncSource::Folder(folder) => format!("le dossier {}", folder.display()),
        SyncSource::Url(url) => url.to_string(),
    };
    show("directory.source", "Provenance de l'annuaire", source);
    show(
        "directory.schedule",
        "Synchronisation",
        config.directory.schedule.french(),
    );
    let tls = match config.tls.mode {
        TlsMode::SelfSigned => "certificat créé par le boîtier",
        TlsMode::Files => "certificat de l'établissement",
        TlsMode::Off => "sans HTTPS",
    };
    show("tls.mode", "Mode HTTPS", tls.to_owned());
    InstallationView {
        token,
        source: "dossier".to_owned(),
        schedule: "02:30".to_owned(),
        tls: "self-signed".to_owned(),
        min_password_len: ctx.state.domain.accounts().policy().min_length,
        fixed,
        fixed_keys,
        ..InstallationView::default()
    }
}

async fn form(ctx: PageCtx, Query(query): Query<TokenQuery>) -> Response {
    let installation = match pending(&ctx) {
        Ok(installation) => installation,
        Err(answer) => return *answer,
    };
    let view = blank(&ctx, &installation, query.jeton.unwrap_or_default());
    show(&ctx, StatusCode::OK, view)
}

fn show(ctx: &PageCtx, status: StatusCode, view: InstallationView) -> Response {
    ctx.render(
        status,
        "Mise en service",
        None,
        PageBody::Accounts(Page::Installation(view)),
    )
}

/// The form again, as typed (passwords aside), with `error`.
fn again(
    ctx: &PageCtx,
    installation: &Installation,
    choices: Choices,
    status: StatusCode,
    error: String,
) -> Response {
    let view = InstallationView {
        token: choices.jeton,
        uai: choices.uai,
        name: choices.nom,
        login: choices.identifiant,
        source: choices.source,
        url: choices.adresse,
        schedule: choices.horaire,
        tls: choices.tls,
        cert: choices.certificat,
        key: choices.cle,
        error: Some(error),
        ..blank(ctx, installation, String::new())
    };
    show(ctx, status, view)
}

async fn install(ctx: PageCtx, Form(choices): Form<Choices>) -> Response {
    let installation = match pending(&ctx) {
        Ok(installation) => installation,
        Err(answer) => return *answer,
    };
    let _one_at_a_time = installation.lock().await;
    if !installation.is_pending() {
        return Redirect::to("/connexion").into_response();
    }
    if !installation.accepts(&choices.jeton) {
        tracing::warn!(address = %ctx.client.address, "installation refused: wrong token");
        let error = "Ce jeton d'installation n'est pas le bon\u{a0}: il est écrit dans le \
                     journal du boîtier à son démarrage."
            .to_owned();
        return again(&ctx, &installation, choices, StatusCode::FORBIDDEN, error);
    }
    let settings = match choices.check(|key| installation.is_explicit(key)) {
        Ok(settings) => settings,
        Err(problem) => {
            tracing::info!(%problem, "installation form refused");
            let error = problem.french();
            return again(&ctx, &installation, choices, StatusCode::BAD_REQUEST, error);
        }
    };
    if let (Some(cert), Some(key)) = (&settings.cert, &settings.key) {
        let tls = TlsConfig {
            mode: TlsMode::Files,
            cert: Some(cert.into()),
            key: Some(key.into()),
            hostnames: Vec::new(),
        };
        if let Err(error) = crate::tls::server_config(&tls, &ctx.state.data).await {
            tracing::info!(%error, "installation refused: certificate files");
            let error = "Le certificat ou la clé ne peuvent pas être lus\u{a0}: vérifiez les \
                         chemins et que ce sont des fichiers PEM."
                .to_owned();
            return again(&ctx, &installation, choices, StatusCode::BAD_REQUEST, error);
        }
    }
    let domain = ctx.state.domain.clone();
    let (login, password, confirm) = (
        choices.identifiant.clone(),
        choices.mot_de_passe.clone(),
        choices.confirmation.clone(),
    );
    let created = crate::http::blocking(move || {
        domain
            .accounts()
            .create_first_admin(&login, &password, &confirm)
    })
    .await;
    let admin = match created {
        Ok(admin) => admin,
        Err(error) => {
            let error = ApiError::from(error);
            let status = error.status;
            return again(&ctx, &installation, choices, status, error.message);
        }
    };
    if let Err(error) = ctx.state.domain.flush().await {
        return ctx.error(error);
    }
    if let Err(error) = installation.finish(&settings) {
        tracing::error!(%error, "cannot write installation.toml");
        return ctx.error(ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal_error",
            "Les réglages n'ont pas pu être enregistrés sur le boîtier. Réessayez dans un \
             instant.",
        ));
    }
    tracing::info!(login = %admin.login, uai = %settings.uai, "installation done, restarting");
    // Time for this page to reach the browser before the server restarts.
    let restarting = installation.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_secs(1)).await;
        restarting.restart();
    });
    let establishment = if settings.name.is_empty() {
        ctx.state
            .domain
            .config()
            .establishment
            .name
            .clone()
            .unwrap_or_default()
    } else {
        settings.name.clone()
    };
    ctx.render(
        StatusCode::OK,
        "Préau est en service",
        None,
        PageBody::Accounts(Page::Installed(InstalledView {
            login: admin.login,
            establishment,
        })),
    )
}
