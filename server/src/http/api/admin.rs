//! `/api/v1/admin/*`: account administration, for ENT administrators only.

use axum::extract::{Path, Query, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::access::{self, Action, Actor};
use crate::domain::accounts::account::{Account, AccountState};
use crate::domain::accounts::profile::Profile;
use crate::domain::DomainError;
use crate::http::auth::{ApiAuth, Auth};
use crate::http::error::ApiError;
use crate::http::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/admin/accounts", get(list))
        .route("/api/v1/admin/accounts/{login}", get(show))
        .route(
            "/api/v1/admin/accounts/{login}/reset-password",
            post(reset_password),
        )
        .route(
            "/api/v1/admin/accounts/{login}/activation-code",
            post(issue_activation_code),
        )
}

const PAGE_SIZE: usize = 50;

fn require_admin(auth: &Auth) -> Result<(), ApiError> {
    if access::allows(&auth.signed_in.account, Action::Administer) {
        Ok(())
    } else {
        Err(ApiError::forbidden())
    }
}

#[derive(Deserialize)]
struct Filter {
    profile: Option<String>,
    state: Option<String>,
    class: Option<String>,
    page: Option<usize>,
}

#[derive(Serialize)]
struct AccountLine {
    id: u64,
    login: String,
    display_name: String,
    profile: &'static str,
    state: &'static str,
    class: Option<String>,
    is_admin: bool,
}

#[derive(Serialize)]
struct AccountPage {
    total: usize,
    page: usize,
    page_size: usize,
    accounts: Vec<AccountLine>,
}

#[derive(Serialize)]
struct AccountDetail {
    #[serde(flatten)]
    line: AccountLine,
    first_name: String,
    last_name: String,
    email: Option<String>,
    must_change_password: bool,
    /// True while the account waits for activation. Its code cannot be read back: issue a new one
    /// (`POST …/activation-code`) or print the class's « fiches de connexion ».
    activation_pending: bool,
    /// When the account's current activation code stops working, while it waits for activation.
    activation_expires_at: Option<DateTime<Utc>>,
    children: Vec<u64>,
}

fn line(account: &Account) -> AccountLine {
    AccountLine {
        id: account.id,
        login: account.login.clone(),
        display_name: account.display_name(),
        profile: account.profile.code(),
        state: account.state.code(),
        class: account.class().map(str::to_owned),
        is_admin: account.is_admin,
    }
}

async fn list(
    State(state): State<AppState>,
    ApiAuth(auth): ApiAuth,
    Query(filter): Query<Filter>,
) -> Result<Json<AccountPage>, ApiError> {
    require_admin(&auth)?;
    let profile = match filter.profile.as_deref() {
        Some(code) => Some(
            Profile::from_code(code)
                .ok_or_else(|| ApiError::bad_request(format!("Profil inconnu : {code}.")))?,
        ),
        None => None,
    };
    let page = filter.page.unwrap_or(1).max(1);
    let mut matching = Vec::new();
    for account in state.domain.accounts().all() {
        let account = account?;
        let keep = profile.is_none_or(|p| account.profile == p)
            && filter
                .state
                .as_deref()
                .is_none_or(|s| account.state.code() == s)
            && filter
                .class
                .as_deref()
                .is_none_or(|c| account.class() == Some(c));
        if keep {
            matching.push(account);
        }
    }
    let total = matching.len();
    let accounts = matching
        .iter()
        .skip((page - 1) * PAGE_SIZE)
        .take(PAGE_SIZE)
        .map(line)
        .collect();
    Ok(Json(AccountPage {
        total,
        page,
        page_size: PAGE_SIZE,
        accounts,
    }))
}

async fn show(
    State(state): State<AppState>,
    ApiAuth(auth): ApiAuth,
    Path(login): Path<String>,
) -> Result<Json<AccountDetail>, ApiError> {
    require_admin(&auth)?;
    let account = state
        .domain
        .accounts()
        .by_login(&login)?
        .ok_or(DomainError::UnknownLogin(login))?;
    let activation_expires_at = match &account.state {
        AccountState::ToActivate { code } => Some(state.domain.activation_expiry(code)),
        _ => None,
    };
    Ok(Json(AccountDetail {
        line: line(&account),
        first_name: account.first_name.clone(),
        last_name: account.last_name.clone(),
        email: account.email.clone(),
        must_change_password: account.must_change_password,
        activation_pending: activation_expires_at.is_some(),
        activation_expires_at,
        children: account.children.iter().map(|link| link.pupil).collect(),
    }))
}

#[derive(Serialize)]
struct OneTimePassword {
    login: String,
    password: String,
}

async fn reset_password(
    State(state): State<AppState>,
    ApiAuth(auth): ApiAuth,
    Path(login): Path<String>,
) -> Result<Json<OneTimePassword>, ApiError> {
    require_admin(&auth)?;
    let domain = state.domain.clone();
    let (account, password) = crate::http::blocking(move || {
        let admin = &auth.signed_in.account;
        domain.reset_password(Actor::Person(admin), &login, &mut rand::rngs::OsRng)
    })
    .await?;
    state.domain.flush().await?;
    state.live.recheck(account.id);
    Ok(Json(OneTimePassword {
        login: account.login,
        password,
    }))
}

#[derive(Serialize)]
struct NewActivationCode {
    login: String,
    /// Shown this once: only its hash is kept.
    code: String,
    expires_at: DateTime<Utc>,
}

async fn issue_activation_code(
    State(state): State<AppState>,
    ApiAuth(auth): ApiAuth,
    Path(login): Path<String>,
) -> Result<Json<NewActivationCode>, ApiError> {
    let issued = state.domain.issue_activation_code(
        &auth.signed_in.account,
        &login,
        &mut rand::rngs::OsRng,
    )?;
    state.domain.flush().await?;
    Ok(Json(NewActivationCode {
        login: issued.account.login,
        code: issued.code,
        expires_at: issued.expires_at,
    }))
}
