//! `/compte`: the account page and the password change form.

use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use preau_app::accounts;
use preau_app::accounts::model::{AccountView, DigestChoice};
use preau_app::model::{Notice, NoticeKind, PageBody};
use serde::Deserialize;

use super::sign_in::{signed_in, with_retry_after};
use super::PageCtx;
use crate::domain::accounts::account::Account;
use crate::domain::DomainError;
use crate::http::error::ApiError;
use crate::http::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/compte", get(show))
        .route("/compte/mot-de-passe", post(change_password))
        .route("/compte/notifications", post(choose_digest))
}

#[derive(Deserialize)]
struct AccountQuery {
    ok: Option<String>,
}

fn view(ctx: &PageCtx, account: &Account, error: Option<String>) -> AccountView {
    let domain = &ctx.state.domain;
    // A failed read shows the box as ticked: the default, and the page still serves.
    let digest = domain
        .config()
        .notifications
        .relay_enabled()
        .then(|| DigestChoice {
            wanted: domain.wants_digest(account).unwrap_or(true),
            has_email: account
                .email
                .as_deref()
                .is_some_and(|email| !email.trim().is_empty()),
        });
    AccountView {
        digest,
        login: account.login.clone(),
        display_name: account.display_name(),
        profile_label: account.profile.label().to_owned(),
        email: account.email.clone(),
        error,
        min_password_len: ctx.state.domain.accounts().policy().min_length,
    }
}

async fn show(ctx: PageCtx, Query(query): Query<AccountQuery>) -> Response {
    let auth = match ctx.require() {
        Ok(auth) => auth,
        Err(redirect) => return redirect.into_response(),
    };
    let notice = match query.ok.as_deref() {
        Some("mot-de-passe") => Some("Votre mot de passe a été modifié."),
        Some("notifications") => Some("Votre choix est enregistré."),
        _ => None,
    }
    .map(|text| Notice {
        kind: NoticeKind::Success,
        text: text.to_owned(),
    });
    let body = PageBody::Accounts(accounts::Page::Account(view(
        &ctx,
        &auth.signed_in.account,
        None,
    )));
    ctx.render(StatusCode::OK, "Mon compte", notice, body)
}

#[derive(Deserialize)]
struct PasswordForm {
    #[serde(default)]
    current: String,
    #[serde(default)]
    new: String,
    #[serde(default)]
    confirm: String,
}

async fn change_password(ctx: PageCtx, Form(form): Form<PasswordForm>) -> Response {
    let auth = match ctx.require() {
        Ok(auth) => auth,
        Err(redirect) => return redirect.into_response(),
    };
    let domain = ctx.state.domain.clone();
    let account = auth.signed_in.account.clone();
    let address = ctx.client.address;
    let outcome = crate::http::blocking(move || {
        domain.change_password(&account, &form.current, &form.new, &form.confirm, address)
    })
    .await;
    match outcome {
        Ok(opened) => {
            // Every other session of the account ended with the change: so do their streams.
            ctx.state.live.recheck(opened.account.id);
            signed_in(&ctx, opened, "/compte?ok=mot-de-passe").await
        }
        Err(
            error @ (DomainError::WrongCurrentPassword
            | DomainError::Throttled { .. }
            | DomainError::PasswordMismatch
            | DomainError::WeakPassword(_)),
        ) => {
            let error = ApiError::from(error);
            let body = PageBody::Accounts(accounts::Page::Account(view(
                &ctx,
                &auth.signed_in.account,
                Some(error.message.clone()),
            )));
            let mut response = ctx.render(error.status, "Mon compte", None, body);
            with_retry_after(&mut response, &error);
            response
        }
        Err(other) => ctx.error(other),
    }
}

#[derive(Deserialize)]
struct DigestForm {
    /// `oui` when the box is ticked; an unticked box is not sent at all.
    resume: Option<String>,
}

async fn choose_digest(ctx: PageCtx, Form(form): Form<DigestForm>) -> Response {
    let auth = match ctx.require() {
        Ok(auth) => auth,
        Err(redirect) => return redirect.into_response(),
    };
    let domain = ctx.state.domain.clone();
    let account = auth.signed_in.account.clone();
    let wanted = form.resume.is_some();
    let saved = crate::http::blocking(move || domain.set_wants_digest(&account, wanted)).await;
    if let Err(error) = saved {
        return ctx.error(error);
    }
    if let Err(error) = ctx.state.domain.flush().await {
        return ctx.error(error);
    }
    Redirect::to("/compte?ok=notifications").into_response()
}
