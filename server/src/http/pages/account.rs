//! `/compte`: the account page and the password change form.

use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use preau_app::accounts;
use preau_app::accounts::model::AccountView;
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
}

#[derive(Deserialize)]
struct AccountQuery {
    ok: Option<String>,
}

fn view(ctx: &PageCtx, account: &Account, error: Option<String>) -> AccountView {
    AccountView {
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
    let notice = (query.ok.as_deref() == Some("mot-de-passe")).then(|| Notice {
        kind: NoticeKind::Success,
        text: "Votre mot de passe a été modifié.".to_owned(),
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
        Ok(opened) => signed_in(&ctx, opened, "/compte?ok=mot-de-passe").await,
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
