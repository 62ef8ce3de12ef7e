//! `/connexion`, `/deconnexion` and `/activation`.

use axum::extract::Query;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use preau_app::accounts;
use preau_app::accounts::model::{ActivationView, LoginView};
use preau_app::model::{Notice, NoticeKind, PageBody};
use serde::Deserialize;

use super::{local_path, PageCtx};
use crate::domain::accounts::sign_in::Opened;
use crate::domain::DomainError;
use crate::http::auth;
use crate::http::error::ApiError;
use crate::http::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/connexion", get(login_form).post(login_submit))
        .route("/deconnexion", post(logout))
        .route("/activation", get(activation_form).post(activation_submit))
}

#[derive(Deserialize)]
struct LoginQuery {
    suite: Option<String>,
    #[serde(rename = "au-revoir")]
    goodbye: Option<String>,
    /// A service asked for the password again (CAS `renew`): the form is shown even to a
    /// signed-in person.
    renouveler: Option<String>,
}

async fn login_form(ctx: PageCtx, Query(query): Query<LoginQuery>) -> Response {
    if ctx.auth.is_some() && query.renouveler.is_none() {
        return Redirect::to("/").into_response();
    }
    let notice = match (query.goodbye, query.renouveler) {
        (Some(_), _) => Some(Notice {
            kind: NoticeKind::Success,
            text: "Vous êtes déconnecté. À bientôt\u{a0}!".to_owned(),
        }),
        (None, Some(_)) => Some(Notice {
            kind: NoticeKind::Info,
            text: "Le service que vous ouvrez demande de saisir à nouveau votre mot de passe."
                .to_owned(),
        }),
        (None, None) => None,
    };
    let next = local_path(query.suite.as_deref());
    let mut response = ctx.render(
        StatusCode::OK,
        "Connexion",
        notice,
        PageBody::Accounts(accounts::Page::Login(LoginView {
            login: String::new(),
            next: next.clone(),
            error: None,
        })),
    );
    allow_form_to_service(&ctx, &mut response, next.as_deref());
    response
}

/// A sign-in on the way to a CAS service ends there: the form's answer redirects through
/// `/cas/login` to the service, and the browser applies `form-action` to those redirects too.
fn allow_form_to_service(ctx: &PageCtx, response: &mut Response, next: Option<&str>) {
    let origin = next.and_then(|next| ctx.state.domain.cas_origin_after_sign_in(next));
    if let Some(csp) =
        origin.and_then(|origin| crate::http::security::csp_with_form_action(&origin))
    {
        response
            .headers_mut()
            .insert(header::CONTENT_SECURITY_POLICY, csp);
    }
}

#[derive(Deserialize)]
struct LoginForm {
    #[serde(default)]
    login: String,
    #[serde(default)]
    password: String,
    suite: Option<String>,
}

async fn login_submit(ctx: PageCtx, Form(form): Form<LoginForm>) -> Response {
    let next = local_path(form.suite.as_deref());
    let domain = ctx.state.domain.clone();
    let login = form.login.clone();
    let address = ctx.client.address;
    let outcome =
        crate::http::blocking(move || domain.sign_in(&login, &form.password, address)).await;
    match outcome {
        Ok(opened) => signed_in(&ctx, opened, next.as_deref().unwrap_or("/")).await,
        Err(error @ (DomainError::InvalidCredentials | DomainError::Throttled { .. })) => {
            let error = ApiError::from(error);
            let mut response = ctx.render(
                error.status,
                "Connexion",
                None,
                PageBody::Accounts(accounts::Page::Login(LoginView {
                    login: form.login,
                    next: next.clone(),
                    error: Some(error.message.clone()),
                })),
            );
            with_retry_after(&mut response, &error);
            allow_form_to_service(&ctx, &mut response, next.as_deref());
            response
        }
        Err(other) => ctx.error(other),
    }
}

/// A throttled form says when to come back, as the API does.
pub fn with_retry_after(response: &mut Response, error: &ApiError) {
    if let Some(seconds) = error.retry_after {
        if let Ok(value) = seconds.to_string().parse() {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
    }
}

/// Durably records the new session, sets its cookie and goes on to `to`.
pub async fn signed_in(ctx: &PageCtx, opened: Opened, to: &str) -> Response {
    if let Err(error) = ctx.state.domain.flush().await {
        return ctx.error(error);
    }
    let to = if opened.account.must_change_password {
        "/compte"
    } else {
        to
    };
    let cookie = auth::session_cookie(
        &opened.token,
        ctx.state.domain.sessions().lifetimes().absolute.as_secs(),
        ctx.client.https,
    );
    ([(header::SET_COOKIE, cookie)], Redirect::to(to)).into_response()
}

/// Ends the viewer's session, if any, durably; then its open tabs and the CAS services it
/// opened are told. The error page when the store fails.
pub(super) async fn end_session(ctx: &PageCtx) -> Result<(), Response> {
    if let Some(auth) = &ctx.auth {
        if let Err(error) = ctx.state.domain.sessions().close(&auth.signed_in) {
            return Err(ctx.error(error));
        }
        if let Err(error) = ctx.state.domain.flush().await {
            return Err(ctx.error(error));
        }
        ctx.state.live.recheck(auth.signed_in.account.id);
        super::cas::single_logout::tell_services(&ctx.state, &auth.signed_in.token_hash);
    }
    Ok(())
}

async fn logout(ctx: PageCtx) -> Response {
    if let Err(failed) = end_session(&ctx).await {
        return failed;
    }
    (
        [(header::SET_COOKIE, auth::cleared_cookie(ctx.client.https))],
        Redirect::to("/connexion?au-revoir=1"),
    )
        .into_response()
}

async fn activation_form(ctx: PageCtx) -> Response {
    ctx.render(
        StatusCode::OK,
        "Activer mon compte",
        None,
        PageBody::Accounts(accounts::Page::Activation(ActivationView {
            login: String::new(),
            error: None,
            min_password_len: ctx.state.domain.accounts().policy().min_length,
        })),
    )
}

#[derive(Deserialize)]
struct ActivationForm {
    #[serde(default)]
    login: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    new: String,
    #[serde(default)]
    confirm: String,
}

async fn activation_submit(ctx: PageCtx, Form(form): Form<ActivationForm>) -> Response {
    let domain = ctx.state.domain.clone();
    let login = form.login.clone();
    let address = ctx.client.address;
    let outcome = crate::http::blocking(move || {
        domain.activate(&login, &form.code, &form.new, &form.confirm, address)
    })
    .await;
    match outcome {
        Ok(opened) => signed_in(&ctx, opened, "/").await,
        Err(
            error @ (DomainError::InvalidActivation
            | DomainError::ActivationExpired
            | DomainError::Throttled { .. }
            | DomainError::PasswordMismatch
            | DomainError::WeakPassword(_)),
        ) => {
            let error = ApiError::from(error);
            let mut response = ctx.render(
                error.status,
                "Activer mon compte",
                None,
                PageBody::Accounts(accounts::Page::Activation(ActivationView {
                    login: form.login,
                    error: Some(error.message.clone()),
                    min_password_len: ctx.state.domain.accounts().policy().min_length,
                })),
            );
            with_retry_after(&mut response, &error);
            response
        }
        Err(other) => ctx.error(other),
    }
}
